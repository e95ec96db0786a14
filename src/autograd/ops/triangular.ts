/**
 * tril, triu and diag: masks and position lists over the last two dims, composed of where,
 * indexSelect and scatter, so their gradients are those ops' gradients.
 * @module
 */
import { checkArity, num } from '../args.js';
import { ShapeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { where } from './elementwise.js';
import { indexSelect, scatter, zerosOf } from './indexing.js';
import { tensorArg } from './checks.js';
import { reshape } from './shape.js';

function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  const forms = `${op}(x), ${op}(x, diagonal) or x.${op}(diagonal)`;
  tensorArg(op, 'x', x, forms);
  const k = num({ integer: true })(op, 'diagonal', diagonal);
  if (x.ndim < 2) throw new ShapeError(`${op}: expects a tensor with at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const rows = x.shape[x.ndim - 2]!;
  const cols = x.shape[x.ndim - 1]!;
  const mask = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) mask[i * cols + j] = (op === 'tril' ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  return where(Tensor._fromData(mask, [rows, cols], 'bool'), x, zerosOf([], x.dtype));
}

/**
 * The lower triangle of the last two dims (elements with `col - row <= diagonal`), zeros above.
 * @example
 * ```ts
 * tril(ones([3, 3])); // ones on and below the diagonal
 * ```
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  if (arguments.length > 2) checkArity('tril', arguments, 2, 'tril(x, diagonal)');
  return triangle('tril', x, diagonal);
}

/**
 * The upper triangle of the last two dims (elements with `col - row >= diagonal`), zeros below.
 * @example
 * ```ts
 * triu(ones([3, 3]), 1); // ones strictly above the diagonal
 * ```
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  if (arguments.length > 2) checkArity('triu', arguments, 2, 'triu(x, diagonal)');
  return triangle('triu', x, diagonal);
}

/**
 * Like `torch.diag`: a 1-d `x` becomes a square matrix with x on the `diagonal`-th diagonal
 * (above the main one when positive); a 2-d `x` gives its `diagonal`-th diagonal as a 1-d tensor.
 * @example
 * ```ts
 * diag(tensor([1, 2]));          // [[1, 0], [0, 2]]
 * diag(tensor([[1, 2], [3, 4]])); // tensor([1, 4])
 * ```
 */
export function diag(x: Tensor, diagonal = 0): Tensor {
  if (arguments.length > 2) checkArity('diag', arguments, 2, 'diag(x, diagonal)');
  tensorArg('diag', 'x', x, 'diag(x) or diag(x, diagonal)');
  const k = num({ integer: true })('diag', 'diagonal', diagonal);
  const rowShift = Math.max(0, -k);
  const colShift = Math.max(0, k);
  if (x.ndim === 1) {
    const n = x.shape[0]!;
    const m = n + Math.abs(k);
    const positions = Int32Array.from({ length: n }, (_, i) => (i + rowShift) * m + i + colShift);
    return reshape(scatter(zerosOf([m * m], x.dtype), 0, Tensor._fromData(positions, [n], 'int32'), x), [m, m]);
  }
  if (x.ndim !== 2) throw new ShapeError(`diag: expects a 1-d or 2-d tensor, got shape ${fmtShape(x.shape)}`);
  const [rows, cols] = x.shape as [number, number];
  const length = Math.max(0, Math.min(rows - rowShift, cols - colShift));
  const positions = Int32Array.from({ length }, (_, i) => (i + rowShift) * cols + i + colShift);
  return indexSelect(reshape(x, [-1]), 0, Tensor._fromData(positions, [length], 'int32'));
}
