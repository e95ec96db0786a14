/**
 * numpy's `.npz` format: a ZIP archive with one `.npy` file per array (`name.npy`), stored
 * (`numpy.savez`) or deflated (`numpy.savez_compressed`).
 * @module
 */
import { FormatError } from './format-error.js';
import { decodeNpy, encodeNpy, npySizeFromHead } from './npy.js';
import type { RawTensor } from './raw-tensor.js';
import { decodeZip, encodeZip } from './zip.js';

/**
 * Encodes named raw tensors as `.npz` bytes (`name.npy` entries), deflated when `compressed`.
 * @example
 * ```ts
 * const bytes = encodeNpz({ x: { dtype: 'float64', shape: [1], data: new Float64Array([1]) } });
 * ```
 */
export function encodeNpz(arrays: Record<string, RawTensor>, options: { compressed?: boolean } = {}): Uint8Array {
  const entries = Object.keys(arrays).map((name) => {
    try {
      return { name: `${name}.npy`, data: encodeNpy(arrays[name]!) };
    } catch (e) {
      throw new FormatError(`npz: array '${name.slice(0, 60)}': ${(e as Error).message}`, { cause: e });
    }
  });
  return encodeZip(entries, { deflate: options.compressed === true });
}

/**
 * Decodes `.npz` bytes into named raw tensors (the `.npy` suffix removed; dtypes converted as by
 * {@link decodeNpy}). Keys are set as own properties, so any name (even `__proto__`) round-trips.
 * Each entry's `.npy` header is checked against the archive's size for it before it is inflated.
 * @example
 * ```ts
 * const { x } = decodeNpz(fs.readFileSync('data.npz'));
 * ```
 */
export function decodeNpz(bytes: Uint8Array): Record<string, RawTensor> {
  const out: Record<string, RawTensor> = {};
  const checkHead = (name: string, read: (n: number) => Uint8Array, size: number): void => {
    let expected: number;
    try {
      expected = npySizeFromHead(read);
    } catch (e) {
      throw new FormatError(`npz: entry '${name.slice(0, 60)}': ${(e as Error).message}`, { cause: e });
    }
    if (expected !== size)
      throw new FormatError(`npz: entry '${name.slice(0, 60)}': its .npy header describes ${expected} bytes, the archive says ${size}`);
  };
  for (const { name, data } of decodeZip(bytes, checkHead)) {
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    let raw: RawTensor;
    try {
      raw = decodeNpy(data);
    } catch (e) {
      throw new FormatError(`npz: entry '${name.slice(0, 60)}': ${(e as Error).message}`, { cause: e });
    }
    Object.defineProperty(out, key, { value: raw, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
