/**
 * The optimizer table: Keras optimizer names mapped to `optim` classes with Keras' default
 * learning rates.
 * @module
 */
import { ValueError } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import { Adagrad, Adam, AdamW, Optimizer, RMSprop, SGD } from '../optim/index.js';
import { describeValue, resolveName } from './names.js';

/** Optimizer names. */
export type OptimizerName = 'sgd' | 'momentum' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw';

/** An optimizer name as Keras spells it too (names are case-insensitive: `Adam`, `SGD`, `RMSprop`). */
export type OptimizerIdentifier = OptimizerName | 'SGD' | 'Adagrad' | 'RMSprop' | 'Adam' | 'AdamW';

/** A named optimizer with options that override Keras' defaults: `{ name: 'sgd', lr: 0.1, momentum: 0.9 }`. */
export interface OptimizerConfig {
  /** The optimizer's name. */
  name: OptimizerIdentifier;
  /** Learning rate (default: Keras' for that optimizer). */
  lr?: number;
  /** Any other option of the optim class (`momentum`, `betas`, `weightDecay`, ...). */
  [option: string]: unknown;
}

/** An optimizer as `compile` takes it: a name, a name with options, or an `optim.Optimizer` built on the model's parameters. */
export type OptimizerSpec = OptimizerIdentifier | OptimizerConfig | Optimizer;

const NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam', 'adamw'];

/**
 * Keras' default learning rates (and momentum for `momentum`). Keras' RMSprop uses ρ = 0.9 (PyTorch's
 * α = 0.99) and its optimizers an epsilon of 1e-7; both are set here so the numbers match Keras.
 */
const DEFAULTS: Record<OptimizerName, Record<string, unknown>> = {
  sgd: { lr: 0.01 },
  momentum: { lr: 0.01, momentum: 0.9 },
  adagrad: { lr: 0.001, eps: 1e-7, initialAccumulatorValue: 0.1 },
  rmsprop: { lr: 0.001, alpha: 0.9, eps: 1e-7 },
  adam: { lr: 0.001, eps: 1e-7 },
  adamw: { lr: 0.001, eps: 1e-7, weightDecay: 0.004 },
};

/**
 * The canonical name of an optimizer (case-insensitive: `'Adam'` → `'adam'`).
 * @example
 * ```ts
 * keras.optimizerName('RMSprop'); // 'rmsprop'
 * ```
 */
export function optimizerName(name: string): OptimizerName {
  return resolveName('optimizer', name, NAMES, { nesterov: 'momentum' });
}

/** Keras' default options of a named optimizer (a copy). @internal */
export function optimizerDefaults(name: OptimizerName): Record<string, unknown> {
  return { ...DEFAULTS[name] };
}

/**
 * Builds the optimizer `spec` names for `params`, with Keras' defaults (adam 0.001, sgd 0.01,
 * rmsprop 0.001, adagrad 0.001, momentum 0.9 for `momentum`) overridden by the given options.
 * @example
 * ```ts
 * const opt = keras.makeOptimizer({ name: 'sgd', lr: 0.1 }, model.parameters());
 * ```
 */
export function makeOptimizer(spec: Exclude<OptimizerSpec, Optimizer>, params: Iterable<Tensor>): Optimizer {
  const isObj = typeof spec === 'object' && spec !== null;
  const name = optimizerName(isObj ? (spec as { name: string }).name : (spec as string));
  const options: Record<string, unknown> = { ...DEFAULTS[name] };
  if (isObj) for (const [k, v] of Object.entries(spec)) if (k !== 'name') options[k] = v;
  if (name === 'sgd' && options['nesterov'] === true && options['momentum'] === undefined) options['momentum'] = 0.9;
  const list = [...params];
  switch (name) {
    case 'sgd':
    case 'momentum': return new SGD(list, options);
    case 'adagrad': return new Adagrad(list, options);
    case 'rmsprop': return new RMSprop(list, options);
    case 'adam': return new Adam(list, options);
    case 'adamw': return new AdamW(list, options);
  }
}

/** Checks an optimizer spec at `compile` time. @internal */
export function checkOptimizerSpec(spec: unknown): OptimizerSpec {
  if (spec instanceof Optimizer) return spec;
  if (typeof spec === 'string') return optimizerName(spec);
  if (typeof spec === 'object' && spec !== null && typeof (spec as { name?: unknown }).name === 'string') {
    optimizerName((spec as { name: string }).name);
    return spec as OptimizerSpec;
  }
  throw new ValueError(`compile: optimizer must be a name (${NAMES.join(', ')}), { name, lr, ... } or an optim.Optimizer, got ${describeValue(spec)}`);
}

/** The learning rate of the first parameter group. @internal */
export function getLearningRate(opt: Optimizer): number {
  return (opt.paramGroups[0] as { lr: number } | undefined)?.lr ?? NaN;
}

/** Sets the learning rate of every parameter group. @internal */
export function setLearningRate(opt: Optimizer, lr: number): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new ValueError(`keras: the learning rate must be a finite number >= 0, got ${describeValue(lr)}`);
  for (const g of opt.paramGroups) (g as { lr: number }).lr = lr;
}
