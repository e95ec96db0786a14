/**
 * Reduction primitives (sum, prod, amax, amin, argmax, argmin, any, all) and the lane
 * primitives (softmax, logSoftmax, cumsum).
 * @module
 */
import { cumsumLanes, softmaxLanes, type Lanes } from '../../kernels/lanes.js';
import { reduceKernels, type ReduceKernel } from '../../kernels/reduce.js';
import { columnSum } from '../../kernels/runtime/index.js';
import { toFloat, type DType } from '../dtype.js';
import { rule, type Backward, type BackwardContext, type CheckedRule, type RuleTable, type SaveList } from '../rule.js';
import type { Tensor } from '../tensor.js';
import * as E from '../ops/elementwise.js';
import * as R from '../ops/reduce.js';
import { expand, reshape } from '../ops/shape.js';
import { empty } from './common.js';

/** Dims to reduce (sorted, normalised) and whether to keep them. @internal */
export interface ReduceSpec {
  dims: number[];
  keepdim: boolean;
}

/** Attributes of the reduction primitives. @internal */
// prettier-ignore
export interface ReduceAttrs {
  sum: ReduceSpec; prod: ReduceSpec; amax: ReduceSpec; amin: ReduceSpec;
  argmax: ReduceSpec; argmin: ReduceSpec; any: ReduceSpec; all: ReduceSpec;
  softmax: { dim: number }; logSoftmax: { dim: number }; cumsum: { dim: number };
};

/** The output shape of reducing `shape` over `dims`. @internal */
function reducedShape(shape: readonly number[], { dims, keepdim }: ReduceSpec): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!dims.includes(i)) out.push(shape[i]!);
    else if (keepdim) out.push(1);
  }
  return out;
}

/**
 * The sum over the leading dims of a contiguous tensor (a bias gradient) through the reduction
 * family's column-sum entry (same bits as the general kernel), or null for any other reduction.
 */
function leadingSum(x: Tensor, spec: ReduceSpec, dtype: DType): Tensor | null {
  const k = spec.dims.length;
  if (!x._contiguous || k === 0 || k >= x.ndim || spec.dims[k - 1] !== k - 1) return null;
  let rows = 1;
  for (let d = 0; d < k; d++) rows *= x.shape[d]!;
  if (rows === 0) return null;
  const out = empty(reducedShape(x.shape, spec), dtype);
  columnSum(out._storage.data, x._storage.data, x._offset, rows, x._numel / rows);
  return out;
}

function reduceWith(kernel: ReduceKernel, x: Tensor, spec: ReduceSpec, dtype: DType): Tensor {
  if (kernel === reduceKernels.sum) {
    const out = leadingSum(x, spec, dtype);
    if (out !== null) return out;
  }
  const outerShape: number[] = [],
    outerStrides: number[] = [],
    innerShape: number[] = [],
    innerStrides: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (spec.dims.includes(i)) {
      innerShape.push(x.shape[i]!);
      innerStrides.push(x._strides[i]!);
    } else {
      outerShape.push(x.shape[i]!);
      outerStrides.push(x._strides[i]!);
    }
  }
  const out = empty(reducedShape(x.shape, spec), dtype);
  kernel(out._storage.data, x._storage.data, x._offset, outerShape, outerStrides, innerShape, innerStrides);
  return out;
}

/** The gradient of a reduced output, broadcast back over the reduced dims of `shape`. */
function unreduce(g: Tensor, shape: readonly number[], spec: ReduceSpec): Tensor {
  const kept = spec.keepdim ? g : reshape(g, reducedShape(shape, { dims: spec.dims, keepdim: true }));
  return expand(kept, shape);
}

function reduction<const S extends SaveList = readonly []>(
  kernel: ReduceKernel,
  dtype: (d: DType) => DType,
  save: S | undefined,
  backward: Backward<ReduceSpec, S> | null,
): CheckedRule<ReduceSpec> {
  return rule({ forward: ([x], spec) => reduceWith(kernel, x!, spec, dtype(x!.dtype)), backward, save });
}

const intSum = (d: DType): DType => (d === 'bool' ? 'int32' : d);
const same = (d: DType): DType => d;
const index = (): DType => 'int32';
const bool = (): DType => 'bool';

/** Gradient of amax/amin: shared equally among the elements equal to the extreme. */
function extremeGrad(g: Tensor, ctx: BackwardContext<readonly [Tensor, Tensor], ReduceSpec>): (Tensor | null)[] {
  const [x, out] = ctx.saved;
  const spec = ctx.attrs;
  const keep = { dims: spec.dims, keepdim: true };
  const outKeep = spec.keepdim ? out : reshape(out, reducedShape(x.shape, keep));
  const mask = E.toDType(E.eq(x, outKeep), g.dtype);
  const count = R.sumSpec(mask, keep);
  return [E.div(E.mul(unreduce(g, x.shape, spec), mask), count)];
}

/** Gradient of prod, correct when the input has zeros: the product of all other elements. */
function prodGrad(g: Tensor, ctx: BackwardContext<readonly [Tensor], ReduceSpec>): (Tensor | null)[] {
  const [x] = ctx.saved;
  const spec = ctx.attrs;
  const keep = { dims: spec.dims, keepdim: true };
  const nonzero = E.ne(x, 0);
  const safe = E.where(nonzero, x, 1);
  const zeros = R.sumSpec(E.toDType(E.logicalNot(nonzero), 'int32'), keep);
  const prodNonzero = R.prodSpec(safe, keep);
  // Written so that createGraph also gives the right second derivatives (like PyTorch's
  // prod_safe_zeros_backward). At a nonzero element: prod(x) / x, which is 0 when there is a zero
  // but still depends on it. At a zero element: the product of the nonzero others when it is the
  // only zero; times the other zero (value 0, derivative 1) when there are two; else 0.
  const atNonzero = E.div(R.prodSpec(x, keep), safe);
  const otherZero = E.sub(R.sumSpec(E.where(nonzero, 0, x), keep), x);
  const atZero = E.where(E.eq(zeros, 1), prodNonzero, E.where(E.eq(zeros, 2), E.mul(prodNonzero, otherZero), 0));
  const others = E.where(nonzero, atNonzero, atZero);
  return [E.mul(unreduce(g, x.shape, spec), others)];
}

/** Describes the lanes along `dim` of an input and a contiguous output of the same shape. @internal */
function lanesOf(x: Tensor, out: Tensor, dim: number): Lanes {
  const outerShape: number[] = [],
    aOuter: number[] = [],
    oOuter: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (i === dim) continue;
    outerShape.push(x.shape[i]!);
    aOuter.push(x._strides[i]!);
    oOuter.push(out._strides[i]!);
  }
  const n = x.ndim === 0 ? 1 : x.shape[dim]!;
  return { outerShape, aOuter, oOuter, n, aStride: x._strides[dim] ?? 1, oStride: out._strides[dim] ?? 1, aOffset: x._offset };
}

function lane<const S extends SaveList = readonly []>(
  kind: 'softmax' | 'logSoftmax' | 'cumsum',
  save: S | undefined,
  backward: Backward<{ dim: number }, S>,
): CheckedRule<{ dim: number }> {
  return rule({
    forward: ([x], { dim }) => {
      // Stryker disable next-line ConditionalExpression: always intSum differs only for an integer input to softmax/logSoftmax, which they reject with a DTypeError first (unreachable)
      const dtype = kind === 'cumsum' ? intSum(x!.dtype) : toFloat(x!.dtype);
      const out = empty(x!.shape, dtype);
      const l = lanesOf(x!, out, dim);
      if (kind === 'cumsum') cumsumLanes(out._storage.data, x!._storage.data, l);
      else softmaxLanes(out._storage.data, x!._storage.data, l, kind === 'logSoftmax');
      return out;
    },
    backward,
    save,
  });
}

/** The reduction rule table. @internal */
// prettier-ignore
export const reduceRules: RuleTable<ReduceAttrs> = {
  sum: reduction(reduceKernels.sum, intSum, undefined, (g, ctx) => [unreduce(g, ctx.inputShape(0), ctx.attrs)]),
  prod: reduction(reduceKernels.prod, intSum, [0], prodGrad),
  amax: reduction(reduceKernels.max, same, [0, 'output'], extremeGrad),
  amin: reduction(reduceKernels.min, same, [0, 'output'], extremeGrad),
  argmax: reduction(reduceKernels.argmax, index, undefined, null),
  argmin: reduction(reduceKernels.argmin, index, undefined, null),
  any: reduction(reduceKernels.any, bool, undefined, null),
  all: reduction(reduceKernels.all, bool, undefined, null),
  // y ⊙ (g − Σ g ⊙ y) in one pass (prims/softmax-grad.ts).
  softmax: lane('softmax', ['output'], (g, ctx) => [R.softmaxBackward(g, ctx.saved[0], ctx.attrs.dim)]),
  logSoftmax: lane('logSoftmax', ['output'], (g, ctx) => {
    const [out] = ctx.saved;
    const { dim } = ctx.attrs;
    return [E.sub(g, E.mul(E.exp(out), R.sumSpec(g, { dims: [dim], keepdim: true })))];
  }),
  cumsum: lane('cumsum', undefined, (g, { attrs: { dim } }) => [E.add(E.sub(R.sumSpec(g, { dims: [dim], keepdim: true }), R.cumsum(g, dim)), g)]),
};
