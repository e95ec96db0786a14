/**
 * Gather/scatter kernels on contiguous row-major arrays. Indices are already validated.
 * The shapes are viewed as [outer, size, inner] around the indexed dim.
 * @module
 */
import type { TypedArray } from './typed-array.js';

/** Products of the dims before and after `dim`. */
export function around(shape: readonly number[], dim: number): [number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, inner];
}

/** out[o, k, i] = x[o, index[k], i]  (x has `size` rows along the dim, out has index.length). */
export function indexSelectKernel(out: TypedArray, x: TypedArray, index: Int32Array, outer: number, size: number, inner: number): void {
  const m = index.length;
  // Stryker disable next-line EqualityOperator: o <= outer: the extra pass writes past the end of the typed array out (no-ops)
  for (let o = 0; o < outer; o++) {
    // Stryker disable next-line EqualityOperator: k <= m reads index[m] (undefined) and writes NaN into the next outer block's first row, which that block then overwrites (past the end for the last block)
    for (let k = 0; k < m; k++) {
      const src = (o * size + index[k]!) * inner;
      const dst = (o * m + k) * inner;
      // Stryker disable next-line EqualityOperator: i <= inner writes the next row's first element, which that row then overwrites (past the end for the last row)
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i]!;
    }
  }
}

/** out[o, index[k], i] += src[o, k, i]  (out already holds self). */
export function indexAddKernel(out: TypedArray, src: TypedArray, index: Int32Array, outer: number, size: number, inner: number): void {
  const m = index.length;
  // Stryker disable next-line EqualityOperator: o <= outer: the extra pass writes past the end of the typed array out (no-ops)
  for (let o = 0; o < outer; o++) {
    // Stryker disable next-line EqualityOperator: k <= m reads index[m] (undefined): the writes go to out[NaN], not an element (no-ops)
    for (let k = 0; k < m; k++) {
      const dst = (o * size + index[k]!) * inner;
      const from = (o * m + k) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = out[dst + i]! + src[from + i]!;
    }
  }
}

/**
 * For every position p of `indexShape` (row-major): the flat offset in `a` (shape aShape) of p with
 * the dim coordinate replaced by index[p], and the flat offset of p in `b` (shape bShape).
 */
function offsets(
  indexShape: readonly number[],
  dim: number,
  index: Int32Array,
  aShape: readonly number[],
  bShape: readonly number[],
): [Int32Array, Int32Array] {
  const nd = indexShape.length;
  const aStr = strides(aShape);
  const bStr = strides(bShape);
  const n = index.length;
  const aOut = new Int32Array(n);
  const bOut = new Int32Array(n);
  const coord = new Int32Array(nd);
  let aBase = 0;
  let bPos = 0;
  // Stryker disable next-line EqualityOperator: p <= n: the extra pass writes past the end of the typed arrays aOut and bOut (no-ops)
  for (let p = 0; p < n; p++) {
    aOut[p] = aBase + index[p]! * (aStr[dim] ?? 0);
    bOut[p] = bPos;
    for (let d = nd - 1; d >= 0; d--) {
      coord[d]!++;
      if (d !== dim) aBase += aStr[d]!;
      bPos += bStr[d]!;
      if (coord[d]! < indexShape[d]!) break;
      coord[d] = 0;
      if (d !== dim) aBase -= aStr[d]! * indexShape[d]!;
      bPos -= bStr[d]! * indexShape[d]!;
    }
  }
  return [aOut, bOut];
}

function strides(shape: readonly number[]): number[] {
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(n): every index is assigned before use
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** out[p] = x[p with dim → index[p]]; out has the index's shape. */
export function gatherKernel(
  out: TypedArray,
  x: TypedArray,
  xShape: readonly number[],
  index: Int32Array,
  indexShape: readonly number[],
  dim: number,
): void {
  const [a] = offsets(indexShape, dim, index, xShape, indexShape);
  // Stryker disable next-line EqualityOperator: p <= a.length writes past the end of the typed array out (a no-op)
  for (let p = 0; p < a.length; p++) out[p] = x[a[p]!]!;
}

/** out[p with dim → index[p]] (+)= src[p]; out already holds self. */
export function scatterKernel(
  out: TypedArray,
  outShape: readonly number[],
  src: TypedArray,
  srcShape: readonly number[],
  index: Int32Array,
  indexShape: readonly number[],
  dim: number,
  accumulate: boolean,
): void {
  const [a, b] = offsets(indexShape, dim, index, outShape, srcShape);
  // Stryker disable next-line EqualityOperator: p <= a.length reads a[a.length] (undefined): the write goes to out[undefined], not an element
  if (accumulate) for (let p = 0; p < a.length; p++) out[a[p]!] = out[a[p]!]! + src[b[p]!]!;
  // Stryker disable next-line EqualityOperator: p <= a.length reads a[a.length] (undefined): the write goes to out[undefined], not an element
  else for (let p = 0; p < a.length; p++) out[a[p]!] = src[b[p]!]!;
}
