/**
 * Normalisation layers: batch, group and RMS normalisation as composites of reductions and
 * elementwise ops, layer normalisation as one fused primitive; all with PyTorch's statistics
 * (biased variance for normalising, unbiased for the running variance) and defaults.
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import type { Tensor } from '../../autograd/tensor.js';
import { add, mul, rsqrt, sub } from '../../autograd/ops/elementwise.js';
import { mean, variance } from '../../autograd/ops/reduce.js';
import { reshape } from '../../autograd/ops/shape.js';
import { layerNormPrim } from '../../autograd/ops/nn.js';
import { checkFloat } from './checks.js';
import { bool } from '../../autograd/args.js';
import { parseArgs, signature } from '../args/parse.js';
import { finite, finiteOrNull, nonNegative, positiveInt, shape, tensorOrNull } from '../args/checks.js';

/** The eps of every normalisation (a number >= 0), shared by the layers and the functions. @internal */
export const NORM_EPS = nonNegative;

/** Batch norm's momentum: a number, or null for a cumulative average (layers only). @internal */
export const BN_MOMENTUM = finite;

const BATCH_NORM = signature({
  op: 'nn.F.batchNorm',
  positional: ['runningMean', 'runningVar', 'weight', 'bias', 'training', 'momentum', 'eps'],
  spec: {
    runningMean: tensorOrNull,
    runningVar: tensorOrNull,
    weight: tensorOrNull,
    bias: tensorOrNull,
    training: bool,
    momentum: BN_MOMENTUM,
    eps: NORM_EPS,
  },
  forms:
    'nn.F.batchNorm(input, runningMean, runningVar, weight?, bias?, training?, momentum?, eps?) or nn.F.batchNorm(input, runningMean, runningVar, { weight, bias, training, momentum, eps })',
});

const LAYER_NORM = signature({
  op: 'nn.F.layerNorm',
  positional: ['normalizedShape', 'weight', 'bias', 'eps'],
  required: 1,
  spec: { normalizedShape: shape, weight: tensorOrNull, bias: tensorOrNull, eps: NORM_EPS },
  forms: 'nn.F.layerNorm(input, normalizedShape, weight?, bias?, eps?) or nn.F.layerNorm(input, normalizedShape, { weight, bias, eps })',
});

const GROUP_NORM = signature({
  op: 'nn.F.groupNorm',
  positional: ['numGroups', 'weight', 'bias', 'eps'],
  required: 1,
  spec: { numGroups: positiveInt, weight: tensorOrNull, bias: tensorOrNull, eps: NORM_EPS },
  forms: 'nn.F.groupNorm(input, numGroups, weight?, bias?, eps?) or nn.F.groupNorm(input, numGroups, { weight, bias, eps })',
});

const RMS_NORM = signature({
  op: 'nn.F.rmsNorm',
  positional: ['normalizedShape', 'weight', 'eps'],
  required: 1,
  spec: { normalizedShape: shape, weight: tensorOrNull, eps: finiteOrNull },
  forms: 'nn.F.rmsNorm(input, normalizedShape, weight?, eps?) or nn.F.rmsNorm(input, normalizedShape, { weight, eps })',
});

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Per-channel scale γ, shape [C] (default none). */
  weight?: Tensor | null;
  /** Per-channel shift β, shape [C] (default none). */
  bias?: Tensor | null;
  /** Normalise with the batch statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** Weight of the new batch in the running averages: `running = (1 − momentum)·running + momentum·batch` (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Options of {@link layerNorm} and {@link groupNorm}. */
export interface NormOptions {
  /** Elementwise scale γ (default none). */
  weight?: Tensor | null;
  /** Elementwise shift β (default none). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Options of {@link rmsNorm}. */
export interface RmsNormOptions {
  /** Elementwise scale γ of `normalizedShape` (default none). */
  weight?: Tensor | null;
  /** Added to the mean square; default (null): the machine epsilon of the input's dtype, as PyTorch. */
  eps?: number | null;
}

function checkParam(op: string, name: string, t: Tensor | null | undefined, shape: readonly number[], x: Tensor): void {
  if (t == null) return;
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new ShapeError(`${op}: ${name} must have shape ${fmtShape(shape)}, got ${fmtShape(t.shape)} (input ${fmtShape(x.shape)})`);
  }
  if (t.dtype !== x.dtype) throw new DTypeError(`${op}: ${name} dtype ${t.dtype} does not match the input dtype ${x.dtype}`);
}

function checkEps(op: string, eps: number): number {
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new ValueError(`${op}: eps must be a finite number >= 0, got ${eps}`);
  return eps;
}

/** `x·γ + β` with γ, β reshaped to `shape` when given. */
function affine(x: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, shape: readonly number[]): Tensor {
  let y = x;
  if (weight != null) y = mul(y, reshape(weight, shape));
  if (bias != null) y = add(y, reshape(bias, shape));
  return y;
}

/**
 * Batch normalisation over [N, C, ...]: per channel, over the batch and spatial dims. In training
 * mode it normalises with the batch mean and biased variance and, when running statistics are
 * given, updates them in place (under noGrad) with the batch mean and the UNBIASED variance, as
 * PyTorch; in evaluation mode it uses the running statistics.
 * @example
 * ```ts
 * const rm = zeros([3]), rv = ones([3]);
 * const y = batchNorm(randn([8, 3, 4, 4]), rm, rv, { training: true }); // rm, rv updated
 * ```
 */
export function batchNorm(input: Tensor, runningMean?: Tensor | null, runningVar?: Tensor | null, options?: BatchNormOptions): Tensor;
/** PyTorch's positional form `F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)`. */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null | undefined,
  runningVar: Tensor | null | undefined,
  weight?: Tensor | null,
  bias?: Tensor | null,
  training?: boolean,
  momentum?: number,
  eps?: number,
): Tensor;
export function batchNorm(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'batchNorm';
  const options = parseArgs(BATCH_NORM, args);
  const runningMean = options.runningMean ?? null;
  const runningVar = options.runningVar ?? null;
  checkFloat(op, input);
  if (input.ndim < 2) throw new ShapeError(`${op}: expected an input of at least 2 dims [N, C, ...], got ${fmtShape(input.shape)}`);
  const c = input.shape[1]!;
  const { weight, bias } = options;
  const training = options.training ?? false;
  const momentum = options.momentum ?? 0.1;
  const eps = checkEps(op, options.eps ?? 1e-5);
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
    ['runningMean', runningMean],
    ['runningVar', runningVar],
  ] as const)
    checkParam(op, name, t, [c], input);
  const shape = input.shape.map((s, i) => (i === 1 ? s : 1));
  const dims = input.shape.map((_, i) => i).filter((i) => i !== 1);
  let normed: Tensor;
  if (training) {
    const count = input.numel() / c;
    if (count <= 1)
      throw new ValueError(`${op}: expected more than 1 value per channel when training, got input of shape ${fmtShape(input.shape)}`);
    const m = mean(input, dims, { keepdim: true });
    const v = variance(input, dims, { keepdim: true, correction: 0 });
    normed = mul(sub(input, m), rsqrt(add(v, eps)));
    if (runningMean !== null || runningVar !== null) {
      noGrad(() => {
        if (runningMean !== null) runningMean.mul_(1 - momentum).add_(reshape(m.detach(), [c]), { alpha: momentum });
        if (runningVar !== null) runningVar.mul_(1 - momentum).add_(reshape(v.detach(), [c]), { alpha: (momentum * count) / (count - 1) });
      });
    }
  } else {
    if (runningMean === null || runningVar === null) {
      throw new ValueError(`${op}: running mean and variance are required in evaluation mode (training: false)`);
    }
    normed = mul(sub(input, reshape(runningMean, shape)), rsqrt(add(reshape(runningVar, shape), eps)));
  }
  return affine(normed, weight, bias, shape);
}

function trailing(op: string, x: Tensor, normalizedShape: number | readonly number[]): number[] {
  const ns = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
  const k = ns.length;
  if (k === 0 || ns.some((s) => !Number.isInteger(s) || s < 1))
    throw new ValueError(`${op}: normalizedShape must be a non-empty list of positive integers, got ${fmtShape(ns)}`);
  const tail = x.shape.slice(x.ndim - k);
  if (x.ndim < k || tail.some((s, i) => s !== ns[i])) {
    throw new ShapeError(`${op}: expected an input whose last dims are ${fmtShape(ns)} (normalizedShape), got ${fmtShape(x.shape)}`);
  }
  return ns;
}

/**
 * Layer normalisation over the last dims (`normalizedShape`): `(x − mean) / √(var + eps)·γ + β`
 * with the biased variance, as PyTorch. One fused primitive over the flattened trailing dims
 * (statistics in float64), forward and backward.
 * @example
 * ```ts
 * layerNorm(randn([2, 5, 16]), [16]).shape; // [2, 5, 16]
 * ```
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], options?: NormOptions): Tensor;
/** PyTorch's positional form `F.layer_norm(input, normalized_shape, weight, bias, eps)`. */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps?: number,
): Tensor;
export function layerNorm(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'layerNorm';
  const options = parseArgs(LAYER_NORM, args);
  checkFloat(op, input);
  const ns = trailing(op, input, options.normalizedShape!);
  checkParam(op, 'weight', options.weight, ns, input);
  checkParam(op, 'bias', options.bias, ns, input);
  const eps = checkEps(op, options.eps ?? 1e-5);
  const size = ns.reduce((p, s) => p * s, 1);
  return layerNormPrim(input, options.weight ?? null, options.bias ?? null, size, eps);
}

/**
 * Group normalisation of [N, C, ...]: the C channels are split into `numGroups` groups and each
 * (sample, group) is normalised over its channels and spatial positions; γ and β are per channel.
 * @example
 * ```ts
 * groupNorm(randn([2, 6, 4, 4]), 3).shape; // [2, 6, 4, 4]
 * ```
 */
export function groupNorm(input: Tensor, numGroups: number, options?: NormOptions): Tensor;
/** PyTorch's positional form `F.group_norm(input, num_groups, weight, bias, eps)`. */
export function groupNorm(input: Tensor, numGroups: number, weight?: Tensor | null, bias?: Tensor | null, eps?: number): Tensor;
export function groupNorm(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'groupNorm';
  const options = parseArgs(GROUP_NORM, args);
  const numGroups = options.numGroups!;
  checkFloat(op, input);
  if (input.ndim < 2) throw new ShapeError(`${op}: expected an input of at least 2 dims [N, C, ...], got ${fmtShape(input.shape)}`);
  const [n, c] = input.shape as [number, number];
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new ValueError(
      `${op}: numGroups ${numGroups} must be a positive integer dividing the ${c} channels (input ${fmtShape(input.shape)})`,
    );
  }
  checkParam(op, 'weight', options.weight, [c], input);
  checkParam(op, 'bias', options.bias, [c], input);
  const eps = checkEps(op, options.eps ?? 1e-5);
  const grouped = reshape(input, [n, numGroups, -1]);
  const m = mean(grouped, 2, { keepdim: true });
  const v = variance(grouped, 2, { keepdim: true, correction: 0 });
  const normed = reshape(mul(sub(grouped, m), rsqrt(add(v, eps))), input.shape);
  return affine(
    normed,
    options.weight,
    options.bias,
    input.shape.map((s, i) => (i === 1 ? s : 1)),
  );
}

/** Machine epsilon of a float dtype (PyTorch's `torch.finfo(dtype).eps`). @internal */
function finfoEps(dtype: Tensor['dtype']): number {
  return dtype === 'float64' ? 2.220446049250313e-16 : 1.1920928955078125e-7;
}

/**
 * Root-mean-square normalisation over the last dims: `x / √(mean(x²) + eps)·γ`. The default eps is
 * the machine epsilon of the input's dtype, as PyTorch's `eps=None`.
 * @example
 * ```ts
 * rmsNorm(randn([2, 8]), [8]).shape; // [2, 8]
 * ```
 */
export function rmsNorm(input: Tensor, normalizedShape: number | readonly number[], options?: RmsNormOptions): Tensor;
/** PyTorch's positional form `F.rms_norm(input, normalized_shape, weight, eps)`. */
export function rmsNorm(input: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, eps?: number | null): Tensor;
export function rmsNorm(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'rmsNorm';
  const options = parseArgs(RMS_NORM, args);
  checkFloat(op, input);
  const ns = trailing(op, input, options.normalizedShape!);
  checkParam(op, 'weight', options.weight, ns, input);
  const eps = checkEps(op, options.eps ?? finfoEps(input.dtype));
  const dims = ns.map((_, i) => input.ndim - ns.length + i);
  const normed = mul(input, rsqrt(add(mean(mul(input, input), dims, { keepdim: true }), eps)));
  return affine(normed, options.weight, null, ns);
}
