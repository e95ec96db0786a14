/**
 * The training loop behind `fit`. A step on tensors is: one `indexSelect` (or `narrow`) per tensor
 * for the batch, forward, loss, backward, optimizer step, and one read of the loss and of each
 * metric; no per-sample work in JS. A `data.Dataset`/`DataLoader` gives the batches instead.
 * @module
 */
import { any, arrayOf, bool, num, parseOptions } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { tensor } from '../autograd/ops/creation.js';
import { defaultGenerator } from '../autograd/random.js';
import type { Tensor } from '../autograd/tensor.js';
import type { DataLoader } from '../data/dataloader.js';
import { Dataset } from '../data/dataset.js';
import { randomPermutation } from '../data/split.js';
import {
  classWeightCheck,
  classWeightsFor,
  isDataSource,
  loaderOf,
  readBatch,
  sampleWeightsOf,
  stepsOf,
  type Batch,
  type ClassWeight,
  type DataSource,
} from './batches.js';
import { CallbackList, History, type CallbackLike, type Logs, type TrainingParams } from './callbacks.js';
import { buildFromLoader, callForms, evaluateArrays, evaluateLoader, streamCheck, verboseCheck } from './evaluation.js';
import { KERAS_KEYS, describeValue } from './names.js';
import { forwardFor, lossValue, planFor, prepareData, Tally, type Plan } from './plan.js';
import { ProgressLogger, type OutputStream } from './progress.js';
import type { Sequential } from './sequential.js';

export type { EvaluateOptions, PredictOptions } from './evaluation.js';

/** Options of `fit` (camelCase, or Keras' snake_case spellings such as `batch_size`). */
export interface FitOptions {
  /** Index of the last epoch + 1 (default 1). */
  epochs?: number;
  /** Samples per gradient step (default 32); the last batch may be smaller. Not with a DataLoader (it has its own). */
  batchSize?: number;
  /** Fraction of the samples, taken from the end before shuffling, held out for validation (default 0; tensors only). */
  validationSplit?: number;
  /** `[xVal, yVal]`, `[xVal, yVal, sampleWeightVal]`, or a Dataset/DataLoader to evaluate after each epoch (wins over `validationSplit`). */
  validationData?: readonly [Tensor, Tensor] | readonly [Tensor, Tensor, Tensor] | DataSource;
  /** Shuffle the training samples before each epoch (default true; a DataLoader shuffles itself). */
  shuffle?: boolean;
  /** 0: silent; 1 (or `'auto'`): progress bar on a TTY, one line per epoch otherwise (default); 2: one line per epoch. */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Callbacks: {@link Callback} instances or plain objects with hooks. */
  callbacks?: CallbackLike[];
  /** The epoch to start from, to resume training (default 0). */
  initialEpoch?: number;
  /** Where progress is written (default `process.stdout`). */
  stream?: OutputStream;
  /** One weight per training sample: the loss is Σ wᵢ·lᵢ / N per batch, as Keras (tensor data only). */
  sampleWeight?: Tensor | readonly number[];
  /** A weight per class, `{ 0: 1, 1: 5 }`: each sample's loss is multiplied by its class's weight (missing classes weigh 1). */
  classWeight?: ClassWeight;
}

const FIT_SPEC = {
  epochs: num({ integer: true, min: 1 }),
  batchSize: num({ integer: true, min: 1 }),
  validationSplit: num({ min: 0, max: 1, maxExclusive: true }),
  validationData: any,
  shuffle: bool,
  verbose: verboseCheck,
  callbacks: arrayOf(any),
  initialEpoch: num({ integer: true, min: 0 }),
  stream: streamCheck,
  sampleWeight: any,
  classWeight: classWeightCheck,
};

const FORMS = 'fit(x, y, { epochs, batchSize, ... }) or fit(datasetOrLoader, { epochs, ... })';

/** Validation data, resolved. */
type Validation = { x: Tensor; y: Tensor; w: Tensor | null } | { loader: DataLoader<unknown, unknown> } | null;

function readValidationData(op: string, model: Sequential, plan: Plan, vd: unknown, batchSize: number): Validation {
  if (isDataSource(vd)) return { loader: loaderOf(vd, batchSize, false) };
  if (!Array.isArray(vd) || (vd.length !== 2 && vd.length !== 3)) {
    throw new ArgumentTypeError(
      `${op}: validationData must be [xVal, yVal], [xVal, yVal, sampleWeightVal] or a Dataset/DataLoader, got ${describeValue(vd)}`,
    );
  }
  const [x, y] = prepareData(op, model, plan, vd[0], vd[1], ['validationData[0]', 'validationData[1]']);
  const w = vd.length === 3 ? sampleWeightsOf(op, 'validationData[2]', vd[2], x.shape[0]!) : null;
  return { x, y, w };
}

/** Implements `Sequential.fit`. @internal */
export async function fitModel(model: Sequential, xArg: unknown, yArg: unknown, optionsArg: unknown): Promise<History> {
  const op = 'Sequential.fit';
  const { x, y, options, source } = callForms(op, xArg, yArg, optionsArg, FORMS);
  const o = parseOptions(op, options, FIT_SPEC, { ...KERAS_KEYS, forms: FORMS });
  const compiled = model._requireCompiled(op);
  const epochs = o.epochs ?? 1;
  const initialEpoch = o.initialEpoch ?? 0;
  const verbose = o.verbose ?? 1;
  if (o.sampleWeight !== undefined && o.classWeight !== undefined)
    throw new ValueError(`${op}: give sampleWeight or classWeight, not both (as Keras)`);
  let loader: DataLoader<unknown, unknown> | null = null;
  let train: Batch | null = null;
  let plan: Plan;
  let val: Validation = null;
  if (source) {
    for (const key of ['validationSplit', 'sampleWeight'] as const) {
      if (o[key] !== undefined)
        throw new ValueError(
          `${op}: ${key} is not available with a Dataset or DataLoader${key === 'sampleWeight' ? '; yield [x, y, sampleWeight] batches instead' : '; pass validationData'}`,
        );
    }
    loader = loaderOf(x as DataSource, o.batchSize ?? 32, o.shuffle ?? true);
    if (loader === x) {
      if (o.batchSize !== undefined) throw new ValueError(`${op}: batchSize is set by the DataLoader; do not pass it to fit`);
      if (o.shuffle !== undefined)
        throw new ValueError(`${op}: shuffling is set by the DataLoader (its shuffle option); do not pass shuffle to fit`);
    } else if (o.shuffle === true && !(x instanceof Dataset)) {
      throw new ValueError(`${op}: an IterableDataset cannot be shuffled; pass shuffle: false or use a map-style Dataset`);
    }
    buildFromLoader(op, model, loader);
    plan = planFor(model, compiled);
  } else {
    model._checkInput(op, x);
    plan = planFor(model, compiled);
    const [xt, yt] = prepareData(op, model, plan, x, y);
    let w = o.sampleWeight === undefined ? null : sampleWeightsOf(op, 'sampleWeight', o.sampleWeight, xt.shape[0]!);
    train = { x: xt, y: yt, w };
    const split = o.validationSplit ?? 0;
    if (o.validationData === undefined && split > 0) {
      const n = xt.shape[0]!;
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n)
        throw new ValueError(
          `${op}: validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`,
        );
      val = { x: xt.narrow(0, at, n - at), y: yt.narrow(0, at, n - at), w: w === null ? null : w.narrow(0, at, n - at) };
      train = { x: xt.narrow(0, 0, at), y: yt.narrow(0, 0, at), w: w === null ? null : w.narrow(0, 0, at) };
    }
    if (o.classWeight !== undefined) {
      const out = model.outputShape!;
      w = classWeightsFor(op, o.classWeight, train.y, plan.name, out[out.length - 1] ?? 1);
      train = { ...train, w };
    }
    if (train.x.shape[0] === 0) throw new ValueError(`${op}: x has no samples`);
  }
  const batchSize = loader?.batchSize ?? o.batchSize ?? 32;
  if (o.validationData !== undefined) val = readValidationData(op, model, plan, o.validationData, batchSize);
  const optimizer = model._ensureOptimizer();
  const n = train?.x.shape[0] ?? NaN;
  const steps = train !== null ? Math.ceil(n / batchSize) : (stepsOf(loader!) ?? NaN);
  const samples = train !== null ? n : (((loader!.dataset as { length?: unknown }).length as number | undefined) ?? NaN);
  const params: TrainingParams = { epochs, steps, batchSize, samples: typeof samples === 'number' ? samples : NaN, verbose };
  const history = new History();
  const stream = o.stream ?? process.stdout;
  const all: unknown[] = [...(o.callbacks ?? [])];
  if (verbose > 0) all.push(new ProgressLogger({ stream, verbose: verbose as 1 | 2 }));
  all.push(history);
  const cbs = new CallbackList(all, model, params);
  const classWeight = o.classWeight;

  /** One optimizer step on a batch (synchronous; the batch hooks are called around it). */
  const trainStep = (b: Batch, tally: Tally): void => {
    optimizer.zeroGrad();
    const pred = forwardFor(model, b.x, plan);
    const loss = lossValue(op, plan, b.y, pred, b.w);
    loss.backward();
    optimizer.step();
    tally.add(loss.item(), b.x.shape[0]!, b.y, pred);
  };

  /** A loader batch checked and prepared like tensor data. */
  const loaderBatch = (raw: unknown, i: number): Batch => {
    const b = readBatch(op, raw, i);
    const [xb, yb] = prepareData(op, model, plan, b.x, b.y);
    let w = b.w === null ? null : sampleWeightsOf(op, `the sample weights of batch ${i}`, b.w, xb.shape[0]!);
    if (classWeight !== undefined) {
      if (w !== null) throw new ValueError(`${op}: the batches carry sample weights, so classWeight cannot be used too (as Keras)`);
      const out = model.outputShape!;
      w = classWeightsFor(op, classWeight, yb, plan.name, out[out.length - 1] ?? 1);
    }
    return { x: xb, y: yb, w };
  };

  model.stopTraining = false;
  model._stream = verbose > 0 ? stream : null;
  try {
    model.train();
    let r = cbs.call('onTrainBegin', {});
    if (r) await r;
    let lastLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      r = cbs.call('onEpochBegin', epoch, {});
      if (r) await r;
      const tally = new Tally(plan);
      if (train !== null) {
        const t = train;
        const perm = o.shuffle === false ? null : tensor(randomPermutation(n, defaultGenerator), { dtype: 'int32' });
        for (let step = 0; step < steps && !model.stopTraining; step++) {
          const start = step * batchSize;
          const len = Math.min(batchSize, n - start);
          const idx = perm === null ? null : perm.narrow(0, start, len);
          const pick = (u: Tensor): Tensor => (idx === null ? u.narrow(0, start, len) : u.indexSelect(0, idx));
          if (cbs.wantsBatches) {
            r = cbs.call('onBatchBegin', step, { batch: step, size: len });
            if (r) await r;
          }
          trainStep({ x: pick(t.x), y: pick(t.y), w: t.w === null ? null : pick(t.w) }, tally);
          if (cbs.wantsBatches) {
            r = cbs.call('onBatchEnd', step, tally.logs('', { batch: step, size: len }));
            if (r) await r;
          }
        }
      } else {
        let step = 0;
        for await (const raw of loader!) {
          const b = loaderBatch(raw, step);
          const len = b.x.shape[0]!;
          if (cbs.wantsBatches) {
            r = cbs.call('onBatchBegin', step, { batch: step, size: len });
            if (r) await r;
          }
          trainStep(b, tally);
          if (cbs.wantsBatches) {
            r = cbs.call('onBatchEnd', step, tally.logs('', { batch: step, size: len }));
            if (r) await r;
          }
          step++;
          if (model.stopTraining) break;
        }
        if (tally.count === 0) throw new ValueError(`${op}: the data has no batches`);
      }
      const logs = tally.logs();
      if (val !== null) {
        const v =
          'loader' in val ? evaluateLoader(model, plan, op, val.loader) : evaluateArrays(model, plan, op, val.x, val.y, val.w, batchSize);
        v.logs('val_', logs);
      }
      r = cbs.call('onEpochEnd', epoch, logs);
      if (r) await r;
      lastLogs = logs;
    }
    r = cbs.call('onTrainEnd', lastLogs);
    if (r) await r;
  } finally {
    model._stream = null;
  }
  return history;
}
