/**
 * Creating tensors: from nested arrays or typed arrays, constant fills, ranges and the identity.
 * Sizes come in PyTorch's forms (`zeros(2, 3)` or `zeros([2, 3])`), options last.
 * @module
 */
import { checkArity, describe, parseOptions, sizesOf, splitOptions } from '../args.js';
import { allocate, checkDType, checkValueFits, dtypeOfArray, type DType, type TypedArray } from '../dtype.js';
import { ArgumentTypeError, ValueError } from '../errors.js';
import { checkNumel, checkShape } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';
import {
  TENSOR_OPTIONS,
  finish,
  likeArgs,
  make,
  numberArg,
  sizeArgs,
  trimmed,
  type SizeArgs,
  type TensorOptions,
} from './creation-args.js';

export type { SizeArgs, TensorOptions } from './creation-args.js';

/** Writes one JS value into an element of `dtype`: bool is nonzero, int32 must fit. */
function storeValue(op: string, out: TypedArray, i: number, v: number | boolean, dtype: DType): void {
  // bool is nonzero, NaN included, as in PyTorch.
  if (dtype === 'bool') out[i] = v === 0 || v === false ? 0 : 1;
  else {
    const x = Number(v);
    checkValueFits(op, x, dtype);
    out[i] = x;
  }
}

const TENSOR_FORMS = 'tensor(data) or tensor(data, { dtype, requiresGrad })';

/**
 * A tensor from nested arrays of numbers or booleans, or from a typed array (1-d, copied).
 * JS numbers carry no int/float distinction, so numbers give float32 unless `dtype` says otherwise.
 * An int32 tensor rejects NaN, infinities and values outside the int32 range, as PyTorch does.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const i = tensor([0, 2], { dtype: 'int32' });
 * ```
 */
export function tensor(data: NestedArray | TypedArray | readonly NestedArray[], options?: TensorOptions): Tensor {
  checkArity('tensor', arguments, 2, TENSOR_FORMS);
  const o = parseOptions('tensor', options, TENSOR_OPTIONS, { forms: TENSOR_FORMS });
  if (ArrayBuffer.isView(data)) {
    if (data instanceof DataView)
      throw new ArgumentTypeError(`tensor: expected nested arrays or a typed array, got a DataView; accepted forms: ${TENSOR_FORMS}`);
    const src = data;
    const dtype = o.dtype ?? dtypeOfArray(src);
    const out = allocate(dtype, checkNumel('tensor', [src.length]));
    if (dtype === 'int32' && !(src instanceof Int32Array) && !(src instanceof Uint8Array))
      for (let i = 0; i < src.length; i++) storeValue('tensor', out, i, src[i]!, dtype);
    else if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] === 0 ? 0 : 1;
    else out.set(src);
    return finish(Tensor._fromData(out, [src.length], dtype), o);
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const isBool = typeof probe === 'boolean';
  if (shape.every((s) => s > 0) && typeof probe !== 'number' && !isBool) {
    throw new ValueError(`tensor: expected numbers or booleans, found ${probe === null ? 'null' : typeof probe}`);
  }
  const dtype = checkDType('tensor', o.dtype ?? (isBool ? 'bool' : 'float32'));
  const flat = allocate(dtype, checkNumel('tensor', shape));
  let pos = 0;
  const walk = (node: unknown, d: number, path: number[]): void => {
    if (d === shape.length) {
      if (typeof node !== 'number' && typeof node !== 'boolean') {
        throw new ValueError(
          `tensor: ragged or invalid nested array: expected a number at [${path.join(', ')}], found ${Array.isArray(node) ? 'an array' : typeof node}`,
        );
      }
      storeValue('tensor', flat, pos++, node, dtype);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[d]) {
      throw new ValueError(
        `tensor: ragged nested array: expected ${shape[d]} elements at [${path.join(', ')}] (like the first entry), found ${Array.isArray(node) ? node.length : typeof node}`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i], d + 1, [...path, i]);
  };
  walk(data, 0, []);
  return finish(Tensor._fromData(flat, shape, dtype), o);
}

function constantFill(op: string, args: ArrayLike<unknown>, value: number): Tensor {
  const forms = `${op}(2, 3), ${op}([2, 3]) or ${op}(2, 3, { dtype, requiresGrad })`;
  const [shape, options] = sizeArgs(op, args, forms);
  const o = parseOptions(op, options, TENSOR_OPTIONS, { forms });
  return make(op, shape, o.dtype ?? 'float32', o.requiresGrad, value === 0 ? undefined : (d) => d.fill(value));
}

/**
 * A tensor of zeros; sizes as in PyTorch: `zeros(2, 3)` or `zeros([2, 3])`, options last.
 * @example
 * ```ts
 * zeros(2, 3);
 * zeros([2, 3], { dtype: 'int32' });
 * ```
 */
export function zeros(...args: SizeArgs<TensorOptions>): Tensor {
  return constantFill('zeros', args, 0);
}

/**
 * A tensor of ones; sizes as in {@link zeros}.
 * @example
 * ```ts
 * ones(2, 3, { dtype: 'float64' });
 * ```
 */
export function ones(...args: SizeArgs<TensorOptions>): Tensor {
  return constantFill('ones', args, 1);
}

const FULL_FORMS = 'full([2, 3], value) or full([2, 3], value, { dtype, requiresGrad })';

/**
 * A tensor filled with `value`. The size is an array, as in PyTorch (`full(2, 7)` is rejected: it
 * reads like a 2-by-7 shape). A boolean value gives a bool tensor; an int32 tensor rejects NaN and
 * out-of-range values.
 * @example
 * ```ts
 * full([2, 2], 7);
 * ```
 */
export function full(size: readonly number[], value: number | boolean, options?: TensorOptions): Tensor {
  checkArity('full', arguments, 3, FULL_FORMS);
  if (!Array.isArray(size) && !ArrayBuffer.isView(size))
    throw new ArgumentTypeError(`full: size must be an array of sizes, got ${describe(size)}; accepted forms: ${FULL_FORMS}`);
  const shape = checkShape('full', sizesOf('full', [size], FULL_FORMS));
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new ArgumentTypeError(`full: value must be a number or a boolean, got ${describe(value)}; accepted forms: ${FULL_FORMS}`);
  const o = parseOptions('full', options, TENSOR_OPTIONS, { forms: FULL_FORMS });
  const dtype = o.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const v = Number(value);
  checkValueFits('full', v, dtype);
  // A bool tensor holds 0/1: any nonzero value (NaN included) is true, as in PyTorch.
  return make('full', shape, dtype, o.requiresGrad, (d) => d.fill(dtype === 'bool' ? +(v !== 0) : v));
}

const ARANGE_FORMS = 'arange(end), arange(start, end), arange(start, end, step), each with an optional { dtype, requiresGrad } last';

/**
 * `start, start + step, ...` below `end`; `arange(n)` is `0 .. n-1`. Integer arguments give int32
 * unless `dtype` says otherwise. Forms: `arange(end)`, `arange(start, end)`, `arange(start, end, step)`,
 * each with an options object last.
 * @example
 * ```ts
 * arange(5);                      // tensor([0, 1, 2, 3, 4])
 * arange(0, 1, 0.25);             // tensor([0, 0.25, 0.5, 0.75])
 * arange(16, { dtype: 'float32' });
 * ```
 */
export function arange(
  ...args:
    | [end: number, options?: TensorOptions]
    | [start: number, end: number, options?: TensorOptions]
    | [start: number, end: number, step: number | undefined, options?: TensorOptions]
): Tensor {
  const [pos, options] = splitOptions(trimmed(args));
  checkArity('arange', pos, 3, ARANGE_FORMS);
  if (pos.length === 0) throw new ArgumentTypeError(`arange: missing end; accepted forms: ${ARANGE_FORMS}`);
  const o = parseOptions('arange', options, TENSOR_OPTIONS, { forms: ARANGE_FORMS });
  const nums = pos.map((v, i) =>
    i === 2 && v === undefined ? 1 : numberArg('arange', ['start', 'end', 'step'][pos.length === 1 ? 1 : i]!, v, ARANGE_FORMS),
  );
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be finite and nonzero, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new ValueError(`arange: start and end must be finite, got start=${start} end=${end}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = o.dtype ?? (ints ? 'int32' : 'float32');
  if (n > 0) {
    checkValueFits('arange', start, dtype);
    checkValueFits('arange', start + (n - 1) * step, dtype);
  }
  return make('arange', checkShape('arange', [n]), dtype, o.requiresGrad, (d) => {
    for (let i = 0; i < n; i++) d[i] = start + i * step;
  });
}

const LINSPACE_FORMS = 'linspace(start, end, steps) or linspace(start, end, steps, { dtype, requiresGrad })';

/**
 * `steps` evenly spaced values from `start` to `end` inclusive.
 * @example
 * ```ts
 * linspace(0, 1, 5); // tensor([0, 0.25, 0.5, 0.75, 1])
 * ```
 */
export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  checkArity('linspace', arguments, 4, LINSPACE_FORMS);
  numberArg('linspace', 'start', start, LINSPACE_FORMS);
  numberArg('linspace', 'end', end, LINSPACE_FORMS);
  if (steps === undefined) throw new ArgumentTypeError(`linspace: missing steps; accepted forms: ${LINSPACE_FORMS}`);
  numberArg('linspace', 'steps', steps, LINSPACE_FORMS);
  const o = parseOptions('linspace', options, TENSOR_OPTIONS, { forms: LINSPACE_FORMS });
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace: steps must be a non-negative integer, got ${steps}`);
  return make('linspace', [steps], o.dtype ?? 'float32', o.requiresGrad, (d) => {
    const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
    // Fill from both ends so the last value is exactly `end`, as PyTorch does.
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) d[i] = i < half || steps === 1 ? start + i * delta : end - (steps - 1 - i) * delta;
  });
}

const EYE_FORMS = 'eye(n), eye(n, m), eye(n, { dtype, requiresGrad }) or eye(n, m, { dtype, requiresGrad })';

/**
 * The identity matrix (n × m, default square).
 * @example
 * ```ts
 * eye(3);
 * eye(2, 3, { dtype: 'int32' });
 * ```
 */
export function eye(...args: [n: number, options?: TensorOptions] | [n: number, m: number | undefined, options?: TensorOptions]): Tensor {
  const [pos, options] = splitOptions(trimmed(args));
  checkArity('eye', pos, 2, EYE_FORMS);
  const n = numberArg('eye', 'n', pos[0], EYE_FORMS);
  const m = pos[1] === undefined ? n : numberArg('eye', 'm', pos[1], EYE_FORMS);
  const o = parseOptions('eye', options, TENSOR_OPTIONS, { forms: EYE_FORMS });
  return make('eye', checkShape('eye', [n, m]), o.dtype ?? 'float32', o.requiresGrad, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

/**
 * Zeros with the shape (and by default the dtype) of `t`.
 * @example
 * ```ts
 * zerosLike(x);
 * ```
 */
export function zerosLike(t: Tensor, options?: TensorOptions): Tensor {
  const forms = 'zerosLike(t) or zerosLike(t, { dtype, requiresGrad })';
  likeArgs('zerosLike', arguments, 2, forms);
  const o = parseOptions('zerosLike', options, TENSOR_OPTIONS, { forms });
  return make('zerosLike', [...t.shape], o.dtype ?? t.dtype, o.requiresGrad);
}

/**
 * Ones with the shape and dtype of `t`.
 * @example
 * ```ts
 * onesLike(x);
 * ```
 */
export function onesLike(t: Tensor, options?: TensorOptions): Tensor {
  const forms = 'onesLike(t) or onesLike(t, { dtype, requiresGrad })';
  likeArgs('onesLike', arguments, 2, forms);
  const o = parseOptions('onesLike', options, TENSOR_OPTIONS, { forms });
  return make('onesLike', [...t.shape], o.dtype ?? t.dtype, o.requiresGrad, (d) => d.fill(1));
}

/**
 * `value` everywhere, with the shape and dtype of `t`.
 * @example
 * ```ts
 * fullLike(x, 0.5);
 * ```
 */
export function fullLike(t: Tensor, value: number | boolean, options?: TensorOptions): Tensor {
  const forms = 'fullLike(t, value) or fullLike(t, value, { dtype, requiresGrad })';
  likeArgs('fullLike', arguments, 3, forms);
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new ArgumentTypeError(`fullLike: value must be a number or a boolean, got ${describe(value)}; accepted forms: ${forms}`);
  const o = parseOptions('fullLike', options, TENSOR_OPTIONS, { forms });
  return full(t.shape, value, { dtype: o.dtype ?? t.dtype, requiresGrad: o.requiresGrad });
}
