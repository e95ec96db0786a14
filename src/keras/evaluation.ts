/**
 * `evaluate` and `predict`, and the evaluation loops `fit` runs on validation data: batches of
 * tensors or of a `data.Dataset`/`DataLoader`, in evaluation mode without gradients.
 * @module
 */
import { any, isPlainObject, num, oneOf, parseOptions, type Check } from '../autograd/args.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { cat } from '../autograd/ops/shape.js';
import { Tensor } from '../autograd/tensor.js';
import type { DataLoader } from '../data/dataloader.js';
import { isDataSource, loaderOf, readBatch, sampleWeightsOf, stepsOf } from './batches.js';
import { KERAS_KEYS, describeValue } from './names.js';
import { floatInputs, forwardFor, lossValue, planFor, prepareData, Tally, type Plan } from './plan.js';
import { formatDuration, formatLogs, type OutputStream } from './progress.js';
import type { Sequential } from './sequential.js';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Samples per batch (default 32; not with a DataLoader, which has its own). */
  batchSize?: number;
  /** 0 (default): silent; 1 or 2 (or `'auto'`, as 1): one line with the step count, time and results. */
  verbose?: 0 | 1 | 2 | 'auto';
  /** One weight per sample: the loss is Σ wᵢ·lᵢ / N as in Keras (tensor data only). */
  sampleWeight?: Tensor | readonly number[];
  /** Where the verbose line goes (default `process.stdout`). */
  stream?: OutputStream;
}

/** Options of `predict`. */
export interface PredictOptions {
  /** Samples per batch (default 32; not with a DataLoader, which has its own). */
  batchSize?: number;
  /** 0 (default): silent; 1 or 2 (or `'auto'`, as 1): one line with the step count and time. */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Where the verbose line goes (default `process.stdout`). */
  stream?: OutputStream;
}

/** Keras' verbosity: 0, 1, 2 or `'auto'` (read as 1). @internal */
export const verboseCheck: Check<0 | 1 | 2> = (op, key, v) => (v === 'auto' ? 1 : oneOf([0, 1, 2] as const)(op, key, v));

/** A stream: anything with a `write(text)` method. @internal */
export const streamCheck: Check<OutputStream> = (op, key, v) => {
  if (v === null || typeof v !== 'object' || typeof (v as { write?: unknown }).write !== 'function') {
    throw new ArgumentTypeError(
      `${op}: ${key} must be a stream with a write(text) method, such as process.stdout, got ${describeValue(v)}`,
    );
  }
  return v as OutputStream;
};

const batchSizeCheck = num({ integer: true, min: 1 });
const EVALUATE_SPEC = { batchSize: batchSizeCheck, verbose: verboseCheck, sampleWeight: any, stream: streamCheck };
const PREDICT_SPEC = { batchSize: batchSizeCheck, verbose: verboseCheck, stream: streamCheck };

/**
 * Reads the call forms `(x, y, options)` and `(dataSource, options)` (a Dataset/DataLoader holds
 * the targets, so `y` must be absent). @internal
 */
export function callForms(
  op: string,
  x: unknown,
  y: unknown,
  options: unknown,
  forms: string,
): { x: unknown; y: unknown; options: unknown; source: boolean } {
  if (!isDataSource(x)) return { x, y, options, source: false };
  if (y !== undefined && !isPlainObject(y)) {
    throw new ArgumentTypeError(
      `${op}: y must not be given with a Dataset or DataLoader (its batches are [x, y]), got ${describeValue(y)}; accepted forms: ${forms}`,
    );
  }
  if (y !== undefined && options !== undefined) throw new ArgumentTypeError(`${op}: options given twice; accepted forms: ${forms}`);
  return { x, y: undefined, options: y ?? options, source: true };
}

/** Runs `fn` in evaluation mode without gradients, restoring each module's mode after. @internal */
export function withEval<T>(model: Sequential, fn: () => T): T {
  const modes = model.modules().map((m) => m.training);
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.modules().forEach((m, i) => (m.training = modes[i]!));
  }
}

/** Mean loss and metrics over tensors `x`/`y` (weights `w`), in batches. @internal */
export function evaluateArrays(
  model: Sequential,
  plan: Plan,
  op: string,
  x: Tensor,
  y: Tensor,
  w: Tensor | null,
  batchSize: number,
): Tally {
  const tally = new Tally(plan);
  const n = x.shape[0]!;
  withEval(model, () => {
    for (let start = 0; start < n; start += batchSize) {
      const len = Math.min(batchSize, n - start);
      const yb = y.narrow(0, start, len);
      const pred = forwardFor(model, x.narrow(0, start, len), plan);
      tally.add(lossValue(op, plan, yb, pred, w === null ? null : w.narrow(0, start, len)).item(), len, yb, pred);
    }
  });
  return tally;
}

/** Mean loss and metrics over the batches of a loader. @internal */
export function evaluateLoader(model: Sequential, plan: Plan, op: string, loader: DataLoader<unknown, unknown>): Tally {
  const tally = new Tally(plan);
  withEval(model, () => {
    let i = 0;
    for (const raw of loader) {
      const b = readBatch(op, raw, i++);
      const [x, y] = prepareData(op, model, plan, b.x, b.y);
      const w = b.w === null ? null : sampleWeightsOf(op, 'the batch sample weights', b.w, x.shape[0]!);
      const pred = forwardFor(model, x, plan);
      tally.add(lossValue(op, plan, y, pred, w).item(), x.shape[0]!, y, pred);
    }
  });
  if (tally.count === 0) throw new ValueError(`${op}: the data has no samples`);
  return tally;
}

/** Builds the model from the first batch of a loader when it is not built yet. @internal */
export function buildFromLoader(op: string, model: Sequential, loader: DataLoader<unknown, unknown>): void {
  if (model.built) return;
  for (const raw of loader) {
    const first: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
    model._checkInput(op, first);
    return;
  }
  throw new ValueError(`${op}: the data has no batches`);
}

function report(stream: OutputStream, steps: number, start: number, logs: string): void {
  stream.write(`${steps}/${steps} - ${formatDuration(performance.now() - start)}${logs}\n`);
}

/** Implements `Sequential.evaluate`. @internal */
export function evaluateModel(model: Sequential, xArg: unknown, yArg: unknown, optionsArg: unknown): Record<string, number> {
  const op = 'Sequential.evaluate';
  const forms = 'evaluate(x, y, { batchSize, verbose, sampleWeight }) or evaluate(datasetOrLoader, { verbose })';
  const { x, y, options, source } = callForms(op, xArg, yArg, optionsArg, forms);
  const o = parseOptions(op, options, EVALUATE_SPEC, { ...KERAS_KEYS, forms });
  const compiled = model._requireCompiled(op);
  const start = performance.now();
  let tally: Tally;
  let steps: number;
  if (source) {
    if (o.sampleWeight !== undefined)
      throw new ValueError(`${op}: sampleWeight is not available with a Dataset or DataLoader; yield [x, y, sampleWeight] batches instead`);
    const loader = loaderOf(x as never, o.batchSize ?? 32, false);
    if (loader === x && o.batchSize !== undefined)
      throw new ValueError(`${op}: batchSize is set by the DataLoader; do not pass it to evaluate`);
    buildFromLoader(op, model, loader);
    tally = evaluateLoader(model, planFor(model, compiled), op, loader);
    steps = stepsOf(loader) ?? 0;
  } else {
    model._checkInput(op, x);
    const plan = planFor(model, compiled);
    const [xt, yt] = prepareData(op, model, plan, x, y);
    const n = xt.shape[0]!;
    if (n === 0) throw new ValueError(`${op}: x has no samples`);
    const w = o.sampleWeight === undefined ? null : sampleWeightsOf(op, 'sampleWeight', o.sampleWeight, n);
    const batchSize = o.batchSize ?? 32;
    tally = evaluateArrays(model, plan, op, xt, yt, w, batchSize);
    steps = Math.ceil(n / batchSize);
  }
  const logs = tally.logs();
  if ((o.verbose ?? 0) > 0) report(o.stream ?? process.stdout, steps, start, formatLogs(logs));
  return logs;
}

/** Implements `Sequential.predict`. @internal */
export function predictModel(model: Sequential, x: unknown, optionsArg: unknown): Tensor {
  const op = 'Sequential.predict';
  const forms = 'predict(x, { batchSize, verbose }) or predict(datasetOrLoader, { verbose })';
  const o = parseOptions(op, optionsArg, PREDICT_SPEC, { ...KERAS_KEYS, forms });
  const start = performance.now();
  const outs: Tensor[] = [];
  if (isDataSource(x)) {
    const loader = loaderOf(x, o.batchSize ?? 32, false);
    if (loader === x && o.batchSize !== undefined)
      throw new ValueError(`${op}: batchSize is set by the DataLoader; do not pass it to predict`);
    withEval(model, () => {
      let i = 0;
      for (const raw of loader) {
        const xb = raw instanceof Tensor ? raw : Array.isArray(raw) && raw[0] instanceof Tensor ? raw[0] : null;
        if (xb === null)
          throw new ArgumentTypeError(`${op}: batch ${i} of the data must be a Tensor or [x, ...] tensors, got ${describeValue(raw)}`);
        outs.push(model.call(floatInputs(model._checkInput(op, xb))));
        i++;
      }
    });
    if (outs.length === 0) throw new ShapeError(`${op}: the data has no samples`);
  } else {
    const xt = floatInputs(model._checkInput(op, x));
    const n = xt.shape[0]!;
    if (n === 0) throw new ShapeError(`${op}: x has no samples`);
    const batchSize = o.batchSize ?? 32;
    withEval(model, () => {
      for (let s = 0; s < n; s += batchSize) outs.push(model.call(xt.narrow(0, s, Math.min(batchSize, n - s))));
    });
  }
  const result = outs.length === 1 ? outs[0]!.contiguous() : noGrad(() => cat(outs, 0));
  if ((o.verbose ?? 0) > 0) report(o.stream ?? process.stdout, outs.length, start, '');
  return result;
}
