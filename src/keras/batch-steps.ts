/**
 * `trainOnBatch` and `testOnBatch`: one optimizer step, or one evaluation, on a single batch,
 * returning the loss (and the compiled metrics) like Keras.
 * @module
 */
import { any, bool, parseOptions } from '../autograd/args.js';
import { ValueError } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import { classWeightCheck, classWeightsFor, sampleWeightsOf, type ClassWeight } from './batches.js';
import { withEval } from './evaluation.js';
import { KERAS_KEYS } from './names.js';
import { forwardFor, lossValue, planFor, prepareData, Tally } from './plan.js';
import type { Sequential } from './sequential.js';

/** Options of `trainOnBatch`. */
export interface TrainOnBatchOptions {
  /** One weight per sample (the loss is Σ wᵢ·lᵢ / N, as in `fit`). */
  sampleWeight?: Tensor | readonly number[];
  /** A weight per class, `{ 0: 1, 1: 5 }` (not with `sampleWeight`). */
  classWeight?: ClassWeight;
  /** Return `{ loss, ...metrics }` instead of a number or `[loss, ...metrics]` (default false). */
  returnDict?: boolean;
}

/** Options of `testOnBatch`. */
export interface TestOnBatchOptions {
  /** One weight per sample. */
  sampleWeight?: Tensor | readonly number[];
  /** Return `{ loss, ...metrics }` (default false). */
  returnDict?: boolean;
}

/** What `trainOnBatch`/`testOnBatch` return: the loss alone without metrics, `[loss, ...metrics]` with them, or a record with `returnDict`. */
export type BatchResult = number | number[] | Record<string, number>;

function shaped(logs: Record<string, number>, returnDict: boolean): BatchResult {
  if (returnDict) return logs;
  const values = Object.values(logs);
  return values.length === 1 ? values[0]! : values;
}

/** Implements `Sequential.trainOnBatch`. @internal */
export function trainOnBatch(model: Sequential, x: unknown, y: unknown, options: unknown): BatchResult {
  const op = 'Sequential.trainOnBatch';
  const forms = 'trainOnBatch(x, y, { sampleWeight, classWeight, returnDict })';
  const o = parseOptions(op, options, { sampleWeight: any, classWeight: classWeightCheck, returnDict: bool }, { ...KERAS_KEYS, forms });
  if (o.sampleWeight !== undefined && o.classWeight !== undefined)
    throw new ValueError(`${op}: give sampleWeight or classWeight, not both (as Keras)`);
  const compiled = model._requireCompiled(op);
  model._checkInput(op, x);
  const plan = planFor(model, compiled);
  const [xt, yt] = prepareData(op, model, plan, x, y);
  const n = xt.shape[0]!;
  if (n === 0) throw new ValueError(`${op}: x has no samples`);
  let w = o.sampleWeight === undefined ? null : sampleWeightsOf(op, 'sampleWeight', o.sampleWeight, n);
  if (o.classWeight !== undefined) {
    const out = model.outputShape!;
    w = classWeightsFor(op, o.classWeight, yt, plan.name, out[out.length - 1] ?? 1);
  }
  const optimizer = model._ensureOptimizer();
  model.train();
  optimizer.zeroGrad();
  const pred = forwardFor(model, xt, plan);
  const loss = lossValue(op, plan, yt, pred, w);
  loss.backward();
  optimizer.step();
  const tally = new Tally(plan);
  tally.add(loss.item(), n, yt, pred);
  return shaped(tally.logs(), o.returnDict ?? false);
}

/** Implements `Sequential.testOnBatch`. @internal */
export function testOnBatch(model: Sequential, x: unknown, y: unknown, options: unknown): BatchResult {
  const op = 'Sequential.testOnBatch';
  const forms = 'testOnBatch(x, y, { sampleWeight, returnDict })';
  const o = parseOptions(op, options, { sampleWeight: any, returnDict: bool }, { ...KERAS_KEYS, forms });
  const compiled = model._requireCompiled(op);
  model._checkInput(op, x);
  const plan = planFor(model, compiled);
  const [xt, yt] = prepareData(op, model, plan, x, y);
  const n = xt.shape[0]!;
  if (n === 0) throw new ValueError(`${op}: x has no samples`);
  const w = o.sampleWeight === undefined ? null : sampleWeightsOf(op, 'sampleWeight', o.sampleWeight, n);
  const tally = new Tally(plan);
  withEval(model, () => {
    const pred = forwardFor(model, xt, plan);
    tally.add(lossValue(op, plan, yt, pred, w).item(), n, yt, pred);
  });
  return shaped(tally.logs(), o.returnDict ?? false);
}
