import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic, writeFileAtomicAsync } from '../../src/io/atomic-write.js';
import { FormatError } from '../../src/io/format-error.js';
import { formatErrorExpecter } from './helpers.js';
import type { DType, RawTensor } from '../../src/io/raw-tensor.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../../src/io/safetensors.js';

// ---------------------------------------------------------------- helpers

/** Bytes of a typed array, to compare floats bit for bit (NaN payloads, -0). */
function bits(t: RawTensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function expectSameTensor(actual: RawTensor | undefined, expected: RawTensor): void {
  expect(actual).toBeDefined();
  expect(actual!.dtype).toBe(expected.dtype);
  expect(actual!.shape).toEqual(expected.shape);
  expect(actual!.data.constructor).toBe(expected.data.constructor);
  expect(bits(actual!)).toEqual(bits(expected));
}

const expectFormatError = formatErrorExpecter('safetensors');

/**
 * Builds a file straight from the specification: u64 little-endian header
 * length, the header text as UTF-8 bytes (callers write it by hand), then the
 * raw data bytes. Independent of the encoder under test.
 */
function specFile(header: string, data: number[]): Uint8Array {
  const h = Buffer.from(header, 'utf8');
  const out = new Uint8Array(8 + h.length + data.length);
  let n = h.length;
  for (let i = 0; i < 8; i++) {
    out[i] = n % 256;
    n = Math.floor(n / 256);
  }
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

// ---------------------------------------------------------------- round trips

const dtypeArb = fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool');
const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 });

function tensorArb(): fc.Arbitrary<RawTensor> {
  return fc.tuple(dtypeArb, shapeArb).chain(([dtype, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const len = { minLength: n, maxLength: n };
    const data: fc.Arbitrary<RawTensor['data']> =
      dtype === 'float32'
        ? fc.float32Array(len)
        : dtype === 'float64'
          ? fc.float64Array(len)
          : dtype === 'int32'
            ? fc.int32Array(len)
            : fc.uint8Array({ ...len, min: 0, max: 1 });
    return data.map((d) => ({ dtype, shape, data: d }));
  });
}

const tensorsArb = fc
  .uniqueArray(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 8 }), tensorArb()), {
    selector: ([name]) => name,
    maxLength: 6,
  })
  .filter((entries) => entries.every(([name]) => name !== '__metadata__'));

const metadataArb = fc.option(
  fc.uniqueArray(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 })), {
    selector: ([k]) => k,
    maxLength: 4,
  }),
  { nil: undefined },
);

function fromEntries<T>(entries: [string, T][]): Record<string, T> {
  const obj: Record<string, T> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return obj;
}

describe('safetensors round trip', () => {
  it('preserves every dtype, shape and bit pattern (property)', () => {
    fc.assert(
      fc.property(tensorsArb, metadataArb, (entries, metaEntries) => {
        const tensors = fromEntries(entries);
        const metadata = metaEntries === undefined ? undefined : fromEntries(metaEntries);
        const bytes = encodeSafetensors(tensors, metadata);
        // header length is a multiple of 8 and the data is fully covered
        const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
        expect(headerLen % 8).toBe(0);
        const decoded = decodeSafetensors(bytes);
        expect(Object.keys(decoded.tensors).sort()).toEqual(entries.map(([k]) => k).sort());
        for (const [name, t] of entries) {
          expect(Object.prototype.hasOwnProperty.call(decoded.tensors, name)).toBe(true);
          expectSameTensor(decoded.tensors[name], t);
        }
        // (JS objects list integer-like keys first, so compare as sorted entry lists)
        const byKey = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
        expect(Object.entries(decoded.metadata).sort(byKey)).toEqual((metaEntries ?? []).slice().sort(byKey));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('handles 0-d, empty and NaN/-0/Infinity tensors', () => {
    const tensors: Record<string, RawTensor> = {
      scalar: { dtype: 'float64', shape: [], data: new Float64Array([-0]) },
      empty: { dtype: 'float32', shape: [0, 3], data: new Float32Array(0) },
      empty2: { dtype: 'int32', shape: [2, 0], data: new Int32Array(0) },
      emptyBool: { dtype: 'bool', shape: [0], data: new Uint8Array(0) },
      specials: { dtype: 'float32', shape: [4], data: new Float32Array([NaN, -0, Infinity, -Infinity]) },
      flags: { dtype: 'bool', shape: [1, 3], data: new Uint8Array([1, 0, 1]) },
      ints: { dtype: 'int32', shape: [2], data: new Int32Array([-2147483648, 2147483647]) },
    };
    const { tensors: out, metadata } = decodeSafetensors(encodeSafetensors(tensors));
    expect(metadata).toEqual({});
    for (const [name, t] of Object.entries(tensors)) expectSameTensor(out[name], t);
    expect(Object.is(out['scalar']!.data[0], -0)).toBe(true);
  });

  it('encodes an empty dict as a valid file', () => {
    const bytes = encodeSafetensors({});
    expect(Array.from(bytes)).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} });
  });

  it('produces the reference layout byte for byte (sorted by alignment then name, space padding)', () => {
    const bytes = encodeSafetensors(
      {
        z: { dtype: 'bool', shape: [2], data: new Uint8Array([1, 0]) },
        b: { dtype: 'int32', shape: [1], data: new Int32Array([-2]) },
        a: { dtype: 'float32', shape: [1], data: new Float32Array([1]) },
        d: { dtype: 'float64', shape: [], data: new Float64Array([0.5]) },
      },
      { format: 'pt' },
    );
    const header =
      '{"__metadata__":{"format":"pt"},' +
      '"d":{"dtype":"F64","shape":[],"data_offsets":[0,8]},' +
      '"a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
      '"b":{"dtype":"I32","shape":[1],"data_offsets":[12,16]},' +
      '"z":{"dtype":"BOOL","shape":[2],"data_offsets":[16,18]}}';
    const padded = header + ' '.repeat((8 - (header.length % 8)) % 8);
    const data = [
      0,
      0,
      0,
      0,
      0,
      0,
      0xe0,
      0x3f, // 0.5 as f64 LE
      0,
      0,
      0x80,
      0x3f, // 1.0 as f32 LE
      0xfe,
      0xff,
      0xff,
      0xff, // -2 as i32 LE
      1,
      0, // bools
    ];
    expect(Array.from(bytes)).toEqual(Array.from(specFile(padded, data)));
  });

  it('decodes from an unaligned view and returns fresh aligned arrays', () => {
    const file = encodeSafetensors({
      x: { dtype: 'float64', shape: [2], data: new Float64Array([1.5, -3]) },
      y: { dtype: 'int32', shape: [1], data: new Int32Array([9]) },
    });
    const backing = new Uint8Array(file.length + 3);
    backing.set(file, 3);
    const view = backing.subarray(3);
    const { tensors } = decodeSafetensors(view);
    expect(Array.from(tensors['x']!.data)).toEqual([1.5, -3]);
    expect(tensors['x']!.data.byteOffset).toBe(0);
    expect(tensors['x']!.data.buffer).not.toBe(backing.buffer);
    backing.fill(0);
    expect(Array.from(tensors['y']!.data)).toEqual([9]);
  });
});

// ---------------------------------------------------------------- spec fixtures

describe('safetensors spec fixtures (built byte by byte)', () => {
  it('reads a hand-written file with all four dtypes, metadata and unaligned offsets', () => {
    const header =
      '{"__metadata__":{"format":"pt","note":"h\\u00e9"},' +
      '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"b":{"dtype":"I32","shape":[1,1],"data_offsets":[8,12]},' +
      '"c":{"dtype":"F64","shape":[],"data_offsets":[12,20]},' +
      '"d":{"dtype":"BOOL","shape":[3],"data_offsets":[20,23]}}    ';
    const data = [
      0x00,
      0x00,
      0x80,
      0x3f, // 1.0f
      0x00,
      0x00,
      0x20,
      0xc0, // -2.5f
      0xfe,
      0xff,
      0xff,
      0xff, // -2
      0x9a,
      0x99,
      0x99,
      0x99,
      0x99,
      0x99,
      0xb9,
      0x3f, // 0.1 (0x3FB999999999999A)
      0x01,
      0x00,
      0x01, // true false true
    ];
    const { tensors, metadata } = decodeSafetensors(specFile(header, data));
    expect(metadata).toEqual({ format: 'pt', note: 'hé' });
    expect(Object.keys(tensors)).toEqual(['a', 'b', 'c', 'd']);
    expect(tensors['a']).toEqual({ dtype: 'float32', shape: [2], data: new Float32Array([1, -2.5]) });
    expect(tensors['b']).toEqual({ dtype: 'int32', shape: [1, 1], data: new Int32Array([-2]) });
    expect(tensors['c']).toEqual({ dtype: 'float64', shape: [], data: new Float64Array([0.1]) });
    expect(tensors['d']).toEqual({ dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) });
  });

  it('accepts a file with no __metadata__ and keys in any order', () => {
    const header = '{"w":{"data_offsets":[4,8],"shape":[1],"dtype":"I32"},"v":{"shape":[1],"dtype":"I32","data_offsets":[0,4]}}';
    const { tensors, metadata } = decodeSafetensors(specFile(header, [1, 0, 0, 0, 0, 1, 0, 0]));
    expect(metadata).toEqual({});
    expect(Array.from(tensors['v']!.data)).toEqual([1]);
    expect(Array.from(tensors['w']!.data)).toEqual([256]);
  });

  it('widens F16 and BF16 to float32', () => {
    const header = '{"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[10,16]}}';
    const data = [
      0x00,
      0x3c, // 1.0
      0x00,
      0xc0, // -2.0
      0xff,
      0x7b, // 65504 (largest half)
      0x01,
      0x00, // 2^-24 (smallest subnormal)
      0x00,
      0x7c, // +Infinity
      0x80,
      0x3f, // 1.0
      0x00,
      0xc0, // -2.0
      0x49,
      0x40, // 3.140625
    ];
    const { tensors } = decodeSafetensors(specFile(header, data));
    expect(tensors['h']!.dtype).toBe('float32');
    expect(Array.from(tensors['h']!.data)).toEqual([1, -2, 65504, 2 ** -24, Infinity]);
    expect(tensors['b']!.dtype).toBe('float32');
    expect(Array.from(tensors['b']!.data)).toEqual([1, -2, 3.140625]);
  });

  it('converts small integer types and in-range I64 to int32', () => {
    const header =
      '{"u":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},' +
      '"s":{"dtype":"I8","shape":[2],"data_offsets":[2,4]},' +
      '"q":{"dtype":"I16","shape":[1],"data_offsets":[4,6]},' +
      '"l":{"dtype":"I64","shape":[2],"data_offsets":[6,22]}}';
    const data = [
      200,
      7,
      0x80,
      0xff, // -128, -1
      0x00,
      0x80, // -32768
      0xfd,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff, // -3
      0xff,
      0xff,
      0xff,
      0x7f,
      0x00,
      0x00,
      0x00,
      0x00, // 2147483647
    ];
    const { tensors } = decodeSafetensors(specFile(header, data));
    expect(tensors['u']).toEqual({ dtype: 'int32', shape: [2], data: new Int32Array([200, 7]) });
    expect(tensors['s']).toEqual({ dtype: 'int32', shape: [2], data: new Int32Array([-128, -1]) });
    expect(tensors['q']).toEqual({ dtype: 'int32', shape: [1], data: new Int32Array([-32768]) });
    expect(tensors['l']).toEqual({ dtype: 'int32', shape: [2], data: new Int32Array([-3, 2147483647]) });
  });
});

// ---------------------------------------------------------------- malformed input

describe('safetensors malformed input', () => {
  const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const goodData = [0, 0, 0x80, 0x3f, 0, 0, 0x80, 0x3f];

  it('rejects a file shorter than the length field', () => {
    expectFormatError(() => decodeSafetensors(new Uint8Array(5)), /file is 5 bytes, too short/);
  });

  it('rejects a header length larger than the file', () => {
    const bytes = new Uint8Array(120);
    new DataView(bytes.buffer).setBigUint64(0, 9999999999n, true);
    expectFormatError(() => decodeSafetensors(bytes), /header length 9999999999 exceeds the file size 120/);
    const huge = new Uint8Array(16);
    huge.fill(0xff, 0, 8);
    expectFormatError(() => decodeSafetensors(huge), /header length 18446744073709551615 exceeds the file size 16/);
  });

  it('rejects a header larger than 100 MB', () => {
    const bytes = new Uint8Array(8 + 100_000_001);
    new DataView(bytes.buffer).setBigUint64(0, 100_000_001n, true);
    bytes[8] = 0x7b;
    expectFormatError(() => decodeSafetensors(bytes), /header length 100000001 exceeds the 100000000-byte limit/);
  });

  it('rejects files truncated in the header or in the data', () => {
    const file = specFile(good, goodData);
    expectFormatError(() => decodeSafetensors(file.subarray(0, 30)), /header length 54 exceeds the file size 30/);
    expectFormatError(
      () => decodeSafetensors(file.subarray(0, file.length - 1)),
      /tensor "a" has data_offsets \[0, 8\] beyond the end of the 7-byte data buffer/,
    );
  });

  it('rejects corrupt JSON, non-objects, bad UTF-8 and empty headers', () => {
    expectFormatError(() => decodeSafetensors(specFile('{"a":{"dtype":', [])), /header is not valid JSON .*\{"a":\{"dtype":/);
    expectFormatError(() => decodeSafetensors(specFile('[1,2]', [])), /header must start with '\{', found byte 0x5b/);
    expectFormatError(() => decodeSafetensors(specFile('', [])), /header must start with '\{', found an empty header/);
    const bad = specFile('{"\u00ff":1}', []);
    bad[10] = 0xff; // replace the first UTF-8 byte of "ÿ" with an invalid lead byte sequence
    bad[11] = 0xff;
    expectFormatError(() => decodeSafetensors(bad), /header \(\d+ bytes\) is not valid UTF-8/);
    expectFormatError(() => decodeSafetensors(specFile('{"a":[0]}', [])), /entry for tensor "a" must be an object, got \[0\]/);
  });

  it('rejects unknown dtypes, naming the dtype and the key', () => {
    const err = expectFormatError(
      () => decodeSafetensors(specFile('{"weight":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', [0])),
      /tensor "weight" has unsupported dtype "F8_E4M3"/,
    );
    expect(err.message).toContain('supported: F64, F32, I32, BOOL');
    expectFormatError(
      () => decodeSafetensors(specFile('{"w":{"dtype":"float32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0])),
      /tensor "w" has unsupported dtype "float32"/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"w":{"shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0])),
      /tensor "w" has a missing or non-string dtype/,
    );
  });

  it('rejects I64/U32 values that do not fit int32, and BOOL bytes other than 0/1', () => {
    expectFormatError(
      () =>
        decodeSafetensors(
          specFile('{"n":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}', [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
        ),
      /tensor "n" of dtype I64 holds 4294967296 at index 1, which does not fit in int32/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"n":{"dtype":"U32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0x80])),
      /dtype U32 holds 2147483648 at index 0/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', [1, 2])),
      /BOOL tensor "m" holds byte 2 at index 1, expected 0 or 1/,
    );
  });

  it('rejects overlapping, out-of-range, reversed and non-integer offsets', () => {
    const data12 = new Array<number>(12).fill(0);
    expectFormatError(
      () =>
        decodeSafetensors(
          specFile('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', data12),
        ),
      /tensor "b" data_offsets \[4, 12\] overlap tensor "a" \[0, 8\]/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', data12)),
      /tensor "a" has data_offsets \[0, 16\] beyond the end of the 12-byte data buffer/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}', data12)),
      /tensor "a" has data_offsets \[8, 4\] with begin after end/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0.5,4]}}', data12)),
      /tensor "a" has invalid data_offsets \[0.5, 4\]/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', data12)),
      /tensor "a" has invalid data_offsets \[0\]/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', data12)),
      /tensor "a" has an invalid shape \[-1\]/,
    );
  });

  it('rejects gaps and uncovered trailing bytes', () => {
    expectFormatError(
      () =>
        decodeSafetensors(
          specFile(
            '{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}',
            new Array<number>(12).fill(0),
          ),
        ),
      /data bytes \[4, 8\) are not covered by any tensor \(gap before tensor "b"\)/,
    );
    expectFormatError(() => decodeSafetensors(specFile(good, [...goodData, 0, 0])), /data buffer is 10 bytes but the tensors cover only 8/);
  });

  it('rejects a size mismatch between shape and offsets', () => {
    expectFormatError(
      () => decodeSafetensors(specFile('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', goodData)),
      /tensor "a" \(F32, shape \[3\]\) needs 12 bytes but data_offsets \[0, 8\] span 8/,
    );
    expectFormatError(
      () => decodeSafetensors(specFile('{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}', goodData)),
      /needs too many bytes/,
    );
  });

  it('rejects non-string metadata values', () => {
    expectFormatError(
      () => decodeSafetensors(specFile('{"__metadata__":{"epoch":3}}', [])),
      /__metadata__ value for key "epoch" must be a string, got 3/,
    );
    expectFormatError(() => decodeSafetensors(specFile('{"__metadata__":"x"}', [])), /__metadata__ must be an object of strings, got 'x'/);
  });

  it('keeps a tensor named __proto__ as an own property', () => {
    const { tensors } = decodeSafetensors(specFile('{"__proto__":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}', [5, 0, 0, 0]));
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    expect(Array.from(tensors['__proto__']!.data)).toEqual([5]);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
  });

  it('refuses to encode malformed tensors or metadata', () => {
    expectFormatError(
      () => encodeSafetensors({ a: { dtype: 'float32', shape: [3], data: new Float32Array(2) } }),
      /tensor "a": data has 2 elements but shape \[3\] needs 3/,
    );
    expectFormatError(
      () => encodeSafetensors({ a: { dtype: 'float32', shape: [2], data: new Float64Array(2) } }),
      /tensor "a": dtype float32 needs a Float32Array but data is a Float64Array/,
    );
    expectFormatError(
      () => encodeSafetensors({ a: { dtype: 'bool', shape: [2], data: new Uint8Array([0, 7]) } }),
      /bool data holds 7 at index 1/,
    );
    expectFormatError(() => encodeSafetensors({ a: { dtype: 'int32', shape: [1.5], data: new Int32Array(1) } }), /invalid dimension 1.5/);
    expectFormatError(
      () => encodeSafetensors({ __metadata__: { dtype: 'int32', shape: [], data: new Int32Array(1) } }),
      /"__metadata__" is reserved/,
    );
    expectFormatError(
      () => encodeSafetensors({}, { epoch: 3 as unknown as string }),
      /metadata value for key "epoch" must be a string, got 3/,
    );
  });
});

// ---------------------------------------------------------------- files

describe('saveSafetensors / loadSafetensors', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-st-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const v1 = { w: { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) } as RawTensor };
  const v2 = { w: { dtype: 'float32', shape: [3], data: new Float32Array([3, 4, 5]) } as RawTensor };

  it('saves and loads, replacing an existing file and keeping its mode', () => {
    const file = path.join(dir, 'model.safetensors');
    saveSafetensors(file, v1, { step: '1' });
    fs.chmodSync(file, 0o640);
    saveSafetensors(file, v2, { step: '2' });
    const { tensors, metadata } = loadSafetensors(file);
    expect(metadata).toEqual({ step: '2' });
    expectSameTensor(tensors['w'], v2.w);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('leaves the old file intact and no temp file when fsync fails mid-write', () => {
    const file = path.join(dir, 'model.safetensors');
    saveSafetensors(file, v1);
    const before = fs.readFileSync(file);
    let tempSeen: string[] = [];
    const spy = vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      tempSeen = fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
      throw Object.assign(new Error('EIO: simulated disk failure'), { code: 'EIO' });
    });
    expect(() => saveSafetensors(file, v2)).toThrow(/simulated disk failure/);
    expect(spy).toHaveBeenCalled();
    // the failure really happened after the temp file was created next to the target
    expect(tempSeen).toHaveLength(1);
    expect(tempSeen[0]).toMatch(new RegExp(`^\\.model\\.safetensors\\.${process.pid}\\.[0-9a-f]+\\.tmp$`));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('leaves the old file intact and no temp file when the rename fails', () => {
    const file = path.join(dir, 'model.safetensors');
    saveSafetensors(file, v1);
    const before = fs.readFileSync(file);
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw new Error('EXDEV: simulated rename failure');
    });
    expect(() => saveSafetensors(file, v2)).toThrow(/simulated rename failure/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('cleans up when the target is a directory (real rename error)', () => {
    const target = path.join(dir, 'occupied');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'x');
    expect(() => saveSafetensors(target, v1)).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['occupied']);
    expect(fs.readdirSync(target)).toEqual(['keep.txt']);
  });

  it('writes nothing when encoding fails', () => {
    const file = path.join(dir, 'model.safetensors');
    saveSafetensors(file, v1);
    const before = fs.readFileSync(file);
    expect(() => saveSafetensors(file, { w: { dtype: 'int32', shape: [2], data: new Int32Array(1) } })).toThrow(FormatError);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('adds the path to format errors when loading', () => {
    const file = path.join(dir, 'broken.safetensors');
    fs.writeFileSync(file, Buffer.from([1, 2, 3]));
    const err = expectFormatError(() => loadSafetensors(file), /file is 3 bytes/);
    expect(err.message).toContain(file);
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-aw-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes strings as UTF-8 and bytes as is', () => {
    const f = path.join(dir, 'log.csv');
    writeFileAtomic(f, 'step,loss\n1,é\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('step,loss\n1,é\n');
    writeFileAtomic(f, new Uint8Array([0, 255]));
    expect(Array.from(fs.readFileSync(f))).toEqual([0, 255]);
    writeFileAtomic(f, '');
    expect(fs.readFileSync(f).length).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['log.csv']);
  });

  it('fails cleanly when the folder does not exist', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'x.bin'), 'x')).toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('async version writes atomically and cleans up on failure', async () => {
    const f = path.join(dir, 'a.txt');
    await writeFileAtomicAsync(f, 'one');
    expect(fs.readFileSync(f, 'utf8')).toBe('one');
    await writeFileAtomicAsync(f, new Uint8Array([116, 119, 111]));
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    vi.spyOn(fsp, 'rename').mockRejectedValue(new Error('simulated async rename failure'));
    await expect(writeFileAtomicAsync(f, 'three')).rejects.toThrow(/simulated async rename failure/);
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir)).toEqual(['a.txt']);
  });
});
