/**
 * `keras.metrics`: metric objects with options, as in Keras (`keras.metrics.AUC({ numThresholds: 500 })`),
 * for `compile({ metrics: [...] })`. Each works with or without `new` and takes camelCase options
 * or Keras' snake_case spellings (`num_thresholds`, `class_id`).
 * @module
 */
import { bool, checkArity, num, oneOf, parseOptions, str, type Check, type OptionSpec, type Parsed } from '../autograd/args.js';
import { NotImplementedError } from '../autograd/errors.js';
import { aucState, confusionState } from './metrics-classification.js';
import { stateful, topK, type Metric, type MetricObject } from './metrics.js';
import { KERAS_KEYS } from './names.js';

export type { MetricObject } from './metrics.js';

/** Options of {@link Precision} and {@link Recall}. */
export interface PrecisionOptions {
  /** Predictions above it count as positive (default 0.5; Keras' `thresholds` with one value). */
  thresholds?: number;
  /** Score only this output column (default: every output element). */
  classId?: number;
  /** The log key (default `precision` / `recall`). */
  name?: string;
}

/** Options of {@link AUC}. */
export interface AUCOptions {
  /** Number of thresholds the curve is sampled at (default 200, as Keras). */
  numThresholds?: number;
  /** Only `'ROC'` is supported. */
  curve?: 'ROC';
  /** `'interpolation'` (trapezoids, default), `'minoring'` or `'majoring'`. */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Predictions are logits: a sigmoid is applied first (default false). */
  fromLogits?: boolean;
  /** Only false is supported (one curve over every output element). */
  multiLabel?: boolean;
  /** The log key (default `auc`). */
  name?: string;
}

/** Options of the top-k accuracies. */
export interface TopKOptions {
  /** How many of the highest scores may contain the true class (default 5). */
  k?: number;
  /** The log key (default `top_k_categorical_accuracy` / `sparse_top_k_categorical_accuracy`). */
  name?: string;
}

/** A metric object factory: callable with or without `new`, like a Keras class. */
export interface MetricConstructor<O> {
  /** Builds the metric object. */
  (options?: O): MetricObject;
  /** Builds the metric object. */
  new (options?: O): MetricObject;
}

function define<O, S extends OptionSpec = OptionSpec>(
  className: string,
  spec: S,
  build: (o: Parsed<S>, op: string) => { name: string; metric: (name: string) => Metric },
): MetricConstructor<O> {
  const op = `keras.metrics.${className}`;
  const forms = `keras.metrics.${className}({ ${Object.keys(spec).join(', ')} })`;
  const make = function (options?: unknown): MetricObject {
    checkArity(op, arguments, 1, forms);
    const o = parseOptions(op, options ?? {}, spec, { ...KERAS_KEYS, forms });
    const { name, metric } = build(o, op);
    const config: Record<string, unknown> = { ...o };
    return Object.freeze({ name, config: Object.freeze(config), _resolve: () => metric(name) });
  };
  Object.defineProperty(make, 'name', { value: className });
  return make as unknown as MetricConstructor<O>;
}

const nameCheck: Check<string> = str;
const PRECISION_SPEC = { thresholds: num({ min: 0, max: 1 }), classId: num({ integer: true, min: 0 }), name: nameCheck };
const AUC_SPEC = {
  numThresholds: num({ integer: true, min: 2 }),
  curve: oneOf(['ROC', 'PR'] as const),
  summationMethod: oneOf(['interpolation', 'minoring', 'majoring'] as const),
  fromLogits: bool,
  multiLabel: bool,
  name: nameCheck,
};
const TOPK_SPEC = { k: num({ integer: true, min: 1 }), name: nameCheck };

const confusion = (kind: 'precision' | 'recall') => (o: Parsed<typeof PRECISION_SPEC>) => ({
  name: o.name ?? kind,
  metric: (name: string) =>
    stateful(name, () => confusionState(name, kind, { threshold: o.thresholds ?? 0.5, classId: o.classId ?? null })),
});

/**
 * Precision TP / (TP + FP) over the epoch, every output element a binary prediction `> thresholds`.
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [keras.metrics.Precision({ thresholds: 0.7 })] });
 * ```
 */
export const Precision: MetricConstructor<PrecisionOptions> = define<PrecisionOptions, typeof PRECISION_SPEC>(
  'Precision',
  PRECISION_SPEC,
  confusion('precision'),
);

/**
 * Recall TP / (TP + FN) over the epoch.
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [keras.metrics.Recall()] });
 * ```
 */
export const Recall: MetricConstructor<PrecisionOptions> = define<PrecisionOptions, typeof PRECISION_SPEC>(
  'Recall',
  PRECISION_SPEC,
  confusion('recall'),
);

/**
 * ROC AUC over the epoch, from counts at `numThresholds` fixed thresholds (Keras' method).
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [keras.metrics.AUC({ numThresholds: 500 })] });
 * ```
 */
export const AUC: MetricConstructor<AUCOptions> = define<AUCOptions, typeof AUC_SPEC>('AUC', AUC_SPEC, (o, op) => {
  if (o.curve === 'PR') throw new NotImplementedError(`${op}: curve 'PR' is not supported; only 'ROC'`);
  if (o.multiLabel === true) throw new NotImplementedError(`${op}: multiLabel is not supported; the curve is over every output element`);
  return {
    name: o.name ?? 'auc',
    metric: (name) =>
      stateful(name, () => aucState(name, o.numThresholds ?? 200, o.summationMethod ?? 'interpolation', o.fromLogits ?? false)),
  };
});

/**
 * Whether the true class (one-hot targets) is among the `k` highest scores (default 5).
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [keras.metrics.TopKCategoricalAccuracy({ k: 3 })] });
 * ```
 */
export const TopKCategoricalAccuracy: MetricConstructor<TopKOptions> = define<TopKOptions, typeof TOPK_SPEC>(
  'TopKCategoricalAccuracy',
  TOPK_SPEC,
  (o) => ({
    name: o.name ?? 'top_k_categorical_accuracy',
    metric: (name) => topK(name, o.k ?? 5, false),
  }),
);

/**
 * Whether the true class (class-index targets) is among the `k` highest scores (default 5).
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: [keras.metrics.SparseTopKCategoricalAccuracy({ k: 3 })] });
 * ```
 */
export const SparseTopKCategoricalAccuracy: MetricConstructor<TopKOptions> = define<TopKOptions, typeof TOPK_SPEC>(
  'SparseTopKCategoricalAccuracy',
  TOPK_SPEC,
  (o) => ({
    name: o.name ?? 'sparse_top_k_categorical_accuracy',
    metric: (name) => topK(name, o.k ?? 5, true),
  }),
);
