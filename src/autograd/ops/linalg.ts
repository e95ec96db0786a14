/**
 * Matrix products with PyTorch semantics: matmul (1-d, 2-d, batched with broadcast batch dims),
 * mm, bmm, dot and outer.
 * @module
 */
import { isFloat, promoteTypes } from '../dtype.js';
import { ShapeError, fmtShape } from '../errors.js';
import { run } from '../tape.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkArity } from '../args.js';
import { tensorArg } from './checks.js';
import { mul, toDType } from './elementwise.js';
import { expand, reshape, squeeze, unsqueeze } from './shape.js';

function mismatch(op: string, a: Tensor, b: Tensor, k1: number, k2: number): ShapeError {
  return new ShapeError(`${op}: cannot multiply ${fmtShape(a.shape)} by ${fmtShape(b.shape)}: inner sizes ${k1} and ${k2} differ`);
}

/**
 * Matrix product as PyTorch's `matmul`: 1-d·1-d is a dot product, a 1-d operand is treated as a
 * row (left) or column (right) vector and its dim removed after, and leading batch dims broadcast.
 * Integer inputs are multiplied in float64 and converted back.
 * @example
 * ```ts
 * matmul(randn([10, 3, 4]), randn([4, 5])); // shape [10, 3, 5]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkArity('matmul', arguments, 2, 'matmul(a, b) or a.matmul(b)');
  tensorArg('matmul', 'the first argument', a);
  tensorArg('matmul', 'the second argument', b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both arguments need at least 1 dim, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (!isFloat(dtype)) return toDType(matmul(toDType(a, 'float64'), toDType(b, 'float64')), dtype);
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const k1 = a2.shape[a2.ndim - 1]!;
  const k2 = b2.shape[b2.ndim - 2]!;
  if (k1 !== k2) throw mismatch('matmul', a, b, k1, k2);
  const batch = broadcastShapes('matmul', [...a2.shape].slice(0, -2), [...b2.shape].slice(0, -2));
  const ae = expand(toDType(a2, dtype), [...batch, a2.shape[a2.ndim - 2]!, k1]);
  const be = expand(toDType(b2, dtype), [...batch, k2, b2.shape[b2.ndim - 1]!]);
  let out = run('matmul', [ae, be], null);
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}

/**
 * Product of two 2-d matrices.
 * @example
 * ```ts
 * mm(randn([2, 3]), randn([3, 4])); // shape [2, 4]
 * ```
 */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkArity('mm', arguments, 2, 'mm(a, b) or a.mm(b)');
  tensorArg('mm', 'the first argument', a);
  tensorArg('mm', 'the second argument', b);
  if (a.ndim !== 2 || b.ndim !== 2) throw new ShapeError(`mm: expected two 2-d tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return matmul(a, b);
}

/**
 * Batched product of two 3-d tensors with the same batch size.
 * @example
 * ```ts
 * bmm(randn([8, 2, 3]), randn([8, 3, 4])); // shape [8, 2, 4]
 * ```
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkArity('bmm', arguments, 2, 'bmm(a, b) or a.bmm(b)');
  tensorArg('bmm', 'the first argument', a);
  tensorArg('bmm', 'the second argument', b);
  if (a.ndim !== 3 || b.ndim !== 3)
    throw new ShapeError(`bmm: expected two 3-d tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`bmm: batch sizes differ: ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return matmul(a, b);
}

/**
 * Dot product of two 1-d tensors of the same length.
 * @example
 * ```ts
 * dot(tensor([1, 2]), tensor([3, 4])); // tensor(11)
 * ```
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkArity('dot', arguments, 2, 'dot(a, b) or a.dot(b)');
  tensorArg('dot', 'the first argument', a);
  tensorArg('dot', 'the second argument', b);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new ShapeError(`dot: expected two 1-d tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw mismatch('dot', a, b, a.shape[0]!, b.shape[0]!);
  return matmul(a, b);
}

/**
 * Outer product of two 1-d tensors: `out[i][j] = a[i] * b[j]`.
 * @example
 * ```ts
 * outer(tensor([1, 2]), tensor([3, 4, 5])); // shape [2, 3]
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkArity('outer', arguments, 2, 'outer(a, b) or a.outer(b)');
  tensorArg('outer', 'the first argument', a);
  tensorArg('outer', 'the second argument', b);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new ShapeError(`outer: expected two 1-d tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return mul(reshape(a, [a.shape[0]!, 1]), reshape(b, [1, b.shape[0]!]));
}
