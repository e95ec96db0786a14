/**
 * Reductions and the ops along one dim (softmax, logSoftmax, cumsum), plus composites built
 * from them (mean, var, std, logsumexp, norm, max/min with indices).
 * @module
 */
import { isFloat, toFloat } from '../dtype.js';
import { ValueError } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import { run } from '../primitives.js';
import type { ReduceSpec } from '../prims/reduce.js';
import { normDim, normDims, sameShape } from '../shape.js';
import type { KeepDim, Tensor, ValuesIndices } from '../tensor.js';
import * as E from './elementwise.js';
import { reshape, squeeze } from './shape.js';
import { gather } from './indexing.js';

function spec(op: string, x: Tensor, dim: number | readonly number[] | undefined, options?: KeepDim): ReduceSpec {
  return { dims: normDims(op, dim, x.ndim), keepdim: options?.keepdim ?? false };
}

/** Sum over a normalised spec. @internal */
export function sumSpec(x: Tensor, s: ReduceSpec): Tensor {
  return run('sum', [x], s);
}
/** Product over a normalised spec. @internal */
export function prodSpec(x: Tensor, s: ReduceSpec): Tensor {
  return run('prod', [x], s);
}

/**
 * Sums a (broadcast) gradient back to `shape`: over leading dims and dims where `shape` has size 1.
 * @internal
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length ? sumSpec(g, { dims, keepdim: true }) : g;
  return sameShape(s.shape, shape) ? s : reshape(s, shape);
}

/**
 * Sum over all dims, or over `dim` (one or several; negative dims count from the end).
 * Bool sums to int32.
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 0); // tensor([4, 6])
 * ```
 */
export function sum(x: Tensor, dim?: number | readonly number[], options?: KeepDim): Tensor {
  return sumSpec(x, spec('sum', x, dim, options));
}

/**
 * Mean over all dims or `dim`; integer inputs are averaged in float32.
 * @example
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), 1); // tensor([1.5, 3.5])
 * ```
 */
export function mean(x: Tensor, dim?: number | readonly number[], options?: KeepDim): Tensor {
  const s = spec('mean', x, dim, options);
  const n = s.dims.reduce((acc, d) => acc * x.shape[d]!, 1);
  const xf = isFloat(x.dtype) ? x : E.toDType(x, toFloat(x.dtype));
  return E.div(sumSpec(xf, s), n);
}

/**
 * Product over all dims or `dim`; the gradient is right with zeros in the input.
 * @example
 * ```ts
 * prod(tensor([1, 2, 3])); // tensor(6)
 * ```
 */
export function prod(x: Tensor, dim?: number | readonly number[], options?: KeepDim): Tensor {
  return prodSpec(x, spec('prod', x, dim, options));
}

function nonEmpty(op: string, x: Tensor, s: ReduceSpec): void {
  for (const d of s.dims) {
    if (x.shape[d] === 0) throw new ValueError(`${op}: cannot reduce over dim ${d} of size 0 (shape [${x.shape.join(', ')}])`);
  }
  if (x.numel() === 0 && s.dims.length === 0 && x.ndim > 0) throw new ValueError(`${op}: the input is empty`);
}

/**
 * Maximum over all dims or `dim`; ties share the gradient equally.
 * @example
 * ```ts
 * amax(tensor([[1, 5], [3, 2]]), 1); // tensor([5, 3])
 * ```
 */
export function amax(x: Tensor, dim?: number | readonly number[], options?: KeepDim): Tensor {
  const s = spec('amax', x, dim, options);
  nonEmpty('amax', x, s);
  return run('amax', [x], s);
}

/**
 * Minimum over all dims or `dim`; ties share the gradient equally.
 * @example
 * ```ts
 * amin(tensor([[1, 5], [3, 2]]), 1); // tensor([1, 2])
 * ```
 */
export function amin(x: Tensor, dim?: number | readonly number[], options?: KeepDim): Tensor {
  const s = spec('amin', x, dim, options);
  nonEmpty('amin', x, s);
  return run('amin', [x], s);
}

function argSpec(op: string, x: Tensor, dim: number | undefined, options?: KeepDim): ReduceSpec {
  if (dim === undefined) {
    const s = { dims: normDims(op, undefined, x.ndim), keepdim: false };
    nonEmpty(op, x, s);
    if (x.numel() === 0) throw new ValueError(`${op}: the input is empty`);
    return s;
  }
  const s = { dims: [normDim(op, dim, x.ndim)], keepdim: options?.keepdim ?? false };
  nonEmpty(op, x, s);
  return s;
}

/**
 * Index (int32) of the maximum, in the flattened tensor or along `dim`; the first one on ties.
 * @example
 * ```ts
 * argmax(tensor([[1, 5], [3, 2]]), 1); // tensor([1, 0])
 * ```
 */
export function argmax(x: Tensor, dim?: number, options?: KeepDim): Tensor {
  return run('argmax', [x], argSpec('argmax', x, dim, options));
}

/**
 * Index (int32) of the minimum, in the flattened tensor or along `dim`.
 * @example
 * ```ts
 * argmin(tensor([[1, 5], [3, 2]]), 1); // tensor([0, 1])
 * ```
 */
export function argmin(x: Tensor, dim?: number, options?: KeepDim): Tensor {
  return run('argmin', [x], argSpec('argmin', x, dim, options));
}

function extremeDim(op: 'argmax' | 'argmin', x: Tensor, dim: number, options?: KeepDim): ValuesIndices {
  const d = normDim(op === 'argmax' ? 'max' : 'min', dim, x.ndim);
  const indices = run(op, [x], argSpec(op, x, d, { keepdim: true }));
  const values = x.ndim === 0 ? x : gather(x, d, indices);
  if (options?.keepdim || x.ndim === 0) return { values, indices: x.ndim === 0 ? reshape(indices, []) : indices };
  return { values: squeeze(values, d), indices: squeeze(indices, d) };
}

/**
 * Maximum along `dim` with its indices; the gradient goes to the returned index.
 * @example
 * ```ts
 * const { values, indices } = maxDim(tensor([[1, 5], [3, 2]]), 1);
 * ```
 */
export function maxDim(x: Tensor, dim: number, options?: KeepDim): ValuesIndices {
  return extremeDim('argmax', x, dim, options);
}

/**
 * Minimum along `dim` with its indices.
 * @example
 * ```ts
 * const { values, indices } = minDim(tensor([[1, 5], [3, 2]]), 1);
 * ```
 */
export function minDim(x: Tensor, dim: number, options?: KeepDim): ValuesIndices {
  return extremeDim('argmin', x, dim, options);
}

/**
 * Variance over all dims or `dim`, divided by `N - correction` (default correction 1, Bessel's).
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4])); // tensor(1.6667)
 * ```
 */
export function variance(x: Tensor, dim?: number | readonly number[], options?: KeepDim & { correction?: number }): Tensor {
  const s = spec('var', x, dim, options);
  const n = s.dims.reduce((acc, d) => acc * x.shape[d]!, 1);
  const correction = options?.correction ?? 1;
  const xf = isFloat(x.dtype) ? x : E.toDType(x, 'float32');
  const centered = E.sub(xf, mean(xf, s.dims, { keepdim: true }));
  return E.div(sumSpec(E.mul(centered, centered), s), Math.max(n - correction, 0));
}

/**
 * Standard deviation over all dims or `dim`, with `correction` (default 1).
 * @example
 * ```ts
 * std(tensor([1, 2, 3, 4])); // tensor(1.2910)
 * ```
 */
export function std(x: Tensor, dim?: number | readonly number[], options?: KeepDim & { correction?: number }): Tensor {
  return zeroAtZero(variance(x, dim, options), E.sqrt);
}

/**
 * `f(s)` for a root-like `f` with f(0) = 0 (sqrt, s^(1/p)), whose gradient at s = 0 is 0 instead
 * of ∞·0 = NaN: PyTorch's subgradient of norm and std at a zero norm or deviation. The zeros go
 * through `f` as 1 and come out as 0, so the gradient elsewhere is untouched.
 */
function zeroAtZero(s: Tensor, f: (t: Tensor) => Tensor): Tensor {
  const zero = E.eq(s, 0);
  return E.where(zero, 0, f(E.where(zero, 1, s)));
}

/**
 * `log(sum(exp(x)))` over `dim`, stable for large inputs (the maximum is subtracted first).
 * @example
 * ```ts
 * logsumexp(tensor([1000, 1000]), 0); // tensor(1000.6931)
 * ```
 */
export function logsumexp(x: Tensor, dim: number | readonly number[], options?: KeepDim): Tensor {
  const s = spec('logsumexp', x, dim, options);
  const keep = { dims: s.dims, keepdim: true };
  const xf = isFloat(x.dtype) ? x : E.toDType(x, 'float32');
  const m = noGrad(() => {
    const raw = run('amax', [xf.detach()], keep);
    return E.where(E.isfinite(raw), raw, 0);
  });
  const out = E.add(E.log(sumSpec(E.exp(E.sub(xf, m)), keep)), m);
  return s.keepdim ? out : squeezeDims(out, s.dims);
}

function squeezeDims(x: Tensor, dims: readonly number[]): Tensor {
  return reshape(x, x.shape.filter((_, i) => !dims.includes(i)));
}

/**
 * The p-norm over all dims or `dim`: `p = 2` (default), 1, `Infinity`, `-Infinity`, 0 (count of nonzeros) or any p > 0.
 * @example
 * ```ts
 * norm(tensor([3, 4])); // tensor(5)
 * ```
 */
export function norm(x: Tensor, p = 2, dim?: number | readonly number[], options?: KeepDim): Tensor {
  const s = spec('norm', x, dim, options);
  const xf = isFloat(x.dtype) ? x : E.toDType(x, 'float32');
  if (p === 2) return zeroAtZero(sumSpec(E.mul(xf, xf), s), E.sqrt);
  if (p === 1) return sumSpec(E.abs(xf), s);
  if (p === Infinity) return run('amax', [E.abs(xf)], s);
  if (p === -Infinity) return run('amin', [E.abs(xf)], s);
  if (p === 0) return sumSpec(E.toDType(E.ne(xf, 0), xf.dtype), s);
  if (!(p > 0)) throw new ValueError(`norm: p must be positive, 0 or ±Infinity, got ${p}`);
  // |x|^p at x = 0 has gradient p·0^(p-1)·sign(0), NaN for p < 1: 0 there, as PyTorch.
  return zeroAtZero(sumSpec(zeroAtZero(E.abs(xf), (a) => E.pow(a, p)), s), (t) => E.pow(t, 1 / p));
}

/**
 * Softmax along `dim`.
 * @example
 * ```ts
 * softmax(tensor([1, 1]), 0); // tensor([0.5, 0.5])
 * ```
 */
export function softmax(x: Tensor, dim: number): Tensor {
  return run('softmax', [x], { dim: normDim('softmax', dim, x.ndim) });
}

/**
 * Log-softmax along `dim`, computed stably (never `log(0)` for a saturated softmax).
 * @example
 * ```ts
 * logSoftmax(tensor([0, 0]), 0); // tensor([-0.6931, -0.6931])
 * ```
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return run('logSoftmax', [x], { dim: normDim('logSoftmax', dim, x.ndim) });
}

/**
 * Cumulative sum along `dim`.
 * @example
 * ```ts
 * cumsum(tensor([1, 2, 3]), 0); // tensor([1, 3, 6])
 * ```
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  return run('cumsum', [x], { dim: normDim('cumsum', dim, x.ndim) });
}

/**
 * True where any element over `dim` (default all) is nonzero.
 * @example
 * ```ts
 * any(tensor([0, 1])); // tensor(true)
 * ```
 */
export function any(x: Tensor, dim?: number | readonly number[], options?: KeepDim): Tensor {
  return run('any', [x], spec('any', x, dim, options));
}

/**
 * True where every element over `dim` (default all) is nonzero.
 * @example
 * ```ts
 * all(tensor([0, 1])); // tensor(false)
 * ```
 */
export function all(x: Tensor, dim?: number | readonly number[], options?: KeepDim): Tensor {
  return run('all', [x], spec('all', x, dim, options));
}
