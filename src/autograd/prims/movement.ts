/**
 * Movement primitives. reshape, permute, expand and slice return views that share storage;
 * copy and cat write new storage; sliceScatter is slice's backward (and slice is its backward).
 * @module
 */
import { LazyKernel } from '../../kernels/strided.js';
import { rule, type RuleTable } from '../rule.js';
import { contiguousStrides } from '../shape.js';
import { Tensor } from '../tensor.js';
import { sumTo } from '../ops/reduce.js';
import { narrow, permute, reshape, slice, sliceScatter } from '../ops/shape.js';
import { empty, operand } from './common.js';

/** A strided slice of one dim: elements start, start+step, ... below end (already normalised). @internal */
export interface SliceSpec {
  dim: number;
  start: number;
  end: number;
  step: number;
}

/** Attributes of the movement primitives. @internal */
// prettier-ignore
export interface MovementAttrs {
  reshape: { shape: number[] };
  permute: { dims: number[] };
  expand: { shape: number[] };
  slice: SliceSpec;
  sliceScatter: SliceSpec & { shape: number[] };
  copy: null;
  cat: { dim: number };
};

const copyKernel = new LazyKernel(1, 'a');

/** Copies `src` into the strided region `dst` of the same shape. @internal */
export function copyInto(dst: Tensor, src: Tensor): void {
  // Stryker disable next-line ConditionalExpression: false always takes the strided loop, which gives the same copy (two implementations of one result)
  copyKernel.run(dst.shape, operand(dst), [operand(src)], dst._contiguous && src._contiguous, 0);
}

/** A view of `x` with another layout over the same storage. @internal */
function viewOf(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(x._storage, shape, strides, offset, x.dtype);
}

/**
 * Strides that let `newShape` view data laid out as (shape, strides) without a copy, or null
 * when it cannot (the merged dims must be contiguous among themselves).
 * @internal
 */
function viewStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[]): number[] | null {
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(n): every index is assigned before use
  const out = new Array<number>(newShape.length);
  if (shape.includes(0) || shape.length === 0) return contiguousStrides(newShape);
  // Drop size-1 dims of the old shape: they never constrain a view.
  const os: number[] = [],
    ost: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    // Stryker disable next-line ConditionalExpression: true keeps the size-1 dims: their strides are never read for a size-1 new dim, and a merge check that fails on one only makes a copy instead of a view (same values)
    if (shape[i] !== 1) {
      os.push(shape[i]!);
      ost.push(strides[i]!);
    }
  }
  let oi = 0;
  let ni = 0;
  while (ni < newShape.length) {
    if (newShape[ni] === 1) {
      out[ni] = oi < os.length ? ost[oi]! * os[oi]! : 1;
      ni++;
      continue;
    }
    // Take old dims [oi, oj) and new dims [ni, nj) with equal products.
    let oldProd = os[oi]!;
    let oj = oi + 1;
    let newProd = newShape[ni]!;
    let nj = ni + 1;
    while (oldProd !== newProd) {
      // Stryker disable next-line EqualityOperator: oldProd <= newProd: the loop runs only while the two products differ, so equality never reaches it
      if (oldProd < newProd) {
        oldProd *= os[oj]!;
        oj++;
      } else {
        newProd *= newShape[nj]!;
        nj++;
      }
    }
    for (let k = oi; k < oj - 1; k++) if (ost[k] !== ost[k + 1]! * os[k + 1]!) return null;
    let s = ost[oj - 1]!;
    for (let k = nj - 1; k >= ni; k--) {
      out[k] = s;
      s *= newShape[k]!;
    }
    oi = oj;
    ni = nj;
  }
  return out;
}

/** The movement rule table. @internal */
// prettier-ignore
export const movementRules: RuleTable<MovementAttrs> = {
  reshape: rule({
    forward: ([x], { shape }) => {
      const strides = viewStrides(x!.shape, x!._strides, shape);
      if (strides) return viewOf(x!, shape, strides, x!._offset);
      const copy = empty(x!.shape, x!.dtype);
      copyInto(copy, x!);
      return viewOf(copy, shape, contiguousStrides(shape), 0);
    },
    backward: (g, ctx) => [reshape(g, ctx.inputShape(0))],
  }),
  permute: rule({
    forward: ([x], { dims }) => viewOf(x!, dims.map((d) => x!.shape[d]!), dims.map((d) => x!._strides[d]!), x!._offset),
    backward: (g, { attrs: { dims } }) => {
      // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(n): every index is assigned before use
      const inverse = new Array<number>(dims.length);
      dims.forEach((d, i) => (inverse[d] = i));
      return [permute(g, inverse)];
    },
  }),
  expand: rule({
    forward: ([x], { shape }) => {
      const lead = shape.length - x!.ndim;
      // Stryker disable next-line ConditionalExpression: s !== 1 -> true gives a size-1 dim stride 0, a stride that is never read (its only index is 0); the other condition mutants are killed
      const strides = shape.map((s, i) => (i < lead || (x!.shape[i - lead] === 1 && s !== 1) ? 0 : x!._strides[i - lead]!));
      return viewOf(x!, shape, strides, x!._offset);
    },
    backward: (g, ctx) => [sumTo(g, ctx.inputShape(0))],
  }),
  slice: rule({
    forward: ([x], { dim, start, end, step }) => {
      const shape = x!.shape.slice();
      shape[dim] = Math.max(0, Math.ceil((end - start) / step));
      const strides = x!._strides.slice();
      strides[dim] = strides[dim]! * step;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the offset of an empty slice is never read
      const offset = shape[dim] === 0 ? x!._offset : x!._offset + start * x!._strides[dim]!;
      return viewOf(x!, shape, strides, offset);
    },
    backward: (g, ctx) => [sliceScatter(g, ctx.inputShape(0), ctx.attrs)],
  }),
  sliceScatter: rule({
    forward: ([g], s) => {
      const out = empty(s.shape, g!.dtype);
      copyInto(movementRules.slice.forward([out], s), g!);
      return out;
    },
    backward: (g, { attrs: s }) => [slice(g, s.dim, s.start, s.end, s.step)],
  }),
  copy: rule({
    forward: ([x]) => {
      const out = empty(x!.shape, x!.dtype);
      copyInto(out, x!);
      return out;
    },
    backward: (g) => [g],
  }),
  cat: rule({
    forward: (inputs, { dim }) => {
      const first = inputs[0]!;
      const shape = first.shape.slice();
      shape[dim] = inputs.reduce((acc, t) => acc + t.shape[dim]!, 0);
      const out = empty(shape, first.dtype);
      let at = 0;
      for (const t of inputs) {
        const size = t.shape[dim]!;
        // Stryker disable next-line EqualityOperator,ConditionalExpression: size >= 0 or true only adds a copy of an empty piece (a copy of nothing)
        if (size > 0) copyInto(movementRules.slice.forward([out], { dim, start: at, end: at + size, step: 1 }), t);
        at += size;
      }
      return out;
    },
    backward: (g, ctx) => {
      const { dim } = ctx.attrs;
      // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(n): every index is assigned before use
      const pieces = new Array<Tensor | null>(ctx.inputCount);
      let at = 0;
      for (let i = 0; i < ctx.inputCount; i++) {
        const size = ctx.inputShape(i)[dim]!;
        pieces[i] = ctx.needs(i) ? narrow(g, dim, at, size) : null;
        at += size;
      }
      return pieces;
    },
  }),
};
