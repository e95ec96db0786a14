/**
 * The matmul primitive over [...batch, m, k] · [...batch, k, n] with equal batch dims (the op
 * broadcasts them with expand, whose stride-0 views cost nothing here). Each matrix goes to the
 * GEMM kernel as is when it is row-major or transposed; only other layouts are copied.
 * @module
 */
import { gemm, type FloatArray } from '../../kernels/runtime/index.js';
import { rule, type RuleTable } from '../rule.js';
import type { Tensor } from '../tensor.js';
import { matmul } from '../ops/linalg.js';
import { contiguous, transpose } from '../ops/shape.js';
import { sumTo } from '../ops/reduce.js';
import { empty } from './common.js';

/** Attributes of the linear-algebra primitives. @internal */
// prettier-ignore
export interface LinalgAttrs {
  matmul: null;
};

/** True when the last two dims are stored transposed (column-major), as `mT` of a contiguous tensor. */
function isTransposed(t: Tensor): boolean {
  const nd = t.ndim;
  const rows = t.shape[nd - 2]!;
  // Stryker disable next-line ArithmeticOperator: unreachable: cols read past the shape only turns off the cols === 1 case, which only matrices that isRowMajor accepts first reach
  const cols = t.shape[nd - 1]!;
  // Stryker disable next-line ConditionalExpression: unreachable: the size-1 cases (rows === 1, cols === 1) turned off only change matrices that isRowMajor accepts first (callers ask it first); the other mutants are killed
  return (t._strides[nd - 2] === 1 || rows === 1) && (t._strides[nd - 1] === rows || cols === 1);
}

function isRowMajor(t: Tensor): boolean {
  const nd = t.ndim;
  const cols = t.shape[nd - 1]!;
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: two implementations of one result: the size-1 cases (cols === 1, rows === 1) turned off pass such a matrix as transposed, which isTransposed accepts (one memory order for both: same product, same gradient memory); the other mutants are killed
  return (t._strides[nd - 1] === 1 || cols === 1) && (t._strides[nd - 2] === cols || t.shape[nd - 2] === 1);
}

/** Stored transposed and not broadcast over its batch dims (no stride 0), so a gradient in its layout is dense. */
function columnMajor(t: Tensor): boolean {
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: loop bound one past the end: reading the matrix dims too only returns false for a stride 0 in them, which no transposed matrix has (but an empty one, whose gradient is empty in any layout)
  for (let d = 0; d < t.ndim - 2; d++) if (t._strides[d] === 0 && t.shape[d] !== 1) return false;
  return isTransposed(t) && !isRowMajor(t);
}

/** A layout the kernel accepts for the last two dims: the tensor itself or a contiguous copy. */
function matrixLayout(t: Tensor): { t: Tensor; trans: boolean } {
  if (isRowMajor(t)) return { t, trans: false };
  if (isTransposed(t)) return { t, trans: true };
  return { t: contiguous(t), trans: false };
}

/** Runs GEMM for every batch position, walking the batch dims with their own strides. */
function batchedGemm(a: Tensor, b: Tensor, out: Tensor): void {
  const A = matrixLayout(a);
  const B = matrixLayout(b);
  const nd = out.ndim;
  const m = out.shape[nd - 2]!;
  const n = out.shape[nd - 1]!;
  const k = a.shape[nd - 1]!;
  const batchShape = out.shape.slice(0, nd - 2);
  let count = 1;
  for (const s of batchShape) count *= s;
  const idx = new Int32Array(batchShape.length);
  let aOff = A.t._offset;
  let bOff = B.t._offset;
  const ad = A.t._storage.data as FloatArray;
  const bd = B.t._storage.data as FloatArray;
  const od = out._storage.data as FloatArray;
  for (let i = 0; i < count; i++) {
    // Stryker disable next-line BooleanLiteral: accumulate = true adds into a freshly allocated, zero-filled output: the same as writing it
    gemm(A.trans, B.trans, m, n, k, ad, aOff, bd, bOff, od, i * m * n, false);
    for (let d = batchShape.length - 1; d >= 0; d--) {
      idx[d]!++;
      aOff += A.t._strides[d]!;
      bOff += B.t._strides[d]!;
      if (idx[d]! < batchShape[d]!) break;
      idx[d] = 0;
      aOff -= A.t._strides[d]! * batchShape[d]!;
      bOff -= B.t._strides[d]! * batchShape[d]!;
    }
  }
}

/** The linear-algebra rule table. @internal */
// prettier-ignore
export const linalgRules: RuleTable<LinalgAttrs> = {
  matmul: rule({
    forward: ([a, b]) => {
      const nd = a!.ndim;
      const shape = [...a!.shape.slice(0, nd - 1), b!.shape[nd - 1]!];
      const out = empty(shape, a!.dtype);
      batchedGemm(a!, b!, out);
      return out;
    },
    backward: (g, ctx) => {
      const [a, b] = ctx.saved;
      // An operand stored transposed (as `w.T` in linear) gets its gradient in the same layout,
      // (gᵀ·a)ᵀ instead of aᵀ·g: the transpose's backward then yields a contiguous gradient
      // instead of a transposed view that the leaf would have to copy.
      return [
        ctx.needs(0) ? (columnMajor(a) ? transpose(matmul(b, transpose(g, -1, -2)), -1, -2) : sumTo(matmul(g, transpose(b, -1, -2)), a.shape)) : null,
        ctx.needs(1) ? (columnMajor(b) ? transpose(matmul(transpose(g, -1, -2), a), -1, -2) : sumTo(matmul(transpose(a, -1, -2), g), b.shape)) : null,
      ];
    },
    save: [0, 1],
  }),
};
