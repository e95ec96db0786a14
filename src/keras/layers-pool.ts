/**
 * Keras' pooling layers: `MaxPooling2D`, `AveragePooling2D` (wrapping `nn.MaxPool2d` /
 * `nn.AvgPool2d`, channels-last by default, `'valid'` or `'same'` padding) and
 * `GlobalAveragePooling2D`.
 * @module
 */
import { bool, checkArity, nullable } from '../autograd/args.js';
import { ShapeError, fmtShape } from '../autograd/errors.js';
import { ones } from '../autograd/ops/creation.js';
import type { Tensor } from '../autograd/tensor.js';
import { AvgPool2d, MaxPool2d } from '../nn/layers/pool.js';
import { Layer, parseLayerOptions, type LayerOptions } from './layer-base.js';
import {
  dataFormatCheck,
  fromNCHW,
  imageDims,
  imageShape,
  outSize,
  pair,
  pairCheck,
  padSame,
  paddingCheck,
  positionalAndOptions,
  toNCHW,
  type DataFormat,
  type KerasPadding,
} from './spatial.js';

/** Options of {@link MaxPooling2D} and {@link AveragePooling2D}. */
export interface Pooling2DOptions extends LayerOptions {
  /** Window size (default 2): `2` or `[2, 3]`. */
  poolSize?: number | readonly [number, number];
  /** Step between windows (default: `poolSize`, as Keras). */
  strides?: number | readonly [number, number] | null;
  /** `'valid'` (default) or `'same'` (output size = ceil(input / stride); padded positions are ignored, as in Keras). */
  padding?: KerasPadding;
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat;
}

const POOL_SPEC = { poolSize: pairCheck, strides: nullable(pairCheck), padding: paddingCheck, dataFormat: dataFormatCheck };

/**
 * The shared part of {@link MaxPooling2D} and {@link AveragePooling2D}: options, output sizes and
 * the transposes around the NCHW pooling.
 * @example
 * ```ts
 * const layer: keras.Pooling2D = new keras.MaxPooling2D(2);
 * ```
 */
export abstract class Pooling2D extends Layer {
  /** Window [height, width]. */
  readonly poolSize: [number, number];
  /** Strides [height, width]. */
  readonly strides: [number, number];
  /** `'valid'` or `'same'`. */
  readonly padding: KerasPadding;
  /** Where the channels are. */
  readonly dataFormat: DataFormat;

  /** Reads the options (for the subclasses). */
  protected constructor(op: string, args: readonly unknown[]) {
    const forms = `new ${op}(poolSize, { strides, padding, dataFormat }) or new ${op}({ poolSize, strides, padding, dataFormat })`;
    const o = parseLayerOptions(op, positionalAndOptions(op, args, ['poolSize'], forms), POOL_SPEC, forms);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.poolSize = pair(o.poolSize ?? 2);
    this.strides = o.strides == null ? this.poolSize : pair(o.strides);
    this.padding = o.padding ?? 'valid';
    this.dataFormat = o.dataFormat ?? 'channels_last';
  }

  /** Checks that images of `inputShape` fit the window. */
  override build(inputShape: readonly number[]): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  /** Pools NCHW data (padded for `'same'` by the subclass). @internal */
  protected abstract pool(x: Tensor): Tensor;

  /** Pools `x` in the layer's data format. */
  forward(x: Tensor): Tensor {
    if (x.ndim !== 4)
      throw new ShapeError(
        `${this.moduleName()} '${this.name}': expected 4-d image batches (dataFormat '${this.dataFormat}'), got ${fmtShape(x.shape)}`,
      );
    return fromNCHW(this.pool(toNCHW(x, this.dataFormat)), this.dataFormat);
  }

  /** Keras' output size (as Conv2D: ceil(in / stride) for `'same'`). */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    const op = `${this.moduleName()} '${this.name}'`;
    const { h, w, c } = imageDims(op, inputShape, this.dataFormat);
    return imageShape(
      outSize(op, h, this.poolSize[0], this.strides[0], 1, this.padding),
      outSize(op, w, this.poolSize[1], this.strides[1], 1, this.padding),
      c,
      this.dataFormat,
    );
  }

  /** Shows the window, strides and padding. */
  override extraRepr(): string {
    return `poolSize=[${this.poolSize.join(', ')}], strides=[${this.strides.join(', ')}], padding='${this.padding}', dataFormat='${this.dataFormat}'`;
  }

  /** Window, strides, padding and data format. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
    };
  }
}

/**
 * Max pooling over 2-d windows (Keras: `pool_size` 2 and strides equal to it by default). `'same'`
 * pads with −∞, so padded positions never win.
 * @example
 * ```ts
 * new keras.MaxPooling2D().call(zeros([1, 28, 28, 8])).shape; // [1, 14, 14, 8]
 * ```
 */
export class MaxPooling2D extends Pooling2D {
  /** The class name in saved configs and summaries. */
  static override className = 'MaxPooling2D';
  /** The wrapped `nn.MaxPool2d`. */
  readonly maxPool: MaxPool2d;

  /** `new MaxPooling2D(poolSize?, options?)` or `new MaxPooling2D({ poolSize, strides, padding, dataFormat })`. */
  constructor(poolSize?: number | readonly [number, number], options?: Omit<Pooling2DOptions, 'poolSize'>);
  constructor(options?: Pooling2DOptions);
  constructor(...args: unknown[]) {
    super('MaxPooling2D', args);
    this.maxPool = new MaxPool2d(this.poolSize, { stride: this.strides });
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** @internal */
  protected pool(x: Tensor): Tensor {
    return this.maxPool.call(this.padding === 'same' ? padSame(x, this.poolSize, this.strides, [1, 1], -Infinity) : x);
  }
}

/**
 * Average pooling over 2-d windows. With `'same'`, padded positions are left out of each average
 * (Keras' rule; PyTorch's `countIncludePad` default would count them).
 * @example
 * ```ts
 * new keras.AveragePooling2D(2).call(ones([1, 4, 4, 3])).shape; // [1, 2, 2, 3]
 * ```
 */
export class AveragePooling2D extends Pooling2D {
  /** The class name in saved configs and summaries. */
  static override className = 'AveragePooling2D';
  /** The wrapped `nn.AvgPool2d`. */
  readonly avgPool: AvgPool2d;

  /** `new AveragePooling2D(poolSize?, options?)` or `new AveragePooling2D({ poolSize, strides, padding, dataFormat })`. */
  constructor(poolSize?: number | readonly [number, number], options?: Omit<Pooling2DOptions, 'poolSize'>);
  constructor(options?: Pooling2DOptions);
  constructor(...args: unknown[]) {
    super('AveragePooling2D', args);
    this.avgPool = new AvgPool2d(this.poolSize, { stride: this.strides });
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** @internal */
  protected pool(x: Tensor): Tensor {
    if (this.padding === 'valid') return this.avgPool.call(x);
    const padded = padSame(x, this.poolSize, this.strides, [1, 1], 0);
    const inside = padSame(ones([1, 1, x.shape[2]!, x.shape[3]!], { dtype: x.dtype as 'float32' }), this.poolSize, this.strides, [1, 1], 0);
    return this.avgPool.call(padded).div(this.avgPool.call(inside));
  }
}

/** Options of {@link GlobalAveragePooling2D}. */
export interface GlobalPoolingOptions extends LayerOptions {
  /** `'channels_last'` (default) or `'channels_first'`. */
  dataFormat?: DataFormat;
  /** Keep the spatial dims as size 1 (default false: the output is `[batch, channels]`). */
  keepdims?: boolean;
}

/**
 * The mean of each channel over the height and width: `[batch, h, w, c]` → `[batch, c]`.
 * @example
 * ```ts
 * new keras.GlobalAveragePooling2D().call(ones([2, 7, 7, 16])).shape; // [2, 16]
 * ```
 */
export class GlobalAveragePooling2D extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'GlobalAveragePooling2D';
  /** Where the channels are. */
  readonly dataFormat: DataFormat;
  /** Whether the spatial dims are kept (as size 1). */
  readonly keepdims: boolean;

  /** `new GlobalAveragePooling2D({ dataFormat, keepdims })`. */
  constructor(options: GlobalPoolingOptions = {}) {
    const forms = 'new GlobalAveragePooling2D({ dataFormat, keepdims })';
    checkArity('GlobalAveragePooling2D', arguments, 1, forms);
    const o = parseLayerOptions('GlobalAveragePooling2D', options, { dataFormat: dataFormatCheck, keepdims: bool }, forms);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.dataFormat = o.dataFormat ?? 'channels_last';
    this.keepdims = o.keepdims ?? false;
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Averages over the spatial dims. */
  forward(x: Tensor): Tensor {
    if (x.ndim !== 4)
      throw new ShapeError(
        `GlobalAveragePooling2D '${this.name}': expected 4-d image batches (dataFormat '${this.dataFormat}'), got ${fmtShape(x.shape)}`,
      );
    return x.mean(this.dataFormat === 'channels_last' ? [1, 2] : [2, 3], { keepdim: this.keepdims });
  }

  /** `[channels]`, or `[1, 1, channels]` with `keepdims`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    const { c } = imageDims(`GlobalAveragePooling2D '${this.name}'`, inputShape, this.dataFormat);
    return this.keepdims ? imageShape(1, 1, c, this.dataFormat) : [c];
  }

  /** Data format and keepdims. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}
