// The sum over the leading dims of a contiguous tensor (a bias gradient): the reduction family's
// column-sum entry runs the wasm kernel for float32 and the JS reduction otherwise; both add each
// column's elements in float64 in row order and round once, so they equal each other, a float64
// reference summed in that order, and the general lane-path reduction, bit for bit.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { COLUMN_SUM_MIN, columnSum, setKernelBackend } from '../../src/kernels/runtime/index.js';
import { CHUNK } from '../../src/kernels/wasm/stream.js';
import { streamColumnSum } from '../../src/kernels/wasm/stream-rows.js';
import * as tg from '../../src/index.js';

/** Same value, same sign of zero, or both NaN. */
const same = (a: number, b: number): boolean => Object.is(a, b) || (a !== a && b !== b);

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1.401298464324817e-45, 3.4028234663852886e38, 1e-30, 16777216, 1];

/** `n` float32 values: mostly pseudo-random with varied magnitudes, some special when `special`. */
function values(n: number, seed: number, special = false): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = special && s % 17 === 0 ? SPECIAL[s % SPECIAL.length]! : ((s / 2 ** 32) * 8 - 4) * 2 ** ((s % 11) - 5);
  }
  return out;
}

/** Column sums in float64, rows in order, then rounded to float32 (independent of src/). */
function reference(a: ArrayLike<number>, rows: number, n: number, f32 = true): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let r = 0; r < rows; r++) acc += a[r * n + j]!;
    out.push(f32 ? Math.fround(acc) : acc);
  }
  return out;
}

function expectSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    if (!same(got[i]!, want[i]!)) expect(`${what} at ${i}: ${got[i]}`).toBe(`${what} at ${i}: ${want[i]}`);
}

afterEach(() => setKernelBackend('auto'));

describe('column sum: the wasm kernel equals the reference and the JS reduction', () => {
  it('random [rows, n] float32 (n a multiple of 4, wasm) and any n (JS), special values included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 90 }), fc.integer(), (rows, n, seed) => {
        const a = values(rows * n, seed, true);
        const want = reference(a, rows, n);
        const wasm = new Float32Array(n);
        setKernelBackend('wasm');
        expect(columnSum(wasm, a, 0, rows, n)).toBe(n % 4 === 0 ? 'wasm' : 'js');
        setKernelBackend('js');
        const js = new Float32Array(n);
        expect(columnSum(js, a, 0, rows, n)).toBe('js');
        expectSame(wasm, want, `[${rows}, ${n}] wasm`);
        expectSame(js, want, `[${rows}, ${n}] js`);
      }),
      { numRuns: 200 },
    );
  });

  it('many rows (chunks of whole rows), wide rows up to a chunk, an operand at an offset', () => {
    for (const [rows, n] of [
      [5000, 4],
      [3, CHUNK],
      [2049, 8],
      [100, 1028],
    ] as const) {
      const a = values(rows * n + 9, rows + n);
      const out = new Float32Array(n + 2);
      expect(streamColumnSum(out, a, 9, rows, n, 2)).toBe(true);
      expectSame(out.subarray(2), reference(a.subarray(9), rows, n), `[${rows}, ${n}]`);
    }
    // Not taken by the kernel: rows longer than a chunk, n not a multiple of 4, n = 0.
    expect(streamColumnSum(new Float32Array(CHUNK + 4), new Float32Array(CHUNK + 4), 0, 1, CHUNK + 4, 0)).toBe(false);
    expect(streamColumnSum(new Float32Array(6), new Float32Array(12), 0, 2, 6, 0)).toBe(false);
    expect(streamColumnSum(new Float32Array(0), new Float32Array(0), 0, 3, 0, 0)).toBe(false);
  });

  it('the kernel choice: wasm for float32 from COLUMN_SUM_MIN under auto, JS below it, for float64 and under js', () => {
    const n = 8;
    const rows = COLUMN_SUM_MIN / n;
    const a = values(rows * n, 1);
    expect(columnSum(new Float32Array(n), a, 0, rows, n)).toBe('wasm');
    expect(columnSum(new Float32Array(n), a, 0, rows - 1, n)).toBe('js');
    expect(columnSum(new Float64Array(n), Float64Array.from(a), 0, rows, n)).toBe('js');
    setKernelBackend('js');
    expect(columnSum(new Float32Array(n), a, 0, rows, n)).toBe('js');
  });
});

describe('column sum through Tensor.sum and a bias gradient', () => {
  it('sum over leading dims equals the reference; over other dims and of strided views the lane path gives the same reference', () => {
    const a = values(6 * 5 * 8, 3, true);
    const t = tg.tensor(a).reshape([6, 5, 8]);
    expectSame(t.sum(0).dataSync(), reference(a, 6, 40), 'sum(0)');
    expectSame(t.sum([0, 1]).dataSync(), reference(a, 30, 8), 'sum([0, 1])');
    expect(t.sum([0, 1], true).shape).toEqual([1, 1, 8]);
    // The same sums computed from a transposed (strided) copy of the values: the general kernel.
    const strided = tg.tensor(a).reshape([30, 8]).T.contiguous().T;
    expect(strided.isContiguous()).toBe(false);
    expectSame(strided.sum(0).dataSync(), reference(a, 30, 8), 'strided sum(0)');
    // float64 sums in float64 (no rounding to float32).
    const d = tg.tensor(a, { dtype: 'float64' }).reshape([30, 8]);
    expectSame(d.sum(0).dataSync(), reference(a, 30, 8, false), 'float64 sum(0)');
    // rows = 0 sums to zeros; n = 1 (a column) is a plain sum.
    expect(Array.from(tg.zeros([0, 8]).sum(0).dataSync())).toEqual(new Array(8).fill(0));
    expectSame(tg.tensor(a.subarray(0, 40)).reshape([40, 1]).sum(0).dataSync(), reference(a, 40, 1), 'n = 1');
    // Integer and bool sums keep their dtypes.
    expect(
      Array.from(
        tg
          .tensor(
            [
              [1, 2],
              [3, 4],
            ],
            { dtype: 'int32' },
          )
          .sum(0)
          .dataSync(),
      ),
    ).toEqual([4, 6]);
    expect(
      tg
        .tensor([
          [true, false],
          [true, true],
        ])
        .sum(0).dtype,
    ).toBe('int32');
  });

  it("linear's bias gradient is the column sum of the output gradient, with the shape of the bias", () => {
    const rows = 48;
    const n = 12;
    const gv = values(rows * n, 11);
    const x = tg.zeros([rows, 3]);
    const w = tg.zeros([n, 3]);
    const b = tg.zeros([n], { requiresGrad: true });
    tg.nn.F.linear(x, w, b).backward(tg.tensor(gv).reshape([rows, n]));
    expect(b.grad!.shape).toEqual([n]);
    expectSame(b.grad!.dataSync(), reference(gv, rows, n), 'bias grad');
    const b2 = tg.zeros([1, n], { requiresGrad: true });
    tg.tensor(values(rows * n, 12))
      .reshape([rows, n])
      .add(b2)
      .backward(tg.tensor(gv).reshape([rows, n]));
    expect(b2.grad!.shape).toEqual([1, n]);
    expectSame(b2.grad!.dataSync(), reference(gv, rows, n), '[1, n] grad');
  });
});
