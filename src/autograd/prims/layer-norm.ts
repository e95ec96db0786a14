/**
 * `layerNorm(x, weight, bias)`: layer normalisation of each run of `size` consecutive elements of x
 * (the flattened trailing dims), `(x − mean)·rstd·γ + β` with rstd = 1/√(var + eps) and the biased
 * variance, in one pass per row (kernels/layer-norm.ts) instead of the eight elementwise and
 * reduction ops of the composite. γ and β are optional: when the attributes say one is absent, its
 * input is a placeholder that is never read (the inputs keep fixed places, so the save list is
 * static). The forward keeps each row's mean and rstd for the backward, which runs one fused pass
 * per row; under `createGraph` the backward is written in Tensor ops instead (recomputing the
 * statistics), so higher-order gradients work.
 * @module
 */
import { layerNormRows, layerNormRowsBackward } from '../../kernels/layer-norm.js';
import type { FloatArray } from '../../kernels/typed-array.js';
import { isGradEnabled } from '../grad-mode.js';
import { rule, type BackwardContext, type RuleTable } from '../rule.js';
import type { Tensor } from '../tensor.js';
import { add, mul, rsqrt, sub } from '../ops/elementwise.js';
import { sumSpec } from '../ops/reduce.js';
import { contiguousData, reshape } from '../ops/shape.js';
import { empty } from './common.js';

/**
 * Attributes of the layer-norm primitive: the row length, eps, and which of γ, β are real inputs.
 * The op creates one object per call: the forward keys the row statistics on it.
 * @internal
 */
export interface LayerNormSpec {
  size: number;
  eps: number;
  weight: boolean;
  bias: boolean;
}

/** Attributes of the layer-norm primitive. @internal */
// prettier-ignore
export interface LayerNormAttrs {
  layerNorm: LayerNormSpec;
};

/** The row statistics of one forward, and the input they were computed from. */
interface RowStats {
  input: Tensor;
  mean: Float64Array;
  rstd: Float64Array;
}

const STATS = new WeakMap<LayerNormSpec, RowStats>();

/** The number of rows of `size` elements in x. */
function rowsOf(x: Tensor, size: number): number {
  // Stryker disable next-line ConditionalExpression: an empty case the general path handles the same: size 0 means no elements, 0 / 0 is NaN, and a NaN length makes empty arrays and loops that run 0 times
  return size === 0 ? 0 : x.numel() / size;
}

/** The statistics the forward kept for this node, or fresh ones when it kept none for this input (a replay with the same attributes). */
function statsOf(x: Tensor, xd: FloatArray, spec: LayerNormSpec): RowStats {
  const kept = STATS.get(spec);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result: the saved statistics not used (recomputed from the same input by the same kernel, bit for bit); and the undefined test is unreachable as true (the forward saved statistics for every spec a node holds)
  if (kept !== undefined && kept.input === x) return kept;
  const rows = rowsOf(x, spec.size);
  const stats = { input: x, mean: new Float64Array(rows), rstd: new Float64Array(rows) };
  layerNormRows(null, xd, null, null, rows, spec.size, spec.eps, stats.mean, stats.rstd);
  return stats;
}

/** A float64 accumulator as a tensor of `shape` and `dtype`. */
function fromAccumulator(acc: Float64Array, shape: readonly number[], dtype: Tensor['dtype']): Tensor {
  const out = empty(shape, dtype);
  out._storage.data.set(acc);
  return out;
}

/** The backward in Tensor ops (recorded under createGraph), from the saved input and γ. */
function compositeBackward(
  g: Tensor,
  x: Tensor,
  weight: Tensor,
  ctx: BackwardContext<readonly Tensor[], LayerNormSpec>,
): (Tensor | null)[] {
  const { size, eps } = ctx.attrs;
  const rows = [x.numel() / size, size];
  const last = { dims: [1], keepdim: true };
  const xr = reshape(x, rows);
  const gr = reshape(g, rows);
  const centred = sub(xr, mul(sumSpec(xr, last), 1 / size));
  const rstd = rsqrt(add(mul(sumSpec(mul(centred, centred), last), 1 / size), eps));
  const xhat = mul(centred, rstd);
  const gh = ctx.attrs.weight ? mul(gr, reshape(weight, [size])) : gr;
  let dx: Tensor | null = null;
  // Stryker disable next-line ConditionalExpression: work the engine discards: a gradient for an input without a grad edge
  if (ctx.needs(0)) {
    const meanG = mul(sumSpec(gh, last), 1 / size);
    const meanGX = mul(sumSpec(mul(gh, xhat), last), 1 / size);
    dx = reshape(mul(rstd, sub(sub(gh, meanG), mul(xhat, meanGX))), x.shape);
  }
  // Stryker disable next-line BooleanLiteral: keepdim true gives [1, size], which the reshape to the parameter's shape below turns into the same tensor as [size]
  const columns = { dims: [0], keepdim: false };
  // Stryker disable next-line LogicalOperator: work the engine discards: with γ (β) present, a gradient it does not need; with it absent, its input is a placeholder without a grad edge, so needs() is false and || gives null too
  const dw = ctx.attrs.weight && ctx.needs(1) ? reshape(sumSpec(mul(gr, xhat), columns), ctx.inputShape(1)) : null;
  // Stryker disable next-line LogicalOperator: work the engine discards: with γ (β) present, a gradient it does not need; with it absent, its input is a placeholder without a grad edge, so needs() is false and || gives null too
  const db = ctx.attrs.bias && ctx.needs(2) ? reshape(sumSpec(gr, columns), ctx.inputShape(2)) : null;
  return [dx, dw, db];
}

/** The layer-norm rule table. @internal */
// prettier-ignore
export const layerNormRules: RuleTable<LayerNormAttrs> = {
  layerNorm: rule({
    forward: ([x, weight, bias], spec) => {
      const { size, eps } = spec;
      const rows = rowsOf(x!, size);
      const out = empty(x!.shape, x!.dtype);
      const stats = { input: x!, mean: new Float64Array(rows), rstd: new Float64Array(rows) };
      const w = spec.weight ? (contiguousData(weight!) as FloatArray) : null;
      const b = spec.bias ? (contiguousData(bias!) as FloatArray) : null;
      layerNormRows(out._storage.data as FloatArray, contiguousData(x!) as FloatArray, w, b, rows, size, eps, stats.mean, stats.rstd);
      STATS.set(spec, stats);
      return out;
    },
    backward: (g, ctx) => {
      const [x, weight] = ctx.saved;
      if (isGradEnabled()) return compositeBackward(g, x, weight, ctx);
      const spec = ctx.attrs;
      const { size } = spec;
      const rows = rowsOf(x, size);
      const xd = contiguousData(x) as FloatArray;
      const { mean, rstd } = statsOf(x, xd, spec);
      const dx = ctx.needs(0) ? empty(x.shape, x.dtype) : null;
      // Stryker disable next-line LogicalOperator: work the engine discards: with γ (β) present, a gradient it does not need; with it absent, its input is a placeholder without a grad edge, so needs() is false and || gives null too
      const dw = spec.weight && ctx.needs(1) ? new Float64Array(size) : null;
      // Stryker disable next-line LogicalOperator: work the engine discards: with γ (β) present, a gradient it does not need; with it absent, its input is a placeholder without a grad edge, so needs() is false and || gives null too
      const db = spec.bias && ctx.needs(2) ? new Float64Array(size) : null;
      const w = spec.weight ? (contiguousData(weight) as FloatArray) : null;
      layerNormRowsBackward(dx === null ? null : (dx._storage.data as FloatArray), dw, db, contiguousData(g) as FloatArray, xd, w, rows, size, mean, rstd);
      return [dx, dw === null ? null : fromAccumulator(dw, ctx.inputShape(1), x.dtype), db === null ? null : fromAccumulator(db, ctx.inputShape(2), x.dtype)];
    },
    save: [0, 1],
  }),
};
