/**
 * Tensors to and from numpy's `.npy` and `.npz` files (the `io` namespace). This file sits at the
 * nn level: it turns the raw arrays of the format codecs into Tensors.
 * @module
 */
import fs from 'node:fs';
import { bool, checkArity, describe, parseOptions } from '../autograd/args.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { contiguousData } from '../autograd/ops/shape.js';
import { writeFileAtomic } from './atomic-write.js';
import { withFilePath } from './format-error.js';
import { decodeNpy, encodeNpy } from './npy.js';
import { decodeNpz, encodeNpz } from './npz.js';
import type { RawTensor } from './raw-tensor.js';

/** Options of {@link saveNpz} and {@link toNpz}. */
export interface NpzOptions {
  /** Deflate the entries, like `numpy.savez_compressed` (default false, like `numpy.savez`). */
  compressed?: boolean;
}

function checkTensor(op: string, what: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentTypeError(`${op}: ${what} must be a Tensor, got ${describe(t)}`);
  return t;
}

function checkPath(op: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new ArgumentTypeError(`${op}: path must be a non-empty string, got ${describe(path)}`);
  return path;
}

function checkBytes(op: string, bytes: unknown): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentTypeError(`${op}: expected a Uint8Array, got ${describe(bytes)}`);
  return bytes;
}

function checkRecord(op: string, arrays: unknown): Record<string, Tensor> {
  if (arrays === null || typeof arrays !== 'object' || Array.isArray(arrays) || arrays instanceof Tensor) {
    throw new ArgumentTypeError(`${op}: expected an object of named Tensors, got ${describe(arrays)}`);
  }
  for (const [k, v] of Object.entries(arrays)) checkTensor(op, `'${k.slice(0, 60)}'`, v);
  return arrays as Record<string, Tensor>;
}

function toRaw(t: Tensor): RawTensor {
  return { dtype: t.dtype, shape: t.shape.slice(), data: contiguousData(t).slice() };
}

function fromRaw(raw: RawTensor): Tensor {
  return Tensor._fromData(raw.data, raw.shape, raw.dtype);
}

function rawRecord(arrays: Record<string, Tensor>): Record<string, RawTensor> {
  const out: Record<string, RawTensor> = {};
  for (const [k, t] of Object.entries(arrays)) Object.defineProperty(out, k, { value: toRaw(t), enumerable: true });
  return out;
}

function tensorRecord(raws: Record<string, RawTensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, raw] of Object.entries(raws))
    Object.defineProperty(out, k, { value: fromRaw(raw), enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * The `.npy` bytes of a tensor, as `numpy.save` writes them (float32 `<f4`, float64 `<f8`, int32
 * `<i4`, bool `|b1`).
 * @example
 * ```ts
 * const bytes = io.toNpy(tensor([1, 2, 3]));
 * ```
 */
export function toNpy(t: Tensor): Uint8Array {
  checkArity('io.toNpy', arguments, 1, 'toNpy(tensor)');
  return encodeNpy(toRaw(checkTensor('io.toNpy', 'the argument', t)));
}

/**
 * A tensor from `.npy` bytes. `float32`, `float64`, `int32` and `bool` arrays keep their dtype;
 * float16 becomes float32; int8/uint8/int16/uint16 become int32, and int64/uint64/uint32 too when
 * every value fits (otherwise a `FormatError`, never a wrap). Object arrays are never unpickled.
 * @example
 * ```ts
 * const t = io.fromNpy(fs.readFileSync('x.npy'));
 * ```
 */
export function fromNpy(bytes: Uint8Array): Tensor {
  checkArity('io.fromNpy', arguments, 1, 'fromNpy(bytes)');
  return fromRaw(decodeNpy(checkBytes('io.fromNpy', bytes)));
}

/**
 * Writes a tensor to a `.npy` file (atomically), readable by `numpy.load`.
 * @example
 * ```ts
 * io.saveNpy('x.npy', randn([2, 3]));
 * ```
 */
export function saveNpy(path: string, t: Tensor): void {
  checkArity('io.saveNpy', arguments, 2, 'saveNpy(path, tensor)');
  const file = checkPath('io.saveNpy', path);
  writeFileAtomic(file, encodeNpy(toRaw(checkTensor('io.saveNpy', 'the tensor', t))));
}

/**
 * Reads a `.npy` file written by `numpy.save` (dtypes converted as by {@link fromNpy}).
 * @example
 * ```ts
 * const x = io.loadNpy('x.npy');
 * ```
 */
export function loadNpy(path: string): Tensor {
  checkArity('io.loadNpy', arguments, 1, 'loadNpy(path)');
  const file = checkPath('io.loadNpy', path);
  const bytes = fs.readFileSync(file);
  return withFilePath(file, () => fromRaw(decodeNpy(bytes)));
}

/**
 * The `.npz` bytes of named tensors (`numpy.savez`; `{ compressed: true }` for `savez_compressed`).
 * @example
 * ```ts
 * const bytes = io.toNpz({ x, y }, { compressed: true });
 * ```
 */
export function toNpz(arrays: Record<string, Tensor>, options: NpzOptions = {}): Uint8Array {
  checkArity('io.toNpz', arguments, 2, 'toNpz({ name: tensor }, { compressed })');
  const o = parseOptions('io.toNpz', options, { compressed: bool }, { forms: 'toNpz({ name: tensor }, { compressed })' });
  return encodeNpz(rawRecord(checkRecord('io.toNpz', arrays)), { compressed: o.compressed ?? false });
}

/**
 * Named tensors from `.npz` bytes (each array converted as by {@link fromNpy}).
 * @example
 * ```ts
 * const { x, y } = io.fromNpz(fs.readFileSync('data.npz'));
 * ```
 */
export function fromNpz(bytes: Uint8Array): Record<string, Tensor> {
  checkArity('io.fromNpz', arguments, 1, 'fromNpz(bytes)');
  return tensorRecord(decodeNpz(checkBytes('io.fromNpz', bytes)));
}

/**
 * Writes named tensors to a `.npz` file (atomically), readable by `numpy.load`.
 * @example
 * ```ts
 * io.saveNpz('data.npz', { images, labels }, { compressed: true });
 * ```
 */
export function saveNpz(path: string, arrays: Record<string, Tensor>, options: NpzOptions = {}): void {
  checkArity('io.saveNpz', arguments, 3, 'saveNpz(path, { name: tensor }, { compressed })');
  const file = checkPath('io.saveNpz', path);
  const o = parseOptions('io.saveNpz', options, { compressed: bool }, { forms: 'saveNpz(path, { name: tensor }, { compressed })' });
  writeFileAtomic(file, encodeNpz(rawRecord(checkRecord('io.saveNpz', arrays)), { compressed: o.compressed ?? false }));
}

/**
 * Reads a `.npz` file written by `numpy.savez` or `numpy.savez_compressed`.
 * @example
 * ```ts
 * const { x_train, y_train } = io.loadNpz('mnist.npz');
 * ```
 */
export function loadNpz(path: string): Record<string, Tensor> {
  checkArity('io.loadNpz', arguments, 1, 'loadNpz(path)');
  const file = checkPath('io.loadNpz', path);
  const bytes = fs.readFileSync(file);
  return withFilePath(file, () => tensorRecord(decodeNpz(bytes)));
}
