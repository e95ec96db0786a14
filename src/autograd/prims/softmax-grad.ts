/**
 * `softmaxBackward(g, y)`: the gradient of softmax along `dim` (y its output, g the output's
 * gradient), y ⊙ (g − Σ g ⊙ y) in one pass per lane (kernels/softmax-grad.ts) instead of four
 * elementwise and reduction ops. softmax's backward runs it; its own backward is written in Tensor
 * ops, so higher-order gradients work.
 * @module
 */
import { softmaxGradLanes } from '../../kernels/softmax-grad.js';
import { rule, type RuleTable } from '../rule.js';
import { mul, sub } from '../ops/elementwise.js';
import { sumSpec } from '../ops/reduce.js';
import { contiguousData } from '../ops/shape.js';
import { empty } from './common.js';

/** Attributes of the softmax gradient primitive. @internal */
// prettier-ignore
export interface SoftmaxGradAttrs {
  softmaxBackward: { dim: number };
};

/** The softmax gradient's rule table. @internal */
// prettier-ignore
export const softmaxGradRules: RuleTable<SoftmaxGradAttrs> = {
  softmaxBackward: rule({
    forward: ([g, y], { dim }) => {
      const out = empty(y!.shape, y!.dtype);
      const shape = y!.shape;
      let outer = 1;
      let inner = 1;
      // Stryker disable next-line EqualityOperator: i <= dim makes outer too large: the extra lane blocks lie past the end of out (no-op writes)
      for (let i = 0; i < dim; i++) outer *= shape[i]!;
      for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
      // Stryker disable next-line ConditionalExpression: for a 0-d input the lane loops then do not run and leave the fresh, zero-filled output: the right gradient, 0
      softmaxGradLanes(out._storage.data, contiguousData(g!), contiguousData(y!), outer, shape.length === 0 ? 1 : shape[dim]!, inner);
      return out;
    },
    // out = y ⊙ (g − s), s = Σ g ⊙ y. With upstream u and t = Σ u ⊙ y:
    // d/dg = y ⊙ (u − t); d/dy = u ⊙ (g − s) − t ⊙ g.
    backward: (u, ctx) => {
      const [g, y] = ctx.saved;
      const { dim } = ctx.attrs;
      const t = sumSpec(mul(u, y), { dims: [dim], keepdim: true });
      const dg = ctx.needs(0) ? mul(y, sub(u, t)) : null;
      const dy = ctx.needs(1) ? sub(mul(u, sub(g, sumSpec(mul(g, y), { dims: [dim], keepdim: true }))), mul(t, g)) : null;
      return [dg, dy];
    },
    save: [0, 1],
  }),
};
