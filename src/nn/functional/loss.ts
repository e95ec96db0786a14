/**
 * Loss functions of `nn.functional`, with PyTorch's formulas, defaults and reductions.
 * @module
 */
import { isFloat } from '../../autograd/dtype.js';
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import { Tensor } from '../../autograd/tensor.js';
import { contiguousData } from '../../autograd/ops/shape.js';
import { crossEntropyIndicesFused } from '../../autograd/ops/nn.js';
import { floatInput } from './checks.js';
import { parseLoss } from './loss-args.js';

/** How a loss reduces its elementwise values: their mean (default), their sum, or not at all. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by every loss. */
export interface LossOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** The reduction (default `'mean'`), checked against `allowed`. @internal */
function reductionOf(op: string, r: string | undefined, allowed: readonly string[] = ['mean', 'sum', 'none']): string {
  const red = r ?? 'mean';
  if (!allowed.includes(red))
    throw new ValueError(`${op}: reduction must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${String(red)}'`);
  return red;
}

function reduce(loss: Tensor, reduction: string): Tensor {
  return reduction === 'mean' ? loss.mean() : reduction === 'sum' ? loss.sum() : loss;
}

function sameShape(op: string, input: Tensor, target: Tensor, what = 'target'): void {
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ShapeError(`${op}: ${what} shape ${fmtShape(target.shape)} does not match input shape ${fmtShape(input.shape)}`);
  }
}

function pair(op: string, input: Tensor, target: Tensor): void {
  floatInput(op, input);
  floatInput(op, target, 'target');
  sameShape(op, input, target);
}

/** The inputs of a pairwise loss: two float tensors of one shape, and a target tensor. */
function pairwiseInputs(op: string, x1: Tensor, x2: Tensor, target: Tensor): void {
  floatInput(op, x1, 'input1');
  floatInput(op, x2, 'input2');
  sameShape(op, x1, x2, 'input2');
  if (!(target instanceof Tensor)) throw new ValueError(`${op}: target must be a Tensor`);
}

/** `log(1 + e^x)` without overflow, smooth everywhere (no kink at 0, unlike max(x,0) + log1p(e^-|x|)). */
function softplusStable(x: Tensor): Tensor {
  const pos = x.gt(0);
  const xp = x.where(pos, 0); // x where positive, 0 elsewhere: exp(-xp) ≤ 1
  const xn = x.where(pos.logicalNot(), 0); // x where non-positive: exp(xn) ≤ 1
  return xp.add(xp.neg().exp().log1p()).where(pos, xn.exp().log1p());
}

/** `log(t)` clamped below at −100 (as PyTorch's BCE), with a finite gradient at t = 0. */
function clampedLog(t: Tensor): Tensor {
  const pos = t.gt(0);
  return t.where(pos, 1).log().clamp(-100, null).where(pos, -100);
}

/**
 * Mean squared error `(input − target)²`.
 * @example
 * ```ts
 * nn.F.mseLoss(tensor([1, 2]), tensor([1, 4])); // tensor(2)
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options?: LossOptions): Tensor;
/** PyTorch's positional form, with the deprecated `size_average` / `reduce` slots null. */
export function mseLoss(
  input: Tensor,
  target: Tensor,
  sizeAverage: null | undefined,
  reduce: null | undefined,
  reduction: Reduction,
): Tensor;
export function mseLoss(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('mseLoss', args);
  const red = reductionOf('mseLoss', options.reduction);
  pair('mseLoss', input, target);
  const d = input.sub(target);
  return reduce(d.mul(d), red);
}

/**
 * Mean absolute error `|input − target|`.
 * @example
 * ```ts
 * nn.F.l1Loss(tensor([1, 2]), tensor([1, 4])); // tensor(1)
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options?: LossOptions): Tensor;
/** PyTorch's positional form, with the deprecated `size_average` / `reduce` slots null. */
export function l1Loss(
  input: Tensor,
  target: Tensor,
  sizeAverage: null | undefined,
  reduce: null | undefined,
  reduction: Reduction,
): Tensor;
export function l1Loss(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('l1Loss', args);
  const red = reductionOf('l1Loss', options.reduction);
  pair('l1Loss', input, target);
  return reduce(input.sub(target).abs(), red);
}

/**
 * Huber loss: `0.5 d²` where `|d| < delta`, `delta (|d| − 0.5 delta)` elsewhere (d = input − target; delta 1).
 * @example
 * ```ts
 * nn.F.huberLoss(tensor([0, 0]), tensor([0.5, 3])); // tensor((0.125 + 2.5) / 2)
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options?: LossOptions & { delta?: number }): Tensor;
/** PyTorch's positional form `F.huber_loss(input, target, reduction, delta)`. */
export function huberLoss(input: Tensor, target: Tensor, reduction?: Reduction, delta?: number): Tensor;
export function huberLoss(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('huberLoss', args);
  const red = reductionOf('huberLoss', options.reduction);
  const delta = options.delta ?? 1;
  if (!(delta > 0) || !Number.isFinite(delta)) throw new ValueError(`huberLoss: delta must be positive, got ${delta}`);
  pair('huberLoss', input, target);
  const d = input.sub(target);
  const ad = d.abs();
  return reduce(
    d
      .mul(d)
      .mul(0.5)
      .where(ad.lt(delta), ad.sub(0.5 * delta).mul(delta)),
    red,
  );
}

/**
 * Smooth L1: `0.5 d² / beta` where `|d| < beta`, `|d| − 0.5 beta` elsewhere (beta 1; beta 0 is L1).
 * @example
 * ```ts
 * nn.F.smoothL1Loss(tensor([0, 0]), tensor([0.5, 3])); // tensor((0.125 + 2.5) / 2)
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: LossOptions & { beta?: number }): Tensor;
/** PyTorch's positional form, with the deprecated `size_average` / `reduce` slots null. */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  sizeAverage: null | undefined,
  reduce: null | undefined,
  reduction?: Reduction,
  beta?: number,
): Tensor;
export function smoothL1Loss(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('smoothL1Loss', args);
  const red = reductionOf('smoothL1Loss', options.reduction);
  const beta = options.beta ?? 1;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new ValueError(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  pair('smoothL1Loss', input, target);
  const d = input.sub(target);
  const ad = d.abs();
  if (beta === 0) return reduce(ad, red);
  return reduce(
    d
      .mul(d)
      .mul(0.5 / beta)
      .where(ad.lt(beta), ad.sub(0.5 * beta)),
    red,
  );
}

function checkWeight(op: string, weight: Tensor | null | undefined, input: Tensor, name = 'weight'): Tensor | null {
  if (weight === undefined || weight === null) return null;
  floatInput(op, weight, name);
  const n = input.ndim;
  const ok = weight.ndim <= n && weight.shape.every((s, i) => s === 1 || s === input.shape[n - weight.ndim + i]);
  if (!ok)
    throw new ShapeError(`${op}: ${name} of shape ${fmtShape(weight.shape)} does not broadcast to input shape ${fmtShape(input.shape)}`);
  return weight;
}

/**
 * Binary cross-entropy of probabilities: `−w (y log x + (1 − y) log(1 − x))`, the logs clamped at −100
 * as PyTorch. `input` must lie in [0, 1]; `weight` broadcasts to it.
 * @example
 * ```ts
 * nn.F.binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0]));
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options?: LossOptions & { weight?: Tensor | null }): Tensor;
/** PyTorch's positional form: the weight first, `F.binary_cross_entropy(input, target, weight)`. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, weight: Tensor | null, options?: LossOptions): Tensor;
export function binaryCrossEntropy(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('binaryCrossEntropy', args);
  const red = reductionOf('binaryCrossEntropy', options.reduction);
  pair('binaryCrossEntropy', input, target);
  const weight = checkWeight('binaryCrossEntropy', options.weight, input);
  const data = contiguousData(input);
  for (let i = 0; i < data.length; i++) {
    if (!(data[i]! >= 0 && data[i]! <= 1))
      throw new ValueError(`binaryCrossEntropy: all elements of input should be between 0 and 1, found ${data[i]} at flat index ${i}`);
  }
  let loss = target
    .mul(clampedLog(input))
    .add(
      target
        .neg()
        .add(1)
        .mul(clampedLog(input.neg().add(1))),
    )
    .neg();
  if (weight) loss = loss.mul(weight);
  return reduce(loss, red);
}

/**
 * Binary cross-entropy on logits, `−w [p·y·log σ(x) + (1 − y) log(1 − σ(x))]` computed stably
 * (finite for logits of any size). `posWeight` (broadcast along the last dim) weighs positives.
 * @example
 * ```ts
 * nn.F.binaryCrossEntropyWithLogits(tensor([1000, -1000]), tensor([1, 0])); // tensor(0)
 * ```
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options?: LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null },
): Tensor;
/** PyTorch's positional form: the weight first, `F.binary_cross_entropy_with_logits(input, target, weight)`. */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  options?: LossOptions & { posWeight?: Tensor | null },
): Tensor;
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('binaryCrossEntropyWithLogits', args);
  const red = reductionOf('binaryCrossEntropyWithLogits', options.reduction);
  pair('binaryCrossEntropyWithLogits', input, target);
  const weight = checkWeight('binaryCrossEntropyWithLogits', options.weight, input);
  const posWeight = checkWeight('binaryCrossEntropyWithLogits', options.posWeight, input, 'posWeight');
  // (1 − y) x + (1 + (p − 1) y) softplus(−x); with p = 1 this is softplus(x) − x y.
  const sp = softplusStable(input.neg());
  const logWeight = posWeight ? posWeight.sub(1).mul(target).add(1) : null;
  let loss = target
    .neg()
    .add(1)
    .mul(input)
    .add(logWeight ? logWeight.mul(sp) : sp);
  if (weight) loss = loss.mul(weight);
  return reduce(loss, red);
}

/** Options of {@link nllLoss} and {@link crossEntropy}. */
export interface NLLOptions extends LossOptions {
  /** A weight per class, shape [C]. */
  weight?: Tensor | null;
  /** Targets equal to this class index are skipped (default −100). */
  ignoreIndex?: number;
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends NLLOptions {
  /** Mix the targets with the uniform distribution by this amount, in [0, 1] (default 0). */
  labelSmoothing?: number;
}

interface ClassTargets {
  /** Log-probabilities with the class dim at 1: [N, C, ...]. */
  logp: Tensor;
  /** Targets [N, ...] with ignored entries replaced by 0. */
  safe: Tensor;
  /** Per-target weight w[t] (0 where ignored), same shape as safe. */
  w: Tensor;
  /** 1 where the target is not ignored, 0 where it is. */
  keep: Tensor;
  unbatched: boolean;
}

/** Validates class-index targets against log-probabilities [N, C, ...] (or [C] with a 0-d target). */
function classTargets(op: string, logp: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number): ClassTargets {
  const unbatched = logp.ndim === 1;
  const lp = unbatched ? logp.unsqueeze(0) : logp;
  const tg = unbatched && target.ndim === 0 ? target.unsqueeze(0) : target;
  if (lp.ndim < 2) throw new ShapeError(`${op}: input must have shape [C], [N, C] or [N, C, d1, ...], got ${fmtShape(logp.shape)}`);
  const c = lp.shape[1]!;
  const expected = [lp.shape[0]!, ...lp.shape.slice(2)];
  if (tg.ndim !== expected.length || tg.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(
      `${op}: class-index target of shape ${fmtShape(target.shape)} does not fit input ${fmtShape(logp.shape)}: expected ${fmtShape(unbatched ? [] : expected)} ` +
        `(or, for class probabilities, a float target of shape ${fmtShape(logp.shape)})`,
    );
  }
  if (tg.dtype !== 'int32') throw new DTypeError(`${op}: class-index targets must be int32, got ${tg.dtype}`);
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== c))
    throw new ShapeError(`${op}: weight must have shape [${c}] (one per class), got ${fmtShape(weight.shape)}`);
  const ids = contiguousData(tg);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v !== ignoreIndex && (v < 0 || v >= c))
      throw new IndexError(`${op}: target ${v} is out of bounds for ${c} classes (at flat index ${i}; ignoreIndex is ${ignoreIndex})`);
  }
  const keep = tg.ne(ignoreIndex);
  const safe = tg.where(keep, 0);
  const keepF = keep.to(lp.dtype);
  const w = weight
    ? weight
        .indexSelect(0, safe.reshape([-1]))
        .reshape(safe.shape.slice())
        .mul(keepF)
    : keepF;
  return { logp: lp, safe, w, keep: keepF, unbatched };
}

function finishClassLoss(perElem: Tensor, w: Tensor, red: string, unbatched: boolean): Tensor {
  if (red === 'sum') return perElem.sum();
  if (red === 'mean') return perElem.sum().div(w.sum());
  return unbatched ? perElem.squeeze(0) : perElem;
}

/**
 * Negative log-likelihood of log-probabilities `input` ([N, C, ...] or [C]) at int32 class targets
 * ([N, ...] or []): `−w[t]·input[n, t]`. `'mean'` divides by the sum of the target weights.
 * @example
 * ```ts
 * nn.F.nllLoss(tensor([[-0.1, -2.3]]), tensor([0], { dtype: 'int32' })); // tensor(0.1)
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options?: NLLOptions): Tensor;
/** PyTorch's positional form: the class weight first, `F.nll_loss(input, target, weight)`. */
export function nllLoss(input: Tensor, target: Tensor, weight: Tensor | null, options?: NLLOptions): Tensor;
export function nllLoss(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('nllLoss', args);
  const red = reductionOf('nllLoss', options.reduction);
  floatInput('nllLoss', input);
  if (!(target instanceof Tensor)) throw new ValueError('nllLoss: target must be a Tensor');
  const weight = options.weight ? floatInput('nllLoss', options.weight, 'weight') : null;
  const { logp, safe, w, unbatched } = classTargets('nllLoss', input, target, weight, options.ignoreIndex ?? -100);
  const picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1);
  return finishClassLoss(picked.mul(w).neg(), w, red, unbatched);
}

/**
 * Cross-entropy of logits `input` ([N, C, ...] or [C], classes on dim 1) against int32 class
 * indices ([N, ...]) or class probabilities (a float target of the input's shape), computed through
 * logSoftmax. Supports `weight`, `ignoreIndex` (−100) and `labelSmoothing` exactly as PyTorch.
 * @example
 * ```ts
 * nn.F.crossEntropy(randn([4, 3]), tensor([0, 2, 1, 0], { dtype: 'int32' }));
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor;
/** PyTorch's positional form: the class weight first, `F.cross_entropy(input, target, weight)`. */
export function crossEntropy(input: Tensor, target: Tensor, weight: Tensor | null, options?: CrossEntropyOptions): Tensor;
export function crossEntropy(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('crossEntropy', args);
  const op = 'crossEntropy';
  const red = reductionOf(op, options.reduction);
  floatInput(op, input);
  if (!(target instanceof Tensor)) throw new ValueError(`${op}: target must be a Tensor`);
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ValueError(`${op}: labelSmoothing must be in [0, 1], got ${eps}`);
  const weight = options.weight ? floatInput(op, options.weight, 'weight') : null;
  const classDim = input.ndim === 1 ? 0 : 1;
  if (input.ndim === 0) throw new ShapeError(`${op}: input must have shape [C], [N, C] or [N, C, d1, ...], got []`);
  const c = input.shape[classDim]!;
  // Common path (class indices, no weight or smoothing, nothing ignored): one fused primitive.
  const fused = weight || eps > 0 ? null : crossEntropyIndicesFused(input, target, red, options.ignoreIndex ?? -100);
  if (fused) return fused;
  const logp = input.logSoftmax(classDim);
  if (isFloat(target.dtype) && target.ndim === input.ndim && target.shape.every((s, i) => s === input.shape[i])) {
    // Class probabilities.
    if (weight && (weight.ndim !== 1 || weight.shape[0] !== c))
      throw new ShapeError(`${op}: weight must have shape [${c}] (one per class), got ${fmtShape(weight.shape)}`);
    const t = eps > 0 ? target.mul(1 - eps).add(eps / c) : target;
    const bshape = input.shape.map((s, i) => (i === classDim ? s : 1));
    const lw = weight ? logp.mul(weight.reshape(bshape)) : logp;
    const loss = lw.mul(t).sum(classDim).neg();
    if (red === 'sum') return loss.sum();
    if (red === 'mean') return loss.sum().div(c === 0 ? 0 : input.numel() / c);
    return loss;
  }
  const { logp: lp, safe, w, keep, unbatched } = classTargets(op, logp, target, weight, options.ignoreIndex ?? -100);
  const nll = lp.gather(1, safe.unsqueeze(1)).squeeze(1).mul(w).neg();
  const main = finishClassLoss(nll, w, red, unbatched);
  if (eps === 0) return main;
  // PyTorch: smooth = −Σ_c w_c logp_c per element (0 where ignored), reduced with nll's denominator.
  const bshape = lp.shape.map((s, i) => (i === 1 ? s : 1));
  const smooth = (weight ? lp.mul(weight.reshape(bshape)) : lp).sum(1).neg().mul(keep);
  const smoothRed = finishClassLoss(smooth, w, red, unbatched);
  return main.mul(1 - eps).add(smoothRed.mul(eps / c));
}

/** Options of {@link klDiv}. */
export interface KLDivOptions {
  /** `'mean'` (default; over all elements), `'batchmean'` (sum / batch size, the true KL), `'sum'` or `'none'`. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence with `input` as log-probabilities: `target·(log target − input)`
 * (0 where target is 0), or `e^target·(target − input)` with `logTarget`.
 * @example
 * ```ts
 * nn.F.klDiv(logp, targetProbs, { reduction: 'batchmean' });
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, options?: KLDivOptions): Tensor;
/** PyTorch's positional form, with the deprecated `size_average` / `reduce` slots null. */
export function klDiv(
  input: Tensor,
  target: Tensor,
  sizeAverage: null | undefined,
  reduce: null | undefined,
  reduction?: Reduction | 'batchmean',
  logTarget?: boolean,
): Tensor;
export function klDiv(input: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('klDiv', args);
  const red = reductionOf('klDiv', options.reduction, ['mean', 'sum', 'none', 'batchmean']);
  pair('klDiv', input, target);
  let loss: Tensor;
  if (options.logTarget) loss = target.exp().mul(target.sub(input));
  else {
    const pos = target.gt(0);
    loss = target.mul(target.where(pos, 1).log()).where(pos, 0).sub(target.mul(input));
  }
  if (red === 'batchmean') return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]!);
  return reduce(loss, red);
}

function plusMinusOne(op: string, target: Tensor): void {
  const v = contiguousData(target);
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 1 && v[i] !== -1) throw new ValueError(`${op}: target values must be 1 or -1, found ${v[i]} at flat index ${i}`);
  }
}

/**
 * `1 − cos(x1, x2)` where y = 1 and `max(0, cos(x1, x2) − margin)` where y = −1, cosine along the last
 * dim of [N, D] inputs (or [D] with a 0-d target).
 * @example
 * ```ts
 * nn.F.cosineEmbeddingLoss(a, b, tensor([1, -1]), { margin: 0.2 });
 * ```
 */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, options?: LossOptions & { margin?: number }): Tensor;
/** PyTorch's positional form: the margin first, `F.cosine_embedding_loss(x1, x2, target, margin)`. */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, margin: number, options?: LossOptions): Tensor;
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('cosineEmbeddingLoss', args);
  const op = 'cosineEmbeddingLoss';
  const red = reductionOf(op, options.reduction);
  pairwiseInputs(op, x1, x2, target);
  if (x1.ndim !== 1 && x1.ndim !== 2) throw new ShapeError(`${op}: inputs must be [N, D] or [D], got ${fmtShape(x1.shape)}`);
  const expected = x1.ndim === 2 ? [x1.shape[0]!] : [];
  if (target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(
      `${op}: target shape ${fmtShape(target.shape)} does not fit inputs ${fmtShape(x1.shape)}: expected ${fmtShape(expected)}`,
    );
  }
  plusMinusOne(op, target);
  const margin = options.margin ?? 0;
  const eps = 1e-12; // PyTorch's EPSILON, added to both squared magnitudes
  const prod = x1.mul(x2).sum(-1);
  const m1 = x1.mul(x1).sum(-1).add(eps);
  const m2 = x2.mul(x2).sum(-1).add(eps);
  const cos = prod.div(m1.mul(m2).sqrt());
  const pos = target.eq(1);
  const loss = cos.neg().add(1).where(pos, cos.sub(margin).clamp(0, null));
  return reduce(loss, red);
}

/**
 * `max(0, −y·(x1 − x2) + margin)` for targets y of ±1.
 * @example
 * ```ts
 * nn.F.marginRankingLoss(tensor([1, 2]), tensor([2, 1]), tensor([1, 1])); // tensor(0.5)
 * ```
 */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, options?: LossOptions & { margin?: number }): Tensor;
/** PyTorch's positional form: the margin first, `F.margin_ranking_loss(x1, x2, target, margin)`. */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, margin: number, options?: LossOptions): Tensor;
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const options = parseLoss('marginRankingLoss', args);
  const op = 'marginRankingLoss';
  const red = reductionOf(op, options.reduction);
  pairwiseInputs(op, x1, x2, target);
  sameShape(op, x1, target);
  plusMinusOne(op, target);
  const y = target.to(x1.dtype);
  return reduce(
    y
      .neg()
      .mul(x1.sub(x2))
      .add(options.margin ?? 0)
      .clamp(0, null),
    red,
  );
}
