/**
 * The softmax's vector-Jacobian product in one pass over each lane: given the softmax output y
 * and the gradient g of the output, dx = y ⊙ (g − Σ g ⊙ y) along the softmax dim.
 * @module
 */
import type { TypedArray } from './typed-array.js';

/**
 * out = y ⊙ (g − Σ_k g_k·y_k) for every lane of `size` elements along the middle dim of contiguous
 * [outer, size, inner] arrays (the sum in float64, each result rounded once on store).
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * softmaxGradLanes(out, new Float64Array([1, 0]), new Float64Array([0.5, 0.5]), 1, 2, 1); // out = [0.25, -0.25]
 * ```
 * @internal
 */
export function softmaxGradLanes(out: TypedArray, g: TypedArray, y: TypedArray, outer: number, size: number, inner: number): void {
  const block = size * inner;
  // Stryker disable next-line EqualityOperator: o <= outer only writes past the end of out (a no-op)
  for (let o = 0; o < outer; o++) {
    const base = o * block;
    for (let i = 0; i < inner; i++) {
      const start = base + i;
      let s = 0;
      for (let k = 0; k < size; k++) {
        const at = start + k * inner;
        s += (g[at] as number) * (y[at] as number);
      }
      // Stryker disable next-line EqualityOperator: k <= size also writes an element of the next outer block, which that block then overwrites (past the end for the last)
      for (let k = 0; k < size; k++) {
        const at = start + k * inner;
        out[at] = (y[at] as number) * ((g[at] as number) - s);
      }
    }
  }
}
