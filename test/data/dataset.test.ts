/**
 * Map-style datasets, iterable datasets and randomSplit. Expected values are written out by hand
 * or follow from the construction (row i of a tensor built from known numbers).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, IndexError, ShapeError, Tensor, ValueError, data, manualSeed, tensor } from '../../src/index.js';
import { expectThrows, vals } from './helpers.js';

const int = (xs: number[]): Tensor => tensor(xs, { dtype: 'int32' });

describe('TensorDataset', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const y = int([7, 8, 9]);
  const ds = new data.TensorDataset(x, y);

  it('has the common first dim as length and rows as items', () => {
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(xi!.shape).toEqual([2]);
    expect(vals(xi!)).toEqual([3, 4]);
    expect(yi!.shape).toEqual([]);
    expect(yi!.dtype).toBe('int32');
    expect(yi!.item()).toBe(8);
  });

  it('iterates its items in order', () => {
    expect([...ds].map(([, yi]) => yi!.item())).toEqual([7, 8, 9]);
  });

  it('rejects tensors whose first dims differ, naming both shapes', () => {
    expectThrows(() => new data.TensorDataset(x, int([1, 2])), ShapeError, /TensorDataset/, /\[3, 2\]/, /\[2\]/);
  });

  it('rejects 0-d tensors and an empty argument list', () => {
    expectThrows(() => new data.TensorDataset(tensor(1)), ShapeError, /0-d/);
    expectThrows(() => new data.TensorDataset(), ValueError, /at least one tensor/);
  });

  it('rejects out-of-range and non-integer indices', () => {
    expectThrows(() => ds.get(3), IndexError, /index 3 is out of range for a dataset of length 3/);
    expectThrows(() => ds.get(-1), IndexError, /-1/);
    expectThrows(() => ds.get(0.5), IndexError, /0.5/);
  });
});

describe('Subset and ConcatDataset', () => {
  const base = new data.TensorDataset(int([10, 11, 12, 13, 14]));

  it('Subset maps indices (repeats allowed)', () => {
    const s = new data.Subset(base, [4, 0, 4]);
    expect(s.length).toBe(3);
    expect([0, 1, 2].map((i) => s.get(i)[0]!.item())).toEqual([14, 10, 14]);
    expectThrows(() => new data.Subset(base, [0, 5]), IndexError, /index 5 \(position 1\)/, /length 5/);
    expectThrows(() => s.get(3), IndexError, /Subset\.get/);
  });

  it('ConcatDataset chains datasets, including empty ones', () => {
    const a = new data.Subset(base, [0, 1]);
    const empty = new data.Subset(base, []);
    const b = new data.Subset(base, [2, 3, 4]);
    const c = new data.ConcatDataset([a, empty, b]);
    expect(c.length).toBe(5);
    expect(c.cumulativeSizes).toEqual([2, 2, 5]);
    expect([0, 1, 2, 3, 4].map((i) => c.get(i)[0]!.item())).toEqual([10, 11, 12, 13, 14]);
    expectThrows(() => c.get(5), IndexError, /ConcatDataset/);
    expectThrows(() => new data.ConcatDataset([]), ValueError, /non-empty/);
  });

  it('ConcatDataset finds every item (property, against a flat list)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }), (sizes) => {
        let next = 0;
        const parts = sizes.map((n) => {
          const items = Array.from({ length: n }, () => next++);
          return { length: n, get: (i: number) => items[i]! } as unknown as data.Dataset<number>;
        });
        const c = new data.ConcatDataset(parts);
        expect(c.length).toBe(next);
        for (let i = 0; i < next; i++) expect(c.get(i)).toBe(i);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe('randomSplit', () => {
  const ds = new data.TensorDataset(int(Array.from({ length: 10 }, (_, i) => i)));
  const items = (s: data.Subset<Tensor[]>): number[] => Array.from({ length: s.length }, (_, i) => s.get(i)[0]!.item());

  it('splits by counts into disjoint subsets covering the dataset', () => {
    const parts = data.randomSplit(ds, [3, 7], { generator: new Generator(1) });
    expect(parts.map((p) => p.length)).toEqual([3, 7]);
    const all = [...items(parts[0]!), ...items(parts[1]!)].sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('turns fractions into counts with the round-robin remainder rule', () => {
    // 10 * [0.33, 0.33, 0.34] floors to [3, 3, 3]; the one left over goes to the first part.
    expect(data.randomSplit(ds, [0.33, 0.33, 0.34]).map((p) => p.length)).toEqual([4, 3, 3]);
    // 10 * [0.25, 0.25, 0.25, 0.25] floors to [2, 2, 2, 2]; two left over go to parts 0 and 1.
    expect(data.randomSplit(ds, [0.25, 0.25, 0.25, 0.25]).map((p) => p.length)).toEqual([3, 3, 2, 2]);
    expect(data.randomSplit(ds, [0.8, 0.2]).map((p) => p.length)).toEqual([8, 2]);
    // [1, 0] sums to 1, so it is read as fractions (everything, nothing), as in PyTorch.
    expect(data.randomSplit(ds, [1, 0]).map((p) => p.length)).toEqual([10, 0]);
  });

  it('is reproducible with a seeded generator and under manualSeed', () => {
    const a = data.randomSplit(ds, [5, 5], { generator: new Generator(7) }).map(items);
    const b = data.randomSplit(ds, [5, 5], { generator: new Generator(7) }).map(items);
    expect(a).toEqual(b);
    manualSeed(3);
    const c = data.randomSplit(ds, [5, 5]).map(items);
    manualSeed(3);
    const d = data.randomSplit(ds, [5, 5]).map(items);
    expect(c).toEqual(d);
    // A different seed gives a different split (10 choose 5 = 252 possibilities; seeds 7 and 8 differ).
    const e = data.randomSplit(ds, [5, 5], { generator: new Generator(8) }).map(items);
    expect(e).not.toEqual(a);
  });

  it('rejects lengths that do not add up', () => {
    expectThrows(() => data.randomSplit(ds, [3, 3]), ValueError, /sum to 6/, /10 items/);
    expectThrows(() => data.randomSplit(ds, [0.5, 0.2]), ValueError, /neither integer counts nor fractions/);
    expectThrows(() => data.randomSplit(ds, [-1, 11]), ValueError, /non-negative/);
    expectThrows(() => data.randomSplit(ds, []), ValueError, /non-empty/);
  });

  it('gives sizes summing to n and disjoint parts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, weights, seed) => {
          const list = { length: n, get: (i: number) => i } as unknown as data.Dataset<number>;
          const total = weights.reduce((a, b) => a + b, 0);
          const fractions = weights.map((w) => w / total);
          const fsum = fractions.reduce((a, b) => a + b, 0);
          if (Math.abs(fsum - 1) > 1e-9 || fsum > 1) return; // rounding put the sum just above 1: not a fraction split
          const parts = data.randomSplit(list, fractions, { generator: new Generator(seed) });
          const sizes = parts.map((p) => p.length);
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
          // Each part gets floor(n * f) plus at most one of the remainder.
          sizes.forEach((s, i) => {
            const base = Math.floor(n * fractions[i]!);
            expect(s === base || s === base + 1).toBe(true);
          });
          const seen = parts.flatMap((p) => Array.from({ length: p.length }, (_, i) => p.get(i)));
          expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
});

describe('IterableDataset', () => {
  it('re-iterates a generator function source each epoch', () => {
    const ds = new data.IterableDataset(function* () {
      yield 1;
      yield 2;
    });
    expect([...ds]).toEqual([1, 2]);
    expect([...ds]).toEqual([1, 2]);
  });

  it('iterates asynchronously over sync and async sources', async () => {
    const sync = new data.IterableDataset([1, 2, 3]);
    const out: number[] = [];
    for await (const v of sync) out.push(v);
    expect(out).toEqual([1, 2, 3]);
    const asyncDs = new data.IterableDataset(async function* () {
      yield 'a';
      yield 'b';
    });
    const got: string[] = [];
    for await (const v of asyncDs) got.push(v);
    expect(got).toEqual(['a', 'b']);
    expectThrows(() => [...asyncDs], ValueError, /asynchronous/, /for await/);
  });

  it('supports subclasses overriding [Symbol.iterator]', async () => {
    class Count extends data.IterableDataset<number> {
      override *[Symbol.iterator](): Iterator<number> {
        for (let i = 0; i < 3; i++) yield i * i;
      }
    }
    const out: number[] = [];
    for await (const v of new Count()) out.push(v);
    expect(out).toEqual([0, 1, 4]);
  });

  it('rejects a source that is not iterable, and a missing source', () => {
    expectThrows(() => new data.IterableDataset(42 as unknown as number[]), ValueError, /iterable/);
    expectThrows(() => [...new data.IterableDataset<number>()], ValueError, /no source/);
  });
});
