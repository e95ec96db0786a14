/**
 * Where `fit`, `evaluate` and `predict` get their batches: tensors `x`/`y` (sliced per step), or a
 * `data.Dataset` / `data.DataLoader` yielding `[x, y]` or `[x, y, sampleWeight]`; and Keras' sample
 * and class weights.
 * @module
 */
import { describe, isPlainObject, type Check } from '../autograd/args.js';
import { ArgumentTypeError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { tensor } from '../autograd/ops/creation.js';
import { Tensor } from '../autograd/tensor.js';
import { DataLoader } from '../data/dataloader.js';
import { Dataset } from '../data/dataset.js';
import { IterableDataset } from '../data/iterable.js';
import type { LossName } from './losses.js';

/** Data as a Tensor: a Tensor as is, nested arrays of numbers converted (Keras takes lists too). @internal */
export function asTensor(op: string, what: string, v: unknown): Tensor {
  if (v instanceof Tensor) return v;
  if (Array.isArray(v)) return tensor(v as never);
  throw new ArgumentTypeError(`${op}: ${what} must be a Tensor or an array of numbers, got ${describe(v)}`);
}

/** A data source `fit`/`evaluate`/`predict` take instead of tensors (its items or batches are `[x, y]` or `[x, y, sampleWeight]`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any item and batch type; batches are checked when read
export type DataSource = Dataset<any> | IterableDataset<any> | DataLoader<any, any>;

/** True for a `data.Dataset`, `data.IterableDataset` or `data.DataLoader`. @internal */
export function isDataSource(v: unknown): v is DataSource {
  return v instanceof Dataset || v instanceof IterableDataset || v instanceof DataLoader;
}

/** One batch: inputs, targets and the per-sample weights (or null). @internal */
export interface Batch {
  x: Tensor;
  y: Tensor;
  w: Tensor | null;
}

/** Reads one batch of a data source: `[x, y]` or `[x, y, sampleWeight]`. @internal */
export function readBatch(op: string, batch: unknown, index: number): Batch {
  const ok = Array.isArray(batch) && (batch.length === 2 || batch.length === 3) && batch.every((t) => t instanceof Tensor);
  if (!ok) {
    throw new ArgumentTypeError(
      `${op}: batch ${index} of the data must be [x, y] or [x, y, sampleWeight] (tensors), got ${describe(batch)}`,
    );
  }
  const [x, y, w] = batch;
  return { x: x!, y: y!, w: w ?? null };
}

/** The batches of a data source as a DataLoader (a Dataset is batched with `batchSize` and `shuffle`). @internal */
export function loaderOf(source: DataSource, batchSize: number, shuffle: boolean): DataLoader<unknown, unknown> {
  if (source instanceof DataLoader) return source;
  return new DataLoader(source, { batchSize, shuffle: shuffle && source instanceof Dataset });
}

/** The number of batches of a loader, or null when its stream has no length. @internal */
export function stepsOf(loader: DataLoader<unknown, unknown>): number | null {
  try {
    return loader.length;
  } catch {
    return null;
  }
}

/** Checks per-sample weights for `n` samples: a Tensor or an array of numbers with `n` entries, as float32. @internal */
export function sampleWeightsOf(op: string, name: string, w: unknown, n: number): Tensor {
  let t: Tensor;
  if (w instanceof Tensor) t = w;
  else if (Array.isArray(w) && w.every((v) => typeof v === 'number')) t = tensor(w);
  else throw new ArgumentTypeError(`${op}: ${name} must be a Tensor or an array of numbers (one weight per sample), got ${describe(w)}`);
  if (t.ndim === 2 && t.shape[1] === 1) t = t.reshape([t.shape[0]!]);
  if (t.ndim !== 1 || t.shape[0] !== n)
    throw new ShapeError(`${op}: ${name} must have shape [${n}] (one weight per sample), got ${fmtShape(t.shape)}`);
  return (t.dtype === 'float32' || t.dtype === 'float64' ? t : t.to('float32')).detach();
}

/** A class-weight table `{ 0: 1, 1: 5 }` (keys: class indices). */
export type ClassWeight = Readonly<Record<number, number>>;

/** Checks `classWeight`: a plain object mapping integer class indices to finite weights >= 0. @internal */
export const classWeightCheck: Check<Map<number, number>> = (op, key, v) => {
  if (!isPlainObject(v))
    throw new ArgumentTypeError(
      `${op}: ${key} must be an object mapping class indices to weights, such as { 0: 1, 1: 5 }, got ${describe(v)}`,
    );
  const out = new Map<number, number>();
  for (const [k, w] of Object.entries(v)) {
    const c = Number(k);
    if (!Number.isInteger(c) || c < 0 || String(c) !== k)
      throw new ValueError(`${op}: ${key} keys must be class indices (integers >= 0), got '${k.slice(0, 40)}'`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new ValueError(`${op}: ${key}[${k}] must be a finite number >= 0, got ${describe(w)}`);
    out.set(c, w);
  }
  return out;
};

/**
 * Per-sample weights from a class-weight table, as Keras: the class of a sample is its index
 * (sparse targets), the argmax of a one-hot row, or the rounded value of a one-column target;
 * classes missing from the table weigh 1. @internal
 */
export function classWeightsFor(op: string, table: Map<number, number>, y: Tensor, loss: LossName | null, outWidth: number): Tensor {
  const classes = loss === 'sparseCategoricalCrossentropy' || outWidth > 1 ? outWidth : 2;
  for (const c of table.keys()) {
    if (c >= classes) throw new ValueError(`${op}: classWeight has class ${c}, but the model has ${classes} classes (0..${classes - 1})`);
  }
  return noGrad(() => {
    const n = y.shape[0]!;
    let cls: Tensor;
    if (y.dtype === 'int32' && y.ndim === 1) cls = y;
    else if (y.ndim >= 2 && y.shape[y.ndim - 1]! > 1) cls = y.reshape([n, -1]).argmax(-1).to('int32');
    else {
      // Rounded to the nearest class (Keras rounds one-column targets); values below -0.5 stay negative and are reported.
      const flat = y.reshape([n]);
      cls = flat.add(0.5).to('int32').where(flat.ge(-0.5), -1);
    }
    if (n > 0) {
      const lo = cls.amin().item();
      const hi = cls.amax().item();
      if (lo < 0 || hi >= classes)
        throw new ValueError(`${op}: classWeight needs class labels in 0..${classes - 1}, but the targets give classes in [${lo}, ${hi}]`);
    }
    const weights = Array.from({ length: classes }, (_v, c) => table.get(c) ?? 1);
    return tensor(weights).indexSelect(0, cls);
  });
}
