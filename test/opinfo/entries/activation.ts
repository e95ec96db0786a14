/**
 * OpInfo entries of the activation functions: leakyRelu, elu, gelu (exact and tanh), silu,
 * softplus (beta, threshold), heaviside and clamp (number and tensor bounds, clamp_).
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { ValueError } from '../../../src/autograd/errors.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { broadcastShapesArb, floatInput, inputOf, noTies, NONZERO, numberArb, REAL, shapeArb, withZeros, type Domain } from '../arb.js';
import { erfRef, mapN, resultTypeRef, scalarRef } from '../ref.js';
import { opInfo, type AnyOpInfo, type InputSpec, type Ref } from '../types.js';

/** Samples of one float tensor in `domain` with `args`. */
function oneTensor<A>(domain: Domain | ((a: A) => Domain), args: fc.Arbitrary<A>) {
  return fc
    .record({ args, shape: shapeArb() })
    .chain(({ args: a, shape }) =>
      fc.record({ inputs: fc.tuple(floatInput(shape, typeof domain === 'function' ? domain(a) : domain)), args: fc.constant(a) }),
    );
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const f64 = (r: Ref): Ref['dtype'] => r.dtype;

interface SlopeArgs {
  method: boolean;
  param: number | undefined;
}
interface GeluArgs {
  method: boolean;
  approximate: 'none' | 'tanh' | undefined;
}
interface SoftplusArgs {
  method: boolean;
  beta: number | undefined;
  threshold: number | undefined;
}
interface HeavisideArgs {
  method: boolean;
  values: number | null;
}
/** A clamp bound: a JS number, null (absent), or 'tensor' for the next tensor input. @internal */
export type Bound = number | null | 'tensor';
interface ClampArgs {
  method: boolean;
  min: Bound;
  max: Bound;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** Clamp samples: x and tensor bounds broadcast together, no ties between any two of them. */
function clampSample(): fc.Arbitrary<{ inputs: InputSpec[]; args: ClampArgs }> {
  const bound = fc.constantFrom<'num' | 'null' | 'tensor'>('num', 'null', 'tensor');
  return fc
    .record({
      kinds: fc.tuple(bound, bound).filter(([a, b]) => a !== 'null' || b !== 'null'),
      method: fc.boolean(),
      shapes: broadcastShapesArb(3, { firstIsFull: true }),
      int: fc.constantFrom(false, false, false, true),
    })
    .chain(({ kinds, method, shapes, int }) =>
      fc.record({
        // An int32 x is promoted by float bounds and stays int32 with integer bounds.
        x: int ? inputOf(shapes[0]!, 'int32', REAL) : floatInput(shapes[0]!, REAL),
        lo: kinds[0] === 'tensor' ? floatInput(shapes[1]!, { min: -2, max: 0.5 }) : fc.constant(null),
        hi: kinds[1] === 'tensor' ? floatInput(shapes[2]!, { min: -0.5, max: 2 }) : fc.constant(null),
        loNum: kinds[0] === 'num' ? fc.oneof(numberArb({ min: -2, max: 0.5 }), fc.constantFrom(-2, -1, 0)) : fc.constant(null),
        hiNum: kinds[1] === 'num' ? fc.oneof(numberArb({ min: -0.5, max: 2 }), fc.constantFrom(1, 2)) : fc.constant(null),
        method: fc.constant(method),
      }),
    )
    .filter(({ x, lo, hi, loNum, hiNum }) => {
      const as = (v: number | null, t: InputSpec | null): InputSpec | null =>
        t ?? (v === null ? null : { shape: [], data: [v], dtype: 'float' });
      const l = as(loNum, lo);
      const h = as(hiNum, hi);
      return (l === null || noTies(x, l)) && (h === null || noTies(x, h)) && (l === null || h === null || noTies(l, h));
    })
    .map(({ x, lo, hi, loNum, hiNum, method }) => ({
      inputs: [x, ...(lo ? [lo] : []), ...(hi ? [hi] : [])],
      args: { method, min: lo ? 'tensor' : loNum, max: hi ? 'tensor' : hiNum },
    }));
}

function clampBounds(inputs: Tensor[], { min, max }: ClampArgs): [Tensor | number | null, Tensor | number | null] {
  let k = 1;
  const lo = min === 'tensor' ? inputs[k++]! : min;
  const hi = max === 'tensor' ? inputs[k++]! : max;
  return [lo, hi];
}

/** The activation family. @internal */
export const activationEntries: AnyOpInfo[] = [
  opInfo<SlopeArgs>({
    name: 'leakyRelu',
    op: ([x], { method, param }) => (method ? x!.leakyRelu(param) : T.leakyRelu(x!, param)),
    sample: oneTensor(NONZERO, fc.record({ method: fc.boolean(), param: fc.constantFrom(undefined, 0.2, -0.5) })),
    reference: ([x], { param }) => mapN([x!], (v) => (v > 0 ? v : (param ?? 0.01) * v), f64(x!)),
    inplace: ([x], { param }) => x!.leakyRelu_(param),
    differentiable: true,
    twiceDifferentiable: true,
  }),
  opInfo<SlopeArgs>({
    name: 'elu',
    op: ([x], { method, param }) => (method ? x!.elu(param) : T.elu(x!, param)),
    sample: oneTensor(NONZERO, fc.record({ method: fc.boolean(), param: fc.constantFrom(undefined, 0.5, 2) })),
    reference: ([x], { param }) => mapN([x!], (v) => (v > 0 ? v : (param ?? 1) * (Math.exp(v) - 1)), f64(x!)),
    inplace: ([x], { param }) => x!.elu_(param),
    differentiable: true,
    twiceDifferentiable: true,
  }),
  opInfo<GeluArgs>({
    name: 'gelu',
    op: ([x], { method, approximate }) => {
      const o = approximate === undefined ? undefined : { approximate };
      return method ? x!.gelu(o) : T.gelu(x!, o);
    },
    sample: oneTensor(
      REAL,
      fc.record({ method: fc.boolean(), approximate: fc.constantFrom<GeluArgs['approximate']>(undefined, 'none', 'tanh') }),
    ),
    reference: ([x], { approximate }) =>
      mapN(
        [x!],
        (v) =>
          approximate === 'tanh' ? 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v))) : 0.5 * v * (1 + erfRef(v / Math.SQRT2)),
        f64(x!),
      ),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'an unknown approximation',
        call: () => T.gelu(T.zeros([2]), { approximate: 'fast' as 'tanh' }),
        error: ValueError,
        message: /^gelu: approximate must be 'none' or 'tanh', got 'fast'/,
      },
    ],
  }),
  opInfo<{ method: boolean }>({
    name: 'silu',
    op: ([x], { method }) => (method ? x!.silu() : T.silu(x!)),
    sample: oneTensor({ min: -5, max: 5 }, fc.record({ method: fc.boolean() })),
    reference: ([x]) => mapN([x!], (v) => v * sigmoid(v), f64(x!)),
    differentiable: true,
    twiceDifferentiable: true,
  }),
  opInfo<SoftplusArgs>({
    name: 'softplus',
    op: ([x], { method, beta, threshold }) => {
      const o: { beta?: number; threshold?: number } = {};
      if (beta !== undefined) o.beta = beta;
      if (threshold !== undefined) o.threshold = threshold;
      return method ? x!.softplus(o) : T.softplus(x!, o);
    },
    // Values keep away from the switch to the linear branch at beta x = threshold.
    sample: oneTensor(
      (a: SoftplusArgs) => ({ min: -4, max: 4, avoid: [(a.threshold ?? 20) / (a.beta ?? 1)], margin: 0.05 }),
      fc.record({ method: fc.boolean(), beta: fc.constantFrom(undefined, 2, 0.5), threshold: fc.constantFrom(undefined, 1, 2.5) }),
    ),
    reference: ([x], { beta = 1, threshold = 20 }) =>
      mapN([x!], (v) => (beta * v > threshold ? v : Math.log(1 + Math.exp(beta * v)) / beta), f64(x!)),
    differentiable: true,
    twiceDifferentiable: true,
  }),
  opInfo<HeavisideArgs>({
    name: 'heaviside',
    op: ([x, v], { method, values }) => {
      const vals = values ?? v!;
      return method ? x!.heaviside(vals) : T.heaviside(x!, vals);
    },
    // Either values away from 0 (then x requires grad and the gradient must be zero), or exact
    // zeros mixed in, with x not requiring grad (the derivative does not exist at 0).
    sample: fc
      .record({ shapes: broadcastShapesArb(2), zeros: fc.boolean(), method: fc.boolean(), num: fc.boolean() })
      .chain(({ shapes, zeros, method, num }) =>
        fc.record({
          x: zeros ? withZeros(floatInput(shapes[0]!, REAL)) : floatInput(shapes[0]!, NONZERO),
          v: num ? numberArb(REAL) : floatInput(shapes[1]!, REAL),
          method: fc.constant(method),
        }),
      )
      .map(({ x, v, method }) =>
        typeof v === 'number' ? { inputs: [x], args: { method, values: v } } : { inputs: [x, v], args: { method, values: null } },
      ),
    reference: ([x, v], { values }) =>
      mapN([x!, v ?? scalarRef(values!)], (a, b) => (a < 0 ? 0 : a > 0 ? 1 : b), resultTypeRef([x!, v ?? values!])),
    differentiable: [true, false],
    twiceDifferentiable: true,
  }),
  opInfo<ClampArgs>({
    name: 'clamp',
    op: (inputs, args) => {
      const [lo, hi] = clampBounds(inputs, args);
      return args.method ? inputs[0]!.clamp(lo, hi) : T.clamp(inputs[0]!, lo, hi);
    },
    sample: clampSample(),
    reference: (inputs, args) => {
      let k = 1;
      const lo = args.min === 'tensor' ? inputs[k++]! : scalarRef(args.min ?? -Infinity);
      const hi = args.max === 'tensor' ? inputs[k++]! : scalarRef(args.max ?? Infinity);
      const bounds = [args.min, args.max].map((b, i) => (b === 'tensor' ? (i === 0 ? lo : hi) : b)).filter((b) => b !== null);
      return mapN([inputs[0]!, lo, hi], (x, l, h) => Math.min(Math.max(x, l), h), resultTypeRef([inputs[0]!, ...bounds]));
    },
    differentiable: true,
    twiceDifferentiable: true,
    inplace: (inputs, args) => inputs[0]!.clamp_(...clampBounds(inputs, args)),
    errorInputs: [
      {
        name: 'neither bound',
        call: () => T.clamp(T.zeros([2]), null, null),
        error: ValueError,
        message: /^clamp: at least one of min and max must be given/,
      },
    ],
  }),
];
