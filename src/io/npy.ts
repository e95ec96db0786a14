/**
 * numpy's `.npy` format (versions 1.0, 2.0 and 3.0) for raw tensors: the magic `\x93NUMPY`, a
 * version, a Python-dict header (`descr`, `fortran_order`, `shape`) padded to 64 bytes, then the
 * data. Object arrays (pickles) are never read.
 * @module
 */
import { FormatError } from './format-error.js';
import { describeRawTensorProblem, shapeSize } from './raw-tensor.js';
import type { DType, RawTensor, RawTensorData } from './raw-tensor.js';
import { convertStored, storedItemSize } from './stored-dtypes.js';
import { ownEntry } from './untrusted.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;
const GROWTH_DIGITS = 21;
const MAX_HEADER_BYTES = 1 << 20;

/** Our dtypes → numpy `descr` strings written. */
const WRITE_DESCR: Record<DType, string> = { float32: '<f4', float64: '<f8', int32: '<i4', bool: '|b1' };

/** numpy kind + size → the safetensors code whose conversion rule applies. */
const READ_CODES: Record<string, string> = {
  f2: 'F16',
  f4: 'F32',
  f8: 'F64',
  i1: 'I8',
  u1: 'U8',
  i2: 'I16',
  u2: 'U16',
  i4: 'I32',
  u4: 'U32',
  i8: 'I64',
  u8: 'U64',
  b1: 'BOOL',
};

function fail(message: string): never {
  throw new FormatError(`npy: ${message}`);
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The shape as a Python tuple: `()`, `(3,)`, `(2, 3)`. */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Encodes a raw tensor as `.npy` bytes (version 1.0, C order, little-endian): float32 → `<f4`,
 * float64 → `<f8`, int32 → `<i4`, bool → `|b1`, byte for byte as `numpy.save` (1.24) writes them.
 * @example
 * ```ts
 * const bytes = encodeNpy({ dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) });
 * ```
 */
export function encodeNpy(t: RawTensor): Uint8Array {
  const problem = describeRawTensorProblem(t);
  if (problem !== undefined) fail(problem);
  let header = `{'descr': '${WRITE_DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${pyTuple(t.shape)}, }`;
  // numpy leaves room for the first dimension to grow to 21 digits, then aligns to 64 bytes.
  if (t.shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_DIGITS - String(t.shape[0]).length));
  const total = Math.ceil((10 + header.length + 1) / ALIGN) * ALIGN;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const bytes = new Uint8Array(total + t.data.byteLength);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const body = bytes.subarray(total);
  body.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  if (!littleEndianHost()) swapBytes(body, t.data.BYTES_PER_ELEMENT);
  return bytes;
}

function littleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) [bytes[a], bytes[b]] = [bytes[b]!, bytes[a]!];
  }
}

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

function parseHeader(text: string): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  if (descr === null) fail(`header has no simple 'descr' (structured and object arrays are not supported): ${clip(text)}`);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (fortran === null) fail(`header has no 'fortran_order': ${clip(text)}`);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (shape === null) fail(`header has no 'shape' tuple: ${clip(text)}`);
  const dims = shape[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const out = dims.map((d) => {
    const n = /^\d+L?$/.test(d) ? Number.parseInt(d, 10) : NaN;
    return Number.isSafeInteger(n) ? n : fail(`shape entry '${clip(d, 20)}' is not a non-negative integer below 2^53`);
  });
  return { descr: descr[1]!, fortranOrder: fortran[1] === 'True', shape: out };
}

/** Row-major copy of column-major `data` of `shape`. */
function fromFortranOrder(data: RawTensorData, shape: number[]): RawTensorData {
  const n = data.length;
  const out = new (data.constructor as new (n: number) => RawTensorData)(n);
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  const fStrides: number[] = [];
  let s = 1;
  for (let d = 0; d < nd; d++) {
    fStrides.push(s);
    s *= shape[d]!;
  }
  for (let i = 0; i < n; i++) {
    let src = 0;
    for (let d = 0; d < nd; d++) src += idx[d]! * fStrides[d]!;
    out[i] = data[src]!;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Most dimensions an array may have (numpy 2's limit). */
const MAX_DIMS = 64;

/** The shape as a Python tuple, shortened for a message. */
function shortTuple(shape: readonly number[]): string {
  return shape.length <= 16 ? pyTuple(shape) : `(${shape.slice(0, 16).join(', ')}, …) (${shape.length} dims)`;
}

interface NpyLayout {
  descr: string;
  m: RegExpExecArray;
  code: string;
  size: number;
  fortranOrder: boolean;
  shape: number[];
  count: number;
  /** Where the data starts, and how many bytes the header says it has. */
  dataStart: number;
  nbytes: number;
}

/**
 * Reads and checks the magic, version and header at the start of `head` (the whole file, or at
 * least its first {@link npyHeadBytes} bytes): nothing is allocated for the data.
 */
function readLayout(head: Uint8Array): NpyLayout {
  if (head.length < 10 || MAGIC.some((b, i) => head[i] !== b)) fail('not a .npy file (the magic \\x93NUMPY is missing)');
  const major = head[6]!;
  if (major < 1 || major > 3) fail(`unsupported format version ${major}.${head[7]}`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (head.length < 8 + lenBytes) fail('file too short for its header length');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (headerLen > MAX_HEADER_BYTES || start + headerLen > head.length)
    fail(`header length ${headerLen} exceeds the file (${head.length} bytes)`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(head.subarray(start, start + headerLen));
  const { descr, fortranOrder, shape } = parseHeader(text);
  if (shape.length > MAX_DIMS) fail(`shape ${shortTuple(shape)} has more than ${MAX_DIMS} dimensions`);
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const code = m === null ? undefined : ownEntry(READ_CODES, `${m[2]}${m[3]}`);
  if (m === null || code === undefined)
    fail(`unsupported dtype '${clip(descr, 20)}' (supported: ${Object.keys(READ_CODES).join(', ')}, little or big endian)`);
  const size = storedItemSize(code)!;
  const count = shapeSize(shape);
  const nbytes = count * size;
  if (!Number.isSafeInteger(nbytes)) fail(`shape ${shortTuple(shape)} of '${descr}' describes too many bytes`);
  return { descr, m, code, size, fortranOrder, shape, count, dataStart: start + headerLen, nbytes };
}

/**
 * The size in bytes of the `.npy` file whose first bytes `read(n)` returns (at least `n` of them
 * unless the file is shorter), from its header alone: lets a reader check a compressed entry
 * before inflating it. Throws a FormatError for a bad header. @internal
 */
export function npySizeFromHead(read: (n: number) => Uint8Array): number {
  const first = read(12);
  if (first.length < 12) return readLayout(first).dataStart; // too short: readLayout names the problem
  const major = first[6]!;
  const headerLen = major === 1 ? first[8]! | (first[9]! << 8) : new DataView(first.buffer, first.byteOffset, 12).getUint32(8, true);
  const want = Math.min((major === 1 ? 10 : 12) + headerLen, MAX_HEADER_BYTES + 12);
  const { dataStart, nbytes } = readLayout(read(want));
  return dataStart + nbytes;
}

/**
 * Decodes `.npy` bytes. `<f4`, `<f8`, `<i4` and `|b1` are read as float32, float64, int32 and bool;
 * other numeric types by the safetensors rule (f2 → float32; i1, u1, i2, u2 → int32; i8, u8, u4 →
 * int32 when every value fits, else a `FormatError`, never a wrap). Big-endian and Fortran-order
 * arrays are converted; object and structured arrays are rejected.
 * @example
 * ```ts
 * const raw = decodeNpy(fs.readFileSync('x.npy'));
 * ```
 */
export function decodeNpy(bytes: Uint8Array): RawTensor {
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${typeof bytes}`);
  const { descr, m, code, size, fortranOrder, shape, count, dataStart, nbytes } = readLayout(bytes);
  if (dataStart + nbytes !== bytes.length) {
    fail(`shape ${shortTuple(shape)} of '${descr}' needs ${nbytes} data bytes, the file has ${bytes.length - dataStart}`);
  }
  const buf = new ArrayBuffer(nbytes);
  const copy = new Uint8Array(buf);
  copy.set(bytes.subarray(dataStart, dataStart + nbytes));
  const bigEndian = m[1] === '>' || (m[1] === '=' && !littleEndianHost());
  if (bigEndian === littleEndianHost()) swapBytes(copy, size);
  let raw: RawTensor;
  try {
    raw = convertStored(code, buf, count, 'array')!;
  } catch (e) {
    fail((e as Error).message);
  }
  const data = fortranOrder && shape.length > 1 ? fromFortranOrder(raw.data, shape) : raw.data;
  return { dtype: raw.dtype, shape, data };
}
