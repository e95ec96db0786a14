/**
 * Datasets, data loading and transforms: {@link Dataset}, {@link TensorDataset}, {@link Subset},
 * {@link ConcatDataset}, {@link IterableDataset}, {@link randomSplit}, {@link DataLoader},
 * {@link defaultCollate}, `transforms`, and MNIST ({@link readIdx}, {@link MNIST},
 * {@link mnistDigits}). See docs/data.md.
 * @example
 * ```ts
 * import { data, manualSeed } from 'tapegrad';
 * manualSeed(0);
 * const { images, labels } = data.mnistDigits();
 * const loader = new data.DataLoader(new data.TensorDataset(images, labels), { batchSize: 64, shuffle: true });
 * for (const [x, y] of loader) {
 *   // x: float32 [64, 784], y: int32 [64]
 * }
 * ```
 * @module
 */
export { Dataset, TensorDataset, Subset, ConcatDataset } from './dataset.js';
export { IterableDataset, type ItemSource } from './iterable.js';
export { randomSplit, type RandomSplitOptions } from './split.js';
export { defaultCollate, type Collated } from './collate.js';
export { DataLoader, type DataLoaderOptions, type DataLoaderPositional, type DataLoaderSource, type MapDataset } from './dataloader.js';
export * as transforms from './transforms.js';
export { readIdx, MNIST, type MNISTOptions, type MNISTPositional } from './mnist.js';
export { mnistDigits, type MnistDigits, type MnistDigitsOptions } from './mnist-digits.js';
