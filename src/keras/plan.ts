/**
 * What one `fit`/`evaluate` call needs about the loss and metrics (the plan), and the pieces of a
 * step shared by training and evaluation: data preparation, the forward pass the loss wants, the
 * loss value, and the running tally of loss and metrics.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import type { Logs } from './callbacks.js';
import {
  Loss,
  absorbs,
  logitsKind,
  lossOnBatch,
  prepareTargets,
  reduceWeighted,
  type LossFunction,
  type LossInput,
  type LossName,
} from './losses.js';
import { resolveMetric, type Metric } from './metrics.js';
import { modelOutput, type MetricState } from './metrics-classification.js';
import { describeValue } from './names.js';
import { asTensor } from './batches.js';
import type { Compiled, Sequential } from './sequential.js';

/** Everything a loop needs about the loss and metrics. @internal */
export interface Plan {
  loss: Loss | LossFunction;
  /** The named loss, or null for a function. */
  name: LossName | null;
  /** What the loss reads: the output, or softmax/sigmoid logits. */
  lossIn: LossInput;
  /** The forward pass stops before the last layer's softmax/sigmoid (absorbed into the loss). */
  absorb: boolean;
  metrics: Metric[];
}

const warned = new WeakSet<object>();

/** The plan of a compiled model whose output shape is known. @internal */
export function planFor(model: Sequential, compiled: Compiled): Plan {
  const out = model.outputShape!;
  const last = model.layers[model.length - 1]!;
  const finalActivation = last._finalActivation();
  let name: LossName | null = null;
  let lossIn: LossInput = 'output';
  let absorb = false;
  if (compiled.loss instanceof Loss) {
    name = compiled.loss.name;
    const logits = logitsKind(compiled.loss.config);
    if (logits !== null) {
      lossIn = logits;
      if (finalActivation !== null && !warned.has(compiled)) {
        warned.add(compiled);
        process.emitWarning(
          `keras: loss ${name} has fromLogits: true, but the model ends in a ${finalActivation}, so its outputs are not logits; was this intended?`,
        );
      }
    } else {
      lossIn = absorbs(name, finalActivation);
      absorb = lossIn !== 'output';
    }
  }
  return {
    loss: compiled.loss,
    name,
    lossIn,
    absorb,
    metrics: compiled.metrics.map((m) => resolveMetric(m, name, out[out.length - 1] ?? 1)),
  };
}

/** Inputs as float32 when they are int/bool. @internal */
export function floatInputs(x: Tensor): Tensor {
  return x.dtype === 'int32' || x.dtype === 'bool' ? x.to('float32') : x;
}

/** Targets checked and shaped for the loss (class indices int32, `[N]` regression targets as `[N, 1]`). @internal */
function prepareY(op: string, model: Sequential, plan: Plan, y: Tensor): Tensor {
  if (plan.name !== null) return prepareTargets(op, plan.name, y, model.outputShape!);
  return y.dtype === 'int32' || y.dtype === 'bool' ? y.to('float32') : y;
}

/** x (converted to float32 when int/bool) and y (checked and shaped for the loss). @internal */
export function prepareData(
  op: string,
  model: Sequential,
  plan: Plan,
  x: unknown,
  y: unknown,
  names: [string, string] = ['x', 'y'],
): [Tensor, Tensor] {
  const xt = model._checkInput(op, x, names[0]);
  const yt = asTensor(op, names[1], y);
  if (yt.ndim < 1 || yt.shape[0] !== xt.shape[0]) {
    throw new ValueError(
      `${op}: ${names[0]} and ${names[1]} must have the same number of samples, got ${names[0]} of shape ${fmtShape(xt.shape)} and ${names[1]} of shape ${fmtShape(yt.shape)}`,
    );
  }
  return [floatInputs(xt).detach(), prepareY(op, model, plan, yt).detach()];
}

/** The model's prediction as the loss wants it: the output, or the logits before the last softmax/sigmoid. @internal */
export function forwardFor(model: Sequential, x: Tensor, plan: Plan): Tensor {
  if (!plan.absorb) return model.call(x);
  const layers = model.layers;
  let h = x;
  for (let i = 0; i < layers.length - 1; i++) h = layers[i]!.call(h);
  return layers[layers.length - 1]!._forwardLogits(h);
}

/** The batch loss, weighted per sample by `w` (Keras: Σ wᵢ·lᵢ / N). @internal */
export function lossValue(op: string, plan: Plan, y: Tensor, pred: Tensor, w: Tensor | null): Tensor {
  if (plan.loss instanceof Loss) return lossOnBatch(plan.loss.config, y, pred, plan.lossIn, w);
  const l = plan.loss(y, pred);
  if (l === null || typeof l !== 'object' || typeof l.mean !== 'function')
    throw new ArgumentTypeError(`${op}: the loss function must return a Tensor, got ${describeValue(l)}`);
  if (w === null) return l.ndim === 0 ? l : l.mean();
  if (l.ndim === 0 || l.shape[0] !== w.shape[0]) {
    throw new ShapeError(
      `${op}: with sampleWeight or classWeight the loss function must return one loss per sample (shape [${w.shape[0]}, ...]) so they can be weighted, got shape ${fmtShape(l.shape)}`,
    );
  }
  return reduceWeighted(l, w);
}

/** Running sums of the loss and metrics over an epoch. @internal */
export class Tally {
  lossSum = 0;
  count = 0;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** The states of the metrics accumulated as counts (precision, recall, AUC), by metric index. */
  readonly states: (MetricState | null)[];
  constructor(readonly plan: Plan) {
    this.sums = new Float64Array(plan.metrics.length);
    this.counts = new Float64Array(plan.metrics.length);
    this.states = plan.metrics.map((m) => m.state?.() ?? null);
  }
  add(loss: number, n: number, y: Tensor, pred: Tensor): void {
    this.lossSum += loss * n;
    this.count += n;
    const metrics = this.plan.metrics;
    if (metrics.length === 0) return;
    noGrad(() => {
      const p = pred.detach();
      for (let i = 0; i < metrics.length; i++) {
        const state = this.states[i];
        if (state) {
          state.add(y, modelOutput(p, this.plan.lossIn, this.plan.absorb));
          continue;
        }
        const [s, c] = metrics[i]!.score(y, p, this.plan.lossIn, this.plan.absorb);
        this.sums[i]! += s;
        this.counts[i]! += c;
      }
    });
  }
  logs(prefix = '', into: Logs = {}): Logs {
    into[`${prefix}loss`] = this.lossSum / this.count;
    this.plan.metrics.forEach((m, i) => (into[`${prefix}${m.name}`] = this.states[i]?.result() ?? this.sums[i]! / this.counts[i]!));
    return into;
  }
}
