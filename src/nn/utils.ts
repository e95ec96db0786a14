/**
 * Gradient clipping, as in PyTorch's `torch.nn.utils`: `clipGradNorm_` and `clipGradValue_`.
 * Also exported from `optim`.
 * @module
 */
import { ValueError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../autograd/tensor.js';
import { bool, checkNumber, nullable, type Check } from '../autograd/args.js';
import { autoSignature, parseArgs } from './args/parse.js';

/** A number >= 0 (a bound of the clipping). */
const bound: Check<number> = (op, key, v) => {
  if (typeof v === 'number' && !(v >= 0)) throw new ValueError(`${op}: ${key} must be a number >= 0, got ${v}`);
  return checkNumber(op, key, v, { min: 0, infinite: true });
};

/** The p of a norm: a number > 0, or Infinity. */
const order: Check<number> = (op, key, v) => {
  if (typeof v === 'number' && !(v > 0)) throw new ValueError(`${op}: ${key} must be a number > 0 or Infinity, got ${v}`);
  return checkNumber(op, key, v, { infinite: true });
};

/** PyTorch's `foreach` picks a faster kernel with the same result; tapegrad has one implementation, so either value gives PyTorch's result. */
const foreach = nullable(bool);

const CLIP_NORM = autoSignature(
  'nn.utils.clipGradNorm_',
  'nn.utils.clipGradNorm_',
  ['maxNorm', 'normType', 'errorIfNonfinite', 'foreach'],
  { maxNorm: bound, normType: order, errorIfNonfinite: bool, foreach },
  1,
  ['parameters'],
);
const CLIP_VALUE = autoSignature(
  'nn.utils.clipGradValue_',
  'nn.utils.clipGradValue_',
  ['clipValue', 'foreach'],
  { clipValue: bound, foreach },
  1,
  ['parameters'],
);

/** Options of {@link clipGradNorm_}. */
export interface ClipGradNormOptions {
  /** Throw a ValueError when the total norm is NaN or infinite, instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
  /** PyTorch's choice of kernel; the result is the same either way, so it is accepted and has no effect. */
  foreach?: boolean | null;
}

function toList(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ValueError(`${op}: params[${i}] is not a Tensor`);
  });
  return list;
}

/**
 * The gradients of `params`, each with storage of its own, dense and writable: a gradient that
 * shares storage with another one (or is a strided view) is replaced by a contiguous copy first,
 * so scaling one never scales another twice.
 */
function ownedGrads(params: Tensor[]): Tensor[] {
  const seen = new Set<unknown>();
  const grads: Tensor[] = [];
  for (const p of params) {
    let g = p.grad;
    if (g === null) continue;
    const dense = g._contiguous && g._offset === 0 && g._storage.data.length === g.numel();
    if (!dense || seen.has(g._storage)) {
      const src = g;
      g = noGrad(() => src.detach().clone());
      p.grad = g;
    }
    seen.add(g._storage);
    grads.push(g);
  }
  return grads;
}

/**
 * Scales the gradients of `params` in place so that their total `normType`-norm (computed over all
 * gradients together, as if concatenated) is at most `maxNorm`, and returns that total norm (before
 * clipping) as a 0-d tensor. `normType` may be `Infinity` (the largest absolute entry).
 * A non-finite total norm is returned as is (the gradients are then scaled by `maxNorm / norm`, which
 * makes them 0 or NaN); with `errorIfNonfinite: true` it throws a ValueError instead.
 * @example
 * ```ts
 * loss.backward();
 * const total = clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, normType?: number, options?: ClipGradNormOptions): Tensor;
/** PyTorch's positional form `clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)`. */
export function clipGradNorm_(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType: number,
  errorIfNonfinite: boolean,
  foreach?: boolean | null,
): Tensor;
/** Options only: `clipGradNorm_(params, { maxNorm: 1 })`. */
export function clipGradNorm_(
  params: Tensor | Iterable<Tensor>,
  options: ClipGradNormOptions & { maxNorm: number; normType?: number },
): Tensor;
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, ...args: unknown[]): Tensor {
  const op = 'clipGradNorm_';
  const options = parseArgs(CLIP_NORM, args);
  const maxNorm = options.maxNorm!;
  const normType = options.normType ?? 2;
  const grads = ownedGrads(toList(op, params));
  const dtype = grads.some((g) => g.dtype === 'float64') ? 'float64' : 'float32';
  let total: number;
  if (normType === Infinity) {
    total = 0;
    for (const g of grads) {
      const d = g._storage.data;
      for (let i = 0; i < d.length; i++) {
        const a = Math.abs(d[i]!);
        if (a > total || Number.isNaN(a)) total = a;
        if (Number.isNaN(total)) break;
      }
    }
  } else {
    // Sum |x|^p with a running scale (the largest |x| so far) so large or tiny norms do not overflow.
    let scale = 0;
    let sum = 0;
    let nan = false;
    for (const g of grads) {
      const d = g._storage.data;
      for (let i = 0; i < d.length; i++) {
        const a = Math.abs(d[i]!);
        if (Number.isNaN(a)) nan = true;
        if (a === 0 || Number.isNaN(a)) continue;
        if (a > scale) {
          sum = scale === 0 ? 1 : sum * Math.pow(scale / a, normType) + 1;
          scale = a;
        } else {
          sum += Math.pow(a / scale, normType);
        }
      }
    }
    total = nan ? NaN : scale === Infinity ? Infinity : scale * Math.pow(sum, 1 / normType);
  }
  if (!Number.isFinite(total) && options.errorIfNonfinite) {
    throw new ValueError(
      `${op}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped. ` +
        'To scale the gradients by the non-finite norm anyway, pass errorIfNonfinite: false.',
    );
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  if (coef !== 1) {
    for (const g of grads) {
      const d = g._storage.data;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
      g._storage.version++;
    }
  }
  return Tensor._fromData(dtype === 'float64' ? new Float64Array([total]) : new Float32Array([total]), [], dtype);
}

/**
 * Clamps every gradient entry of `params` into `[-clipValue, clipValue]`, in place.
 * @example
 * ```ts
 * loss.backward();
 * clipGradValue_(model.parameters(), 0.5);
 * opt.step();
 * ```
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number, foreach?: boolean | null): void;
/** With options: `clipGradValue_(params, { clipValue: 0.5 })`. */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, options: { clipValue: number; foreach?: boolean | null }): void;
export function clipGradValue_(params: Tensor | Iterable<Tensor>, ...args: unknown[]): void {
  const op = 'clipGradValue_';
  const clipValue = parseArgs(CLIP_VALUE, args).clipValue!;
  for (const g of ownedGrads(toList(op, params))) {
    const d = g._storage.data;
    for (let i = 0; i < d.length; i++) {
      const x = d[i]!;
      if (x > clipValue) d[i] = clipValue;
      else if (x < -clipValue) d[i] = -clipValue;
    }
    g._storage.version++;
  }
}
