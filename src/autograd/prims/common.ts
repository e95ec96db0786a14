/**
 * Helpers shared by the primitive families: output allocation, operands for the loop kernels,
 * broadcasting strides, and reducing a broadcast gradient back to its input's shape.
 * @module
 */
import { allocate, allocateFloat32Unfilled, type DType } from '../dtype.js';
import { numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Operand } from '../../kernels/strided.js';

/** A fresh contiguous tensor of `shape` and `dtype`. @internal */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return Tensor._fromData(allocate(dtype, numelOf(shape)), shape, dtype);
}

/**
 * A fresh contiguous float32 tensor whose storage is not zero-filled (large sizes), for a kernel
 * that writes every element of it before it is returned. @internal
 */
export function emptyFloat32ForKernel(shape: readonly number[]): Tensor {
  return Tensor._fromData(allocateFloat32Unfilled(numelOf(shape)), shape, 'float32');
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

