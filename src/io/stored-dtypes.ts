/**
 * The dtype conversion rule shared by the safetensors and `.npy` readers: how the bytes of each
 * stored dtype become one of tapegrad's four (float32, float64, int32, bool). Integers that do not
 * fit in int32 are an error, never a wrap. Messages have no format prefix; the readers add theirs.
 * @module
 */
import { FormatError } from './format-error.js';
import { quoteName } from './untrusted.js';
import type { DType, RawTensor, RawTensorData } from './raw-tensor.js';

function fail(message: string): never {
  throw new FormatError(message);
}

/** How to turn the (little-endian, freshly copied and aligned) bytes of one stored dtype into ours. @internal */
export interface SourceDtype {
  size: number;
  target: DType;
  convert(buf: ArrayBuffer, count: number, name: string): RawTensorData;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function intRangeError(name: string, code: string, value: bigint | number, index: number): never {
  fail(`tensor ${quoteName(name)} of dtype ${code} holds ${value} at index ${index}, which does not fit in int32`);
}

function widenToInt32(src: ArrayLike<number>, name: string, code: string): Int32Array {
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v > 0x7fffffff) intRangeError(name, code, v, i);
    out[i] = v;
  }
  return out;
}

function bigToInt32(src: BigInt64Array | BigUint64Array, name: string, code: string): Int32Array {
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v < -0x80000000n || v > 0x7fffffffn) intRangeError(name, code, v, i);
    out[i] = Number(v);
  }
  return out;
}

/**
 * Stored dtypes we can read. F32/F64/I32/BOOL map directly; F16 and BF16 are
 * widened exactly to float32; the integer types are converted to int32 when
 * every value fits (an error names the first one that does not).
 */
export const READ_DTYPES: Record<string, SourceDtype> = {
  F64: { size: 8, target: 'float64', convert: (b) => new Float64Array(b) },
  F32: { size: 4, target: 'float32', convert: (b) => new Float32Array(b) },
  I32: { size: 4, target: 'int32', convert: (b) => new Int32Array(b) },
  BOOL: {
    size: 1,
    target: 'bool',
    convert: (b, _n, name) => {
      const u = new Uint8Array(b);
      for (let i = 0; i < u.length; i++) {
        if (u[i]! > 1) fail(`BOOL tensor ${quoteName(name)} holds byte ${u[i]} at index ${i}, expected 0 or 1`);
      }
      return u;
    },
  },
  F16: {
    size: 2,
    target: 'float32',
    convert: (b) => {
      const h = new Uint16Array(b);
      const out = new Float32Array(h.length);
      for (let i = 0; i < h.length; i++) out[i] = halfToFloat(h[i]!);
      return out;
    },
  },
  BF16: {
    size: 2,
    target: 'float32',
    convert: (b) => {
      const h = new Uint16Array(b);
      const bits = new Uint32Array(h.length);
      for (let i = 0; i < h.length; i++) bits[i] = h[i]! << 16;
      return new Float32Array(bits.buffer);
    },
  },
  I8: { size: 1, target: 'int32', convert: (b) => Int32Array.from(new Int8Array(b)) },
  U8: { size: 1, target: 'int32', convert: (b) => Int32Array.from(new Uint8Array(b)) },
  I16: { size: 2, target: 'int32', convert: (b) => Int32Array.from(new Int16Array(b)) },
  U16: { size: 2, target: 'int32', convert: (b) => Int32Array.from(new Uint16Array(b)) },
  U32: { size: 4, target: 'int32', convert: (b, _n, name) => widenToInt32(new Uint32Array(b), name, 'U32') },
  I64: { size: 8, target: 'int32', convert: (b, _n, name) => bigToInt32(new BigInt64Array(b), name, 'I64') },
  U64: { size: 8, target: 'int32', convert: (b, _n, name) => bigToInt32(new BigUint64Array(b), name, 'U64') },
};

/**
 * Converts the little-endian bytes (in a fresh, aligned buffer) of `count` elements stored as the
 * safetensors dtype `code` to one of our dtypes by the rule of {@link decodeSafetensors}; `name`
 * appears in errors. Shared with the `.npy` reader. Returns undefined for an unknown code. @internal
 */
export function convertStored(code: string, buf: ArrayBuffer, count: number, name: string): RawTensor | undefined {
  if (!Object.prototype.hasOwnProperty.call(READ_DTYPES, code)) return undefined;
  const source = READ_DTYPES[code]!;
  return { dtype: source.target, shape: [count], data: source.convert(buf, count, name) };
}

/** Bytes per element of a safetensors dtype code we read, or undefined. @internal */
export function storedItemSize(code: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(READ_DTYPES, code) ? READ_DTYPES[code]!.size : undefined;
}
