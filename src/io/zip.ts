/**
 * The part of the ZIP format `.npz` files use: writing stored or deflated entries, and reading
 * stored or deflated entries through the central directory (ZIP64 sizes included, as numpy's
 * `savez` writes them). CRC-32 is checked on read; inflating stops at the declared size.
 * @module
 */
import zlib from 'node:zlib';
import { FormatError } from './format-error.js';
import { InflateProblem, deflateCanHold, gunzipHead } from './inflate.js';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const U32_MAX = 0xffffffff;

function fail(message: string): never {
  throw new FormatError(`zip: ${message}`);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the ZIP polynomial) of `bytes`. @internal */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One file of an archive. */
interface ZipEntry {
  /** Path inside the archive. */
  name: string;
  /** Uncompressed contents. */
  data: Uint8Array;
}

/**
 * Builds a ZIP archive of `entries`, stored (default) or deflated. Entries of 4 GiB or more are
 * rejected (no ZIP64 writing).
 * @example
 * ```ts
 * const zip = encodeZip([{ name: 'a.npy', data: bytes }], { deflate: true });
 * ```
 * @internal
 */
export function encodeZip(entries: ZipEntry[], options: { deflate?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = options.deflate ? new Uint8Array(zlib.deflateRawSync(e.data)) : e.data;
    if (e.data.length >= U32_MAX || body.length >= U32_MAX || offset >= U32_MAX)
      fail(`entry '${e.name.slice(0, 60)}' is too large for a ZIP without ZIP64`);
    const crc = crc32(e.data);
    const method = options.deflate ? 8 : 0;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x0800, true); // UTF-8 names
    lv.setUint16(8, method, true);
    lv.setUint16(12, 0x21, true); // 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cen = new Uint8Array(46 + name.length);
    const cv = new DataView(cen.buffer);
    cv.setUint32(0, CENTRAL, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, method, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cen.set(name, 46);
    parts.push(local, body);
    central.push(cen);
    offset += local.length + body.length;
  }
  const cenSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, END, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cenSize, true);
  ev.setUint32(16, offset, true);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

/** Reads the ZIP64 extended sizes/offset from an extra field, for the fields that are 0xFFFFFFFF. */
function zip64Extra(view: DataView, start: number, length: number, want: { size: boolean; csize: boolean; offset: boolean }): bigint[] {
  const out: bigint[] = [];
  let p = start;
  while (p + 4 <= start + length) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const n = Number(want.size) + Number(want.csize) + Number(want.offset);
      if (len < 8 * n) fail('truncated ZIP64 extra field');
      for (let i = 0; i < n; i++, q += 8) out.push(view.getBigUint64(q, true));
      return out;
    }
    p += 4 + len;
  }
  fail('an entry declares ZIP64 sizes but has no ZIP64 extra field');
}

function safe(n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} ${n} is too large`);
  return Number(n);
}

/**
 * Reads every entry of a ZIP archive (stored or deflated), checking each CRC-32. Entry sizes come
 * from the central directory; inflating stops at the declared size, a size the compressed bytes
 * cannot hold is refused at once, and `checkHead` (given a reader of the entry's first bytes and
 * the declared size) can refuse an entry before it is inflated.
 * @example
 * ```ts
 * for (const { name, data } of decodeZip(fs.readFileSync('arrays.npz'))) console.log(name, data.length);
 * ```
 * @internal
 */
export function decodeZip(
  bytes: Uint8Array,
  checkHead?: (name: string, read: (n: number) => Uint8Array, size: number) => void,
): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let endAt = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === END) {
      endAt = p;
      break;
    }
  }
  if (endAt < 0) fail('no end-of-central-directory record (not a ZIP file)');
  let count = view.getUint16(endAt + 10, true);
  let cenOffset = view.getUint32(endAt + 16, true);
  if ((cenOffset === U32_MAX || count === 0xffff) && endAt >= 20 && view.getUint32(endAt - 20, true) === ZIP64_LOCATOR) {
    const rec = safe(view.getBigUint64(endAt - 12, true), 'ZIP64 record offset');
    if (rec + 56 > bytes.length || view.getUint32(rec, true) !== ZIP64_END) fail('bad ZIP64 end-of-central-directory record');
    count = safe(view.getBigUint64(rec + 32, true), 'entry count');
    cenOffset = safe(view.getBigUint64(rec + 48, true), 'central directory offset');
  }
  const out: ZipEntry[] = [];
  let p = cenOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) fail(`central directory entry ${i} is missing or corrupt`);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let csize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let local = view.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen > bytes.length) fail(`central directory entry ${i} runs past the end of the file`);
    const name = Buffer.from(bytes.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    const want = { size: size === U32_MAX, csize: csize === U32_MAX, offset: local === U32_MAX };
    if (want.size || want.csize || want.offset) {
      const vals = zip64Extra(view, p + 46 + nameLen, extraLen, want);
      let k = 0;
      if (want.size) size = safe(vals[k++]!, 'size');
      if (want.csize) csize = safe(vals[k++]!, 'compressed size');
      if (want.offset) local = safe(vals[k]!, 'offset');
    }
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL)
      fail(`local header of '${name.slice(0, 60)}' is missing or corrupt`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + csize > bytes.length) fail(`data of '${name.slice(0, 60)}' runs past the end of the file`);
    const body = bytes.subarray(dataStart, dataStart + csize);
    const shown = name.slice(0, 60);
    if (method === 8 && !deflateCanHold(csize, size))
      fail(`entry '${shown}' claims ${size} bytes, more than its ${csize} compressed bytes can hold`);
    if (checkHead !== undefined && (method === 0 || method === 8)) {
      // The entry's own header is checked against the directory's size before it is inflated.
      const read = (n: number): Uint8Array => {
        if (method === 0) return body.subarray(0, n);
        try {
          return gunzipHead(body, n, true).subarray(0, n);
        } catch (e) {
          if (e instanceof InflateProblem) fail(`cannot inflate '${shown}' (${e.message})`);
          throw e;
        }
      };
      checkHead(name, read, size);
    }
    let data: Uint8Array;
    if (method === 0) data = body;
    else if (method === 8) {
      try {
        data = new Uint8Array(zlib.inflateRawSync(body, { maxOutputLength: Math.max(1, size) }));
      } catch (e) {
        fail(`cannot inflate '${name.slice(0, 60)}' (${(e as Error).message.slice(0, 100)})`);
      }
    } else fail(`entry '${name.slice(0, 60)}' uses compression method ${method} (only stored and deflate are supported)`);
    if (data.length !== size) fail(`entry '${name.slice(0, 60)}' has ${data.length} bytes, the directory says ${size}`);
    if (crc32(data) !== crc) fail(`entry '${name.slice(0, 60)}' fails its CRC-32 check`);
    out.push({ name, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
