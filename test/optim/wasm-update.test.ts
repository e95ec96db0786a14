// The float32 WebAssembly SIMD updates (src/kernels/runtime/optim.ts, wasm/optim-stream.ts): Adam/AdamW, RMSprop and SGD (all
// variants) against the independent float64 references of reference.ts, over random
// lengths including ones that are not multiples of 4 nor of the streamed chunk; the wasm path
// against the JS loops; parameters that are views at an offset; the fallback when the module is
// unavailable.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { optim, tensor, zeros, type Tensor } from '../../src/index.js';
import { adamUpdate, type AdamHyper } from '../../src/optim/adam.js';
import {
  _simulateOptimWasmUnavailable,
  OPTIM_CHUNK,
  OPTIM_WASM_MIN,
  OPTIM_WASM_MIN_SGD,
  setKernelBackend,
  useOptimWasm,
} from '../../src/kernels/runtime/index.js';
import { adamF32Wasm } from '../../src/kernels/wasm/optim-stream.js';
import { rmspropUpdate, type RMSpropHyper } from '../../src/optim/rmsprop.js';
import { sgdUpdate, type SGDHyper } from '../../src/optim/sgd.js';
import { closeArrays } from './objective.js';
import * as R from './reference.js';

afterEach(() => {
  setKernelBackend('auto');
  _simulateOptimWasmUnavailable(false);
});

/** mulberry32: a small seeded generator of floats in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** float32-rounded values in [-scale, scale). */
function f32s(n: number, r: () => number, scale: number): number[] {
  return Array.from({ length: n }, () => Math.fround((2 * r() - 1) * scale));
}

const LENGTHS = [1, 3, 5, 63, OPTIM_CHUNK - 1, OPTIM_CHUNK, OPTIM_CHUNK + 1, 2 * OPTIM_CHUNK + 3];
const lengthArb = fc.oneof(fc.constantFrom(...LENGTHS), fc.integer({ min: 1, max: 3 * OPTIM_CHUNK + 7 }));

type Make = (p: Tensor[], o: Record<string, unknown>) => optim.Optimizer;
interface Variant {
  name: string;
  make: Make;
  ref: (h: Record<string, unknown>) => R.Stepper;
  options: Record<string, unknown>;
}
const adam: Make = (p, o) => new optim.Adam(p, o);
const adamW: Make = (p, o) => new optim.AdamW(p, o);
const rmsprop: Make = (p, o) => new optim.RMSprop(p, o);
const ADAM: Variant[] = [
  { lr: 0.05 },
  { lr: 0.05, amsgrad: true, betas: [0.8, 0.95] },
  { lr: 0.05, weightDecay: 0.1, maximize: true },
  { lr: 0.05, weightDecay: 0.2, decoupledWeightDecay: true, amsgrad: true },
  { lr: 0.05, eps: 0.1 },
].map((options) => ({ name: `Adam ${JSON.stringify(options)}`, make: adam, ref: (h) => R.refAdam(h), options }));
ADAM.push({
  name: 'AdamW {"lr":0.05,"weightDecay":0.3}',
  make: adamW,
  ref: (h) => R.refAdam(h, true),
  options: { lr: 0.05, weightDecay: 0.3 },
});
const RMSPROP: Variant[] = [
  { lr: 0.01 },
  { lr: 0.01, alpha: 0.9, weightDecay: 0.1 },
  { lr: 0.005, momentum: 0.7 },
  { lr: 0.01, centered: true, maximize: true },
  { lr: 0.005, centered: true, momentum: 0.5, eps: 0.01 },
].map((options) => ({ name: `RMSprop ${JSON.stringify(options)}`, make: rmsprop, ref: R.refRMSprop, options }));

const sgd: Make = (p, o) => new optim.SGD(p, o);
const SGD: Variant[] = [
  { lr: 0.02 },
  { lr: 0.02, weightDecay: 0.1, maximize: true },
  { lr: 0.02, momentum: 0.9 },
  { lr: 0.02, momentum: 0.8, dampening: 0.3, weightDecay: 0.05 },
  { lr: 0.02, momentum: 0.7, nesterov: true, maximize: true },
].map((options) => ({ name: `SGD ${JSON.stringify(options)}`, make: sgd, ref: R.refSGD, options }));

/**
 * Runs `steps` steps of `v` on a float32 parameter of length n through the optimizer class with the
 * given backend, and of the float64 reference from the same float32 start and gradients; returns
 * the first mismatch (or null) and whether the parameter moved.
 */
function runAgainstReference(v: Variant, n: number, seed: number, steps: number): string | null {
  const r = rng(seed);
  const start = f32s(n, r, 2);
  const p = tensor(start, { dtype: 'float32', requiresGrad: true });
  const opt = v.make([p], v.options);
  const ref = v.ref(v.options);
  const theta = start.slice();
  for (let t = 1; t <= steps; t++) {
    const g = f32s(n, r, 1 + t);
    p.grad = tensor(g, { dtype: 'float32' });
    opt.step();
    ref(theta, g);
    const bad = closeArrays(Array.from(p.dataSync()), theta, 2e-6, `${v.name}, n=${n}, step ${t}`);
    if (bad !== null) return bad;
  }
  // The run must have moved the parameter (a skipped update would pass trivially).
  if (closeArrays(Array.from(p.dataSync()), start, 1e-3, 'moved') === null) return `${v.name}, n=${n}: parameter did not move`;
  return null;
}

describe('float32 wasm updates against the float64 references', () => {
  it('the wasm path is available in this Node (SIMD128)', () => {
    setKernelBackend('wasm');
    expect(useOptimWasm(1)).toBe(true);
  });

  it.each([...ADAM, ...RMSPROP, ...SGD])('$name, lengths 1 … 3·chunk+7 (property)', (v) => {
    setKernelBackend('wasm');
    fc.assert(
      fc.property(lengthArb, fc.integer({ min: 1, max: 1 << 30 }), (n, seed) => {
        expect(runAgainstReference(v, n, seed, 4)).toBeNull();
      }),
      { seed: 42, numRuns: 8 },
    );
  });

  it('a parameter that is a view at an offset: updated in place, the rest of the storage untouched', () => {
    setKernelBackend('wasm');
    const r = rng(7);
    const n = OPTIM_CHUNK + 5;
    const all = f32s(n + 10, r, 1);
    const base = tensor(all, { dtype: 'float32' });
    const p = base.narrow(0, 3, n).requiresGrad_();
    const g = f32s(n, r, 1);
    p.grad = tensor(g, { dtype: 'float32' });
    new optim.Adam([p], { lr: 0.05 }).step();
    const theta = all.slice(3, 3 + n);
    R.refAdam({ lr: 0.05 })(theta, g);
    const after = Array.from(base.dataSync());
    expect(closeArrays(after.slice(3, 3 + n), theta, 2e-6, 'view')).toBeNull();
    expect([...after.slice(0, 3), ...after.slice(3 + n)]).toEqual([...all.slice(0, 3), ...all.slice(3 + n)]);
  });
});

describe('the wasm path against the JS loops (update functions, state included)', () => {
  /** Relative closeness of nonnegative state buffers (v, vMax, squareAvg: small numbers, no cancellation). */
  function closeRel(a: Float32Array, b: Float32Array, tol: number, what: string): string | null {
    for (let i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i]! - b[i]!) <= tol * Math.abs(b[i]!) + 1e-30)) return `${what}[${i}]: ${a[i]} vs ${b[i]}`;
    }
    return null;
  }

  it('Adam, every variant, random lengths (property)', () => {
    const variants: AdamHyper[] = [
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false },
      { lr: 0.01, betas: [0.8, 0.99], eps: 1e-8, weightDecay: 0.1, maximize: true },
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-3, weightDecay: 0.05, decoupledWeightDecay: true, maximize: false },
    ];
    fc.assert(
      fc.property(lengthArb, fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.integer({ min: 1, max: 1 << 30 }), (n, vi, ams, seed) => {
        const hp = variants[vi]!;
        const r = rng(seed);
        const p0 = Float32Array.from(f32s(n, r, 1));
        const state = () => ({ p: p0.slice(), m: new Float32Array(n), v: new Float32Array(n), vm: ams ? new Float32Array(n) : null });
        const js = state(),
          wa = state();
        for (let t = 1; t <= 5; t++) {
          const g = Float32Array.from(f32s(n, r, 2));
          setKernelBackend('js');
          adamUpdate(js.p, g, js.m, js.v, js.vm, t, hp);
          setKernelBackend('wasm');
          adamUpdate(wa.p, g, wa.m, wa.v, wa.vm, t, hp);
        }
        expect(closeArrays(Array.from(wa.p), Array.from(js.p), 1e-6, 'p')).toBeNull();
        // m sums terms of both signs (cancellation): absolute, at the scale of the gradients (|g| < 2).
        expect(closeArrays(Array.from(wa.m), Array.from(js.m), 2e-6, 'm')).toBeNull();
        expect(closeRel(wa.v, js.v, 1e-5, 'v')).toBeNull();
        if (ams) expect(closeRel(wa.vm!, js.vm!, 1e-5, 'vMax')).toBeNull();
        expect(closeArrays(Array.from(wa.p), Array.from(p0), 1e-4, 'moved')).not.toBeNull();
      }),
      { seed: 42, numRuns: 25 },
    );
  });

  it('RMSprop, every variant, random lengths (property)', () => {
    fc.assert(
      fc.property(lengthArb, fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 1 << 30 }), (n, centered, mom, seed) => {
        const hp: RMSpropHyper = { lr: 0.01, alpha: 0.9, eps: 1e-6, weightDecay: 0.05, momentum: mom ? 0.6 : 0, maximize: seed % 2 === 0 };
        const r = rng(seed);
        const p0 = Float32Array.from(f32s(n, r, 1));
        const state = () => ({
          p: p0.slice(),
          sq: new Float32Array(n),
          a: centered ? new Float32Array(n) : null,
          b: mom ? new Float32Array(n) : null,
        });
        const js = state(),
          wa = state();
        for (let t = 1; t <= 5; t++) {
          const g = Float32Array.from(f32s(n, r, 2));
          setKernelBackend('js');
          rmspropUpdate(js.p, g, js.sq, js.a, js.b, hp);
          setKernelBackend('wasm');
          rmspropUpdate(wa.p, g, wa.sq, wa.a, wa.b, hp);
        }
        expect(closeArrays(Array.from(wa.p), Array.from(js.p), 1e-6, 'p')).toBeNull();
        expect(closeRel(wa.sq, js.sq, 1e-5, 'squareAvg')).toBeNull();
        if (centered) expect(closeArrays(Array.from(wa.a!), Array.from(js.a!), 1e-6, 'gradAvg')).toBeNull();
        if (mom) expect(closeArrays(Array.from(wa.b!), Array.from(js.b!), 1e-5, 'momentumBuffer')).toBeNull();
      }),
      { seed: 42, numRuns: 25 },
    );
  });

  it('SGD, every variant, random lengths (property)', () => {
    fc.assert(
      fc.property(lengthArb, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 1 << 30 }), (n, kind, seed) => {
        const hp: SGDHyper = {
          lr: 0.02,
          momentum: kind === 0 ? 0 : 0.8,
          dampening: kind === 1 ? 0.2 : 0,
          weightDecay: 0.05,
          nesterov: kind === 2,
          maximize: seed % 2 === 0,
        };
        const r = rng(seed);
        const p0 = Float32Array.from(f32s(n, r, 1));
        const state = () => ({ p: p0.slice(), b: kind === 0 ? null : new Float32Array(n) });
        const js = state(),
          wa = state();
        for (let t = 1; t <= 5; t++) {
          const g = Float32Array.from(f32s(n, r, 2));
          setKernelBackend('js');
          sgdUpdate(js.p, g, js.b, t === 1, hp);
          setKernelBackend('wasm');
          sgdUpdate(wa.p, g, wa.b, t === 1, hp);
        }
        expect(closeArrays(Array.from(wa.p), Array.from(js.p), 1e-6, 'p')).toBeNull();
        if (kind !== 0) expect(closeArrays(Array.from(wa.b!), Array.from(js.b!), 2e-6, 'momentumBuffer')).toBeNull();
        expect(closeArrays(Array.from(wa.p), Array.from(p0), 1e-4, 'moved')).not.toBeNull();
      }),
      { seed: 42, numRuns: 25 },
    );
  });
});

describe('backend choice and fallback', () => {
  it("'auto' takes wasm from OPTIM_WASM_MIN elements (SGD: OPTIM_WASM_MIN_SGD), 'js' never", () => {
    setKernelBackend('auto');
    expect(useOptimWasm(OPTIM_WASM_MIN - 1)).toBe(false);
    expect(useOptimWasm(OPTIM_WASM_MIN)).toBe(true);
    expect(useOptimWasm(OPTIM_WASM_MIN_SGD - 1, OPTIM_WASM_MIN_SGD)).toBe(false);
    expect(useOptimWasm(OPTIM_WASM_MIN_SGD, OPTIM_WASM_MIN_SGD)).toBe(true);
    setKernelBackend('js');
    expect(useOptimWasm(1 << 20)).toBe(false);
  });

  it('without the module the updates fall back to the JS loops (same result as forcing them)', () => {
    const n = 3 * OPTIM_CHUNK + 1;
    const r = rng(3);
    const start = f32s(n, r, 1);
    const grads = [f32s(n, r, 1), f32s(n, r, 1)];
    const run = (): number[] => {
      const p = tensor(start, { dtype: 'float32', requiresGrad: true });
      const opt = new optim.Adam([p], { lr: 0.05, amsgrad: true });
      for (const g of grads) {
        p.grad = tensor(g, { dtype: 'float32' });
        opt.step();
      }
      return Array.from(p.dataSync());
    };
    setKernelBackend('js');
    const js = run();
    setKernelBackend('wasm');
    _simulateOptimWasmUnavailable(true);
    expect(useOptimWasm(n)).toBe(false);
    const z = zeros([4]).float()._storage.data as Float32Array;
    expect(adamF32Wasm(z, z, z, z, null, { b1: 0.9, b2: 0.999, eps: 1e-8, sign: 1, decay: 1, wd: 0, stepSize: 1e-3, bc2Sqrt: 1 })).toBe(
      false,
    );
    expect(run()).toEqual(js);
    _simulateOptimWasmUnavailable(false);
    expect(useOptimWasm(n)).toBe(true);
  });
});
