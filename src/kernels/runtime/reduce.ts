/**
 * The reduction family's entry for the sum over the leading dims of a contiguous operand (a bias
 * gradient: the gradient of a [rows, n] ⊕ [n] broadcast summed over the rows): the WebAssembly
 * column-sum kernel for float32 (`wasm/stream.ts`), else the compiled JS reduction (`reduce.ts`,
 * its row path). Both accumulate each output in float64 over the rows in order, so they give the
 * same bits.
 * @module
 */
import { reduceKernels } from '../reduce.js';
import type { TypedArray } from '../typed-array.js';
import { streamColumnSum } from '../wasm/stream-rows.js';
import { wasmWanted } from './settings.js';
import { COLUMN_SUM_MIN } from './thresholds.js';

/**
 * out[j] = Σ_r a[aOff + r·n + j] for r in [0, rows), j in [0, n), accumulated in float64 row by
 * row and rounded once into `out` (any numeric dtype; `out` contiguous): the wasm kernel for a
 * float32 `a` and `out` with `n` a multiple of 4 (up to a chunk) from {@link COLUMN_SUM_MIN}
 * elements under 'auto' (any size under 'wasm'), else the JS reduction. Returns which ran.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * columnSum(out, new Float32Array([1, 2, 3, 4]), 0, 2, 2); // out = [4, 6]; 'js'
 * ```
 * @internal
 */
export function columnSum(out: TypedArray, a: TypedArray, aOff: number, rows: number, n: number): 'wasm' | 'js' {
  if (a instanceof Float32Array && out instanceof Float32Array && wasmWanted(rows * n, COLUMN_SUM_MIN)) {
    if (streamColumnSum(out, a, aOff, rows, n, 0)) return 'wasm';
  }
  reduceKernels.sum(out, a, aOff, [n], [1], [rows], [n]);
  return 'js';
}
