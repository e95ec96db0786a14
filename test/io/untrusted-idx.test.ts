/**
 * Crafted IDX files stay harmless: a gzip bomb fails without inflating, a header is checked
 * before its data is inflated or allocated.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/io/format-error.js';
import { decodeIdx, encodeIdx } from '../../src/io/idx.js';
import { gunzipHead } from '../../src/io/inflate.js';
import { thrown } from './untrusted-helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'untrusted-child.ts');
const MB = 1 << 20;

/** IDX header bytes: type code, then big-endian u32 dims. */
function idxHeader(code: number, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
  return out;
}

describe('gzipped IDX files from elsewhere', () => {
  it('a gzip bomb (a 10-byte array, then 300 MB of zeros in a 0.3 MB file) fails without inflating it', () => {
    // Measured in a process of its own: the test workers share this one.
    const run = spawnSync(process.execPath, ['--import', 'tsx', CHILD, 'idx-bomb', '300'], {
      encoding: 'utf8',
      cwd: path.join(HERE, '../..'),
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as {
      bombBytes: number;
      inflatesTo: number;
      error: { name: string; message: string };
      rssGrowth: number;
      arrayBuffersGrowth: number;
    };
    expect(result.bombBytes).toBeLessThan(MB);
    expect(result.inflatesTo).toBeGreaterThan(300 * MB);
    expect(result.error.name).toBe('FormatError');
    expect(result.error.message).toMatch(
      /^idx: unexpected trailing bytes: dimensions \[10\] of unsigned byte .* need 10 data bytes after the 8-byte header, but the decompressed file is longer$/,
    );
    expect(result.arrayBuffersGrowth).toBeLessThan(64 * MB);
    expect(result.rssGrowth).toBeLessThan(64 * MB);
  });

  it('a header claiming more data than the compressed file can hold fails before inflating', () => {
    const gz = zlib.gzipSync(idxHeader(0x08, [60000, 28, 28]));
    const err = thrown(() => decodeIdx(gz));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe(
      `idx: truncated data: dimensions [60000, 28, 28] of unsigned byte (1 byte each) need 47040000 data bytes after the 16-byte header, but the ${gz.length}-byte gzip file cannot hold that many`,
    );
  });

  it('data shorter than the header says is a FormatError', () => {
    const gz = zlib.gzipSync(Buffer.concat([idxHeader(0x0c, [3]), new Uint8Array(8)]));
    expect(thrown(() => decodeIdx(gz)).message).toMatch(
      /^idx: truncated data: dimensions \[3\] of int .* need 12 data bytes after the 8-byte header, but the file has 8$/,
    );
  });

  it('dimensions whose byte count overflows are rejected from the header alone', () => {
    const gz = zlib.gzipSync(idxHeader(0x0e, [0xffffffff, 0xffffffff, 0xffffffff]));
    expect(thrown(() => decodeIdx(gz)).message).toMatch(
      /^idx: dimensions \[4294967295, 4294967295, 4294967295\] describe too many elements$/,
    );
    const plain = idxHeader(0x0e, [0xffffffff, 0xffffffff]);
    expect(thrown(() => decodeIdx(plain)).message).toMatch(/describe too many elements/);
  });

  it('a header hidden behind many empty gzip members is still read with bounded output', () => {
    const empty = zlib.gzipSync(new Uint8Array(0));
    const members = Array.from({ length: 20000 }, () => empty); // 400 KB of input producing nothing
    const tensor = { dtype: 'int32' as const, shape: [2, 3], data: new Int32Array([1, 2, 3, 4, 5, 6]) };
    const gz = new Uint8Array(Buffer.concat([...members, zlib.gzipSync(encodeIdx(tensor, 'uint8'))]));
    const out = decodeIdx(gz);
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('gunzipHead returns at least the bytes asked for and stays bounded on a bomb', () => {
    const bomb = zlib.gzipSync(new Uint8Array(64 * MB));
    const head = gunzipHead(bomb, 1024);
    expect(head.length).toBeGreaterThanOrEqual(1024);
    expect(head.length).toBeLessThanOrEqual(1024 + 65536);
    const small = zlib.gzipSync(new Uint8Array([1, 2, 3]));
    expect(Array.from(gunzipHead(small, 1024))).toEqual([1, 2, 3]);
  });

  it('valid gzipped files of every size still decode (sizes around the probe steps)', () => {
    for (const n of [0, 1, 63, 64, 65, 1000, 5000, 70000]) {
      const data = new Int32Array(n).map((_v, i) => (i * 7919) % 251);
      const gz = zlib.gzipSync(encodeIdx({ dtype: 'int32', shape: [n], data }, 'uint8'), { level: 1 });
      const out = decodeIdx(gz);
      expect(out.shape).toEqual([n]);
      expect(out.data).toEqual(data);
    }
  });
});
