/**
 * The matrix-product (GEMM) family's entry: picks the JavaScript or the WebAssembly SIMD128
 * kernel for each call behind one signature; the wasm kernel itself splits large products over
 * the runtime's threads.
 *
 * @module
 */
import { gemmJS } from '../gemm-js.js';
import type { FloatArray } from '../typed-array.js';
import { SHARED_MAX_PAGES } from '../wasm/gemm-wasm.js';
import { warmUpGemm } from '../wasm/warm-up.js';
import { gemmInstance } from './instances.js';
import { getKernelThreads, wasmWanted } from './settings.js';
import { GEMM_WASM_MIN_WORK } from './thresholds.js';

/**
 * C = op(A) · op(B)   (or C += op(A)·op(B) when accumulate is true)
 * op(A) is m×k: A is stored row-major contiguous as m×k (transA=false) or as k×m (transA=true), starting at aOff.
 * op(B) is k×n: B is stored row-major contiguous as k×n (transB=false) or as n×k (transB=true), starting at bOff.
 * C is m×n row-major contiguous starting at cOff. A, B, C have the same element type (all Float32Array or all Float64Array).
 * The wasm kernel (float32 and float64) runs from {@link GEMM_WASM_MIN_WORK} multiply-adds under
 * the 'auto' backend, at every size under 'wasm'; the JS kernel otherwise, or where WebAssembly
 * is unavailable.
 * @example
 * ```ts
 * const c = new Float32Array(4);
 * gemm(false, false, 2, 2, 1, new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, c, 0, false); // [3, 4, 6, 8]
 * ```
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  accumulate: boolean,
): void {
  if (wasmWanted(m * n * k, GEMM_WASM_MIN_WORK)) {
    const w = gemmInstance();
    if (w !== null && w.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate)) return;
  }
  gemmJS(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
}

// Compile the GEMM and start its tier-up while the caller prepares its data (see wasm/warm-up.ts).
warmUpGemm(getKernelThreads() > 1 ? SHARED_MAX_PAGES : null);
