/**
 * {@link DataLoader}: batches, shuffles and collates a dataset, for `for...of` and `for await...of`.
 * @module
 */
import { bool, describe, fn, instance, notImplemented, nullable, num, parsePositional, type Check } from '../autograd/args.js';
import { ArgumentTypeError, IndexError, ValueError } from '../autograd/errors.js';
import { defaultGenerator, Generator } from '../autograd/random.js';
import type { PositionalArgs } from '../autograd/args.js';
import { defaultCollate, type Collated } from './collate.js';
import { hasBatchSource } from './dataset.js';
import { isStream, type ItemSource } from './iterable.js';
import { randomPermutation } from './split.js';

/**
 * Anything with random access: a {@link Dataset}, or any object with an integer `length` and
 * `get(i)`.
 * @example
 * ```ts
 * const ds: data.MapDataset<number> = { length: 3, get: (i) => i * 10 };
 * ```
 */
export interface MapDataset<T> {
  /** Number of items. */
  readonly length: number;
  /** The item at `index`, for `0 <= index < length`. */
  get(index: number): T;
}

/**
 * What a {@link DataLoader} reads: a map-style dataset, a plain array of items, or a stream (an
 * {@link IterableDataset}, any iterable or async iterable).
 * @example
 * ```ts
 * const source: data.DataLoaderSource<number> = [1, 2, 3, 4];
 * ```
 */
export type DataLoaderSource<T> = MapDataset<T> | readonly T[] | ItemSource<T>;

/**
 * Options for {@link DataLoader}, PyTorch's keyword arguments in camelCase. Options about worker
 * processes and device memory exist so that PyTorch code is not silently misread: only their
 * defaults (whose behaviour is tapegrad's: loading in the main thread) are accepted.
 */
export interface DataLoaderOptions<T, B> {
  /**
   * Items per batch (default 1). `null` turns automatic batching off, as in PyTorch: each item is
   * yielded as it is (or passed alone to `collateFn`), and `dropLast` is not allowed.
   */
  batchSize?: number | null;
  /** Visit the items in a fresh random order each epoch (default false; null means false, as in PyTorch; map-style datasets only). */
  shuffle?: boolean | null;
  /** Drop the last batch if it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Turns a list of items into a batch (PyTorch's `collate_fn`; default {@link defaultCollate}). */
  collateFn?: ((items: T[]) => B) | null;
  /** The same as `collateFn` (tapegrad's earlier name); give one of the two. */
  collate?: (items: T[]) => B;
  /** The generator for shuffling (default: the global one, seeded by `manualSeed`). */
  generator?: Generator | null;
  /**
   * The indices of one epoch, in order: an array or any iterable of integers (iterated afresh each
   * epoch, so a generator function's object works once; give an object whose `[Symbol.iterator]`
   * draws a new order for a random sampler). Excludes `shuffle`. Map-style datasets only.
   */
  sampler?: Iterable<number> | null;
  /**
   * The batches of one epoch as lists of indices (iterated afresh each epoch). Excludes
   * `batchSize`, `shuffle`, `sampler` and `dropLast`. Map-style datasets only.
   */
  batchSampler?: Iterable<ArrayLike<number>> | null;
  /** Worker processes: only 0 (load in the main thread) is accepted. */
  numWorkers?: number;
  /** Page-locked memory for a GPU: only false is accepted (there is no device). */
  pinMemory?: boolean;
  /** Timeout for workers: only 0 is accepted (there are no workers). */
  timeout?: number;
  /** Worker initialisation: only null is accepted (there are no workers). */
  workerInitFn?: null;
  /** Worker start method: only null is accepted (there are no workers). */
  multiprocessingContext?: null;
  /** Batches loaded ahead by each worker: only PyTorch's defaults (2, or null) are accepted. */
  prefetchFactor?: number | null;
  /** Keep workers alive between epochs: only false is accepted. */
  persistentWorkers?: boolean;
  /** The device of pinned memory: only '' is accepted. */
  pinMemoryDevice?: string;
}

/** DataLoader's positional arguments after the dataset, in PyTorch's order. */
export type DataLoaderPositional<T, B> = [
  batchSize: number | null,
  shuffle: boolean | null,
  sampler: Iterable<number> | null,
  batchSampler: Iterable<ArrayLike<number>> | null,
  numWorkers: number,
  collateFn: ((items: T[]) => B) | null,
  pinMemory: boolean,
  dropLast: boolean,
  timeout: number,
  workerInitFn: null,
  multiprocessingContext: null,
  generator: Generator | null,
];

const NO_WORKERS = 'tapegrad loads batches in the main thread';

/** An iterable object (not a string). */
function iterable(what: string): Check<Iterable<unknown>> {
  return (op, key, v) => {
    if (v !== null && typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function')
      return v as Iterable<unknown>;
    throw new ArgumentTypeError(`${op}: ${key} must be ${what} (an array or another iterable), got ${describe(v)}`);
  };
}

/** The number of items of an iterable when it is known without iterating it (an array's or an object's numeric length). */
function knownLength(x: unknown): number | undefined {
  const l = (x as { length?: unknown }).length;
  return typeof l === 'number' ? l : undefined;
}
const DATALOADER_SPEC = {
  batchSize: nullable(num({ integer: true, min: 1 })),
  shuffle: nullable(bool),
  sampler: nullable(iterable('an iterable of indices')),
  batchSampler: nullable(iterable('an iterable of index lists')),
  numWorkers: notImplemented([0], NO_WORKERS),
  collateFn: nullable(fn),
  collate: fn,
  pinMemory: notImplemented([false], 'there is no device memory to pin'),
  dropLast: bool,
  timeout: notImplemented([0], NO_WORKERS),
  workerInitFn: notImplemented([null], NO_WORKERS),
  multiprocessingContext: notImplemented([null], NO_WORKERS),
  generator: nullable(instance(Generator)),
  prefetchFactor: notImplemented([2, null], NO_WORKERS),
  persistentWorkers: notImplemented([false], NO_WORKERS),
  pinMemoryDevice: notImplemented([''], 'there is no device memory to pin'),
};
const DATALOADER_POSITIONAL = [
  'batchSize',
  'shuffle',
  'sampler',
  'batchSampler',
  'numWorkers',
  'collateFn',
  'pinMemory',
  'dropLast',
  'timeout',
  'workerInitFn',
  'multiprocessingContext',
  'generator',
] as const;
const DATALOADER_FORMS =
  "new DataLoader(dataset, batchSize, shuffle, ...) in PyTorch's order, new DataLoader(dataset, { batchSize, shuffle, dropLast, collateFn, generator }), or both: new DataLoader(dataset, 32, { shuffle: true })";

function isMapDataset(x: unknown): x is MapDataset<unknown> {
  if (x === null || typeof x !== 'object') return false;
  const d = x as Partial<MapDataset<unknown>>;
  return typeof d.get === 'function' && typeof d.length === 'number';
}

/**
 * Iterates over a dataset in batches. For map-style datasets it draws the order (a fresh random
 * permutation each epoch when `shuffle` is on, from `generator` or the global generator), slices
 * it into batches of `batchSize` and collates the items of each batch; for streams it collates
 * consecutive items. Iterate with `for...of`, or `for await...of` (needed for async streams).
 *
 * With the default collate, a {@link TensorDataset} (or a {@link Subset} of one, or
 * {@link MNIST} without per-item transforms) builds each batch with one `indexSelect` per tensor
 * instead of stacking rows.
 * @example
 * ```ts
 * manualSeed(0);
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 64, shuffle: true });
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const [xb, yb] of loader) {
 *     // xb: [64, ...], yb: [64]
 *   }
 * }
 * loader.length; // number of batches per epoch
 * ```
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  /** The dataset or stream. */
  readonly dataset: DataLoaderSource<T>;
  /** Items per batch; null when automatic batching is off. */
  readonly batchSize: number | null;
  /** Whether each epoch uses a fresh random order. */
  readonly shuffle: boolean;
  /** Whether a smaller last batch is dropped. */
  readonly dropLast: boolean;
  /** The collate function. */
  readonly collate: (items: T[]) => B;
  /** The generator used for shuffling; `undefined` means the global generator. */
  readonly generator: Generator | undefined;
  /** The indices of each epoch, when a sampler was given. */
  readonly sampler: Iterable<number> | undefined;
  /** The index lists of each epoch, when a batch sampler was given. */
  readonly batchSampler: Iterable<ArrayLike<number>> | undefined;
  private readonly map: MapDataset<T> | null;
  private readonly fast: boolean;
  /** Items read per yielded value: the batch size, or 1 without automatic batching. */
  private readonly chunk: number;
  /** Turns the items read into the yielded value: the collate function, or the item itself without automatic batching. */
  private readonly emit: (items: T[]) => B;

  /**
   * @param dataset - A map-style dataset, an array of items, or a stream.
   * @param options - Batch size, shuffling, dropLast, collateFn and generator.
   * @throws {@link ValueError} for a bad option or `shuffle` on a stream; {@link ArgumentTypeError}
   *   for a dataset of another kind; {@link NotImplementedError} for worker and device options.
   */
  constructor(dataset: DataLoaderSource<T>, options?: DataLoaderOptions<T, B>);
  /**
   * PyTorch's positional form: `new DataLoader(dataset, 32)`, `new DataLoader(dataset, 32, true)`,
   * optionally followed by an options object: `new DataLoader(dataset, 32, { dropLast: true })`.
   */
  constructor(dataset: DataLoaderSource<T>, ...args: PositionalArgs<DataLoaderPositional<T, B>, DataLoaderOptions<T, B>>);
  constructor(dataset: DataLoaderSource<T>, ...args: unknown[]) {
    const o = parsePositional('DataLoader', args, DATALOADER_POSITIONAL, DATALOADER_SPEC, { forms: DATALOADER_FORMS });
    if (o.collate !== undefined && o.collateFn != null)
      throw new ArgumentTypeError('DataLoader: give collateFn or collate (the same option), not both');
    const batchSize = o.batchSize === undefined ? 1 : o.batchSize;
    const shuffle = o.shuffle ?? false;
    const dropLast = o.dropLast ?? false;
    const collate = (o.collateFn ?? o.collate) as ((items: T[]) => B) | undefined;
    const generator = o.generator ?? undefined;
    let map: MapDataset<T> | null = null;
    if (Array.isArray(dataset)) {
      const arr = dataset as readonly T[];
      map = {
        get length() {
          return arr.length;
        },
        get: (i: number) => arr[i]!,
      };
    } else if (isMapDataset(dataset)) {
      if (!Number.isInteger(dataset.length) || dataset.length < 0) {
        throw new ValueError(`DataLoader: the dataset's length must be a non-negative integer, got ${String(dataset.length)}`);
      }
      map = dataset;
    } else if (!isStream(dataset)) {
      throw new ArgumentTypeError(
        `DataLoader: expected a dataset (with length and get(i)), an array, or an iterable / async iterable of items, got ${describe(dataset)}`,
      );
    }
    if (map === null && shuffle) {
      throw new ValueError(
        'DataLoader: shuffle is not available for an iterable (stream) dataset; shuffle the stream itself, or use a map-style Dataset',
      );
    }
    const sampler = (o.sampler ?? undefined) as Iterable<number> | undefined;
    const batchSampler = (o.batchSampler ?? undefined) as Iterable<ArrayLike<number>> | undefined;
    if (map === null && (sampler !== undefined || batchSampler !== undefined)) {
      throw new ValueError('DataLoader: sampler and batchSampler need a map-style dataset (with length and get(i)), not a stream');
    }
    if (sampler !== undefined && shuffle)
      throw new ValueError('DataLoader: sampler is mutually exclusive with shuffle (as in PyTorch): the sampler sets the order');
    if (batchSampler !== undefined && (batchSize !== 1 || shuffle || sampler !== undefined || dropLast)) {
      throw new ValueError(
        'DataLoader: batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast (as in PyTorch): the batch sampler makes the batches',
      );
    }
    if (batchSize === null && dropLast)
      throw new ValueError('DataLoader: batchSize null (no automatic batching) is mutually exclusive with dropLast, as in PyTorch');
    this.sampler = sampler;
    this.batchSampler = batchSampler;
    this.chunk = batchSize ?? 1;
    if (batchSize === null) {
      const perItem = collate as unknown as ((item: T) => B) | undefined;
      this.emit = perItem === undefined ? (items) => items[0] as unknown as B : (items) => perItem(items[0]!);
    } else {
      this.emit = (items) => this.collate(items);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.collate = collate ?? (defaultCollate as unknown as (items: T[]) => B);
    this.generator = generator;
    this.map = map;
    this.fast =
      batchSize !== null && map !== null && (collate === undefined || collate === (defaultCollate as unknown)) && hasBatchSource(map);
  }

  /**
   * Number of batches per epoch: `ceil(n / batchSize)`, or `floor(n / batchSize)` with `dropLast`.
   * For a stream this needs a numeric `length` on the stream; otherwise it throws.
   * @throws {@link ValueError} for a stream of unknown length.
   */
  get length(): number {
    if (this.batchSampler !== undefined || this.sampler !== undefined) {
      const l = knownLength(this.batchSampler ?? this.sampler);
      if (l === undefined) throw new ValueError('DataLoader: the number of batches is unknown: the sampler has no numeric length');
      if (this.batchSampler !== undefined) return l;
      return this.dropLast ? Math.floor(l / this.chunk) : Math.ceil(l / this.chunk);
    }
    let n: number;
    if (this.map !== null) n = this.map.length;
    else {
      const l = (this.dataset as { length?: unknown }).length;
      if (typeof l !== 'number')
        throw new ValueError(
          'DataLoader: the number of batches of an iterable (stream) dataset is unknown; give the stream a numeric length',
        );
      n = l;
    }
    return this.dropLast ? Math.floor(n / this.chunk) : Math.ceil(n / this.chunk);
  }

  /**
   * One epoch of batches. With `shuffle`, the order is drawn when the iteration starts.
   * @throws {@link ValueError} for an async-only stream (use `for await`).
   */
  [Symbol.iterator](): Iterator<B> {
    if (this.map !== null) return this.mapBatches(this.map);
    const src = this.dataset as ItemSource<T>;
    if (typeof (src as Partial<Iterable<T>>)[Symbol.iterator] !== 'function') {
      throw new ValueError('DataLoader: the dataset is an async stream; iterate the loader with for await...of');
    }
    return this.streamBatches((src as Iterable<T>)[Symbol.iterator]());
  }

  /** One epoch of batches, asynchronously (works for every kind of dataset). */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    if (this.map !== null || typeof (this.dataset as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] !== 'function') {
      yield* { [Symbol.iterator]: () => this[Symbol.iterator]() };
      return;
    }
    let buf: T[] = [];
    for await (const item of this.dataset as AsyncIterable<T>) {
      buf.push(item);
      if (buf.length === this.chunk) {
        yield this.emit(buf);
        buf = [];
      }
    }
    if (buf.length > 0 && !this.dropLast) yield this.emit(buf);
  }

  /**
   * The index lists of one epoch: from the batch sampler, or the order (shuffled, sampled or natural)
   * cut into batches. The order is drawn now, when the epoch's iteration starts.
   */
  private batchIndices(ds: MapDataset<T>): Iterable<Int32Array> {
    const size = ds.length;
    const checked = (list: ArrayLike<number>, what: string): Int32Array => {
      const out = new Int32Array(list.length);
      for (let i = 0; i < list.length; i++) {
        const v = list[i]!;
        if (!Number.isInteger(v) || v < 0 || v >= size)
          throw new IndexError(`DataLoader: the ${what} gave index ${describe(v)}, out of range for a dataset of length ${size}`);
        out[i] = v;
      }
      return out;
    };
    if (this.batchSampler !== undefined) {
      const source = this.batchSampler;
      return (function* (): IterableIterator<Int32Array> {
        for (const batch of source) yield checked(batch, 'batchSampler');
      })();
    }
    let order: Int32Array | null = null;
    if (this.sampler !== undefined) order = checked(Array.from(this.sampler), 'sampler');
    else if (this.shuffle) order = randomPermutation(size, this.generator ?? defaultGenerator);
    const n = order === null ? size : order.length;
    const bs = this.chunk;
    const dropLast = this.dropLast;
    return (function* (): IterableIterator<Int32Array> {
      for (let start = 0; start < n; start += bs) {
        const end = Math.min(start + bs, n);
        if (dropLast && end - start < bs) break;
        if (order !== null) {
          yield order.subarray(start, end);
        } else {
          const indices = new Int32Array(end - start);
          for (let i = 0; i < indices.length; i++) indices[i] = start + i;
          yield indices;
        }
      }
    })();
  }

  private mapBatches(ds: MapDataset<T>): Iterator<B> {
    const batches = this.batchIndices(ds);
    const fast = this.fast;
    const emit = this.emit;
    return (function* (): IterableIterator<B> {
      for (const indices of batches) {
        if (fast) {
          const b = (ds as unknown as { _getBatch(ix: Int32Array): unknown })._getBatch(indices);
          if (b !== undefined) {
            yield b as B;
            continue;
          }
        }
        const items: T[] = new Array<T>(indices.length);
        for (let i = 0; i < indices.length; i++) items[i] = ds.get(indices[i]!);
        yield emit(items);
      }
    })();
  }

  private *streamBatches(it: Iterator<T>): IterableIterator<B> {
    let buf: T[] = [];
    let done = false;
    try {
      for (let r = it.next(); !r.done; r = it.next()) {
        buf.push(r.value);
        if (buf.length === this.chunk) {
          yield this.emit(buf);
          buf = [];
        }
      }
      done = true;
    } finally {
      if (!done) it.return?.(); // the consumer stopped early: close the source
    }
    if (buf.length > 0 && !this.dropLast) yield this.emit(buf);
  }
}
