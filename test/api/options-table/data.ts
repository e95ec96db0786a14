/** Options meta-test entries for the data exports (see types.ts). */
import type { Lib } from '../wrong-calls/types.js';
import type { OptionsTable } from './types.js';

const dataset = (tg: Lib) => new tg.data.TensorDataset(tg.randn([6, 2]), tg.zeros([6]));

/** Entries of the data area. */
export const table: OptionsTable = {
  'data.DataLoader': (tg, o) => new tg.data.DataLoader(dataset(tg), o),
  'data.DataLoader (after positional batchSize)': (tg, o) => new tg.data.DataLoader(dataset(tg), 2, o),
  'data.randomSplit': (tg, o) => tg.data.randomSplit(dataset(tg), [4, 2], o),
  'data.MNIST': (tg, o) => new tg.data.MNIST('/nonexistent-mnist-root', o),
  'data.mnistDigits': (tg, o) => tg.data.mnistDigits(o),
  'data.transforms.normalize': (tg, o) => tg.data.transforms.normalize([0.5], [0.5], o),
  'data.Dataset': { none: 'the abstract base class; it takes no arguments' },
  'data.TensorDataset': { none: 'takes tensors only, as PyTorch: new TensorDataset(x, y, ...)' },
  'data.Subset': { none: 'takes (dataset, indices), as PyTorch' },
  'data.ConcatDataset': { none: 'takes one array of datasets, as PyTorch' },
  'data.IterableDataset': { none: 'takes one source (an iterable or a function returning one)' },
  'data.defaultCollate': { none: 'takes the list of items only, as PyTorch' },
  'data.readIdx': { none: 'takes a path or the bytes of an IDX file' },
  'data.transforms.compose': { none: 'takes transforms only (as arguments or one array, as torchvision)' },
  'data.transforms.oneHot': { none: 'takes numClasses only' },
  'data.transforms.toTensor': { none: 'takes no arguments, as torchvision' },
};
