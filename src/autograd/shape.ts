/**
 * Shapes, strides, broadcasting and dim normalisation.
 * @module
 */
import { IndexError, ShapeError, ValueError, fmtShape } from './errors.js';

/** Number of elements of a shape (1 for a 0-d shape). @internal */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Row-major strides of a contiguous tensor of this shape. @internal */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** True when a (shape, strides) pair is row-major contiguous (size-1 dims may have any stride). @internal */
export function isContiguousLayout(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    if (size !== 1 && strides[i] !== expected) return size === 0;
    expected *= size;
  }
  return true;
}

/** True when two shapes are equal. @internal */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The broadcast shape of two shapes (NumPy rules), or a ShapeError naming the op and both shapes. @internal */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  if (sameShape(a, b)) return [...a];
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast: size ${da} and size ${db} differ at dim ${i - n}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative dim into [0, ndim). @internal */
export function normDim(op: string, dim: number, ndim: number): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new IndexError(`${op}: dim ${dim} out of range for a ${ndim}-d tensor (expected a dim in [${lo}, ${hi}])`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalises a list of dims (or all dims when undefined), sorted and without duplicates. @internal */
export function normDims(op: string, dims: number | readonly number[] | undefined, ndim: number): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normDim(op, d, ndim));
  if (ndim === 0) return [];
  const sorted = [...new Set(out)].sort((x, y) => x - y);
  if (sorted.length !== out.length) throw new ValueError(`${op}: dim ${list.join(', ')} repeats a dim`);
  return sorted;
}

/** The most elements one tensor may hold: beyond this, typed arrays cannot be allocated (or indexed with int32). */
const MAX_NUMEL = 2 ** 31 - 1;

/**
 * The number of elements of `shape`, or a ValueError naming `op` and the size asked for when it is
 * beyond what one typed array can hold (checked before allocating).
 * @internal
 */
export function checkNumel(op: string, shape: readonly number[]): number {
  const n = numelOf(shape);
  if (n > MAX_NUMEL) {
    throw new ValueError(
      `${op}: shape ${fmtShape(shape)} asks for ${n.toExponential(3)} elements, more than the ${MAX_NUMEL} (2**31 - 1) one tensor can hold`,
    );
  }
  return n;
}

/** Checks a shape given by the user: non-negative integers. @internal */
export function checkShape(op: string, shape: readonly number[]): number[] {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new ValueError(`${op}: invalid shape ${fmtShape(shape)}: sizes must be non-negative integers`);
  }
  return [...shape];
}

/** Resolves one `-1` in a target shape for reshape/view. @internal */
export function inferShape(op: string, from: readonly number[], target: readonly number[]): number[] {
  const n = numelOf(from);
  let infer = -1;
  let known = 1;
  for (let i = 0; i < target.length; i++) {
    const s = target[i]!;
    if (s === -1) {
      if (infer >= 0) throw new ValueError(`${op}: only one dim can be -1, got ${fmtShape(target)}`);
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new ValueError(`${op}: invalid size ${s} in shape ${fmtShape(target)}`);
    } else known *= s;
  }
  const out = [...target];
  if (infer >= 0) {
    if (known === 0 || n % known !== 0)
      throw new ShapeError(`${op}: shape ${fmtShape(target)} is invalid for input of size ${n} (shape ${fmtShape(from)})`);
    out[infer] = n / known;
  } else if (known !== n) {
    throw new ShapeError(`${op}: shape ${fmtShape(target)} is invalid for input of size ${n} (shape ${fmtShape(from)})`);
  }
  return out;
}
