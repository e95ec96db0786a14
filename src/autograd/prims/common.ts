/**
 * Helpers shared by the primitive families: output allocation, operands for the loop kernels,
 * broadcasting strides, and reducing a broadcast gradient back to its input's shape.
 * @module
 */
import { allocate, type DType } from '../dtype.js';
import { numelOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Operand } from '../../kernels/strided.js';

/**
 * A zero-filled contiguous tensor of `shape` and `dtype` that nothing else references. Large
 * float storage comes from the buffer pool (through the kernel runtime's allocator), so it may be
 * memory released earlier (zeroed again). @internal
 */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return Tensor._fromData(allocate(dtype, numelOf(shape)), shape, dtype);
}

/** The kernel operand of a tensor in its own coordinates. @internal */
export function operand(t: Tensor): Operand {
  return (t._operand ??= { data: t._storage.data, offset: t._offset, strides: t._strides });
}

/** The kernel operand of `t` broadcast to `shape` (stride 0 on broadcast dims). @internal */
export function broadcastOperand(t: Tensor, shape: readonly number[]): Operand {
  const n = shape.length;
  const lead = n - t.ndim;
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(n): every index is assigned before use
  const strides = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const d = i - lead;
    strides[i] = d < 0 || t.shape[d] === 1 ? 0 : t._strides[d]!;
  }
  return { data: t._storage.data, offset: t._offset, strides };
}
