/**
 * Keras' normalisation layers: `BatchNormalization` (wrapping `nn.BatchNorm1d`) and
 * `LayerNormalization` (wrapping `nn.LayerNorm`), with Keras' defaults: the channel axis is the
 * last one, epsilon 1e-3, and Keras' momentum 0.99 (PyTorch's momentum 0.01).
 * @module
 */
import { arrayOf, bool, either, num, type Check } from '../autograd/args.js';
import { NotImplementedError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { BatchNorm1d, LayerNorm } from '../nn/layers/norm.js';
import { initialize, initializerName, type InitializerIdentifier, type InitializerName } from './initializers.js';
import { Layer, parseLayerOptions, type LayerOptions } from './layer-base.js';
import { initializerCheck } from './layers-core.js';
import { directSlot, type WeightSlot } from './weights.js';

const axisCheck: Check<number> = num({ integer: true });

/** Resolves a Keras axis of a batch of `rank` dims (the batch dim, 0, cannot be normalised over). */
function resolveAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 1 || a >= rank)
    throw new ValueError(`${op}: axis ${axis} is out of range for inputs of rank ${rank} (the batch dim 0 cannot be the axis)`);
  return a;
}

/** The permutation moving dim `a` of a rank-`rank` tensor last (null when it is last already). */
function lastPermutation(a: number, rank: number): number[] | null {
  if (a === rank - 1) return null;
  return [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== a), a];
}

function inverse(p: readonly number[]): number[] {
  return p.map((_, i) => p.indexOf(i));
}

/** Options of {@link BatchNormalization}. */
export interface BatchNormalizationOptions extends LayerOptions {
  /** The channel axis (default -1, the last; 1 for channels-first images). */
  axis?: number;
  /** Keras' momentum of the moving statistics (default 0.99): moving = momentum·moving + (1 − momentum)·batch. */
  momentum?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  /** Learn the shift β (default true; `center` and `scale` must agree). */
  center?: boolean;
  /** Learn the scale γ (default true). */
  scale?: boolean;
  /** Initializer of β (default `zeros`). */
  betaInitializer?: InitializerIdentifier;
  /** Initializer of γ (default `ones`). */
  gammaInitializer?: InitializerIdentifier;
  /** Initializer of the moving mean (default `zeros`). */
  movingMeanInitializer?: InitializerIdentifier;
  /** Initializer of the moving variance (default `ones`). */
  movingVarianceInitializer?: InitializerIdentifier;
}

const BN_SPEC = {
  axis: axisCheck,
  momentum: num({ min: 0, max: 1 }),
  epsilon: num({ min: 0, minExclusive: true }),
  center: bool,
  scale: bool,
  betaInitializer: initializerCheck,
  gammaInitializer: initializerCheck,
  movingMeanInitializer: initializerCheck,
  movingVarianceInitializer: initializerCheck,
};

/**
 * Batch normalisation over the channel `axis` (the last by default, as Keras): batch statistics in
 * training, the moving statistics in `evaluate`/`predict`. Keras' `momentum` 0.99 is PyTorch's
 * momentum 0.01; epsilon is 1e-3. The moving variance is PyTorch's (unbiased) batch variance.
 * With `trainable: false` it runs in inference mode even in training, as in Keras. Weights (Keras order): `gamma`, `beta`, `moving_mean`, `moving_variance`.
 * @example
 * ```ts
 * const bn = new keras.BatchNormalization({ inputShape: [28, 28, 8] });
 * bn.call(randn([4, 28, 28, 8])).shape; // [4, 28, 28, 8]
 * ```
 */
export class BatchNormalization extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'BatchNormalization';
  /** The channel axis as given. */
  readonly axis: number;
  /** Keras' momentum. */
  readonly momentum: number;
  /** Added to the variance. */
  readonly epsilon: number;
  /** Whether β and γ are learnt. */
  readonly center: boolean;
  /** Whether γ is learnt (always equal to `center`). */
  readonly scale: boolean;
  /** The wrapped `nn.BatchNorm1d` over `[samples, channels]` (null until built). */
  bn: BatchNorm1d | null = null;
  /** @internal */ declare readonly _inits: [InitializerName, InitializerName, InitializerName, InitializerName];

  /** `new BatchNormalization({ axis, momentum, epsilon, center, scale, ... })` (snake_case keys too). */
  constructor(options: BatchNormalizationOptions = {}) {
    const op = 'BatchNormalization';
    const o = parseLayerOptions(op, options, BN_SPEC, 'new BatchNormalization({ axis, momentum, epsilon, center, scale })');
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.axis = o.axis ?? -1;
    this.momentum = o.momentum ?? 0.99;
    this.epsilon = o.epsilon ?? 1e-3;
    this.center = o.center ?? true;
    this.scale = o.scale ?? true;
    if (this.center !== this.scale)
      throw new NotImplementedError(`${op}: center and scale must be both true or both false (nn.BatchNorm1d learns β and γ together)`);
    const inits = [
      o.gammaInitializer ?? 'ones',
      o.betaInitializer ?? 'zeros',
      o.movingMeanInitializer ?? 'zeros',
      o.movingVarianceInitializer ?? 'ones',
    ].map((n) => initializerName(n));
    Object.defineProperty(this, '_inits', { value: inits, enumerable: false });
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Creates the wrapped layer for the channel count along `axis`. */
  override build(inputShape: readonly number[]): void {
    const a = resolveAxis(`BatchNormalization '${this.name}'`, this.axis, inputShape.length + 1);
    const channels = inputShape[a - 1]!;
    this.bn = new BatchNorm1d(channels, { eps: this.epsilon, momentum: 1 - this.momentum, affine: this.center });
    noGrad(() => {
      const [g, b, m, v] = this._inits;
      if (this.bn!.weight !== null) initialize(this.bn!.weight, g);
      if (this.bn!.bias !== null) initialize(this.bn!.bias, b);
      initialize(this.bn!.runningMean!, m);
      initialize(this.bn!.runningVar!, v);
    });
    super.build(inputShape);
  }

  /** Normalises over every dim but `axis`. */
  forward(x: Tensor): Tensor {
    if (!this.built) this.build(x.shape.slice(1));
    const op = `BatchNormalization '${this.name}'`;
    const a = resolveAxis(op, this.axis, x.ndim);
    const channels = this.bn!.numFeatures;
    if (x.shape[a] !== channels)
      throw new ShapeError(`${op}: expected ${channels} channels along axis ${this.axis}, got input of shape ${fmtShape(x.shape)}`);
    const perm = lastPermutation(a, x.ndim);
    const moved = perm === null ? x : x.permute(perm);
    const bn = this.bn!;
    // Keras: a frozen BatchNormalization runs in inference mode (moving statistics, no updates).
    const training = bn.training;
    if (!this.trainable) bn.training = false;
    try {
      const y = bn.call(moved.reshape([-1, channels])).reshape(moved.shape.slice());
      return perm === null ? y : y.permute(inverse(perm));
    } finally {
      bn.training = training;
    }
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return inputShape.slice();
  }

  /** `[gamma, beta, moving_mean, moving_variance]` (without gamma and beta when `center`/`scale` are false). @internal */
  kerasWeights(): WeightSlot[] {
    const bn = this.bn;
    if (bn === null) return [];
    const slots: WeightSlot[] = [];
    if (bn.weight !== null) slots.push(directSlot('gamma', bn.weight));
    if (bn.bias !== null) slots.push(directSlot('beta', bn.bias));
    slots.push(directSlot('moving_mean', bn.runningMean!), directSlot('moving_variance', bn.runningVar!));
    return slots;
  }

  /** Shows axis, momentum and epsilon. */
  override extraRepr(): string {
    return `axis=${this.axis}, momentum=${this.momentum}, epsilon=${this.epsilon}`;
  }

  /** Every option. */
  override getConfig(): Record<string, unknown> {
    const [g, b, m, v] = this._inits;
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      gammaInitializer: g,
      betaInitializer: b,
      movingMeanInitializer: m,
      movingVarianceInitializer: v,
    };
  }
}

/** Options of {@link LayerNormalization}. */
export interface LayerNormalizationOptions extends LayerOptions {
  /** The axis, or trailing axes, to normalise over (default -1). */
  axis?: number | readonly number[];
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  /** Learn the shift β (default true). */
  center?: boolean;
  /** Learn the scale γ (default true). */
  scale?: boolean;
  /** Initializer of β (default `zeros`). */
  betaInitializer?: InitializerIdentifier;
  /** Initializer of γ (default `ones`). */
  gammaInitializer?: InitializerIdentifier;
}

const LN_SPEC = {
  axis: either(axisCheck, arrayOf(axisCheck), 'an axis or an array of axes'),
  epsilon: num({ min: 0, minExclusive: true }),
  center: bool,
  scale: bool,
  betaInitializer: initializerCheck,
  gammaInitializer: initializerCheck,
};

/**
 * Layer normalisation of each sample over `axis` (the last by default) with Keras' epsilon 1e-3.
 * Several axes must be the trailing ones. Weights (Keras order): `gamma`, `beta`.
 * @example
 * ```ts
 * new keras.LayerNormalization({ inputShape: [10, 64] }).call(randn([8, 10, 64])).shape; // [8, 10, 64]
 * ```
 */
export class LayerNormalization extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'LayerNormalization';
  /** The axis or axes as given. */
  readonly axis: number | number[];
  /** Added to the variance. */
  readonly epsilon: number;
  /** Whether β is learnt. */
  readonly center: boolean;
  /** Whether γ is learnt. */
  readonly scale: boolean;
  /** The wrapped `nn.LayerNorm` (null until built). */
  norm: LayerNorm | null = null;
  /** @internal */ declare readonly _inits: [InitializerName, InitializerName];

  /** `new LayerNormalization({ axis, epsilon, center, scale, ... })` (snake_case keys too). */
  constructor(options: LayerNormalizationOptions = {}) {
    const op = 'LayerNormalization';
    const o = parseLayerOptions(op, options, LN_SPEC, 'new LayerNormalization({ axis, epsilon, center, scale })');
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.axis = o.axis ?? -1;
    this.epsilon = o.epsilon ?? 1e-3;
    this.center = o.center ?? true;
    this.scale = o.scale ?? true;
    if (this.center && !this.scale)
      throw new NotImplementedError(`${op}: center without scale is not supported (nn.LayerNorm has no shift without a scale)`);
    Object.defineProperty(this, '_inits', {
      value: [initializerName(o.gammaInitializer ?? 'ones'), initializerName(o.betaInitializer ?? 'zeros')],
      enumerable: false,
    });
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** The normalised dims of a batch of rank `rank`, checked to be trailing. */
  private dims(rank: number): number[] {
    const op = `LayerNormalization '${this.name}'`;
    const axes = (typeof this.axis === 'number' ? [this.axis] : this.axis).map((a) => resolveAxis(op, a, rank)).sort((a, b) => a - b);
    if (new Set(axes).size !== axes.length || axes.some((a, i) => a !== rank - axes.length + i)) {
      throw new NotImplementedError(
        `${op}: axis ${JSON.stringify(this.axis)} must name the trailing dims of inputs of rank ${rank} (other axes are not supported)`,
      );
    }
    return axes;
  }

  /** Creates the wrapped `nn.LayerNorm` over the normalised dims. */
  override build(inputShape: readonly number[]): void {
    const shape = this.dims(inputShape.length + 1).map((a) => inputShape[a - 1]!);
    this.norm = new LayerNorm(shape, { eps: this.epsilon, elementwiseAffine: this.scale, bias: this.center });
    noGrad(() => {
      if (this.norm!.weight !== null) initialize(this.norm!.weight, this._inits[0]);
      if (this.norm!.bias !== null) initialize(this.norm!.bias, this._inits[1]);
    });
    super.build(inputShape);
  }

  /** Normalises each sample over the trailing dims. */
  forward(x: Tensor): Tensor {
    if (!this.built) this.build(x.shape.slice(1));
    const want = this.norm!.normalizedShape;
    const got = x.shape.slice(x.ndim - want.length);
    if (x.ndim <= want.length || got.some((d, i) => d !== want[i])) {
      throw new ShapeError(`LayerNormalization '${this.name}': expected inputs ending in [${want.join(', ')}], got ${fmtShape(x.shape)}`);
    }
    return this.norm!.call(x);
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return inputShape.slice();
  }

  /** `[gamma, beta]` (each only when learnt). @internal */
  kerasWeights(): WeightSlot[] {
    const n = this.norm;
    if (n === null) return [];
    const slots: WeightSlot[] = [];
    if (n.weight !== null) slots.push(directSlot('gamma', n.weight));
    if (n.bias !== null) slots.push(directSlot('beta', n.bias));
    return slots;
  }

  /** Every option. */
  override getConfig(): Record<string, unknown> {
    const axis = typeof this.axis === 'number' ? this.axis : this.axis.slice();
    return {
      ...super.getConfig(),
      axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      gammaInitializer: this._inits[0],
      betaInitializer: this._inits[1],
    };
  }
}
