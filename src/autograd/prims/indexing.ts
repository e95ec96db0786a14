/**
 * Indexing primitives: indexSelect/indexAdd and gather/scatterAdd/scatter, each the other's backward.
 * Inputs are [source, index] or [self, index, src]; indices are int32 and already range-checked.
 * @module
 */
import { around, gatherKernel, indexAddKernel, indexSelectKernel, scatterKernel } from '../../kernels/gather-scatter.js';
import { rule, type RuleTable } from '../rule.js';
import type { Tensor } from '../tensor.js';
import { contiguousData } from '../ops/shape.js';
import * as I from '../ops/indexing.js';
import { empty } from './common.js';
import { copyInto } from './movement.js';

/** Attributes of the indexing primitives. @internal */
// prettier-ignore
export interface IndexingAttrs {
  indexSelect: { dim: number };
  indexAdd: { dim: number };
  gather: { dim: number };
  scatterAdd: { dim: number };
  scatter: { dim: number };
};

function cloneOf(self: Tensor): Tensor {
  const out = empty(self.shape, self.dtype);
  copyInto(out, self);
  return out;
}

const idx = (t: Tensor): Int32Array => contiguousData(t) as Int32Array;

/** The indexing rule table. @internal */
// prettier-ignore
export const indexingRules: RuleTable<IndexingAttrs> = {
  indexSelect: rule({
    forward: ([x, index], { dim }) => {
      const shape = x!.shape.slice();
      shape[dim] = index!.numel();
      const out = empty(shape, x!.dtype);
      const [outer, inner] = around(x!.shape, dim);
      indexSelectKernel(out._storage.data, contiguousData(x!), idx(index!), outer, x!.shape[dim]!, inner);
      return out;
    },
    backward: (g, ctx) => {
      const [, index] = ctx.saved;
      return [I.indexAdd(I.zerosOf(ctx.inputShape(0), g.dtype), ctx.attrs.dim, index, g), null];
    },
    save: [0, 1],
  }),
  indexAdd: rule({
    forward: ([self, index, src], { dim }) => {
      const out = cloneOf(self!);
      const [outer, inner] = around(self!.shape, dim);
      indexAddKernel(out._storage.data, contiguousData(src!), idx(index!), outer, self!.shape[dim]!, inner);
      return out;
    },
    backward: (g, ctx) => {
      const [, index] = ctx.saved;
      return [g, null, ctx.needs(2) ? I.indexSelect(g, ctx.attrs.dim, index) : null];
    },
    save: [0, 1, 2],
  }),
  gather: rule({
    forward: ([x, index], { dim }) => {
      const out = empty(index!.shape, x!.dtype);
      gatherKernel(out._storage.data, contiguousData(x!), x!.shape, idx(index!), index!.shape, dim);
      return out;
    },
    backward: (g, ctx) => {
      const [, index] = ctx.saved;
      return [I.scatterAdd(I.zerosOf(ctx.inputShape(0), g.dtype), ctx.attrs.dim, index, g), null];
    },
    save: [0, 1],
  }),
  scatterAdd: rule({
    forward: ([self, index, src], { dim }) => {
      const out = cloneOf(self!);
      scatterKernel(out._storage.data, self!.shape, contiguousData(src!), src!.shape, idx(index!), index!.shape, dim, true);
      return out;
    },
    backward: (g, ctx) => {
      const [, index] = ctx.saved;
      return [g, null, ctx.needs(2) ? I.gather(g, ctx.attrs.dim, index) : null];
    },
    save: [0, 1, 2],
  }),
  scatter: rule({
    forward: ([self, index, src], { dim }) => {
      const out = cloneOf(self!);
      scatterKernel(out._storage.data, self!.shape, contiguousData(src!), src!.shape, idx(index!), index!.shape, dim, false);
      return out;
    },
    backward: (g, ctx) => {
      const [, index] = ctx.saved;
      const { dim } = ctx.attrs;
      return [ctx.needs(0) ? I.scatter(g, dim, index, 0) : null, null, ctx.needs(2) ? I.gather(g, dim, index) : null];
    },
    save: [0, 1, 2],
  }),
};
