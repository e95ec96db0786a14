// .npy and .npz: files written by numpy 1.24 (scripts/make-numpy-fixtures.py) and round trips.
// Expected values restate the script's formulas (A6 = arange(6).reshape(2, 3)).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, Tensor, io, tensor } from '../../src/index.js';

const DIR = join(__dirname, '..', 'fixtures', 'numpy');
const load = (name: string): Tensor => io.loadNpy(join(DIR, `${name}.npy`));
const tmp = mkdtempSync(join(tmpdir(), 'tapegrad-npy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Bits of float64 values, so NaN and −0 compare exactly. */
const bits = (xs: number[]): string[] => xs.map((x) => Buffer.from(new Float64Array([x]).buffer).toString('hex'));

describe('reading files written by numpy.save', () => {
  it('float32, int32, bool keep their dtype and shape', () => {
    const f4 = load('f4');
    expect([f4.dtype, f4.shape]).toEqual(['float32', [2, 3]]);
    expect(f4.toArray()).toEqual([
      [0, 0.5, 1],
      [1.5, 2, 2.5],
    ]);
    expect(load('i4').dtype).toBe('int32');
    expect(load('i4').toArray()).toEqual([
      [-3, -2, -1],
      [0, 1, 2],
    ]);
    expect(load('b1').toArray()).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('float64 keeps NaN, ±Infinity, −0 and subnormals bit for bit', () => {
    const t = load('f8_special');
    expect(t.dtype).toBe('float64');
    expect(bits(t.toArray() as number[])).toEqual(bits([NaN, Infinity, -Infinity, -0, 1e-310, 1.5]));
  });

  it('integer types convert to int32 when the values fit; int64 beyond int32 is an error, not a wrap', () => {
    expect(load('i8').toArray()).toEqual([-2147483648, 2147483647, 7]);
    expect(load('i8').dtype).toBe('int32');
    expect(load('u1').toArray()).toEqual([0, 255]);
    expect(load('i1').toArray()).toEqual([-128, 127]);
    expect(load('i2').toArray()).toEqual([-32768, 32767]);
    expect(() => load('i8_too_big')).toThrow(FormatError);
    expect(() => load('i8_too_big')).toThrow(/1099511627776 .*does not fit in int32/);
  });

  it('float16 widens to float32 exactly; big-endian and Fortran-order arrays are converted', () => {
    const f2 = load('f2');
    expect([f2.dtype, f2.toArray()]).toEqual(['float32', [0.5, -2, 65504]]);
    expect(load('f8_big_endian').toArray()).toEqual([
      [0, 0.25, 0.5],
      [0.75, 1, 1.25],
    ]);
    expect(load('f8_fortran').toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('0-d and empty arrays', () => {
    const s = load('scalar');
    expect([s.shape, s.item()]).toEqual([[], 3.25]);
    expect(load('empty').shape).toEqual([0, 3]);
  });
});

describe('reading files written by numpy.savez and savez_compressed', () => {
  it('stored entries (numpy adds a ZIP64 extra field to each local header)', () => {
    const z = io.loadNpz(join(DIR, 'savez.npz'));
    expect(Object.keys(z).sort()).toEqual(['x', 'y']);
    expect(z['x']!.toArray()).toEqual([
      [0, 0.5, 1],
      [1.5, 2, 2.5],
    ]);
    expect(z['y']!.toArray()).toEqual([-2147483648, 2147483647, 7]);
  });

  it('deflated entries', () => {
    const z = io.loadNpz(join(DIR, 'savez_compressed.npz'));
    expect(z['mask']!.toArray()).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(z['x']!.dtype).toBe('float32');
  });

  it('a corrupted entry fails its CRC check', () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'savez.npz')));
    const at = Buffer.from(bytes).indexOf(Buffer.from('fortran_order')) + 200; // inside x's data
    bytes[at]! ^= 0xff;
    expect(() => io.fromNpz(bytes)).toThrow(/CRC-32|npy/);
  });
});

describe('writing', () => {
  it('round-trips every dtype, shapes 0-d to 3-d, through files and bytes', () => {
    const arrays: Record<string, Tensor> = {
      a: tensor([
        [
          [1, 2],
          [3, 4],
        ],
      ]),
      b: tensor([1e300, -0, NaN], { dtype: 'float64' }),
      c: tensor([5, -6], { dtype: 'int32' }),
      d: tensor([true, false]),
      e: tensor(7, { dtype: 'float64' }),
    };
    for (const [k, t] of Object.entries(arrays)) {
      io.saveNpy(join(tmp, `${k}.npy`), t);
      const back = io.loadNpy(join(tmp, `${k}.npy`));
      expect([back.dtype, back.shape]).toEqual([t.dtype, t.shape]);
      expect(io.toNpy(back)).toEqual(io.toNpy(t));
    }
    for (const compressed of [false, true]) {
      io.saveNpz(join(tmp, 'all.npz'), arrays, { compressed });
      const z = io.loadNpz(join(tmp, 'all.npz'));
      expect(Object.keys(z)).toEqual(Object.keys(arrays));
      for (const k of Object.keys(arrays)) expect(io.toNpy(z[k]!)).toEqual(io.toNpy(arrays[k]!));
    }
  });

  it('writes byte for byte what numpy.save writes (header, 64-byte alignment, data)', () => {
    for (const name of ['f4', 'i4', 'b1', 'scalar', 'empty', 'f8_special']) {
      expect(Buffer.from(io.toNpy(load(name))).equals(readFileSync(join(DIR, `${name}.npy`))), name).toBe(true);
    }
  });

  it('a key named __proto__ round-trips as an own key', () => {
    const z = io.fromNpz(io.toNpz(Object.defineProperty({}, '__proto__', { value: tensor([1]), enumerable: true })));
    expect(Object.keys(z)).toEqual(['__proto__']);
    expect(z['__proto__']).toBeInstanceOf(Tensor);
  });

  it('checks its arguments', () => {
    expect(() => io.saveNpy(join(tmp, 'x.npy'), [1, 2] as never)).toThrow(TypeError);
    expect(() => io.saveNpz(join(tmp, 'x.npz'), { a: tensor([1]) }, { compresed: true } as never)).toThrow(
      /unknown option 'compresed': did you mean 'compressed'/,
    );
    expect(() => io.saveNpz(join(tmp, 'x.npz'), { a: 3 } as never)).toThrow(/'a' must be a Tensor/);
    expect(() => io.fromNpy(new Uint8Array([1, 2, 3]))).toThrow(FormatError);
    expect(() => io.loadNpy('')).toThrow(TypeError);
  });
});
