// Shared helpers for the nn tests: seeded tensors and float64 comparisons against plain-array references.
import { expect } from 'vitest';
import { Generator, Tensor, tensor } from '../../src/index.js';
import type { FloatDType } from '../../src/index.js';

/** A seeded tensor with entries uniform in [lo, hi). */
export function rnd(
  shape: number[],
  g: Generator,
  options: { dtype?: FloatDType; lo?: number; hi?: number; requiresGrad?: boolean } = {},
): Tensor {
  const lo = options.lo ?? -1;
  const hi = options.hi ?? 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * g.random();
  const t = tensor(data, { dtype: options.dtype ?? 'float64' }).reshape(shape);
  return options.requiresGrad ? t.detach().requiresGrad_(true) : t;
}

/** A float64 tensor uniform in [-1, 1) from a fresh `Generator(seed)` (the functional tests' inputs). */
export function rndSeed(shape: number[], seed: number, requiresGrad = false): Tensor {
  return rnd(shape, new Generator(seed), { requiresGrad });
}

/** Entries in ±[lo, hi): uniform magnitude with a random sign (keeps values away from 0). */
export function awayFromZero(shape: number[], g: Generator, lo = 0.2, hi = 1, dtype: FloatDType = 'float64'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = (g.random() < 0.5 ? -1 : 1) * (lo + (hi - lo) * g.random());
  return tensor(data, { dtype }).reshape(shape);
}

/** Integer tensor (int32) with entries in [lo, hi). */
export function ints(shape: number[], g: Generator, lo: number, hi: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = g.randint(lo, hi);
  return tensor(data).reshape(shape);
}

/** The elements as a flat number array. */
export function flat(t: Tensor): number[] {
  return Array.from(t.contiguous().dataSync(), Number);
}

/** Asserts `actual` matches `expected` elementwise within `tol` (relative to 1 + |expected|). */
export function expectClose(actual: Tensor | number[], expected: ArrayLike<number> | number, tol = 1e-10): void {
  const a = Array.isArray(actual) ? actual : flat(actual);
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i]! - e[i]!) <= tol * (1 + Math.abs(e[i]!));
    if (!ok) throw new Error(`element ${i}: got ${a[i]}, expected ${e[i]} (tol ${tol})`);
  }
}

/** Row-major strides of a shape. */
export function stridesOf(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Max |a − b| over max |b| (or the max difference when b is all zeros): the relative error of a whole tensor. */
export function relErr(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.contiguous().dataSync();
  const y = b.contiguous().dataSync();
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    num = Math.max(num, Math.abs(Number(x[i]) - Number(y[i])));
    den = Math.max(den, Math.abs(Number(y[i])));
  }
  return den === 0 ? num : num / den;
}
