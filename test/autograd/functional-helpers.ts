/**
 * Finite-difference references for the functional-API tests, in float64, from function values
 * only (never from tapegrad's gradients): Jacobians by central differences and Hessians by the
 * four-point mixed second difference.
 */
import { expect } from 'vitest';
import * as fc from 'fast-check';
import { noGrad, tensor, type Tensor } from '../../src/index.js';

/** A function of several tensors returning one tensor or several. */
export type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

/** The flat values of each output of `fn` at inputs given as flat arrays with shapes. */
export function evaluate(fn: Fn, flats: number[][], shapes: number[][]): number[][] {
  return noGrad(() => {
    const out = fn(...flats.map((f, i) => tensor(f, { dtype: 'float64' }).reshape(shapes[i]!)));
    return (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync(), Number));
  });
}

/** `J[k][i]` as a row-major matrix [numel(out k)][numel(in i)] by central differences. */
export function numericJacobian(fn: Fn, flats: number[][], shapes: number[][], eps = 1e-6): number[][][][] {
  const base = evaluate(fn, flats, shapes);
  const J = base.map((o) => flats.map(() => o.map(() => [] as number[])));
  flats.forEach((flat, i) => {
    for (let e = 0; e < flat.length; e++) {
      const plus = flats.map((f) => f.slice());
      const minus = flats.map((f) => f.slice());
      plus[i]![e]! += eps;
      minus[i]![e]! -= eps;
      const fp = evaluate(fn, plus, shapes);
      const fm = evaluate(fn, minus, shapes);
      base.forEach((o, k) => o.forEach((_v, r) => J[k]![i]![r]!.push((fp[k]![r]! - fm[k]![r]!) / (2 * eps))));
    }
  });
  return J;
}

/** `H[i][j]` as a matrix [numel(in i)][numel(in j)] of a scalar function, by mixed central differences. */
export function numericHessian(fn: Fn, flats: number[][], shapes: number[][], h = 1e-4): number[][][][] {
  const f = (xs: number[][]): number => evaluate(fn, xs, shapes)[0]![0]!;
  return flats.map((fi, i) =>
    flats.map((fj, j) =>
      fi.map((_a, a) =>
        fj.map((_b, b) => {
          const at = (si: number, sj: number): number => {
            const xs = flats.map((x) => x.slice());
            xs[i]![a]! += si * h;
            xs[j]![b]! += sj * h;
            return f(xs);
          };
          return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
        }),
      ),
    ),
  );
}

/** Asserts `t` has `shape` and its flat values match `want` within atol + rtol·|want|. */
export function expectValues(t: Tensor, shape: number[], want: number[], atol = 1e-6, rtol = 1e-5): void {
  expect(t.shape).toEqual(shape);
  const got = Array.from(t.dataSync(), Number);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) throw new Error(`element ${i}: got ${g}, want ${w} (shape [${shape.join(', ')}])`);
  });
}

/** `M v` for a row-major matrix and a vector. */
export function matVec(M: number[][], v: number[]): number[] {
  return M.map((row) => row.reduce((s, m, c) => s + m * v[c]!, 0));
}

/** `vᵀ M` for a row-major matrix and a vector. */
export function vecMat(v: number[], M: number[][]): number[] {
  const cols = M[0]?.length ?? 0;
  return Array.from({ length: cols }, (_c, c) => M.reduce((s, row, r) => s + v[r]! * row[c]!, 0));
}

/** A float64 tensor of `shape` from flat values. */
export function f64(flat: number[], shape: number[]): Tensor {
  return tensor(flat, { dtype: 'float64' }).reshape(shape);
}

/** A small shape: 0 to 2 dims of sizes 1 to 3. */
export const smallShape = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 });

/** Values in [-2, 2] for a tensor of `shape`, kept away from 0 by at least 0.1 (no kinks). */
export function valuesOf(shape: number[]): fc.Arbitrary<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = fc.double({ min: 0.1, max: 2, noNaN: true }).chain((m) => fc.constantFrom(m, -m));
  return fc.array(v, { minLength: n, maxLength: n });
}

/** fast-check settings of these tests: seeded, a few runs. */
export const RUNS = { seed: 14, numRuns: 6 } as const;
