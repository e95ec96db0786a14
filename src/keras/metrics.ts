/**
 * The metric table: `accuracy` (categorical, sparse or binary, chosen from the loss like Keras),
 * `mae`, `mse`, `precision`, `recall`, `auc`, top-k accuracies, metric objects and custom
 * functions, accumulated over an epoch (running means, or counts for precision/recall/AUC).
 * @module
 */
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import type { LossInput, LossName } from './losses.js';
import { describeValue, resolveName, type SnakeCase } from './names.js';
import { aucState, confusionState, modelOutput, topKScore, type MetricState } from './metrics-classification.js';

/** Metric names (`acc`, `mean_absolute_error`, `categorical_accuracy` ... are accepted too). */
export type MetricName =
  | 'accuracy'
  | 'categoricalAccuracy'
  | 'sparseCategoricalAccuracy'
  | 'binaryAccuracy'
  | 'mae'
  | 'mse'
  | 'precision'
  | 'recall'
  | 'auc'
  | 'topKCategoricalAccuracy'
  | 'sparseTopKCategoricalAccuracy';

/** A custom metric: `(yTrue, yPred) => scalar tensor` (a batch mean), logged under the function's name. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * A metric object with options, made by `keras.metrics.Precision({ threshold })` and the like:
 * pass it in `compile`'s `metrics`.
 */
export interface MetricObject {
  /** The key it is logged under (`precision`, `auc`, or the `name` option). */
  readonly name: string;
  /** The options it was made with. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Resolves it for a model. @internal */
  _resolve(): Metric;
}

/** A metric as `compile` takes it. */
export type MetricSpec =
  MetricName | SnakeCase<MetricName> | 'acc' | 'mean_absolute_error' | 'mean_squared_error' | 'AUC' | MetricFunction | MetricObject;

const NAMES: readonly MetricName[] = [
  'accuracy',
  'categoricalAccuracy',
  'sparseCategoricalAccuracy',
  'binaryAccuracy',
  'mae',
  'mse',
  'precision',
  'recall',
  'auc',
  'topKCategoricalAccuracy',
  'sparseTopKCategoricalAccuracy',
];
const ALIASES: Record<string, MetricName> = { acc: 'accuracy', meanAbsoluteError: 'mae', meanSquaredError: 'mse' };

/** A resolved metric: the name it is logged under and how to score one batch. @internal */
export interface Metric {
  /** Key in the logs and History (`accuracy`, `mae`, ...; `val_` is prefixed for validation). */
  readonly name: string;
  /**
   * Sum of the batch's scores and how many scores it holds (the running mean is Σsum / Σcount).
   * `from` says what `pred` holds; `absorbed` (default true) that logits came from cutting off the
   * model's final softmax/sigmoid, so the model's output is their activation (with a loss
   * `fromLogits`, the model's output is the logits themselves). Not used when `state` is given.
   */
  score(yTrue: Tensor, pred: Tensor, from: LossInput, absorbed?: boolean): [number, number];
  /** For metrics accumulated as counts (precision, recall, AUC): a fresh state, fed the model's output. */
  state?: () => MetricState;
}

const output = modelOutput;

/** A metric accumulated by a {@link MetricState} instead of a running mean. @internal */
export function stateful(name: string, make: () => MetricState): Metric {
  return { name, score: () => [0, 0], state: make };
}

/** Top-k accuracy as a running mean. @internal */
export function topK(name: string, k: number, sparse: boolean): Metric {
  return { name, score: (yTrue, pred) => topKScore(name, yTrue, pred, k, sparse) };
}

function batchCount(t: Tensor): number {
  return t.ndim === 0 ? 1 : t.numel() / t.shape[t.ndim - 1]!;
}

type AccuracyKind = 'categorical' | 'sparse' | 'binary';

function accuracy(name: string, kind: AccuracyKind): Metric {
  return {
    name,
    score(yTrue, pred, from) {
      if (kind === 'binary') {
        const threshold = from === 'sigmoidLogits' ? 0 : 0.5;
        const hits = pred.gt(threshold).eq(yTrue.gt(0.5)).float().sum().item();
        return [hits, pred.numel()];
      }
      const guess = pred.argmax(-1);
      const truth = kind === 'sparse' ? (yTrue.ndim === guess.ndim ? yTrue : yTrue.reshape(guess.shape.slice())) : yTrue.argmax(-1);
      return [guess.eq(truth).float().sum().item(), guess.numel()];
    },
  };
}

function elementwise(name: string, f: (d: Tensor) => Tensor): Metric {
  return {
    name,
    score(yTrue, pred, from, absorbed) {
      const d = output(pred, from, absorbed).sub(yTrue);
      return [f(d).sum().item(), d.numel()];
    },
  };
}

function custom(fn: MetricFunction, name: string): Metric {
  return {
    name,
    score(yTrue, pred, from, absorbed) {
      const v = fn(yTrue, output(pred, from, absorbed));
      if (v === null || typeof v !== 'object' || typeof v.item !== 'function') {
        throw new ValueError(`metric '${name}' must return a Tensor, got ${describeValue(v)}`);
      }
      const n = batchCount(pred);
      return [v.mean().item() * n, n];
    },
  };
}

/**
 * The accuracy variant Keras picks for `accuracy`: from the loss, else from the output width
 * (one unit: binary; more: categorical). @internal
 */
function accuracyKind(loss: LossName | null, outWidth: number): AccuracyKind {
  if (loss === 'sparseCategoricalCrossentropy') return 'sparse';
  if (loss === 'categoricalCrossentropy') return 'categorical';
  if (loss === 'binaryCrossentropy') return 'binary';
  return outWidth === 1 ? 'binary' : 'categorical';
}

/**
 * Resolves a metric spec for a model trained with `loss` and `outWidth` outputs. Names are logged as
 * written (`'acc'` logs `acc`, `'accuracy'` logs `accuracy`); functions under their name. @internal
 */
export function resolveMetric(spec: MetricSpec, loss: LossName | null, outWidth: number): Metric {
  if (typeof spec === 'function') return custom(spec, spec.name || 'metric');
  if (isMetricObject(spec)) return spec._resolve();
  const which = resolveName('metric', spec, NAMES, ALIASES);
  const label = spec;
  switch (which) {
    case 'accuracy':
      return accuracy(label, accuracyKind(loss, outWidth));
    case 'categoricalAccuracy':
      return accuracy(label, 'categorical');
    case 'sparseCategoricalAccuracy':
      return accuracy(label, 'sparse');
    case 'binaryAccuracy':
      return accuracy(label, 'binary');
    case 'mae':
      return elementwise(label, (d) => d.abs());
    case 'mse':
      return elementwise(label, (d) => d.mul(d));
    case 'precision':
      return stateful(label, () => confusionState(label, 'precision', { threshold: 0.5, classId: null }));
    case 'recall':
      return stateful(label, () => confusionState(label, 'recall', { threshold: 0.5, classId: null }));
    case 'auc':
      return stateful(label, () => aucState(label, 200, 'interpolation', false));
    case 'topKCategoricalAccuracy':
      return topK(label, 5, false);
    case 'sparseTopKCategoricalAccuracy':
      return topK(label, 5, true);
  }
}

/**
 * Checks metric specs at `compile` time (names known, functions allowed) and returns their canonical
 * names (`null` for functions). @internal
 */
export function checkMetrics(specs: unknown): (MetricName | null)[] {
  if (!Array.isArray(specs))
    throw new ArgumentTypeError(`Sequential.compile: metrics must be an array such as ['accuracy'], got ${describeValue(specs)}`);
  const names = specs.map((s) => (typeof s === 'function' || isMetricObject(s) ? null : resolveName('metric', s, NAMES, ALIASES)));
  const seen = new Set<string>();
  for (const s of specs as MetricSpec[]) {
    const label = typeof s === 'function' ? s.name || 'metric' : isMetricObject(s) ? s.name : s;
    if (seen.has(label))
      throw new ValueError(
        `Sequential.compile: two metrics are logged as '${label}'; give metric objects distinct names ({ name: '...' })`,
      );
    seen.add(label);
  }
  return names;
}

/** True for the objects made by `keras.metrics.*`. @internal */
function isMetricObject(v: unknown): v is MetricObject {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as Partial<MetricObject>)._resolve === 'function' &&
    typeof (v as Partial<MetricObject>).name === 'string'
  );
}
