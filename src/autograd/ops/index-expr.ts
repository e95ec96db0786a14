/**
 * Python-style indexing in one call: `x.index(':, 1:3')` for `x[:, 1:3]`, `x.index('...', -1)` for
 * `x[..., -1]`, `x.index(idx)` and `x.index(mask)` for advanced indexing, and `indexPut` /
 * `indexPut_` / `setIndex` for item assignment. Basic items (integers, slices, `None`, `...`)
 * give views that share storage; tensor and array items give copies through indexSelect, and
 * assignment goes through scatter, so gradients flow to the tensor and to the value as in PyTorch.
 * @module
 */
import { checkValueFits } from '../dtype.js';
import { describe, isPlainObject, parseOptions, bool } from '../args.js';
import { ArgumentTypeError, IndexError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes, numelOf, sameShape } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { lift, toDType } from './elementwise.js';
import { indexSelect, scatter, scatterAdd } from './indexing.js';
import { inplace } from './inplace.js';
import { advancedPositions, expandEllipsis, maskIndices, parseItems, type IndexItem } from './index-spec.js';
import { contiguousData, expand, reshape, select, slice, unsqueeze } from './shape.js';

export type { IndexItem } from './index-spec.js';

function checkTensor(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentTypeError(`${op}: expected a Tensor to index, got ${describe(x)}`);
}

/** Applies an index; `op` names the caller in messages. @internal */
export function indexWith(op: string, x: Tensor, raw: readonly unknown[]): Tensor {
  const items = expandEllipsis(op, parseItems(op, raw), x.ndim);
  let view = x;
  let dim = 0; // the dim of `view` the next item applies to
  let source = 0; // the dim of `x` the next item applies to
  const advanced: (Tensor | null)[] = [];
  for (const item of items) {
    if (item.kind === 'int') {
      const size = view.shape[dim]!;
      if (item.index < -size || item.index >= size)
        throw new IndexError(`${op}: index ${item.index} is out of range for dim ${source} of size ${size}`);
      view = select(view, dim, item.index);
      source++;
    } else if (item.kind === 'slice') {
      view = slice(view, dim, item.start, item.end, item.step);
      advanced.push(null);
      dim++;
      source++;
    } else if (item.kind === 'newaxis') {
      view = unsqueeze(view, dim);
      advanced.push(null);
      dim++;
    } else if (item.kind === 'tensor') {
      advanced.push(item.index);
      dim++;
      source++;
    } else if (item.kind === 'mask') {
      const k = item.mask.ndim;
      const dims = view.shape.slice(dim, dim + k);
      if (k === 0) {
        // x[True] adds a dim of size 1, x[False] one of size 0 (PyTorch's 0-d masks).
        view = unsqueeze(view, dim);
        advanced.push(contiguousData(item.mask)[0] ? null : Tensor._fromData(new Int32Array(0), [0], 'int32'));
        dim++;
        continue;
      }
      if (dims.some((s, i) => s !== item.mask.shape[i])) {
        throw new IndexError(
          `${op}: the mask of shape ${fmtShape(item.mask.shape)} does not match the indexed dims ${fmtShape(dims)} starting at dim ${source}`,
        );
      }
      advanced.push(...maskIndices(item.mask));
      dim += k;
      source += k;
    }
  }
  if (!advanced.some((t) => t !== null)) return view;
  const { shape, positions } = advancedPositions(op, view.shape, advanced);
  const flat = reshape(view, [-1]);
  return reshape(indexSelect(flat, 0, Tensor._fromData(positions, [positions.length], 'int32')), shape);
}

/**
 * `x[items]` as in PyTorch: integers select, strings such as `':'`, `'1:3'`, `'::2'`, `'...'` and
 * `'None'` slice (several may be written in one string, separated by commas), `null` adds a dim,
 * and int32/bool tensors or arrays of integers/booleans index by position or by mask. Without
 * tensor or array items the result is a view sharing storage; with them, a copy. Differentiable.
 * @example
 * ```ts
 * const x = arange(12).reshape(3, 4);
 * index(x, ':, 1:3');                                   // x[:, 1:3], a view of shape [3, 2]
 * index(x, '...', -1);                                  // x[..., -1] -> [3, 7, 11]
 * index(x, [2, 0]);                                     // x[[2, 0]]: rows 2 and 0
 * index(x, x.gt(5));                                    // x[x > 5]: a 1-d copy
 * ```
 */
export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  checkTensor('index', x);
  return indexWith('index', x, items);
}

/** Options of {@link indexPut}. */
export interface IndexPutOptions {
  /** Add the value at the positions instead of writing it (duplicates then accumulate). Default false. */
  accumulate?: boolean;
}

function itemsOf(op: string, indices: unknown): unknown[] {
  if (
    Array.isArray(indices) &&
    (indices.length === 0 || indices.some((v) => v instanceof Tensor || v === null || typeof v === 'string' || Array.isArray(v)))
  )
    return indices;
  return [indices];
}

/** The flat positions of x's elements an index picks, as an int32 tensor of the indexed shape. */
function positionsOf(op: string, x: Tensor, items: readonly unknown[]): Tensor {
  const ids = Tensor._fromData(
    Int32Array.from({ length: numelOf(x.shape) }, (_, i) => i),
    [...x.shape],
    'int32',
  );
  return indexWith(op, ids, items);
}

function putWith(op: string, x: Tensor, items: readonly unknown[], value: TensorLike, accumulate: boolean): Tensor {
  if (typeof value === 'number') checkValueFits(op, value, x.dtype);
  else if (!(value instanceof Tensor)) throw new ArgumentTypeError(`${op}: the value must be a Tensor or a number, got ${describe(value)}`);
  const positions = positionsOf(op, x, items);
  const v = toDType(lift(op, value, x.dtype), x.dtype);
  let fits = v.ndim <= positions.ndim;
  try {
    broadcastShapes(op, v.shape, positions.shape);
  } catch {
    fits = false;
  }
  if (!fits || !sameShape(broadcastShapes(op, v.shape, positions.shape), positions.shape)) {
    throw new ShapeError(
      `${op}: a value of shape ${fmtShape(v.shape)} cannot be broadcast to the indexed shape ${fmtShape(positions.shape)}`,
    );
  }
  const flatPositions = reshape(positions, [-1]);
  const src = reshape(expand(v, positions.shape), [-1]);
  const flat = reshape(x, [-1]);
  const out = accumulate ? scatterAdd(flat, 0, flatPositions, src) : scatter(flat, 0, flatPositions, src);
  return reshape(out, x.shape);
}

function accumulateOf(op: string, options: unknown): boolean {
  if (options === undefined) return false;
  if (!isPlainObject(options))
    throw new ArgumentTypeError(`${op}: options must be an object such as { accumulate: true }, got ${describe(options)}`);
  return (
    parseOptions(op, options, { accumulate: bool }, { forms: `${op}(x, indices, value, { accumulate })`, snakeCase: true }).accumulate ??
    false
  );
}

/**
 * A copy of `x` with `value` (broadcast, cast to x's dtype) written at `x[indices]`, PyTorch's
 * `index_put`; `indices` is one index item or an array of them (as {@link index} takes). With
 * `{ accumulate: true }` the value is added, duplicates included. Gradients flow to x (zero at
 * the written positions) and to the value.
 * @example
 * ```ts
 * indexPut(zeros([2, 3]), [':', 0], tensor([1, 2])); // x[:, 0] = [1, 2] without touching x
 * ```
 */
export function indexPut(x: Tensor, indices: IndexItem | readonly IndexItem[], value: TensorLike, options?: IndexPutOptions): Tensor {
  checkTensor('indexPut', x);
  return putWith('indexPut', x, itemsOf('indexPut', indices), value, accumulateOf('indexPut', options));
}

/**
 * In-place {@link indexPut} (`x[indices] = value`): bumps x's version counter; an error on a leaf
 * that requires grad (outside noGrad).
 * @example
 * ```ts
 * const x = randn(3, 4);
 * indexPut_(x, x.lt(0), 0); // x[x < 0] = 0
 * ```
 */
export function indexPut_<T extends Tensor>(
  x: T,
  indices: IndexItem | readonly IndexItem[],
  value: TensorLike,
  options?: IndexPutOptions,
): T {
  checkTensor('indexPut_', x);
  const items = itemsOf('indexPut_', indices);
  const accumulate = accumulateOf('indexPut_', options);
  return inplace(x, 'indexPut_', () => putWith('indexPut_', x, items, value, accumulate));
}

/**
 * `x[items] = value` in place, with the items written as for {@link index} and the value last:
 * `setIndex(x, ':, 0', y)` is `x[:, 0] = y`, `setIndex(x, mask, 0)` is `x[mask] = 0`.
 * @example
 * ```ts
 * setIndex(x, '...', -1, 0); // x[..., -1] = 0
 * ```
 */
export function setIndex<T extends Tensor>(x: T, ...itemsAndValue: [...IndexItem[], TensorLike]): T {
  checkTensor('setIndex', x);
  if (itemsAndValue.length < 1)
    throw new ArgumentTypeError("setIndex: expected index items and a value, as setIndex(x, ':, 0', value); got no value");
  const value = itemsAndValue[itemsAndValue.length - 1] as TensorLike;
  const items = itemsAndValue.slice(0, -1);
  return inplace(x, 'setIndex', () => putWith('setIndex', x, items, value, false));
}

/** Options of {@link nonzero}. */
export interface NonzeroOptions {
  /** Return one 1-d int32 tensor per dim instead of one [n, ndim] tensor (default false). */
  asTuple?: boolean;
}

/**
 * The positions of the nonzero (true) elements of `x`, like `torch.nonzero`: an int32 tensor of
 * shape [n, ndim] in row-major order, or with `{ asTuple: true }` one 1-d tensor per dim (which
 * {@link index} takes as advanced indices). Not differentiable.
 * @example
 * ```ts
 * nonzero(tensor([[1, 0], [0, 2]])); // tensor([[0, 0], [1, 1]])
 * ```
 */
export function nonzero(x: Tensor, options?: NonzeroOptions & { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, options: NonzeroOptions & { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, options?: NonzeroOptions): Tensor | Tensor[];
export function nonzero(x: Tensor, options?: NonzeroOptions): Tensor | Tensor[] {
  checkTensor('nonzero', x);
  const forms = 'nonzero(x) or nonzero(x, { asTuple: true })';
  if (arguments.length > 2) throw new ArgumentTypeError(`nonzero: too many arguments; accepted forms: ${forms}`);
  const asTuple = parseOptions('nonzero', options, { asTuple: bool }, { forms, snakeCase: true }).asTuple ?? false;
  const data = contiguousData(x);
  const mask = Tensor._fromData(
    Uint8Array.from(data, (v) => (v !== 0 ? 1 : 0)),
    x.ndim === 0 ? [1] : [...x.shape],
    'bool',
  );
  const perDim = maskIndices(mask);
  if (asTuple) return perDim;
  const n = perDim[0]!.numel();
  const ndim = x.ndim;
  const out = new Int32Array(n * ndim);
  perDim.forEach((t, d) => {
    if (d >= ndim) return;
    const v = t._storage.data;
    for (let i = 0; i < n; i++) out[i * ndim + d] = v[i]!;
  });
  return Tensor._fromData(out, [n, ndim], 'int32');
}
