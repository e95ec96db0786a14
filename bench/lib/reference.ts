/**
 * Independent float64 references (naive loops), used to check that every peer computes the
 * right thing before it is timed: matmul entries, elementwise results, the MLP's first loss and
 * the chain's value and gradient.
 * @module
 */
import type { Batch, LayerInit } from './data.js';

/** An elementwise op of the benchmark. */
export type ElementwiseOp = 'add' | 'mul' | 'exp' | 'relu' | 'sigmoid';

/** Which operand of a matmul case is stored transposed (the backward pass's products). */
export type Transpose = 'none' | 'bT' | 'aT';

/**
 * Entry (i, j) of op(A)·op(B) in float64, where A is stored [m, k] (or [k, m] when `t` is 'aT')
 * and B is stored [k, n] (or [n, k] when `t` is 'bT').
 * @example
 * ```ts
 * matmulEntry(new Float32Array([1, 2]), new Float32Array([3, 4]), 1, 2, 1, 'none', 0, 0); // 11
 * ```
 */
export function matmulEntry(a: Float32Array, b: Float32Array, m: number, k: number, n: number, t: Transpose, i: number, j: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) {
    const av = t === 'aT' ? a[p * m + i]! : a[i * k + p]!;
    const bv = t === 'bT' ? b[j * k + p]! : b[p * n + j]!;
    s += av * bv;
  }
  return s;
}

/**
 * Checks `c` ([m, n] row-major) against float64 entries at a few fixed positions; returns the
 * worst relative error (scaled by the sum of |a·b| terms, the float32 error bound's scale).
 * @example
 * ```ts
 * const err = checkMatmul(c, a, b, 64, 784, 128, 'none');
 * ```
 */
export function checkMatmul(c: ArrayLike<number>, a: Float32Array, b: Float32Array, m: number, k: number, n: number, t: Transpose): number {
  let worst = 0;
  for (let q = 0; q < 24; q++) {
    const i = (q * 7919) % m;
    const j = (q * 104729 + 13) % n;
    const want = matmulEntry(a, b, m, k, n, t, i, j);
    let scale = 0;
    for (let p = 0; p < k; p++) {
      const av = t === 'aT' ? a[p * m + i]! : a[i * k + p]!;
      const bv = t === 'bT' ? b[j * k + p]! : b[p * n + j]!;
      scale += Math.abs(av * bv);
    }
    worst = Math.max(worst, Math.abs(c[i * n + j]! - want) / Math.max(scale, 1e-30));
  }
  return worst;
}

/**
 * The float64 result of an elementwise op at index `i`.
 * @example
 * ```ts
 * elementwiseRef('sigmoid', new Float32Array([0]), new Float32Array([0]), 0); // 0.5
 * ```
 */
export function elementwiseRef(op: ElementwiseOp, x: Float32Array, y: Float32Array, i: number): number {
  const v = x[i]!;
  switch (op) {
    case 'add':
      return v + y[i]!;
    case 'mul':
      return v * y[i]!;
    case 'exp':
      return Math.exp(v);
    case 'relu':
      return v > 0 ? v : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
  }
}

/**
 * Worst relative error of `out` against the float64 elementwise reference.
 * @example
 * ```ts
 * checkElementwise('exp', out, x, y);
 * ```
 */
export function checkElementwise(op: ElementwiseOp, out: ArrayLike<number>, x: Float32Array, y: Float32Array): number {
  if (out.length !== x.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const want = elementwiseRef(op, x, y, i);
    worst = Math.max(worst, Math.abs(out[i]! - want) / Math.max(Math.abs(want), 1e-6));
  }
  return worst;
}

/**
 * The mean softmax cross-entropy of an MLP (ReLU between layers, logits out) on a batch, in
 * float64 with naive loops: the first loss every peer must reproduce.
 * @example
 * ```ts
 * const loss = mlpLoss64(mlpInit([784, 10, 10, 10], 1), makeBatch(32, 784, 10, 2));
 * ```
 */
export function mlpLoss64(layers: readonly LayerInit[], batch: Batch): number {
  let h = Float64Array.from(batch.x);
  let width = batch.features;
  layers.forEach((layer, l) => {
    const out = new Float64Array(batch.batch * layer.outF);
    for (let r = 0; r < batch.batch; r++) {
      for (let o = 0; o < layer.outF; o++) {
        let s = layer.bias[o]!;
        const wRow = o * layer.inF;
        const hRow = r * width;
        for (let i = 0; i < layer.inF; i++) s += h[hRow + i]! * layer.weight[wRow + i]!;
        out[r * layer.outF + o] = l + 1 < layers.length && s < 0 ? 0 : s;
      }
    }
    h = out;
    width = layer.outF;
  });
  let total = 0;
  for (let r = 0; r < batch.batch; r++) {
    let mx = -Infinity;
    for (let c = 0; c < width; c++) mx = Math.max(mx, h[r * width + c]!);
    let se = 0;
    for (let c = 0; c < width; c++) se += Math.exp(h[r * width + c]! - mx);
    total += mx + Math.log(se) - h[r * width + batch.y[r]!]!;
  }
  return total / batch.batch;
}

/** Start values of the chain workload: x and w, both requiring grad. */
export const CHAIN_X = 0.5;
/** The multiplier leaf of the chain workload. */
export const CHAIN_W = 0.9;
/** The constant added in the chain workload. */
export const CHAIN_C = 0.1;

/**
 * The chain workload in float64: t = x; step i applies t·w, t+0.1, tanh(t) in turn. Returns the
 * final value and d(value)/dw (forward-mode, carried along).
 * @example
 * ```ts
 * const { value, gradW } = chainRef(1000);
 * ```
 */
export function chainRef(n: number): { value: number; gradW: number } {
  let t = CHAIN_X;
  let dt = 0;
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    if (k === 0) {
      dt = dt * CHAIN_W + t;
      t = t * CHAIN_W;
    } else if (k === 1) {
      t = t + CHAIN_C;
    } else {
      t = Math.tanh(t);
      dt = dt * (1 - t * t);
    }
  }
  return { value: t, gradW: dt };
}
