/**
 * Convolution layers: `Conv1d`, `Conv2d` and `ConvTranspose2d`, with PyTorch's parameter layout and
 * initialisation (Kaiming-uniform with a = √5 for the weight, U(±1/√fanIn) for the bias).
 * @module
 */
import { oneOf } from '../../autograd/args.js';
import { NotImplementedError, ValueError } from '../../autograd/errors.js';
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import {
  CONV1D_OPTIONS,
  CONV2D_OPTIONS,
  CONV_TRANSPOSE2D_OPTIONS,
  conv1dAs,
  conv2dAs,
  convTranspose2dAs,
  pairOf,
  type ConvPadding,
  type Size2,
} from '../functional/conv.js';
import { parseArgs, signature } from '../args/parse.js';
import { positiveInt, size1, size2 } from '../args/checks.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { LAYER_OPTIONS, resetKaimingUniform, weightAndBias, type LayerOptions } from './linear.js';

/** How the input is padded: only PyTorch's default `'zeros'` is implemented. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

const paddingModes = oneOf(['zeros', 'reflect', 'replicate', 'circular'] as const);

/** PyTorch's padding modes; only 'zeros' is implemented. */
function paddingMode(transposed: boolean) {
  return (op: string, key: string, v: unknown): 'zeros' => {
    const mode = paddingModes(op, key, v);
    if (mode === 'zeros') return mode;
    if (transposed) throw new ValueError(`${op}: only 'zeros' padding mode is supported (as PyTorch), got '${mode}'`);
    throw new NotImplementedError(`${op}: paddingMode '${mode}' is not implemented in tapegrad (only 'zeros')`);
  };
}

const CHANNELS = { inChannels: positiveInt, outChannels: positiveInt } as const;

/** `nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. @internal */
const CONV2D_LAYER = signature({
  op: 'Conv2d',
  positional: ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode'],
  required: 3,
  spec: { ...CHANNELS, kernelSize: size2, ...CONV2D_OPTIONS, ...LAYER_OPTIONS, paddingMode: paddingMode(false) },
  forms:
    'new nn.Conv2d(inChannels, outChannels, kernelSize, stride?, padding?, dilation?, groups?, bias?, paddingMode?) or new nn.Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias, paddingMode, dtype, generator, device })',
});

/** `nn.Conv1d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. @internal */
const CONV1D_LAYER = signature({
  op: 'Conv1d',
  positional: ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode'],
  required: 3,
  spec: { ...CHANNELS, kernelSize: size1, ...CONV1D_OPTIONS, ...LAYER_OPTIONS, paddingMode: paddingMode(false) },
  forms:
    'new nn.Conv1d(inChannels, outChannels, kernelSize, stride?, padding?, dilation?, groups?, bias?, paddingMode?) or new nn.Conv1d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias, paddingMode, dtype, generator, device })',
});

/** `nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode)`. @internal */
const CONV_TRANSPOSE2D_LAYER = signature({
  op: 'ConvTranspose2d',
  positional: [
    'inChannels',
    'outChannels',
    'kernelSize',
    'stride',
    'padding',
    'outputPadding',
    'groups',
    'bias',
    'dilation',
    'paddingMode',
  ],
  required: 3,
  spec: { ...CHANNELS, kernelSize: size2, ...CONV_TRANSPOSE2D_OPTIONS, ...LAYER_OPTIONS, paddingMode: paddingMode(true) },
  forms:
    'new nn.ConvTranspose2d(inChannels, outChannels, kernelSize, stride?, padding?, outputPadding?, groups?, bias?, dilation?, paddingMode?) or new nn.ConvTranspose2d(inChannels, outChannels, kernelSize, { stride, padding, outputPadding, groups, bias, dilation, dtype, generator, device })',
});

/** Options of {@link Conv2d}. */
export interface Conv2dLayerOptions extends LayerOptions {
  /** Only PyTorch's default `'zeros'` is implemented; other modes throw NotImplementedError. */
  paddingMode?: PaddingMode;
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Zero padding, or 'same' / 'valid' (default 0). */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Blocked connections between input and output channels (default 1). */
  groups?: number;
}

/** Options of {@link Conv1d}. */
export interface Conv1dLayerOptions extends LayerOptions {
  /** Only PyTorch's default `'zeros'` is implemented; other modes throw NotImplementedError. */
  paddingMode?: PaddingMode;
  /** Step between windows (default 1). */
  stride?: number;
  /** Zero padding, or 'same' / 'valid' (default 0). */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Blocked connections between input and output channels (default 1). */
  groups?: number;
}

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dLayerOptions extends LayerOptions {
  /** Only PyTorch's default `'zeros'` is implemented; other modes throw NotImplementedError. */
  paddingMode?: PaddingMode;
  /** Stride (default 1). */
  stride?: Size2;
  /** Padding of the convolution this transposes (default 0). */
  padding?: Size2;
  /** Extra size on one side of the output (default 0). */
  outputPadding?: Size2;
  /** Blocked connections (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
}

function channels(op: string, inC: number, outC: number, groups: number): void {
  for (const [name, v] of [
    ['inChannels', inC],
    ['outChannels', outC],
    ['groups', groups],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  }
  if (inC % groups !== 0) throw new ValueError(`${op}: inChannels ${inC} must be divisible by groups ${groups}`);
  if (outC % groups !== 0) throw new ValueError(`${op}: outChannels ${outC} must be divisible by groups ${groups}`);
}

/** Creates a conv layer's weight of `weightShape` and its bias, and initialises them. */
function convParams(
  op: string,
  weightShape: number[],
  outChannels: number,
  options: LayerOptions,
): { weight: Parameter; bias: Parameter | null } {
  const params = weightAndBias(op, weightShape, outChannels, options);
  resetKaimingUniform(params.weight, params.bias, options.generator);
  return params;
}

function fmtPad(p: ConvPadding): string {
  return typeof p === 'string' ? `'${p}'` : typeof p === 'number' ? `[${p}, ${p}]` : `[${p.join(', ')}]`;
}

/**
 * 2-d convolution over [N, inChannels, H, W] (or unbatched [inChannels, H, W]). Weight
 * [outChannels, inChannels/groups, kh, kw], bias [outChannels].
 * @example
 * ```ts
 * const conv = new nn.Conv2d(3, 16, 3, { padding: 1 });
 * conv.call(randn([8, 3, 32, 32])).shape; // [8, 16, 32, 32]
 * new nn.Conv2d(3, 16, 3, 2, 1); // stride 2, padding 1, as PyTorch's positional form
 * ```
 */
export class Conv2d extends Module<[Tensor], Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel [height, width]. */
  readonly kernelSize: [number, number];
  /** Stride [height, width]. */
  readonly stride: [number, number];
  /** Padding as given. */
  readonly padding: ConvPadding;
  /** Dilation [height, width]. */
  readonly dilation: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** The weight, [outChannels, inChannels/groups, kh, kw]. */
  weight: Parameter;
  /** The bias, [outChannels], or null. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's initialisation. */
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options?: Conv2dLayerOptions);
  /** PyTorch's positional form: `new nn.Conv2d(3, 16, 3, 1, 1)` has stride 1 and padding 1. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    stride?: Size2,
    padding?: ConvPadding,
    dilation?: Size2,
    groups?: number,
    bias?: boolean,
    paddingMode?: PaddingMode,
    options?: Conv2dLayerOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const op = 'Conv2d';
    const options = parseArgs(CONV2D_LAYER, args) as Conv2dLayerOptions & { inChannels: number; outChannels: number; kernelSize: Size2 };
    const { inChannels, outChannels } = options;
    this.groups = options.groups ?? 1;
    channels(op, inChannels, outChannels, this.groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pairOf(op, 'kernelSize', options.kernelSize, 1);
    this.stride = pairOf(op, 'stride', options.stride ?? 1, 1);
    this.dilation = pairOf(op, 'dilation', options.dilation ?? 1, 1);
    this.padding = options.padding ?? 0;
    if (typeof this.padding !== 'string') pairOf(op, 'padding', this.padding, 0);
    else if (this.padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1))
      throw new ValueError(`${op}: padding 'same' is not supported for strided convolutions`);
    ({ weight: this.weight, bias: this.bias } = convParams(
      op,
      [outChannels, inChannels / this.groups, ...this.kernelSize],
      outChannels,
      options,
    ));
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    resetKaimingUniform(this.weight, this.bias, generator);
  }

  /** Convolves `x`. */
  forward(x: Tensor): Tensor {
    return conv2dAs('Conv2d', x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    return (
      `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}], ` +
      `padding=${fmtPad(this.padding)}, dilation=[${this.dilation.join(', ')}], groups=${this.groups}, bias=${this.bias !== null}`
    );
  }
}

/**
 * 1-d convolution over [N, inChannels, L] (or unbatched [inChannels, L]). Weight
 * [outChannels, inChannels/groups, k], bias [outChannels].
 * @example
 * ```ts
 * const conv = new nn.Conv1d(4, 8, 3, { padding: 'same' });
 * conv.call(randn([2, 4, 20])).shape; // [2, 8, 20]
 * ```
 */
export class Conv1d extends Module<[Tensor], Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel size. */
  readonly kernelSize: number;
  /** Stride. */
  readonly stride: number;
  /** Padding as given. */
  readonly padding: number | 'same' | 'valid';
  /** Dilation. */
  readonly dilation: number;
  /** Channel groups. */
  readonly groups: number;
  /** The weight, [outChannels, inChannels/groups, k]. */
  weight: Parameter;
  /** The bias, [outChannels], or null. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's initialisation. */
  constructor(inChannels: number, outChannels: number, kernelSize: number, options?: Conv1dLayerOptions);
  /** PyTorch's positional form: `new nn.Conv1d(4, 8, 3, 2)` has stride 2. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    stride?: number,
    padding?: number | 'same' | 'valid',
    dilation?: number,
    groups?: number,
    bias?: boolean,
    paddingMode?: PaddingMode,
    options?: Conv1dLayerOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const op = 'Conv1d';
    const options = parseArgs(CONV1D_LAYER, args) as Conv1dLayerOptions & { inChannels: number; outChannels: number; kernelSize: number };
    const { inChannels, outChannels } = options;
    this.groups = options.groups ?? 1;
    channels(op, inChannels, outChannels, this.groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = options.kernelSize;
    this.stride = options.stride ?? 1;
    this.dilation = options.dilation ?? 1;
    this.padding = options.padding ?? 0;
    if (this.padding === 'same' && this.stride !== 1)
      throw new ValueError(`${op}: padding 'same' is not supported for strided convolutions`);
    ({ weight: this.weight, bias: this.bias } = convParams(
      op,
      [outChannels, inChannels / this.groups, this.kernelSize],
      outChannels,
      options,
    ));
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    resetKaimingUniform(this.weight, this.bias, generator);
  }

  /** Convolves `x`. */
  forward(x: Tensor): Tensor {
    return conv1dAs('Conv1d', x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    const pad = typeof this.padding === 'string' ? `'${this.padding}'` : String(this.padding);
    return (
      `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${pad}, ` +
      `dilation=${this.dilation}, groups=${this.groups}, bias=${this.bias !== null}`
    );
  }
}

/**
 * 2-d transposed convolution over [N, inChannels, H, W]. Weight [inChannels, outChannels/groups, kh, kw]
 * (PyTorch's layout), bias [outChannels].
 * @example
 * ```ts
 * const up = new nn.ConvTranspose2d(16, 8, 2, { stride: 2 });
 * up.call(randn([1, 16, 7, 7])).shape; // [1, 8, 14, 14]
 * ```
 */
export class ConvTranspose2d extends Module<[Tensor], Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** Kernel [height, width]. */
  readonly kernelSize: [number, number];
  /** Stride [height, width]. */
  readonly stride: [number, number];
  /** Padding [height, width]. */
  readonly padding: [number, number];
  /** Output padding [height, width]. */
  readonly outputPadding: [number, number];
  /** Dilation [height, width]. */
  readonly dilation: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** The weight, [inChannels, outChannels/groups, kh, kw]. */
  weight: Parameter;
  /** The bias, [outChannels], or null. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's initialisation. */
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options?: ConvTranspose2dLayerOptions);
  /** PyTorch's positional form: `new nn.ConvTranspose2d(16, 8, 2, 2)` has stride 2. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    stride?: Size2,
    padding?: Size2,
    outputPadding?: Size2,
    groups?: number,
    bias?: boolean,
    dilation?: Size2,
    paddingMode?: 'zeros',
    options?: ConvTranspose2dLayerOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const op = 'ConvTranspose2d';
    const options = parseArgs(CONV_TRANSPOSE2D_LAYER, args) as ConvTranspose2dLayerOptions & {
      inChannels: number;
      outChannels: number;
      kernelSize: Size2;
    };
    const { inChannels, outChannels } = options;
    this.groups = options.groups ?? 1;
    channels(op, inChannels, outChannels, this.groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pairOf(op, 'kernelSize', options.kernelSize, 1);
    this.stride = pairOf(op, 'stride', options.stride ?? 1, 1);
    this.padding = pairOf(op, 'padding', options.padding ?? 0, 0);
    this.outputPadding = pairOf(op, 'outputPadding', options.outputPadding ?? 0, 0);
    this.dilation = pairOf(op, 'dilation', options.dilation ?? 1, 1);
    ({ weight: this.weight, bias: this.bias } = convParams(
      op,
      [inChannels, outChannels / this.groups, ...this.kernelSize],
      outChannels,
      options,
    ));
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    resetKaimingUniform(this.weight, this.bias, generator);
  }

  /** Applies the transposed convolution to `x`. */
  forward(x: Tensor): Tensor {
    return convTranspose2dAs('ConvTranspose2d', x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    return (
      `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}], stride=[${this.stride.join(', ')}], ` +
      `padding=[${this.padding.join(', ')}], outputPadding=[${this.outputPadding.join(', ')}], groups=${this.groups}, bias=${this.bias !== null}`
    );
  }
}
