/**
 * Activation functions of `nn.functional`, with PyTorch's defaults. Each validates its input and
 * options, then composes core ops (so gradients, including higher-order ones, come from the tape).
 * @module
 */
import { isFloat } from '../../autograd/dtype.js';
import { DTypeError, ValueError } from '../../autograd/errors.js';
import { Tensor } from '../../autograd/tensor.js';
import * as A from '../../autograd/ops/activation.js';

/** Checks that `x` is a floating-point Tensor. @internal */
export function floatInput(op: string, x: unknown, what = 'input'): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: ${what} must be float32 or float64, got ${x.dtype}`);
  return x;
}

function finite(op: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

/**
 * `max(x, 0)`.
 * @example
 * ```ts
 * nn.F.relu(tensor([-1, 2])); // tensor([0, 2])
 * ```
 */
export function relu(x: Tensor): Tensor {
  return floatInput('relu', x).relu();
}

/**
 * Logistic sigmoid `1 / (1 + e^-x)`.
 * @example
 * ```ts
 * nn.F.sigmoid(tensor([0])); // tensor([0.5])
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  return floatInput('sigmoid', x).sigmoid();
}

/**
 * Hyperbolic tangent.
 * @example
 * ```ts
 * nn.F.tanh(tensor([0])); // tensor([0])
 * ```
 */
export function tanh(x: Tensor): Tensor {
  return floatInput('tanh', x).tanh();
}

/**
 * `x` for x > 0, `negativeSlope · x` otherwise (default slope 0.01).
 * @example
 * ```ts
 * nn.F.leakyRelu(tensor([-1, 2]), 0.1); // tensor([-0.1, 2])
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return floatInput('leakyRelu', x).leakyRelu(finite('leakyRelu', 'negativeSlope', negativeSlope));
}

/**
 * `x` for x > 0, `alpha · (e^x − 1)` otherwise (default alpha 1).
 * @example
 * ```ts
 * nn.F.elu(tensor([-1, 2])); // tensor([-0.6321, 2])
 * ```
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  return floatInput('elu', x).elu(finite('elu', 'alpha', alpha));
}

/**
 * Gaussian error linear unit `x · Φ(x)`, exact (default) or with `approximate: 'tanh'`.
 * @example
 * ```ts
 * nn.F.gelu(tensor([1]), { approximate: 'tanh' }); // tensor([0.8412])
 * ```
 */
export function gelu(x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  return floatInput('gelu', x).gelu(options);
}

/**
 * `x · sigmoid(x)` (swish).
 * @example
 * ```ts
 * nn.F.silu(tensor([1])); // tensor([0.7311])
 * ```
 */
export function silu(x: Tensor): Tensor {
  return floatInput('silu', x).silu();
}

/**
 * `log(1 + e^(beta·x)) / beta`, and `x` where `beta·x > threshold` (defaults 1 and 20, as PyTorch).
 * @example
 * ```ts
 * nn.F.softplus(tensor([0])); // tensor([0.6931])
 * ```
 */
export function softplus(x: Tensor, options: { beta?: number; threshold?: number } = {}): Tensor {
  const beta = finite('softplus', 'beta', options.beta ?? 1);
  if (beta === 0) throw new ValueError('softplus: beta must be nonzero');
  finite('softplus', 'threshold', options.threshold ?? 20);
  return floatInput('softplus', x).softplus(options);
}

/**
 * Mish: `x · tanh(softplus(x))`.
 * @example
 * ```ts
 * nn.F.mish(tensor([1])); // tensor([0.8651])
 * ```
 */
export function mish(x: Tensor): Tensor {
  const t = floatInput('mish', x);
  return t.mul(t.softplus().tanh());
}

/**
 * Clamps into [minVal, maxVal] (defaults −1 and 1). The gradient is 1 inside the range.
 * @example
 * ```ts
 * nn.F.hardtanh(tensor([-3, 0.5, 3])); // tensor([-1, 0.5, 1])
 * ```
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  finite('hardtanh', 'minVal', minVal);
  finite('hardtanh', 'maxVal', maxVal);
  if (!(maxVal > minVal)) throw new ValueError(`hardtanh: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
  return floatInput('hardtanh', x).clamp(minVal, maxVal);
}

/**
 * Softmax along `dim` (default −1, the last dim; PyTorch's implicit dim is deprecated).
 * @example
 * ```ts
 * nn.F.softmax(tensor([[1, 2, 3]]), 1); // rows sum to 1
 * ```
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  return floatInput('softmax', x).softmax(dim);
}

/**
 * Log-softmax along `dim` (default −1), computed stably.
 * @example
 * ```ts
 * nn.F.logSoftmax(tensor([[1, 2, 3]]), 1);
 * ```
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return floatInput('logSoftmax', x).logSoftmax(dim);
}

/**
 * The Heaviside step: 0 for x < 0, `values` at x = 0, 1 for x > 0. Its gradient is zero everywhere,
 * so nothing before it learns by gradient descent (it is for perceptron-style models and thresholds).
 * @example
 * ```ts
 * nn.F.heaviside(tensor([-1, 0, 2]), 0.5); // tensor([0, 0.5, 1])
 * ```
 */
export function heaviside(x: Tensor, values: Tensor | number = 0): Tensor {
  return A.heaviside(floatInput('heaviside', x), values);
}

/**
 * The unit step: 1 where x > 0, `valueAtZero` (default 0) at x = 0, 0 where x < 0. Same as
 * {@link heaviside}; its gradient is zero everywhere.
 * @example
 * ```ts
 * nn.F.step(tensor([-1, 0, 2])); // tensor([0, 0, 1])
 * ```
 */
export function step(x: Tensor, valueAtZero = 0): Tensor {
  return A.heaviside(floatInput('step', x), finite('step', 'valueAtZero', valueAtZero));
}
