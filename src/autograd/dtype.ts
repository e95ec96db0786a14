/**
 * Data types and PyTorch's type promotion (bool < int32 < float32 < float64).
 * @module
 */
import { allocArray } from '../kernels/runtime/alloc.js';
import type { TypedArray } from '../kernels/typed-array.js';
import { describe, type Check } from './args.js';
import { ArgumentTypeError, DTypeError, ValueError } from './errors.js';

export type { TypedArray } from '../kernels/typed-array.js';

/** The element types a tensor can hold. `bool` is stored as a Uint8Array of 0/1. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Floating-point dtypes (the only ones that can require gradients). */
export type FloatDType = 'float32' | 'float64';

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** The most elements one tensor may hold (creation functions check it first, naming the op). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/** Allocates a zero-filled typed array for `dtype` (through the kernel runtime's allocator). @internal */
export function allocate(dtype: DType, n: number): TypedArray {
  if (n > MAX_ELEMENTS)
    throw new ValueError(
      `cannot allocate a tensor of ${n.toExponential(3)} elements: one tensor holds at most ${MAX_ELEMENTS} (2**31 - 1)`,
    );
  return allocArray(dtype, n);
}

/** The dtype that a typed array stores (Uint8Array means bool). @internal */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'bool';
}

/** True for float32 and float64. @internal */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

/** The result dtype of combining two tensor dtypes, as in PyTorch. @internal */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** PyTorch's dtype categories, bool < integer < floating: the order type promotion and in-place stores respect. */
const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/** What {@link resultType} reads of an operand: a Tensor, or anything with its dtype and rank. @internal */
export interface DTypeOperand {
  readonly dtype: DType;
  readonly ndim: number;
}

/**
 * The dtype of an op's result over `operands`, as PyTorch's `result_type` computes it: the
 * dimensioned tensors are promoted together, and 0-d tensors (lifted JS numbers included) change
 * that dtype only when their category is higher (`int32 tensor + 2.5` is float32, but
 * `float32 tensor + float64 0-d tensor` stays float32).
 * @internal
 */
export function resultType(operands: readonly DTypeOperand[]): DType {
  let dim: DType | null = null;
  let zero: DType | null = null;
  for (const o of operands) {
    if (o.ndim > 0) dim = dim === null ? o.dtype : promoteTypes(dim, o.dtype);
    else zero = zero === null ? o.dtype : promoteTypes(zero, o.dtype);
  }
  if (dim === null) return zero!;
  return zero !== null && CATEGORY[zero] > CATEGORY[dim] ? zero : dim;
}

/**
 * Whether a value of dtype `from` may be stored into a tensor of dtype `to` (PyTorch's `can_cast`):
 * never into a lower category (float into int, int into bool).
 * @internal
 */
export function canCast(from: DType, to: DType): boolean {
  return CATEGORY[from] <= CATEGORY[to];
}

/** The dtype a JS number takes next to a tensor of `dtype`: it never widens a tensor within its category. @internal */
export function scalarDType(value: number, dtype: DType): DType {
  if (isFloat(dtype)) return dtype;
  if (typeof value === 'boolean') return dtype;
  if (Number.isInteger(value)) return dtype === 'bool' ? 'int32' : dtype;
  return 'float32';
}

/** The float dtype an op like `exp` computes in: floats stay, ints and bools become float32. @internal */
export function toFloat(dtype: DType): FloatDType {
  return isFloat(dtype) ? dtype : 'float32';
}

/** PyTorch dtype names tapegrad does not have, and what to use instead. */
const DTYPE_HINTS: Readonly<Record<string, string>> = {
  int64: "tapegrad's integer dtype is 'int32'",
  long: "tapegrad's integer dtype is 'int32'",
  int: "use 'int32'",
  int16: "tapegrad's integer dtype is 'int32'",
  int8: "tapegrad's integer dtype is 'int32'",
  uint8: "use 'int32', or 'bool' for masks",
  float: "use 'float32'",
  double: "use 'float64'",
  float16: "use 'float32'",
  half: "use 'float32'",
  bfloat16: "use 'float32'",
  boolean: "use 'bool'",
};

/** Checks that `dtype` is a known dtype name. @internal */
export function checkDType(op: string, dtype: string): DType {
  if (Object.hasOwn(RANK, dtype)) return dtype as DType;
  const hint = Object.hasOwn(DTYPE_HINTS, dtype) ? `: ${DTYPE_HINTS[dtype]}` : '';
  throw new DTypeError(`${op}: unknown dtype ${describe(dtype)}; expected one of float32, float64, int32, bool${hint}`);
}

/**
 * The options check of a `dtype` key: a dtype name (a {@link DTypeError} for an unknown one, an
 * `ArgumentTypeError` for a value that is not a string).
 * @internal
 */
export const dtypeOption: Check<DType> = (op, key, v) => {
  if (typeof v !== 'string')
    throw new ArgumentTypeError(`${op}: ${key} must be a dtype name ('float32', 'float64', 'int32' or 'bool'), got ${describe(v)}`);
  return checkDType(op, v);
};

/** Smallest and largest int32. */
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Checks that a JS number can be stored in `dtype` as PyTorch converts a Python number: an int32
 * takes a finite value within its range (the fraction is truncated); floats and bool take anything.
 * @internal
 */
export function checkValueFits(op: string, value: number, dtype: DType): void {
  if (dtype !== 'int32') return;
  if (!(value >= INT32_MIN && value < INT32_MAX + 1)) {
    const why = Number.isNaN(value) ? '' : ' without overflow';
    throw new ValueError(
      `${op}: value ${describe(value)} cannot be converted to int32${why} (int32 holds integers from ${INT32_MIN} to ${INT32_MAX})`,
    );
  }
}
