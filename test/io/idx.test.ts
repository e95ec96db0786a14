import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatErrorExpecter } from './helpers.js';
import { decodeIdx, encodeIdx, readIdx } from '../../src/io/idx.js';
import type { IdxType } from '../../src/io/idx.js';
import type { RawTensor } from '../../src/io/raw-tensor.js';

const expectFormatError = formatErrorExpecter('idx');

// Hand-built files: magic 00 00 <type> <ndim>, big-endian u32 dims, big-endian data.
const FIXTURES: { name: string; bytes: number[]; expected: RawTensor }[] = [
  {
    name: '0x08 unsigned byte, 2x3',
    bytes: [0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff],
    expected: { dtype: 'int32', shape: [2, 3], data: new Int32Array([0, 1, 127, 128, 254, 255]) },
  },
  {
    name: '0x09 signed byte (negative values)',
    bytes: [0x00, 0x00, 0x09, 0x01, 0x00, 0x00, 0x00, 0x04, 0x80, 0xff, 0x00, 0x7f],
    expected: { dtype: 'int32', shape: [4], data: new Int32Array([-128, -1, 0, 127]) },
  },
  {
    name: '0x0B short (big-endian, negative values)',
    bytes: [0x00, 0x00, 0x0b, 0x01, 0x00, 0x00, 0x00, 0x04, 0x01, 0x02, 0xff, 0xfe, 0x80, 0x00, 0x7f, 0xff],
    expected: { dtype: 'int32', shape: [4], data: new Int32Array([258, -2, -32768, 32767]) },
  },
  {
    name: '0x0C int (big-endian)',
    bytes: [0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00],
    expected: { dtype: 'int32', shape: [3], data: new Int32Array([-1, 65536, -2147483648]) },
  },
  {
    name: '0x0D float (big-endian)',
    bytes: [
      0x00,
      0x00,
      0x0d,
      0x02,
      0x00,
      0x00,
      0x00,
      0x01,
      0x00,
      0x00,
      0x00,
      0x03,
      0x3f,
      0x80,
      0x00,
      0x00, // 1.0
      0xc0,
      0x20,
      0x00,
      0x00, // -2.5
      0x3d,
      0xcc,
      0xcc,
      0xcd, // 0.1f
    ],
    expected: { dtype: 'float32', shape: [1, 3], data: new Float32Array([1, -2.5, Math.fround(0.1)]) },
  },
  {
    name: '0x0E double (big-endian)',
    bytes: [
      0x00,
      0x00,
      0x0e,
      0x01,
      0x00,
      0x00,
      0x00,
      0x03,
      0x3f,
      0xf0,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00, // 1.0
      0xbf,
      0xe0,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00, // -0.5
      0x7f,
      0xf0,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00, // Infinity
    ],
    expected: { dtype: 'float64', shape: [3], data: new Float64Array([1, -0.5, Infinity]) },
  },
  {
    name: '0x08 with three dimensions (MNIST image layout)',
    bytes: [0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8],
    expected: { dtype: 'int32', shape: [2, 2, 2], data: new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]) },
  },
  {
    name: '0x0C with a zero dimension',
    bytes: [0x00, 0x00, 0x0c, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05],
    expected: { dtype: 'int32', shape: [0, 5], data: new Int32Array(0) },
  },
  {
    name: '0x08 with no dimensions (scalar)',
    bytes: [0x00, 0x00, 0x08, 0x00, 0x2a],
    expected: { dtype: 'int32', shape: [], data: new Int32Array([42]) },
  },
];

describe('decodeIdx hand-built files', () => {
  for (const f of FIXTURES) {
    it(`decodes ${f.name}`, () => {
      expect(decodeIdx(new Uint8Array(f.bytes))).toEqual(f.expected);
    });
    it(`decodes ${f.name}, gzipped`, () => {
      const gz = zlib.gzipSync(new Uint8Array(f.bytes));
      expect(gz[0]).toBe(0x1f);
      expect(gz[1]).toBe(0x8b);
      expect(decodeIdx(gz)).toEqual(f.expected);
    });
  }

  it('reads from an unaligned view without sharing memory', () => {
    const f = FIXTURES[3]!;
    const backing = new Uint8Array(f.bytes.length + 1);
    backing.set(f.bytes, 1);
    const t = decodeIdx(backing.subarray(1));
    backing.fill(0);
    expect(t).toEqual(f.expected);
  });

  it('preserves the bits of float NaN and -0', () => {
    const t = decodeIdx(new Uint8Array([0, 0, 0x0d, 0x01, 0, 0, 0, 2, 0x7f, 0xc0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]));
    expect(Number.isNaN(t.data[0])).toBe(true);
    expect(Object.is(t.data[1], -0)).toBe(true);
  });
});

describe('decodeIdx malformed input', () => {
  it('rejects a bad magic number', () => {
    expectFormatError(
      () => decodeIdx(new Uint8Array([0x01, 0x00, 0x08, 0x01, 0, 0, 0, 0])),
      /bad magic number: the first two bytes must be 0x00 0x00, got 0x01 0x00/,
    );
  });

  it('rejects an unknown type code', () => {
    expectFormatError(
      () => decodeIdx(new Uint8Array([0, 0, 0x0a, 0x01, 0, 0, 0, 0])),
      /unknown type code 0x0a \(expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e\)/,
    );
  });

  it('rejects files shorter than the magic number or the dimension list', () => {
    expectFormatError(() => decodeIdx(new Uint8Array([0, 0, 8])), /file is 3 bytes, too short/);
    expectFormatError(
      () => decodeIdx(new Uint8Array([0, 0, 0x08, 0x03, 0, 0, 0, 1, 0, 0])),
      /truncated header: 3 dimensions need 16 header bytes, but the file has 10/,
    );
  });

  it('rejects truncated data, naming expected and actual byte counts', () => {
    expectFormatError(
      () => decodeIdx(new Uint8Array([0, 0, 0x0b, 0x01, 0, 0, 0, 3, 0, 1, 0, 2, 0])),
      /truncated data: dimensions \[3\] of short \(2 bytes each\) need 6 data bytes after the 8-byte header, but the file has 5/,
    );
    expectFormatError(
      () => decodeIdx(zlib.gzipSync(new Uint8Array([0, 0, 0x08, 0x02, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]))),
      /truncated data: .* need 784 data bytes after the 12-byte header, but the file has 3/,
    );
  });

  it('rejects trailing bytes', () => {
    expectFormatError(
      () => decodeIdx(new Uint8Array([0, 0, 0x08, 0x01, 0, 0, 0, 2, 1, 2, 3])),
      /unexpected trailing bytes: dimensions \[2\] of unsigned byte \(1 byte each\) need 2 data bytes after the 8-byte header, but the file has 3/,
    );
  });

  it('rejects corrupt gzip data', () => {
    const gz = zlib.gzipSync(new Uint8Array(FIXTURES[0]!.bytes));
    const corrupt = gz.subarray(0, gz.length - 6);
    const err = expectFormatError(() => decodeIdx(corrupt), /gzip decompression failed/);
    expect(err.cause).toBeInstanceOf(Error);
    expectFormatError(() => decodeIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3])), /gzip decompression failed/);
  });
});

describe('readIdx', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-idx-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads plain and gzipped files from disk, and bytes in memory', () => {
    const f = FIXTURES[1]!;
    const plain = path.join(dir, 't10k-labels-idx1-ubyte');
    const gz = path.join(dir, 't10k-labels-idx1-ubyte.gz');
    fs.writeFileSync(plain, new Uint8Array(f.bytes));
    fs.writeFileSync(gz, zlib.gzipSync(new Uint8Array(f.bytes)));
    expect(readIdx(plain)).toEqual(f.expected);
    expect(readIdx(gz)).toEqual(f.expected);
    expect(readIdx(new Uint8Array(f.bytes))).toEqual(f.expected);
  });

  it('names the file in format errors and lets fs errors through', () => {
    const bad = path.join(dir, 'bad-idx');
    fs.writeFileSync(bad, new Uint8Array([9, 9, 9, 9]));
    const err = expectFormatError(() => readIdx(bad), /bad magic number/);
    expect(err.message).toContain(bad);
    expect(() => readIdx(path.join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});

describe('encodeIdx', () => {
  it('writes the layout of the specification', () => {
    const bytes = encodeIdx({ dtype: 'int32', shape: [2, 2], data: new Int32Array([-1, 2, -32768, 300]) }, 'int16');
    expect(Array.from(bytes)).toEqual([
      0x00, 0x00, 0x0b, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0x00, 0x02, 0x80, 0x00, 0x01, 0x2c,
    ]);
    for (const f of FIXTURES) {
      const type = (['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as const)[
        [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e].indexOf(f.bytes[2]!)
      ];
      expect(Array.from(encodeIdx(f.expected, type))).toEqual(f.bytes);
    }
  });

  it('picks a default type from the dtype', () => {
    expect(encodeIdx({ dtype: 'bool', shape: [1], data: new Uint8Array([1]) })[2]).toBe(0x08);
    expect(encodeIdx({ dtype: 'int32', shape: [1], data: new Int32Array([1]) })[2]).toBe(0x0c);
    expect(encodeIdx({ dtype: 'float32', shape: [1], data: new Float32Array([1]) })[2]).toBe(0x0d);
    expect(encodeIdx({ dtype: 'float64', shape: [1], data: new Float64Array([1]) })[2]).toBe(0x0e);
  });

  it('round trips every type (property)', () => {
    const ranges: Record<IdxType, [number, number]> = {
      uint8: [0, 255],
      int8: [-128, 127],
      int16: [-32768, 32767],
      int32: [-2147483648, 2147483647],
      float32: [0, 0],
      float64: [0, 0],
    };
    const arb = fc
      .tuple(
        fc.constantFrom<IdxType>('uint8', 'int8', 'int16', 'int32', 'float32', 'float64'),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      )
      .chain(([type, shape]) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const len = { minLength: n, maxLength: n };
        const t: fc.Arbitrary<RawTensor> =
          type === 'float32'
            ? fc.float32Array(len).map((data) => ({ dtype: 'float32', shape, data }))
            : type === 'float64'
              ? fc.float64Array(len).map((data) => ({ dtype: 'float64', shape, data }))
              : fc
                  .array(fc.integer({ min: ranges[type][0], max: ranges[type][1] }), len)
                  .map((xs) => ({ dtype: 'int32', shape, data: Int32Array.from(xs) }));
        return t.map((tensor) => [type, tensor] as const);
      });
    fc.assert(
      fc.property(arb, fc.boolean(), ([type, t], gzip) => {
        const bytes = encodeIdx(t, type);
        const back = decodeIdx(gzip ? zlib.gzipSync(bytes) : bytes);
        expect(back.dtype).toBe(t.dtype);
        expect(back.shape).toEqual(t.shape);
        expect(Array.from(back.data, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v))).toEqual(
          Array.from(t.data, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v)),
        );
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects values that do not fit the type and malformed tensors', () => {
    expectFormatError(
      () => encodeIdx({ dtype: 'int32', shape: [2], data: new Int32Array([1, 256]) }, 'uint8'),
      /value 256 at index 1 cannot be stored as uint8/,
    );
    expectFormatError(
      () => encodeIdx({ dtype: 'float32', shape: [1], data: new Float32Array([0.5]) }, 'int32'),
      /value 0.5 at index 0 cannot be stored as int32/,
    );
    expectFormatError(
      () => encodeIdx({ dtype: 'float32', shape: [2], data: new Float32Array(3) }),
      /cannot encode tensor: data has 3 elements but shape \[2\] needs 2/,
    );
    expectFormatError(
      () => encodeIdx({ dtype: 'int32', shape: [1], data: new Int32Array(1) }, 'int64' as IdxType),
      /unknown IDX element type "int64"/,
    );
  });
});
