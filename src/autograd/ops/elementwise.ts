/**
 * Elementwise ops: arithmetic, math functions and comparisons, with broadcasting and JS-number operands.
 * Each is a primitive call after lifting numbers to 0-d tensors of the right dtype.
 * @module
 */
import { isFloat, scalarDType, type DType, checkDType } from '../dtype.js';
import { ArgumentTypeError, DTypeError, ValueError } from '../errors.js';
import { checkArity, num, parseOptions } from '../args.js';
import type { Prim } from '../primitives.js';
import { run } from '../tape.js';
import { Tensor, type TensorLike } from '../tensor.js';

/** A 0-d tensor holding `value` with the dtype it takes next to a tensor of `dtype`. @internal */
export function scalar(value: number, dtype: DType): Tensor {
  const d = scalarDType(value, dtype);
  const t = Tensor._fromData(
    d === 'float64' ? new Float64Array(1) : d === 'float32' ? new Float32Array(1) : d === 'int32' ? new Int32Array(1) : new Uint8Array(1),
    [],
    d,
  );
  t._storage.data[0] = value;
  return t;
}

const constants: Record<DType, Map<number, Tensor>> = { float32: new Map(), float64: new Map(), int32: new Map(), bool: new Map() };

/**
 * `scalar(value, dtype)` from a small cache, for operands that only feed an op's inputs (never
 * returned to the user, never written): `x.mul(2)` in a loop allocates no constant.
 */
function constant(value: number, like: DType): Tensor {
  if (Object.is(value, -0)) return scalar(value, like);
  const cache = constants[like];
  let t = cache.get(value);
  if (t === undefined) {
    if (cache.size >= 256) cache.clear();
    t = scalar(value, like);
    cache.set(value, t);
  }
  return t;
}

function operandOf(op: string, x: TensorLike, like: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return constant(x, like);
  return lift(op, x, like);
}

/** Turns a TensorLike into a Tensor, lifting numbers next to `like`. @internal */
export function lift(op: string, x: TensorLike, like: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' || typeof x === 'boolean') return scalar(Number(x), like);
  throw new ValueError(`${op}: expected a Tensor or a number, got ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x;
}

function binary(prim: Prim, a: TensorLike, b: TensorLike): Tensor {
  const ta = a instanceof Tensor ? a : operandOf(prim, a, b instanceof Tensor ? b.dtype : 'float32');
  const tb = operandOf(prim, b, ta.dtype);
  return run(prim as 'add', [ta, tb], null);
}

function unary(prim: Prim, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${prim}: expected a Tensor, got ${describe(x)}`);
  return run(prim as 'neg', [x], null);
}

/** `alpha * b`; a JS-number b is lifted next to `a` first, so it keeps its int/float kind (2 * 2 stays int). */
function scaled(op: string, a: TensorLike, b: TensorLike, alpha: number): TensorLike {
  if (alpha === 1) return b;
  return mul(typeof b === 'number' ? lift(op, b, a instanceof Tensor ? a.dtype : 'float32') : b, alpha);
}

const ALPHA = { alpha: num({ infinite: true }) };

/** Reads `{ alpha }` of add/sub; PyTorch's positional alpha is deprecated there, so a number is refused with the form. */
function alphaOf(op: string, options: unknown): number {
  const forms = `${op}(a, b) or ${op}(a, b, { alpha })`;
  if (typeof options === 'number')
    throw new ArgumentTypeError(
      `${op}: alpha goes in the options: ${op}(a, b, { alpha: ${options} }); got ${options} as the third argument`,
    );
  return parseOptions(op, options, ALPHA, { forms }).alpha ?? 1;
}

/**
 * `a + alpha * b`, broadcasting.
 * @example
 * ```ts
 * add(tensor([1, 2]), 1); // tensor([2, 3])
 * ```
 */
export function add(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  const alpha = options === undefined ? 1 : alphaOf('add', options);
  return binary('add', a, scaled('add', a, b, alpha));
}
/**
 * `a - alpha * b`, broadcasting.
 * @example
 * ```ts
 * sub(tensor([3, 4]), tensor([1, 1])); // tensor([2, 3])
 * ```
 */
export function sub(a: TensorLike, b: TensorLike, options?: { alpha?: number }): Tensor {
  if (a instanceof Tensor && b instanceof Tensor && a.dtype === 'bool' && b.dtype === 'bool') {
    throw new DTypeError(
      'sub: subtracting two bool tensors is not supported (as in PyTorch); use logicalNot/logicalAnd, or convert with .int()',
    );
  }
  const alpha = options === undefined ? 1 : alphaOf('sub', options);
  return binary('sub', a, scaled('sub', a, b, alpha));
}
/**
 * Elementwise product, broadcasting.
 * @example
 * ```ts
 * mul(tensor([1, 2]), tensor([3, 4])); // tensor([3, 8])
 * ```
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('mul', arguments, 2, 'mul(a, b)');
  return binary('mul', a, b);
}
/**
 * True division, broadcasting; integer inputs divide to float32.
 * @example
 * ```ts
 * div(tensor([1, 2]), 2); // tensor([0.5, 1])
 * ```
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('div', arguments, 2, 'div(a, b)');
  return binary('div', a, b);
}
/**
 * `a ** b`, broadcasting.
 * @example
 * ```ts
 * pow(tensor([2, 3]), 2); // tensor([4, 9])
 * ```
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('pow', arguments, 2, 'pow(a, b)');
  return binary('pow', a, b);
}
/**
 * Elementwise maximum; NaN propagates, ties split the gradient.
 * @example
 * ```ts
 * maximum(tensor([1, 5]), tensor([3, 2])); // tensor([3, 5])
 * ```
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('maximum', arguments, 2, 'maximum(a, b)');
  return binary('maximum', a, b);
}
/**
 * Elementwise minimum; NaN propagates, ties split the gradient.
 * @example
 * ```ts
 * minimum(tensor([1, 5]), tensor([3, 2])); // tensor([1, 2])
 * ```
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('minimum', arguments, 2, 'minimum(a, b)');
  return binary('minimum', a, b);
}
/**
 * Elementwise `a == b` as a bool tensor.
 * @example
 * ```ts
 * eq(tensor([1, 2]), 2); // tensor([false, true])
 * ```
 */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('eq', arguments, 2, 'eq(a, b)');
  return binary('eq', a, b);
}
/**
 * Elementwise `a != b` as a bool tensor.
 * @example
 * ```ts
 * ne(tensor([1, 2]), 2); // tensor([true, false])
 * ```
 */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('ne', arguments, 2, 'ne(a, b)');
  return binary('ne', a, b);
}
/**
 * Elementwise `a < b` as a bool tensor.
 * @example
 * ```ts
 * lt(tensor([1, 2]), 2); // tensor([true, false])
 * ```
 */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('lt', arguments, 2, 'lt(a, b)');
  return binary('lt', a, b);
}
/**
 * Elementwise `a <= b` as a bool tensor.
 * @example
 * ```ts
 * le(tensor([1, 2]), 2); // tensor([true, true])
 * ```
 */
export function le(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('le', arguments, 2, 'le(a, b)');
  return binary('le', a, b);
}
/**
 * Elementwise `a > b` as a bool tensor.
 * @example
 * ```ts
 * gt(tensor([1, 2]), 1); // tensor([false, true])
 * ```
 */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('gt', arguments, 2, 'gt(a, b)');
  return binary('gt', a, b);
}
/**
 * Elementwise `a >= b` as a bool tensor.
 * @example
 * ```ts
 * ge(tensor([1, 2]), 2); // tensor([false, true])
 * ```
 */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) checkArity('ge', arguments, 2, 'ge(a, b)');
  return binary('ge', a, b);
}
/**
 * Elementwise logical and of two tensors (nonzero is true).
 * @example
 * ```ts
 * logicalAnd(a.gt(0), a.lt(1));
 * ```
 */
export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  if (arguments.length > 2) checkArity('logicalAnd', arguments, 2, 'logicalAnd(a, b)');
  return mul(toDType(a, 'bool'), toDType(b, 'bool'));
}
/**
 * Elementwise logical not (nonzero is true).
 * @example
 * ```ts
 * logicalNot(tensor([true, false])); // tensor([false, true])
 * ```
 */
export function logicalNot(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('logicalNot', arguments, 1, 'logicalNot(x)');
  return unary('logicalNot', x);
}
/**
 * True where an element is NaN.
 * @example
 * ```ts
 * isnan(tensor([1, NaN])); // tensor([false, true])
 * ```
 */
export function isnan(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('isnan', arguments, 1, 'isnan(x)');
  return unary('isnan', x);
}
/**
 * True where an element is finite.
 * @example
 * ```ts
 * isfinite(tensor([1, Infinity])); // tensor([true, false])
 * ```
 */
export function isfinite(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('isfinite', arguments, 1, 'isfinite(x)');
  return unary('isfinite', x);
}

/**
 * Negation.
 * @example
 * ```ts
 * neg(tensor([1, -2])); // tensor([-1, 2])
 * ```
 */
export function neg(x: Tensor): Tensor {
  if (x instanceof Tensor && x.dtype === 'bool')
    throw new DTypeError('neg: negating a bool tensor is not supported (as in PyTorch); use logicalNot');
  return unary('neg', x);
}
/**
 * Absolute value.
 * @example
 * ```ts
 * abs(tensor([-1, 2])); // tensor([1, 2])
 * ```
 */
export function abs(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('abs', arguments, 1, 'abs(x)');
  return unary('abs', x);
}
/**
 * -1, 0 or 1 by sign; its gradient is zero.
 * @example
 * ```ts
 * sign(tensor([-3, 0, 2])); // tensor([-1, 0, 1])
 * ```
 */
export function sign(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('sign', arguments, 1, 'sign(x)');
  return unary('sign', x);
}
/**
 * `e ** x`.
 * @example
 * ```ts
 * exp(tensor([0, 1])); // tensor([1, 2.7183])
 * ```
 */
export function exp(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('exp', arguments, 1, 'exp(x)');
  return unary('exp', x);
}
/**
 * Natural logarithm (NaN below 0, -Infinity at 0).
 * @example
 * ```ts
 * log(tensor([1, Math.E])); // tensor([0, 1])
 * ```
 */
export function log(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('log', arguments, 1, 'log(x)');
  return unary('log', x);
}
/**
 * `log(1 + x)`.
 * @example
 * ```ts
 * log1p(tensor([0])); // tensor([0])
 * ```
 */
export function log1p(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('log1p', arguments, 1, 'log1p(x)');
  return unary('log1p', x);
}
/**
 * `exp(x) - 1`.
 * @example
 * ```ts
 * expm1(tensor([0])); // tensor([0])
 * ```
 */
export function expm1(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('expm1', arguments, 1, 'expm1(x)');
  return unary('expm1', x);
}
/**
 * Square root.
 * @example
 * ```ts
 * sqrt(tensor([4, 9])); // tensor([2, 3])
 * ```
 */
export function sqrt(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('sqrt', arguments, 1, 'sqrt(x)');
  return unary('sqrt', x);
}
/**
 * `1 / sqrt(x)`.
 * @example
 * ```ts
 * rsqrt(tensor([4])); // tensor([0.5])
 * ```
 */
export function rsqrt(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('rsqrt', arguments, 1, 'rsqrt(x)');
  return unary('rsqrt', x);
}
/**
 * `1 / x`.
 * @example
 * ```ts
 * reciprocal(tensor([2])); // tensor([0.5])
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('reciprocal', arguments, 1, 'reciprocal(x)');
  return unary('reciprocal', x);
}
/**
 * Sine.
 * @example
 * ```ts
 * sin(tensor([0])); // tensor([0])
 * ```
 */
export function sin(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('sin', arguments, 1, 'sin(x)');
  return unary('sin', x);
}
/**
 * Cosine.
 * @example
 * ```ts
 * cos(tensor([0])); // tensor([1])
 * ```
 */
export function cos(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('cos', arguments, 1, 'cos(x)');
  return unary('cos', x);
}
/**
 * Hyperbolic tangent.
 * @example
 * ```ts
 * tanh(tensor([0])); // tensor([0])
 * ```
 */
export function tanh(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('tanh', arguments, 1, 'tanh(x)');
  return unary('tanh', x);
}
/**
 * Logistic sigmoid.
 * @example
 * ```ts
 * sigmoid(tensor([0])); // tensor([0.5])
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('sigmoid', arguments, 1, 'sigmoid(x)');
  return unary('sigmoid', x);
}
/**
 * The Gauss error function.
 * @example
 * ```ts
 * erf(tensor([0])); // tensor([0])
 * ```
 */
export function erf(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('erf', arguments, 1, 'erf(x)');
  return unary('erf', x);
}
/**
 * `max(x, 0)`.
 * @example
 * ```ts
 * relu(tensor([-1, 2])); // tensor([0, 2])
 * ```
 */
export function relu(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('relu', arguments, 1, 'relu(x)');
  return unary('relu', x);
}

/**
 * `a` where `condition` is true, `b` elsewhere; all three broadcast. The condition must be bool.
 * @example
 * ```ts
 * where(x.gt(0), x, 0); // relu
 * ```
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(condition instanceof Tensor) || condition.dtype !== 'bool') {
    throw new DTypeError(
      `where: the condition must be a bool tensor, got ${condition instanceof Tensor ? condition.dtype : typeof condition}`,
    );
  }
  // Two JS numbers give int32 when both are integers, else float32 (PyTorch: int64 / default float).
  const like = b instanceof Tensor ? b.dtype : Number.isInteger(a) && Number.isInteger(b) ? 'int32' : 'float32';
  const ta = a instanceof Tensor ? a : lift('where', a, like);
  const tb = lift('where', b, ta.dtype);
  const ta2 = a instanceof Tensor ? ta : lift('where', a, tb.dtype);
  return run('where', [condition, ta2, tb], null);
}

/**
 * Converts to `dtype`; returns `x` itself when it already has that dtype.
 * Differentiable between float dtypes; float to int truncates toward zero.
 * @example
 * ```ts
 * toDType(tensor([1.7, -1.7]), 'int32'); // tensor([1, -1])
 * ```
 */
export function toDType(x: Tensor, dtype: DType): Tensor {
  checkDType('to', dtype);
  if (x.dtype === dtype) return x;
  if (x._requiresGrad && !isFloat(dtype)) {
    // Casting to an int or bool cuts the graph, as in PyTorch.
    return run('cast', [x.detach()], { dtype });
  }
  return run('cast', [x], { dtype });
}

/** Zeros shaped and typed like a gradient, for ops whose gradient is zero. @internal */
export function zerosLikeGrad(g: Tensor): Tensor {
  return mul(g, 0);
}
