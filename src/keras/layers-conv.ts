/**
 * `Conv2D`: Keras' 2-d convolution over channels-last images (or channels-first with
 * `dataFormat`), wrapping `nn.Conv2d` with Keras' names, defaults and `'same'` padding.
 * @module
 */
import { bool, num } from '../autograd/args.js';
import { ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../autograd/ops/creation.js';
import type { Tensor } from '../autograd/tensor.js';
import { Conv2d } from '../nn/layers/conv.js';
import { getActivation, type ActivationSpec } from './activations.js';
import { initialize, initializerName, type InitializerIdentifier, type InitializerName } from './initializers.js';
import { Layer, parseLayerOptions, type LayerOptions } from './layer-base.js';
import { activationCheck, activationLabel, initializerCheck } from './layers-core.js';
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
import { directSlot, permutedSlot, type WeightSlot } from './weights.js';

/** Options of {@link Conv2D}. */
export interface Conv2DOptions extends LayerOptions {
  /** Number of output channels. */
  filters: number;
  /** Window size: `3` or `[3, 5]` (height, width). */
  kernelSize: number | readonly [number, number];
  /** Step between windows (default 1). */
  strides?: number | readonly [number, number];
  /** `'valid'` (default, no padding) or `'same'` (output size = ceil(input / stride), zero padding with the odd row/column at the bottom/right). */
  padding?: KerasPadding;
  /** `'channels_last'` (default, `[batch, height, width, channels]`) or `'channels_first'`. */
  dataFormat?: DataFormat;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number | readonly [number, number];
  /** Channel groups (default 1). */
  groups?: number;
  /** Activation applied to the output (default linear). */
  activation?: ActivationSpec | null;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default `glorotUniform` with Keras' fans: receptive field × channels). */
  kernelInitializer?: InitializerIdentifier;
  /** Bias initializer (default `zeros`). */
  biasInitializer?: InitializerIdentifier;
}

const CONV_SPEC = {
  filters: num({ integer: true, min: 1 }),
  kernelSize: pairCheck,
  strides: pairCheck,
  padding: paddingCheck,
  dataFormat: dataFormatCheck,
  dilationRate: pairCheck,
  groups: num({ integer: true, min: 1 }),
  activation: activationCheck,
  useBias: bool,
  kernelInitializer: initializerCheck,
  biasInitializer: initializerCheck,
};

const FORMS = 'new Conv2D(filters, kernelSize, { strides, padding, activation, ... }) or new Conv2D({ filters, kernelSize, ... })';

/**
 * A 2-d convolution layer with Keras' conventions: channels-last images by default, `'valid'` or
 * `'same'` padding, a Glorot-uniform kernel and zero bias. It wraps an `nn.Conv2d` (`conv`), built
 * from the input's channel count; `getWeights()` gives the kernel in Keras' layout
 * `[kh, kw, in/groups, filters]`.
 * @example
 * ```ts
 * const conv = new keras.Conv2D(8, 3, { activation: 'relu', inputShape: [28, 28, 1] });
 * conv.call(zeros([2, 28, 28, 1])).shape; // [2, 26, 26, 8]
 * ```
 */
export class Conv2D extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'Conv2D';
  /** Output channels. */
  readonly filters: number;
  /** Window [height, width]. */
  readonly kernelSize: [number, number];
  /** Strides [height, width]. */
  readonly strides: [number, number];
  /** `'valid'` or `'same'`. */
  readonly padding: KerasPadding;
  /** Where the channels are. */
  readonly dataFormat: DataFormat;
  /** Dilation [height, width]. */
  readonly dilationRate: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The wrapped convolution (null until built). */
  conv: Conv2d | null = null;
  /** @internal */ declare readonly _activation: (x: Tensor) => Tensor;
  /** @internal */ declare readonly _activationLabel: string;
  /** @internal */ declare readonly _kernelInit: InitializerName;
  /** @internal */ declare readonly _biasInit: InitializerName;
  /** @internal */ declare _explicitPad: boolean;

  /** Creates the layer from Keras' forms `new Conv2D(filters, kernelSize, options?)` or `new Conv2D({ filters, kernelSize, ... })` (snake_case keys too). */
  constructor(filters: number, kernelSize: number | readonly [number, number], options?: Omit<Conv2DOptions, 'filters' | 'kernelSize'>);
  constructor(options: Conv2DOptions);
  constructor(...args: unknown[]) {
    const op = 'Conv2D';
    const o = parseLayerOptions(op, positionalAndOptions(op, args, ['filters', 'kernelSize'], FORMS), CONV_SPEC, FORMS);
    if (o.filters === undefined) throw new ValueError(`${op}: filters is required; accepted forms: ${FORMS}`);
    if (o.kernelSize === undefined) throw new ValueError(`${op}: kernelSize is required; accepted forms: ${FORMS}`);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.filters = o.filters;
    this.kernelSize = pair(o.kernelSize);
    this.strides = pair(o.strides ?? 1);
    this.padding = o.padding ?? 'valid';
    this.dataFormat = o.dataFormat ?? 'channels_last';
    this.dilationRate = pair(o.dilationRate ?? 1);
    this.groups = o.groups ?? 1;
    if (this.filters % this.groups !== 0) throw new ValueError(`${op}: filters ${this.filters} must be divisible by groups ${this.groups}`);
    this.useBias = o.useBias ?? true;
    const spec = o.activation ?? 'linear';
    const hidden = (name: string, value: unknown): void => {
      Object.defineProperty(this, name, { value, enumerable: false, writable: true });
    };
    hidden('_activation', getActivation(spec));
    hidden('_activationLabel', activationLabel(spec));
    hidden('_kernelInit', initializerName(o.kernelInitializer ?? 'glorotUniform'));
    hidden('_biasInit', initializerName(o.biasInitializer ?? 'zeros'));
    hidden('_explicitPad', false);
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Creates the wrapped `nn.Conv2d` for the input's channel count and draws Keras' initial weights. */
  override build(inputShape: readonly number[]): void {
    const { c } = imageDims(`Conv2D '${this.name}'`, inputShape, this.dataFormat);
    this.computeOutputShape(inputShape); // throws for images smaller than the window
    if (c % this.groups !== 0)
      throw new ValueError(`Conv2D '${this.name}': the input's ${c} channels must be divisible by groups ${this.groups}`);
    const [kh, kw] = this.kernelSize;
    const [dh, dw] = this.dilationRate;
    // 'same' with stride 1 and an even total pad is symmetric: nn.Conv2d pads; otherwise pad in forward.
    const symmetric =
      this.padding === 'same' && this.strides[0] === 1 && this.strides[1] === 1 && ((kh - 1) * dh) % 2 === 0 && ((kw - 1) * dw) % 2 === 0;
    this._explicitPad = this.padding === 'same' && !symmetric;
    const padding: [number, number] = symmetric ? [((kh - 1) * dh) / 2, ((kw - 1) * dw) / 2] : [0, 0];
    this.conv = new Conv2d(c, this.filters, this.kernelSize, {
      stride: this.strides,
      padding,
      dilation: this.dilationRate,
      groups: this.groups,
      bias: this.useBias,
    });
    noGrad(() => {
      const kernel = initialize(zeros([kh, kw, c / this.groups, this.filters]), this._kernelInit);
      this.conv!.weight.copy_(kernel.permute([3, 2, 0, 1]));
      if (this.conv!.bias !== null) this.conv!.bias.copy_(initialize(zeros([this.filters]), this._biasInit));
    });
    super.build(inputShape);
  }

  /** The convolution before the activation. @internal */
  override _forwardLogits(x: Tensor): Tensor {
    if (!this.built) this.build(x.shape.slice(1));
    const want = this.inputShape!;
    const ch = this.dataFormat === 'channels_last' ? x.shape[3] : x.shape[1];
    const expectC = this.dataFormat === 'channels_last' ? want[2] : want[0];
    if (x.ndim !== 4 || ch !== expectC) {
      const layout = this.dataFormat === 'channels_last' ? `[batch, height, width, ${expectC}]` : `[batch, ${expectC}, height, width]`;
      throw new ShapeError(`Conv2D '${this.name}': expected inputs of shape ${layout}, got ${fmtShape(x.shape)}`);
    }
    let h = toNCHW(x, this.dataFormat);
    if (this._explicitPad) h = padSame(h, this.kernelSize, this.strides, this.dilationRate, 0);
    return fromNCHW(this.conv!.call(h), this.dataFormat);
  }

  /** Applies the convolution and the activation. */
  forward(x: Tensor): Tensor {
    return this._activation(this._forwardLogits(x));
  }

  /** Keras' output size: ceil(in / stride) for `'same'`, floor((in − dilation·(k − 1) − 1) / stride) + 1 for `'valid'`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    const op = `Conv2D '${this.name}'`;
    const { h, w } = imageDims(op, inputShape, this.dataFormat);
    const oh = outSize(op, h, this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding);
    const ow = outSize(op, w, this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding);
    return imageShape(oh, ow, this.filters, this.dataFormat);
  }

  /** `[kernel [kh, kw, in/groups, filters], bias [filters]]` (Keras' order and layout). @internal */
  kerasWeights(): WeightSlot[] {
    if (this.conv === null) return [];
    const slots = [permutedSlot('kernel', this.conv.weight, [2, 3, 1, 0])];
    if (this.conv.bias !== null) slots.push(directSlot('bias', this.conv.bias));
    return slots;
  }

  /** Shows filters, kernel, strides, padding and activation. */
  override extraRepr(): string {
    return (
      `filters=${this.filters}, kernelSize=[${this.kernelSize.join(', ')}], strides=[${this.strides.join(', ')}], padding='${this.padding}', ` +
      `dataFormat='${this.dataFormat}', activation=${this._activationLabel}`
    );
  }

  /** Every option, as Keras names them in camelCase. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate.slice(),
      groups: this.groups,
      activation: this._activationLabel,
      useBias: this.useBias,
      kernelInitializer: this._kernelInit,
      biasInitializer: this._biasInit,
    };
  }
}
