/**
 * Map-style datasets (`length` + `get(i)`): the abstract {@link Dataset}, {@link TensorDataset},
 * {@link Subset} and {@link ConcatDataset}. Splitting lives in `split.ts`, streams in `iterable.ts`.
 * @module
 */
import { checkArity, describe } from '../autograd/args.js';
import { ArgumentTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { indexSelect } from '../autograd/ops/indexing.js';
import { contiguous, select } from '../autograd/ops/shape.js';
import { Tensor } from '../autograd/tensor.js';

/**
 * A dataset that can build a whole batch at once (one gather per tensor) instead of one item at a
 * time. The result must equal the default collate of the items at `indices`; `undefined` means
 * "not available here, collate item by item". @internal
 */
interface BatchSource {
  /** @internal */
  _getBatch(indices: Int32Array): unknown;
}

/** True when `ds` implements the batch fast path. @internal */
export function hasBatchSource(ds: unknown): ds is BatchSource {
  return typeof (ds as Partial<BatchSource> | null)?._getBatch === 'function';
}

/** True for a map-style dataset: an integer `length` and a `get` method. @internal */
export function isMapStyle(ds: unknown): boolean {
  return (
    ds !== null &&
    typeof ds === 'object' &&
    Number.isInteger((ds as { length?: unknown }).length) &&
    typeof (ds as { get?: unknown }).get === 'function'
  );
}

/**
 * Checks that `index` is an integer in `[0, length)`. @internal
 */
export function checkItemIndex(name: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new IndexError(`${name}: index ${String(index)} is out of range for a dataset of length ${length}`);
  }
}

/**
 * A map-style dataset: `length` items, fetched with `get(i)` for `0 <= i < length`. Subclass it
 * (or pass any object with `length` and `get` to a {@link DataLoader}).
 * @example
 * ```ts
 * class Squares extends data.Dataset<[Tensor, Tensor]> {
 *   readonly length = 100;
 *   get(i: number): [Tensor, Tensor] { return [tensor([i]), tensor([i * i])]; }
 * }
 * ```
 */
export abstract class Dataset<T> {
  /** Number of items. */
  abstract readonly length: number;
  /** The item at `index` (an integer in `[0, length)`). */
  abstract get(index: number): T;

  /**
   * Iterates over the items in order.
   * @example
   * ```ts
   * for (const [x, y] of new data.TensorDataset(xs, ys)) console.log(x.shape, y.item());
   * ```
   */
  *[Symbol.iterator](): Iterator<T> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield this.get(i);
  }
}

/**
 * Wraps tensors that share their first dim: item `i` is `[t0[i], t1[i], ...]` (views of row `i`).
 * A {@link DataLoader} with the default collate builds each batch of a TensorDataset with one
 * `indexSelect` per tensor, so iterating large in-memory datasets is cheap.
 * @example
 * ```ts
 * const ds = new data.TensorDataset(randn([100, 4]), randint(0, 3, [100], { dtype: 'int32' }));
 * ds.length; // 100
 * const [x, y] = ds.get(0); // x: [4], y: []
 * ```
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The wrapped tensors. */
  readonly tensors: readonly Tensor[];
  /** Number of rows (the common size of dim 0). */
  readonly length: number;
  private contiguousTensors: Tensor[] | null = null;

  /**
   * @param tensors - One or more tensors with at least one dim and the same size of dim 0.
   * @throws {@link ShapeError} if a tensor is 0-d or the first dims differ; {@link ValueError} if none is given.
   */
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new ValueError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor))
        throw new ArgumentTypeError(
          `TensorDataset: argument ${i} is not a Tensor (got ${describe(t)}); call it as new TensorDataset(x, y, ...) with tensors only`,
        );
      if (t.ndim === 0) throw new ShapeError(`TensorDataset: tensor ${i} is 0-d (shape []); every tensor needs a first dim to index`);
    });
    const n = tensors[0]!.shape[0]!;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) {
        throw new ShapeError(
          `TensorDataset: size mismatch between tensors: tensor 0 has shape ${fmtShape(tensors[0]!.shape)} ` +
            `but tensor ${i} has shape ${fmtShape(t.shape)} (dim 0 must agree)`,
        );
      }
    });
    this.tensors = tensors;
    this.length = n;
  }

  /** Row `index` of every tensor. */
  get(index: number): Tensor[] {
    checkItemIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => select(t, 0, index));
  }

  /** One indexSelect per tensor (made contiguous once, on first use). @internal */
  _getBatch(indices: Int32Array): Tensor[] {
    if (this.contiguousTensors === null) this.contiguousTensors = this.tensors.map((t) => (t.isContiguous() ? t : contiguous(t)));
    const index = Tensor._fromData(indices, [indices.length], 'int32');
    return this.contiguousTensors.map((t) => indexSelect(t, 0, index));
  }
}

/**
 * The items of `dataset` at `indices`, in that order.
 * @example
 * ```ts
 * const firstTen = new data.Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * ```
 */
export class Subset<T> extends Dataset<T> {
  /** The underlying dataset. */
  readonly dataset: Dataset<T>;
  /** The selected indices into {@link Subset.dataset}. */
  readonly indices: Int32Array;

  /**
   * @param dataset - The dataset to select from.
   * @param indices - Integers in `[0, dataset.length)`; repeats are allowed.
   * @throws {@link IndexError} naming the first out-of-range index.
   */
  constructor(dataset: Dataset<T>, indices: ArrayLike<number> | Iterable<number> | Tensor, ...rest: never[]) {
    super();
    checkArity('Subset', [dataset, indices, ...rest], 2, 'new Subset(dataset, indices)');
    if (!isMapStyle(dataset))
      throw new ArgumentTypeError(`Subset: the dataset must be map-style (an integer length and get(i)), got ${describe(dataset)}`);
    if (indices instanceof Tensor) {
      if (indices.dtype !== 'int32' || indices.ndim !== 1)
        throw new ArgumentTypeError(`Subset: indices given as a tensor must be a 1-d int32 tensor, got ${describe(indices)}`);
      indices = indices.dataSync() as Int32Array;
    } else if (indices === null || typeof indices !== 'object') {
      throw new ArgumentTypeError(`Subset: indices must be an array of integers, got ${describe(indices)}`);
    } else if (!('length' in indices)) {
      indices = [...indices];
    }
    const list = indices as ArrayLike<number>;
    const n = dataset.length;
    const idx = new Int32Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = list[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        throw new IndexError(`Subset: index ${String(v)} (position ${i}) is out of range for a dataset of length ${n}`);
      }
      idx[i] = v;
    }
    this.dataset = dataset;
    this.indices = idx;
  }

  /** Number of selected items. */
  get length(): number {
    return this.indices.length;
  }

  /** The item `dataset.get(indices[index])`. */
  get(index: number): T {
    checkItemIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }

  /** Maps the indices and delegates to the underlying dataset's fast path. @internal */
  _getBatch(indices: Int32Array): unknown {
    if (!hasBatchSource(this.dataset)) return undefined;
    const mapped = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) mapped[i] = this.indices[indices[i]!]!;
    return this.dataset._getBatch(mapped);
  }
}

/**
 * The datasets one after another: items `0..a.length-1` come from `a`, the next ones from `b`, ...
 * @example
 * ```ts
 * const all = new data.ConcatDataset([trainSet, extraSet]);
 * all.length; // trainSet.length + extraSet.length
 * ```
 */
export class ConcatDataset<T> extends Dataset<T> {
  /** The concatenated datasets. */
  readonly datasets: readonly Dataset<T>[];
  /** `cumulativeSizes[k]` is the total length of datasets `0..k`. */
  readonly cumulativeSizes: readonly number[];

  /**
   * @param datasets - A non-empty list of map-style datasets.
   * @throws {@link ValueError} for an empty list.
   */
  constructor(datasets: Iterable<Dataset<T>>, ...rest: never[]) {
    super();
    checkArity('ConcatDataset', [datasets, ...rest], 1, 'new ConcatDataset([a, b, ...]) (one array of datasets, as in PyTorch)');
    if (
      datasets === null ||
      typeof datasets !== 'object' ||
      typeof (datasets as Iterable<unknown>)[Symbol.iterator] !== 'function' ||
      isMapStyle(datasets)
    ) {
      throw new ArgumentTypeError(
        `ConcatDataset: expected an array of datasets, got ${describe(datasets)}; call it as new ConcatDataset([a, b])`,
      );
    }
    const list = [...datasets];
    if (list.length === 0) throw new ValueError('ConcatDataset: expected a non-empty list of datasets');
    const sizes: number[] = [];
    let total = 0;
    list.forEach((d, i) => {
      const n = d?.length;
      if (!Number.isInteger(n) || n < 0 || typeof d.get !== 'function') {
        throw new ValueError(`ConcatDataset: dataset ${i} is not a map-style dataset (it needs an integer length and get(i))`);
      }
      total += n;
      sizes.push(total);
    });
    this.datasets = list;
    this.cumulativeSizes = sizes;
  }

  /** Total number of items. */
  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  /** The item at `index` of the concatenation (found by binary search). */
  get(index: number): T {
    checkItemIndex('ConcatDataset.get', index, this.length);
    const sizes = this.cumulativeSizes;
    let lo = 0;
    let hi = sizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sizes[mid]! > index) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : sizes[lo - 1]!;
    return this.datasets[lo]!.get(index - start);
  }
}
