/**
 * The optimizer table: Keras optimizer names mapped to `optim` classes with Keras' default
 * learning rates.
 * @module
 */
import { arrayOf, bool, checkArity, describe, isPlainObject, num, parseOptions, type OptionSpec } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import { Adagrad, Adam, AdamW, Optimizer, RMSprop, SGD } from '../optim/index.js';
import { KERAS_KEYS, describeValue, resolveName } from './names.js';

/** Optimizer names. */
export type OptimizerName = 'sgd' | 'momentum' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw';

/** An optimizer name as Keras spells it too (names are case-insensitive: `Adam`, `SGD`, `RMSprop`). */
export type OptimizerIdentifier = OptimizerName | 'SGD' | 'Adagrad' | 'RMSprop' | 'Adam' | 'AdamW';

/** Options of a named optimizer, in Keras' names (`learningRate`, `beta1`, `epsilon`, `rho`) or PyTorch's (`lr`, `betas`, `eps`, `alpha`). */
export interface OptimizerOptions {
  /** Learning rate (default: Keras' for that optimizer); `lr` is the same option. */
  learningRate?: number;
  /** Learning rate, PyTorch's name of `learningRate`. */
  lr?: number;
  /** Momentum (sgd, rmsprop). */
  momentum?: number;
  /** Nesterov momentum (sgd). */
  nesterov?: boolean;
  /** β1 of Adam/AdamW (default 0.9). */
  beta1?: number;
  /** β2 of Adam/AdamW (default 0.999). */
  beta2?: number;
  /** `[β1, β2]`, PyTorch's form. */
  betas?: [number, number];
  /** The stability term (default 1e-7, Keras'); `eps` is the same option. */
  epsilon?: number;
  /** The stability term, PyTorch's name of `epsilon`. */
  eps?: number;
  /** AMSGrad variant (Adam/AdamW). */
  amsgrad?: boolean;
  /** Decoupled weight decay `θ ← θ(1 − lr·λ)` as Keras (Adam/AdamW only; AdamW default 0.004). */
  weightDecay?: number;
  /** RMSprop's decay ρ of the squared-gradient average (default 0.9); `alpha` is PyTorch's name. */
  rho?: number;
  /** PyTorch's name of `rho`. */
  alpha?: number;
  /** Centered RMSprop. */
  centered?: boolean;
  /** Adagrad's starting accumulator (default 0.1). */
  initialAccumulatorValue?: number;
}

/** A named optimizer with options that override Keras' defaults: `{ name: 'adam', learningRate: 0.01 }`. */
export interface OptimizerConfig extends OptimizerOptions {
  /** The optimizer's name. */
  name: OptimizerIdentifier;
}

/**
 * An optimizer as `compile` takes it: a name, `{ name, ...options }`, a `keras.optimizers.*` object,
 * or an `optim.Optimizer` built on the model's parameters.
 */
export type OptimizerSpec = OptimizerIdentifier | OptimizerConfig | KerasOptimizer | Optimizer;

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

const rate = num({ min: 0 });
const unit = num({ min: 0, max: 1, maxExclusive: true });
const LR = { learningRate: rate, lr: rate };
const EPSILON = { epsilon: rate, eps: rate };
const SPECS: Record<OptimizerName, OptionSpec> = {
  sgd: { ...LR, momentum: rate, nesterov: bool },
  momentum: { ...LR, momentum: rate, nesterov: bool },
  adagrad: { ...LR, ...EPSILON, initialAccumulatorValue: rate },
  rmsprop: { ...LR, ...EPSILON, rho: unit, alpha: unit, momentum: rate, centered: bool },
  adam: { ...LR, ...EPSILON, beta1: unit, beta2: unit, betas: arrayOf(unit, 2), amsgrad: bool, weightDecay: rate },
  adamw: { ...LR, ...EPSILON, beta1: unit, beta2: unit, betas: arrayOf(unit, 2), amsgrad: bool, weightDecay: rate },
};

/** Pairs of names for one option: giving both is an error. */
const SYNONYMS: readonly [string, string][] = [
  ['learningRate', 'lr'],
  ['epsilon', 'eps'],
  ['rho', 'alpha'],
];

/**
 * The canonical name of an optimizer (case-insensitive: `'Adam'` → `'adam'`).
 * @example
 * ```ts
 * keras.optimizerName('RMSprop'); // 'rmsprop'
 * ```
 */
export function optimizerName(name: string): OptimizerName {
  checkArity('keras.optimizerName', arguments, 1, 'optimizerName(name)');
  return resolveName('optimizer', name, NAMES, { nesterov: 'momentum' });
}

/**
 * The options of optimizer `name` read in Keras' or PyTorch's names and returned in the optim
 * class's (`lr`, `eps`, `betas`, `alpha`), on top of Keras' defaults. @internal
 */
function optimizerOptions(op: string, name: OptimizerName, options: unknown): Record<string, unknown> {
  const forms = `{ name: '${name}', ${Object.keys(SPECS[name]).join(', ')} }`;
  if (
    isPlainObject(options) &&
    (Object.hasOwn(options, 'weightDecay') || Object.hasOwn(options, 'weight_decay')) &&
    SPECS[name]['weightDecay'] === undefined
  ) {
    throw new ValueError(
      `${op}: weightDecay of '${name}' is not available by name: Keras decays weights decoupled from the gradient, which tapegrad's ${name} does not do; ` +
        `use 'adamw' (or 'adam' with weightDecay), or pass an optim instance with PyTorch's L2 weight decay`,
    );
  }
  const o = parseOptions(op, options, SPECS[name], { ...KERAS_KEYS, forms }) as Record<string, unknown>;
  for (const [a, b] of SYNONYMS)
    if (o[a] !== undefined && o[b] !== undefined) throw new ValueError(`${op}: give ${a} or ${b}, not both (they are the same option)`);
  if (o['betas'] !== undefined && (o['beta1'] !== undefined || o['beta2'] !== undefined))
    throw new ValueError(`${op}: give betas or beta1/beta2, not both`);
  const out: Record<string, unknown> = { ...DEFAULTS[name] };
  for (const [k, v] of Object.entries(o)) {
    const key = k === 'learningRate' ? 'lr' : k === 'epsilon' ? 'eps' : k === 'rho' ? 'alpha' : k;
    if (key !== 'beta1' && key !== 'beta2') out[key] = v;
  }
  if (o['beta1'] !== undefined || o['beta2'] !== undefined) out['betas'] = [o['beta1'] ?? 0.9, o['beta2'] ?? 0.999];
  if (name === 'adam' && o['weightDecay'] !== undefined) out['decoupledWeightDecay'] = true;
  if (name === 'sgd' && out['nesterov'] === true && o['momentum'] === undefined) out['momentum'] = 0.9;
  return out;
}

/**
 * A Keras-style optimizer object, `keras.optimizers.Adam({ learningRate: 0.01 })`: the name and
 * options; `compile` builds the `optim` optimizer on the model's parameters from it.
 * @example
 * ```ts
 * model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.01 }), loss: 'mse' });
 * ```
 */
export class KerasOptimizer {
  /** The optimizer's canonical name. */
  readonly name: OptimizerName;
  /** The options as given (Keras' or PyTorch's names). */
  readonly options: Readonly<Record<string, unknown>>;

  /** @internal */
  constructor(name: OptimizerName, options: Record<string, unknown>) {
    this.name = name;
    this.options = Object.freeze({ ...options });
  }

  /** `{ name, ...options }`, as saved with the model. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.options };
  }
}

/** Builds a {@link KerasOptimizer}, checking its options now. @internal */
export function kerasOptimizer(op: string, name: OptimizerName, options: unknown): KerasOptimizer {
  optimizerOptions(op, name, options);
  return new KerasOptimizer(name, { ...(options as Record<string, unknown> | undefined) });
}

/**
 * Builds the optimizer `spec` names for `params`, with Keras' defaults (adam 0.001, sgd 0.01,
 * rmsprop 0.001, adagrad 0.001, momentum 0.9 for `momentum`) overridden by the given options.
 * @example
 * ```ts
 * const opt = keras.makeOptimizer({ name: 'sgd', learningRate: 0.1 }, model.parameters());
 * ```
 */
export function makeOptimizer(spec: Exclude<OptimizerSpec, Optimizer>, params: Iterable<Tensor>): Optimizer {
  const op = 'keras.makeOptimizer';
  checkArity(op, arguments, 2, 'makeOptimizer(nameOrConfig, params)');
  const { name, options } = readOptimizerSpec(op, spec);
  const resolved = optimizerOptions(op, name, options);
  const list = [...params];
  switch (name) {
    case 'sgd':
    case 'momentum':
      return new SGD(list, resolved);
    case 'adagrad':
      return new Adagrad(list, resolved);
    case 'rmsprop':
      return new RMSprop(list, resolved);
    case 'adam':
      return new Adam(list, resolved);
    case 'adamw':
      return new AdamW(list, resolved);
  }
}

function readOptimizerSpec(op: string, spec: unknown): { name: OptimizerName; options: Record<string, unknown> } {
  if (spec instanceof KerasOptimizer) return { name: spec.name, options: { ...spec.options } };
  if (typeof spec === 'string') return { name: optimizerName(spec), options: {} };
  if (isPlainObject(spec) && typeof spec['name'] === 'string') {
    const { name, ...options } = spec;
    return { name: optimizerName(name), options };
  }
  throw new ArgumentTypeError(
    `${op}: optimizer must be a name (${NAMES.join(', ')}), { name, learningRate, ... }, a keras.optimizers object or an optim.Optimizer, got ${describe(spec)}`,
  );
}

/** Checks an optimizer spec at `compile` time (names and options). @internal */
export function checkOptimizerSpec(op: string, spec: unknown): OptimizerSpec {
  if (spec instanceof Optimizer) return spec;
  const { name, options } = readOptimizerSpec(op, spec);
  optimizerOptions(`${op}: optimizer '${name}'`, name, options);
  return spec as OptimizerSpec;
}

/** The learning rate of the first parameter group. @internal */
export function getLearningRate(opt: Optimizer): number {
  return (opt.paramGroups[0] as { lr: number } | undefined)?.lr ?? NaN;
}

/** Sets the learning rate of every parameter group. @internal */
export function setLearningRate(opt: Optimizer, lr: number): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0)
    throw new ValueError(`keras: the learning rate must be a finite number >= 0, got ${describeValue(lr)}`);
  for (const g of opt.paramGroups) (g as { lr: number }).lr = lr;
}
