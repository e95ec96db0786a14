/**
 * Helpers shared by the primitive families: output allocation, operands for the loop kernels,
 * broadcasting strides, and reducing a broadcast gradient back to its input's shape.
 * @module
 */
import { allocateFloat } from '../../kernels/memory/pool.js';
import { allocate, allocateFloat32Unfilled, type DType } from '../dtype.js';
import { numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Operand } from '../../kernels/strided.js';

/** Most elements of one tensor (as `allocate` checks). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * A zero-filled contiguous tensor of `shape` and `dtype` that nothing else references. Large
 * float storage comes from the buffer pool (kernels/memory/pool.ts), so it may be memory released
 * earlier (zeroed again). @internal
 */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  const n = numelOf(shape);
  const pooled = (dtype === 'float32' || dtype === 'float64') && n <= MAX_ELEMENTS;
  return Tensor._fromData(pooled ? allocateFloat(dtype, n, true) : allocate(dtype, n), shape, dtype);
}

/**
 * A fresh contiguous float32 tensor whose storage is not zero-filled (large sizes), for a kernel
 * that writes every element of it before it is returned. @internal
 */
export function emptyFloat32ForKernel(shape: readonly number[]): Tensor {
  const n = numelOf(shape);
  return Tensor._fromData(n <= MAX_ELEMENTS ? allocateFloat('float32', n, false) : allocateFloat32Unfilled(n), shape, 'float32');
}

/** The kernel operand of a tensor in its own coordinates. @internal */
export function operand(t: Tensor): Operand {
  return (t._operand ??= { data: t._storage.data, offset: t._offset, strides: t._strides });
}

/** The kernel operand of `t` broadcast to `shape` (stride 0 on broadcast dims). @internal */
export function broadcastOperand(t: Tensor, shape: readonly number[]): Operand {
  const n = shape.length;
  const lead = n - t.ndim;
  const strides = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const d = i - lead;
    strides[i] = d < 0 || t.shape[d] === 1 ? 0 : t._strides[d]!;
  }
  return { data: t._storage.data, offset: t._offset, strides };
}

