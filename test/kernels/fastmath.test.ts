import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { erfF32, expF32, expFloat32, sigmoidF32, tanhF32 } from '../../src/kernels/fastmath.js';
import { erfRef } from '../opinfo/ref.js';
import { reluF32 } from '../../src/kernels/elementwise-f32.js';
import { tensor, type Tensor } from '../../src/index.js';
import { ulps } from './ulp.js';

type Kernel = (out: Float32Array, a: Float32Array, n: number, aOff?: number, outOff?: number) => void;

/** The float64 references, rounded to float32 once. */
const REFS: Record<string, { kernel: Kernel; ref: (x: number) => number; bound: number }> = {
  exp: { kernel: expF32, ref: (x) => Math.fround(Math.exp(x)), bound: 1 },
  // The scalar form (used by the fused cross-entropy), through a loop that rounds to float32.
  expFloat32: {
    kernel: (out, a, n, aOff = 0, outOff = 0) => {
      for (let i = 0; i < n; i++) out[outOff + i] = expFloat32(a[aOff + i]!);
    },
    ref: (x) => Math.fround(Math.exp(x)),
    bound: 1,
  },
  sigmoid: { kernel: sigmoidF32, ref: (x) => Math.fround(1 / (1 + Math.exp(-x))), bound: 1 },
  // Reference: the OpInfo float64 erf (Taylor series / asymptotic erfc), independent of src/.
  erf: { kernel: erfF32, ref: (x) => Math.fround(erfRef(x)), bound: 1 },
  // All of them: off by one ulp for 0.006–0.12 % of inputs, never more (see src/kernels/fastmath.ts).
  tanh: { kernel: tanhF32, ref: (x) => Math.fround(Math.tanh(x)), bound: 1 },
};

function run(kernel: Kernel, xs: readonly number[]): Float32Array {
  const a = Float32Array.from(xs);
  const out = new Float32Array(a.length);
  kernel(out, a, a.length);
  return out;
}

/** The largest ulp error of `kernel` over `a`, and where. */
function worst(kernel: Kernel, ref: (x: number) => number, a: Float32Array): { ulp: number; at: number } {
  const out = new Float32Array(a.length);
  kernel(out, a, a.length);
  let ulp = 0;
  let at = NaN;
  for (let i = 0; i < a.length; i++) {
    const d = ulps(out[i]!, ref(a[i]!));
    if (d > ulp) {
      ulp = d;
      at = a[i]!;
    }
  }
  return { ulp, at };
}

const MAX = 3.4028234663852886e38;
const MIN_SUB = 1.401298464324817e-45;
const MAX_SUB = 1.1754942106924411e-38;
const EDGES = [
  0,
  -0,
  MIN_SUB,
  -MIN_SUB,
  MAX_SUB,
  -MAX_SUB,
  1.1754943508222875e-38,
  1e-30,
  -1e-30,
  1e-8,
  -1e-8,
  2 ** -13,
  -(2 ** -13),
  0.5,
  -0.5,
  1,
  -1,
  Math.LN2 / 32,
  -Math.LN2 / 32,
  9,
  -9,
  9.1,
  -9.1,
  15,
  -15,
  17,
  -17,
  20,
  -20,
  30,
  -30,
  88.72,
  -88.72,
  88.7228,
  88.72283,
  88.72284,
  88.7229,
  -88.7228,
  -88.72284,
  89,
  -89,
  103,
  -103,
  103.97,
  -103.97,
  103.972,
  -103.972,
  103.98,
  -103.98,
  104,
  -104,
  105,
  -105,
  200,
  -200,
  MAX,
  -MAX,
  Infinity,
  -Infinity,
  NaN,
].map(Math.fround);

describe('fastmath float32 kernels: ulp error against float64 references', () => {
  it('the ulp metric counts float32 steps (so the bounds below can fail)', () => {
    expect(ulps(1, 1)).toBe(0);
    expect(ulps(1, 1 + 2 ** -23)).toBe(1);
    expect(ulps(1, 1 - 2 ** -24)).toBe(1);
    expect(ulps(MIN_SUB, -MIN_SUB)).toBe(2);
    expect(ulps(0, -0)).toBe(0);
    expect(ulps(MAX, Infinity)).toBe(1);
    expect(ulps(NaN, 1)).toBe(Infinity);
    // A kernel that is off by a relative 1e-6 is caught.
    const sloppy: Kernel = (out, a, n) => {
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]!) * (1 + 1e-6);
    };
    expect(worst(sloppy, REFS.exp!.ref, Float32Array.from([1, 2, 3])).ulp).toBeGreaterThan(1);
  });

  for (const [name, { kernel, ref, bound }] of Object.entries(REFS)) {
    it(`${name}: every 997th float32 bit pattern (the whole range, subnormals, ±Inf and NaNs) within ${bound} ulp`, () => {
      const n = Math.floor(2 ** 32 / 997);
      const a = new Float32Array(n);
      const u = new Uint32Array(a.buffer);
      for (let i = 0; i < n; i++) u[i] = i * 997;
      const { ulp, at } = worst(kernel, ref, a);
      expect(ulp, `${name}: ${ulp} ulp at ${at}`).toBeLessThanOrEqual(bound);
    });

    it(`${name}: edge values (±0, subnormals, overflow and underflow points, ±Inf, NaN) within ${bound} ulp`, () => {
      const out = run(kernel, EDGES);
      for (let i = 0; i < EDGES.length; i++) {
        expect(ulps(out[i]!, ref(EDGES[i]!)), `${name}(${EDGES[i]}) = ${out[i]}, reference ${ref(EDGES[i]!)}`).toBeLessThanOrEqual(bound);
      }
    });

    it(`${name}: dense sweep of [-20, 20] within ${bound} ulp`, () => {
      const n = 400_001;
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = -20 + (40 * i) / (n - 1);
      expect(worst(kernel, ref, a).ulp).toBeLessThanOrEqual(bound);
    });

    it(`${name}: random float32 inputs (fast-check) within ${bound} ulp, at offsets and in place`, () => {
      fc.assert(
        fc.property(fc.array(fc.float(), { minLength: 1, maxLength: 64 }), fc.nat(5), fc.nat(5), (xs, aOff, outOff) => {
          const a = new Float32Array(aOff + xs.length);
          a.set(xs, aOff);
          const out = new Float32Array(outOff + xs.length).fill(7);
          kernel(out, a, xs.length, aOff, outOff);
          for (let i = 0; i < outOff; i++) if (out[i] !== 7) return false;
          for (let i = 0; i < xs.length; i++) if (ulps(out[outOff + i]!, ref(xs[i]!)) > bound) return false;
          // In place (out aliases a exactly) gives the same values.
          const inPlace = Float32Array.from(xs);
          kernel(inPlace, inPlace, xs.length);
          for (let i = 0; i < xs.length; i++) if (ulps(inPlace[i]!, out[outOff + i]!) !== 0) return false;
          return true;
        }),
        { seed: 42, numRuns: 300 },
      );
    });
  }

  it('relative accuracy near 0 (log-spaced |x| from 1e-40 to 1): exp and sigmoid ≤ 1 ulp, tanh ≤ 1 ulp', () => {
    const xs: number[] = [];
    for (let e = -40; e <= 0; e += 0.01) xs.push(10 ** e, -(10 ** e));
    const a = Float32Array.from(xs);
    for (const { kernel, ref, bound } of Object.values(REFS)) expect(worst(kernel, ref, a).ulp).toBeLessThanOrEqual(bound);
  });
});

describe('fastmath float32 kernels: exact special values', () => {
  it('exp: exp(±0) = 1, overflow to Infinity, underflow to 0, subnormal results, NaN', () => {
    const out = run(expF32, [0, -0, 88.8, 1000, Infinity, -104, -1000, -Infinity, NaN, -100, 1]);
    expect(Array.from(out.slice(0, 8))).toEqual([1, 1, Infinity, Infinity, Infinity, 0, 0, 0]);
    expect(out[8]).toBeNaN();
    // e^-100 = 3.720075976020836e-44: a float32 subnormal (26.5 steps of 2^-149, rounded to 27).
    expect(out[9]).toBe(27 * MIN_SUB);
    expect(out[10]).toBe(Math.fround(Math.E));
  });

  it('sigmoid: 0.5 at ±0, saturation to 1 and 0, NaN', () => {
    const out = run(sigmoidF32, [0, -0, 20, 200, Infinity, -200, -Infinity, NaN, -100]);
    expect(Array.from(out.slice(0, 7))).toEqual([0.5, 0.5, 1, 1, 1, 0, 0]);
    expect(out[7]).toBeNaN();
    // sigmoid(-100) = e^-100 / (1 + e^-100): the same subnormal as exp(-100).
    expect(out[8]).toBe(27 * MIN_SUB);
  });

  it('tanh: keeps the sign of zero, tanh(x) = x for tiny x, saturates to ±1, NaN', () => {
    const out = run(tanhF32, [0, -0, MIN_SUB, -MIN_SUB, 1e-20, 30, -30, Infinity, -Infinity, NaN]);
    expect(Object.is(out[0], 0)).toBe(true);
    expect(Object.is(out[1], -0)).toBe(true);
    expect(Array.from(out.slice(2, 9))).toEqual([MIN_SUB, -MIN_SUB, Math.fround(1e-20), 1, -1, 1, -1]);
    expect(out[9]).toBeNaN();
  });

  it('erf: keeps the sign of zero, ±1 from |x| = 4 on and at ±Inf, NaN', () => {
    const out = run(erfF32, [0, -0, 4, -4, 1e30, Infinity, -Infinity, NaN, 1, -1]);
    expect(Object.is(out[0], 0)).toBe(true);
    expect(Object.is(out[1], -0)).toBe(true);
    expect(Array.from(out.slice(2, 7))).toEqual([1, -1, 1, 1, -1]);
    expect(out[7]).toBeNaN();
    // erf(1) = 0.8427007929497149 (both sides of the |x| = 1 seam agree with it).
    expect(out[8]).toBe(Math.fround(0.8427007929497149));
    expect(out[9]).toBe(Math.fround(-0.8427007929497149));
  });

  it('hand-checked values: e^1, e^-1, sigmoid(2), tanh(0.5)', () => {
    // e = 2.718281828..., 1/e = 0.367879441..., sigmoid(2) = 0.880797077..., tanh(0.5) = 0.462117157...
    expect(run(expF32, [1, -1])).toEqual(Float32Array.from([2.718281828459045, 0.36787944117144233]));
    expect(run(sigmoidF32, [2])[0]).toBe(Math.fround(0.8807970779778823));
    expect(run(tanhF32, [0.5])[0]).toBe(Math.fround(0.46211715726000974));
  });

  it('n = 0 writes nothing', () => {
    const out = new Float32Array([5]);
    for (const { kernel } of Object.values(REFS)) kernel(out, new Float32Array([1]), 0);
    expect(out[0]).toBe(5);
  });
});

describe('fastmath kernels wired into the exp, sigmoid and tanh primitives', () => {
  const xs = [-120, -30, -2.5, -1e-7, -0, 0, 3e-8, 0.75, 4, 50, 95, Infinity, NaN];
  const cases = [
    { name: 'exp', op: (t: Tensor) => t.exp(), ref: Math.exp },
    { name: 'sigmoid', op: (t: Tensor) => t.sigmoid(), ref: (x: number) => 1 / (1 + Math.exp(-x)) },
    { name: 'tanh', op: (t: Tensor) => t.tanh(), ref: Math.tanh },
  ];
  for (const { name, op, ref } of cases) {
    it(`${name}: float32 contiguous, float32 strided (template) and float64 (Math) agree with the float64 reference`, () => {
      const x32 = tensor(xs, { dtype: 'float32' });
      const y32 = op(x32);
      expect(y32.dtype).toBe('float32');
      const got = y32.dataSync();
      for (let i = 0; i < xs.length; i++) expect(ulps(got[i]!, Math.fround(ref(Math.fround(xs[i]!))))).toBeLessThanOrEqual(1);
      // A view at an offset (contiguous) and a strided view give the same values at the same places.
      const offsetView = op(x32.narrow(0, 2, 5)).dataSync();
      for (let i = 0; i < 5; i++) expect(ulps(offsetView[i]!, got[i + 2]!)).toBe(0);
      const grid = tensor([xs.slice(0, 6), xs.slice(6, 12)], { dtype: 'float32' });
      const strided = op(grid.T).dataSync();
      for (let r = 0; r < 6; r++) {
        for (let c = 0; c < 2; c++) expect(ulps(strided[r * 2 + c]!, Math.fround(ref(Math.fround(xs[c * 6 + r]!))))).toBeLessThanOrEqual(1);
      }
      // float64 keeps Math's float64 result exactly.
      expect(Array.from(op(tensor(xs, { dtype: 'float64' })).dataSync())).toEqual(xs.map(ref));
    });
  }

  it('erf: float32 contiguous and strided within 1 ulp, float64 within 1e-14 of the float64 reference', () => {
    const xs = [-5, -2.5, -1, -0.3, -0, 0, 1e-7, 0.7, 1.5, 3.9, Infinity, NaN];
    const got = tensor(xs, { dtype: 'float32' }).erf().dataSync();
    for (let i = 0; i < xs.length; i++) expect(ulps(got[i]!, Math.fround(erfRef(Math.fround(xs[i]!))))).toBeLessThanOrEqual(1);
    const strided = tensor([xs.slice(0, 6), xs.slice(6, 12)], { dtype: 'float32' })
      .T.erf()
      .dataSync();
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 2; c++)
        expect(ulps(strided[r * 2 + c]!, Math.fround(erfRef(Math.fround(xs[c * 6 + r]!))))).toBeLessThanOrEqual(1);
    }
    const g64 = tensor(xs, { dtype: 'float64' }).erf().dataSync();
    for (let i = 0; i < 10; i++) expect(Math.abs(g64[i]! - erfRef(xs[i]!))).toBeLessThan(1e-14);
  });

  it('the float32 contiguous case runs the fast kernel (at an input where it is 1 ulp from Math.exp rounded)', () => {
    // Found by the bit-pattern sweep: the polynomial result rounds the other way than the exact one.
    for (const [x, op, kernel, ref] of [
      [0.007097093854099512, (t: Tensor) => t.exp(), expF32, Math.exp],
      [0.006540440954267979, (t: Tensor) => t.sigmoid(), sigmoidF32, (v: number) => 1 / (1 + Math.exp(-v))],
    ] as const) {
      const fast = run(kernel, [x])[0]!;
      expect(ulps(fast, Math.fround(ref(x)))).toBe(1);
      expect(op(tensor([x], { dtype: 'float32' })).dataSync()[0]).toBe(fast);
    }
  });

  it('gradients use the fast forward output: d/dx sigmoid = s(1 - s), d/dx tanh = 1 - t², d/dx exp = e^x', () => {
    const x = tensor([-3, -0.5, 0, 0.5, 2], { dtype: 'float32', requiresGrad: true });
    x.sigmoid().sum().backward();
    const gs = x.grad!.dataSync();
    [-3, -0.5, 0, 0.5, 2].forEach((v, i) => {
      const s = 1 / (1 + Math.exp(-v));
      expect(gs[i]).toBeCloseTo(s * (1 - s), 6);
    });
    x.grad = null;
    x.tanh().sum().backward();
    const gt = x.grad!.dataSync();
    [-3, -0.5, 0, 0.5, 2].forEach((v, i) => expect(gt[i]).toBeCloseTo(1 - Math.tanh(v) ** 2, 6));
    x.grad = null;
    x.exp().sum().backward();
    const ge = x.grad!.dataSync();
    [-3, -0.5, 0, 0.5, 2].forEach((v, i) => expect(ge[i]! / Math.exp(v)).toBeCloseTo(1, 6));
  });
});

describe('reluF32 (branch-free, on the IEEE bits)', () => {
  /** max(x, 0) with relu(-0) = +0 and NaN kept, the float64 way. */
  const ref = (x: number): number => (x !== x ? NaN : x > 0 ? x : 0);
  const same = (a: number, b: number): boolean => Object.is(a, b) || (a !== a && b !== b);

  it('edge values: ±0, subnormals, ±Inf, NaN with either sign bit', () => {
    const a = Float32Array.from([...EDGES, NaN, NaN]);
    const u = new Uint32Array(a.buffer);
    u[a.length - 2] = 0xffc00000; // negative quiet NaN (what x86 produces for 0/0)
    u[a.length - 1] = 0xff800001; // negative signalling-pattern NaN
    const out = new Float32Array(a.length);
    reluF32(out, a, a.length);
    for (let i = 0; i < a.length; i++) expect(same(out[i]!, ref(a[i]!)), `relu(${a[i]}) = ${out[i]}`).toBe(true);
    expect(Object.is(out[EDGES.indexOf(-0)], 0)).toBe(true);
  });

  it('random float32 inputs (fast-check, all bit patterns) at offsets and in place', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 64 }),
        fc.nat(4),
        fc.nat(4),
        (words, aOff, outOff) => {
          const a = new Float32Array(aOff + words.length);
          new Int32Array(a.buffer).set(words, aOff);
          const out = new Float32Array(outOff + words.length).fill(7);
          reluF32(out, a, words.length, aOff, outOff);
          for (let i = 0; i < outOff; i++) if (out[i] !== 7) return false;
          for (let i = 0; i < words.length; i++) if (!same(out[outOff + i]!, ref(a[aOff + i]!))) return false;
          const inPlace = a.slice(aOff);
          reluF32(inPlace, inPlace, words.length);
          for (let i = 0; i < words.length; i++) if (!same(inPlace[i]!, out[outOff + i]!)) return false;
          return true;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('the relu primitive: float32 contiguous (kernel), strided, int32 keep PyTorch values and dtypes', () => {
    const xs = [-Infinity, -3, -0, 0, 2.5, Infinity, NaN];
    const y = tensor(xs, { dtype: 'float32' }).relu();
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 0, 2.5, Infinity, NaN]);
    expect(Object.is(y.dataSync()[2], 0)).toBe(true);
    const strided = tensor(
      [
        [-1, 2],
        [3, -4],
      ],
      { dtype: 'float32' },
    ).T.relu();
    expect(Array.from(strided.dataSync())).toEqual([0, 3, 2, 0]);
    const yi = tensor([-2, 0, 5], { dtype: 'int32' }).relu();
    expect(yi.dtype).toBe('int32');
    expect(Array.from(yi.dataSync())).toEqual([0, 0, 5]);
    const x = tensor([-1, 0.5, 2], { dtype: 'float32', requiresGrad: true });
    x.relu().sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([0, 1, 1]);
  });
});
