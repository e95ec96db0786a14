import fs from 'node:fs';
import { FormatError, withFilePath } from './format-error.js';
import { InflateProblem, deflateCanHold, gunzipExactly, gunzipHead } from './inflate.js';
import { describeRawTensorProblem, shapeSize } from './raw-tensor.js';
import { describeFileValue } from './untrusted.js';
import type { RawTensor, RawTensorData } from './raw-tensor.js';

/**
 * The element types an IDX file can hold, named after their type codes:
 * `uint8` (0x08), `int8` (0x09), `int16` (0x0B), `int32` (0x0C),
 * `float32` (0x0D), `float64` (0x0E).
 *
 * @example
 * ```ts
 * const bytes = encodeIdx(images, 'uint8');
 * ```
 */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

interface IdxTypeInfo {
  name: IdxType;
  code: number;
  size: number;
  description: string;
}

const TYPES: readonly IdxTypeInfo[] = [
  { name: 'uint8', code: 0x08, size: 1, description: 'unsigned byte' },
  { name: 'int8', code: 0x09, size: 1, description: 'signed byte' },
  { name: 'int16', code: 0x0b, size: 2, description: 'short' },
  { name: 'int32', code: 0x0c, size: 4, description: 'int' },
  { name: 'float32', code: 0x0d, size: 4, description: 'float' },
  { name: 'float64', code: 0x0e, size: 8, description: 'double' },
];

function fail(message: string, cause?: unknown): never {
  throw new FormatError(`idx: ${message}`, cause === undefined ? undefined : { cause });
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** The longest IDX header: the magic number and 255 dimensions. */
const MAX_HEADER_BYTES = 4 + 4 * 255;

interface IdxHeader {
  type: IdxTypeInfo;
  shape: number[];
  count: number;
  headerLen: number;
  /** Data bytes the dimensions call for. */
  expected: number;
}

/** Reads and checks the header at the start of `bytes` (the whole file, or at least its first 1024 bytes). */
function readHeader(bytes: Uint8Array): IdxHeader {
  if (bytes.length < 4) fail(`file is ${bytes.length} bytes, too short for the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`bad magic number: the first two bytes must be 0x00 0x00, got ${hex(bytes[0]!)} ${hex(bytes[1]!)}`);
  }
  const code = bytes[2]!;
  const type = TYPES.find((t) => t.code === code);
  if (type === undefined) {
    fail(`unknown type code ${hex(code)} (expected one of ${TYPES.map((t) => hex(t.code)).join(', ')})`);
  }
  const ndim = bytes[3]!;
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen) {
    fail(`truncated header: ${ndim} dimensions need ${headerLen} header bytes, but the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shapeSize(shape);
  const expected = count * type.size;
  if (!Number.isSafeInteger(expected)) fail(`dimensions ${shortDims(shape)} describe too many elements`);
  return { type, shape, count, headerLen, expected };
}

function shortDims(shape: readonly number[]): string {
  return shape.length <= 16 ? `[${shape.join(', ')}]` : `[${shape.slice(0, 16).join(', ')}, …] (${shape.length} dimensions)`;
}

function sizeMismatch(
  type: IdxTypeInfo,
  shape: readonly number[],
  headerLen: number,
  expected: number,
  found: string,
  truncated: boolean,
): string {
  return (
    `${truncated ? 'truncated data' : 'unexpected trailing bytes'}: dimensions ${shortDims(shape)} of ` +
    `${type.description} (${type.size} byte${type.size > 1 ? 's' : ''} each) need ${expected} data bytes ` +
    `after the ${headerLen}-byte header, but ${found}`
  );
}

/**
 * Decompresses a gzipped IDX file without trusting it: the header is inflated first (only its
 * bytes), then the rest with an output limit of exactly the size the header announces, so a
 * small file that inflates to gigabytes fails after inflating no more than that.
 */
function gunzipChecked(gz: Uint8Array): Uint8Array {
  const inflate = (run: () => Uint8Array, header?: IdxHeader): Uint8Array => {
    try {
      return run();
    } catch (e) {
      if (!(e instanceof InflateProblem)) throw e;
      if (e.kind === 'too-large' && header !== undefined) {
        const { type, shape, headerLen, expected } = header;
        fail(sizeMismatch(type, shape, headerLen, expected, 'the decompressed file is longer', false), e);
      }
      fail(`gzip decompression failed: ${e.message}`, e);
    }
  };
  const header = readHeader(inflate(() => gunzipHead(gz, MAX_HEADER_BYTES)));
  const total = header.headerLen + header.expected;
  if (!deflateCanHold(gz.length, total)) {
    fail(
      sizeMismatch(
        header.type,
        header.shape,
        header.headerLen,
        header.expected,
        `the ${gz.length}-byte gzip file cannot hold that many`,
        true,
      ),
    );
  }
  return inflate(() => gunzipExactly(gz, total), header);
}

/**
 * Parses an IDX file (the format of the MNIST distribution files): two zero
 * bytes, a type code, a dimension count, big-endian u32 dimensions, then
 * big-endian data. Gzipped input (starting with 1f 8b) is decompressed without trusting it: the
 * header first, then the data with an output limit of exactly the size the header announces.
 * unsigned byte, signed byte, short and int become `int32`; float becomes
 * `float32` and double `float64`. The data length must match the dimensions exactly.
 *
 * @param bytes - The file contents, plain or gzipped.
 * @returns A fresh tensor (it does not share memory with `bytes`).
 * @throws {@link FormatError} on a bad magic number, type code, truncated or oversized data.
 * @example
 * ```ts
 * const labels = decodeIdx(fs.readFileSync('train-labels-idx1-ubyte.gz'));
 * labels.shape; // [60000]
 * ```
 */
export function decodeIdx(bytes: Uint8Array): RawTensor {
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${describeFileValue(bytes)}`);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipChecked(bytes);
  const { type, shape, count, headerLen, expected } = readHeader(bytes);
  const actual = bytes.length - headerLen;
  if (actual !== expected) fail(sizeMismatch(type, shape, headerLen, expected, `the file has ${actual}`, actual < expected));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let data: RawTensorData;
  switch (type.name) {
    case 'uint8':
      data = Int32Array.from(bytes.subarray(headerLen));
      break;
    case 'int8':
      data = Int32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset + headerLen, count));
      break;
    case 'int16': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(headerLen + 2 * i, false);
      data = out;
      break;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(headerLen + 4 * i, false);
      data = out;
      break;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(headerLen + 4 * i, false);
      data = out;
      break;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(headerLen + 8 * i, false);
      data = out;
      break;
    }
  }
  return { dtype: type.name === 'float32' || type.name === 'float64' ? type.name : 'int32', shape, data };
}

/**
 * Reads an IDX file from a path, or decodes bytes already in memory (see
 * {@link decodeIdx}). Gzipped files are decompressed transparently. Format
 * errors for a path have the path appended to their message.
 *
 * @param pathOrBytes - File path, or the file contents.
 * @example
 * ```ts
 * const images = readIdx('data/train-images-idx3-ubyte.gz'); // shape [60000, 28, 28], int32
 * ```
 */
export function readIdx(pathOrBytes: string | Uint8Array): RawTensor {
  if (typeof pathOrBytes !== 'string') return decodeIdx(pathOrBytes);
  const bytes = fs.readFileSync(pathOrBytes);
  return withFilePath(pathOrBytes, () => decodeIdx(bytes));
}

const INT_RANGES: Partial<Record<IdxType, [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};

/**
 * Serializes a tensor as an uncompressed IDX file (gzip it with
 * `zlib.gzipSync` if wanted). The default type is `int32` for int32 tensors,
 * `uint8` for bool, `float32` and `float64` for floats. Integer types require
 * every value to be an integer in range; `float32` rounds float64 values.
 *
 * @param t - The tensor; at most 255 dimensions, each below 2^32.
 * @param type - Element type to store.
 * @throws {@link FormatError} if the tensor is malformed or a value does not fit `type`.
 * @example
 * ```ts
 * const bytes = encodeIdx({ dtype: 'int32', shape: [3], data: new Int32Array([7, 2, 1]) }, 'uint8');
 * ```
 */
export function encodeIdx(t: RawTensor, type?: IdxType): Uint8Array {
  const problem = describeRawTensorProblem(t);
  if (problem !== undefined) fail(`cannot encode tensor: ${problem}`);
  const name: IdxType = type ?? (t.dtype === 'bool' ? 'uint8' : t.dtype === 'int32' ? 'int32' : t.dtype);
  const info = TYPES.find((x) => x.name === name);
  if (info === undefined) fail(`unknown IDX element type ${JSON.stringify(type)}`);
  if (t.shape.length > 255) fail(`a tensor with ${t.shape.length} dimensions cannot be stored (at most 255)`);
  for (const d of t.shape) {
    if (d > 0xffffffff) fail(`dimension ${d} of shape [${t.shape.join(', ')}] does not fit in 32 bits`);
  }
  const range = INT_RANGES[name];
  const data = t.data;
  if (range !== undefined) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isInteger(v) || v < range[0] || v > range[1]) {
        fail(`value ${v} at index ${i} cannot be stored as ${name} (${info.description})`);
      }
    }
  }
  const headerLen = 4 + 4 * t.shape.length;
  const out = new Uint8Array(headerLen + data.length * info.size);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = t.shape.length;
  t.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < data.length; i++) {
    const at = headerLen + i * info.size;
    const v = data[i]!;
    switch (name) {
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v, false);
        break;
      case 'int32':
        view.setInt32(at, v, false);
        break;
      case 'float32':
        view.setFloat32(at, v, false);
        break;
      case 'float64':
        view.setFloat64(at, v, false);
        break;
    }
  }
  return out;
}
