/** The wrong-call corpus for the testing helpers (see types.ts). */
import { expect } from 'vitest';
import type { WrongCall } from './types.js';

/** Calls of the testing area. */
export const calls: WrongCall[] = [
  {
    code: "testing.tensors({ requires_grad: false })",
    run: (tg) => tg.testing.tensors({ requires_grad: false } as never),
    expect: { throws: 'ValueError', message: /^testing\.tensors: unknown option 'requires_grad': options are camelCase, did you mean 'requiresGrad'\?/ },
  },
  {
    code: "testing.tensors({ shape: [2, 3], dtype: 'int32' })",
    run: (tg) => tg.testing.tensors({ shape: [2, 3], dtype: 'int32' as never }),
    expect: { throws: 'ValueError', message: /^testing\.tensors: dtype must be one of 'float64', 'float32', got 'int32'/ },
  },
  {
    code: "testing.tensors({ shape: '2x3' })",
    run: (tg) => tg.testing.tensors({ shape: '2x3' as never }),
    expect: { throws: 'ArgumentTypeError', message: /^testing\.tensors: shape must be an array of sizes or an Arbitrary of shapes/ },
  },
  {
    code: 'testing.shapes({ maxDims: 1.5 })',
    run: (tg) => tg.testing.shapes({ maxDims: 1.5 }),
    expect: { throws: 'ValueError', message: /^testing\.shapes: maxDims must be an integer, got 1\.5/ },
  },
  {
    code: 'testing.values(3, { min: 2, max: -2 })',
    run: (tg) => tg.testing.values(3, { min: 2, max: -2 }),
    expect: { throws: 'ValueError', message: /^testing\.values: min 2 is larger than max -2/ },
  },
  {
    code: "testing.values(4, { edges: ['nan', 'inf', 'zeros'] })",
    run: (tg) => tg.testing.values(4, { edges: ['nan', 'inf', 'zeros' as never] }),
    expect: { throws: 'ValueError', message: /^testing\.values: edges\[2\] must be one of .*'zero'.*, got 'zeros': did you mean 'zero'\?/ },
  },
  {
    code: 'testing.integers(3, 1)',
    run: (tg) => tg.testing.integers(3, 1),
    expect: { throws: 'ValueError', message: /^testing\.integers: expected integers min <= max, got 3 and 1/ },
  },
  {
    code: 'testing.floats(0, Infinity)',
    run: (tg) => tg.testing.floats(0, Infinity),
    expect: { throws: 'ValueError', message: /^testing\.floats: expected finite min <= max/ },
  },
  {
    code: 'testing.broadcastShapes(0)',
    run: (tg) => tg.testing.broadcastShapes(0),
    expect: { throws: 'ValueError', message: /^testing\.broadcastShapes: n must be a positive integer, got 0/ },
  },
  {
    code: "new testing.Random('seed')",
    run: (tg) => new tg.testing.Random('seed' as never),
    expect: { throws: 'ArgumentTypeError', message: /^testing\.Random: seed must be an integer, got 'seed'/ },
  },
  {
    code: 'testing.gradcheckProperty((x) => x.exp(), testing.tensors())',
    run: (tg) => tg.testing.gradcheckProperty((x) => x.exp(), tg.testing.tensors() as never, { seed: 1 }),
    expect: { throws: 'ValueError', message: /^testing\.gradcheckProperty: the arbitrary of the inputs must give an array of tensors .*got a Tensor of shape .*; for one input pass \[arbitrary\]/ },
  },
  {
    code: 'testing.gradcheckProperty((x) => x.exp(), [testing.tensors()], { num_runs: 5 })',
    run: (tg) => tg.testing.gradcheckProperty((x) => x.exp(), [tg.testing.tensors()], { num_runs: 5 } as never),
    expect: { throws: 'ValueError', message: /unknown option 'num_runs': options are camelCase, did you mean 'numRuns'\?/ },
  },
  {
    code: 'testing.gradcheckProperty((x) => x.exp(), [testing.tensors()], { seed: 1.5 })',
    run: (tg) => tg.testing.gradcheckProperty((x) => x.exp(), [tg.testing.tensors()], { seed: 1.5 }),
    expect: { throws: 'ValueError', message: /^testing\.gradcheckProperty: seed must be an integer, got 1\.5/ },
  },
  {
    code: "testing.gradcheckProperty((x) => x.exp(), [testing.tensors({ dtype: 'float32' })])",
    run: (tg) => tg.testing.gradcheckProperty((x) => x.exp(), [tg.testing.tensors({ dtype: 'float32' })], { seed: 1 }),
    expect: { throws: 'ValueError', message: /^testing\.gradcheckProperty: run 1 of 25 failed \(seed 1; replay with \{ seed: 1 \}\):\ngradcheck: input 0 is float32; finite differences need float64 inputs/ },
  },
  {
    code: 'testing.gradcheckProperty((x) => x.exp(), [testing.tensors()], { numRuns: 5, seed: 3 })',
    run: (tg) => tg.testing.gradcheckProperty((x) => x.exp(), [tg.testing.tensors()], { numRuns: 5, seed: 3 }),
    expect: { check: (r) => expect(r).toEqual({ numRuns: 5, seed: 3 }) },
  },
];
