/**
 * Activation modules: thin Module wrappers around `nn.functional`'s activations.
 * @module
 */
import { ValueError } from '../../autograd/errors.js';
import type { Tensor } from '../../autograd/tensor.js';
import * as F from '../functional/activation.js';
import { Module } from '../module.js';

/**
 * `max(x, 0)`.
 * @example
 * ```ts
 * new nn.ReLU().call(tensor([-1, 2])); // tensor([0, 2])
 * ```
 */
export class ReLU extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.relu(x); }
}

/**
 * Logistic sigmoid.
 * @example
 * ```ts
 * new nn.Sigmoid().call(tensor([0])); // tensor([0.5])
 * ```
 */
export class Sigmoid extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.sigmoid(x); }
}

/**
 * Hyperbolic tangent.
 * @example
 * ```ts
 * new nn.Tanh().call(tensor([0])); // tensor([0])
 * ```
 */
export class Tanh extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.tanh(x); }
}

/**
 * `x` for x > 0, `negativeSlope · x` otherwise (default 0.01).
 * @example
 * ```ts
 * new nn.LeakyReLU(0.2).call(tensor([-1, 2])); // tensor([-0.2, 2])
 * ```
 */
export class LeakyReLU extends Module<[Tensor], Tensor> {
  /** The slope for negative inputs. */
  readonly negativeSlope: number;
  /** Creates the layer. */
  constructor(negativeSlope = 0.01) { super(); this.negativeSlope = negativeSlope; checkFinite('LeakyReLU', 'negativeSlope', negativeSlope); }
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
  override extraRepr(): string { return `negativeSlope=${this.negativeSlope}`; }
}

/**
 * `x` for x > 0, `alpha · (e^x − 1)` otherwise (default alpha 1).
 * @example
 * ```ts
 * new nn.ELU().call(tensor([-1, 2])); // tensor([-0.6321, 2])
 * ```
 */
export class ELU extends Module<[Tensor], Tensor> {
  /** The scale of the negative branch. */
  readonly alpha: number;
  /** Creates the layer. */
  constructor(alpha = 1) { super(); this.alpha = alpha; checkFinite('ELU', 'alpha', alpha); }
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.elu(x, this.alpha); }
  override extraRepr(): string { return `alpha=${this.alpha}`; }
}

/**
 * Gaussian error linear unit, exact (default) or with `approximate: 'tanh'`.
 * @example
 * ```ts
 * new nn.GELU({ approximate: 'tanh' }).call(x);
 * ```
 */
export class GELU extends Module<[Tensor], Tensor> {
  /** `'none'` (exact, default) or `'tanh'`. */
  readonly approximate: 'none' | 'tanh';
  /** Creates the layer. */
  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    this.approximate = options.approximate ?? 'none';
    if (this.approximate !== 'none' && this.approximate !== 'tanh') throw new ValueError(`GELU: approximate must be 'none' or 'tanh', got '${String(this.approximate)}'`);
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.gelu(x, { approximate: this.approximate }); }
  override extraRepr(): string { return `approximate='${this.approximate}'`; }
}

/**
 * `x · sigmoid(x)` (swish).
 * @example
 * ```ts
 * new nn.SiLU().call(x);
 * ```
 */
export class SiLU extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.silu(x); }
}

/**
 * `log(1 + e^(beta·x)) / beta`, linear where `beta·x > threshold` (defaults 1 and 20).
 * @example
 * ```ts
 * new nn.Softplus({ beta: 2 }).call(x);
 * ```
 */
export class Softplus extends Module<[Tensor], Tensor> {
  /** The beta of the formula. */
  readonly beta: number;
  /** Above `beta·x > threshold` the output is x. */
  readonly threshold: number;
  /** Creates the layer. */
  constructor(options: { beta?: number; threshold?: number } = {}) {
    super();
    this.beta = checkFinite('Softplus', 'beta', options.beta ?? 1);
    if (this.beta === 0) throw new ValueError('Softplus: beta must be nonzero');
    this.threshold = checkFinite('Softplus', 'threshold', options.threshold ?? 20);
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.softplus(x, { beta: this.beta, threshold: this.threshold }); }
  override extraRepr(): string { return `beta=${this.beta}, threshold=${this.threshold}`; }
}

/**
 * Mish: `x · tanh(softplus(x))`.
 * @example
 * ```ts
 * new nn.Mish().call(x);
 * ```
 */
export class Mish extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.mish(x); }
}

/**
 * Clamps into [minVal, maxVal] (defaults −1 and 1).
 * @example
 * ```ts
 * new nn.Hardtanh(-2, 2).call(x);
 * ```
 */
export class Hardtanh extends Module<[Tensor], Tensor> {
  /** The lower bound. */
  readonly minVal: number;
  /** The upper bound. */
  readonly maxVal: number;
  /** Creates the layer; `maxVal` must exceed `minVal`. */
  constructor(minVal = -1, maxVal = 1) {
    super();
    this.minVal = minVal;
    this.maxVal = maxVal;
    checkFinite('Hardtanh', 'minVal', minVal);
    checkFinite('Hardtanh', 'maxVal', maxVal);
    if (!(maxVal > minVal)) throw new ValueError(`Hardtanh: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.hardtanh(x, this.minVal, this.maxVal); }
  override extraRepr(): string { return `minVal=${this.minVal}, maxVal=${this.maxVal}`; }
}

/**
 * Softmax along `dim` (default −1).
 * @example
 * ```ts
 * new nn.Softmax(1).call(logits); // rows sum to 1
 * ```
 */
export class Softmax extends Module<[Tensor], Tensor> {
  /** The dim the softmax runs along. */
  readonly dim: number;
  /** Creates the layer. */
  constructor(dim = -1) { super(); this.dim = dim; checkDim('Softmax', dim); }
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.softmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/**
 * Log-softmax along `dim` (default −1).
 * @example
 * ```ts
 * new nn.LogSoftmax(1).call(logits);
 * ```
 */
export class LogSoftmax extends Module<[Tensor], Tensor> {
  /** The dim the softmax runs along. */
  readonly dim: number;
  /** Creates the layer. */
  constructor(dim = -1) { super(); this.dim = dim; checkDim('LogSoftmax', dim); }
  /** Applies the activation. */
  forward(x: Tensor): Tensor { return F.logSoftmax(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/**
 * The Heaviside step: 0 for x < 0, `values` at 0 (default 0), 1 for x > 0. Its gradient is zero
 * everywhere, so layers before it do not learn by gradient descent (perceptrons, thresholds).
 * @example
 * ```ts
 * new nn.Heaviside(0.5).call(tensor([-1, 0, 2])); // tensor([0, 0.5, 1])
 * ```
 */
export class Heaviside extends Module<[Tensor], Tensor> {
  /** The output at x = 0. */
  readonly values: number;
  /** Creates the layer. */
  constructor(values = 0) { super(); this.values = values; checkFinite('Heaviside', 'values', values); }
  /** Applies the step. */
  forward(x: Tensor): Tensor { return F.heaviside(x, this.values); }
  override extraRepr(): string { return `values=${this.values}`; }
}

/**
 * The unit step: 1 where x > 0, `valueAtZero` (default 0) at 0, 0 where x < 0. Zero gradient
 * everywhere (see {@link Heaviside}).
 * @example
 * ```ts
 * new nn.Step().call(tensor([-1, 0, 2])); // tensor([0, 0, 1])
 * ```
 */
export class Step extends Module<[Tensor], Tensor> {
  /** The output at x = 0. */
  readonly valueAtZero: number;
  /** Creates the layer. */
  constructor(valueAtZero = 0) { super(); this.valueAtZero = valueAtZero; checkFinite('Step', 'valueAtZero', valueAtZero); }
  /** Applies the step. */
  forward(x: Tensor): Tensor { return F.step(x, this.valueAtZero); }
  override extraRepr(): string { return `valueAtZero=${this.valueAtZero}`; }
}

function checkFinite(op: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

function checkDim(op: string, dim: number): void {
  if (!Number.isInteger(dim)) throw new ValueError(`${op}: dim must be an integer, got ${String(dim)}`);
}
