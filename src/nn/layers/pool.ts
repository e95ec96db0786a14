/**
 * Pooling layers: `MaxPool2d`, `AvgPool2d` and `AdaptiveAvgPool2d` (no parameters).
 * @module
 */
import type { Tensor } from '../../autograd/tensor.js';
import { ArgumentTypeError } from '../../autograd/errors.js';
import { pairOf, type Size2 } from '../functional/conv.js';
import {
  AVGPOOL2D_OPTIONS,
  MAXPOOL2D_OPTIONS,
  adaptiveAvgPool2d,
  adaptiveSize,
  avgPool2d,
  maxPool2d,
  type AvgPool2dOptions,
  type MaxPool2dOptions,
  type MaxPoolWithIndices,
} from '../functional/pool.js';
import { checkArity } from '../../autograd/args.js';
import { parseArgs, signature } from '../args/parse.js';
import { size2 } from '../args/checks.js';

/** `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)`. @internal */
const MAXPOOL2D_LAYER = signature({
  op: 'MaxPool2d',
  positional: ['kernelSize', 'stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'],
  required: 1,
  spec: { kernelSize: size2, ...MAXPOOL2D_OPTIONS },
  forms:
    'new nn.MaxPool2d(kernelSize, stride?, padding?, dilation?, returnIndices?, ceilMode?) or new nn.MaxPool2d(kernelSize, { stride, padding, dilation, returnIndices, ceilMode })',
});

/** `nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)`. @internal */
const AVGPOOL2D_LAYER = signature({
  op: 'AvgPool2d',
  positional: ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
  required: 1,
  spec: { kernelSize: size2, ...AVGPOOL2D_OPTIONS },
  forms:
    'new nn.AvgPool2d(kernelSize, stride?, padding?, ceilMode?, countIncludePad?, divisorOverride?) or new nn.AvgPool2d(kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride })',
});
import { Module } from '../module.js';

const fmt = (p: [number, number]): string => `[${p.join(', ')}]`;

/**
 * 2-d max pooling over [N, C, H, W] (or [C, H, W]); the stride defaults to the kernel size. With
 * `returnIndices` the forward returns `{ values, indices }` (type it as `MaxPool2d<MaxPoolWithIndices>`).
 * @example
 * ```ts
 * new nn.MaxPool2d(2).call(randn([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 * new nn.MaxPool2d(3, 2, 1); // kernel 3, stride 2, padding 1, as PyTorch's positional form
 * ```
 */
export class MaxPool2d<Out extends Tensor | MaxPoolWithIndices = Tensor> extends Module<[Tensor], Out> {
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
  /** Return `{ values, indices }` instead of the values. */
  readonly returnIndices: boolean;

  /** Creates the layer. */
  constructor(kernelSize: Size2, options?: MaxPool2dOptions);
  /** PyTorch's positional form (note: `returnIndices` before `ceilMode`, as in `nn.MaxPool2d`). */
  constructor(
    kernelSize: Size2,
    stride?: Size2 | null,
    padding?: Size2,
    dilation?: Size2,
    returnIndices?: boolean,
    ceilMode?: boolean,
    options?: MaxPool2dOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs(MAXPOOL2D_LAYER, args) as MaxPool2dOptions & { kernelSize: Size2 };
    this.kernelSize = pairOf('MaxPool2d', 'kernelSize', o.kernelSize, 1);
    this.stride = o.stride == null ? this.kernelSize : pairOf('MaxPool2d', 'stride', o.stride, 1);
    this.padding = pairOf('MaxPool2d', 'padding', o.padding ?? 0, 0);
    this.dilation = pairOf('MaxPool2d', 'dilation', o.dilation ?? 1, 1);
    this.ceilMode = o.ceilMode ?? false;
    this.returnIndices = o.returnIndices ?? false;
  }

  /** Pools `x`. */
  forward(x: Tensor): Out {
    return maxPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
      returnIndices: this.returnIndices,
    } as MaxPool2dOptions & { returnIndices?: false }) as Out;
  }

  override extraRepr(): string {
    return (
      `kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}, dilation=${fmt(this.dilation)}, ceilMode=${this.ceilMode}` +
      (this.returnIndices ? ', returnIndices=true' : '')
    );
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
  constructor(kernelSize: Size2, options?: AvgPool2dOptions);
  /** PyTorch's positional form. */
  constructor(
    kernelSize: Size2,
    stride?: Size2 | null,
    padding?: Size2,
    ceilMode?: boolean,
    countIncludePad?: boolean,
    divisorOverride?: number | null,
    options?: AvgPool2dOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const options = parseArgs(AVGPOOL2D_LAYER, args) as AvgPool2dOptions & { kernelSize: Size2 };
    this.kernelSize = pairOf('AvgPool2d', 'kernelSize', options.kernelSize, 1);
    this.stride = options.stride == null ? this.kernelSize : pairOf('AvgPool2d', 'stride', options.stride, 1);
    this.padding = pairOf('AvgPool2d', 'padding', options.padding ?? 0, 0);
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
  }

  /** Pools `x`. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
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
    checkArity('AdaptiveAvgPool2d', arguments, 1, 'new nn.AdaptiveAvgPool2d(outputSize)');
    if (outputSize === undefined)
      throw new ArgumentTypeError('AdaptiveAvgPool2d: missing argument outputSize; accepted forms: new nn.AdaptiveAvgPool2d(outputSize)');
    this.outputSize = adaptiveSize('AdaptiveAvgPool2d', 'outputSize', outputSize);
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
