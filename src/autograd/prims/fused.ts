/**
 * Fused primitives for hot paths that would otherwise run a dozen small ops.
 *
 * `crossEntropyIndices`: cross-entropy of logits [N, C] at int32 class indices [N] (log-softmax
 * and NLL in one pass over the logits), reduced by mean, sum or not at all. Its gradient is the
 * primitive `crossEntropyIndicesBackward` (softmax minus one-hot, scaled, in one pass), whose own
 * backward is written in Tensor ops, so higher-order gradients work. Both compute in float64 and
 * round once to the logits' dtype; for float32 logits the exponentials are the float32-accurate
 * polynomial of kernels/fastmath.ts instead of `Math.exp`. nn.functional.crossEntropy takes this path for class-index
 * targets without weight, label smoothing or ignored targets, because one pass over the logits with
 * no intermediate tensors beats the composite (logSoftmax + nllLoss, each op a pass and an
 * allocation) forward and backward; the timings are in docs/performance.md.
 * @module
 */
import { expFloat32 } from '../../kernels/fastmath.js';
import { rule, type RuleTable } from '../rule.js';
import type { Tensor } from '../tensor.js';
import { contiguousData } from '../ops/shape.js';
import { empty } from './common.js';
import { crossEntropyIndicesBackward } from '../ops/nn.js';

/** How the per-sample losses are reduced. @internal */
export type FusedReduction = 'mean' | 'sum' | 'none';

/** Attributes of the fused primitives. @internal */
// prettier-ignore
export interface FusedAttrs {
  crossEntropyIndices: { reduction: FusedReduction };
  crossEntropyIndicesBackward: { reduction: FusedReduction };
};

/**
 * Per row of x [n, c] (row-major): the log-sum-exp, stable like the log-softmax lanes (the row
 * maximum is subtracted first). A NaN anywhere in a row makes its sum NaN, and an all −∞ row gives
 * −∞ − (−∞) = NaN, the loss PyTorch gives for both, so neither needs a case of its own.
 */
function logSumExpRows(x: ArrayLike<number>, n: number, c: number, exp: (v: number) => number): Float64Array {
  const lse = new Float64Array(n);
  // Stryker disable next-line EqualityOperator: past the last row (i <= n) only reads undefined and writes past the end of lse, a no-op
  for (let i = 0; i < n; i++) {
    const base = i * c;
    let max = -Infinity;
    for (let j = 0; j < c; j++) {
      const v = x[base + j]!;
      // Stryker disable next-line EqualityOperator: any row maximum gives the same log-sum-exp; only the strict > vs >= at ties is mutated equivalently
      if (v > max) max = v;
    }
    let sum = 0;
    for (let j = 0; j < c; j++) sum += exp(x[base + j]! - max);
    lse[i] = Math.log(sum) + max;
  }
  return lse;
}

/** The exp of the loops: float32-accurate without Math.exp for float32 logits, exact for float64. */
function expOf(x: Tensor): (v: number) => number {
  // Stryker disable next-line ConditionalExpression,StringLiteral: Math.exp for float32 gives the same float32 results (expFloat32 is the faster twin, checked in test/kernels/fastmath.test.ts)
  return x.dtype === 'float32' ? expFloat32 : Math.exp;
}

/** One-hot rows [n, c] of the class indices t, in dtype of x. */
function oneHot(x: Tensor, t: Tensor): Tensor {
  const [n, c] = x.shape as [number, number];
  const out = empty(x.shape, x.dtype);
  const ids = contiguousData(t);
  const d = out._storage.data;
  // Stryker disable next-line EqualityOperator: i <= n writes at index NaN (ids[n] is undefined), a no-op on a typed array
  for (let i = 0; i < n; i++) d[i * c + ids[i]!] = 1;
  return out;
}

/** The fused rule table. @internal */
// prettier-ignore
export const fusedRules: RuleTable<FusedAttrs> = {
  crossEntropyIndices: rule({
    forward: ([x, t], { reduction }) => {
      const [n, c] = x!.shape as [number, number];
      const xd = contiguousData(x!);
      const ids = contiguousData(t!);
      const lse = logSumExpRows(xd, n, c, expOf(x!));
      if (reduction === 'none') {
        const out = empty([n], x!.dtype);
        const o = out._storage.data;
        // Stryker disable next-line EqualityOperator: i <= n writes past the end of the typed array, a no-op
        for (let i = 0; i < n; i++) o[i] = lse[i]! - xd[i * c + ids[i]!]!;
        return out;
      }
      let total = 0;
      for (let i = 0; i < n; i++) total += lse[i]! - xd[i * c + ids[i]!]!;
      const out = empty([], x!.dtype);
      out._storage.data[0] = reduction === 'mean' ? total / n : total;
      return out;
    },
    backward: (g, ctx) => {
      const [x, t] = ctx.saved;
      return [crossEntropyIndicesBackward(g, x, t, ctx.attrs.reduction), null];
    },
    save: [0, 1],
  }),

  // dx[i, j] = s_i · (softmax(x_i)_j − [j = t_i]), s_i = g/N (mean), g (sum) or g[i] (none).
  crossEntropyIndicesBackward: rule({
    forward: ([g, x, t], { reduction }) => {
      const [n, c] = x!.shape as [number, number];
      const xd = contiguousData(x!);
      const gd = contiguousData(g!);
      const ids = contiguousData(t!);
      const exp = expOf(x!);
      const out = empty(x!.shape, x!.dtype);
      const o = out._storage.data;
      const e = new Float64Array(c);
      const g0 = reduction === 'mean' ? gd[0]! / n : gd[0]!; // unused for 'none'
      // Stryker disable next-line EqualityOperator: i <= n reads undefined and writes past the end of out (and at index NaN), a no-op
      for (let i = 0; i < n; i++) {
        const s = reduction === 'none' ? gd[i]! : g0;
        const base = i * c;
        // softmax of the row as in logSumExpRows, one exp per element.
        let max = -Infinity;
        for (let j = 0; j < c; j++) {
          const v = xd[base + j]!;
          // Stryker disable next-line EqualityOperator: any row maximum gives the same softmax; only the strict > vs >= at ties is mutated equivalently
          if (v > max) max = v;
        }
        let sum = 0;
        for (let j = 0; j < c; j++) sum += e[j] = exp(xd[base + j]! - max);
        const scale = s / sum;
        // Stryker disable next-line EqualityOperator: j <= c writes the next row's first element, which that row then overwrites (past the end for the last row)
        for (let j = 0; j < c; j++) o[base + j] = e[j]! * scale;
        const k = base + ids[i]!;
        o[k] = s * (e[ids[i]!]! / sum - 1);
      }
      return out;
    },
    // With p = softmax(x) and d = p − onehot(t): d/dg of Σ gg·s·d is Σ_j gg·d (per row, then
    // reduced like the loss); d/dx is s · (p ⊙ gg − p · Σ_j p ⊙ gg), the softmax Jacobian
    // applied to gg row by row.
    backward: (gg, ctx) => {
      const [g, x, t] = ctx.saved;
      const { reduction } = ctx.attrs;
      const n = x.shape[0]!;
      const p = x.softmax(1);
      let gradG: Tensor | null = null;
      // Stryker disable next-line ConditionalExpression: → true only computes a gradient that the engine drops for an input without a grad edge
      if (ctx.needs(0)) {
        const rows = gg.mul(p.sub(oneHot(x, t))).sum(1);
        gradG = reduction === 'none' ? rows : reduction === 'mean' ? rows.sum().div(n) : rows.sum();
      }
      let gradX: Tensor | null = null;
      // Stryker disable next-line ConditionalExpression: → true only computes a gradient that the engine drops for an input without a grad edge
      if (ctx.needs(1)) {
        const pg = p.mul(gg);
        const hv = pg.sub(p.mul(pg.sum(1, { keepdim: true })));
        gradX = reduction === 'none' ? hv.mul(g.unsqueeze(1)) : hv.mul(reduction === 'mean' ? g.div(n) : g);
      }
      return [gradG, gradX, null];
    },
    save: [0, 1, 2],
  }),
};
