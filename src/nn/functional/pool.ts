/**
 * Pooling as composites: max and average pooling unfold each channel into its windows and reduce
 * over the window (so they are twice differentiable); adaptive average pooling is two matmuls with
 * averaging matrices built from PyTorch's start/end index formula.
 * @module
 */
import { allocate } from '../../autograd/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import { unfoldPrim } from '../../autograd/ops/nn.js';
import type { WindowSpec } from '../../kernels/conv.js';
import { Tensor } from '../../autograd/tensor.js';
import { div } from '../../autograd/ops/elementwise.js';
import { matmul } from '../../autograd/ops/linalg.js';
import { maxDim, sum } from '../../autograd/ops/reduce.js';
import { reshape, squeeze } from '../../autograd/ops/shape.js';
import { batchOf, pairOf, type Size2 } from './conv.js';
import { checkFloat } from './checks.js';
import { bool, checkArity, checkNumber, describe, nullable, type Check } from '../../autograd/args.js';
import { ArgumentTypeError } from '../../autograd/errors.js';
import { parseArgs, signature } from '../args/parse.js';
import { finiteOrNull, pad2, size2 } from '../args/checks.js';

/** The options of max pooling, shared by `nn.MaxPool2d` and `nn.F.maxPool2d`. @internal */
export const MAXPOOL2D_OPTIONS = { stride: nullable(size2), padding: pad2, dilation: size2, ceilMode: bool, returnIndices: bool } as const;

/** The options of average pooling, shared by `nn.AvgPool2d` and `nn.F.avgPool2d`. @internal */
export const AVGPOOL2D_OPTIONS = {
  stride: nullable(size2),
  padding: pad2,
  ceilMode: bool,
  countIncludePad: bool,
  divisorOverride: finiteOrNull,
} as const;

/** An adaptive pool's output size: an integer >= 1, or a pair whose entries may be null (keep that input size). @internal */
export const adaptiveSize: Check<number | [number | null, number | null]> = (op, key, v) => {
  if (typeof v === 'number') return checkNumber(op, key, v, { integer: true, min: 1 });
  if (Array.isArray(v) && v.length === 2)
    return v.map((s, i) => (s === null ? null : checkNumber(op, `${key}[${i}]`, s, { integer: true, min: 1 }))) as [
      number | null,
      number | null,
    ];
  throw new ArgumentTypeError(`${op}: ${key} must be an integer >= 1 or a pair of them (null keeps that input size), got ${describe(v)}`);
};

const MAXPOOL2D = signature({
  op: 'nn.F.maxPool2d',
  positional: ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'],
  required: 1,
  spec: { kernelSize: size2, ...MAXPOOL2D_OPTIONS },
  forms:
    'nn.F.maxPool2d(input, kernelSize, stride?, padding?, dilation?, ceilMode?, returnIndices?) or nn.F.maxPool2d(input, kernelSize, { stride, padding, dilation, ceilMode, returnIndices })',
});

const AVGPOOL2D = signature({
  op: 'nn.F.avgPool2d',
  positional: ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
  required: 1,
  spec: { kernelSize: size2, ...AVGPOOL2D_OPTIONS },
  forms:
    'nn.F.avgPool2d(input, kernelSize, stride?, padding?, ceilMode?, countIncludePad?, divisorOverride?) or nn.F.avgPool2d(input, kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride })',
});

/** Options of {@link maxPool2d}. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit -∞ padding on each side, at most half the kernel (default 0). */
  padding?: Size2;
  /** Spacing between window taps (default 1). */
  dilation?: Size2;
  /** Use ceil instead of floor for the output size, so partial windows at the end count (default false). */
  ceilMode?: boolean;
  /** Also return the index of each maximum, as {@link maxPool2dWithIndices} (default false). */
  returnIndices?: boolean;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit zero padding on each side, at most half the kernel (default 0). */
  padding?: Size2;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead of the window size. */
  divisorOverride?: number | null;
}

/** The result of {@link maxPool2dWithIndices}. */
export interface MaxPoolWithIndices {
  /** The pooled values, [N, C, outH, outW]. */
  values: Tensor;
  /** For each output, the flat index h·W + w of its maximum in the input plane (int32). */
  indices: Tensor;
}

/** PyTorch's pooling output size for one axis, with its errors. */
function poolOut(
  op: string,
  shape: readonly number[],
  axis: string,
  size: number,
  k: number,
  s: number,
  p: number,
  d: number,
  ceil: boolean,
): number {
  const span = d * (k - 1) + 1;
  if (2 * p > span) {
    throw new ValueError(
      `${op}: padding should be at most half of the effective kernel size, but got padding ${p}, kernel size ${k} and dilation ${d}`,
    );
  }
  const room = size + 2 * p - span;
  let out = Math.floor((room + (ceil ? s - 1 : 0)) / s) + 1;
  // The last window must start inside the input or the left padding.
  if (ceil && (out - 1) * s >= size + p) out--;
  if (room < 0 || out < 1) {
    throw new ShapeError(
      `${op}: the window (size ${k}, dilation ${d}, so ${span} wide) is larger than the padded input ${axis} ${size + 2 * p} (input ${fmtShape(shape)}, padding ${p} on each side)`,
    );
  }
  return out;
}

interface PoolGeometry {
  spec: WindowSpec;
  x: Tensor;
  unbatched: boolean;
  n: number;
  c: number;
}

function poolGeometry(
  op: string,
  input: Tensor,
  kernelSize: Size2,
  o: { stride?: Size2 | null; padding?: Size2; dilation?: Size2; ceilMode?: boolean },
): PoolGeometry {
  checkFloat(op, input);
  const { x, unbatched } = batchOf(op, input, 4, '[N, C, H, W]');
  const [kh, kw] = pairOf(op, 'kernelSize', kernelSize, 1);
  const [sh, sw] = o.stride == null ? [kh, kw] : pairOf(op, 'stride', o.stride, 1);
  const [ph, pw] = pairOf(op, 'padding', o.padding ?? 0, 0);
  const [dh, dw] = pairOf(op, 'dilation', o.dilation ?? 1, 1);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const ceil = o.ceilMode ?? false;
  const outH = poolOut(op, input.shape, 'height', h, kh, sh, ph, dh, ceil);
  const outW = poolOut(op, input.shape, 'width', w, kw, sw, pw, dw, ceil);
  return { spec: { h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW }, x, unbatched, n, c };
}

/** Every channel's windows: [N·C, kh·kw, L]. */
function windows(g: PoolGeometry, padValue: number): Tensor {
  return unfoldPrim(reshape(g.x, [g.n * g.c, 1, g.spec.h, g.spec.w]), g.spec, padValue);
}

function finish(g: PoolGeometry, flat: Tensor): Tensor {
  const out = reshape(flat, [g.n, g.c, g.spec.outH, g.spec.outW]);
  return g.unbatched ? squeeze(out, 0) : out;
}

/**
 * 2-d max pooling over [N, C, H, W] (or [C, H, W]); padding is -∞. The gradient goes to the first
 * maximum of each window, as PyTorch.
 * @example
 * ```ts
 * maxPool2d(randn([1, 3, 8, 8]), 2).shape; // [1, 3, 4, 4]
 * ```
 */
export function maxPool2d(input: Tensor, kernelSize: Size2, options: MaxPool2dOptions & { returnIndices: true }): MaxPoolWithIndices;
/** Max pooling with options (`returnIndices` false or absent gives the values only). */
export function maxPool2d(input: Tensor, kernelSize: Size2, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
/** PyTorch's positional form `F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)`. */
export function maxPool2d(
  input: Tensor,
  kernelSize: Size2,
  stride?: Size2 | null,
  padding?: Size2,
  dilation?: Size2,
  ceilMode?: boolean,
  returnIndices?: boolean,
): Tensor | MaxPoolWithIndices;
export function maxPool2d(input: Tensor, ...args: unknown[]): Tensor | MaxPoolWithIndices {
  const o = parseArgs(MAXPOOL2D, args) as MaxPool2dOptions & { kernelSize: Size2 };
  if (o.returnIndices) return withIndices('maxPool2d', input, o.kernelSize, o);
  const g = poolGeometry('maxPool2d', input, o.kernelSize, o);
  return finish(g, maxDim(windows(g, -Infinity), 1).values);
}

/**
 * {@link maxPool2d} that also returns, for each output, the flat index (h·W + w) in its input plane
 * of the maximum, as PyTorch's `return_indices=True`.
 * @example
 * ```ts
 * const { values, indices } = maxPool2dWithIndices(randn([1, 1, 4, 4]), 2);
 * ```
 */
export function maxPool2dWithIndices(input: Tensor, kernelSize: Size2, options?: MaxPool2dOptions): MaxPoolWithIndices;
/** PyTorch's positional form (after the kernel size: stride, padding, dilation, ceilMode). */
export function maxPool2dWithIndices(
  input: Tensor,
  kernelSize: Size2,
  stride?: Size2 | null,
  padding?: Size2,
  dilation?: Size2,
  ceilMode?: boolean,
): MaxPoolWithIndices;
export function maxPool2dWithIndices(input: Tensor, ...args: unknown[]): MaxPoolWithIndices {
  const o = parseArgs({ ...MAXPOOL2D, op: 'nn.F.maxPool2dWithIndices' }, args) as MaxPool2dOptions & { kernelSize: Size2 };
  return withIndices('maxPool2dWithIndices', input, o.kernelSize, o);
}

function withIndices(op: string, input: Tensor, kernelSize: Size2, options: MaxPool2dOptions): MaxPoolWithIndices {
  const g = poolGeometry(op, input, kernelSize, options);
  const { values, indices } = maxDim(windows(g, -Infinity), 1);
  const { w, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g.spec;
  const taps = indices.contiguous().dataSync();
  const flat = allocate('int32', taps.length);
  const L = outH * outW;
  for (let r = 0; r < taps.length; r++) {
    const l = r % L;
    const oh = Math.floor(l / outW);
    const ow = l - oh * outW;
    const t = taps[r]!;
    const ki = Math.floor(t / kw);
    const kj = t - ki * kw;
    flat[r] = (oh * sh - ph + ki * dh) * w + (ow * sw - pw + kj * dw);
  }
  return { values: finish(g, values), indices: finish(g, Tensor._fromData(flat, [taps.length], 'int32')) };
}

/**
 * 2-d average pooling over [N, C, H, W] (or [C, H, W]). The divisor follows PyTorch: the window
 * clipped to the padded input (`countIncludePad`, the default) or to the input, or `divisorOverride`.
 * @example
 * ```ts
 * avgPool2d(randn([1, 3, 8, 8]), 2).shape; // [1, 3, 4, 4]
 * ```
 */
export function avgPool2d(input: Tensor, kernelSize: Size2, options?: AvgPool2dOptions): Tensor;
/** PyTorch's positional form `F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)`. */
export function avgPool2d(
  input: Tensor,
  kernelSize: Size2,
  stride?: Size2 | null,
  padding?: Size2,
  ceilMode?: boolean,
  countIncludePad?: boolean,
  divisorOverride?: number | null,
): Tensor;
export function avgPool2d(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'avgPool2d';
  const options = parseArgs(AVGPOOL2D, args) as AvgPool2dOptions & { kernelSize: Size2 };
  const kernelSize = options.kernelSize;
  const g = poolGeometry(op, input, kernelSize, { ...options, dilation: 1 });
  const { h, w, kh, kw, sh, sw, ph, pw, outH, outW } = g.spec;
  const override = options.divisorOverride ?? null;
  if (override !== null && (!Number.isFinite(override) || override === 0))
    throw new ValueError(`${op}: divisorOverride must be a nonzero number, got ${override}`);
  const includePad = options.countIncludePad ?? true;
  const divisor = allocate(g.x.dtype, outH * outW);
  for (let oh = 0; oh < outH; oh++) {
    for (let ow = 0; ow < outW; ow++) {
      let h0 = oh * sh - ph;
      let w0 = ow * sw - pw;
      let h1 = Math.min(h0 + kh, h + ph);
      let w1 = Math.min(w0 + kw, w + pw);
      const padded = (h1 - h0) * (w1 - w0);
      h0 = Math.max(h0, 0);
      w0 = Math.max(w0, 0);
      h1 = Math.min(h1, h);
      w1 = Math.min(w1, w);
      divisor[oh * outW + ow] = override ?? (includePad ? padded : (h1 - h0) * (w1 - w0));
    }
  }
  const sums = sum(windows(g, 0), 1);
  return finish(g, div(sums, Tensor._fromData(divisor, [outH * outW], g.x.dtype)));
}

/** The [out, size] matrix whose row i averages input positions floor(i·size/out) .. ceil((i+1)·size/out) − 1. */
function averagingMatrix(out: number, size: number, dtype: Tensor['dtype']): Tensor {
  const m = allocate(dtype, out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return Tensor._fromData(m, [out, size], dtype);
}

/**
 * 2-d adaptive average pooling to `outputSize` ([h, w], a number for both, or null to keep a size):
 * output cell (i, j) averages rows floor(i·H/h) .. ceil((i+1)·H/h) − 1 and the same for columns.
 * @example
 * ```ts
 * adaptiveAvgPool2d(randn([1, 3, 7, 9]), 1).shape; // [1, 3, 1, 1]
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const op = 'adaptiveAvgPool2d';
  checkArity('nn.F.adaptiveAvgPool2d', arguments, 2, 'nn.F.adaptiveAvgPool2d(input, outputSize)');
  adaptiveSize('nn.F.adaptiveAvgPool2d', 'outputSize', outputSize);
  checkFloat(op, input);
  const { x, unbatched } = batchOf(op, input, 4, '[N, C, H, W]');
  const [h, w] = [x.shape[2]!, x.shape[3]!];
  const req = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize[0] ?? h, outputSize[1] ?? w];
  const [oh, ow] = pairOf(op, 'outputSize', req as [number, number], 1);
  if (h === 0 || w === 0) throw new ShapeError(`${op}: the input ${fmtShape(input.shape)} has an empty spatial dim`);
  const rows = averagingMatrix(oh, h, x.dtype);
  const cols = averagingMatrix(ow, w, x.dtype);
  const out = matmul(matmul(rows, x), cols.mT);
  return unbatched ? squeeze(out, 0) : out;
}
