/**
 * The activation table: Keras activation names mapped to tensor functions.
 * @module
 */
import { checkArity } from '../autograd/args.js';
import type { Tensor } from '../autograd/tensor.js';
import { resolveName, type SnakeCase } from './names.js';

/** The activation names `Dense({ activation })` and `Activation(name)` accept (snake_case spellings too). */
export type ActivationName =
  'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'step' | 'elu' | 'gelu' | 'leakyRelu' | 'softplus' | 'silu' | 'logSoftmax';

/** An activation: a name from the table, or any function from a tensor to a tensor (not saved by `save`). */
export type ActivationSpec = ActivationName | SnakeCase<ActivationName> | 'swish' | ((x: Tensor) => Tensor);

const NAMES: readonly ActivationName[] = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'step',
  'elu',
  'gelu',
  'leakyRelu',
  'softplus',
  'silu',
  'logSoftmax',
];

const ALIASES: Record<string, ActivationName> = { swish: 'silu', identity: 'linear', none: 'linear', heaviside: 'step' };

/** Keras' default negative slope of `leakyRelu` (PyTorch's `nn.LeakyReLU` uses 0.01). */
const LEAKY_SLOPE = 0.2;

const FNS: Record<ActivationName, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu: (x) => x.relu(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  softmax: (x) => x.softmax(-1),
  logSoftmax: (x) => x.logSoftmax(-1),
  step: (x) => x.heaviside(0),
  elu: (x) => x.elu(1),
  gelu: (x) => x.gelu(),
  leakyRelu: (x) => x.leakyRelu(LEAKY_SLOPE),
  softplus: (x) => x.softplus(),
  silu: (x) => x.silu(),
};

/**
 * The canonical name of an activation (`'leaky_relu'` → `'leakyRelu'`); throws a ValueError that
 * lists the known names for an unknown one.
 * @example
 * ```ts
 * keras.activationName('leaky_relu'); // 'leakyRelu'
 * ```
 */
export function activationName(name: string): ActivationName {
  checkArity('keras.activationName', arguments, 1, 'activationName(name)');
  return resolveName('activation', name, NAMES, ALIASES);
}

/**
 * The function of an activation name (or the function itself when given one). `softmax` and
 * `logSoftmax` work along the last dim; `leakyRelu` uses Keras' slope 0.2.
 * @example
 * ```ts
 * const act = keras.getActivation('relu');
 * act(tensor([-1, 2])); // tensor([0, 2])
 * ```
 */
export function getActivation(spec: ActivationSpec): (x: Tensor) => Tensor {
  checkArity('keras.getActivation', arguments, 1, 'getActivation(nameOrFunction)');
  if (typeof spec === 'function') return spec;
  return FNS[activationName(spec)];
}
