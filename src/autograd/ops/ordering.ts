/**
 * Sorting ops: sort, argsort, topk and cumprod. The order is computed on plain numbers; the values
 * are then gathered from the input, so their gradient is routed through the indices (ties keep
 * the gradient at the position each value came from). NaN sorts above every number, as in PyTorch.
 * @module
 */
import { bool, num, parsePositional } from '../args.js';
import { dtypeOption, type DType } from '../dtype.js';
import { ArgumentTypeError, IndexError } from '../errors.js';
import { normDim } from '../shape.js';
import { Tensor, type ValuesIndices } from '../tensor.js';
import { mul } from './elementwise.js';
import { gather } from './indexing.js';
import { checkInput } from './reduce-args.js';
import { cast, valuesIndices } from './reduce.js';
import { cat, contiguousData, narrow } from './shape.js';

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** The dim to sort along (default -1). */
  dim?: number;
  /** Largest first (default false). */
  descending?: boolean;
  /** Keep equal elements in their original order (default false; tapegrad's sort is always stable). */
  stable?: boolean;
}

/** Options of {@link topk}. */
export interface TopkOptions {
  /** The dim (default -1). */
  dim?: number;
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /** Return them in sorted order (default true; tapegrad always sorts them). */
  sorted?: boolean;
}

const SORT_SPEC = { dim: num({ integer: true }), descending: bool, stable: bool };
const sortForms = (op: string): string =>
  `${op}(x), ${op}(x, dim), ${op}(x, dim, descending) or ${op}(x, { dim, descending, stable }); x.${op}(...) on a Tensor`;

/** NaN-aware comparison: NaN above everything, ties broken by position (a stable order). */
function order(data: ArrayLike<number>, at: (k: number) => number, n: number, descending: boolean): Int32Array {
  const idx = Array.from({ length: n }, (_, k) => k);
  idx.sort((i, j) => {
    const a = data[at(i)]!;
    const b = data[at(j)]!;
    const an = Number.isNaN(a),
      bn = Number.isNaN(b);
    let c = an || bn ? (an && bn ? 0 : an ? 1 : -1) : a < b ? -1 : a > b ? 1 : 0;
    if (descending) c = -c;
    return c !== 0 ? c : i - j;
  });
  return Int32Array.from(idx);
}

/** The sorting permutation of every lane along dim d (int32, x's shape). */
function sortIndices(x: Tensor, d: number, descending: boolean): Tensor {
  const shape = x.shape;
  const data = contiguousData(x);
  const out = new Int32Array(data.length);
  if (x.ndim === 0) return Tensor._fromData(out, [], 'int32');
  const size = shape[d]!;
  let inner = 1;
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i]!;
  const outer = size === 0 ? 0 : data.length / (size * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      const perm = order(data, (k) => base + k * inner, size, descending);
      for (let k = 0; k < size; k++) out[base + k * inner] = perm[k]!;
    }
  }
  return Tensor._fromData(out, [...shape], 'int32');
}

function sortArgs(op: string, x: Tensor, args: readonly unknown[]): { d: number; descending: boolean } {
  checkInput(op, x, sortForms(op));
  const o = parsePositional(op, args, ['dim', 'descending'], SORT_SPEC, { forms: sortForms(op) });
  return { d: normDim(op, o.dim ?? -1, x.ndim), descending: o.descending ?? false };
}

/**
 * The elements sorted along `dim` (default -1), with the positions they came from, like
 * `torch.sort`: `const [values, indices] = sort(x, 1, true)`. The values are differentiable.
 * @example
 * ```ts
 * const { values, indices } = sort(tensor([3, 1, 2])); // values [1, 2, 3], indices [1, 2, 0]
 * ```
 */
export function sort(
  x: Tensor,
  ...args: [dim?: number, descending?: boolean, options?: SortOptions] | [dim: number, options: SortOptions] | [options: SortOptions]
): ValuesIndices {
  const { d, descending } = sortArgs('sort', x, args);
  const indices = sortIndices(x, d, descending);
  return valuesIndices(x.ndim === 0 ? gather(x, 0, indices) : gather(x, d, indices), indices);
}

/**
 * The int32 positions that sort `x` along `dim` (default -1).
 * @example
 * ```ts
 * argsort(tensor([3, 1, 2])); // tensor([1, 2, 0])
 * ```
 */
export function argsort(
  x: Tensor,
  ...args: [dim?: number, descending?: boolean, options?: SortOptions] | [dim: number, options: SortOptions] | [options: SortOptions]
): Tensor {
  const { d, descending } = sortArgs('argsort', x, args);
  return sortIndices(x, d, descending);
}

const TOPK_FORMS = 'topk(x, k), topk(x, k, dim, largest, sorted) or topk(x, k, { dim, largest, sorted }); x.topk(...) on a Tensor';

/**
 * The `k` largest (or, with `largest: false`, smallest) elements along `dim` (default -1) and their
 * positions, like `torch.topk`. Values are differentiable.
 * @example
 * ```ts
 * const [values, indices] = topk(tensor([1, 5, 3]), 2); // [5, 3], [1, 2]
 * x.topk(3, { dim: 1, largest: false });
 * ```
 */
export function topk(
  x: Tensor,
  k: number,
  ...args:
    | [dim?: number, largest?: boolean, sorted?: boolean, options?: TopkOptions]
    | [dim: number, options: TopkOptions]
    | [options: TopkOptions]
): ValuesIndices {
  checkInput('topk', x, TOPK_FORMS);
  const kk = num({ integer: true, min: 0 })('topk', 'k', k);
  const o = parsePositional(
    'topk',
    args,
    ['dim', 'largest', 'sorted'],
    { dim: num({ integer: true }), largest: bool, sorted: bool },
    { forms: TOPK_FORMS },
  );
  const d = normDim('topk', o.dim ?? -1, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  if (kk > size) throw new IndexError(`topk: k = ${kk} is out of range for dim ${o.dim ?? -1} of size ${size}`);
  const all = sortIndices(x, d, o.largest ?? true);
  const indices = x.ndim === 0 ? all : narrow(all, d, 0, kk).contiguous();
  return valuesIndices(gather(x, x.ndim === 0 ? 0 : d, indices), indices);
}

const CUMPROD_FORMS = 'cumprod(x, dim), cumprod(x, dim, dtype) or cumprod(x, { dim, dtype }); x.cumprod(dim) on a Tensor';

/**
 * The cumulative product along `dim`. Its gradient is exact where the input has zeros (as
 * PyTorch's): it is composed of products only (a log-depth scan), so nothing is divided by an element.
 * @example
 * ```ts
 * cumprod(tensor([1, 2, 3]), 0); // tensor([1, 2, 6])
 * ```
 */
export function cumprod(
  x: Tensor,
  ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
): Tensor {
  checkInput('cumprod', x, CUMPROD_FORMS);
  const o = parsePositional(
    'cumprod',
    args,
    ['dim', 'dtype'],
    { dim: num({ integer: true }), dtype: dtypeOption },
    { forms: CUMPROD_FORMS },
  );
  if (o.dim === undefined) throw new ArgumentTypeError(`cumprod: missing dim; accepted forms: ${CUMPROD_FORMS}`);
  const xc = cast(x.dtype === 'bool' ? x.to('int32') : x, o.dtype);
  if (xc.ndim === 0) return mul(xc, 1);
  const d = normDim('cumprod', o.dim, xc.ndim);
  const n = xc.shape[d]!;
  if (n <= 1) return mul(xc, 1);
  // An inclusive scan in log2(n) steps (Hillis-Steele): after the step with shift s, each element
  // holds the product of up to 2s elements ending at it. Only products, so gradients stay exact at zeros.
  let out = xc;
  for (let s = 1; s < n; s *= 2) out = cat([narrow(out, d, 0, s), mul(narrow(out, d, s, n - s), narrow(out, d, 0, n - s))], d);
  return out;
}
