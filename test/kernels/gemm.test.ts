import { afterAll, describe, expect, it, afterEach } from 'vitest';
import fc from 'fast-check';
import {
  gemm,
  GEMM_MIN_WORK_PER_THREAD as MIN_WORK_PER_THREAD,
  getKernelBackend,
  getKernelThreads as getNumThreads,
  setKernelBackend,
  setKernelThreads as setNumThreads,
  type FloatArray,
} from '../../src/kernels/runtime/index.js';
import { gemmJS } from '../../src/kernels/gemm-js.js';
import { WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
type Impl = (
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  acc: boolean,
) => void;

const wasm = new WasmGemm();
/** A second instance with tiny blocks, so every blocking edge (MC, KC, NC) is crossed on small shapes. */
const wasmSmallBlocks = new WasmGemm(undefined, { f32: { mc: 8, kc: 5, nc: 16 }, f64: { mc: 4, kc: 3, nc: 8 } });

const impls: Record<string, Impl> = {
  js: gemmJS,
  wasm: (...args) => {
    expect(wasm.gemm(...args)).toBe(true);
  },
  'wasm-small-blocks': (...args) => {
    expect(wasmSmallBlocks.gemm(...args)).toBe(true);
  },
  'gemm(auto)': (...args) => {
    setKernelBackend('auto');
    gemm(...args);
  },
};

/** Deterministic pseudo-random fill in [-1, 1) from a seed (xorshift). */
function fill(arr: FloatArray, seed: number): void {
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < arr.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    arr[i] = s / 2147483648 - 1;
  }
}

/** Naive triple loop in float64: returns op(A)·op(B) as an m×n Float64Array. */
function naive(
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += a[aOff + (tA ? p * m + i : i * k + p)]! * b[bOff + (tB ? j * k + p : p * n + j)]!;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}

interface Case {
  T: Ctor;
  m: number;
  n: number;
  k: number;
  tA: boolean;
  tB: boolean;
  acc: boolean;
  aOff: number;
  bOff: number;
  cOff: number;
  seed: number;
}

/** Runs one case through `impl` and compares with the naive loop; also checks C's guard cells. */
function check(impl: Impl, cs: Case): void {
  const { T, m, n, k, tA, tB, acc, aOff, bOff, cOff, seed } = cs;
  const a = new T(aOff + m * k + 2);
  const b = new T(bOff + k * n + 2);
  const c = new T(cOff + m * n + 3);
  fill(a, seed);
  fill(b, seed + 1);
  fill(c, seed + 2);
  const c0 = Float64Array.from(c);
  const ref = naive(tA, tB, m, n, k, a, aOff, b, bOff);
  impl(tA, tB, m, n, k, a, aOff, b, bOff, c, cOff, acc);
  const tol = T === Float32Array ? 2e-6 * (k + 4) : 1e-14 * (k + 4);
  for (let i = 0; i < c.length; i++) {
    const inside = i >= cOff && i < cOff + m * n;
    if (!inside) {
      if (c[i] !== c0[i]) throw new Error(`C[${i}] outside the output was modified (${JSON.stringify({ ...cs, T: T.name })})`);
      continue;
    }
    const want = (acc ? c0[i]! : 0) + ref[i - cOff]!;
    if (!(Math.abs(c[i]! - want) <= tol)) {
      throw new Error(`C[${i - cOff}] = ${c[i]} want ${want} (${JSON.stringify({ ...cs, T: T.name })})`);
    }
  }
}

const oddDim = fc.oneof(fc.constantFrom(1, 3, 7, 17, 33, 65), fc.integer({ min: 1, max: 40 }));
const caseArb = (T: Ctor): fc.Arbitrary<Case> =>
  fc.record({
    T: fc.constant(T),
    m: oddDim,
    n: oddDim,
    k: fc.oneof(fc.constant(0), oddDim),
    tA: fc.boolean(),
    tB: fc.boolean(),
    acc: fc.boolean(),
    aOff: fc.integer({ min: 0, max: 5 }),
    bOff: fc.integer({ min: 0, max: 5 }),
    cOff: fc.integer({ min: 0, max: 5 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  });

afterEach(() => setKernelBackend('auto'));

describe('gemm kernels against a naive float64 triple loop', () => {
  for (const [name, impl] of Object.entries(impls)) {
    for (const T of [Float32Array, Float64Array] as const) {
      it(`${name} ${T.name}: random shapes, all transpose combinations, offsets, accumulate`, () => {
        fc.assert(
          fc.property(caseArb(T), (cs) => check(impl, cs)),
          { seed: 42, numRuns: 150 },
        );
      });

      it(`${name} ${T.name}: shapes crossing the cache-blocking edges`, () => {
        const shapes: Array<[number, number, number]> = [
          [130, 9, 5],
          [5, 1030, 3],
          [6, 7, 513],
          [129, 17, 257],
          [1, 1, 1],
          [4, 8, 4],
          [65, 33, 17],
        ];
        let seed = 7;
        for (const [m, n, k] of shapes) {
          for (const tA of [false, true]) {
            for (const tB of [false, true]) {
              for (const acc of [false, true]) check(impl, { T, m, n, k, tA, tB, acc, aOff: 1, bOff: 2, cOff: 3, seed: seed++ });
            }
          }
        }
      });
    }
  }
});

describe('gemm edge cases', () => {
  for (const be of ['js', 'wasm', 'auto'] as const) {
    it(`${be}: k = 0 zeroes C, or leaves it unchanged when accumulating`, () => {
      setKernelBackend(be);
      for (const T of [Float32Array, Float64Array]) {
        const c = new T([9, 1, 2, 3, 4, 5, 6, 9]);
        gemm(false, false, 2, 3, 0, new T(0), 0, new T(0), 0, c, 1, true);
        expect(Array.from(c)).toEqual([9, 1, 2, 3, 4, 5, 6, 9]);
        gemm(true, true, 2, 3, 0, new T(0), 0, new T(0), 0, c, 1, false);
        expect(Array.from(c)).toEqual([9, 0, 0, 0, 0, 0, 0, 9]);
      }
    });

    it(`${be}: m = 0 or n = 0 leaves C untouched`, () => {
      setKernelBackend(be);
      const c = new Float32Array([1, 2, 3]);
      gemm(false, false, 0, 3, 4, new Float32Array(12), 0, new Float32Array(12), 0, c, 0, false);
      gemm(false, false, 3, 0, 4, new Float32Array(12), 0, new Float32Array(12), 0, c, 0, false);
      expect(Array.from(c)).toEqual([1, 2, 3]);
    });
  }

  it('wasm memory grows for a larger product after small ones, and results stay exact on integers', () => {
    const w = new WasmGemm();
    const small = new Float32Array([1, 2, 3, 4]);
    const out = new Float32Array(4);
    w.gemm(false, false, 2, 2, 2, small, 0, small, 0, out, 0, false);
    expect(Array.from(out)).toEqual([7, 10, 15, 22]);
    const N = 300;
    const a = new Float32Array(N * N).map((_, i) => (i % 7) - 3);
    const b = new Float32Array(N * N).map((_, i) => (i % 5) - 2);
    const c = new Float32Array(N * N);
    w.gemm(false, true, N, N, N, a, 0, b, 0, c, 0, false);
    const ref = naive(false, true, N, N, N, a, 0, b, 0);
    expect(c.every((v, i) => v === ref[i])).toBe(true);
    w.gemm(false, false, 2, 2, 2, small, 0, small, 0, out, 0, true);
    expect(Array.from(out)).toEqual([14, 20, 30, 44]);
  });

  it('setKernelBackend / getKernelBackend', () => {
    expect(getKernelBackend()).toBe('auto');
    setKernelBackend('js');
    expect(getKernelBackend()).toBe('js');
    setKernelBackend('wasm');
    expect(getKernelBackend()).toBe('wasm');
  });
});

describe('gemm on two threads (shared memory + worker)', () => {
  /** Two threads, tiny blocks and no size threshold: every product is split, every block edge crossed. */
  const threaded = new WasmGemm(undefined, { f32: { mc: 8, kc: 5, nc: 16 }, f64: { mc: 4, kc: 3, nc: 8 } }, 2);
  threaded.minWorkPerThread = 1;
  threaded.adaptiveThreads = false;
  afterAll(async () => {
    setNumThreads(1);
    await threaded.close();
  });

  it('split products (op(B) packed once and shared) match the naive loop on random shapes', () => {
    const impl: Impl = (...args) => {
      expect(threaded.gemm(...args)).toBe(true);
    };
    for (const T of [Float32Array, Float64Array] as const) {
      fc.assert(
        fc.property(caseArb(T), (cs) => check(impl, cs)),
        { seed: 42, numRuns: 120 },
      );
    }
  });

  it('split products: k = 1, one row, one column, and shapes crossing the blocks', () => {
    const impl: Impl = (...args) => {
      expect(threaded.gemm(...args)).toBe(true);
    };
    const shapes: Array<[number, number, number]> = [
      [37, 29, 1],
      [1, 45, 13],
      [45, 1, 13],
      [9, 130, 11],
      [130, 9, 11],
      [21, 17, 16],
      [64, 48, 10],
    ];
    let seed = 3;
    for (const T of [Float32Array, Float64Array] as const) {
      for (const [m, n, k] of shapes) {
        for (const [tA, tB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          for (const acc of [false, true]) check(impl, { T, m, n, k, tA, tB, acc, aOff: 2, bOff: 1, cOff: 3, seed: seed++ });
        }
      }
    }
  });

  it('splits large products by rows or columns and matches the naive loop', () => {
    setNumThreads(2);
    expect(getNumThreads()).toBe(2);
    setKernelBackend('wasm');
    // Each has m·n·k >= 2 · MIN_WORK_PER_THREAD, so it is split; wide (n >> m) shapes split by columns.
    const shapes: Array<[number, number, number]> = [
      [130, 129, 257],
      [9, 1030, 460],
      [257, 65, 260],
    ];
    for (const [m, n, k] of shapes) expect(m * n * k).toBeGreaterThanOrEqual(2 * MIN_WORK_PER_THREAD);
    let seed = 99;
    for (const T of [Float32Array, Float64Array] as const) {
      for (const [m, n, k] of shapes) {
        for (const [tA, tB] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          check(gemm, { T, m, n, k, tA, tB, acc: seed % 2 === 0, aOff: 1, bOff: 0, cOff: 2, seed: seed++ });
        }
      }
    }
  });
});
