/**
 * Reductions and the ops along one dim (softmax, logSoftmax, cumsum), plus composites built
 * from them (mean, var, std, logsumexp, norm, max/min with indices).
 * @module
 */
import { checkArity, describe } from '../args.js';
import { isFloat, toFloat, type DType } from '../dtype.js';
import { ArgumentTypeError, DTypeError, ValueError } from '../errors.js';
import { run } from '../tape.js';
import type { ReduceSpec } from '../prims/reduce.js';
import { normDim, normDims, sameShape } from '../shape.js';
import { Tensor, type ValuesIndices } from '../tensor.js';
import * as E from './elementwise.js';
import { reshape, squeeze } from './shape.js';
import { gather } from './indexing.js';
import {
  checkInput,
  dimDTypeArgs,
  reduceArgs,
  type DTypeReduceOptions,
  type DimOptions,
  type ParsedReduce,
  type ReduceArgs,
  type ReduceOptions,
} from './reduce-args.js';

export type { DTypeReduceOptions, DimOptions, Dims, ReduceArgs, ReduceOptions, VarOptions } from './reduce-args.js';

/** @internal */
export function forms(op: string, extra = ''): string {
  return `${op}(x), ${op}(x, dim), ${op}(x, dim, keepdim), ${op}(x, dim, { keepdim${extra} }) or ${op}(x, { dim, keepdim${extra} }); x.${op}(dim, keepdim) on a Tensor`;
}

/** @internal */
export function specOf(op: string, x: Tensor, p: ParsedReduce): ReduceSpec {
  return { dims: normDims(op, p.dim, x.ndim), keepdim: p.keepdim };
}

/** @internal */
export function cast(x: Tensor, dtype: DType | undefined): Tensor {
  return dtype === undefined || dtype === x.dtype ? x : E.toDType(x, dtype);
}

/** @internal */
export function parse(op: string, x: Tensor, args: readonly unknown[], settings?: { one?: boolean; dtype?: boolean }): ParsedReduce {
  checkInput(op, x, forms(op, settings?.dtype ? ', dtype' : ''));
  return reduceArgs(op, args, forms(op, settings?.dtype ? ', dtype' : ''), settings);
}

/** Sum over a normalised spec. @internal */
export function sumSpec(x: Tensor, s: ReduceSpec): Tensor {
  return run('sum', [x], s);
}
/** Product over a normalised spec. @internal */
export function prodSpec(x: Tensor, s: ReduceSpec): Tensor {
  return run('prod', [x], s);
}

/**
 * Sums a (broadcast) gradient back to `shape`: over leading dims and dims where `shape` has size 1.
 * @internal
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  // Only leading dims (a bias gradient): summed away, they leave `shape` itself, without a reshape.
  const s = dims.length ? sumSpec(g, { dims, keepdim: dims.length !== lead }) : g;
  return sameShape(s.shape, shape) ? s : reshape(s, shape);
}

/**
 * Sum over all dims, or over `dim` (one or several; negative dims count from the end).
 * Bool sums to int32.
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 0); // tensor([4, 6])
 * ```
 */
export function sum(x: Tensor, ...args: ReduceArgs<DTypeReduceOptions>): Tensor {
  const p = parse('sum', x, args, { dtype: true });
  return sumSpec(cast(x, p.dtype), specOf('sum', x, p));
}

/**
 * Mean over all dims or `dim`; integer inputs are averaged in float32.
 * @example
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), 1); // tensor([1.5, 3.5])
 * ```
 */
export function mean(x: Tensor, ...args: ReduceArgs<DTypeReduceOptions>): Tensor {
  const p = parse('mean', x, args, { dtype: true });
  const s = specOf('mean', x, p);
  const n = s.dims.reduce((acc, d) => acc * x.shape[d]!, 1);
  const xc = cast(x, p.dtype);
  const xf = isFloat(xc.dtype) ? xc : E.toDType(xc, toFloat(xc.dtype));
  return E.div(sumSpec(xf, s), n);
}

/**
 * Product over all dims or `dim`; the gradient is right with zeros in the input.
 * @example
 * ```ts
 * prod(tensor([1, 2, 3])); // tensor(6)
 * ```
 */
export function prod(x: Tensor, ...args: ReduceArgs<DTypeReduceOptions>): Tensor {
  const p = parse('prod', x, args, { dtype: true });
  return prodSpec(cast(x, p.dtype), specOf('prod', x, p));
}

function nonEmpty(op: string, x: Tensor, s: ReduceSpec): void {
  for (const d of s.dims) {
    if (x.shape[d] === 0) throw new ValueError(`${op}: cannot reduce over dim ${d} of size 0 (shape [${x.shape.join(', ')}])`);
  }
  if (x.numel() === 0 && s.dims.length === 0 && x.ndim > 0) throw new ValueError(`${op}: the input is empty`);
}

/**
 * Maximum over all dims or `dim`; ties share the gradient equally.
 * @example
 * ```ts
 * amax(tensor([[1, 5], [3, 2]]), 1); // tensor([5, 3])
 * ```
 */
export function amax(x: Tensor, ...args: ReduceArgs<ReduceOptions>): Tensor {
  const s = specOf('amax', x, parse('amax', x, args));
  nonEmpty('amax', x, s);
  return run('amax', [x], s);
}

/**
 * Minimum over all dims or `dim`; ties share the gradient equally.
 * @example
 * ```ts
 * amin(tensor([[1, 5], [3, 2]]), 1); // tensor([1, 2])
 * ```
 */
export function amin(x: Tensor, ...args: ReduceArgs<ReduceOptions>): Tensor {
  const s = specOf('amin', x, parse('amin', x, args));
  nonEmpty('amin', x, s);
  return run('amin', [x], s);
}

function argSpec(op: string, x: Tensor, dim: number | undefined, options?: { keepdim?: boolean }): ReduceSpec {
  if (dim === undefined) {
    const s = { dims: normDims(op, undefined, x.ndim), keepdim: false };
    nonEmpty(op, x, s);
    if (x.numel() === 0) throw new ValueError(`${op}: the input is empty`);
    return s;
  }
  const s = { dims: [normDim(op, dim, x.ndim)], keepdim: options?.keepdim ?? false };
  nonEmpty(op, x, s);
  return s;
}

/**
 * Index (int32) of the maximum, in the flattened tensor or along `dim`; the first one on ties.
 * @example
 * ```ts
 * argmax(tensor([[1, 5], [3, 2]]), 1); // tensor([1, 0])
 * ```
 */
export function argmax(x: Tensor, ...args: ReduceArgs<DimOptions, number>): Tensor {
  const p = parse('argmax', x, args, { one: true });
  return run('argmax', [x], argSpec('argmax', x, p.dim as number | undefined, p));
}

/**
 * Index (int32) of the minimum, in the flattened tensor or along `dim`.
 * @example
 * ```ts
 * argmin(tensor([[1, 5], [3, 2]]), 1); // tensor([0, 1])
 * ```
 */
export function argmin(x: Tensor, ...args: ReduceArgs<DimOptions, number>): Tensor {
  const p = parse('argmin', x, args, { one: true });
  return run('argmin', [x], argSpec('argmin', x, p.dim as number | undefined, p));
}

/** `[values, indices]` that also reads as `.values` and `.indices`, like PyTorch's named tuple. @internal */
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  const out = [values, indices] as unknown as { values: Tensor; indices: Tensor };
  out.values = values;
  out.indices = indices;
  return Object.freeze(out) as unknown as ValuesIndices;
}

function extremeDim(op: 'argmax' | 'argmin', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normDim(op === 'argmax' ? 'max' : 'min', dim, x.ndim);
  const indices = run(op, [x], argSpec(op, x, d, { keepdim: true }));
  const values = x.ndim === 0 ? x : gather(x, d, indices);
  if (keepdim || x.ndim === 0) return valuesIndices(values, x.ndim === 0 ? reshape(indices, []) : indices);
  return valuesIndices(squeeze(values, d), squeeze(indices, d));
}

function extreme(op: 'max' | 'min', x: Tensor, args: readonly unknown[]): Tensor | ValuesIndices {
  const f = `${op}(x), ${op}(x, other), ${op}(x, dim), ${op}(x, dim, keepdim) or ${op}(x, { dim, keepdim }); x.${op}(dim, keepdim) on a Tensor`;
  checkInput(op, x, f);
  if (args[0] instanceof Tensor) {
    checkArity(op, args, 1, f);
    return op === 'max' ? E.maximum(x, args[0]) : E.minimum(x, args[0]);
  }
  const p = reduceArgs(op, args, f, { one: true });
  if (p.dim === undefined) {
    if (p.keepdim) throw new ArgumentTypeError(`${op}: keepdim needs a dim; accepted forms: ${f}`);
    return op === 'max' ? amax(x) : amin(x);
  }
  return extremeDim(op === 'max' ? 'argmax' : 'argmin', x, p.dim as number, p.keepdim);
}

/**
 * PyTorch's `max`: the maximum of all elements; with `dim`, the maxima along it and their indices
 * (destructure `[values, indices]` or read `.values`/`.indices`); with another tensor, the
 * elementwise maximum.
 * @example
 * ```ts
 * const x = tensor([[1, 5], [3, 2]]);
 * max(x);                                // tensor(5)
 * const [values, indices] = max(x, 1);   // tensor([5, 3]), tensor([1, 0])
 * max(x, zerosLike(x));                  // elementwise
 * ```
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(
  x: Tensor,
  ...args: [dim: number, keepdim?: boolean | DimOptions, options?: DimOptions] | [options: DimOptions & { dim: number }]
): ValuesIndices;
export function max(x: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return extreme('max', x, args);
}

/**
 * PyTorch's `min`: as {@link max}, for minima.
 * @example
 * ```ts
 * const { values, indices } = min(tensor([[1, 5], [3, 2]]), 1);
 * ```
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(
  x: Tensor,
  ...args: [dim: number, keepdim?: boolean | DimOptions, options?: DimOptions] | [options: DimOptions & { dim: number }]
): ValuesIndices;
export function min(x: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  return extreme('min', x, args);
}

/**
 * Maximum along `dim` with its indices; the gradient goes to the returned index.
 * @example
 * ```ts
 * const { values, indices } = maxDim(tensor([[1, 5], [3, 2]]), 1);
 * ```
 */
export function maxDim(x: Tensor, dim: number, ...rest: [keepdim?: boolean | DimOptions, options?: DimOptions]): ValuesIndices {
  const p = parse('maxDim', x, [dim, ...rest], { one: true });
  if (p.dim === undefined) throw new ArgumentTypeError(`maxDim: dim is required, got ${describe(dim)}`);
  return extremeDim('argmax', x, p.dim as number, p.keepdim);
}

/**
 * Minimum along `dim` with its indices.
 * @example
 * ```ts
 * const { values, indices } = minDim(tensor([[1, 5], [3, 2]]), 1);
 * ```
 */
export function minDim(x: Tensor, dim: number, ...rest: [keepdim?: boolean | DimOptions, options?: DimOptions]): ValuesIndices {
  const p = parse('minDim', x, [dim, ...rest], { one: true });
  if (p.dim === undefined) throw new ArgumentTypeError(`minDim: dim is required, got ${describe(dim)}`);
  return extremeDim('argmin', x, p.dim as number, p.keepdim);
}

export { variance, std, logsumexp, norm, type VarArgs, type NormArgs, type NormOptions } from './reduce-stats.js';

const dimForms = (op: string): string => `${op}(x, dim), ${op}(x, dim, dtype) or ${op}(x, { dim, dtype }); x.${op}(dim) on a Tensor`;

function alongDim(op: 'softmax' | 'logSoftmax' | 'cumsum', x: Tensor, args: readonly unknown[]): Tensor {
  checkInput(op, x, dimForms(op));
  const { dim, dtype } = dimDTypeArgs(op, args, dimForms(op));
  const xc = cast(x, dtype);
  // PyTorch 1.13: "softmax_lastdim_kernel_impl" not implemented for 'Int' (and Long, Bool).
  if (op !== 'cumsum' && !isFloat(xc.dtype)) {
    throw new DTypeError(`${op}: not implemented for ${xc.dtype} input; pass dtype: 'float32' or 'float64' to convert it first`);
  }
  return run(op, [xc], { dim: normDim(op, dim, xc.ndim) });
}

/**
 * Softmax along `dim`; `dtype` converts the input first.
 * @example
 * ```ts
 * softmax(tensor([1, 1]), 0); // tensor([0.5, 0.5])
 * ```
 */
export function softmax(
  x: Tensor,
  ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
): Tensor {
  return alongDim('softmax', x, args);
}

/**
 * Runs the softmax gradient primitive: y ⊙ (g − Σ g ⊙ y) along `dim`, for softmax's output `y` and
 * its gradient `g` (prims/softmax-grad.ts). softmax's backward rule records it.
 * @internal
 */
export function softmaxBackward(g: Tensor, y: Tensor, dim: number): Tensor {
  return run('softmaxBackward', [g, y], { dim });
}

/**
 * Log-softmax along `dim`, computed stably (never `log(0)` for a saturated softmax).
 * @example
 * ```ts
 * logSoftmax(tensor([0, 0]), 0); // tensor([-0.6931, -0.6931])
 * ```
 */
export function logSoftmax(
  x: Tensor,
  ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
): Tensor {
  return alongDim('logSoftmax', x, args);
}

/**
 * Cumulative sum along `dim`.
 * @example
 * ```ts
 * cumsum(tensor([1, 2, 3]), 0); // tensor([1, 3, 6])
 * ```
 */
export function cumsum(
  x: Tensor,
  ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
): Tensor {
  return alongDim('cumsum', x, args);
}

/**
 * True where any element over `dim` (default all) is nonzero.
 * @example
 * ```ts
 * any(tensor([0, 1])); // tensor(true)
 * ```
 */
export function any(x: Tensor, ...args: ReduceArgs<ReduceOptions>): Tensor {
  return run('any', [x], specOf('any', x, parse('any', x, args)));
}

/**
 * True where every element over `dim` (default all) is nonzero.
 * @example
 * ```ts
 * all(tensor([0, 1])); // tensor(false)
 * ```
 */
export function all(x: Tensor, ...args: ReduceArgs<ReduceOptions>): Tensor {
  return run('all', [x], specOf('all', x, parse('all', x, args)));
}
