/**
 * `keras.optimizers`: optimizer objects as in Keras (`keras.optimizers.Adam({ learningRate: 0.01 })`),
 * for `compile({ optimizer })`. Each works with or without `new`, takes Keras' option names
 * (camelCase or snake_case: `learning_rate`, `beta_1`) or PyTorch's (`lr`, `betas`, `eps`), and is
 * built on the model's parameters by `compile` or the first `fit`.
 * @module
 */
import { checkArity } from '../autograd/args.js';
import { kerasOptimizer, type KerasOptimizer, type OptimizerName, type OptimizerOptions } from './optimizers.js';

export { KerasOptimizer } from './optimizers.js';

/** An optimizer object factory: callable with or without `new`, like a Keras class. */
export interface OptimizerConstructor {
  /** Builds the optimizer object. */
  (options?: OptimizerOptions): KerasOptimizer;
  /** Builds the optimizer object. */
  new (options?: OptimizerOptions): KerasOptimizer;
}

function define(name: OptimizerName, className: string): OptimizerConstructor {
  const op = `keras.optimizers.${className}`;
  const make = function (options?: OptimizerOptions): KerasOptimizer {
    checkArity(op, arguments, 1, `${op}({ learningRate, ... })`);
    return kerasOptimizer(op, name, options);
  };
  Object.defineProperty(make, 'name', { value: className });
  return make as unknown as OptimizerConstructor;
}

/**
 * SGD (Keras defaults: learning rate 0.01; options `learningRate`, `momentum`, `nesterov`).
 * @example
 * ```ts
 * model.compile({ optimizer: keras.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'mse' });
 * ```
 */
export const SGD: OptimizerConstructor = define('sgd', 'SGD');

/**
 * Adam (Keras defaults: learning rate 0.001, epsilon 1e-7; `weightDecay` is decoupled as in Keras).
 * @example
 * ```ts
 * model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
 * ```
 */
export const Adam: OptimizerConstructor = define('adam', 'Adam');

/**
 * AdamW (Keras defaults: learning rate 0.001, epsilon 1e-7, weight decay 0.004).
 * @example
 * ```ts
 * model.compile({ optimizer: keras.optimizers.AdamW({ weightDecay: 0.01 }), loss: 'mse' });
 * ```
 */
export const AdamW: OptimizerConstructor = define('adamw', 'AdamW');

/**
 * RMSprop (Keras defaults: learning rate 0.001, rho 0.9, epsilon 1e-7).
 * @example
 * ```ts
 * model.compile({ optimizer: keras.optimizers.RMSprop({ rho: 0.95 }), loss: 'mse' });
 * ```
 */
export const RMSprop: OptimizerConstructor = define('rmsprop', 'RMSprop');

/**
 * Adagrad (Keras defaults: learning rate 0.001, initial accumulator 0.1, epsilon 1e-7).
 * @example
 * ```ts
 * model.compile({ optimizer: keras.optimizers.Adagrad({ learningRate: 0.01 }), loss: 'mse' });
 * ```
 */
export const Adagrad: OptimizerConstructor = define('adagrad', 'Adagrad');
