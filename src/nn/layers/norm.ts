/**
 * Normalisation layers: `BatchNorm1d`, `BatchNorm2d` (running statistics as buffers, train/eval),
 * `LayerNorm`, `GroupNorm` and `RMSNorm`, with PyTorch's defaults.
 * @module
 */
import type { FloatDType } from '../../autograd/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import type { Tensor } from '../../autograd/tensor.js';
import { ones, zeros } from '../../autograd/ops/creation.js';
import { batchNorm, groupNorm, layerNorm, rmsNorm } from '../functional/norm.js';
import { Module, snakeCaseKey } from '../module.js';
import { Parameter } from '../parameter.js';
import { paramDType } from './linear.js';
import { bool, nullable } from '../../autograd/args.js';
import { parseArgs, signature } from '../args/parse.js';
import { device, finiteOrNull, paramDType as dtypeCheck, positiveInt, shape } from '../args/checks.js';
import { BN_MOMENTUM, NORM_EPS } from '../functional/norm.js';

/** `nn.BatchNorm1d/2d(num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. @internal */
const BATCH_NORM_LAYER = signature({
  op: 'BatchNorm',
  positional: ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats'],
  required: 1,
  spec: {
    numFeatures: positiveInt,
    eps: NORM_EPS,
    momentum: nullable(BN_MOMENTUM),
    affine: bool,
    trackRunningStats: bool,
    dtype: dtypeCheck,
    device,
  },
  forms:
    'new nn.BatchNorm2d(numFeatures, eps?, momentum?, affine?, trackRunningStats?) or new nn.BatchNorm2d(numFeatures, { eps, momentum, affine, trackRunningStats, dtype, device })',
});

/** `nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True)`. @internal */
const LAYER_NORM_LAYER = signature({
  op: 'LayerNorm',
  positional: ['normalizedShape', 'eps', 'elementwiseAffine', 'bias'],
  required: 1,
  spec: { normalizedShape: shape, eps: NORM_EPS, elementwiseAffine: bool, bias: bool, dtype: dtypeCheck, device },
  forms:
    'new nn.LayerNorm(normalizedShape, eps?, elementwiseAffine?, bias?) or new nn.LayerNorm(normalizedShape, { eps, elementwiseAffine, bias, dtype, device })',
});

/** `nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)`. @internal */
const GROUP_NORM_LAYER = signature({
  op: 'GroupNorm',
  positional: ['numGroups', 'numChannels', 'eps', 'affine'],
  required: 2,
  spec: { numGroups: positiveInt, numChannels: positiveInt, eps: NORM_EPS, affine: bool, dtype: dtypeCheck, device },
  forms:
    'new nn.GroupNorm(numGroups, numChannels, eps?, affine?) or new nn.GroupNorm(numGroups, numChannels, { eps, affine, dtype, device })',
});

/** `nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True)`. @internal */
const RMS_NORM_LAYER = signature({
  op: 'RMSNorm',
  positional: ['normalizedShape', 'eps', 'elementwiseAffine'],
  required: 1,
  spec: { normalizedShape: shape, eps: finiteOrNull, elementwiseAffine: bool, dtype: dtypeCheck, device },
  forms:
    'new nn.RMSNorm(normalizedShape, eps?, elementwiseAffine?) or new nn.RMSNorm(normalizedShape, { eps, elementwiseAffine, dtype, device })',
});

/** Options of the batch-norm layers. */
export interface BatchNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learnable per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); otherwise batch statistics are always used. */
  trackRunningStats?: boolean;
  /** dtype of the parameters and buffers (default float32). */
  dtype?: FloatDType;
  /** PyTorch's device: only `'cpu'` (others throw NotImplementedError). */
  device?: 'cpu' | null;
}

function positive(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * The shared implementation of {@link BatchNorm1d} and {@link BatchNorm2d}: parameters, running
 * statistics buffers and the train/eval forward.
 * @example
 * ```ts
 * const bn: nn.BatchNormBase = new nn.BatchNorm2d(8);
 * bn.resetRunningStats();
 * ```
 */
export abstract class BatchNormBase extends Module<[Tensor], Tensor> {
  /** Number of channels C. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Running-average weight, or null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** Per-channel scale γ (ones at start), or null without `affine`. */
  weight: Parameter | null;
  /** Per-channel shift β (zeros at start), or null without `affine`. */
  bias: Parameter | null;
  /** Running mean per channel (buffer), or null without `trackRunningStats`. */
  declare runningMean: Tensor | null;
  /** Running unbiased variance per channel (buffer), or null without `trackRunningStats`. */
  declare runningVar: Tensor | null;
  /** Number of training batches seen (int32 buffer), or null without `trackRunningStats`. */
  declare numBatchesTracked: Tensor | null;

  /** Creates the layer: γ = 1, β = 0, running mean 0 and variance 1. */
  constructor(numFeatures: number, options?: BatchNormLayerOptions);
  /** PyTorch's positional form: `new nn.BatchNorm2d(8, 1e-3, 0.01)`. */
  constructor(
    numFeatures: number,
    eps?: number,
    momentum?: number | null,
    affine?: boolean,
    trackRunningStats?: boolean,
    options?: BatchNormLayerOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const op = this.moduleName();
    const options = parseArgs({ ...BATCH_NORM_LAYER, op, forms: BATCH_NORM_LAYER.forms.replaceAll('BatchNorm2d', op) }, args);
    const numFeatures = options.numFeatures!;
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = paramDType(op, options.dtype);
    const affine = options.affine ?? true;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** The input ranks the layer accepts. @internal */
  protected abstract readonly ranks: readonly number[];

  /** Resets the running statistics to mean 0, variance 1 and 0 batches. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  /** Normalises with batch statistics in training mode (updating the running ones) and running statistics in eval mode. */
  forward(x: Tensor): Tensor {
    const op = this.moduleName();
    if (!this.ranks.includes(x.ndim)) {
      throw new ShapeError(`${op}: expected a ${this.ranks.map((r) => `${r}-d`).join(' or ')} input, got shape ${fmtShape(x.shape)}`);
    }
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        `${op}(${this.numFeatures}): expected ${this.numFeatures} channels at dim 1, got input of shape ${fmtShape(x.shape)}`,
      );
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked !== null) {
      noGrad(() => this.numBatchesTracked!.add_(1));
      if (this.momentum === null) factor = 1 / this.numBatchesTracked.item();
    }
    const useBatch = this.training || (this.runningMean === null && this.runningVar === null);
    const keep = !this.training || this.trackRunningStats;
    return batchNorm(x, keep ? this.runningMean : null, keep ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatch,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** PyTorch's state-dict names: the fields in snake_case (`runningMean` → `running_mean`, `numBatchesTracked` → `num_batches_tracked`). */
  override stateKey(field: string): string {
    return snakeCaseKey(field);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalisation over [N, C] or [N, C, L]: per channel, over the batch (and length).
 * @example
 * ```ts
 * const bn = new nn.BatchNorm1d(16);
 * bn.call(randn([32, 16])); // training: batch statistics; bn.eval() switches to running ones
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  protected readonly ranks = [2, 3];
}

/**
 * Batch normalisation over [N, C, H, W]: per channel, over the batch and the positions.
 * @example
 * ```ts
 * const bn = new nn.BatchNorm2d(8);
 * bn.call(randn([4, 8, 5, 5])).shape; // [4, 8, 5, 5]
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  protected readonly ranks = [4];
}

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learnable elementwise scale and shift (default true). */
  elementwiseAffine?: boolean;
  /** Learnable shift (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** PyTorch's device: only `'cpu'` (others throw NotImplementedError). */
  device?: 'cpu' | null;
}

/** Options of {@link RMSNorm}. */
export interface RmsNormLayerOptions {
  /** Added to the mean square (default null: the machine epsilon of the input's dtype). */
  eps?: number | null;
  /** Learnable elementwise scale (default true). */
  elementwiseAffine?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** PyTorch's device: only `'cpu'` (others throw NotImplementedError). */
  device?: 'cpu' | null;
}

/** Options of {@link GroupNorm}. */
export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learnable per-channel scale and shift (default true). */
  affine?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** PyTorch's device: only `'cpu'` (others throw NotImplementedError). */
  device?: 'cpu' | null;
}

function shapeOf(op: string, s: number | readonly number[]): number[] {
  const shape = typeof s === 'number' ? [s] : s.slice();
  if (shape.length === 0) throw new ValueError(`${op}: normalizedShape must not be empty`);
  shape.forEach((v) => positive(op, 'normalizedShape', v));
  return shape;
}

/**
 * Layer normalisation over the last dims `normalizedShape`, with elementwise γ (ones) and β (zeros).
 * @example
 * ```ts
 * new nn.LayerNorm(64).call(randn([8, 10, 64])).shape; // [8, 10, 64]
 * ```
 */
export class LayerNorm extends Module<[Tensor], Tensor> {
  /** The normalised trailing shape. */
  readonly normalizedShape: number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Scale γ of `normalizedShape`, or null. */
  weight: Parameter | null;
  /** Shift β of `normalizedShape`, or null. */
  bias: Parameter | null;

  /** Creates the layer. */
  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions);
  /** PyTorch's positional form: `new nn.LayerNorm(64, 1e-6, false)` has no affine parameters. */
  constructor(
    normalizedShape: number | readonly number[],
    eps?: number,
    elementwiseAffine?: boolean,
    bias?: boolean,
    options?: LayerNormOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const options = parseArgs(LAYER_NORM_LAYER, args);
    this.normalizedShape = shapeOf('LayerNorm', options.normalizedShape!);
    this.eps = options.eps ?? 1e-5;
    const dtype = paramDType('LayerNorm', options.dtype);
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = affine && options.bias !== false ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  /** Normalises `x` over its last dims. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

/**
 * Group normalisation: channels split into `numGroups` groups, each normalised per sample; per-channel γ and β.
 * @example
 * ```ts
 * new nn.GroupNorm(2, 6).call(randn([4, 6, 5, 5])).shape; // [4, 6, 5, 5]
 * ```
 */
export class GroupNorm extends Module<[Tensor], Tensor> {
  /** Number of groups. */
  readonly numGroups: number;
  /** Number of channels. */
  readonly numChannels: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Per-channel scale γ, or null. */
  weight: Parameter | null;
  /** Per-channel shift β, or null. */
  bias: Parameter | null;

  /** Creates the layer. */
  constructor(numGroups: number, numChannels: number, options?: GroupNormOptions);
  /** PyTorch's positional form: `new nn.GroupNorm(2, 6, 1e-3, false)`. */
  constructor(numGroups: number, numChannels: number, eps?: number, affine?: boolean, options?: GroupNormOptions);
  constructor(...args: unknown[]) {
    super();
    const options = parseArgs(GROUP_NORM_LAYER, args);
    const numGroups = options.numGroups!;
    const numChannels = options.numChannels!;
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    if (numChannels % numGroups !== 0)
      throw new ValueError(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    this.eps = options.eps ?? 1e-5;
    const dtype = paramDType('GroupNorm', options.dtype);
    const affine = options.affine ?? true;
    this.weight = affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  /** Normalises `x` [N, C, ...]. */
  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(
        `GroupNorm(${this.numGroups}, ${this.numChannels}): expected input [N, ${this.numChannels}, ...], got ${fmtShape(x.shape)}`,
      );
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight !== null}`;
  }
}

/**
 * RMS normalisation over the last dims: `x / √(mean(x²) + eps)·γ`; eps defaults to the machine
 * epsilon of the input's dtype, as PyTorch.
 * @example
 * ```ts
 * new nn.RMSNorm(64).call(randn([8, 64])).shape; // [8, 64]
 * ```
 */
export class RMSNorm extends Module<[Tensor], Tensor> {
  /** The normalised trailing shape. */
  readonly normalizedShape: number[];
  /** Added to the mean square, or null for the dtype's machine epsilon. */
  readonly eps: number | null;
  /** Scale γ of `normalizedShape`, or null. */
  weight: Parameter | null;

  /** Creates the layer. */
  constructor(normalizedShape: number | readonly number[], options?: RmsNormLayerOptions);
  /** PyTorch's positional form: `new nn.RMSNorm(64, 1e-6)`. */
  constructor(normalizedShape: number | readonly number[], eps?: number | null, elementwiseAffine?: boolean, options?: RmsNormLayerOptions);
  constructor(...args: unknown[]) {
    super();
    const options = parseArgs(RMS_NORM_LAYER, args);
    this.normalizedShape = shapeOf('RMSNorm', options.normalizedShape!);
    this.eps = options.eps ?? null;
    const dtype = paramDType('RMSNorm', options.dtype);
    this.weight = (options.elementwiseAffine ?? true) ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
  }

  /** Normalises `x` over its last dims. */
  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
