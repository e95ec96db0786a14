/**
 * The loops behind `fit`, `evaluate` and `predict`. A training step is: one `indexSelect` (or
 * `narrow`) per tensor for the batch, forward, loss, backward, optimizer step, and one read of the
 * loss and of each metric; no per-sample work in JS.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { tensor } from '../autograd/ops/creation.js';
import { cat } from '../autograd/ops/shape.js';
import { defaultGenerator } from '../autograd/random.js';
import type { Tensor } from '../autograd/tensor.js';
import { randomPermutation } from '../data/split.js';
import { CallbackList, History, type CallbackLike, type Logs, type TrainingParams } from './callbacks.js';
import { absorbs, computeLoss, prepareTargets, type LossInput, type LossName } from './losses.js';
import { resolveMetric, type Metric } from './metrics.js';
import { describeValue } from './names.js';
import { ProgressLogger, type OutputStream } from './progress.js';
import type { Compiled, Sequential } from './sequential.js';

/** Options of `fit` (camelCase only; a snake_case key such as `batch_size` is rejected with a hint). */
export interface FitOptions {
  /** Index of the last epoch + 1 (default 1). */
  epochs?: number;
  /** Samples per gradient step (default 32); the last batch may be smaller. */
  batchSize?: number;
  /** Fraction of the samples, taken from the end before shuffling, held out for validation (default 0). */
  validationSplit?: number;
  /** `[xVal, yVal]` to evaluate after each epoch (wins over `validationSplit`). */
  validationData?: readonly [Tensor, Tensor];
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** 0: silent; 1: progress bar on a TTY, one line per epoch otherwise (default); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Callbacks: {@link Callback} instances or plain objects with hooks. */
  callbacks?: CallbackLike[];
  /** The epoch to start from, to resume training (default 0). */
  initialEpoch?: number;
  /** Where progress is written (default `process.stdout`). */
  stream?: OutputStream;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
}

/** Options of `predict`. */
export interface PredictOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
}

const FIT_KEYS = ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'verbose', 'callbacks', 'initialEpoch', 'stream'];

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function checkKeys(op: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new ValueError(`${op}: options must be an object, got ${describeValue(options)}`);
  for (const k of Object.keys(options)) {
    if (known.includes(k)) continue;
    const hint = known.includes(camel(k)) ? ` (options are camelCase: did you mean '${camel(k)}'?)` : ` (known options: ${known.join(', ')})`;
    throw new ValueError(`${op}: unknown option '${k}'${hint}`);
  }
}

function positiveInt(op: string, name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${describeValue(v)}`);
  return v;
}

/** Everything a loop needs about the loss and metrics. */
interface Plan {
  loss: Compiled['loss'];
  lossIn: LossInput;
  metrics: Metric[];
}

function planFor(model: Sequential, compiled: Compiled): Plan {
  const out = model.outputShape!;
  const named = typeof compiled.loss === 'string' ? (compiled.loss as LossName) : null;
  const last = model.layers[model.length - 1]!;
  return {
    loss: compiled.loss,
    lossIn: named === null ? 'output' : absorbs(named, last._finalActivation()),
    metrics: compiled.metrics.map((m) => resolveMetric(m, named, out[out.length - 1] ?? 1)),
  };
}

/** x (converted to float32 when int/bool) and y (checked and shaped for the loss). */
function prepareData(op: string, model: Sequential, plan: Plan, x: unknown, y: unknown, names: [string, string] = ['x', 'y']): [Tensor, Tensor] {
  const xt = model._checkInput(op, x, names[0]);
  if (y === null || typeof y !== 'object' || !('shape' in (y as object))) throw new ValueError(`${op}: ${names[1]} must be a Tensor, got ${describeValue(y)}`);
  let yt = y as Tensor;
  if (yt.ndim < 1 || yt.shape[0] !== xt.shape[0]) {
    throw new ValueError(`${op}: ${names[0]} and ${names[1]} must have the same number of samples, got ${names[0]} of shape ${fmtShape(xt.shape)} and ${names[1]} of shape ${fmtShape(yt.shape)}`);
  }
  const xf = xt.dtype === 'int32' || xt.dtype === 'bool' ? xt.to('float32') : xt;
  if (typeof plan.loss === 'string') yt = prepareTargets(op, plan.loss as LossName, yt, model.outputShape!);
  else if (yt.dtype === 'int32' || yt.dtype === 'bool') yt = yt.to('float32');
  return [xf.detach(), yt.detach()];
}

/** The model's prediction as the loss wants it: the output, or the logits before the last softmax/sigmoid. */
function forwardFor(model: Sequential, x: Tensor, lossIn: LossInput): Tensor {
  if (lossIn === 'output') return model.call(x);
  const layers = model.layers;
  let h = x;
  for (let i = 0; i < layers.length - 1; i++) h = layers[i]!.call(h);
  return layers[layers.length - 1]!._forwardLogits(h);
}

function lossValue(op: string, plan: Plan, y: Tensor, pred: Tensor): Tensor {
  if (typeof plan.loss === 'string') return computeLoss(plan.loss as LossName, y, pred, plan.lossIn);
  const l = plan.loss(y, pred);
  if (l === null || typeof l !== 'object' || typeof (l as Tensor).mean !== 'function') throw new ValueError(`${op}: the loss function must return a Tensor, got ${describeValue(l)}`);
  return l.ndim === 0 ? l : l.mean();
}

/** Running sums of the loss and metrics over an epoch. */
class Tally {
  lossSum = 0;
  count = 0;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  constructor(readonly metrics: Metric[]) {
    this.sums = new Float64Array(metrics.length);
    this.counts = new Float64Array(metrics.length);
  }
  add(loss: number, n: number, y: Tensor, pred: Tensor, lossIn: LossInput): void {
    this.lossSum += loss * n;
    this.count += n;
    if (this.metrics.length === 0) return;
    noGrad(() => {
      const p = pred.detach();
      for (let i = 0; i < this.metrics.length; i++) {
        const [s, c] = this.metrics[i]!.score(y, p, lossIn);
        this.sums[i]! += s;
        this.counts[i]! += c;
      }
    });
  }
  logs(prefix = '', into: Logs = {}): Logs {
    into[`${prefix}loss`] = this.lossSum / this.count;
    this.metrics.forEach((m, i) => (into[`${prefix}${m.name}`] = this.sums[i]! / this.counts[i]!));
    return into;
  }
}

function withEval<T>(model: Sequential, fn: () => T): T {
  const modes = model.modules().map((m) => m.training);
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.modules().forEach((m, i) => (m.training = modes[i]!));
  }
}

function evaluateArrays(model: Sequential, plan: Plan, op: string, x: Tensor, y: Tensor, batchSize: number): Tally {
  const tally = new Tally(plan.metrics);
  const n = x.shape[0]!;
  withEval(model, () => {
    for (let start = 0; start < n; start += batchSize) {
      const len = Math.min(batchSize, n - start);
      const xb = x.narrow(0, start, len);
      const yb = y.narrow(0, start, len);
      const pred = forwardFor(model, xb, plan.lossIn);
      tally.add(lossValue(op, plan, yb, pred).item(), len, yb, pred, plan.lossIn);
    }
  });
  return tally;
}

/** Implements `Sequential.fit`. @internal */
export async function fitModel(model: Sequential, x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
  const op = 'Sequential.fit';
  checkKeys(op, options, FIT_KEYS);
  const compiled = model._requireCompiled(op);
  const epochs = positiveInt(op, 'epochs', options.epochs ?? 1);
  const batchSize = positiveInt(op, 'batchSize', options.batchSize ?? 32);
  const initialEpoch = positiveInt(op, 'initialEpoch', options.initialEpoch ?? 0, 0);
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError(`${op}: verbose must be 0, 1 or 2, got ${describeValue(verbose)}`);
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new ValueError(`${op}: validationSplit must be in [0, 1), got ${describeValue(split)}`);
  model._checkInput(op, x);
  const plan = planFor(model, compiled);
  let [xTrain, yTrain] = prepareData(op, model, plan, x, y);
  let val: [Tensor, Tensor] | null = null;
  if (options.validationData !== undefined) {
    const vd = options.validationData;
    if (!Array.isArray(vd) || vd.length !== 2) throw new ValueError(`${op}: validationData must be [xVal, yVal], got ${describeValue(vd)}`);
    val = prepareData(op, model, plan, vd[0], vd[1], ['validationData[0]', 'validationData[1]']);
  } else if (split > 0) {
    const n = xTrain.shape[0]!;
    const at = Math.floor(n * (1 - split));
    if (at === 0 || at === n) throw new ValueError(`${op}: validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
    val = [xTrain.narrow(0, at, n - at), yTrain.narrow(0, at, n - at)];
    xTrain = xTrain.narrow(0, 0, at);
    yTrain = yTrain.narrow(0, 0, at);
  }
  const n = xTrain.shape[0]!;
  if (n === 0) throw new ValueError(`${op}: x has no samples`);
  const optimizer = model._ensureOptimizer();
  const steps = Math.ceil(n / batchSize);
  const params: TrainingParams = { epochs, steps, batchSize, samples: n, verbose };
  const history = new History();
  const stream = options.stream ?? process.stdout;
  const user = options.callbacks ?? [];
  if (!Array.isArray(user)) throw new ValueError(`${op}: callbacks must be an array, got ${describeValue(user)}`);
  const all: unknown[] = [...user];
  if (verbose > 0) all.push(new ProgressLogger({ stream, verbose: verbose as 1 | 2 }));
  all.push(history);
  const cbs = new CallbackList(all, model, params);
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
      const perm = options.shuffle === false ? null : tensor(randomPermutation(n, defaultGenerator), { dtype: 'int32' });
      const tally = new Tally(plan.metrics);
      for (let step = 0; step < steps; step++) {
        const start = step * batchSize;
        const len = Math.min(batchSize, n - start);
        if (cbs.wantsBatches) {
          r = cbs.call('onBatchBegin', step, { batch: step, size: len });
          if (r) await r;
        }
        let xb: Tensor;
        let yb: Tensor;
        if (perm === null) {
          xb = xTrain.narrow(0, start, len);
          yb = yTrain.narrow(0, start, len);
        } else {
          const idx = perm.narrow(0, start, len);
          xb = xTrain.indexSelect(0, idx);
          yb = yTrain.indexSelect(0, idx);
        }
        optimizer.zeroGrad();
        const pred = forwardFor(model, xb, plan.lossIn);
        const loss = lossValue(op, plan, yb, pred);
        loss.backward();
        optimizer.step();
        tally.add(loss.item(), len, yb, pred, plan.lossIn);
        if (cbs.wantsBatches) {
          r = cbs.call('onBatchEnd', step, tally.logs('', { batch: step, size: len }));
          if (r) await r;
        }
        if (model.stopTraining) break;
      }
      const logs = tally.logs();
      if (val !== null) evaluateArrays(model, plan, op, val[0], val[1], batchSize).logs('val_', logs);
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

/** Implements `Sequential.evaluate`. @internal */
export function evaluateModel(model: Sequential, x: Tensor, y: Tensor, options: EvaluateOptions = {}): Record<string, number> {
  const op = 'Sequential.evaluate';
  checkKeys(op, options, ['batchSize']);
  const compiled = model._requireCompiled(op);
  const batchSize = positiveInt(op, 'batchSize', options.batchSize ?? 32);
  model._checkInput(op, x);
  const plan = planFor(model, compiled);
  const [xt, yt] = prepareData(op, model, plan, x, y);
  if (xt.shape[0] === 0) throw new ValueError(`${op}: x has no samples`);
  return evaluateArrays(model, plan, op, xt, yt, batchSize).logs();
}

/** Implements `Sequential.predict`. @internal */
export function predictModel(model: Sequential, x: Tensor, options: PredictOptions = {}): Tensor {
  const op = 'Sequential.predict';
  checkKeys(op, options, ['batchSize']);
  const batchSize = positiveInt(op, 'batchSize', options.batchSize ?? 32);
  let xt = model._checkInput(op, x);
  if (xt.dtype === 'int32' || xt.dtype === 'bool') xt = xt.to('float32');
  const n = xt.shape[0]!;
  if (n === 0) throw new ShapeError(`${op}: x has no samples`);
  return withEval(model, () => {
    const outs: Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) outs.push(model.call(xt.narrow(0, start, Math.min(batchSize, n - start))));
    return outs.length === 1 ? outs[0]!.contiguous() : cat(outs, 0);
  });
}
