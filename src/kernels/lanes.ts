/**
 * Kernels over 1-d lanes along one dim: softmax, log-softmax and cumulative sum.
 * A lane is the run of elements along `dim` at a fixed position in the other dims.
 * @module
 */
import { expFloat32 } from './fastmath.js';
import type { TypedArray } from './typed-array.js';

/** Strided layout of the lanes of an input and of an output of the same shape. */
export interface Lanes {
  /** Sizes of the other dims (the lane positions). */
  outerShape: readonly number[];
  /** Strides of the other dims in the input / output. */
  aOuter: readonly number[];
  oOuter: readonly number[];
  /** Length of a lane and the stride along it in the input / output. */
  n: number;
  aStride: number;
  oStride: number;
  aOffset: number;
}

/** Calls `body(aBase, oBase)` for the start of every lane. */
function forEachLane(l: Lanes, body: (aBase: number, oBase: number) => void): void {
  const nd = l.outerShape.length;
  let count = 1;
  for (let d = 0; d < nd; d++) count *= l.outerShape[d]!;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: the early return only skips lanes that write nothing (no lanes, or lanes of length 0: every inner loop runs 0 times)
  if (count === 0 || l.n === 0) return;
  const idx = new Int32Array(nd);
  let a = l.aOffset;
  let o = 0;
  // Stryker disable next-line EqualityOperator: i <= count: after the last lane every index has wrapped to 0, so the extra pass recomputes the first lane into its own place (same values)
  for (let i = 0; i < count; i++) {
    body(a, o);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      a += l.aOuter[d]!;
      o += l.oOuter[d]!;
      if (idx[d]! < l.outerShape[d]!) break;
      idx[d] = 0;
      a -= l.aOuter[d]! * l.outerShape[d]!;
      o -= l.oOuter[d]! * l.outerShape[d]!;
    }
  }
}

/**
 * Softmax (or log-softmax) of every lane, stable: the lane maximum is subtracted first. Float32
 * input takes the float32-accurate exponential ({@link expFloat32}, inlined by V8, several times
 * faster than `Math.exp`); sums are float64 either way.
 */
export function softmaxLanes(out: TypedArray, a: TypedArray, l: Lanes, log: boolean): void {
  const { n, aStride, oStride } = l;
  const f32 = a instanceof Float32Array;
  forEachLane(l, (ab, ob) => {
    let max = -Infinity;
    // Stryker disable next-line EqualityOperator,ConditionalExpression: a tie (>=) gives the same maximum; without the NaN test a NaN lane still gives NaN everywhere (exp(NaN - max) makes the sum NaN)
    for (let j = 0, p = ab; j < n; j++, p += aStride) if (a[p]! > max || a[p] !== a[p]) max = a[p]!;
    // An all −∞ lane needs no case of its own: e^(−∞ − (−∞)) = e^NaN is NaN for both exponentials,
    // so every output is NaN, PyTorch's value.
    let sum = 0;
    if (log) {
      for (let j = 0, p = ab; j < n; j++, p += aStride) sum += f32 ? expFloat32(a[p]! - max) : Math.exp(a[p]! - max);
      const lse = Math.log(sum) + max;
      // Stryker disable next-line EqualityOperator: j <= n: the extra element of the (contiguous) output is the first of a lane written later, or past its end (a no-op)
      for (let j = 0, p = ab, q = ob; j < n; j++, p += aStride, q += oStride) out[q] = a[p]! - lse;
    } else {
      for (let j = 0, p = ab, q = ob; j < n; j++, p += aStride, q += oStride) {
        const e = f32 ? expFloat32(a[p]! - max) : Math.exp(a[p]! - max);
        out[q] = e;
        sum += e;
      }
      const inv = 1 / sum;
      // Stryker disable next-line EqualityOperator: j <= n: the extra element of the (contiguous) output is the first of a lane written later, or past its end (a no-op)
      for (let j = 0, q = ob; j < n; j++, q += oStride) out[q] = out[q]! * inv;
    }
  });
}

/** Cumulative sum of every lane. */
export function cumsumLanes(out: TypedArray, a: TypedArray, l: Lanes): void {
  const { n, aStride, oStride } = l;
  forEachLane(l, (ab, ob) => {
    let acc = 0;
    for (let j = 0, p = ab, q = ob; j < n; j++, p += aStride, q += oStride) {
      acc += a[p]!;
      out[q] = acc;
    }
  });
}
