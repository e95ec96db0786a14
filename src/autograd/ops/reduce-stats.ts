/**
 * Statistics built from the reductions: variance and standard deviation (PyTorch's unbiased and
 * correction forms), logsumexp, and the p-norm with a zero gradient at zero.
 * @module
 */
import { any as anyValue, checkArity, either, num, oneOf, parseOptions, splitOptions } from '../args.js';
import { dtypeOption, isFloat } from '../dtype.js';
import { ArgumentTypeError, NotImplementedError, ValueError } from '../errors.js';
import { noGrad } from '../grad-mode.js';
import { run } from '../tape.js';
import type { Tensor } from '../tensor.js';
import * as E from './elementwise.js';
import { reshape } from './shape.js';
import {
  checkInput,
  reduceArgs,
  varArgs,
  type DTypeReduceOptions,
  type Dims,
  type ParsedReduce,
  type ReduceOptions,
  type VarOptions,
} from './reduce-args.js';
import { cast, forms, mean, parse, specOf, sumSpec } from './reduce.js';

/** The arguments of var/std: `(unbiased)`, `(dim, unbiased, keepdim)`, each optional, with options last. */
export type VarArgs =
  | [unbiased: boolean, options?: VarOptions]
  | [dim?: Dims | null, options?: VarOptions]
  | [dim: Dims | null | undefined, unbiased: boolean | undefined, options?: VarOptions]
  | [dim: Dims | null | undefined, unbiased: boolean | undefined, keepdim: boolean | undefined, options?: VarOptions]
  | [options: VarOptions];

/** The arguments of norm: `(p, dim, keepdim)`, each optional, with options last. */
export type NormArgs =
  | [p?: number | 'fro' | null, options?: NormOptions]
  | [p: number | 'fro' | null | undefined, dim: Dims | null | undefined, options?: NormOptions]
  | [p: number | 'fro' | null | undefined, dim: Dims | null | undefined, keepdim: boolean | undefined, options?: NormOptions]
  | [options: NormOptions];

const VAR_FORMS = (op: string): string =>
  `${op}(x), ${op}(x, unbiased), ${op}(x, dim), ${op}(x, dim, unbiased), ${op}(x, dim, unbiased, keepdim), each with { dim, unbiased, correction, keepdim } last; x.${op}(dim, unbiased, keepdim) on a Tensor`;

function varianceOf(op: string, x: Tensor, p: ParsedReduce & { correction: number }): Tensor {
  const s = specOf(op, x, p);
  const n = s.dims.reduce((acc, d) => acc * x.shape[d]!, 1);
  const xf = isFloat(x.dtype) ? x : E.toDType(x, 'float32');
  const centered = E.sub(xf, mean(xf, s.dims, true));
  return E.div(sumSpec(E.mul(centered, centered), s), Math.max(n - p.correction, 0));
}

/**
 * Variance over all dims or `dim`, divided by `N - correction` (default 1, Bessel's). PyTorch's
 * forms: `(dim, unbiased, keepdim)` positionally, `unbiased` alone, or `{ correction }`.
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4]));            // tensor(1.6667)
 * variance(tensor([[1, 2], [3, 5]]), 1, false); // tensor([0.25, 1])
 * ```
 */
export function variance(x: Tensor, ...args: VarArgs): Tensor {
  checkInput('var', x, VAR_FORMS('var'));
  return varianceOf('var', x, varArgs('var', args, VAR_FORMS('var')));
}

/**
 * Standard deviation over all dims or `dim`; arguments as in {@link variance}.
 * @example
 * ```ts
 * std(tensor([1, 2, 3, 4])); // tensor(1.2910)
 * std(tensor([1, 2, 3, 4]), { correction: 0 });
 * ```
 */
export function std(x: Tensor, ...args: VarArgs): Tensor {
  checkInput('std', x, VAR_FORMS('std'));
  const v = varianceOf('std', x, varArgs('std', args, VAR_FORMS('std')));
  // At a zero deviation the gradient is 0, as PyTorch's (not ∞·0 = NaN).
  return masked(v, E.ne(v, 0), E.sqrt);
}

/**
 * `log(sum(exp(x)))` over `dim` (required, as in PyTorch), stable for large inputs (the maximum is subtracted first).
 * @example
 * ```ts
 * logsumexp(tensor([1000, 1000]), 0); // tensor(1000.6931)
 * ```
 */
export function logsumexp(
  x: Tensor,
  ...args:
    | [dim: Dims, keepdim?: boolean, options?: ReduceOptions]
    | [dim: Dims, options?: ReduceOptions]
    | [options: ReduceOptions & { dim: Dims }]
): Tensor {
  const p = parse('logsumexp', x, args);
  if (p.dim === undefined) throw new ArgumentTypeError(`logsumexp: dim is required; accepted forms: ${forms('logsumexp')}`);
  const s = specOf('logsumexp', x, p);
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
  return reshape(
    x,
    [...x.shape].filter((_, i) => !dims.includes(i)),
  );
}

/** Options of {@link norm}. */
export interface NormOptions extends DTypeReduceOptions {
  /** The order: a number (default 2) or `'fro'` (the same as 2). */
  p?: number | 'fro';
}

const NORM_FORMS =
  'norm(x), norm(x, p), norm(x, p, dim), norm(x, p, dim, keepdim), each with { p, dim, keepdim, dtype } last; x.norm(p, dim, keepdim) on a Tensor';
const NORM_P = either(num({ infinite: true }), oneOf(['fro', 'nuc']), "a number or 'fro'");

/**
 * `value` where `mask` holds, 0 elsewhere, computed so that the gradient is exactly 0 (never NaN)
 * where `mask` is false: `f` only sees a safe input (1) there.
 */
function masked(value: Tensor, mask: Tensor, f: (safe: Tensor) => Tensor): Tensor {
  return E.where(mask, f(E.where(mask, value, 1)), 0);
}

/**
 * The p-norm over all dims or `dim`: `p = 2` (default, or `'fro'`), 1, `Infinity`, `-Infinity`, 0
 * (count of nonzeros) or any p > 0. At an all-zero slice the gradient is 0, as in PyTorch (and zero
 * elements get a zero gradient for every p).
 * @example
 * ```ts
 * norm(tensor([3, 4]));          // tensor(5)
 * norm(tensor([[3, 4]]), 1, 1);  // tensor([7])
 * ```
 */
export function norm(x: Tensor, ...args: NormArgs): Tensor {
  checkInput('norm', x, NORM_FORMS);
  const [pos, raw] = splitOptions(args);
  checkArity('norm', pos, 3, NORM_FORMS);
  const o = parseOptions('norm', raw, { p: NORM_P, dim: anyValue, keepdim: anyValue, dtype: dtypeOption }, { forms: NORM_FORMS });
  const pPos = pos[0] === undefined || pos[0] === null ? undefined : NORM_P('norm', 'p', pos[0]);
  if (pPos !== undefined && o.p !== undefined) throw new ValueError('norm: p given twice, positionally and in the options');
  const dimOptions = o.dim === undefined && o.keepdim === undefined ? [] : [{ dim: o.dim, keepdim: o.keepdim }];
  const rest = reduceArgs('norm', [...pos.slice(1), ...dimOptions], NORM_FORMS);
  const pRaw = pPos ?? o.p ?? 2;
  if (pRaw === 'nuc') throw new NotImplementedError("norm: the nuclear norm (p = 'nuc') is not implemented");
  const p = pRaw === 'fro' ? 2 : pRaw;
  const s = specOf('norm', x, rest);
  const xc = cast(x, o.dtype);
  const xf = isFloat(xc.dtype) ? xc : E.toDType(xc, 'float32');
  if (p === 1) return sumSpec(E.abs(xf), s);
  if (p === Infinity) return run('amax', [E.abs(xf)], s);
  if (p === -Infinity) return run('amin', [E.abs(xf)], s);
  if (p === 0) return sumSpec(E.toDType(E.ne(xf, 0), xf.dtype), s);
  if (!(p > 0)) throw new ValueError(`norm: p must be positive, 0 or ±Infinity, got ${p}`);
  if (p === 2) {
    const squares = sumSpec(E.mul(xf, xf), s);
    return masked(squares, E.ne(squares, 0), E.sqrt);
  }
  const a = E.abs(xf);
  const powers = p > 1 ? E.pow(a, p) : masked(a, E.ne(a, 0), (safe) => E.pow(safe, p));
  const total = sumSpec(powers, s);
  return masked(total, E.ne(total, 0), (safe) => E.pow(safe, 1 / p));
}
