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
 * rstd into `mean` and `rstd` (length `rows`).
 * @example
 * ```ts
 * const y = new Float64Array(2), mean = new Float64Array(1), rstd = new Float64Array(1);
 * layerNormRows(y, new Float64Array([1, 3]), null, null, 1, 2, 0, mean, rstd); // y = [-1, 1], mean = [2], rstd = [1]
 * ```
 * @internal
 */
export function layerNormRows(
  y: FloatArray,
  x: FloatArray,
  weight: FloatArray | null,
  bias: FloatArray | null,
  rows: number,
  n: number,
  eps: number,
  mean: Float64Array,
  rstd: Float64Array,
): void {
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
    if (weight !== null && bias !== null) {
      for (let j = 0; j < n; j++) y[base + j] = (x[base + j]! - m) * s * weight[j]! + bias[j]!;
    } else if (weight !== null) {
      for (let j = 0; j < n; j++) y[base + j] = (x[base + j]! - m) * s * weight[j]!;
    } else if (bias !== null) {
      for (let j = 0; j < n; j++) y[base + j] = (x[base + j]! - m) * s + bias[j]!;
    } else {
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
    if (dWeight !== null) for (let j = 0; j < n; j++) dWeight[j] = dWeight[j]! + g[base + j]! * (x[base + j]! - m) * s;
    if (dBias !== null) for (let j = 0; j < n; j++) dBias[j] = dBias[j]! + g[base + j]!;
    if (dx === null) continue;
    let sumG = 0;
    let sumGX = 0;
    if (weight !== null) {
      for (let j = 0; j < n; j++) {
        const gh = g[base + j]! * weight[j]!;
        sumG += gh;
        sumGX += gh * (x[base + j]! - m);
      }
    } else {
      for (let j = 0; j < n; j++) {
        const gh = g[base + j]!;
        sumG += gh;
        sumGX += gh * (x[base + j]! - m);
      }
    }
    // dx_j = s·ĝ_j − s·mean(ĝ) − (x_j − m)·s³·mean(ĝ·(x − m)).
    const shift = (s * sumG) / n;
    const slope = (s * s * s * sumGX) / n;
    if (weight !== null) {
      for (let j = 0; j < n; j++) dx[base + j] = s * (g[base + j]! * weight[j]!) - shift - (x[base + j]! - m) * slope;
    } else {
      for (let j = 0; j < n; j++) dx[base + j] = s * g[base + j]! - shift - (x[base + j]! - m) * slope;
    }
  }
}
