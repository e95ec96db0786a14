/**
 * `keras.losses`: loss objects with options, as in Keras (`keras.losses.SparseCategoricalCrossentropy({ fromLogits: true })`).
 * Each works with or without `new` and takes camelCase options or Keras' snake_case spellings
 * (`from_logits`, `label_smoothing`).
 * @module
 */
import { checkArity } from '../autograd/args.js';
import { LOSS_OPTIONS, makeLoss, type Loss, type LossName } from './losses.js';

export { Loss } from './losses.js';

/** Options of the cross-entropy loss objects. */
export interface CrossentropyOptions {
  /** Read the predictions as logits (no softmax/sigmoid at the end of the model); default false. */
  fromLogits?: boolean;
  /** Mix the targets with the uniform distribution (categorical) or 0.5 (binary) by this amount, in [0, 1]; default 0. */
  labelSmoothing?: number;
}

/** Options of {@link Huber}. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** A loss object factory: callable with or without `new`, like a Keras class. */
export interface LossConstructor<O> {
  /** Builds the loss object. */
  (options?: O): Loss;
  /** Builds the loss object. */
  new (options?: O): Loss;
}

function define<O>(name: LossName, className: string): LossConstructor<O> {
  const op = `keras.losses.${className}`;
  const keys = Object.keys(LOSS_OPTIONS[name]);
  const forms = keys.length === 0 ? `keras.losses.${className}()` : `keras.losses.${className}({ ${keys.join(', ')} })`;
  const make = function (options?: O): Loss {
    checkArity(op, arguments, 1, forms);
    return makeLoss(op, name, options, forms);
  };
  Object.defineProperty(make, 'name', { value: className });
  return make as unknown as LossConstructor<O>;
}

/**
 * Categorical cross-entropy against one-hot (or soft) targets; `fromLogits` reads logits.
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: keras.losses.CategoricalCrossentropy({ fromLogits: true }) });
 * ```
 */
export const CategoricalCrossentropy: LossConstructor<CrossentropyOptions> = define('categoricalCrossentropy', 'CategoricalCrossentropy');

/**
 * Cross-entropy against class indices; `fromLogits` reads logits (a linear last layer).
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy'] });
 * ```
 */
export const SparseCategoricalCrossentropy: LossConstructor<Pick<CrossentropyOptions, 'fromLogits'>> = define(
  'sparseCategoricalCrossentropy',
  'SparseCategoricalCrossentropy',
);

/**
 * Binary cross-entropy against targets in [0, 1]; `fromLogits` reads logits.
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: keras.losses.BinaryCrossentropy({ fromLogits: true }) });
 * ```
 */
export const BinaryCrossentropy: LossConstructor<CrossentropyOptions> = define('binaryCrossentropy', 'BinaryCrossentropy');

/**
 * Mean squared error (takes no options).
 * @example
 * ```ts
 * model.compile({ optimizer: 'sgd', loss: keras.losses.MeanSquaredError() });
 * ```
 */
export const MeanSquaredError: LossConstructor<Record<string, never>> = define('meanSquaredError', 'MeanSquaredError');

/**
 * Mean absolute error (takes no options).
 * @example
 * ```ts
 * model.compile({ optimizer: 'sgd', loss: keras.losses.MeanAbsoluteError() });
 * ```
 */
export const MeanAbsoluteError: LossConstructor<Record<string, never>> = define('meanAbsoluteError', 'MeanAbsoluteError');

/**
 * Huber loss with threshold `delta` (default 1).
 * @example
 * ```ts
 * model.compile({ optimizer: 'sgd', loss: keras.losses.Huber({ delta: 2 }) });
 * ```
 */
export const Huber: LossConstructor<HuberOptions> = define('huber', 'Huber');
