/**
 * The kernel runtime's own contracts (src/kernels/runtime), checked where a slip would pick the
 * wrong kernel, compute nothing, rebuild or leak an instance, or accept a bad setting: the
 * allocator per storage type, the GEMM entry's result on each backend, the instances made once
 * and dropped (and closed) on a thread change, the optimizer entries' answer and effect, the
 * thread setting's checks and start value, and the thread policy's medians and ties.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  _simulateOptimWasmUnavailable,
  adamUpdateKernel,
  allocArray,
  gemm,
  GEMM_WASM_MIN_WORK,
  getKernelThreads,
  MAX_THREADS,
  OPTIM_CHUNK,
  OPTIM_WASM_MIN,
  OPTIM_WASM_MIN_SGD,
  rmspropUpdateKernel,
  setKernelBackend,
  setKernelThreads,
  sgdUpdateKernel,
  threadedGemm,
} from '../../src/kernels/runtime/index.js';
import { gemmInstance, optimInstance, streamInstance } from '../../src/kernels/runtime/instances.js';
import { defaultThreads } from '../../src/kernels/runtime/settings.js';
import { MIN_BACKOFF, ThreadPolicy } from '../../src/kernels/runtime/thread-policy.js';
import { CTRL_BYTES } from '../../src/kernels/threads/pool.js';
import { cachedModule, moduleCacheCounts } from '../../src/kernels/wasm/module-cache.js';
import { adamF32Wasm, rmspropF32Wasm, sgdF32Wasm } from '../../src/kernels/wasm/optim-stream.js';

afterEach(() => setKernelBackend('auto'));

describe('allocArray', () => {
  it('gives a zero-filled array of the storage type, for every type', () => {
    const cases = [
      ['float32', Float32Array],
      ['float64', Float64Array],
      ['int32', Int32Array],
      ['bool', Uint8Array],
    ] as const;
    for (const [type, Ctor] of cases) {
      const a = allocArray(type, 5);
      expect(a, type).toBeInstanceOf(Ctor);
      expect(a.length).toBe(5);
      expect(Array.from(a)).toEqual([0, 0, 0, 0, 0]);
    }
  });
});

describe('the GEMM entry', () => {
  /** [m×k]·[k×n] of small integers, by the definition. */
  const naive = (m: number, n: number, k: number, a: Float32Array, b: Float32Array): number[] => {
    const c: number[] = [];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
        c.push(s);
      }
    return c;
  };

  it('computes the product on every backend, below and above the wasm crossover', () => {
    for (const side of [2, 9]) {
      expect(side ** 3 < GEMM_WASM_MIN_WORK).toBe(side === 2);
      const a = Float32Array.from({ length: side * side }, (_, i) => (i % 5) - 2);
      const b = Float32Array.from({ length: side * side }, (_, i) => (i % 3) - 1);
      const want = naive(side, side, side, a, b);
      for (const backend of ['auto', 'js', 'wasm'] as const) {
        setKernelBackend(backend);
        const c = new Float32Array(side * side);
        gemm(false, false, side, side, side, a, 0, b, 0, c, 0, false);
        expect(Array.from(c), `${backend} ${side}`).toEqual(want);
      }
    }
  });
});

describe('the runtime instances', () => {
  // First in this file to make the streaming instance.
  it('the streaming instance runs the prebuilt module, compiled for its private memory, and computes', () => {
    const generated = moduleCacheCounts.generated;
    const s = streamInstance()!;
    expect(moduleCacheCounts.generated).toBe(generated);
    const compiled = moduleCacheCounts.compiled;
    cachedModule('stream', {}, { initial: 1 }, () => {
      throw new Error('generated again');
    });
    expect(moduleCacheCounts.compiled).toBe(compiled);
    // 1.5 + 2.25 over one chunk (the kernel works on the private memory's first pages).
    const n = 1024;
    s.f32.fill(1.5, 0, n);
    s.f32.fill(2.25, n, 2 * n);
    s.fns.add!(0, 4 * n, 8 * n, 4 * n);
    expect(Array.from(s.f32.subarray(2 * n, 3 * n))).toEqual(Array<number>(n).fill(3.75));
  });

  it('are made once and handed out again', () => {
    expect(gemmInstance()).not.toBeNull();
    expect(gemmInstance()).toBe(gemmInstance());
    expect(streamInstance()).not.toBeNull();
    expect(streamInstance()).toBe(streamInstance());
    expect(optimInstance()).not.toBeNull();
    expect(optimInstance()).toBe(optimInstance());
  });

  it('a thread change drops the GEMM instance and stops its workers; the same count keeps it', () => {
    const before = getKernelThreads();
    try {
      setKernelThreads(2);
      const two = threadedGemm()!;
      expect(two.threads).toBe(2);
      setKernelThreads(2);
      expect(threadedGemm()).toBe(two);
      // Start its worker pool (what a split product or elementwise kernel does).
      expect(two.sharedStream(CTRL_BYTES + 64)).not.toBeNull();
      expect((two as unknown as { pool: unknown }).pool).not.toBeNull();
      setKernelThreads(3);
      expect((two as unknown as { pool: unknown }).pool).toBeNull();
      const three = threadedGemm()!;
      expect(three).not.toBe(two);
      expect(three.threads).toBe(3);
      expect(gemmInstance()).toBe(three);
    } finally {
      setKernelThreads(before);
    }
  });
});

describe('the optimizer entries', () => {
  const adamScalars = { b1: 0.9, b2: 0.999, eps: 1e-8, sign: 1, decay: 1, wd: 0, stepSize: 0.5, bc2Sqrt: 1 };
  const rmsScalars = { alpha: 0.99, eps: 1e-8, wd: 0, sign: 1, lr: 0.5, mu: 0 };

  /** Runs `update` on a parameter of `n` ones with gradient ones; its answer and the parameter after. */
  const run = (
    n: number,
    T: typeof Float32Array | typeof Float64Array,
    update: (p: Float32Array | Float64Array, g: Float32Array | Float64Array) => boolean,
  ): [boolean, Float32Array | Float64Array] => {
    const p = new T(n).fill(1);
    const did = update(p, new T(n).fill(1));
    return [did, p];
  };
  const adam = (p: Float32Array | Float64Array, g: Float32Array | Float64Array): boolean =>
    adamUpdateKernel(p, g, new Float32Array(p.length), new Float32Array(p.length), null, adamScalars);
  const rms = (p: Float32Array | Float64Array, g: Float32Array | Float64Array): boolean =>
    rmspropUpdateKernel(p, g, new Float32Array(p.length), null, null, rmsScalars);
  const sgd =
    (first: boolean) =>
    (p: Float32Array | Float64Array, g: Float32Array | Float64Array): boolean =>
      sgdUpdateKernel(p, g, null, first, false, 1, 0, 0.5, 0, 1);

  it('a fresh optimizer module streams every region right over several chunks (SGD with momentum, exact)', () => {
    // Made again inside this test, so that its construction is checked here.
    _simulateOptimWasmUnavailable(true);
    _simulateOptimWasmUnavailable(false);
    const n = 2 * OPTIM_CHUNK + 5;
    const p = Float32Array.from({ length: n }, (_, i) => i % 7);
    const g = Float32Array.from({ length: n }, (_, i) => (i % 3) - 1);
    const buf = Float32Array.from({ length: n }, (_, i) => i % 5);
    // b ← 0.5·b + g; p ← p − 0.25·b: small multiples of 1/8, exact in float32.
    const wantB = Array.from(buf, (b, i) => 0.5 * b + g[i]!);
    const wantP = Array.from(p, (x, i) => x - 0.25 * wantB[i]!);
    expect(sgdUpdateKernel(p, g, buf, false, false, 1, 0, 0.25, 0.5, 1)).toBe(true);
    expect(Array.from(buf)).toEqual(wantB);
    expect(Array.from(p)).toEqual(wantP);
  });

  it("RMSprop and SGD take the variant their buffers ask for, whatever the module's state and mu", () => {
    const n = 300;
    const g = Float32Array.from({ length: n }, (_, i) => ((i % 7) - 3) / 4);
    const fill = (v: number): Float32Array => new Float32Array(n).fill(v);
    // A centered update with momentum first leaves the module's average and momentum regions nonzero.
    rmspropUpdateKernel(fill(1), g, fill(1), fill(0.5), fill(2), { ...rmsScalars, mu: 0.9 });
    const close = (got: Float32Array, want: number[]): void => {
      for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - want[i]!), String(i)).toBeLessThan(1e-6);
    };
    // Plain RMSprop (mu has no buffer to act on): v = α·v + (1 − α)·g²; p −= lr·g / (√v + ε).
    const p = fill(1);
    expect(rmspropUpdateKernel(p, g, fill(0.25), null, null, { ...rmsScalars, mu: 0.9 })).toBe(true);
    close(
      p,
      Array.from(g, (gi) => 1 - (0.5 * gi) / (Math.sqrt(0.99 * 0.25 + 0.01 * gi * gi) + 1e-8)),
    );
    // Centered, no momentum: a = α·a + (1 − α)·g; p −= lr·g / (√(v − a²) + ε).
    const pc = fill(1);
    expect(rmspropUpdateKernel(pc, g, fill(0.25), fill(0.1), null, { ...rmsScalars, mu: 0.9 })).toBe(true);
    close(
      pc,
      Array.from(g, (gi) => {
        const v = 0.99 * 0.25 + 0.01 * gi * gi;
        const a = 0.99 * 0.1 + 0.01 * gi;
        return 1 - (0.5 * gi) / (Math.sqrt(v - a * a) + 1e-8);
      }),
    );
    // SGD with momentum 0.5 first (the momentum region holds b), then plain SGD with mu 0.5: p − lr·g.
    sgdUpdateKernel(fill(1), g, fill(1), false, false, 1, 0, 0.25, 0.5, 1);
    const plain = fill(1);
    expect(sgdUpdateKernel(plain, g, null, false, false, 1, 0, 0.25, 0.5, 1)).toBe(true);
    expect(Array.from(plain)).toEqual(Array.from(g, (gi) => 1 - 0.25 * gi));
    // Nesterov: b = μ·b + g; p −= lr·(g + μ·b) (multiples of 1/32: exact).
    const pn = fill(1);
    const bn = fill(1);
    expect(sgdUpdateKernel(pn, g, bn, false, true, 1, 0, 0.25, 0.5, 1)).toBe(true);
    expect(Array.from(bn)).toEqual(Array.from(g, (gi) => 0.5 + gi));
    expect(Array.from(pn)).toEqual(Array.from(g, (gi) => 1 - 0.25 * (gi + 0.5 * (0.5 + gi))));
  });

  it('the wasm updates do nothing and return false without the module', () => {
    _simulateOptimWasmUnavailable(true);
    try {
      const p = new Float32Array(8).fill(1);
      const g = new Float32Array(8).fill(1);
      expect(adamF32Wasm(p, g, new Float32Array(8), new Float32Array(8), null, adamScalars)).toBe(false);
      expect(rmspropF32Wasm(p, g, new Float32Array(8), null, null, rmsScalars)).toBe(false);
      expect(sgdF32Wasm(p, g, null, false, 1, 0, 0.5, 0, 1)).toBe(false);
      expect(Array.from(p)).toEqual(Array<number>(8).fill(1));
    } finally {
      _simulateOptimWasmUnavailable(false);
    }
  });

  it('update a float32 parameter from their threshold under auto (p moves against the gradient)', () => {
    for (const [name, fn, min] of [
      ['adam', adam, OPTIM_WASM_MIN],
      ['rmsprop', rms, OPTIM_WASM_MIN],
      ['sgd', sgd(false), OPTIM_WASM_MIN_SGD],
    ] as const) {
      const [did, p] = run(min, Float32Array, fn);
      expect(did, name).toBe(true);
      expect(p[0]! < 1 && p[min - 1]! < 1, name).toBe(true);
      // SGD: p − lr·g, exactly.
      if (name === 'sgd') expect(Array.from(p)).toEqual(Array<number>(min).fill(0.5));
      const [didSmall, small] = run(min - 1, Float32Array, fn);
      expect(didSmall, name).toBe(false);
      expect(Array.from(small)).toEqual(Array<number>(min - 1).fill(1));
    }
  });

  it('leave float64, the js backend and the momentum buffer’s first step to the JS loop, doing nothing', () => {
    for (const [name, fn] of [
      ['adam', adam],
      ['rmsprop', rms],
      ['sgd', sgd(false)],
    ] as const) {
      const [did64, p64] = run(1024, Float64Array, fn);
      expect(did64, name).toBe(false);
      expect(Array.from(p64)).toEqual(Array<number>(1024).fill(1));
      setKernelBackend('js');
      const [didJs, pJs] = run(1024, Float32Array, fn);
      expect(didJs, name).toBe(false);
      expect(Array.from(pJs)).toEqual(Array<number>(1024).fill(1));
      setKernelBackend('wasm');
      expect(run(1, Float32Array, fn)[0], name).toBe(true);
      setKernelBackend('auto');
    }
    const [didFirst, pFirst] = run(1024, Float32Array, sgd(true));
    expect(didFirst).toBe(false);
    expect(pFirst[0]).toBe(1);
  });
});

describe('the thread setting', () => {
  it('rejects a non-number (TypeError), non-integers and values outside 1..MAX_THREADS (RangeError)', () => {
    const before = getKernelThreads();
    expect(() => setKernelThreads('2' as unknown as number)).toThrow(TypeError);
    expect(() => setKernelThreads('2' as unknown as number)).toThrow(/setNumThreads: .*got string/);
    for (const bad of [0, -1, 1.5, NaN, MAX_THREADS + 1]) {
      expect(() => setKernelThreads(bad), String(bad)).toThrow(RangeError);
      expect(() => setKernelThreads(bad), String(bad)).toThrow(`setNumThreads: n must be an integer from 1 to ${MAX_THREADS}, got ${bad}`);
    }
    expect(getKernelThreads()).toBe(before);
    try {
      setKernelThreads(MAX_THREADS);
      expect(getKernelThreads()).toBe(MAX_THREADS);
      setKernelThreads(1);
      expect(getKernelThreads()).toBe(1);
    } finally {
      setKernelThreads(before);
    }
  });

  it('starts from TAPEGRAD_NUM_THREADS when it is an integer from 1 (capped), else from the cores (capped at 8)', () => {
    expect(defaultThreads('1', 16)).toBe(1);
    expect(defaultThreads('3', 2)).toBe(3);
    expect(defaultThreads(String(MAX_THREADS + 5), 2)).toBe(MAX_THREADS);
    for (const ignored of [undefined, '', '0', '-2', '2.5', 'four']) expect(defaultThreads(ignored, 3), String(ignored)).toBe(3);
    expect(defaultThreads(undefined, 16)).toBe(8);
    expect(defaultThreads(undefined, 8)).toBe(8);
    expect(defaultThreads(undefined, 1)).toBe(1);
    expect(defaultThreads(undefined, 0)).toBe(1);
  });
});

describe('the thread policy: medians of the last WINDOW samples, ties', () => {
  /** A policy whose one-thread median is `single`; then the split costs, each recorded as paying workers. */
  const policy = (single: number[], splits: number[]): ThreadPolicy => {
    const p = new ThreadPolicy();
    for (const s of single) p.recordSingle(s);
    for (const c of splits) p.record({ units: 64, workerUnits: 32, parts: 2, cost: c });
    return p;
  };

  it('a split as fast as one thread pays off (a tie is not slower)', () => {
    const p = policy([2], [2]);
    expect(p.fallingBack).toBe(false);
    expect(p.paidOff).toBe(1);
  });

  it('compares numbers, not their text: median of 3, 10, 20 is 10', () => {
    // 10 < 15: pays off ("20" would be the median of the strings).
    expect(policy([15], [3, 10, 20]).fallingBack).toBe(false);
    // 10 > 9: slower ("10" < "9" as strings).
    expect(policy([9], [3, 10, 20]).fallingBack).toBe(true);
  });

  it('keeps the last three samples in time order (the median does not reorder the window)', () => {
    // Splits 5, 1, 9 (medians 5, 5, 5 > 3: slower), then 2: the last three are 1, 9, 2 (median
    // 2 < 3: pays off). A window sorted in place would drop the 1 instead and keep 5, 9, 2
    // (median 5: slower).
    expect(policy([3], [5, 1, 9, 2]).paidOff).toBe(1);
    // Splits 1, 1, 5: the medians are 1, 1, 1 (< 3: each pays off); a window of two would say 5
    // at the third.
    expect(policy([3], [1, 1, 5]).paidOff).toBe(3);
    // Fewer samples than WINDOW: the median of the ones there are (one-thread 5 and 1: 5 > 3, so a
    // split at 3 pays off; a split at 6 does not).
    expect(policy([5, 1], [3]).paidOff).toBe(1);
    expect(policy([5, 1], [6]).paidOff).toBe(0);
    expect(policy([1, 5], [3]).paidOff).toBe(1);
    // One-thread samples 9, 1, 1 then 6: the last three are 1, 1, 6 (median 1 < 4: slower).
    const q = policy([9, 1, 1, 6], [4]);
    expect(q.fallingBack).toBe(true);
    let kept = 0;
    while (!q.shouldSplit()) kept++;
    expect(kept).toBe(MIN_BACKOFF);
  });
});
