/**
 * Pooling layers: `MaxPool2d`, `AvgPool2d` and `AdaptiveAvgPool2d` (no parameters).
 * @module
 */
import type { Tensor } from '../../autograd/tensor.js';
import { pairOf, type Size2 } from '../functional/conv.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions } from '../functional/pool.js';
import { Module } from '../module.js';

const fmt = (p: [number, number]): string => `[${p.join(', ')}]`;

/**
 * 2-d max pooling over [N, C, H, W] (or [C, H, W]); the stride defaults to the kernel size.
 * @example
 * ```ts
 * new nn.MaxPool2d(2).call(randn([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 * ```
 */
export class MaxPool2d extends Module<[Tensor], Tensor> {
  /** Window [height, width]. */
  readonly kernelSize: [number, number];
  /** Stride [height, width]. */
  readonly stride: [number, number];
  /** Padding [height, width] (-∞). */
  readonly padding: [number, number];
  /** Dilation [height, width]. */
  readonly dilation: [number, number];
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;

  /** Creates the layer. */
  constructor(kernelSize: Size2, options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = pairOf('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.stride = options.stride == null ? this.kernelSize : pairOf('MaxPool2d', 'stride', options.stride, 1);
    this.padding = pairOf('MaxPool2d', 'padding', options.padding ?? 0, 0);
    this.dilation = pairOf('MaxPool2d', 'dilation', options.dilation ?? 1, 1);
    this.ceilMode = options.ceilMode ?? false;
  }

  /** Pools `x`. */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  override extraRepr(): string {
    return `kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}, dilation=${fmt(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 2-d average pooling over [N, C, H, W] (or [C, H, W]) with PyTorch's divisor rules.
 * @example
 * ```ts
 * new nn.AvgPool2d(2).call(randn([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 * ```
 */
export class AvgPool2d extends Module<[Tensor], Tensor> {
  /** Window [height, width]. */
  readonly kernelSize: [number, number];
  /** Stride [height, width]. */
  readonly stride: [number, number];
  /** Zero padding [height, width]. */
  readonly padding: [number, number];
  /** Ceil instead of floor for the output size. */
  readonly ceilMode: boolean;
  /** Count the padding in the divisor. */
  readonly countIncludePad: boolean;
  /** Fixed divisor, or null. */
  readonly divisorOverride: number | null;

  /** Creates the layer. */
  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) {
    super();
    this.kernelSize = pairOf('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.stride = options.stride == null ? this.kernelSize : pairOf('AvgPool2d', 'stride', options.stride, 1);
    this.padding = pairOf('AvgPool2d', 'padding', options.padding ?? 0, 0);
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
  }

  /** Pools `x`. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}, ceilMode=${this.ceilMode}, countIncludePad=${this.countIncludePad}`;
  }
}

/**
 * 2-d adaptive average pooling to a fixed output size (null keeps that input size).
 * @example
 * ```ts
 * new nn.AdaptiveAvgPool2d(1).call(randn([2, 16, 7, 7])).shape; // [2, 16, 1, 1]
 * ```
 */
export class AdaptiveAvgPool2d extends Module<[Tensor], Tensor> {
  /** Output [height, width]. */
  readonly outputSize: number | readonly [number | null, number | null];

  /** Creates the layer. */
  constructor(outputSize: number | readonly [number | null, number | null]) {
    super();
    const probe = typeof outputSize === 'number' ? outputSize : [outputSize[0] ?? 1, outputSize[1] ?? 1] as const;
    pairOf('AdaptiveAvgPool2d', 'outputSize', probe, 1);
    this.outputSize = outputSize;
  }

  /** Pools `x`. */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    const o = this.outputSize;
    return `outputSize=${typeof o === 'number' ? o : `[${o.map((v) => (v === null ? 'null' : v)).join(', ')}]`}`;
  }
}
