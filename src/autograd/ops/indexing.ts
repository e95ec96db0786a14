/**
 * Indexing ops: indexSelect, gather, scatter, scatterAdd, indexAdd, maskedFill and maskedSelect.
 * Index tensors must be int32; every index is range-checked here, once.
 * @module
 */
import { allocate, type DType, checkValueFits } from '../dtype.js';
import { DTypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import { run } from '../tape.js';
import { broadcastShapes, normDim, numelOf } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { lift, where } from './elementwise.js';
import { contiguousData, expand, reshape } from './shape.js';

/** Zeros of `shape` and `dtype` (no grad). @internal */
export function zerosOf(shape: readonly number[], dtype: DType): Tensor {
  return Tensor._fromData(allocate(dtype, numelOf(shape)), shape.slice(), dtype);
}

function checkIndex(op: string, index: Tensor, size: number, dim: number): void {
  if (!(index instanceof Tensor)) throw new DTypeError(`${op}: index must be an int32 Tensor`);
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: index must be an int32 tensor, got ${index.dtype}`);
  const data = contiguousData(index);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0 || v >= size) throw new IndexError(`${op}: index ${v} is out of range for dim ${dim} of size ${size}`);
  }
}

/**
 * The entries of `index` (a 1-d int32 tensor) along `dim`.
 * @example
 * ```ts
 * indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, tensor([2, 0], { dtype: 'int32' })); // rows 2 and 0
 * ```
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim('indexSelect', dim, x.ndim);
  if (index.ndim > 1) throw new ShapeError(`indexSelect: index must be 1-d or 0-d, got shape ${fmtShape(index.shape)}`);
  checkIndex('indexSelect', index, x.ndim === 0 ? 1 : x.shape[d]!, d);
  if (x.ndim === 0) return reshape(run('indexSelect', [reshape(x, [1]), index], { dim: 0 }), index.ndim === 0 ? [] : [index.numel()]);
  return run('indexSelect', [x, index], { dim: d });
}

/**
 * A copy of `self` with `src` added at rows `index` along `dim` (duplicates accumulate).
 * @example
 * ```ts
 * indexAdd(zeros([3]), 0, tensor([0, 0], { dtype: 'int32' }), tensor([1, 2])); // tensor([3, 0, 0])
 * ```
 */
export function indexAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normDim('indexAdd', dim, self.ndim);
  checkIndex('indexAdd', index, self.shape[d]!, d);
  const expected = [...self.shape];
  expected[d] = index.numel();
  if (src.ndim !== self.ndim || src.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(`indexAdd: src must have shape ${fmtShape(expected)}, got ${fmtShape(src.shape)}`);
  }
  return run('indexAdd', [self, index, src.dtype === self.dtype ? src : src.to(self.dtype)], { dim: d });
}

function checkGatherShapes(op: string, x: Tensor, d: number, index: Tensor, src?: Tensor): void {
  if (index.ndim !== x.ndim)
    throw new ShapeError(`${op}: index ${fmtShape(index.shape)} must have as many dims as the input ${fmtShape(x.shape)}`);
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i]! > x.shape[i]!) {
      throw new ShapeError(`${op}: index ${fmtShape(index.shape)} is larger than the input ${fmtShape(x.shape)} at dim ${i}`);
    }
    if (src && index.shape[i]! > src.shape[i]!) {
      throw new ShapeError(`${op}: index ${fmtShape(index.shape)} is larger than src ${fmtShape(src.shape)} at dim ${i}`);
    }
  }
}

/**
 * `out[i][j] = x[index[i][j]][j]` along dim 0 (and likewise for other dims); out has the index's shape.
 * @example
 * ```ts
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[1], [0]], { dtype: 'int32' })); // tensor([[2], [3]])
 * ```
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim('gather', dim, x.ndim);
  checkIndex('gather', index, x.ndim === 0 ? 1 : x.shape[d]!, d);
  checkGatherShapes('gather', x, d, index);
  return run('gather', [x, index], { dim: d });
}

function srcTensor(op: string, src: TensorLike, self: Tensor, index: Tensor): Tensor {
  if (src instanceof Tensor) return src.dtype === self.dtype ? src : src.to(self.dtype);
  return expand(lift(op, src, self.dtype).to(self.dtype), index.shape);
}

/**
 * A copy of `self` with `src` added at `index` along `dim`: `out[index[i][j]][j] += src[i][j]` for dim 0.
 * @example
 * ```ts
 * scatterAdd(zeros([3]), 0, tensor([0, 0, 2], { dtype: 'int32' }), tensor([1, 2, 3])); // tensor([3, 0, 3])
 * ```
 */
export function scatterAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normDim('scatterAdd', dim, self.ndim);
  checkIndex('scatterAdd', index, self.shape[d]!, d);
  const s = srcTensor('scatterAdd', src, self, index);
  checkGatherShapes('scatterAdd', self, d, index, s);
  return run('scatterAdd', [self, index, s], { dim: d });
}

/**
 * A copy of `self` with `src` (a tensor or a number) written at `index` along `dim`.
 * With duplicate indices the last write wins.
 * @example
 * ```ts
 * scatter(zeros([2, 3]), 1, tensor([[0], [2]], { dtype: 'int32' }), 1); // one-hot rows
 * ```
 */
export function scatter(self: Tensor, dim: number, index: Tensor, src: TensorLike): Tensor {
  const d = normDim('scatter', dim, self.ndim);
  checkIndex('scatter', index, self.shape[d]!, d);
  const s = srcTensor('scatter', src, self, index);
  checkGatherShapes('scatter', self, d, index, s);
  return run('scatter', [self, index, s], { dim: d });
}

function checkMask(op: string, mask: Tensor): void {
  if (!(mask instanceof Tensor) || mask.dtype !== 'bool') {
    throw new DTypeError(`${op}: mask must be a bool tensor, got ${mask instanceof Tensor ? mask.dtype : typeof mask}`);
  }
}

/**
 * `value` where `mask` is true, `x` elsewhere; the mask broadcasts to x's shape and x's dtype is kept.
 * @example
 * ```ts
 * maskedFill(scores, mask, -Infinity);
 * ```
 */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  checkMask('maskedFill', mask);
  broadcastShapes('maskedFill', x.shape, mask.shape);
  if (typeof value === 'number') checkValueFits('maskedFill', value, x.dtype);
  const v = lift('maskedFill', value, x.dtype);
  return where(mask, v.dtype === x.dtype ? v : v.to(x.dtype), x);
}

/**
 * The elements of `x` where the bool `mask` is true (both broadcast), as a 1-d tensor.
 * @example
 * ```ts
 * maskedSelect(tensor([1, -2, 3]), tensor([true, false, true])); // tensor([1, 3])
 * ```
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkMask('maskedSelect', mask);
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  const flat = reshape(expand(x, shape), [-1]);
  const m = contiguousData(expand(mask, shape));
  let count = 0;
  for (let i = 0; i < m.length; i++) if (m[i]) count++;
  const positions = new Int32Array(count);
  for (let i = 0, k = 0; i < m.length; i++) if (m[i]) positions[k++] = i;
  return run('indexSelect', [flat, Tensor._fromData(positions, [count], 'int32')], { dim: 0 });
}
