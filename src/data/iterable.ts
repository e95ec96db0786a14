/**
 * Iterable-style datasets: streams of items with no random access.
 * @module
 */
import { ValueError } from '../autograd/errors.js';

/** Anything {@link IterableDataset} can read items from: a sync or async iterable. */
export type ItemSource<T> = Iterable<T> | AsyncIterable<T>;

function isSyncIterable<T>(x: unknown): x is Iterable<T> {
  return x != null && typeof (x as Iterable<T>)[Symbol.iterator] === 'function';
}

function isAsyncIterable<T>(x: unknown): x is AsyncIterable<T> {
  return x != null && typeof (x as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
}

/**
 * A dataset read as a stream (lines of a file, records from a socket, a generator), for data that
 * does not fit in memory or has no random access. Either pass a source (an iterable, an async
 * iterable such as a Node stream, or a function returning a fresh one for each epoch), or subclass
 * it and override `[Symbol.iterator]` or `[Symbol.asyncIterator]`. A {@link DataLoader} batches
 * consecutive items; shuffling is not available for streams.
 * @example
 * ```ts
 * const ds = new data.IterableDataset(function* () {
 *   for (let i = 0; i < 10; i++) yield [tensor([i]), i % 2];
 * });
 * for (const [x, y] of new data.DataLoader(ds, { batchSize: 4 })) console.log(x.shape);
 * ```
 */
export class IterableDataset<T> implements Iterable<T>, AsyncIterable<T> {
  private readonly source: ItemSource<T> | (() => ItemSource<T>) | undefined;

  /**
   * @param source - The items, or a function returning a fresh iterable on each call (needed to
   *   iterate a one-shot generator or stream more than once). Omit it when subclassing.
   */
  constructor(source?: ItemSource<T> | (() => ItemSource<T>)) {
    if (source !== undefined && typeof source !== 'function' && !isSyncIterable(source) && !isAsyncIterable(source)) {
      throw new ValueError(
        `IterableDataset: the source must be an iterable, an async iterable or a function returning one, got ${typeof source}`,
      );
    }
    this.source = source;
  }

  private open(): ItemSource<T> {
    if (this.source === undefined) {
      throw new ValueError(
        'IterableDataset: no source given; pass one to the constructor or override [Symbol.iterator] / [Symbol.asyncIterator] in a subclass',
      );
    }
    const s = typeof this.source === 'function' ? this.source() : this.source;
    if (!isSyncIterable(s) && !isAsyncIterable(s)) {
      throw new ValueError('IterableDataset: the source function must return an iterable or an async iterable');
    }
    return s;
  }

  /**
   * The items, synchronously; throws for an async source (use `for await`).
   * @example
   * ```ts
   * for (const item of ds) console.log(item);
   * ```
   */
  [Symbol.iterator](): Iterator<T> {
    const s = this.open();
    if (!isSyncIterable<T>(s)) {
      throw new ValueError(
        'IterableDataset: this dataset is asynchronous (its source is an async iterable); iterate it with for await...of',
      );
    }
    return s[Symbol.iterator]();
  }

  /**
   * The items, asynchronously (works for sync and async sources, and for subclasses that only
   * override `[Symbol.iterator]`).
   * @example
   * ```ts
   * for await (const item of ds) console.log(item);
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.source === undefined) {
      yield* { [Symbol.iterator]: () => this[Symbol.iterator]() };
      return;
    }
    const s = this.open();
    if (isAsyncIterable<T>(s)) yield* s;
    else yield* s;
  }
}

/** True for a sync or async iterable that has no random access (not a map-style dataset). @internal */
export function isStream(x: unknown): x is ItemSource<unknown> {
  return isSyncIterable(x) || isAsyncIterable(x);
}
