/**
 * Convolutions as composites of the sliding-window primitives and GEMM: `conv2d` is unfold +
 * matmul, `convTranspose2d` is matmul + fold, `conv1d` is conv2d over a height of 1. Also the
 * public `unfold` / `fold` (PyTorch's `F.unfold` / `F.fold`).
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import { foldPrim, unfoldPrim } from '../../autograd/ops/nn.js';
import type { WindowSpec } from '../../kernels/conv.js';
import type { Tensor } from '../../autograd/tensor.js';
import { add } from '../../autograd/ops/elementwise.js';
import { matmul } from '../../autograd/ops/linalg.js';
import { reshape, squeeze, transpose, unsqueeze } from '../../autograd/ops/shape.js';
import { parseArgs, signature } from '../args/parse.js';
import { checkFloat } from './checks.js';
import { convPadding1, convPadding2, pad2, positiveInt, size1, size2, tensorOrNull } from '../args/checks.js';

/** A size given for both spatial dims, or per dim as [height, width]. */
export type Size2 = number | readonly [number, number];

/** Padding of a convolution: a size, or PyTorch's `'same'` (output size = input size, stride 1) or `'valid'` (no padding). */
export type ConvPadding = Size2 | 'same' | 'valid';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Zero padding on each side, or 'same' / 'valid' (default 0). */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Zero padding on each side, or 'same' / 'valid' (default 0). */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/** Options of {@link convTranspose2d}. */
export interface ConvTranspose2dOptions {
  /** Stride of the convolution this transposes (default 1). */
  stride?: Size2;
  /** Padding of the convolution this transposes: removes `dilation·(k−1)−padding` from each side (default 0). */
  padding?: Size2;
  /** Extra size added to one side of the output, to pick among the input sizes a strided conv maps to the same size (default 0). */
  outputPadding?: Size2;
  /** Number of blocked connections (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
}

/** Options of {@link unfold} and {@link fold}. */
export interface UnfoldOptions {
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Zero padding on each side (default 0). */
  padding?: Size2;
  /** Step between windows (default 1). */
  stride?: Size2;
}

/** The geometry options of a 2-d convolution, shared by `nn.Conv2d` and `nn.F.conv2d`. @internal */
export const CONV2D_OPTIONS = { stride: size2, padding: convPadding2, dilation: size2, groups: positiveInt } as const;

/** The geometry options of a 1-d convolution, shared by `nn.Conv1d` and `nn.F.conv1d`. @internal */
export const CONV1D_OPTIONS = { stride: size1, padding: convPadding1, dilation: size1, groups: positiveInt } as const;

/** The geometry options of a transposed 2-d convolution, shared by the layer and the function. @internal */
export const CONV_TRANSPOSE2D_OPTIONS = {
  stride: size2,
  padding: pad2,
  outputPadding: pad2,
  groups: positiveInt,
  dilation: size2,
} as const;

/** The window options of `unfold` and `fold`. @internal */
const UNFOLD_OPTIONS = { dilation: size2, padding: pad2, stride: size2 } as const;

const CONV2D = signature({
  op: 'nn.F.conv2d',
  positional: ['bias', 'stride', 'padding', 'dilation', 'groups'],
  spec: { bias: tensorOrNull, ...CONV2D_OPTIONS },
  forms:
    'nn.F.conv2d(input, weight, bias?, stride?, padding?, dilation?, groups?) or nn.F.conv2d(input, weight, bias?, { stride, padding, dilation, groups })',
});

const CONV1D = signature({
  op: 'nn.F.conv1d',
  positional: ['bias', 'stride', 'padding', 'dilation', 'groups'],
  spec: { bias: tensorOrNull, ...CONV1D_OPTIONS },
  forms:
    'nn.F.conv1d(input, weight, bias?, stride?, padding?, dilation?, groups?) or nn.F.conv1d(input, weight, bias?, { stride, padding, dilation, groups })',
});

const CONV_TRANSPOSE2D = signature({
  op: 'nn.F.convTranspose2d',
  positional: ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'],
  spec: { bias: tensorOrNull, ...CONV_TRANSPOSE2D_OPTIONS },
  forms:
    'nn.F.convTranspose2d(input, weight, bias?, stride?, padding?, outputPadding?, groups?, dilation?) or nn.F.convTranspose2d(input, weight, bias?, { stride, padding, outputPadding, groups, dilation })',
});

const UNFOLD = signature({
  op: 'nn.F.unfold',
  positional: ['kernelSize', 'dilation', 'padding', 'stride'],
  required: 1,
  spec: { kernelSize: size2, ...UNFOLD_OPTIONS },
  forms: 'nn.F.unfold(input, kernelSize, dilation?, padding?, stride?) or nn.F.unfold(input, kernelSize, { dilation, padding, stride })',
});

const FOLD = signature({
  op: 'nn.F.fold',
  positional: ['outputSize', 'kernelSize', 'dilation', 'padding', 'stride'],
  required: 2,
  spec: { outputSize: size2, kernelSize: size2, ...UNFOLD_OPTIONS },
  forms:
    'nn.F.fold(input, outputSize, kernelSize, dilation?, padding?, stride?) or nn.F.fold(input, outputSize, kernelSize, { dilation, padding, stride })',
});

/** Validates a per-dim size option: integers >= `min`. @internal */
export function pairOf(op: string, name: string, value: Size2, min: number): [number, number] {
  const pair: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  if ((typeof value !== 'number' && (value as readonly number[]).length !== 2) || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    const shown = typeof value === 'number' ? String(value) : `[${(value as readonly number[]).join(', ')}]`;
    throw new ValueError(`${op}: ${name} must be an integer >= ${min} or a pair of them, got ${shown}`);
  }
  return pair;
}

/**
 * Number of window positions along one axis: floor((size + padding − dilation·(k−1) − 1) / stride) + 1,
 * with a ShapeError naming the op when the dilated kernel does not fit the padded input.
 * @internal
 */
function windowCount(
  op: string,
  shape: readonly number[],
  axis: string,
  size: number,
  k: number,
  stride: number,
  padTotal: number,
  dilation: number,
): number {
  const span = dilation * (k - 1) + 1;
  if (size + padTotal < span) {
    throw new ShapeError(
      `${op}: the kernel (size ${k}, dilation ${dilation}, so ${span} wide) is larger than the padded input ${axis} ${size + padTotal} ` +
        `(input ${fmtShape(shape)}, padding ${padTotal} in total)`,
    );
  }
  return Math.floor((size + padTotal - span) / stride) + 1;
}

/** Adds a batch dim to an unbatched input of `ndim − 1` dims; checks the rank. @internal */
export function batchOf(op: string, x: Tensor, ndim: number, layout: string): { x: Tensor; unbatched: boolean } {
  if (x.ndim === ndim) return { x, unbatched: false };
  if (x.ndim === ndim - 1) return { x: unsqueeze(x, 0), unbatched: true };
  throw new ShapeError(
    `${op}: expected a ${ndim}-d input ${layout} (or ${ndim - 1}-d without the batch dim), got shape ${fmtShape(x.shape)}`,
  );
}

function windowSpec(op: string, x: { shape: readonly number[] }, kernel: [number, number], o: UnfoldOptions): WindowSpec {
  const [kh, kw] = kernel;
  const [sh, sw] = pairOf(op, 'stride', o.stride ?? 1, 1);
  const [ph, pw] = pairOf(op, 'padding', o.padding ?? 0, 0);
  const [dh, dw] = pairOf(op, 'dilation', o.dilation ?? 1, 1);
  const h = x.shape[2]!;
  const w = x.shape[3]!;
  const outH = windowCount(op, x.shape, 'height', h, kh, sh, 2 * ph, dh);
  const outW = windowCount(op, x.shape, 'width', w, kw, sw, 2 * pw, dw);
  return { h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW };
}

/**
 * Extracts sliding local blocks (im2col), as PyTorch's `F.unfold`: [N, C, H, W] → [N, C·kh·kw, L]
 * where L is the number of window positions; rows are ordered (channel, kernel row, kernel column).
 * @example
 * ```ts
 * unfold(randn([1, 3, 4, 4]), 2).shape; // [1, 12, 9]
 * ```
 */
export function unfold(input: Tensor, kernelSize: Size2, options?: UnfoldOptions): Tensor;
/** PyTorch's positional form `F.unfold(input, kernel_size, dilation, padding, stride)`. */
export function unfold(input: Tensor, kernelSize: Size2, dilation?: Size2, padding?: Size2, stride?: Size2): Tensor;
export function unfold(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'unfold';
  const o = parseArgs(UNFOLD, args) as UnfoldOptions & { kernelSize: Size2 };
  checkFloat(op, input);
  const { x, unbatched } = batchOf(op, input, 4, '[N, C, H, W]');
  const out = unfoldPrim(x, windowSpec(op, x, pairOf(op, 'kernelSize', o.kernelSize, 1), o));
  return unbatched ? squeeze(out, 0) : out;
}

/**
 * Sums sliding local blocks into an image (col2im), as PyTorch's `F.fold`: [N, C·kh·kw, L] →
 * [N, C, H, W] with [H, W] = `outputSize`; overlapping taps add up. The adjoint of {@link unfold}.
 * @example
 * ```ts
 * fold(ones([1, 4, 9]), [4, 4], 2); // counts of windows covering each pixel, shape [1, 1, 4, 4]
 * ```
 */
export function fold(input: Tensor, outputSize: Size2, kernelSize: Size2, options?: UnfoldOptions): Tensor;
/** PyTorch's positional form `F.fold(input, output_size, kernel_size, dilation, padding, stride)`. */
export function fold(input: Tensor, outputSize: Size2, kernelSize: Size2, dilation?: Size2, padding?: Size2, stride?: Size2): Tensor;
export function fold(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'fold';
  const o = parseArgs(FOLD, args) as UnfoldOptions & { kernelSize: Size2; outputSize: Size2 };
  const { outputSize, kernelSize } = o;
  const options = o;
  checkFloat(op, input);
  const { x, unbatched } = batchOf(op, input, 3, '[N, C·kh·kw, L]');
  const [kh, kw] = pairOf(op, 'kernelSize', kernelSize, 1);
  const [h, w] = pairOf(op, 'outputSize', outputSize, 1);
  const rows = x.shape[1]!;
  if (rows % (kh * kw) !== 0) {
    throw new ShapeError(
      `fold: the input's dim 1 (${rows}, shape ${fmtShape(input.shape)}) must be divisible by the kernel's ${kh}·${kw} = ${kh * kw} taps`,
    );
  }
  const spec = windowSpec(op, { shape: [x.shape[0]!, rows / (kh * kw), h, w] }, [kh, kw], options);
  if (spec.outH * spec.outW !== x.shape[2]) {
    throw new ShapeError(
      `fold: the input's ${x.shape[2]} blocks (shape ${fmtShape(input.shape)}) do not match the ${spec.outH}·${spec.outW} = ${spec.outH * spec.outW} ` +
        `blocks that outputSize [${h}, ${w}], kernelSize [${kh}, ${kw}] and the options give`,
    );
  }
  const out = foldPrim(x, spec);
  return unbatched ? squeeze(out, 0) : out;
}

/** Leading and trailing padding of one axis for a conv padding option. */
function convPads(
  op: string,
  padding: ConvPadding,
  k: [number, number],
  d: [number, number],
  s: [number, number],
): [[number, number], [number, number]] {
  if (padding === 'valid')
    return [
      [0, 0],
      [0, 0],
    ];
  if (padding === 'same') {
    if (s[0] !== 1 || s[1] !== 1)
      throw new ValueError(`${op}: padding 'same' is not supported for strided convolutions (stride [${s.join(', ')}])`);
    return [0, 1].map((i) => {
      const total = d[i]! * (k[i]! - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }) as [[number, number], [number, number]];
  }
  if (typeof padding === 'string')
    throw new ValueError(`${op}: padding must be a number, a pair, 'same' or 'valid', got '${padding as string}'`);
  const [ph, pw] = pairOf(op, 'padding', padding, 0);
  return [
    [ph, ph],
    [pw, pw],
  ];
}

function checkBias(op: string, bias: Tensor | null | undefined, channels: number, x: Tensor): void {
  if (bias == null) return;
  if (bias.ndim !== 1 || bias.shape[0] !== channels) {
    throw new ShapeError(`${op}: bias must have shape [${channels}] (one per output channel), got ${fmtShape(bias.shape)}`);
  }
  if (bias.dtype !== x.dtype) throw new DTypeError(`${op}: bias dtype ${bias.dtype} does not match the input dtype ${x.dtype}`);
}

function checkGroups(op: string, groups: number, inC: number, outC: number, weightShape: readonly number[]): void {
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  if (inC % groups !== 0 || outC % groups !== 0) {
    throw new ValueError(
      `${op}: groups ${groups} must divide both the ${inC} input channels and the ${outC} output channels (weight ${fmtShape(weightShape)})`,
    );
  }
}

/** conv2d on a 4-d input; `op` names the public function in errors. */
function conv2dImpl(
  op: string,
  oneD: boolean,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  o: Conv2dOptions,
  shown = { input: input.shape, weight: weight.shape },
): Tensor {
  checkFloat(op, input);
  checkFloat(op, weight, 'weight');
  if (weight.dtype !== input.dtype)
    throw new DTypeError(`${op}: weight dtype ${weight.dtype} does not match the input dtype ${input.dtype}`);
  const { x, unbatched } = batchOf(op, input, 4, oneD ? '[N, C, L]' : '[N, C, H, W]');
  if (weight.ndim !== 4)
    throw new ShapeError(`${op}: weight must be 4-d [outChannels, inChannels/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const [n, c] = x.shape as [number, number];
  const [outC, cg, kh, kw] = weight.shape as [number, number, number, number];
  const groups = o.groups ?? 1;
  checkGroups(op, groups, c, outC, shown.weight);
  if (cg * groups !== c) {
    throw new ShapeError(
      `${op}: expected the input to have ${cg * groups} channels (weight ${fmtShape(shown.weight)}, groups ${groups}), but got ${c} channels (input ${fmtShape(shown.input)})`,
    );
  }
  checkBias(op, bias, outC, x);
  const stride = pairOf(op, 'stride', o.stride ?? 1, 1);
  const dilation = pairOf(op, 'dilation', o.dilation ?? 1, 1);
  const [padH, padW] = convPads(op, o.padding ?? 0, [kh, kw], dilation, stride);
  const h = x.shape[2]!;
  const w = x.shape[3]!;
  const spec: WindowSpec = {
    h,
    w,
    kh,
    kw,
    sh: stride[0],
    sw: stride[1],
    ph: padH[0],
    pw: padW[0],
    dh: dilation[0],
    dw: dilation[1],
    outH: windowCount(op, shown.input, 'height', h, kh, stride[0], padH[0] + padH[1], dilation[0]),
    outW: windowCount(op, shown.input, oneD ? 'length' : 'width', w, kw, stride[1], padW[0] + padW[1], dilation[1]),
  };
  const cols = unfoldPrim(x, spec);
  const L = spec.outH * spec.outW;
  const K = cg * kh * kw;
  let out: Tensor;
  if (groups === 1) out = matmul(reshape(weight, [outC, K]), cols);
  else out = matmul(reshape(weight, [groups, outC / groups, K]), reshape(cols, [n, groups, K, L]));
  out = reshape(out, [n, outC, spec.outH, spec.outW]);
  if (bias != null) out = add(out, reshape(bias, [1, outC, 1, 1]));
  return unbatched ? squeeze(out, 0) : out;
}

/**
 * 2-d convolution (cross-correlation, as PyTorch) of `input` [N, C, H, W] (or [C, H, W]) with
 * `weight` [outC, C/groups, kh, kw], plus `bias` [outC]. Computed as unfold + GEMM.
 * @example
 * ```ts
 * conv2d(randn([1, 3, 8, 8]), randn([4, 3, 3, 3]), null, { padding: 'same' }).shape; // [1, 4, 8, 8]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
/** PyTorch's positional form `F.conv2d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  stride: Size2,
  padding?: ConvPadding,
  dilation?: Size2,
  groups?: number,
): Tensor;
export function conv2d(input: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  const o = parseArgs(CONV2D, args) as Conv2dOptions & { bias?: Tensor | null };
  return conv2dImpl('conv2d', false, input, weight, o.bias, o);
}

/** {@link conv2d} with errors naming `op` (a layer). @internal */
export function conv2dAs(op: string, input: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
  return conv2dImpl(op, false, input, weight, bias, options);
}

/**
 * 1-d convolution of `input` [N, C, L] (or [C, L]) with `weight` [outC, C/groups, k], plus `bias` [outC].
 * @example
 * ```ts
 * conv1d(randn([2, 3, 10]), randn([5, 3, 3])).shape; // [2, 5, 8]
 * ```
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv1dOptions): Tensor;
/** PyTorch's positional form `F.conv1d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  stride: number,
  padding?: number | 'same' | 'valid',
  dilation?: number,
  groups?: number,
): Tensor;
export function conv1d(input: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  const o = parseArgs(CONV1D, args) as Conv1dOptions & { bias?: Tensor | null };
  return conv1dAs('conv1d', input, weight, o.bias, o);
}

/** {@link conv1d} with errors naming `op` (a layer). @internal */
export function conv1dAs(op: string, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: Conv1dOptions): Tensor {
  if (input.ndim !== 3 && input.ndim !== 2)
    throw new ShapeError(`${op}: expected a 3-d input [N, C, L] (or 2-d without the batch dim), got shape ${fmtShape(input.shape)}`);
  if (weight.ndim !== 3)
    throw new ShapeError(`${op}: weight must be 3-d [outChannels, inChannels/groups, k], got ${fmtShape(weight.shape)}`);
  const padding = options.padding ?? 0;
  const out = conv2dImpl(
    op,
    true,
    unsqueeze(input, -2),
    unsqueeze(weight, 2),
    bias,
    {
      stride: [1, options.stride ?? 1],
      padding: typeof padding === 'number' ? [0, padding] : padding,
      dilation: [1, options.dilation ?? 1],
      groups: options.groups ?? 1,
    },
    { input: input.shape, weight: weight.shape },
  );
  return squeeze(out, -2);
}

/**
 * 2-d transposed convolution (the gradient of conv2d with respect to its input) of `input`
 * [N, Cin, H, W] (or [Cin, H, W]) with `weight` [Cin, Cout/groups, kh, kw], plus `bias` [Cout].
 * Output size: (H − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1. Computed as GEMM + fold.
 * @example
 * ```ts
 * convTranspose2d(randn([1, 4, 5, 5]), randn([4, 2, 3, 3]), null, { stride: 2 }).shape; // [1, 2, 11, 11]
 * ```
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTranspose2dOptions): Tensor;
/** PyTorch's positional form `F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)`. */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  stride: Size2,
  padding?: Size2,
  outputPadding?: Size2,
  groups?: number,
  dilation?: Size2,
): Tensor;
export function convTranspose2d(input: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  const o = parseArgs(CONV_TRANSPOSE2D, args) as ConvTranspose2dOptions & { bias?: Tensor | null };
  return convTranspose2dAs('convTranspose2d', input, weight, o.bias, o);
}

/** {@link convTranspose2d} with errors naming `op` (a layer). @internal */
export function convTranspose2dAs(
  op: string,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  options: ConvTranspose2dOptions,
): Tensor {
  checkFloat(op, input);
  checkFloat(op, weight, 'weight');
  if (weight.dtype !== input.dtype)
    throw new DTypeError(`${op}: weight dtype ${weight.dtype} does not match the input dtype ${input.dtype}`);
  const { x, unbatched } = batchOf(op, input, 4, '[N, C, H, W]');
  if (weight.ndim !== 4)
    throw new ShapeError(`${op}: weight must be 4-d [inChannels, outChannels/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [wc, cog, kh, kw] = weight.shape as [number, number, number, number];
  const groups = options.groups ?? 1;
  const outC = cog * groups;
  checkGroups(op, groups, wc, outC, weight.shape);
  if (wc !== c)
    throw new ShapeError(
      `${op}: expected the input to have ${wc} channels (weight ${fmtShape(weight.shape)}), but got ${c} channels (input ${fmtShape(input.shape)})`,
    );
  checkBias(op, bias, outC, x);
  const [sh, sw] = pairOf(op, 'stride', options.stride ?? 1, 1);
  const [ph, pw] = pairOf(op, 'padding', options.padding ?? 0, 0);
  const [dh, dw] = pairOf(op, 'dilation', options.dilation ?? 1, 1);
  const [oph, opw] = pairOf(op, 'outputPadding', options.outputPadding ?? 0, 0);
  if ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)) {
    throw new ValueError(
      `${op}: outputPadding [${oph}, ${opw}] must be smaller than either the stride [${sh}, ${sw}] or the dilation [${dh}, ${dw}]`,
    );
  }
  const outH = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const outW = (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (outH <= 0 || outW <= 0) {
    throw new ShapeError(
      `${op}: the padding [${ph}, ${pw}] leaves an empty output ${fmtShape([outH, outW])} for input ${fmtShape(input.shape)} and weight ${fmtShape(weight.shape)}`,
    );
  }
  const K = cog * kh * kw;
  const cg = c / groups;
  const wT = transpose(reshape(weight, [groups, cg, K]), -1, -2);
  const cols = reshape(matmul(wT, reshape(x, [n, groups, cg, h * w])), [n, groups * K, h * w]);
  let out = foldPrim(cols, { h: outH, w: outW, kh, kw, sh, sw, ph, pw, dh, dw, outH: h, outW: w });
  if (bias != null) out = add(out, reshape(bias, [1, outC, 1, 1]));
  return unbatched ? squeeze(out, 0) : out;
}
