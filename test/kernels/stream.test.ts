import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  binaryEntry,
  setKernelBackend,
  STREAM_MIN_BINARY,
  STREAM_MIN_UNARY as STREAM_MIN,
  unaryEntry,
  unaryF32,
  type DenseView,
  type UnaryF32,
} from '../../src/kernels/runtime/index.js';
import { CHUNK, streamAvailable, streamBinary, streamScalar, streamUnary, type StreamBinary } from '../../src/kernels/wasm/stream.js';
import { tensor, type Tensor } from '../../src/index.js';
import { ulps } from './ulp.js';

type Kernel = (out: Float32Array, a: Float32Array, n: number, aOff?: number, outOff?: number) => void;

/** The runtime's whole-array entry for `op` (wasm from STREAM_MIN elements under 'auto', JS under 'js'). */
const entry =
  (op: UnaryF32): Kernel =>
  (out, a, n, aOff, outOff) =>
    unaryF32(op, out, a, n, aOff, outOff);
const expF32 = entry('exp');
const sigmoidF32 = entry('sigmoid');
const tanhF32 = entry('tanh');
const reluF32 = entry('relu');

/** A contiguous float32 operand of the runtime's entries. */
const view = (data: Float32Array, shape: number[] = [data.length]): DenseView => ({
  dtype: 'float32',
  shape,
  ndim: shape.length,
  _numel: data.length,
  _offset: 0,
  _contiguous: true,
  _storage: { data },
});

/** Same value, same sign of zero, or both NaN. */
const same = (a: number, b: number): boolean => Object.is(a, b) || (a !== a && b !== b);

/** float64 references rounded once to float32 (independent of src/). */
const UNARY: Record<'exp' | 'sigmoid' | 'tanh', { kernel: Kernel; ref: (x: number) => number }> = {
  exp: { kernel: expF32, ref: (x) => Math.fround(Math.exp(x)) },
  sigmoid: { kernel: sigmoidF32, ref: (x) => Math.fround(1 / (1 + Math.exp(-x))) },
  tanh: { kernel: tanhF32, ref: (x) => Math.fround(Math.tanh(x)) },
};

const MIN_SUB = 1.401298464324817e-45;
const MAX = 3.4028234663852886e38;
const EDGES = [
  0,
  -0,
  MIN_SUB,
  -MIN_SUB,
  1.1754942106924411e-38,
  -1.1754943508222875e-38,
  1e-30,
  -1e-30,
  1e-8,
  -1e-8,
  0.5,
  -0.5,
  1,
  -1,
  0.3465735902799727,
  -0.3465735902799727,
  0.34657359,
  9,
  -9,
  20,
  -20,
  40,
  -40,
  87.33,
  -87.33,
  87.34,
  -87.34,
  88.37,
  88.376,
  88.38,
  88.72,
  88.7228,
  88.72283,
  88.72284,
  88.7229,
  89,
  -89,
  100,
  -100,
  103.97,
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

/** `xs` padded with copies of itself to at least `n` elements, so the wasm path takes it. */
function padded(xs: readonly number[], n = STREAM_MIN): Float32Array {
  const a = new Float32Array(Math.max(n, xs.length));
  for (let i = 0; i < a.length; i++) a[i] = xs[i % xs.length]!;
  return a;
}

/** Every `step`-th float32 bit pattern. */
function sweep(step: number): Float32Array {
  const n = Math.floor(2 ** 32 / step);
  const a = new Float32Array(n);
  const u = new Uint32Array(a.buffer);
  for (let i = 0; i < n; i++) u[i] = i * step;
  return a;
}

afterEach(() => setKernelBackend('auto'));

describe('stream kernels: availability and the JS switch', () => {
  it('WebAssembly SIMD is available here; under the "js" backend the runtime entries never call the wasm kernels', () => {
    expect(streamAvailable()).toBe(true);
    const out = new Float32Array(4).fill(7);
    expect(streamUnary('exp', out, new Float32Array(4), 4, 0, 0)).toBe(true);
    expect(Array.from(out)).toEqual([1, 1, 1, 1]);
    const n = 2 * STREAM_MIN_BINARY;
    const add = binaryEntry('add')!;
    expect(add(view(new Float32Array(n).fill(1)), view(new Float32Array(n).fill(2)))).toEqual(new Float32Array(n).fill(3));
    expect(add(view(new Float32Array(n)), view(new Float32Array([2]), []))).toEqual(new Float32Array(n).fill(2));
    expect(binaryEntry('pow')).toBeNull();
    setKernelBackend('js');
    expect(add(view(new Float32Array(n)), view(new Float32Array(n)))).toBeNull();
    expect(add(view(new Float32Array(n)), view(new Float32Array([2]), []))).toBeNull();
    // The unary entry still gives the output (the JS loop's) under 'js'.
    expect(unaryEntry('exp')(view(new Float32Array(n)))).toEqual(new Float32Array(n).fill(1));
  });
});

describe('stream kernels: exp, sigmoid, tanh within 1 ulp of the float64 reference', () => {
  const sweepInputs = sweep(997);
  for (const [name, { kernel, ref }] of Object.entries(UNARY)) {
    it(`${name}: every 997th float32 bit pattern, wasm and JS paths, each ≤ 1 ulp; the two paths differ (the wasm one ran)`, () => {
      const n = sweepInputs.length;
      const wasm = new Float32Array(n);
      kernel(wasm, sweepInputs, n);
      setKernelBackend('js');
      const js = new Float32Array(n);
      kernel(js, sweepInputs, n);
      let worstWasm = 0;
      let worstJs = 0;
      let differ = 0;
      for (let i = 0; i < n; i++) {
        const r = ref(sweepInputs[i]!);
        worstWasm = Math.max(worstWasm, ulps(wasm[i]!, r));
        worstJs = Math.max(worstJs, ulps(js[i]!, r));
        if (!same(wasm[i]!, js[i]!)) differ++;
      }
      expect(worstWasm).toBeLessThanOrEqual(1);
      expect(worstJs).toBeLessThanOrEqual(1);
      expect(differ).toBeGreaterThan(0);
    });

    it(`${name}: dense sweep of [-30, 30] and log-spaced |x| in [1e-40, 1] ≤ 1 ulp (wasm)`, () => {
      const xs: number[] = [];
      for (let i = 0; i <= 300_000; i++) xs.push(-30 + (60 * i) / 300_000);
      for (let e = -40; e <= 0; e += 0.005) xs.push(10 ** e, -(10 ** e));
      const a = Float32Array.from(xs);
      const out = new Float32Array(a.length);
      kernel(out, a, a.length);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, ulps(out[i]!, ref(a[i]!)));
      expect(worst).toBeLessThanOrEqual(1);
    });

    it(`${name}: edge values (±0, subnormals, overflow/underflow points, ±Inf, NaN) ≤ 1 ulp (wasm)`, () => {
      const a = padded(EDGES);
      const out = new Float32Array(a.length);
      kernel(out, a, a.length);
      for (let i = 0; i < EDGES.length; i++) {
        expect(ulps(out[i]!, ref(a[i]!)), `${name}(${a[i]}) = ${out[i]}, reference ${ref(a[i]!)}`).toBeLessThanOrEqual(1);
      }
    });
  }

  it('exact special values on the wasm path: subnormal results, saturation, signed zeros, NaN', () => {
    const run = (k: Kernel, xs: number[]): Float32Array => {
      const a = padded(xs);
      const out = new Float32Array(a.length);
      k(out, a, a.length);
      return out.subarray(0, xs.length);
    };
    const e = run(expF32, [0, -0, 88.8, 1000, Infinity, -104, -1000, -Infinity, NaN, -100, 1]);
    expect(Array.from(e.subarray(0, 8))).toEqual([1, 1, Infinity, Infinity, Infinity, 0, 0, 0]);
    expect(e[8]).toBeNaN();
    // e^-100 = 3.720075976020836e-44 = 26.55 · 2^-149: the subnormal 27 · 2^-149, rounded once.
    expect(e[9]).toBe(27 * MIN_SUB);
    expect(e[10]).toBe(Math.fround(Math.E));
    const s = run(sigmoidF32, [0, -0, 20, 200, Infinity, -200, -Infinity, NaN, -100, 2]);
    expect(Array.from(s.subarray(0, 7))).toEqual([0.5, 0.5, 1, 1, 1, 0, 0]);
    expect(s[7]).toBeNaN();
    expect(s[8]).toBe(27 * MIN_SUB);
    // sigmoid(2) = 0.8807970779778823
    expect(s[9]).toBe(Math.fround(0.8807970779778823));
    const t = run(tanhF32, [0, -0, MIN_SUB, -MIN_SUB, 1e-20, 30, -30, Infinity, -Infinity, NaN, 0.5]);
    expect(Object.is(t[0], 0)).toBe(true);
    expect(Object.is(t[1], -0)).toBe(true);
    expect(Array.from(t.subarray(2, 9))).toEqual([MIN_SUB, -MIN_SUB, Math.fround(1e-20), 1, -1, 1, -1]);
    expect(t[9]).toBeNaN();
    // tanh(0.5) = 0.46211715726000974
    expect(t[10]).toBe(Math.fround(0.46211715726000974));
  });

  it('chunking: lengths around the chunk size, offsets, in place; nothing outside [outOff, outOff + n) is written', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(STREAM_MIN, STREAM_MIN + 1, STREAM_MIN + 3, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5),
        fc.nat(7),
        fc.nat(7),
        fc.constantFrom<keyof typeof UNARY>('exp', 'sigmoid', 'tanh'),
        fc.integer({ min: 1, max: 1 << 30 }),
        (n, aOff, outOff, name, seed) => {
          const { kernel, ref } = UNARY[name];
          let s = seed;
          const a = new Float32Array(aOff + n);
          for (let i = 0; i < a.length; i++) {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            a[i] = (s / 2 ** 32) * 60 - 30;
          }
          const out = new Float32Array(outOff + n + 3).fill(7);
          kernel(out, a, n, aOff, outOff);
          for (let i = 0; i < outOff; i++) if (out[i] !== 7) return false;
          for (let i = outOff + n; i < out.length; i++) if (out[i] !== 7) return false;
          for (let i = 0; i < n; i++) if (ulps(out[outOff + i]!, ref(a[aOff + i]!)) > 1) return false;
          const inPlace = a.slice(aOff);
          kernel(inPlace, inPlace, n);
          for (let i = 0; i < n; i++) if (!same(inPlace[i]!, out[outOff + i]!)) return false;
          return true;
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe('stream kernels: relu and the binary ops are bit-identical to the JS loops', () => {
  /** Random float32 bit patterns: every class (NaNs of both signs, ±Inf, subnormals, ±0). */
  const words = (min: number) => fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: min, maxLength: min + 300 });
  const fromWords = (w: number[]): Float32Array => new Float32Array(Int32Array.from(w).buffer);
  const JS: Record<StreamBinary, (x: number, y: number) => number> = {
    add: (x, y) => x + y,
    sub: (x, y) => x - y,
    mul: (x, y) => x * y,
    div: (x, y) => x / y,
  };

  it('relu: every bit pattern class, relu(-0) = +0, NaN (either sign) kept, same as the JS loop', () => {
    fc.assert(
      fc.property(words(STREAM_MIN), (w) => {
        const a = fromWords(w);
        const out = new Float32Array(a.length);
        reluF32(out, a, a.length);
        for (let i = 0; i < a.length; i++) {
          const x = a[i]!;
          const expected = x !== x ? x : x > 0 ? x : 0;
          if (!same(out[i]!, expected)) return false;
        }
        return true;
      }),
      { seed: 42, numRuns: 100 },
    );
    const a = padded([-0, -1, NaN, -Infinity]);
    new Uint32Array(a.buffer)[2] = 0xffc00000; // negative quiet NaN
    const out = new Float32Array(a.length);
    reluF32(out, a, a.length);
    expect(Object.is(out[0], 0)).toBe(true);
    expect(out[2]).toBeNaN();
    expect(out[3]).toBe(0);
  });

  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    it(`${op}: one f32x4 operation equals the float64 operation rounded to float32, for two arrays and a scalar on either side`, () => {
      fc.assert(
        fc.property(words(1), fc.integer(), fc.nat(3), fc.nat(3), (w, sWord, aOff, outOff) => {
          const n = w.length;
          const a = new Float32Array(aOff + n);
          a.set(fromWords(w), aOff);
          const b = fromWords(w.map((x, i) => Math.imul(x ^ i, 0x9e3779b1)));
          const s = fromWords([sWord])[0]!;
          const out = new Float32Array(outOff + n).fill(7);
          expect(streamBinary(op, out, a, aOff, b, 0, n, outOff)).toBe(true);
          for (let i = 0; i < outOff; i++) if (out[i] !== 7) return false;
          for (let i = 0; i < n; i++) if (!same(out[outOff + i]!, Math.fround(JS[op](a[aOff + i]!, b[i]!)))) return false;
          for (const scalarFirst of [false, true]) {
            streamScalar(op, out, a, aOff, s, scalarFirst, n, outOff);
            for (let i = 0; i < n; i++) {
              const x = a[aOff + i]!;
              if (!same(out[outOff + i]!, Math.fround(scalarFirst ? JS[op](s, x) : JS[op](x, s)))) return false;
            }
          }
          return true;
        }),
        { seed: 42, numRuns: 200 },
      );
    });
  }

  it('hand-checked: 0.1 + 0.2 = 0.3 in float32 (0.30000001192092896), 1 / 3, 2 · MAX = Infinity, MIN_SUB / 2 = 0', () => {
    const a = padded([0.1, 1, MAX, MIN_SUB], STREAM_MIN_BINARY);
    const b = padded([0.2, 3, 0.5, 2], STREAM_MIN_BINARY);
    const out = new Float32Array(a.length);
    streamBinary('add', out, a, 0, b, 0, 1, 0);
    expect(out[0]).toBe(0.30000001192092896);
    streamBinary('div', out, a, 0, b, 0, 4, 0);
    expect(out[1]).toBe(0.3333333432674408);
    expect(out[2]).toBe(Infinity); // MAX / 0.5 overflows float32
    expect(out[3]).toBe(0); // 2^-150 ties to even: 0
    streamScalar('mul', out, a, 0, 2, false, 4, 0);
    expect(out[2]).toBe(Infinity);
  });
});

describe('stream kernels through the tensor ops: same values as the JS loops', () => {
  const n = 3 * STREAM_MIN_BINARY + 1;
  const xs = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 40 + (i % 7 === 0 ? 1e-40 : 0));
  const ys = Array.from({ length: n }, (_, i) => Math.cos(i * 0.3) * 3 + (i % 11 === 0 ? 0 : 0.25));
  const both = (f: () => Tensor): { wasm: Float32Array; js: Float32Array } => {
    const wasm = f().dataSync() as Float32Array;
    setKernelBackend('js');
    const js = f().dataSync() as Float32Array;
    setKernelBackend('auto');
    return { wasm, js };
  };

  it('add/sub/mul/div: equal shapes, a JS number on either side, a 0-d tensor, an offset view: bit-identical', () => {
    const x = tensor(xs, { dtype: 'float32' });
    const y = tensor(ys, { dtype: 'float32' });
    const big = tensor([...xs, ...xs], { dtype: 'float32' });
    const cases: Array<() => Tensor> = [
      () => x.add(y),
      () => x.sub(y),
      () => x.mul(y),
      () => x.div(y),
      () => x.add(0.1),
      () => x.sub(0.1),
      () => x.mul(3),
      () => x.div(7),
      () => tensor(0.1, { dtype: 'float32' }).sub(x),
      () => tensor(2, { dtype: 'float32' }).div(x),
      () => big.narrow(0, 5, n).mul(y),
      () => x.reshape([1, n]).add(tensor([[0.5]], { dtype: 'float32' })),
    ];
    for (const c of cases) {
      const { wasm, js } = both(c);
      expect(wasm.length).toBe(n);
      for (let i = 0; i < n; i++) expect(same(wasm[i]!, js[i]!), `element ${i}: ${wasm[i]} vs ${js[i]}`).toBe(true);
    }
    // Hand-checked elements: x[0] = 0 + 1e-40 (subnormal in float32), y[0] = 3.
    expect(x.add(y).dataSync()[0]).toBe(3);
    expect(x.mul(3).dataSync()[1]).toBe(Math.fround(Math.fround(Math.sin(1.7) * 40) * 3));
  });

  it('shapes and dtypes the kernels do not take keep the loop: broadcast rows, strided views, float64, mixed dtypes', () => {
    const x = tensor([xs.slice(0, 150), xs.slice(150, 300)], { dtype: 'float32' });
    const row = tensor(ys.slice(0, 150), { dtype: 'float32' });
    const r = x.add(row).dataSync();
    expect(r[200]).toBe(Math.fround(Math.fround(xs[200]!) + Math.fround(ys[50]!)));
    const t = x.T.mul(2).dataSync();
    expect(t[1]).toBe(Math.fround(Math.fround(xs[150]!) * 2));
    const d = tensor(xs, { dtype: 'float64' }).div(3);
    expect(d.dtype).toBe('float64');
    expect(d.dataSync()[5]).toBe(xs[5]! / 3);
    // A float64 0-d tensor next to float32 data gives float32 (PyTorch), computed from the float64 value.
    const m = tensor(xs, { dtype: 'float32' }).add(tensor(0.1, { dtype: 'float64' }));
    expect(m.dtype).toBe('float32');
    expect(m.dataSync()[3]).toBe(Math.fround(Math.fround(xs[3]!) + 0.1));
  });

  it('exp, sigmoid, tanh, relu tensor ops of a large float32 tensor are within 1 ulp of the reference; gradients flow', () => {
    const x = tensor(xs, { dtype: 'float32', requiresGrad: true });
    for (const [name, f] of [
      ['exp', (t: Tensor) => t.exp()],
      ['sigmoid', (t: Tensor) => t.sigmoid()],
      ['tanh', (t: Tensor) => t.tanh()],
    ] as const) {
      const got = f(x).dataSync();
      for (let i = 0; i < n; i++) expect(ulps(got[i]!, UNARY[name].ref(Math.fround(xs[i]!)))).toBeLessThanOrEqual(1);
    }
    x.sigmoid().sum().backward();
    const g = x.grad!.dataSync();
    for (const i of [0, 1, 50, n - 1]) {
      const s = 1 / (1 + Math.exp(-Math.fround(xs[i]!)));
      expect(g[i]).toBeCloseTo(s * (1 - s), 6);
    }
    const relu = x.relu().dataSync();
    for (let i = 0; i < n; i++) expect(relu[i]).toBe(Math.max(Math.fround(xs[i]!), 0));
  });
});
