import fs from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import { FormatError, withFilePath } from './format-error.js';
import { describeRawTensorProblem, shapeSize } from './raw-tensor.js';
import { READ_DTYPES, type SourceDtype } from './stored-dtypes.js';
import { describeFileValue, parseFileJson, quoteName } from './untrusted.js';
import type { DType, RawTensor, RawTensorData } from './raw-tensor.js';

/** Largest header accepted when decoding, in bytes (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const METADATA_KEY = '__metadata__';

/** Deepest JSON nesting accepted in a header (a valid header nests 3 levels: root, entry, shape). */
const MAX_HEADER_DEPTH = 64;

/** The safetensors dtype codes the encoder writes. */
type WriteCode = 'F64' | 'F32' | 'I32' | 'I64' | 'BOOL';

/** Our dtypes → safetensors dtype strings (int32 may be widened to I64, see {@link EncodeOptions}). */
const WRITE_CODES: Record<DType, WriteCode> = { float64: 'F64', float32: 'F32', int32: 'I32', bool: 'BOOL' };

/**
 * Reference-implementation order of the dtypes we write: it lays tensors out by
 * decreasing alignment (its dtype enum order, reversed), then by name.
 */
const WRITE_RANK: Record<WriteCode, number> = { I64: 0, F64: 1, F32: 2, I32: 3, BOOL: 4 };

/** Bytes per element of each written code. */
const WRITE_SIZE: Record<WriteCode, number> = { I64: 8, F64: 8, F32: 4, I32: 4, BOOL: 1 };

/** Options of {@link encodeSafetensors}. */
interface EncodeOptions {
  /**
   * How int32 tensors are stored: `'I32'` (default) or `'I64'`, PyTorch's integer type
   * (`torch.long`, the dtype of `num_batches_tracked`). Decoding narrows I64 back to int32 exactly.
   */
  int32As?: 'I32' | 'I64';
}

/** Everything a safetensors file holds, as returned by {@link decodeSafetensors}. */
interface SafetensorsContents {
  /** The tensors, keyed by name, in header order. */
  tensors: Record<string, RawTensor>;
  /** The free-form `__metadata__` string map (empty when the file has none). */
  metadata: Record<string, string>;
}

function fail(message: string, cause?: unknown): never {
  throw new FormatError(`safetensors: ${message}`, cause === undefined ? undefined : { cause });
}

/** Sets an own enumerable property, even for names such as `__proto__`. */
function defineEntry<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function byteSwapInPlace(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Serializes tensors to the safetensors format: an 8-byte little-endian header
 * length, a UTF-8 JSON header padded with spaces to a multiple of 8 bytes, then
 * the little-endian tensor data. Tensors are laid out like the reference
 * implementation does (decreasing alignment: F64, F32, I32, BOOL; then by name),
 * so the output is deterministic.
 *
 * @param tensors - Tensors keyed by name (`__metadata__` is reserved).
 * @param metadata - Optional free-form string map stored under `__metadata__`.
 * @param options - How int32 tensors are stored (see {@link EncodeOptions}).
 * @returns The complete file contents.
 * @throws {@link FormatError} if a tensor is malformed or a metadata value is not a string.
 * @example
 * ```ts
 * const bytes = encodeSafetensors(
 *   { w: { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) } },
 *   { format: 'pt' },
 * );
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
  options: EncodeOptions = {},
): Uint8Array {
  const int32As = options.int32As ?? 'I32';
  if (int32As !== 'I32' && int32As !== 'I64') fail(`int32As must be 'I32' or 'I64', got ${String(int32As).slice(0, 40)}`);
  const codeOf = (t: RawTensor): WriteCode => (t.dtype === 'int32' ? int32As : WRITE_CODES[t.dtype]);
  if (!isPlainRecord(tensors)) fail(`expected an object of tensors, got ${describeFileValue(tensors)}`);
  const names = Object.keys(tensors);
  for (const name of names) {
    if (name === METADATA_KEY) fail(`"${METADATA_KEY}" is reserved and cannot be used as a tensor name`);
    const problem = describeRawTensorProblem(tensors[name]!);
    if (problem !== undefined) fail(`tensor ${quoteName(name)}: ${problem.slice(0, 200)}`);
  }
  names.sort((a, b) => {
    const r = WRITE_RANK[codeOf(tensors[a]!)] - WRITE_RANK[codeOf(tensors[b]!)];
    return r !== 0 ? r : utf8Compare(a, b);
  });

  const parts: string[] = [];
  if (metadata !== undefined) {
    if (!isPlainRecord(metadata)) fail(`metadata must be an object of strings, got ${describeFileValue(metadata)}`);
    const metaParts: string[] = [];
    for (const key of Object.keys(metadata)) {
      const v: unknown = metadata[key];
      if (typeof v !== 'string') {
        fail(`metadata value for key ${quoteName(key)} must be a string, got ${describeFileValue(v)}`);
      }
      metaParts.push(`${JSON.stringify(key)}:${JSON.stringify(v)}`);
    }
    if (metaParts.length > 0) parts.push(`${JSON.stringify(METADATA_KEY)}:{${metaParts.join(',')}}`);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const name of names) {
    const t = tensors[name]!;
    const nbytes = t.data.length * WRITE_SIZE[codeOf(t)];
    offsets.push(offset);
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${codeOf(t)}","shape":[${t.shape.join(',')}],` + `"data_offsets":[${offset},${offset + nbytes}]}`,
    );
    offset += nbytes;
  }
  const headerText = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLen = Math.ceil(headerText.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(headerText, 8);
  out.fill(0x20, 8 + headerText.length, 8 + headerLen);
  const dataStart = 8 + headerLen;
  names.forEach((name, i) => {
    const t = tensors[name]!;
    const data = codeOf(t) === 'I64' ? BigInt64Array.from(t.data as Int32Array, (v) => BigInt(v)) : t.data;
    const begin = dataStart + offsets[i]!;
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), begin);
    if (!LITTLE_ENDIAN_HOST) byteSwapInPlace(out.subarray(begin, begin + data.byteLength), data.BYTES_PER_ELEMENT);
  });
  return out;
}

interface ParsedEntry {
  name: string;
  code: string;
  source: SourceDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, raw: unknown, dataLength: number): ParsedEntry {
  const q = quoteName(name);
  if (!isPlainRecord(raw)) fail(`entry for tensor ${q} must be an object, got ${describeFileValue(raw)}`);
  const code = Object.hasOwn(raw, 'dtype') ? raw['dtype'] : undefined;
  if (typeof code !== 'string') fail(`tensor ${q} has a missing or non-string dtype: ${describeFileValue(code)}`);
  if (!Object.prototype.hasOwnProperty.call(READ_DTYPES, code)) {
    fail(`tensor ${q} has unsupported dtype ${quoteName(code)} ` + `(supported: ${Object.keys(READ_DTYPES).join(', ')})`);
  }
  const source = READ_DTYPES[code]!;
  const shape = Object.hasOwn(raw, 'shape') ? raw['shape'] : undefined;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    fail(`tensor ${q} has an invalid shape ${describeFileValue(shape)} (expected an array of non-negative integers)`);
  }
  const offsets = Object.hasOwn(raw, 'data_offsets') ? raw['data_offsets'] : undefined;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
    fail(`tensor ${q} has invalid data_offsets ${describeFileValue(offsets)} (expected [begin, end] non-negative integers)`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`tensor ${q} has data_offsets [${begin}, ${end}] with begin after end`);
  if (end > dataLength) {
    fail(`tensor ${q} has data_offsets [${begin}, ${end}] beyond the end of the ${dataLength}-byte data buffer`);
  }
  const count = shapeSize(shape as number[]);
  const expected = count * source.size;
  if (!Number.isSafeInteger(expected) || expected !== end - begin) {
    fail(
      `tensor ${q} (${code}, shape ${describeFileValue(shape)}) needs ${Number.isNaN(count) ? 'too many' : expected} bytes ` +
        `but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, code, source, shape: (shape as number[]).slice(), begin, end };
}

/**
 * Parses a safetensors file. Everything is validated before anything is
 * returned: the header length (within the file and at most 100 MB), the header
 * (UTF-8 JSON object starting with `{`), each entry's dtype, shape and
 * `data_offsets` (within the data, consistent with shape × item size), and that
 * the entries tile the data buffer exactly (no overlap, no gap, no trailing bytes).
 *
 * F32, F64, I32 and BOOL are read as is; F16 and BF16 are widened to float32;
 * I8, U8, I16, U16 become int32, and U32, I64 and U64 too when every value fits.
 * Other dtypes are rejected. Data is copied into fresh, aligned typed arrays, so
 * `bytes` may sit at any offset and can be reused afterwards.
 *
 * @param bytes - The complete file contents.
 * @returns The tensors and the `__metadata__` map.
 * @throws {@link FormatError} naming the first problem found.
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(fs.readFileSync('model.safetensors'));
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${describeFileValue(bytes)}`);
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLenBig = view.getBigUint64(0, true);
  if (headerLenBig > BigInt(bytes.length - 8)) {
    fail(`header length ${headerLenBig} exceeds the file size ${bytes.length} (${bytes.length - 8} bytes after the length field)`);
  }
  if (headerLenBig > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${headerLenBig} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  const headerLen = Number(headerLenBig);
  const headerBytes = bytes.subarray(8, 8 + headerLen);
  if (headerLen === 0 || headerBytes[0] !== 0x7b) {
    fail(
      `header must start with '{', found ${headerLen === 0 ? 'an empty header' : `byte 0x${headerBytes[0]!.toString(16).padStart(2, '0')}`}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch (e) {
    fail(`header (${headerLen} bytes) is not valid UTF-8`, e);
  }
  const header = parseFileJson('safetensors: header', text, MAX_HEADER_DEPTH);
  if (!isPlainRecord(header)) fail(`header must be a JSON object, got ${describeFileValue(header)}`);

  const metadata: Record<string, string> = {};
  const rawMeta = header[METADATA_KEY];
  if (Object.prototype.hasOwnProperty.call(header, METADATA_KEY) && rawMeta !== null) {
    if (!isPlainRecord(rawMeta)) fail(`${METADATA_KEY} must be an object of strings, got ${describeFileValue(rawMeta)}`);
    for (const key of Object.keys(rawMeta)) {
      const v = rawMeta[key];
      if (typeof v !== 'string') {
        fail(`${METADATA_KEY} value for key ${quoteName(key)} must be a string, got ${describeFileValue(v)}`);
      }
      defineEntry(metadata, key, v);
    }
  }

  const dataStart = 8 + headerLen;
  const dataLength = bytes.length - dataStart;
  const entries: ParsedEntry[] = [];
  for (const name of Object.keys(header)) {
    if (name === METADATA_KEY) continue;
    entries.push(parseEntry(name, header[name], dataLength));
  }

  const byOffset = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let prev: ParsedEntry | undefined;
  for (const e of byOffset) {
    if (e.begin < covered) {
      fail(
        `tensor ${quoteName(e.name)} data_offsets [${e.begin}, ${e.end}] overlap tensor ` +
          `${quoteName(prev!.name)} [${prev!.begin}, ${prev!.end}]`,
      );
    }
    if (e.begin > covered) {
      fail(`data bytes [${covered}, ${e.begin}) are not covered by any tensor (gap before tensor ${quoteName(e.name)})`);
    }
    covered = e.end;
    prev = e;
  }
  if (covered !== dataLength) {
    fail(`data buffer is ${dataLength} bytes but the tensors cover only ${covered} (trailing bytes [${covered}, ${dataLength}))`);
  }

  const tensors: Record<string, RawTensor> = {};
  for (const e of entries) {
    const buf = new ArrayBuffer(e.end - e.begin);
    const copy = new Uint8Array(buf);
    copy.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    if (!LITTLE_ENDIAN_HOST) byteSwapInPlace(copy, e.source.size);
    let data: RawTensorData;
    try {
      data = e.source.convert(buf, (e.end - e.begin) / e.source.size, e.name);
    } catch (err) {
      fail((err as Error).message, err);
    }
    defineEntry(tensors, e.name, { dtype: e.source.target, shape: e.shape, data });
  }
  return { tensors, metadata };
}

/**
 * Encodes tensors with {@link encodeSafetensors} and writes them to `path`
 * atomically (temporary file, fsync, rename): on failure an existing file is
 * left untouched and no temporary file remains.
 *
 * @param path - Destination file; its folder must exist.
 * @param tensors - Tensors keyed by name.
 * @param metadata - Optional free-form string map.
 * @param options - How int32 tensors are stored (see {@link EncodeOptions}).
 * @example
 * ```ts
 * saveSafetensors('model.safetensors', { w: { dtype: 'float64', shape: [], data: new Float64Array([3]) } });
 * ```
 */
export function saveSafetensors(
  path: string,
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
  options: EncodeOptions = {},
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata, options));
}

/**
 * Reads and decodes a safetensors file (see {@link decodeSafetensors}). Format
 * errors have the file path appended to their message.
 *
 * @param path - File to read.
 * @example
 * ```ts
 * const { tensors } = loadSafetensors('model.safetensors');
 * ```
 */
export function loadSafetensors(path: string): SafetensorsContents {
  const bytes = fs.readFileSync(path);
  return withFilePath(path, () => decodeSafetensors(bytes));
}
