/**
 * ONNX forms of whole nn layers that have an ONNX operator of their own (Gemm, Conv,
 * ConvTranspose, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization, LayerNormalization).
 * While tracing, such a layer's forward runs unrecorded and is written as that one node; every
 * other layer is traced through the primitives it is made of. The recurrent layers are in rnn.ts.
 * @module
 */
import { Tensor } from '../autograd/tensor.js';
import type { Module } from '../nn/module.js';
import { Linear } from '../nn/layers/linear.js';
import { Conv1d, Conv2d, ConvTranspose2d } from '../nn/layers/conv.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../nn/layers/pool.js';
import { BatchNormBase, LayerNorm } from '../nn/layers/norm.js';
import type { GraphBuilder, Value } from './graph.js';

/** What a layer converter sees: the graph, the layer, its tensor arguments, their values, its outputs. @internal */
export interface ModuleCall {
  g: GraphBuilder;
  module: Module;
  args: readonly unknown[];
  inputs: readonly Tensor[];
  ins: readonly Value[];
  outs: readonly Tensor[];
  /** The graph value of any tensor (a parameter becomes its initializer). */
  valueOf: (t: Tensor) => Value;
}

/** Writes a layer's nodes; returns one value per output tensor. @internal */
export type ModuleConverter = (c: ModuleCall) => Value[];

/**
 * A parameter or buffer of `m` by its PyTorch name, whatever its JavaScript spelling
 * (`weight_ih_l0` finds `weightIh_l0`; `running_mean` finds `runningMean`).
 * @internal
 */
export function memberOf(m: Module, name: string): Tensor | null {
  const norm = (s: string): string => s.replace(/_/g, '').toLowerCase();
  const want = norm(name);
  for (const [n, t] of [...m.namedParameters(false), ...m.namedBuffers(false)] as [string, Tensor][]) if (norm(n) === want) return t;
  return null;
}

/** The value of a layer's parameter, or of a constant filled with `fill` when the layer has none. */
function paramOr(c: ModuleCall, t: Tensor | null, fill: number, size: readonly number[], like: Tensor): string {
  if (t !== null) return c.valueOf(t).name;
  const n = size.reduce((a, b) => a * b, 1);
  const data = like.dtype === 'float64' ? new Float64Array(n).fill(fill) : new Float32Array(n).fill(fill);
  return c.g.initializer(c.g.fresh('const'), like.dtype === 'float64' ? 'float64' : 'float32', size, new Uint8Array(data.buffer));
}

/** Runs `body` on an input with a batch dim: an unbatched input (rank `batchedRank - 1`) gets one added and removed. */
function withBatchDim(c: ModuleCall, batchedRank: number, body: (x: string) => string): Value {
  const x = c.inputs[0]!;
  const v = c.ins[0]!;
  if (x.ndim === batchedRank) return { name: body(v.name), batchAxis: v.batchAxis };
  const axes = c.g.int64s([0]);
  const y = body(c.g.op('Unsqueeze', [v.name, axes]));
  return { name: c.g.op('Squeeze', [y, c.g.int64s([0])]), batchAxis: null };
}

/** Explicit begin/end pads of a convolution's padding: a size, 'valid', or PyTorch's 'same' (the extra pad at the end). */
function convPads(padding: number | readonly number[] | string, kernel: readonly number[], dilation: readonly number[]): number[] {
  const nd = kernel.length;
  if (padding === 'valid') return new Array<number>(2 * nd).fill(0);
  if (padding === 'same') {
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    return [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  }
  const p = typeof padding === 'number' ? new Array<number>(nd).fill(padding) : (padding as readonly number[]).slice();
  return [...p, ...p];
}

const asList = (v: number | readonly number[], nd: number): number[] => (typeof v === 'number' ? new Array<number>(nd).fill(v) : v.slice());

function convNode(
  c: ModuleCall,
  opType: 'Conv' | 'ConvTranspose',
  m: Conv1d | Conv2d | ConvTranspose2d,
  extra: Record<string, { ints: number[] }> = {},
): Value[] {
  const nd = m instanceof Conv1d ? 1 : 2;
  const kernel = asList(m.kernelSize, nd);
  const dilation = asList(m.dilation, nd);
  const inputs = [c.valueOf(m.weight).name];
  if (m.bias !== null) inputs.push(c.valueOf(m.bias).name);
  const attrs = {
    kernel_shape: { ints: kernel },
    strides: { ints: asList(m.stride, nd) },
    dilations: { ints: dilation },
    pads: { ints: convPads(m.padding, kernel, dilation) },
    group: { int: m.groups },
    ...extra,
  };
  return [withBatchDim(c, nd + 2, (x) => c.g.op(opType, [x, ...inputs], attrs))];
}

const linear: ModuleConverter = (c) => {
  const m = c.module as Linear;
  const x = c.inputs[0]!;
  const v = c.ins[0]!;
  const w = c.valueOf(m.weight).name;
  const b = m.bias === null ? null : c.valueOf(m.bias).name;
  if (x.ndim === 2)
    return [{ name: c.g.op('Gemm', b === null ? [v.name, w] : [v.name, w, b], { transB: { int: 1 } }), batchAxis: v.batchAxis }];
  const y = c.g.op('MatMul', [v.name, c.g.op('Transpose', [w], { perm: { ints: [1, 0] } })]);
  const batchAxis = x.ndim === 1 || v.batchAxis === x.ndim - 1 ? null : v.batchAxis;
  return [{ name: b === null ? y : c.g.op('Add', [y, b]), batchAxis }];
};

const maxPool: ModuleConverter = (c) => {
  const m = c.module as MaxPool2d;
  const attrs = {
    kernel_shape: { ints: m.kernelSize.slice() },
    strides: { ints: m.stride.slice() },
    pads: { ints: [...m.padding, ...m.padding] },
    dilations: { ints: m.dilation.slice() },
  };
  return [withBatchDim(c, 4, (x) => c.g.op('MaxPool', [x], attrs))];
};

const avgPool: ModuleConverter = (c) => {
  const m = c.module as AvgPool2d;
  const attrs = {
    kernel_shape: { ints: m.kernelSize.slice() },
    strides: { ints: m.stride.slice() },
    pads: { ints: [...m.padding, ...m.padding] },
    count_include_pad: { int: m.countIncludePad ? 1 : 0 },
  };
  return [withBatchDim(c, 4, (x) => c.g.op('AveragePool', [x], attrs))];
};

const adaptiveAvgPool: ModuleConverter = (c) => {
  const x = c.inputs[0]!;
  const out = c.outs[0]!;
  const [h, w] = [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
  const [oh, ow] = [out.shape[out.ndim - 2]!, out.shape[out.ndim - 1]!];
  if (oh === 1 && ow === 1) return [withBatchDim(c, 4, (y) => c.g.op('GlobalAveragePool', [y]))];
  const k = [h / oh, w / ow];
  return [withBatchDim(c, 4, (y) => c.g.op('AveragePool', [y], { kernel_shape: { ints: k }, strides: { ints: k } }))];
};

const batchNorm: ModuleConverter = (c) => {
  const m = c.module as BatchNormBase;
  const mean = memberOf(m, 'running_mean');
  const variance = memberOf(m, 'running_var');
  const x = c.inputs[0]!;
  const size = [m.numFeatures];
  const inputs = [
    c.ins[0]!.name,
    paramOr(c, m.weight, 1, size, x),
    paramOr(c, m.bias, 0, size, x),
    c.valueOf(mean!).name,
    c.valueOf(variance!).name,
  ];
  return [{ name: c.g.op('BatchNormalization', inputs, { epsilon: { float: m.eps } }), batchAxis: c.ins[0]!.batchAxis }];
};

const layerNorm: ModuleConverter = (c) => {
  const m = c.module as LayerNorm;
  const x = c.inputs[0]!;
  const inputs = [c.ins[0]!.name, paramOr(c, m.weight, 1, m.normalizedShape, x)];
  if (m.bias !== null) inputs.push(c.valueOf(m.bias).name);
  const y = c.g.op('LayerNormalization', inputs, { axis: { int: -m.normalizedShape.length }, epsilon: { float: m.eps } });
  return [{ name: y, batchAxis: c.ins[0]!.batchAxis }];
};

/** True when an adaptive average pool of `x` is one AveragePool: output 1×1 or sizes that divide the input's. */
function poolsEvenly(m: AdaptiveAvgPool2d, x: unknown): boolean {
  if (!(x instanceof Tensor) || x.ndim < 3) return false;
  const size = typeof m.outputSize === 'number' ? [m.outputSize, m.outputSize] : m.outputSize;
  const [h, w] = [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
  const [oh, ow] = [size[0] ?? h, size[1] ?? w];
  return (oh === 1 && ow === 1) || (h % oh === 0 && w % ow === 0);
}

/** The layer classes {@link layerConverter} may write as one ONNX operator. @internal */
export const LAYER_CLASSES: readonly (abstract new (...args: never[]) => Module)[] = [
  Linear,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  BatchNormBase,
  LayerNorm,
];

/**
 * The converter for a layer called with `args`, or null when that call is traced through its
 * primitives (layers without an ONNX operator, batch norm without running statistics, adaptive
 * pools to sizes that do not divide the input).
 * @internal
 */
export function layerConverter(m: Module, args: readonly unknown[]): ModuleConverter | null {
  if (m instanceof Linear) return linear;
  if (m instanceof Conv1d || m instanceof Conv2d) return (c) => convNode(c, 'Conv', m);
  if (m instanceof ConvTranspose2d) return (c) => convNode(c, 'ConvTranspose', m, { output_padding: { ints: m.outputPadding.slice() } });
  // ceil mode's last partial window (and its divisor) follow PyTorch's rule exactly in the primitives.
  if (m instanceof MaxPool2d) return m.ceilMode ? null : maxPool;
  if (m instanceof AvgPool2d) return m.ceilMode || m.divisorOverride !== null ? null : avgPool;
  if (m instanceof AdaptiveAvgPool2d) return poolsEvenly(m, args[0]) ? adaptiveAvgPool : null;
  if (m instanceof BatchNormBase)
    return !m.training && memberOf(m, 'running_mean') !== null && memberOf(m, 'running_var') !== null ? batchNorm : null;
  if (m instanceof LayerNorm) return layerNorm;
  return null;
}
