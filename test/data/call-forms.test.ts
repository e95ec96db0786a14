// PyTorch's call forms of the data API: DataLoader(dataset, batchSize, shuffle, ...) positionally,
// with options, or both; randomSplit's positional generator; torchvision's Compose([...]); and the
// PyTorch options tapegrad accepts only at their defaults.
import { describe, expect, it } from 'vitest';
import { arange, data, tensor, ArgumentTypeError, Generator, NotImplementedError, ValueError } from '../../src/index.js';

type Any = any;
const ds = () => new data.TensorDataset(arange(10).reshape([10, 1]).float(), arange(10));
const epoch = (loader: Iterable<unknown>) => [...loader].map((b: Any) => b[1].toArray() as number[]);

describe('DataLoader call forms', () => {
  it('DataLoader(ds, batchSize) and DataLoader(ds, { batchSize }) give the same batches', () => {
    const want = [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ];
    expect(epoch(new data.DataLoader(ds(), 4))).toEqual(want);
    expect(epoch(new data.DataLoader(ds(), { batchSize: 4 }))).toEqual(want);
    expect(epoch(new data.DataLoader(ds(), 4, false))).toEqual(want);
    expect(epoch(new data.DataLoader(ds(), 4, { dropLast: true }))).toEqual(want.slice(0, 2));
    expect(epoch(new data.DataLoader(ds(), 4, null, null, null, 0, null, false, true))).toEqual(want.slice(0, 2));
  });

  it('shuffles positionally and with the generator given positionally or as an option', () => {
    const g = (seed: number) => new Generator(seed);
    const a = epoch(new data.DataLoader(ds(), 3, true, null, null, 0, null, false, false, 0, null, null, g(5) as Any));
    const b = epoch(new data.DataLoader(ds(), 3, { shuffle: true, generator: g(5) }));
    expect(a).toEqual(b);
    expect(a.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.flat()).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new data.DataLoader(ds(), { shuffle: null }).shuffle).toBe(false);
  });

  it('collateFn, positionally or as an option; collate is the same option', () => {
    const count = (items: unknown[]) => items.length;
    expect([...new data.DataLoader(ds(), 4, false, null, null, 0, count)]).toEqual([4, 4, 2]);
    expect([...new data.DataLoader(ds(), { batchSize: 4, collateFn: count })]).toEqual([4, 4, 2]);
    expect([...new data.DataLoader(ds(), { batchSize: 4, collate: count })]).toEqual([4, 4, 2]);
    expect(() => new data.DataLoader(ds(), { collate: count, collateFn: count })).toThrow(ArgumentTypeError);
  });

  it("accepts PyTorch's worker and device options at their defaults and rejects the rest", () => {
    const defaults = {
      numWorkers: 0,
      pinMemory: false,
      timeout: 0,
      workerInitFn: null,
      multiprocessingContext: null,
      prefetchFactor: 2,
      persistentWorkers: false,
      pinMemoryDevice: '',
      sampler: null,
      batchSampler: null,
    };
    expect(epoch(new data.DataLoader(ds(), { batchSize: 5, ...defaults }))).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
    for (const [key, value] of Object.entries({
      numWorkers: 2,
      pinMemory: true,
      timeout: 5,
      workerInitFn: () => {},
      multiprocessingContext: 'spawn',
      prefetchFactor: 4,
      persistentWorkers: true,
      pinMemoryDevice: 'cuda',
    })) {
      expect(() => new data.DataLoader(ds(), { [key]: value } as Any), key).toThrow(NotImplementedError);
      expect(() => new data.DataLoader(ds(), { [key]: value } as Any), key).toThrow(new RegExp(`DataLoader: ${key} = `));
    }
  });

  it('sampler (an iterable of indices, read afresh each epoch) and batchSampler (lists of indices)', () => {
    expect(epoch(new data.DataLoader(ds(), 2, false, [9, 0, 4]))).toEqual([[9, 0], [4]]);
    expect(epoch(new data.DataLoader(ds(), { batchSize: 2, sampler: [9, 0, 4], dropLast: true }))).toEqual([[9, 0]]);
    expect(new data.DataLoader(ds(), { batchSize: 2, sampler: [9, 0, 4] }).length).toBe(2);
    let calls = 0;
    const fresh = {
      *[Symbol.iterator]() {
        calls++;
        yield* [calls, 0];
      },
    };
    const loader = new data.DataLoader(ds(), { sampler: fresh, batchSize: 2 });
    expect(epoch(loader)).toEqual([[1, 0]]);
    expect(epoch(loader)).toEqual([[2, 0]]);
    expect(() => loader.length).toThrow(/sampler has no numeric length/);
    const bySampler = new data.DataLoader(ds(), { batchSampler: [[3, 1], [2]] });
    expect(epoch(bySampler)).toEqual([[3, 1], [2]]);
    expect(bySampler.length).toBe(2);
    expect(epoch(new data.DataLoader(ds(), 1, false, null, [[5, 6, 7]]))).toEqual([[5, 6, 7]]);
    expect([...new data.DataLoader(ds(), { batchSampler: [[3, 1]], collateFn: (items: unknown[]) => items.length })]).toEqual([2]);
  });

  it('batchSize null turns automatic batching off, as PyTorch: items one by one, collateFn per item', () => {
    const items = [...new data.DataLoader([10, 20, 30], null)];
    expect(items).toEqual([10, 20, 30]);
    expect([...new data.DataLoader([10, 20, 30], { batchSize: null, collateFn: (x: Any) => x + 1 })]).toEqual([11, 21, 31]);
    const rows = [...new data.DataLoader(ds(), { batchSize: null, sampler: [3, 1] })] as Any[];
    expect(rows.map((r) => [r[0].shape, r[1].item()])).toEqual([
      [[1], 3],
      [[1], 1],
    ]); // items, not batches: no batch dim
    expect(new data.DataLoader(ds(), null).length).toBe(10);
    expect([...new data.DataLoader(new data.IterableDataset([1, 2, 3]), null)]).toEqual([1, 2, 3]);
    expect(() => new data.DataLoader(ds(), { batchSize: null, dropLast: true })).toThrow(/mutually exclusive with dropLast/);
  });

  it('rejects samplers as PyTorch does: with shuffle, batchSampler with batchSize, on streams, out of range', () => {
    expect(() => new data.DataLoader(ds(), { sampler: [1], shuffle: true })).toThrow(/mutually exclusive with shuffle/);
    expect(() => new data.DataLoader(ds(), { batchSampler: [[1]], batchSize: 4 })).toThrow(/mutually exclusive with batchSize/);
    expect(() => new data.DataLoader(ds(), { batchSampler: [[1]], dropLast: true })).toThrow(ValueError);
    expect(() => new data.DataLoader(new data.IterableDataset([1, 2]), { sampler: [0] })).toThrow(/need a map-style dataset/);
    expect(() => [...new data.DataLoader(ds(), { sampler: [10] })]).toThrow(
      /the sampler gave index 10, out of range for a dataset of length 10/,
    );
    expect(() => [...new data.DataLoader(ds(), { batchSampler: [[0.5]] })]).toThrow(/batchSampler gave index 0\.5/);
    expect(() => new data.DataLoader(ds(), { sampler: 3 } as Any)).toThrow(ArgumentTypeError);
    expect(() => new data.DataLoader(ds(), { sampler: 'abc' } as Any)).toThrow(ArgumentTypeError);
  });

  it('rejects snake_case keys, typos, a key given twice and too many arguments', () => {
    expect(() => new data.DataLoader(ds(), { batch_size: 4 } as Any)).toThrow(/did you mean 'batchSize'/);
    expect(() => new data.DataLoader(ds(), { drop_last: true } as Any)).toThrow(/did you mean 'dropLast'/);
    expect(() => new data.DataLoader(ds(), { num_workers: 0 } as Any)).toThrow(/did you mean 'numWorkers'/);
    expect(() => new data.DataLoader(ds(), { batchsize: 4 } as Any)).toThrow(/did you mean 'batchSize'/);
    expect(() => new data.DataLoader(ds(), 4, { batchSize: 4 } as Any)).toThrow(/got 'batchSize' twice/);
    expect(() => new (data.DataLoader as Any)(ds(), 4, false, null, null, 0, null, false, false, 0, null, null, null, 2)).toThrow(
      /too many arguments/,
    );
    expect(() => new data.DataLoader(ds(), 4, 'yes' as Any)).toThrow(ArgumentTypeError);
  });
});

describe('dataset call forms', () => {
  it('randomSplit takes the generator positionally (PyTorch) or in options, and fractions', () => {
    const idx = (parts: data.Subset<unknown>[]) => parts.map((p) => Array.from(p.indices));
    const a = idx(data.randomSplit(ds(), [0.7, 0.3], new Generator(3)));
    const b = idx(data.randomSplit(ds(), [7, 3], { generator: new Generator(3) }));
    expect(a).toEqual(b);
    expect(a.map((p) => p.length)).toEqual([7, 3]);
    expect(() => data.randomSplit(ds(), [7, 3], 3 as Any)).toThrow(ArgumentTypeError);
    expect(() => data.randomSplit(ds(), 0.5 as Any)).toThrow(/lengths must be an array/);
    expect(() => (data.randomSplit as Any)(ds(), [7, 3], new Generator(1), 'extra')).toThrow(/too many arguments/);
  });

  it('Subset takes an array, a typed array, an iterable or an int32 tensor of indices', () => {
    const labels = (s: data.Subset<Any>) => Array.from({ length: s.length }, (_v, i) => s.get(i)[1].item());
    expect(labels(new data.Subset(ds(), [4, 2]))).toEqual([4, 2]);
    expect(labels(new data.Subset(ds(), new Set([4, 2])))).toEqual([4, 2]);
    expect(labels(new data.Subset(ds(), tensor([4, 2], { dtype: 'int32' })))).toEqual([4, 2]);
    expect(() => new data.Subset(ds(), tensor([4, 2]))).toThrow(/1-d int32 tensor/);
    expect(() => new data.Subset([1, 2, 3] as Any, [0])).toThrow(ArgumentTypeError);
  });

  it('ConcatDataset takes one iterable of datasets, as PyTorch', () => {
    expect(new data.ConcatDataset(new Set([ds(), ds()])).length).toBe(20);
    expect(() => new (data.ConcatDataset as Any)(ds(), ds())).toThrow(ArgumentTypeError);
    expect(() => new data.ConcatDataset(ds() as Any)).toThrow(/expected an array of datasets/);
  });

  it('TensorDataset takes tensors only', () => {
    expect(() => new data.TensorDataset(tensor([1, 2]), [1, 2] as Any)).toThrow(ArgumentTypeError);
  });
});

describe('transform call forms', () => {
  const t = data.transforms;
  it("compose takes transforms as arguments or one array (torchvision's Compose)", () => {
    const img = tensor([[0, 51, 255]], { dtype: 'int32' });
    const want = [[[(0 - 0.5) / 0.5, (0.2 - 0.5) / 0.5, (1 - 0.5) / 0.5]]];
    for (const f of [t.compose(t.toTensor(), t.normalize([0.5], [0.5])), t.compose([t.toTensor(), t.normalize([0.5], [0.5])])]) {
      (f(img).toArray() as number[][][])[0]![0]!.forEach((v, i) => expect(v).toBeCloseTo(want[0]![0]![i]!, 6));
    }
  });

  it("normalize takes torchvision's inplace only as false", () => {
    expect(() => t.normalize([0.5], [0.5], false)).not.toThrow();
    expect(() => t.normalize([0.5], [0.5], { inplace: false })).not.toThrow();
    expect(() => t.normalize([0.5], [0.5], true)).toThrow(NotImplementedError);
    expect(() => t.normalize([0.5], [0.5], { in_place: false } as Any)).toThrow(ValueError);
  });

  it('oneHot and toTensor reject extra arguments', () => {
    expect(() => (t.oneHot as Any)(3, 'float32')).toThrow(ArgumentTypeError);
    expect(() => (t.toTensor as Any)({ dtype: 'float32' })).toThrow(ArgumentTypeError);
  });
});
