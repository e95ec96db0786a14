/**
 * Activation functions built from primitives: leakyRelu, elu, gelu, silu, softplus, heaviside, clamp.
 * @module
 */
import { resultType } from '../dtype.js';
import { noGrad } from '../grad-mode.js';
import { ValueError } from '../errors.js';
import { checkArity, checkNumber, describe, num, parseOptions, splitOptions, type Check } from '../args.js';
import type { Tensor, TensorLike } from '../tensor.js';
import * as E from './elementwise.js';

/**
 * `x` for x > 0, `negativeSlope * x` otherwise.
 * @example
 * ```ts
 * leakyRelu(tensor([-1, 2]), 0.1); // tensor([-0.1, 2])
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkArity('leakyRelu', arguments, 2, 'leakyRelu(x) or leakyRelu(x, negativeSlope)');
  return E.where(E.gt(x, 0), x, E.mul(x, negativeSlope));
}

/**
 * `x` for x > 0, `alpha * (exp(x) - 1)` otherwise.
 * @example
 * ```ts
 * elu(tensor([-1, 2])); // tensor([-0.6321, 2])
 * ```
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkArity('elu', arguments, 2, 'elu(x) or elu(x, alpha)');
  // where, not minimum(x, 0): minimum splits the gradient at the tie x = 0, giving elu'(0) = alpha / 2.
  // The negative branch is selected by x <= 0, as in PyTorch, so a NaN input takes the identity
  // branch: its gradient is 1, not NaN.
  const negative = E.le(x, 0);
  return E.where(negative, E.mul(E.expm1(E.where(negative, x, 0)), alpha), x);
}

const APPROXIMATE: Check<'none' | 'tanh'> = (op, key, v) => {
  if (v === 'none' || v === 'tanh') return v;
  throw new ValueError(`${op}: ${key} must be 'none' or 'tanh', got ${describe(v)}`);
};
const GELU_FORMS = "gelu(x), gelu(x, 'tanh') or gelu(x, { approximate: 'tanh' })";

/**
 * Gaussian error linear unit: `x * Φ(x)` exactly (`approximate: 'none'`, the default) or with
 * the tanh approximation `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
 * @example
 * ```ts
 * gelu(tensor([1]), { approximate: 'tanh' }); // tensor([0.8412])
 * ```
 */
export function gelu(x: Tensor, options?: { approximate?: 'none' | 'tanh' } | 'none' | 'tanh'): Tensor {
  checkArity('gelu', arguments, 2, GELU_FORMS);
  const approximate =
    typeof options === 'string'
      ? APPROXIMATE('gelu', 'approximate', options)
      : (parseOptions('gelu', options, { approximate: APPROXIMATE }, { forms: GELU_FORMS }).approximate ?? 'none');
  if (approximate === 'tanh') {
    const inner = E.mul(E.add(x, E.mul(E.mul(E.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return E.mul(E.mul(x, 0.5), E.add(E.tanh(inner), 1));
  }
  if (approximate !== 'none') throw new ValueError(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  return E.mul(E.mul(x, 0.5), E.add(E.erf(E.mul(x, Math.SQRT1_2)), 1));
}

/**
 * `x * sigmoid(x)`, also called swish.
 * @example
 * ```ts
 * silu(tensor([0])); // tensor([0])
 * ```
 */
export function silu(x: Tensor): Tensor {
  checkArity('silu', arguments, 1, 'silu(x)');
  return E.mul(x, E.sigmoid(x));
}

/** Options of {@link softplus}. */
export interface SoftplusOptions {
  /** The slope (default 1). */
  beta?: number;
  /** Above `beta * x > threshold` the result is `x` (default 20). */
  threshold?: number;
}

const SOFTPLUS = { beta: num(), threshold: num({ infinite: true }) };

/**
 * `log(1 + exp(beta x)) / beta`, and `x` itself where `beta x > threshold` (defaults 1 and 20, as PyTorch).
 * @example
 * ```ts
 * softplus(tensor([0])); // tensor([0.6931])
 * ```
 */
export function softplus(x: Tensor, ...args: [options?: SoftplusOptions] | [beta: number, threshold?: number]): Tensor {
  const forms = 'softplus(x), softplus(x, beta, threshold) or softplus(x, { beta, threshold })';
  const [pos, raw] = splitOptions(args);
  checkArity('softplus', pos, 2, forms);
  const o = parseOptions('softplus', raw, SOFTPLUS, { forms });
  const beta = pos[0] === undefined ? (o.beta ?? 1) : checkNumber('softplus', 'beta', pos[0]);
  const threshold = pos[1] === undefined ? (o.threshold ?? 20) : checkNumber('softplus', 'threshold', pos[1], { infinite: true });
  if (pos[0] !== undefined && o.beta !== undefined) throw new ValueError('softplus: beta given twice, positionally and in the options');
  const bx = E.mul(x, beta);
  const above = E.gt(bx, threshold);
  // exp only sees values at or below the threshold, so the unused branch never overflows.
  const soft = E.div(E.log1p(E.exp(E.where(above, 0, bx))), beta);
  return E.where(above, x, soft);
}

/**
 * The step function: 0 for x < 0, `values` at x = 0, 1 for x > 0. Its gradient is zero everywhere
 * (the derivative at 0 does not exist), so it trains nothing placed before it; it is here for
 * perceptron-style models and for thresholding.
 * @example
 * ```ts
 * heaviside(tensor([-1, 0, 2]), 0.5); // tensor([0, 0.5, 1])
 * ```
 */
export function heaviside(x: Tensor, values: TensorLike): Tensor {
  checkArity('heaviside', arguments, 2, 'heaviside(x, values)');
  const v = E.lift('heaviside', values, x.dtype);
  const step = E.where(E.gt(x, 0), 1, E.where(E.eq(x, 0), v.detach(), 0));
  const out = E.toDType(step, resultType([x, v]));
  // Keep the output on the tape (with a zero gradient) when x requires grad, as PyTorch's sign does.
  return x.requiresGrad ? E.add(out, E.mul(E.sign(x), 0)) : out;
}

/** Elementwise `a || b` of two bool masks. */
const either = (a: Tensor, b: Tensor): Tensor => E.logicalNot(E.logicalAnd(E.logicalNot(a), E.logicalNot(b)));

/**
 * Clamps into [min, max]; either bound may be null. The gradient is 1 inside the range, bounds included.
 * The bounds take part in type promotion, as in PyTorch: `clamp(intTensor, 0.5)` is float32.
 * As in PyTorch 1.13 (tensor bounds, or both bounds given): a NaN in `x` or in a bound gives NaN
 * and no gradient to `x`; `min > max` gives `max`. A tensor bound gets the gradient where it is
 * the result: `min` where `x < min < max`, `max` where `x > max` or `min > max`.
 * @example
 * ```ts
 * clamp(tensor([-2, 0.5, 3]), 0, 1); // tensor([0, 0.5, 1])
 * ```
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  checkArity('clamp', arguments, 3, 'clamp(x, min, max)');
  if (min == null && max == null) throw new ValueError('clamp: at least one of min and max must be given');
  const lo = min == null ? null : E.lift('clamp', min, x.dtype);
  const hi = max == null ? null : E.lift('clamp', max, x.dtype);
  const dtype = resultType([x, ...(lo ? [lo] : []), ...(hi ? [hi] : [])]);
  const v = E.toDType(x, dtype);
  const l = lo && E.toDType(lo, dtype);
  const h = hi && E.toDType(hi, dtype);
  // The value, NaN-propagating (a NaN bound is the result, not ignored), without gradient.
  const value = noGrad(() => {
    let out = v;
    if (l) out = E.where(either(E.lt(out, l), E.isnan(l)), l, out);
    if (h) out = E.where(either(E.gt(out, h), E.isnan(h)), h, out);
    return out;
  });
  // Where each input is the result (all false at a NaN): x inside [min, max], min below it, max above.
  const inside = l && h ? E.logicalAnd(E.ge(v, l), E.le(v, h)) : l ? E.ge(v, l) : E.le(v, h!);
  let out = value;
  if (h?.requiresGrad) {
    // Below min > max the result is max too; with a NaN x or min it is NaN while max still gets the
    // gradient (PyTorch's rule): h − h.detach() carries it and adds 0 (h is finite wherever x > h or min > h).
    const above = l ? either(E.gt(v, h), E.gt(l, h)) : E.gt(v, h);
    out = E.where(above, E.add(E.sub(h, h.detach()), value), out);
  }
  if (l?.requiresGrad) out = E.where(h ? E.logicalAnd(E.lt(v, l), E.lt(l, h)) : E.lt(v, l), l, out);
  return v.requiresGrad ? E.where(inside, v, out) : out;
}
