/**
 * Views (reshape, permute, expand, slicing, splitting), copies (clone, cat, stack) and the elements
 * as a contiguous typed array (item and toArray are in to-js.ts).
 * Views share storage with their base, as in PyTorch.
 * @module
 */
import { promoteTypes, type TypedArray } from '../dtype.js';
import { IndexError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { run } from '../tape.js';
import type { SliceSpec } from '../prims/movement.js';
import { copyInto } from '../prims/movement.js';
import { empty } from '../prims/common.js';
import { inferShape, normDim, numelOf, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { toDType } from './elementwise.js';
import { checkArity, describe, isArray } from '../args.js';
import { ArgumentTypeError } from '../errors.js';
import { dimArg, intArg, tensorArg } from './checks.js';

/** Normalises a dim for `op` (negative dims count from the end). @internal */
export function dimOf(op: string, dim: number, ndim: number): number {
  return normDim(op, dim, ndim);
}

/** The elements as a contiguous typed array; may be the storage itself, so do not mutate. @internal */
export function contiguousData(x: Tensor): TypedArray {
  const data = x._storage.data;
  if (x._contiguous && x._offset === 0 && data.length === x.numel()) return data;
  if (x._contiguous) return data.subarray(x._offset, x._offset + x.numel());
  const out = empty(x.shape, x.dtype);
  copyInto(out, x);
  return out._storage.data;
}

/**
 * A view with a new shape (one size may be -1). Throws when the layout cannot be viewed; use {@link reshape} then.
 * @example
 * ```ts
 * view(arange(6), [2, 3]);
 * ```
 */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  if (!Array.isArray(shape))
    throw new ArgumentTypeError(
      `view: the shape must be an array, got ${describe(shape)}; accepted forms: view(x, [2, 3]) or x.view(2, 3)`,
    );
  const target = inferShape('view', x.shape, shape);
  const out = reshape(x, target);
  if (out._storage !== x._storage) {
    throw new ShapeError(
      `view: a tensor of shape ${fmtShape(x.shape)} and strides ${fmtShape(x._strides)} cannot be viewed as ${fmtShape(target)}; use reshape() (which copies) or contiguous() first`,
    );
  }
  return out;
}

/**
 * A tensor with a new shape (one size may be -1): a view when the layout allows, else a copy.
 * @example
 * ```ts
 * reshape(arange(6), [3, -1]); // shape [3, 2]
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (!Array.isArray(shape))
    throw new ArgumentTypeError(
      `reshape: the shape must be an array, got ${describe(shape)}; accepted forms: reshape(x, [2, 3]) or x.reshape(2, 3)`,
    );
  const target = inferShape('reshape', x.shape, shape);
  if (sameShape(target, x.shape)) return x;
  return run('reshape', [x], { shape: target });
}

/**
 * Flattens dims startDim..endDim into one.
 * @example
 * ```ts
 * flatten(zeros([2, 3, 4]), 1); // shape [2, 12]
 * ```
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  const forms = 'flatten(x), flatten(x, startDim) or flatten(x, startDim, endDim)';
  checkArity('flatten', arguments, 3, forms);
  tensorArg('flatten', 'x', x, forms);
  intArg('flatten', 'startDim', startDim, forms);
  intArg('flatten', 'endDim', endDim, forms);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim);
  const e = normDim('flatten', endDim, x.ndim);
  if (s > e) throw new ValueError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const sizes = [...x.shape];
  const shape = [...sizes.slice(0, s), numelOf(sizes.slice(s, e + 1)), ...sizes.slice(e + 1)];
  return reshape(x, shape);
}

/**
 * Removes size-1 dims: all of them, or the listed ones (dims of other sizes are left alone, as in PyTorch).
 * @example
 * ```ts
 * squeeze(zeros([1, 3, 1])); // shape [3]
 * ```
 */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  checkArity('squeeze', arguments, 2, 'squeeze(x), squeeze(x, dim) or squeeze(x, [dims])');
  if (dim !== undefined && typeof dim !== 'number' && !isArray(dim))
    intArg('squeeze', 'dim', dim, 'squeeze(x), squeeze(x, dim) or squeeze(x, [dims])');
  const dims = dim === undefined ? null : (typeof dim === 'number' ? [dim] : dim).map((d) => normDim('squeeze', d, x.ndim));
  return reshape(
    x,
    [...x.shape].filter((s, i) => !(s === 1 && (dims === null || dims.includes(i)))),
  );
}

/**
 * Inserts a size-1 dim at `dim` (from -ndim-1 to ndim).
 * @example
 * ```ts
 * unsqueeze(zeros([3]), 0); // shape [1, 3]
 * ```
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkArity('unsqueeze', arguments, 2, 'unsqueeze(x, dim)');
  if (typeof dim !== 'number') intArg('unsqueeze', 'dim', dim, 'unsqueeze(x, dim)');
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

/**
 * Reorders the dims (a view).
 * @example
 * ```ts
 * permute(zeros([2, 3, 4]), [2, 0, 1]); // shape [4, 2, 3]
 * ```
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (!isArray(dims))
    throw new ArgumentTypeError(
      `permute: dims must be an array, got ${describe(dims)}; accepted forms: permute(x, [1, 0]) or x.permute(1, 0)`,
    );
  if (dims.length !== x.ndim) throw new ValueError(`permute: got ${dims.length} dims [${dims.join(', ')}] for a ${x.ndim}-d tensor`);
  const norm = dims.map((d) => normDim('permute', d, x.ndim));
  if (new Set(norm).size !== norm.length) throw new ValueError(`permute: dims [${dims.join(', ')}] repeat a dim`);
  if (norm.every((d, i) => d === i)) return x;
  return run('permute', [x], { dims: norm });
}

/**
 * Swaps two dims (a view).
 * @example
 * ```ts
 * transpose(zeros([2, 3]), 0, 1); // shape [3, 2]
 * ```
 */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkArity('transpose', arguments, 3, 'transpose(x, dim0, dim1)');
  intArg('transpose', 'dim0', dim0, 'transpose(x, dim0, dim1)');
  intArg('transpose', 'dim1', dim1, 'transpose(x, dim0, dim1)');
  if (x.ndim === 0) return x;
  const a = normDim('transpose', dim0, x.ndim);
  const b = normDim('transpose', dim1, x.ndim);
  const dims = [...x.shape].map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/**
 * Broadcasts to `shape` without copying; -1 keeps a size; new dims are added in front.
 * @example
 * ```ts
 * expand(tensor([[1], [2]]), [2, 3]);
 * ```
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (!isArray(shape))
    throw new ArgumentTypeError(
      `expand: the size must be an array, got ${describe(shape)}; accepted forms: expand(x, [2, 3]) or x.expand(2, 3)`,
    );
  if (shape.length < x.ndim) throw new ShapeError(`expand: cannot expand ${fmtShape(x.shape)} to fewer dims ${fmtShape(shape)}`);
  const lead = shape.length - x.ndim;
  const target = shape.map((s, i) => {
    const own = i < lead ? undefined : x.shape[i - lead]!;
    if (s === -1) {
      if (own === undefined) throw new ShapeError(`expand: -1 is not allowed for a new leading dim (target ${fmtShape(shape)})`);
      return own;
    }
    if (own !== undefined && own !== s && own !== 1) {
      throw new ShapeError(`expand: cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}: size ${own} at dim ${i - lead} is not 1`);
    }
    if (!Number.isInteger(s) || s < 0) throw new ShapeError(`expand: invalid size ${s} in ${fmtShape(shape)}`);
    return s;
  });
  if (sameShape(target, x.shape)) return x;
  return run('expand', [x], { shape: target });
}

/**
 * Elements start, start+step, ... below end of `dim` (a view). Negative start and end count from
 * the end; both are clamped to the dim like Python slices. Step must be positive.
 * @example
 * ```ts
 * slice(arange(10), 0, 1, 8, 3); // tensor([1, 4, 7])
 * ```
 */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  const d = normDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new ValueError(`slice: step must be a positive integer, got ${step}`);
  const size = x.shape[d]!;
  const clampIndex = (i: number): number => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = start == null ? 0 : clampIndex(start);
  const e = Math.max(end == null ? size : clampIndex(end), s);
  if (s === 0 && e === size && step === 1) return x;
  return run('slice', [x], { dim: d, start: s, end: e, step });
}

/** slice's backward: `g` written into zeros of `shape` at the slice. @internal */
export function sliceScatter(g: Tensor, shape: readonly number[], s: SliceSpec): Tensor {
  return run('sliceScatter', [g], { ...s, shape: [...shape] });
}

/**
 * `length` elements of `dim` from `start` (a view).
 * @example
 * ```ts
 * narrow(arange(5), 0, 1, 2); // tensor([1, 2])
 * ```
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim('narrow', dim, x.ndim);
  const size = x.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new IndexError(`narrow: start ${start} and length ${length} are out of range for dim ${dim} of size ${size}`);
  }
  return slice(x, d, s, s + length);
}

/**
 * The slice at `index` of `dim`, with that dim removed (a view).
 * @example
 * ```ts
 * select(tensor([[1, 2], [3, 4]]), 0, 1); // tensor([3, 4])
 * ```
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normDim('select', dim, x.ndim);
  const size = x.shape[d]!;
  if (x.ndim === 0) throw new IndexError('select: cannot select from a 0-d tensor');
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError(`select: index ${index} is out of range for dim ${dim} of size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = [...x.shape];
  shape.splice(d, 1);
  return reshape(run('slice', [x], { dim: d, start: i, end: i + 1, step: 1 }), shape);
}

/**
 * This tensor when contiguous, else a contiguous copy.
 * @example
 * ```ts
 * contiguous(transpose(zeros([2, 3]), 0, 1)).isContiguous(); // true
 * ```
 */
export function contiguous(x: Tensor): Tensor {
  return x._contiguous ? x : run('copy', [x], null);
}

/**
 * A contiguous copy with its own storage (differentiable).
 * @example
 * ```ts
 * const y = clone(x);
 * ```
 */
export function clone(x: Tensor): Tensor {
  return run('copy', [x], null);
}

/**
 * Splits `dim` into pieces of `splitSize` (the last may be smaller) or of the listed sizes (views).
 * @example
 * ```ts
 * split(arange(5), 2); // sizes 2, 2, 1
 * ```
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim: number | { dim?: number } = 0): Tensor[] {
  const forms = 'split(x, size), split(x, [sizes]), each with dim or { dim } last';
  checkArity('split', arguments, 3, forms);
  if (typeof splitSize !== 'number' && !isArray(splitSize))
    throw new ArgumentTypeError(
      `split: the split size must be a number or an array of sizes, got ${describe(splitSize)}; accepted forms: ${forms}`,
    );
  const d = normDim('split', dimArg('split', dim, 0, forms), x.ndim);
  const size = x.shape[d]!;
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize <= 0)
      throw new ValueError(`split: splitSize must be a positive integer, got ${splitSize}`);
    sizes = [];
    for (let at = 0; at < size; at += splitSize) sizes.push(Math.min(splitSize, size - at));
    if (size === 0) sizes.push(0);
  } else {
    sizes = splitSize.slice();
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== size || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ValueError(`split: sizes [${sizes.join(', ')}] do not sum to the size ${size} of dim ${d}`);
    }
  }
  let at = 0;
  return sizes.map((s) => {
    const piece = narrow(x, d, at, s);
    at += s;
    return piece;
  });
}

/**
 * Splits into `chunks` pieces of equal size along `dim` (the last may be smaller; there may be fewer pieces).
 * @example
 * ```ts
 * chunk(arange(6), 3); // three tensors of 2
 * ```
 */
export function chunk(x: Tensor, chunks: number, dim: number | { dim?: number } = 0): Tensor[] {
  const forms = 'chunk(x, chunks), chunk(x, chunks, dim) or chunk(x, chunks, { dim })';
  checkArity('chunk', arguments, 3, forms);
  intArg('chunk', 'chunks', chunks, forms);
  dim = dimArg('chunk', dim, 0, forms);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ValueError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normDim('chunk', dim, x.ndim);
  // An empty dim gives `chunks` empty pieces, as in PyTorch.
  if (x.shape[d] === 0) return Array.from({ length: chunks }, () => narrow(x, d, 0, 0));
  return split(x, Math.max(1, Math.ceil(x.shape[d]! / chunks)), d);
}

/**
 * The slices along `dim`, with that dim removed.
 * @example
 * ```ts
 * unbind(tensor([[1, 2], [3, 4]])); // [tensor([1, 2]), tensor([3, 4])]
 * ```
 */
export function unbind(x: Tensor, dim: number | { dim?: number } = 0): Tensor[] {
  checkArity('unbind', arguments, 2, 'unbind(x), unbind(x, dim) or unbind(x, { dim })');
  dim = dimArg('unbind', dim, 0, 'unbind(x), unbind(x, dim) or unbind(x, { dim })');
  const d = normDim('unbind', dim, x.ndim);
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
}

/** Checks `(tensors, dim?)` of cat and stack: a list of tensors first (not the tensors themselves), then the dim. */
function listArgs(op: string, tensors: unknown, dim: unknown, count: number): number {
  const forms = `${op}([x, y]), ${op}([x, y], dim) or ${op}([x, y], { dim })`;
  if (!Array.isArray(tensors)) {
    const hint = tensors instanceof Tensor ? `; pass the tensors as one array: ${op}([x, y], dim)` : `; accepted forms: ${forms}`;
    throw new ArgumentTypeError(`${op}: expected an array of tensors first, got ${describe(tensors)}${hint}`);
  }
  if (count > 2) throw new ArgumentTypeError(`${op}: too many arguments (${count}, takes at most 2); accepted forms: ${forms}`);
  tensors.forEach((t, i) => tensorArg(op, `tensors[${i}]`, t, forms));
  return dimArg(op, dim, 0, forms);
}

/**
 * Concatenates along an existing `dim`; other sizes must match. Dtypes are promoted.
 * @example
 * ```ts
 * cat([zeros([2, 3]), ones([1, 3])], 0); // shape [3, 3]
 * ```
 */
export function cat(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  dim = listArgs('cat', tensors, dim, arguments.length);
  if (tensors.length === 0) throw new ValueError('cat: expected a non-empty list of tensors');
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return tensors[0]!;
  const first = parts[0]!;
  if (first.ndim === 0) throw new ShapeError('cat: zero-dimensional tensors cannot be concatenated; use stack');
  const d = normDim('cat', dim, first.ndim);
  let dtype = first.dtype;
  for (const t of parts) {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      throw new ShapeError(`cat: sizes must match except in dim ${d}: got ${fmtShape(first.shape)} and ${fmtShape(t.shape)}`);
    }
    dtype = promoteTypes(dtype, t.dtype);
  }
  if (parts.length === 1) return parts[0]!.dtype === dtype ? parts[0]! : toDType(parts[0]!, dtype);
  return run(
    'cat',
    parts.map((t) => toDType(t, dtype)),
    { dim: d },
  );
}

/**
 * Stacks tensors of the same shape along a new `dim`.
 * @example
 * ```ts
 * stack([zeros([3]), ones([3])]); // shape [2, 3]
 * ```
 */
export function stack(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  dim = listArgs('stack', tensors, dim, arguments.length);
  if (tensors.length === 0) throw new ValueError('stack: expected a non-empty list of tensors');
  const first = tensors[0]!;
  for (const t of tensors) {
    if (!sameShape(t.shape, first.shape))
      throw new ShapeError(`stack: all tensors must have the same shape: got ${fmtShape(first.shape)} and ${fmtShape(t.shape)}`);
  }
  const d = normDim('stack', dim, first.ndim + 1);
  const parts = tensors.map((t) => unsqueeze(t, d));
  if (parts.length === 1) return parts[0]!;
  let dtype = first.dtype;
  for (const t of tensors) dtype = promoteTypes(dtype, t.dtype);
  return run(
    'cat',
    parts.map((t) => toDType(t, dtype)),
    { dim: d },
  );
}
