/**
 * Gradient clipping, as in PyTorch's `torch.nn.utils`: `clipGradNorm_` and `clipGradValue_`.
 * Also exported from `optim`.
 * @module
 */
import { ValueError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../autograd/tensor.js';

/** Options of {@link clipGradNorm_}. */
export interface ClipGradNormOptions {
  /** Throw a ValueError when the total norm is NaN or infinite, instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
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
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, options: ClipGradNormOptions = {}): Tensor {
  const op = 'clipGradNorm_';
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm) || maxNorm < 0) throw new ValueError(`${op}: maxNorm must be a number >= 0, got ${maxNorm}`);
  if (typeof normType !== 'number' || !(normType > 0)) throw new ValueError(`${op}: normType must be a number > 0 or Infinity, got ${normType}`);
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
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const op = 'clipGradValue_';
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue) || clipValue < 0) {
    throw new ValueError(`${op}: clipValue must be a number >= 0, got ${clipValue}`);
  }
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
