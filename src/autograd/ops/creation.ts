/**
 * Creating tensors: from nested arrays or typed arrays, constant fills, ranges and random samples.
 * @module
 */
import { allocate, checkDType, dtypeOfArray, isFloat, type DType, type TypedArray } from '../dtype.js';
import { DTypeError, ValueError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { checkShape, numelOf } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';

/** Options for creating a tensor. */
export interface TensorOptions {
  /** Element type (default float32; `tensor()` of booleans defaults to bool, of a typed array to its type). */
  dtype?: DType;
  /** Track gradients for this leaf (float dtypes only). */
  requiresGrad?: boolean;
}

/** Options for random tensors. */
export interface RandomOptions extends TensorOptions {
  /** The generator to draw from (default: the global one seeded by `manualSeed`). */
  generator?: Generator;
}

function finish(t: Tensor, options?: TensorOptions): Tensor {
  if (options?.requiresGrad) t.requiresGrad_(true);
  return t;
}

function shapeOf(op: string, shape: number | readonly number[]): number[] {
  return checkShape(op, typeof shape === 'number' ? [shape] : shape);
}

function make(op: string, shape: number | readonly number[], options: TensorOptions | undefined, fill?: (data: TypedArray) => void): Tensor {
  const s = shapeOf(op, shape);
  const dtype = checkDType(op, options?.dtype ?? 'float32');
  const data = allocate(dtype, numelOf(s));
  fill?.(data);
  return finish(Tensor._fromData(data, s, dtype), options);
}

/**
 * A tensor from nested arrays of numbers or booleans, or from a typed array (1-d, copied).
 * JS numbers carry no int/float distinction, so numbers give float32 unless `dtype` says otherwise.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const i = tensor([0, 2], { dtype: 'int32' });
 * ```
 */
export function tensor(data: NestedArray | TypedArray | readonly NestedArray[], options?: TensorOptions): Tensor {
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    const dtype = checkDType('tensor', options?.dtype ?? dtypeOfArray(src));
    const out = allocate(dtype, src.length);
    if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0;
    else out.set(src);
    return finish(Tensor._fromData(out, [src.length], dtype), options);
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
  const dtype = checkDType('tensor', options?.dtype ?? (isBool ? 'bool' : 'float32'));
  const flat = allocate(dtype, numelOf(shape));
  let pos = 0;
  const walk = (node: unknown, d: number, path: number[]): void => {
    if (d === shape.length) {
      if (typeof node !== 'number' && typeof node !== 'boolean') {
        throw new ValueError(`tensor: ragged or invalid nested array: expected a number at [${path.join(', ')}], found ${Array.isArray(node) ? 'an array' : typeof node}`);
      }
      flat[pos++] = dtype === 'bool' ? (node ? 1 : 0) : Number(node);
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
  return finish(Tensor._fromData(flat, shape, dtype), options);
}

/**
 * A tensor of zeros.
 * @example
 * ```ts
 * zeros([2, 3]);
 * ```
 */
export function zeros(shape: number | readonly number[], options?: TensorOptions): Tensor {
  return make('zeros', shape, options);
}

/**
 * A tensor of ones.
 * @example
 * ```ts
 * ones([2, 3], { dtype: 'float64' });
 * ```
 */
export function ones(shape: number | readonly number[], options?: TensorOptions): Tensor {
  return make('ones', shape, options, (d) => d.fill(1));
}

/**
 * A tensor filled with `value`.
 * @example
 * ```ts
 * full([2, 2], 7);
 * ```
 */
export function full(shape: number | readonly number[], value: number, options?: TensorOptions): Tensor {
  // A bool tensor holds 0/1: any nonzero value (NaN included) is true, as in PyTorch.
  return make('full', shape, options, (d) => d.fill(d instanceof Uint8Array ? +(value !== 0) : value));
}

/**
 * `start, start + step, ...` below `end`; `arange(n)` is `0 .. n-1`. Integer arguments give int32 unless `dtype` says otherwise.
 * @example
 * ```ts
 * arange(5);          // tensor([0, 1, 2, 3, 4])
 * arange(0, 1, 0.25); // tensor([0, 0.25, 0.5, 0.75])
 * ```
 */
export function arange(start: number, end?: number, step = 1, options?: TensorOptions): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be finite and nonzero, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = options?.dtype ?? (ints ? 'int32' : 'float32');
  return make('arange', [n], { ...options, dtype }, (d) => {
    for (let i = 0; i < n; i++) d[i] = start + i * step;
  });
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive.
 * @example
 * ```ts
 * linspace(0, 1, 5); // tensor([0, 0.25, 0.5, 0.75, 1])
 * ```
 */
export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace: steps must be a non-negative integer, got ${steps}`);
  return make('linspace', [steps], options, (d) => {
    const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
    // Fill from both ends so the last value is exactly `end`, as PyTorch does.
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) d[i] = i < half || steps === 1 ? start + i * delta : end - (steps - 1 - i) * delta;
  });
}

/**
 * The identity matrix (n × m, default square).
 * @example
 * ```ts
 * eye(3);
 * ```
 */
export function eye(n: number, m = n, options?: TensorOptions): Tensor {
  return make('eye', [n, m], options, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

function randomFloat(op: string, shape: number | readonly number[], options: RandomOptions | undefined, sample: (g: Generator) => number): Tensor {
  const dtype = options?.dtype ?? 'float32';
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const g = options?.generator ?? defaultGenerator;
  return make(op, shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = sample(g);
  });
}

/**
 * Uniform samples from [0, 1).
 * @example
 * ```ts
 * manualSeed(0); rand([2, 2]);
 * ```
 */
export function rand(shape: number | readonly number[], options?: RandomOptions): Tensor {
  return randomFloat('rand', shape, options, (g) => g.random());
}

/**
 * Standard normal samples.
 * @example
 * ```ts
 * randn([3, 4], { generator: new Generator(1) });
 * ```
 */
export function randn(shape: number | readonly number[], options?: RandomOptions): Tensor {
  return randomFloat('randn', shape, options, (g) => g.normal());
}

/**
 * Uniform integers in [low, high) (int32 by default).
 * @example
 * ```ts
 * randint(0, 10, [5]);
 * ```
 */
export function randint(low: number, high: number, shape: number | readonly number[], options?: RandomOptions): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got low=${low} high=${high}`);
  }
  const g = options?.generator ?? defaultGenerator;
  return make('randint', shape, { ...options, dtype: options?.dtype ?? 'int32' }, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.randint(low, high);
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
  return zeros(t.shape, { dtype: t.dtype, ...options });
}

/**
 * Ones with the shape and dtype of `t`.
 * @example
 * ```ts
 * onesLike(x);
 * ```
 */
export function onesLike(t: Tensor, options?: TensorOptions): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}

/**
 * `value` everywhere, with the shape and dtype of `t`.
 * @example
 * ```ts
 * fullLike(x, 0.5);
 * ```
 */
export function fullLike(t: Tensor, value: number, options?: TensorOptions): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...options });
}

/**
 * Standard normal samples with the shape and (float) dtype of `t`.
 * @example
 * ```ts
 * randnLike(x);
 * ```
 */
export function randnLike(t: Tensor, options?: RandomOptions): Tensor {
  return randn(t.shape, { dtype: isFloat(t.dtype) ? t.dtype : 'float32', ...options });
}

/**
 * Uniform samples in [0, 1) with the shape and (float) dtype of `t`.
 * @example
 * ```ts
 * randLike(x);
 * ```
 */
export function randLike(t: Tensor, options?: RandomOptions): Tensor {
  return rand(t.shape, { dtype: isFloat(t.dtype) ? t.dtype : 'float32', ...options });
}
