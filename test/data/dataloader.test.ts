/**
 * DataLoader: batching, dropLast, length, shuffling (reproducible, fresh each epoch), the default
 * collate of nested items, the TensorDataset fast path, streams and for await.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ArgumentTypeError, Generator, ShapeError, Tensor, ValueError, data, manualSeed, tensor } from '../../src/index.js';
import { expectRejects, expectThrows, vals } from './helpers.js';

const int = (xs: number[]): Tensor => tensor(xs, { dtype: 'int32' });
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A dataset of n items [row i of x, label i], with x[i] = [i, 10 i]. */
function rows(n: number): data.TensorDataset {
  return new data.TensorDataset(tensor(range(n).map((i) => [i, 10 * i])), int(range(n)));
}

describe('DataLoader: batching', () => {
  it('batches in order, with a smaller last batch', () => {
    const loader = new data.DataLoader(rows(5), { batchSize: 2 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.length).toBe(3);
    expect(batches.map(([x]) => x!.shape)).toEqual([
      [2, 2],
      [2, 2],
      [1, 2],
    ]);
    expect(batches.map(([, y]) => vals(y!))).toEqual([[0, 1], [2, 3], [4]]);
    expect(vals(batches[1]![0]!)).toEqual([2, 20, 3, 30]);
    expect(batches[0]![1]!.dtype).toBe('int32');
  });

  it('drops the last incomplete batch with dropLast', () => {
    const loader = new data.DataLoader(rows(5), { batchSize: 2, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].map(([, y]) => vals(y!))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('uses batchSize 1 by default and handles an empty dataset', () => {
    const loader = new data.DataLoader(rows(3));
    expect(loader.length).toBe(3);
    expect([...loader].map(([x]) => x!.shape)).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    const empty = new data.DataLoader(new data.Subset(rows(3), []), { batchSize: 4 });
    expect(empty.length).toBe(0);
    expect([...empty]).toEqual([]);
  });

  it('gives length batches covering every item once (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        fc.boolean(),
        (n, bs, dropLast, shuffle) => {
          const items = range(n);
          const loader = new data.DataLoader(items, { batchSize: bs, dropLast, shuffle, generator: new Generator(n * 31 + bs) });
          const batches = [...loader];
          expect(batches.length).toBe(dropLast ? Math.floor(n / bs) : Math.ceil(n / bs));
          expect(loader.length).toBe(batches.length);
          for (let i = 0; i < batches.length; i++) {
            const size = batches[i]!.shape[0]!;
            expect(size).toBe(i < batches.length - 1 || dropLast ? bs : n - bs * (batches.length - 1));
          }
          const seen = batches.flatMap((b) => vals(b)).sort((a, b) => a - b);
          const expected = dropLast ? null : items;
          if (expected) expect(seen).toEqual(expected);
          else expect(new Set(seen).size).toBe(seen.length); // no item twice
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('rejects bad options', () => {
    expectThrows(() => new data.DataLoader(rows(3), { batchSize: 0 }), ValueError, /batchSize must be >= 1, got 0/);
    expectThrows(() => new data.DataLoader(rows(3), { batchSize: 1.5 }), ValueError, /1.5/);
    expectThrows(() => new data.DataLoader(42 as unknown as number[]), ArgumentTypeError, /expected a dataset/);
    expectThrows(() => new data.DataLoader(rows(3), { generator: {} as Generator }), ArgumentTypeError, /Generator/);
  });
});

describe('DataLoader: shuffling', () => {
  const order = (loader: data.DataLoader<number>): number[] => [...loader].flatMap((b) => vals(b));

  it('is reproducible with an explicit generator and draws a fresh order each epoch', () => {
    const a = new data.DataLoader(range(20), { batchSize: 4, shuffle: true, generator: new Generator(5) });
    const b = new data.DataLoader(range(20), { batchSize: 4, shuffle: true, generator: new Generator(5) });
    const a1 = order(a);
    const a2 = order(a);
    expect(a1).toEqual(order(b));
    expect(a2).toEqual(order(b));
    expect(a2).not.toEqual(a1);
    expect([...a1].sort((x, y) => x - y)).toEqual(range(20));
    expect(a1).not.toEqual(range(20));
  });

  it('is reproducible under manualSeed', () => {
    const loader = new data.DataLoader(range(20), { batchSize: 3, shuffle: true });
    manualSeed(123);
    const first = [order(loader), order(loader)];
    manualSeed(123);
    const second = [order(loader), order(loader)];
    expect(second).toEqual(first);
  });

  it('is not available for streams', () => {
    expectThrows(() => new data.DataLoader(new data.IterableDataset([1, 2]), { shuffle: true }), ValueError, /shuffle is not available/);
  });
});

describe('DataLoader: TensorDataset fast path', () => {
  it('builds each batch with one indexSelect per tensor, equal to the item-by-item batches', () => {
    const ds = rows(11);
    const spy = vi.spyOn(ds, '_getBatch');
    const fast = new data.DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(9) });
    // A collate that is not the default one turns the fast path off.
    const slow = new data.DataLoader(ds, {
      batchSize: 4,
      shuffle: true,
      generator: new Generator(9),
      collate: (items) => data.defaultCollate(items),
    });
    const f = [...fast];
    expect(spy).toHaveBeenCalledTimes(3);
    const s = [...slow];
    expect(spy).toHaveBeenCalledTimes(3);
    expect(f.length).toBe(3);
    for (let i = 0; i < 3; i++) {
      expect(f[i]![0]!.shape).toEqual(s[i]![0]!.shape);
      expect(vals(f[i]![0]!)).toEqual(vals(s[i]![0]!));
      expect(vals(f[i]![1]!)).toEqual(vals(s[i]![1]!));
      expect(f[i]![1]!.dtype).toBe('int32');
      // Row j of x is [y_j, 10 y_j]: the two tensors stay aligned.
      const y = vals(f[i]![1]!);
      expect(vals(f[i]![0]!)).toEqual(y.flatMap((v) => [v, 10 * v]));
    }
  });

  it('works through a Subset (e.g. from randomSplit) and for a non-contiguous tensor', () => {
    const x = tensor(range(12)).reshape(3, 4).T; // [4, 3], not contiguous: row i is [i, i + 4, i + 8]
    const ds = new data.TensorDataset(x, int([0, 1, 2, 3]));
    const sub = new data.Subset(ds, [3, 1]);
    const [[xb, yb]] = [...new data.DataLoader(sub, { batchSize: 2 })] as [Tensor[]];
    expect(vals(xb!)).toEqual([3, 7, 11, 1, 5, 9]);
    expect(vals(yb!)).toEqual([3, 1]);
  });
});

describe('DataLoader: default collate', () => {
  it('collates nested objects and arrays recursively', () => {
    const items = [
      { image: tensor([1, 2]), label: 0, meta: { id: 'a', ok: true, pair: [tensor([5]), 1.5] } },
      { image: tensor([3, 4]), label: 1, meta: { id: 'b', ok: false, pair: [tensor([6]), 2.5] } },
    ];
    const [batch] = [...new data.DataLoader(items, { batchSize: 2 })];
    expect(batch!.image.shape).toEqual([2, 2]);
    expect(vals(batch!.image)).toEqual([1, 2, 3, 4]);
    expect(batch!.label.dtype).toBe('float32');
    expect(vals(batch!.label)).toEqual([0, 1]);
    expect(batch!.meta.id).toEqual(['a', 'b']);
    expect(batch!.meta.ok.dtype).toBe('bool');
    expect(vals(batch!.meta.ok)).toEqual([1, 0]);
    expect(vals(batch!.meta.pair[0]!)).toEqual([5, 6]);
    expect(batch!.meta.pair[0]!.shape).toEqual([2, 1]);
    expect(vals(batch!.meta.pair[1]!)).toEqual([1.5, 2.5]);
  });

  it('keeps tensor dtypes', () => {
    const b = data.defaultCollate([tensor(1, { dtype: 'int32' }), tensor(2, { dtype: 'int32' })]);
    expect(b.dtype).toBe('int32');
    expect(b.shape).toEqual([2]);
  });

  it('reports mismatches with their path', () => {
    expectThrows(
      () => data.defaultCollate([{ x: tensor([1, 2]) }, { x: tensor([1]) }]),
      ShapeError,
      /item 0 of shape \[2\] with item 1 of shape \[1\] at x/,
    );
    expectThrows(() => data.defaultCollate([[1, 2], [1]]), ValueError, /2 elements but item 1 has 1/);
    expectThrows(() => data.defaultCollate([{ a: 1 }, { b: 1 }]), ValueError, /keys \{a\}/, /\{b\}/);
    expectThrows(() => data.defaultCollate([[tensor(1)], [2]]), ValueError, /Tensor but item 1 is a number at \[0\]/);
    expectThrows(() => data.defaultCollate([null, null]), ValueError, /cannot collate a null/);
    expectThrows(() => data.defaultCollate([]), ValueError, /non-empty/);
  });

  it('uses a custom collate', () => {
    const loader = new data.DataLoader([1, 2, 3, 4, 5], { batchSize: 2, collate: (xs) => xs.reduce((a, b) => a + b, 0) });
    expect([...loader]).toEqual([3, 7, 5]);
  });
});

describe('DataLoader: streams and for await', () => {
  it('iterates a map-style dataset with for await', async () => {
    const out: number[][] = [];
    for await (const [, y] of new data.DataLoader(rows(5), { batchSize: 2 })) out.push(vals(y!));
    expect(out).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('batches a sync stream with for...of and for await', async () => {
    const ds = new data.IterableDataset(function* () {
      for (let i = 0; i < 7; i++) yield [tensor([i]), i];
    });
    const loader = new data.DataLoader(ds, { batchSize: 3 });
    expect([...loader].map(([x]) => x!.shape)).toEqual([
      [3, 1],
      [3, 1],
      [1, 1],
    ]);
    const ys: number[][] = [];
    for await (const [, y] of loader) ys.push(vals(y as Tensor));
    expect(ys).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect([...new data.DataLoader(ds, { batchSize: 3, dropLast: true })].length).toBe(2);
    expectThrows(() => loader.length, ValueError, /unknown/);
  });

  it('batches an async stream with for await and refuses for...of', async () => {
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 5; i++) {
        await Promise.resolve();
        yield i;
      }
    }
    const loader = new data.DataLoader(new data.IterableDataset(source), { batchSize: 2 });
    const out: number[][] = [];
    for await (const b of loader) out.push(vals(b));
    expect(out).toEqual([[0, 1], [2, 3], [4]]);
    expectThrows(() => [...loader], ValueError, /for await/);
    // A plain async iterable works as a stream too.
    const plain = new data.DataLoader(source(), { batchSize: 5 });
    const batches: Tensor[] = [];
    for await (const b of plain) batches.push(b);
    expect(batches.map(vals)).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('propagates collate errors to for await', async () => {
    const loader = new data.DataLoader([tensor([1]), tensor([1, 2])], { batchSize: 2 });
    const run = async (): Promise<void> => {
      for await (const b of loader) void b;
    };
    await expectRejects(run(), ShapeError, /cannot stack/);
  });

  it('closes the source when the consumer stops early', () => {
    let closed = false;
    const ds = new data.IterableDataset(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    });
    for (const b of new data.DataLoader(ds, { batchSize: 2 })) {
      expect(vals(b)).toEqual([0, 1]);
      break;
    }
    expect(closed).toBe(true);
  });
});
