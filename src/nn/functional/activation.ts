/**
 * Activation functions of `nn.functional`, with PyTorch's defaults. Each validates its input and
 * options, then composes core ops (so gradients, including higher-order ones, come from the tape).
 * @module
 */
import { bool, describe, either, oneOf, type Check, type Parsed } from '../../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../../autograd/errors.js';
import { Tensor } from '../../autograd/tensor.js';
import * as A from '../../autograd/ops/activation.js';
import { autoSignature, parseArgs, type Signature } from '../args/parse.js';
import { finite, integer, tensor } from '../args/checks.js';
import { floatInput } from './checks.js';

const floatDType = oneOf(['float32', 'float64'] as const);

const nonzero: Check<number> = (op, key, v) => {
  const n = finite(op, key, v);
  if (n === 0) throw new ValueError(`${op}: ${key} must be nonzero`);
  return n;
};

/** The options of each activation, shared by the layer and the function. @internal */
export const ACTIVATION_OPTIONS = {
  relu: { inplace: bool },
  leakyRelu: { negativeSlope: finite, inplace: bool },
  elu: { alpha: finite, inplace: bool },
  gelu: { approximate: oneOf(['none', 'tanh'] as const) },
  silu: { inplace: bool },
  softplus: { beta: nonzero, threshold: finite },
  mish: { inplace: bool },
  hardtanh: { minVal: finite, maxVal: finite, inplace: bool },
  softmax: { dim: integer, dtype: floatDType },
  heaviside: { values: either(finite, tensor, 'a number or a Tensor') },
  step: { valueAtZero: finite },
} as const;

/** PyTorch's positional order of each activation's arguments after the input. @internal */
export const ACTIVATION_POSITIONAL = {
  relu: ['inplace'],
  leakyRelu: ['negativeSlope', 'inplace'],
  elu: ['alpha', 'inplace'],
  gelu: ['approximate'],
  silu: ['inplace'],
  softplus: ['beta', 'threshold'],
  mish: ['inplace'],
  hardtanh: ['minVal', 'maxVal', 'inplace'],
  softmax: ['dim'],
  heaviside: ['values'],
  step: ['valueAtZero'],
} as const;

type Act = keyof typeof ACTIVATION_OPTIONS;

const NO_OPTIONS = (name: string) => autoSignature(`nn.F.${name}`, `nn.F.${name}`, [], {}, 0, ['input']);

const SIGS = Object.fromEntries(
  (Object.keys(ACTIVATION_OPTIONS) as Act[]).map((k) => [
    k,
    autoSignature(`nn.F.${k}`, `nn.F.${k}`, ACTIVATION_POSITIONAL[k] as never, ACTIVATION_OPTIONS[k], 0, ['input']),
  ]),
) as { [K in Act]: Signature<(typeof ACTIVATION_OPTIONS)[K]> };

function parse<K extends Act>(name: K, args: readonly unknown[], as?: string): Parsed<(typeof ACTIVATION_OPTIONS)[K]> {
  const sig = SIGS[name];
  return parseArgs(as ? { ...sig, op: `nn.F.${as}`, forms: sig.forms.replaceAll(`nn.F.${name}`, `nn.F.${as}`) } : sig, args);
}

/** Writes `y` into `x` when `inplace` (PyTorch's `inplace=True`: the input is modified and returned). @internal */
export function maybeInplace(x: Tensor, y: Tensor, inplace: boolean | undefined): Tensor {
  return inplace ? x.copy_(y) : y;
}

/** A Tensor of any dtype (the activations PyTorch also runs on integers). */
function anyTensor(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentTypeError(`${op}: input must be a Tensor, got ${describe(x)}`);
  return x;
}

/**
 * `max(x, 0)`; integer tensors stay integer (as PyTorch). `inplace` writes into `x`.
 * @example
 * ```ts
 * nn.F.relu(tensor([-1, 2])); // tensor([0, 2])
 * ```
 */
export function relu(x: Tensor, inplace?: boolean): Tensor;
/** With options: `nn.F.relu(x, { inplace: true })`. */
export function relu(x: Tensor, options?: { inplace?: boolean }): Tensor;
export function relu(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('relu', args);
  return maybeInplace(x, anyTensor('relu', x).relu(), o.inplace);
}

/**
 * Logistic sigmoid `1 / (1 + e^-x)`; integer tensors give float32 (as PyTorch).
 * @example
 * ```ts
 * nn.F.sigmoid(tensor([0])); // tensor([0.5])
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  parseArgs(NO_OPTIONS('sigmoid'), Array.prototype.slice.call(arguments, 1));
  return anyTensor('sigmoid', x).sigmoid();
}

/**
 * Hyperbolic tangent; integer tensors give float32 (as PyTorch).
 * @example
 * ```ts
 * nn.F.tanh(tensor([0])); // tensor([0])
 * ```
 */
export function tanh(x: Tensor): Tensor {
  parseArgs(NO_OPTIONS('tanh'), Array.prototype.slice.call(arguments, 1));
  return anyTensor('tanh', x).tanh();
}

/**
 * `x` for x > 0, `negativeSlope · x` otherwise (default slope 0.01).
 * @example
 * ```ts
 * nn.F.leakyRelu(tensor([-1, 2]), 0.1); // tensor([-0.1, 2])
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope?: number, inplace?: boolean): Tensor;
/** With options: `nn.F.leakyRelu(x, { negativeSlope: 0.2 })`. */
export function leakyRelu(x: Tensor, options?: { negativeSlope?: number; inplace?: boolean }): Tensor;
export function leakyRelu(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('leakyRelu', args);
  return maybeInplace(x, floatInput('leakyRelu', x).leakyRelu(o.negativeSlope ?? 0.01), o.inplace);
}

/**
 * `x` for x > 0, `alpha · (e^x − 1)` otherwise (default alpha 1).
 * @example
 * ```ts
 * nn.F.elu(tensor([-1, 2])); // tensor([-0.6321, 2])
 * ```
 */
export function elu(x: Tensor, alpha?: number, inplace?: boolean): Tensor;
/** With options: `nn.F.elu(x, { alpha: 0.5 })`. */
export function elu(x: Tensor, options?: { alpha?: number; inplace?: boolean }): Tensor;
export function elu(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('elu', args);
  return maybeInplace(x, floatInput('elu', x).elu(o.alpha ?? 1), o.inplace);
}

/**
 * Gaussian error linear unit `x · Φ(x)`, exact (default) or PyTorch's `approximate: 'tanh'`
 * formula `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 * @example
 * ```ts
 * nn.F.gelu(tensor([1]), 'tanh'); // tensor([0.8412])
 * ```
 */
export function gelu(x: Tensor, approximate?: 'none' | 'tanh'): Tensor;
/** With options: `nn.F.gelu(x, { approximate: 'tanh' })`. */
export function gelu(x: Tensor, options?: { approximate?: 'none' | 'tanh' }): Tensor;
export function gelu(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('gelu', args);
  return floatInput('gelu', x).gelu({ approximate: o.approximate ?? 'none' });
}

/**
 * `x · sigmoid(x)` (swish).
 * @example
 * ```ts
 * nn.F.silu(tensor([1])); // tensor([0.7311])
 * ```
 */
export function silu(x: Tensor, inplace?: boolean): Tensor;
/** With options: `nn.F.silu(x, { inplace: true })`. */
export function silu(x: Tensor, options?: { inplace?: boolean }): Tensor;
export function silu(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('silu', args);
  return maybeInplace(x, floatInput('silu', x).silu(), o.inplace);
}

/**
 * `log(1 + e^(beta·x)) / beta`, and `x` where `beta·x > threshold` (defaults 1 and 20, as PyTorch).
 * @example
 * ```ts
 * nn.F.softplus(tensor([0])); // tensor([0.6931])
 * ```
 */
export function softplus(x: Tensor, beta?: number, threshold?: number): Tensor;
/** With options: `nn.F.softplus(x, { beta: 2 })`. */
export function softplus(x: Tensor, options?: { beta?: number; threshold?: number }): Tensor;
export function softplus(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('softplus', args);
  return floatInput('softplus', x).softplus({ beta: o.beta ?? 1, threshold: o.threshold ?? 20 });
}

/**
 * Mish: `x · tanh(softplus(x))`.
 * @example
 * ```ts
 * nn.F.mish(tensor([1])); // tensor([0.8651])
 * ```
 */
export function mish(x: Tensor, inplace?: boolean): Tensor;
/** With options: `nn.F.mish(x, { inplace: true })`. */
export function mish(x: Tensor, options?: { inplace?: boolean }): Tensor;
export function mish(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('mish', args);
  const t = floatInput('mish', x);
  return maybeInplace(x, t.mul(t.softplus().tanh()), o.inplace);
}

/**
 * Clamps into [minVal, maxVal] (defaults −1 and 1). The gradient is 1 inside the range.
 * @example
 * ```ts
 * nn.F.hardtanh(tensor([-3, 0.5, 3])); // tensor([-1, 0.5, 1])
 * ```
 */
export function hardtanh(x: Tensor, minVal?: number, maxVal?: number, inplace?: boolean): Tensor;
/** With options: `nn.F.hardtanh(x, { minVal: -2, maxVal: 2 })`. */
export function hardtanh(x: Tensor, options?: { minVal?: number; maxVal?: number; inplace?: boolean }): Tensor;
export function hardtanh(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('hardtanh', args);
  const minVal = o.minVal ?? -1;
  const maxVal = o.maxVal ?? 1;
  checkHardtanhRange('hardtanh', minVal, maxVal);
  return maybeInplace(x, anyTensor('hardtanh', x).clamp(minVal, maxVal), o.inplace);
}

/** PyTorch's check that the upper bound of hardtanh exceeds the lower. @internal */
export function checkHardtanhRange(op: string, minVal: number, maxVal: number): void {
  if (!(maxVal > minVal)) throw new ValueError(`${op}: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
}

/**
 * Softmax along `dim` (default −1, the last dim; PyTorch's implicit dim is deprecated). `dtype`
 * casts the input first, as PyTorch.
 * @example
 * ```ts
 * nn.F.softmax(tensor([[1, 2, 3]]), 1); // rows sum to 1
 * ```
 */
export function softmax(x: Tensor, dim?: number, options?: { dtype?: 'float32' | 'float64' }): Tensor;
/** With options: `nn.F.softmax(x, { dim: 1 })`. */
export function softmax(x: Tensor, options?: { dim?: number; dtype?: 'float32' | 'float64' }): Tensor;
export function softmax(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('softmax', args);
  const t = floatInput('softmax', o.dtype ? anyTensor('softmax', x).to(o.dtype) : x);
  return t.softmax(o.dim ?? -1);
}

/**
 * Log-softmax along `dim` (default −1), computed stably; `dtype` casts the input first.
 * @example
 * ```ts
 * nn.F.logSoftmax(tensor([[1, 2, 3]]), 1);
 * ```
 */
export function logSoftmax(x: Tensor, dim?: number, options?: { dtype?: 'float32' | 'float64' }): Tensor;
/** With options: `nn.F.logSoftmax(x, { dim: 1 })`. */
export function logSoftmax(x: Tensor, options?: { dim?: number; dtype?: 'float32' | 'float64' }): Tensor;
export function logSoftmax(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('softmax', args, 'logSoftmax');
  const t = floatInput('logSoftmax', o.dtype ? anyTensor('logSoftmax', x).to(o.dtype) : x);
  return t.logSoftmax(o.dim ?? -1);
}

/**
 * The Heaviside step: 0 for x < 0, `values` at x = 0, 1 for x > 0. Its gradient is zero everywhere,
 * so nothing before it learns by gradient descent (it is for perceptron-style models and thresholds).
 * @example
 * ```ts
 * nn.F.heaviside(tensor([-1, 0, 2]), 0.5); // tensor([0, 0.5, 1])
 * ```
 */
export function heaviside(x: Tensor, values?: Tensor | number): Tensor;
/** With options: `nn.F.heaviside(x, { values: 0.5 })`. */
export function heaviside(x: Tensor, options?: { values?: Tensor | number }): Tensor;
export function heaviside(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('heaviside', args);
  return A.heaviside(floatInput('heaviside', x), o.values ?? 0);
}

/**
 * The unit step: 1 where x > 0, `valueAtZero` (default 0) at x = 0, 0 where x < 0. Same as
 * {@link heaviside}; its gradient is zero everywhere.
 * @example
 * ```ts
 * nn.F.step(tensor([-1, 0, 2])); // tensor([0, 0, 1])
 * ```
 */
export function step(x: Tensor, valueAtZero?: number): Tensor;
/** With options: `nn.F.step(x, { valueAtZero: 1 })`. */
export function step(x: Tensor, options?: { valueAtZero?: number }): Tensor;
export function step(x: Tensor, ...args: unknown[]): Tensor {
  const o = parse('step', args);
  return A.heaviside(floatInput('step', x), o.valueAtZero ?? 0);
}
