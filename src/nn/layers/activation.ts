/**
 * Activation modules: thin Module wrappers around `nn.functional`'s activations, taking PyTorch's
 * positional arguments or an options object (the same specs as the functions).
 * @module
 */
import type { Tensor } from '../../autograd/tensor.js';
import * as F from '../functional/activation.js';
import { ACTIVATION_OPTIONS as OPTS, ACTIVATION_POSITIONAL as POS, checkHardtanhRange } from '../functional/activation.js';
import { autoSignature, parseArgs } from '../args/parse.js';
import { Module } from '../module.js';

const sig = <K extends keyof typeof OPTS>(op: string, k: K) => autoSignature(op, `new nn.${op}`, POS[k] as never, OPTS[k]);
const NO_ARGS = (op: string) => autoSignature(op, `new nn.${op}`, [], {});

/** Options of the activations PyTorch can apply in place. */
export interface InplaceOptions {
  /** Write the result into the input and return it (PyTorch's `inplace=True`; default false). */
  inplace?: boolean;
}

/**
 * `max(x, 0)`.
 * @example
 * ```ts
 * new nn.ReLU().call(tensor([-1, 2])); // tensor([0, 2])
 * new nn.ReLU(true); // in place, as PyTorch's nn.ReLU(inplace=True)
 * ```
 */
export class ReLU extends Module<[Tensor], Tensor> {
  /** Modify the input in place. */
  readonly inplace: boolean;
  /** Creates the layer: `new nn.ReLU(inplace?)` or `new nn.ReLU({ inplace })`. */
  constructor(...args: [inplace?: boolean] | [options?: InplaceOptions]) {
    super();
    this.inplace = parseArgs(sig('ReLU', 'relu'), args).inplace ?? false;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.relu(x, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=true' : '';
  }
}

/**
 * Logistic sigmoid.
 * @example
 * ```ts
 * new nn.Sigmoid().call(tensor([0])); // tensor([0.5])
 * ```
 */
export class Sigmoid extends Module<[Tensor], Tensor> {
  /** Creates the layer (no args). */
  constructor(...args: [options?: Record<string, never>]) {
    super();
    parseArgs(NO_ARGS('Sigmoid'), args);
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

/**
 * Hyperbolic tangent.
 * @example
 * ```ts
 * new nn.Tanh().call(tensor([0])); // tensor([0])
 * ```
 */
export class Tanh extends Module<[Tensor], Tensor> {
  /** Creates the layer (no args). */
  constructor(...args: [options?: Record<string, never>]) {
    super();
    parseArgs(NO_ARGS('Tanh'), args);
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
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
  /** Modify the input in place. */
  readonly inplace: boolean;
  /** Creates the layer: `new nn.LeakyReLU(negativeSlope?, inplace?)` or with options. */
  constructor(...args: [negativeSlope?: number, inplace?: boolean] | [options?: { negativeSlope?: number; inplace?: boolean }]) {
    super();
    const o = parseArgs(sig('LeakyReLU', 'leakyRelu'), args);
    this.negativeSlope = o.negativeSlope ?? 0.01;
    this.inplace = o.inplace ?? false;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope, this.inplace);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}${this.inplace ? ', inplace=true' : ''}`;
  }
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
  /** Modify the input in place. */
  readonly inplace: boolean;
  /** Creates the layer: `new nn.ELU(alpha?, inplace?)` or with options. */
  constructor(...args: [alpha?: number, inplace?: boolean] | [options?: { alpha?: number; inplace?: boolean }]) {
    super();
    const o = parseArgs(sig('ELU', 'elu'), args);
    this.alpha = o.alpha ?? 1;
    this.inplace = o.inplace ?? false;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha, this.inplace);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}${this.inplace ? ', inplace=true' : ''}`;
  }
}

/**
 * Gaussian error linear unit, exact (default) or with PyTorch's `approximate: 'tanh'` formula.
 * @example
 * ```ts
 * new nn.GELU('tanh').call(x); // same as new nn.GELU({ approximate: 'tanh' })
 * ```
 */
export class GELU extends Module<[Tensor], Tensor> {
  /** `'none'` (exact, default) or `'tanh'`. */
  readonly approximate: 'none' | 'tanh';
  /** Creates the layer: `new nn.GELU(approximate?)` or `new nn.GELU({ approximate })`. */
  constructor(...args: [approximate?: 'none' | 'tanh'] | [options?: { approximate?: 'none' | 'tanh' }]) {
    super();
    this.approximate = parseArgs(sig('GELU', 'gelu'), args).approximate ?? 'none';
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * `x · sigmoid(x)` (swish).
 * @example
 * ```ts
 * new nn.SiLU().call(x);
 * ```
 */
export class SiLU extends Module<[Tensor], Tensor> {
  /** Modify the input in place. */
  readonly inplace: boolean;
  /** Creates the layer: `new nn.SiLU(inplace?)` or `new nn.SiLU({ inplace })`. */
  constructor(...args: [inplace?: boolean] | [options?: InplaceOptions]) {
    super();
    this.inplace = parseArgs(sig('SiLU', 'silu'), args).inplace ?? false;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.silu(x, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=true' : '';
  }
}

/**
 * `log(1 + e^(beta·x)) / beta`, linear where `beta·x > threshold` (defaults 1 and 20).
 * @example
 * ```ts
 * new nn.Softplus(2).call(x); // beta 2, as new nn.Softplus({ beta: 2 })
 * ```
 */
export class Softplus extends Module<[Tensor], Tensor> {
  /** The beta of the formula. */
  readonly beta: number;
  /** Above `beta·x > threshold` the output is x. */
  readonly threshold: number;
  /** Creates the layer: `new nn.Softplus(beta?, threshold?)` or with options. */
  constructor(...args: [beta?: number, threshold?: number] | [options?: { beta?: number; threshold?: number }]) {
    super();
    const o = parseArgs(sig('Softplus', 'softplus'), args);
    this.beta = o.beta ?? 1;
    this.threshold = o.threshold ?? 20;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/**
 * Mish: `x · tanh(softplus(x))`.
 * @example
 * ```ts
 * new nn.Mish().call(x);
 * ```
 */
export class Mish extends Module<[Tensor], Tensor> {
  /** Modify the input in place. */
  readonly inplace: boolean;
  /** Creates the layer: `new nn.Mish(inplace?)` or `new nn.Mish({ inplace })`. */
  constructor(...args: [inplace?: boolean] | [options?: InplaceOptions]) {
    super();
    this.inplace = parseArgs(sig('Mish', 'mish'), args).inplace ?? false;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.mish(x, this.inplace);
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=true' : '';
  }
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
  /** Modify the input in place. */
  readonly inplace: boolean;
  /** Creates the layer: `new nn.Hardtanh(minVal?, maxVal?, inplace?)` or with options; `maxVal` must exceed `minVal`. */
  constructor(
    ...args: [minVal?: number, maxVal?: number, inplace?: boolean] | [options?: { minVal?: number; maxVal?: number; inplace?: boolean }]
  ) {
    super();
    const o = parseArgs(sig('Hardtanh', 'hardtanh'), args);
    this.minVal = o.minVal ?? -1;
    this.maxVal = o.maxVal ?? 1;
    this.inplace = o.inplace ?? false;
    checkHardtanhRange('Hardtanh', this.minVal, this.maxVal);
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.hardtanh(x, this.minVal, this.maxVal, this.inplace);
  }
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}${this.inplace ? ', inplace=true' : ''}`;
  }
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
  /** Creates the layer: `new nn.Softmax(dim?)` or `new nn.Softmax({ dim })`. */
  constructor(...args: [dim?: number] | [options?: { dim?: number }]) {
    super();
    this.dim = parseArgs(softmaxSig('Softmax'), args).dim ?? -1;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
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
  /** Creates the layer: `new nn.LogSoftmax(dim?)` or `new nn.LogSoftmax({ dim })`. */
  constructor(...args: [dim?: number] | [options?: { dim?: number }]) {
    super();
    this.dim = parseArgs(softmaxSig('LogSoftmax'), args).dim ?? -1;
  }
  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** The softmax layers take only the dim (PyTorch's layers have no dtype). */
function softmaxSig(op: string) {
  return autoSignature(op, `new nn.${op}`, ['dim'], { dim: OPTS.softmax.dim });
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
  /** Creates the layer: `new nn.Heaviside(values?)` or `new nn.Heaviside({ values })`. */
  constructor(...args: [values?: number] | [options?: { values?: number }]) {
    super();
    this.values =
      parseArgs(autoSignature('Heaviside', 'new nn.Heaviside', ['values'], { values: OPTS.step.valueAtZero }), args).values ?? 0;
  }
  /** Applies the step. */
  forward(x: Tensor): Tensor {
    return F.heaviside(x, this.values);
  }
  override extraRepr(): string {
    return `values=${this.values}`;
  }
}

/**
 * The unit step: {@link Heaviside} under the name and option of `nn.F.step` (the output at x = 0 is
 * `valueAtZero`, default 0). Zero gradient everywhere.
 * @example
 * ```ts
 * new nn.Step().call(tensor([-1, 0, 2])); // tensor([0, 0, 1])
 * ```
 */
export class Step extends Heaviside {
  /** Creates the layer: `new nn.Step(valueAtZero?)` or `new nn.Step({ valueAtZero })`. */
  constructor(...args: [valueAtZero?: number] | [options?: { valueAtZero?: number }]) {
    super(parseArgs(sig('Step', 'step'), args).valueAtZero ?? 0);
  }
  /** The output at x = 0 (Heaviside's `values`). */
  get valueAtZero(): number {
    return this.values;
  }
  /** Applies the step (errors name `step`). */
  override forward(x: Tensor): Tensor {
    return F.step(x, this.values);
  }
  override extraRepr(): string {
    return `valueAtZero=${this.values}`;
  }
}
