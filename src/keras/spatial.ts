/**
 * Shared pieces of the Keras image layers: positional-or-options arguments, `dataFormat`
 * (channels-last by default, like Keras) and the transposes around the NCHW `nn` ops, Keras'
 * `'valid'`/`'same'` output sizes and the asymmetric `'same'` padding (the extra row/column goes
 * at the bottom/right, as in Keras).
 * @module
 */
import { checkArity, isPlainObject, numOrTuple, oneOf, type Check } from '../autograd/args.js';
import { ArgumentTypeError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { full } from '../autograd/ops/creation.js';
import { cat } from '../autograd/ops/shape.js';
import type { Tensor } from '../autograd/tensor.js';
import { describeValue } from './names.js';

/** Where the channels are: `channels_last` (`[batch, height, width, channels]`, Keras' default) or `channels_first` (`[batch, channels, height, width]`, PyTorch's). */
export type DataFormat = 'channels_last' | 'channels_first';

/** Keras' padding modes: `valid` (none) or `same` (output size = ceil(input / stride)). */
export type KerasPadding = 'valid' | 'same';

/** @internal */ export const dataFormatCheck: Check<DataFormat> = oneOf(['channels_last', 'channels_first'] as const);
/** @internal */ export const paddingCheck: Check<KerasPadding> = oneOf(['valid', 'same'] as const);
/** A size for both spatial dims or `[height, width]`. @internal */
export const pairCheck: Check<number | number[]> = numOrTuple(2, { integer: true, min: 1 });

/** `3` → `[3, 3]`. @internal */
export function pair(v: number | readonly number[]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0]!, v[1]!];
}

/**
 * Reads the forms `(a, b, options?)` (leading positional values named `keys`, as Keras' positional
 * arguments) and `(options)`. @internal
 */
export function positionalAndOptions(
  op: string,
  args: readonly unknown[],
  keys: readonly string[],
  forms: string,
): Record<string, unknown> | undefined {
  checkArity(op, args, keys.length + 1, forms);
  let i = 0;
  const out: Record<string, unknown> = {};
  while (i < args.length && i < keys.length && !isPlainObject(args[i]) && args[i] !== undefined) {
    out[keys[i]!] = args[i];
    i++;
  }
  const rest = args[i];
  if (i < args.length - 1)
    throw new ArgumentTypeError(`${op}: unexpected argument ${describeValue(args[i + 1])} after the options; accepted forms: ${forms}`);
  if (rest === undefined) return i === 0 ? undefined : out;
  if (!isPlainObject(rest))
    throw new ArgumentTypeError(`${op}: expected an options object, got ${describeValue(rest)}; accepted forms: ${forms}`);
  for (const k of Object.keys(out)) {
    if (Object.hasOwn(rest, k)) throw new ValueError(`${op}: ${k} given twice, as an argument and in the options`);
  }
  return { ...rest, ...out };
}

/** `[N, H, W, C]` → `[N, C, H, W]` for channels-last data (a view); channels-first data as is. @internal */
export function toNCHW(x: Tensor, format: DataFormat): Tensor {
  return format === 'channels_last' ? x.permute([0, 3, 1, 2]) : x;
}

/** `[N, C, H, W]` → the layer's data format. @internal */
export function fromNCHW(x: Tensor, format: DataFormat): Tensor {
  return format === 'channels_last' ? x.permute([0, 2, 3, 1]) : x;
}

/** A sample shape `[H, W, C]` or `[C, H, W]` as `{ h, w, c }`. @internal */
export function imageDims(op: string, shape: readonly number[], format: DataFormat): { h: number; w: number; c: number } {
  if (shape.length !== 3) {
    const layout = format === 'channels_last' ? '[height, width, channels]' : '[channels, height, width]';
    throw new ShapeError(`${op}: expected images of sample shape ${layout} (dataFormat '${format}'), got sample shape ${fmtShape(shape)}`);
  }
  return format === 'channels_last' ? { h: shape[0]!, w: shape[1]!, c: shape[2]! } : { c: shape[0]!, h: shape[1]!, w: shape[2]! };
}

/** The sample shape for `{ h, w, c }` in `format`. @internal */
export function imageShape(h: number, w: number, c: number, format: DataFormat): number[] {
  return format === 'channels_last' ? [h, w, c] : [c, h, w];
}

/** Keras' output size of a window op along one dim. @internal */
export function outSize(op: string, size: number, k: number, stride: number, dilation: number, padding: KerasPadding): number {
  if (padding === 'same') return Math.ceil(size / stride);
  const n = Math.floor((size - (k - 1) * dilation - 1) / stride) + 1;
  if (n < 1)
    throw new ShapeError(`${op}: an input of size ${size} is smaller than the window (${(k - 1) * dilation + 1}) with padding 'valid'`);
  return n;
}

/** Keras' `'same'` padding along one dim: `[before, after]` with the odd one after. @internal */
function samePad(size: number, k: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Pads dim `dim` of `x` with `before`/`after` slices of `value` (differentiable: a concatenation). @internal */
function padDim(x: Tensor, dim: number, before: number, after: number, value: number): Tensor {
  if (before === 0 && after === 0) return x;
  const parts: Tensor[] = [];
  const block = (n: number): Tensor =>
    full(
      x.shape.map((d, i) => (i === dim ? n : d)),
      value,
      { dtype: x.dtype as 'float32' },
    );
  if (before > 0) parts.push(block(before));
  parts.push(x);
  if (after > 0) parts.push(block(after));
  return cat(parts, dim);
}

/** Pads the H and W dims of an NCHW tensor for Keras' `'same'` windows. @internal */
export function padSame(
  x: Tensor,
  k: readonly [number, number],
  stride: readonly [number, number],
  dilation: readonly [number, number],
  value: number,
): Tensor {
  const [top, bottom] = samePad(x.shape[2]!, k[0], stride[0], dilation[0]);
  const [left, right] = samePad(x.shape[3]!, k[1], stride[1], dilation[1]);
  return padDim(padDim(x, 2, top, bottom, value), 3, left, right, value);
}
