// Reductions over any set of dims of contiguous tensors and of strided views (permuted, sliced),
// against naive float64 loops over the logical indices. Reducing the leading dims of a dense
// block takes the row path of kernels/reduce.ts (one accumulator per output, four reduced
// positions per pass); the others take the lane path. Both must give the same results, including
// NaN propagation, integer and bool dtypes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';

type Op = 'sum' | 'prod' | 'amax' | 'amin' | 'any' | 'all';

/** The flat row-major index → multi-index of `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

/** Naive reduction of the logical values `v` (row-major over `shape`) over `dims`, in increasing index order. */
function reference(op: Op, v: readonly number[], shape: readonly number[], dims: readonly number[]): number[] {
  const kept = shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const outShape = kept.map((d) => shape[d]!);
  const outN = outShape.reduce((a, b) => a * b, 1);
  const init = { sum: 0, prod: 1, amax: -Infinity, amin: Infinity, any: 0, all: 1 }[op];
  const acc = new Array<number>(outN).fill(init);
  for (let i = 0; i < v.length; i++) {
    const idx = unravel(i, shape);
    let o = 0;
    for (const d of kept) o = o * shape[d]! + idx[d]!;
    const x = v[i]!,
      a = acc[o]!;
    if (op === 'sum') acc[o] = a + x;
    else if (op === 'prod') acc[o] = a * x;
    else if (op === 'amax') acc[o] = Number.isNaN(a) || Number.isNaN(x) ? NaN : Math.max(a, x);
    else if (op === 'amin') acc[o] = Number.isNaN(a) || Number.isNaN(x) ? NaN : Math.min(a, x);
    else if (op === 'any') acc[o] = a || x !== 0 ? 1 : 0;
    else acc[o] = a && x !== 0 ? 1 : 0;
  }
  return acc;
}

function run(op: Op, t: Tensor, dims: number[]): Tensor {
  return t[op](dims);
}

function check(op: Op, t: Tensor, dims: number[], tol: number): void {
  const logical = Array.from(t.contiguous().dataSync());
  const got = Array.from(run(op, t, dims).dataSync());
  const want = reference(op, logical, t.shape, dims);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    if (Number.isNaN(w)) expect(g, `${op} [${t.shape.join(',')}] dims [${dims.join(',')}] at ${i}`).toBeNaN();
    else
      expect(Math.abs(g - w), `${op} [${t.shape.join(',')}] dims [${dims.join(',')}] at ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(
        tol * (1 + Math.abs(w)),
      );
  }
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 11 }), { minLength: 1, maxLength: 4 });

describe('reductions: row path and lane path against naive loops', () => {
  it('sum over the leading dim of a [256, 1024] float32 matrix (a bias gradient) equals the float64 column sums', () => {
    const R = 256,
      C = 1024;
    const v = Array.from({ length: R * C }, (_, i) => Math.fround(Math.sin(0.01 * i) * ((i % 7) + 1)));
    const got = tensor(v).reshape([R, C]).sum(0).dataSync();
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let r = 0; r < R; r++) s += v[r * C + c]!;
      expect(Math.abs(got[c]! - s)).toBeLessThanOrEqual(1e-7 * (Math.abs(s) + 16));
    }
  });

  it('every op over random dims of random contiguous float64 tensors', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 1000 }), (shape, mask, seed) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const dims = shape.map((_, d) => d).filter((d) => (mask >> d) & 1);
        if (dims.length === 0) dims.push(0);
        const v = Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 1.7 + seed) * 8) / 4);
        const t = tensor(v, { dtype: 'float64' }).reshape(shape);
        for (const op of ['sum', 'prod', 'amax', 'amin', 'any', 'all'] as const) check(op, t, dims, 1e-12);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('strided views: permuted and sliced inputs, float32 and int32', () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => s.length >= 2),
        fc.integer({ min: 0, max: 15 }),
        fc.boolean(),
        (shape, mask, asInt) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const v = Array.from({ length: n }, (_, i) => ((i * 37) % 11) - 5);
          const base = tensor(v, { dtype: asInt ? 'int32' : 'float32' }).reshape(shape);
          const perm = shape.map((_, d) => d).reverse();
          const views = [base.permute(perm), base.narrow(0, shape[0]! > 1 ? 1 : 0, shape[0]! > 1 ? shape[0]! - 1 : 1)];
          for (const t of views) {
            const dims = t.shape.map((_, d) => d).filter((d) => (mask >> d) & 1);
            if (dims.length === 0) dims.push(t.ndim - 1);
            for (const op of ['sum', 'amax', 'amin', 'any', 'all'] as const) check(op, t, dims, 0);
          }
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it('NaN propagates through amax/amin on the row path (reduced dim leading, NaN in a middle row)', () => {
    const R = 9,
      C = 10;
    const v = Array.from({ length: R * C }, (_, i) => i % 13);
    v[5 * C + 3] = NaN;
    const t = tensor(v, { dtype: 'float64' }).reshape([R, C]);
    check('amax', t, [0], 0);
    check('amin', t, [0], 0);
    check('sum', t, [0], 0);
    expect(t.amax(0).dataSync()[3]).toBeNaN();
    expect(t.amax(0).dataSync()[4]).toBe(12);
  });

  it('bool any/all over the leading dims of a 3-d tensor', () => {
    const shape = [5, 3, 12];
    const v = Array.from({ length: 180 }, (_, i) => (i % 17 === 0 || i % 5 === 1 ? 1 : 0));
    const t = tensor(v, { dtype: 'bool' }).reshape(shape);
    check('any', t, [0, 1], 0);
    check('all', t, [0], 0);
    check('sum', t, [0, 1], 0);
  });
});
