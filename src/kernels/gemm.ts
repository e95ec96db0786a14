/**
 * Matrix multiply (GEMM) entry point: picks the JavaScript or the WebAssembly SIMD128
 * kernel at run time behind one signature.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { gemmJS } from './gemm-js.js';
import { MAX_WORKERS } from './threads/pool.js';
import { SHARED_MAX_PAGES, WasmGemm } from './wasm/gemm-wasm.js';
import { warmUpGemm } from './wasm/warm-up.js';

import type { FloatArray } from './typed-array.js';

export type { FloatArray } from './typed-array.js';

type Backend = 'auto' | 'js' | 'wasm';

let backend: Backend = 'auto';

/**
 * The most threads {@link setNumThreads} accepts: the calling thread and the workers one pool
 * can hold.
 * @example
 * ```ts
 * setNumThreads(Math.min(MAX_THREADS, 128));
 * ```
 */
export const MAX_THREADS = MAX_WORKERS + 1;

/** Like PyTorch: as many threads as cores (capped at 8), or TAPEGRAD_NUM_THREADS (read after MAX_THREADS is set). */
let numThreads = defaultThreads();

function defaultThreads(): number {
  const env = Number(process.env.TAPEGRAD_NUM_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, MAX_THREADS);
  return Math.max(1, Math.min(8, availableParallelism()));
}
let wasm: WasmGemm | null = null;
let wasmFailed = false;

/**
 * Minimum m·n·k for which 'auto' uses the wasm kernel: below it the JS kernel's lower
 * per-call overhead (~0.1 µs against ~0.4 µs) wins; measured crossover near 8×8×8.
 */
const WASM_MIN_WORK = 512;

function getWasm(): WasmGemm | null {
  if (wasm === null && !wasmFailed) {
    try {
      wasm = new WasmGemm(undefined, undefined, numThreads);
    } catch {
      // No WebAssembly, or no shared memory for threads: try single-threaded, else JS only.
      try {
        wasm = numThreads > 1 ? new WasmGemm() : null;
      } catch {
        wasm = null;
      }
      wasmFailed = wasm === null;
    }
  }
  return wasm;
}

/**
 * The wasm GEMM instance when large products use several threads, else null: its worker pool
 * and shared memory also run the large float32 elementwise kernels (`wasm/stream.ts`).
 * @example
 * ```ts
 * const w = threadedGemm(); // null after setNumThreads(1)
 * ```
 * @internal
 */
export function threadedGemm(): WasmGemm | null {
  if (numThreads < 2) return null;
  const w = getWasm();
  return w !== null && w.threads > 1 ? w : null;
}

/**
 * C = op(A) · op(B)   (or C += op(A)·op(B) when accumulate is true)
 * op(A) is m×k: A is stored row-major contiguous as m×k (transA=false) or as k×m (transA=true), starting at aOff.
 * op(B) is k×n: B is stored row-major contiguous as k×n (transB=false) or as n×k (transB=true), starting at bOff.
 * C is m×n row-major contiguous starting at cOff. A, B, C have the same element type (all Float32Array or all Float64Array).
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOff: number, b: FloatArray, bOff: number, c: FloatArray, cOff: number, accumulate: boolean): void {
  if (backend !== 'js' && (backend === 'wasm' || m * n * k >= WASM_MIN_WORK)) {
    const w = getWasm();
    if (w !== null && w.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate)) return;
  }
  gemmJS(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
}

/**
 * Choose the backend: 'auto' (default: wasm for float32 when the work is big enough, else JS), 'js', 'wasm'.
 * (The wasm module also has an f64x2 float64 kernel, 3–4× faster than JS, so 'auto' uses it for float64 too.)
 */
export function setGemmBackend(b: 'auto' | 'js' | 'wasm'): void {
  backend = b;
}

/** The backend selected with {@link setGemmBackend}. */
export function getGemmBackend(): 'auto' | 'js' | 'wasm' {
  return backend;
}

/**
 * Sets the number of threads (the calling thread included) for large matrix products and large
 * float32 `exp`/`sigmoid`/`tanh`, like PyTorch's `set_num_threads`; the default is the number of
 * cores (at most 8), or the `TAPEGRAD_NUM_THREADS` environment variable.
 * With n > 1, products of at least ~4·10⁶ multiply-adds, and those three ops on contiguous
 * float32 tensors from ~10⁵ elements, are split across n − 1 worker threads (started on first
 * use, `unref()`ed) and the caller, synchronously. Everything smaller stays on the calling
 * thread. On a machine whose cores are busy with other processes, `setNumThreads(1)` is steadier.
 * Where worker threads cannot start (Node's permission model without `--allow-worker`) or one
 * fails, everything runs on the calling thread instead.
 * Throws a RangeError unless n is an integer from 1 to {@link MAX_THREADS} (a TypeError for a
 * non-number); the public `setNumThreads` checks first and throws tapegrad's typed errors.
 * @example
 * ```ts
 * setNumThreads(1); // deterministic single-threaded timing
 * ```
 */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number') throw new TypeError(`setNumThreads: n must be an integer, got ${typeof n}`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(`setNumThreads: n must be an integer from 1 to ${MAX_THREADS}, got ${n}`);
  }
  const t = n;
  if (t === numThreads) return;
  numThreads = t;
  const old = wasm;
  wasm = null;
  wasmFailed = false;
  if (old !== null) void old.close();
}

/**
 * The thread count used for large matrix products.
 * @example
 * ```ts
 * console.log(getNumThreads());
 * ```
 */
export function getNumThreads(): number {
  return numThreads;
}

// Compile the GEMM and start its tier-up while the caller prepares its data (see warm-up.ts).
warmUpGemm(numThreads > 1 ? SHARED_MAX_PAGES : null);
