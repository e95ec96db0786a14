/**
 * Layer normalisation over contiguous rows [rows, n], forward and backward, one pass structure per
 * row: the row statistics and every result are computed in float64 and rounded once on store, so
 * float32 inputs get PyTorch's results to within float32 rounding. The variance is the biased one,
 * taken about the row mean in a second pass that also corrects the mean's rounding (no
 * cancellation for rows with a large common offset).
 * @module
 */
import type { FloatArray } from './typed-array.js';

/**
 * y = (x − mean)·rstd·γ + β per row of the contiguous [rows, n] array `x`, with rstd = 1/√(var + eps)
 * (biased variance); γ and β are `n`-element arrays or null (1 and 0). Writes each row's mean and
 * rstd into `mean` and `rstd` (length `rows`); with `y` null, only those (the statistics alone).
 * @example
 * ```ts
 * const y = new Float64Array(2), mean = new Float64Array(1), rstd = new Float64Array(1);
 * layerNormRows(y, new Float64Array([1, 3]), null, null, 1, 2, 0, mean, rstd); // y = [-1, 1], mean = [2], rstd = [1]
 * ```
 * @internal
 */
export function layerNormRows(
  y: FloatArray | null,
  x: FloatArray,
  weight: FloatArray | null,
  bias: FloatArray | null,
  rows: number,
  n: number,
  eps: number,
  mean: Float64Array,
  rstd: Float64Array,
): void {
  // Stryker disable next-line EqualityOperator: r <= rows: the extra row reads undefined and writes past the end of y, mean and rstd (typed arrays of their exact length: no-ops)
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += x[base + j]!;
    const first = sum / n;
    // The corrected two-pass algorithm: the deviations from the first mean also correct the
    // rounding of that mean (Σ(x − m')² = Σ(x − m)² − (Σ(x − m))²/n with m' = m + Σ(x − m)/n).
    let dev = 0;
    let sq = 0;
    for (let j = 0; j < n; j++) {
      const c = x[base + j]! - first;
      dev += c;
      sq += c * c;
    }
    const m = first + dev / n;
    const s = 1 / Math.sqrt(Math.max(sq - (dev * dev) / n, 0) / n + eps);
    mean[r] = m;
    rstd[r] = s;
    if (y === null) continue;
    if (weight !== null && bias !== null) {
      // Stryker disable next-line EqualityOperator: j <= n: the extra element is the next row's first, which that row overwrites, or lies past the end of y (a typed array of rows · n: a no-op)
      for (let j = 0; j < n; j++) y[base + j] = (x[base + j]! - m) * s * weight[j]! + bias[j]!;
    } else if (weight !== null) {
      // Stryker disable next-line EqualityOperator: j <= n: the extra element is the next row's first, which that row overwrites, or lies past the end of y (a typed array of rows · n: a no-op)
      for (let j = 0; j < n; j++) y[base + j] = (x[base + j]! - m) * s * weight[j]!;
    } else if (bias !== null) {
      // Stryker disable next-line EqualityOperator: j <= n: the extra element is the next row's first, which that row overwrites, or lies past the end of y (a typed array of rows · n: a no-op)
      for (let j = 0; j < n; j++) y[base + j] = (x[base + j]! - m) * s + bias[j]!;
    } else {
      // Stryker disable next-line EqualityOperator: j <= n: the extra element is the next row's first, which that row overwrites, or lies past the end of y (a typed array of rows · n: a no-op)
      for (let j = 0; j < n; j++) y[base + j] = (x[base + j]! - m) * s;
    }
  }
}

/**
 * The vector-Jacobian product of {@link layerNormRows}: given the output gradient `g` [rows, n], the
 * input `x`, γ (or null) and the row statistics, writes dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with
 * x̂ = (x − mean)·rstd and ĝ = g·γ into `dx` (when not null), and adds Σ_rows g·x̂ into `dWeight` and
 * Σ_rows g into `dBias` (float64 accumulators of length n, when not null).
 * @example
 * ```ts
 * const dx = new Float64Array(2), dw = new Float64Array(2), db = new Float64Array(2);
 * layerNormRowsBackward(dx, dw, db, new Float64Array([1, 0]), new Float64Array([1, 3]), null, 1, 2, new Float64Array([2]), new Float64Array([1]));
 * // dx = [0, 0], dw = [-1, 0], db = [1, 0]
 * ```
 * @internal
 */
export function layerNormRowsBackward(
  dx: FloatArray | null,
  dWeight: Float64Array | null,
  dBias: Float64Array | null,
  g: FloatArray,
  x: FloatArray,
  weight: FloatArray | null,
  rows: number,
  n: number,
  mean: Float64Array,
  rstd: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    const m = mean[r]!;
    const s = rstd[r]!;
    let sumG = 0;
    let sumGX = 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result: the general path below does the same arithmetic in the same order; and dWeight is null whenever weight is
    if (dx !== null && weight !== null && dWeight !== null && dBias !== null) {
      // The common case (an affine layer norm whose input and parameters all need gradients): the
      // parameter gradients and the row sums in one pass.
      for (let j = 0; j < n; j++) {
        const gv = g[base + j]!;
        const c = x[base + j]! - m;
        dWeight[j] = dWeight[j]! + gv * c * s;
        dBias[j] = dBias[j]! + gv;
        const gh = gv * weight[j]!;
        sumG += gh;
        sumGX += gh * c;
      }
    } else {
      // Stryker disable next-line EqualityOperator: j <= n: dWeight has length n, so the extra write is past its end (a no-op)
      if (dWeight !== null) for (let j = 0; j < n; j++) dWeight[j] = dWeight[j]! + g[base + j]! * (x[base + j]! - m) * s;
      // Stryker disable next-line EqualityOperator: j <= n: dBias has length n, so the extra write is past its end (a no-op)
      if (dBias !== null) for (let j = 0; j < n; j++) dBias[j] = dBias[j]! + g[base + j]!;
      if (dx === null) continue;
      for (let j = 0; j < n; j++) {
        const gh = weight === null ? g[base + j]! : g[base + j]! * weight[j]!;
        sumG += gh;
        sumGX += gh * (x[base + j]! - m);
      }
    }
    dxRow(dx, g, x, weight, base, n, m, s, sumG, sumGX);
  }
}

/** dx_j = s·ĝ_j − s·mean(ĝ) − (x_j − m)·s³·mean(ĝ·(x − m)) over one row. */
function dxRow(
  dx: FloatArray,
  g: FloatArray,
  x: FloatArray,
  weight: FloatArray | null,
  base: number,
  n: number,
  m: number,
  s: number,
  sumG: number,
  sumGX: number,
): void {
  const shift = (s * sumG) / n;
  const slope = (s * s * s * sumGX) / n;
  if (weight !== null) {
    // Stryker disable next-line EqualityOperator: j <= n: the extra element is the next row's first, which that row overwrites, or lies past the end of dx (a typed array of rows · n: a no-op)
    for (let j = 0; j < n; j++) dx[base + j] = s * (g[base + j]! * weight[j]!) - shift - (x[base + j]! - m) * slope;
  } else {
    // Stryker disable next-line EqualityOperator: j <= n: the extra element is the next row's first, which that row overwrites, or lies past the end of dx (a typed array of rows · n: a no-op)
    for (let j = 0; j < n; j++) dx[base + j] = s * g[base + j]! - shift - (x[base + j]! - m) * slope;
  }
}
