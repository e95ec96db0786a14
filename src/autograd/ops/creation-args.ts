/**
 * The argument readers shared by the creation functions: PyTorch's size forms, trailing options,
 * the options spec, and the size-checked allocation.
 * @module
 */
import { bool, checkArity, describe, isPlainObject, sizesOf, splitOptions } from '../args.js';
import { allocate, dtypeOption, type DType, type TypedArray } from '../dtype.js';
import { ArgumentTypeError } from '../errors.js';
import { checkNumel, checkShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options for creating a tensor. */
export interface TensorOptions {
  /** Element type (default float32; `tensor()` of booleans defaults to bool, of a typed array to its type). */
  dtype?: DType;
  /** Track gradients for this leaf (float dtypes only). */
  requiresGrad?: boolean;
}

/**
 * The arguments of a creation function that takes sizes: PyTorch's `(2, 3)` or `([2, 3])`, with an
 * optional options object last.
 */
export type SizeArgs<O> = [...sizes: number[]] | [...sizes: number[], options: O | undefined] | [size: readonly number[], options?: O];

/** The spec of {@link TensorOptions}. @internal */
export const TENSOR_OPTIONS = { dtype: dtypeOption, requiresGrad: bool } as const;

/** Drops trailing `undefined` arguments (`eye(3, undefined, undefined)` is `eye(3)`). @internal */
export function trimmed(args: ArrayLike<unknown>): unknown[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return Array.prototype.slice.call(args, 0, n);
}

/** Reads `(2, 3, options?)` or `([2, 3], options?)`: the checked shape and the raw options. @internal */
export function sizeArgs(op: string, args: ArrayLike<unknown>, forms: string): [number[], unknown] {
  const [sizes, options] = splitOptions(trimmed(args));
  if (sizes.length === 0) throw new ArgumentTypeError(`${op}: missing the size (for a 0-d tensor pass []); accepted forms: ${forms}`);
  if (sizes.length > 1 && sizes.some((s) => typeof s !== 'number')) {
    const bad = sizes.findIndex((s) => typeof s !== 'number');
    throw new ArgumentTypeError(
      `${op}: argument ${bad + 1} must be a size (an integer) or the options object last, got ${describe(sizes[bad])}; accepted forms: ${forms}`,
    );
  }
  return [checkShape(op, sizesOf(op, sizes, forms)), options];
}

/** Sets requiresGrad on a fresh tensor when asked. @internal */
export function finish(t: Tensor, options: { requiresGrad?: boolean }): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/** A fresh tensor of `shape` and `dtype`, checked against the size limit, filled by `fill`. @internal */
export function make(
  op: string,
  shape: number[],
  dtype: DType,
  requiresGrad: boolean | undefined,
  fill?: (data: TypedArray) => void,
): Tensor {
  const data = allocate(dtype, checkNumel(op, shape));
  fill?.(data);
  return finish(Tensor._fromData(data, shape, dtype), { requiresGrad });
}

/** Reads a required number argument. @internal */
export function numberArg(op: string, name: string, v: unknown, forms: string): number {
  if (typeof v === 'number') return v;
  throw new ArgumentTypeError(`${op}: ${name} must be a number, got ${describe(v)}; accepted forms: ${forms}`);
}

function checkTensorArg(op: string, t: unknown, forms: string): Tensor {
  if (t instanceof Tensor) return t;
  throw new ArgumentTypeError(`${op}: expected a Tensor as the first argument, got ${describe(t)}; accepted forms: ${forms}`);
}

/** Reads `(t, options?)` of a `*Like` function. @internal */
export function likeArgs(op: string, args: ArrayLike<unknown>, max: number, forms: string): Tensor {
  checkArity(op, args, max, forms);
  const t = checkTensorArg(op, args[0], forms);
  const options = args[max - 1];
  if (options !== undefined && !isPlainObject(options))
    throw new ArgumentTypeError(`${op}: expected an options object last, got ${describe(options)}; accepted forms: ${forms}`);
  return t;
}
