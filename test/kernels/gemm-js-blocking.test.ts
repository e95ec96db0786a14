// The JavaScript GEMM's blocking (src/kernels/gemm-js.ts) against a naive float64 triple loop, on
// shapes small enough for mutation testing: every remainder of the 4 × 4 register tile in m and n
// (full panels and the zero-padded edge panel), k below, at and past one KC block (the second
// block accumulates), m past one MC block, n past one NC panel (the packed op(B) buffer grows),
// the four transpose combinations, offsets into A, B and C, overwriting and accumulating, and the
// first product of a fresh module that needs a larger packed op(B) buffer.
// Integer values keep every sum exact, so results are compared for equality.
import { describe, expect, it, vi } from 'vitest';
import { gemmJS } from '../../src/kernels/gemm-js.js';
import type { FloatArray } from '../../src/kernels/typed-array.js';

interface Case {
  m: number;
  n: number;
  k: number;
  tA: boolean;
  tB: boolean;
  acc: boolean;
  aOff: number;
  bOff: number;
  cOff: number;
  f32?: boolean;
}

/** Small integers from a seed, so products and their sums are exact in float32 and float64. */
function ints(arr: FloatArray, seed: number): void {
  let s = seed;
  for (let i = 0; i < arr.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    arr[i] = (s % 9) - 4;
  }
}

/** Runs one case and compares all of C (and the cells around it) with the naive loop. */
function check(cs: Case, seed: number, impl: typeof gemmJS = gemmJS): void {
  const { m, n, k, tA, tB, acc, aOff, bOff, cOff } = cs;
  const T = cs.f32 === true ? Float32Array : Float64Array;
  const a = new T(aOff + m * k + 3);
  const b = new T(bOff + k * n + 3);
  const c = new T(cOff + m * n + 3);
  ints(a, seed);
  ints(b, seed + 1);
  ints(c, seed + 2);
  const before = Array.from(c);
  const want = before.slice();
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[aOff + (tA ? p * m + i : i * k + p)]! * b[bOff + (tB ? j * k + p : p * n + j)]!;
      want[cOff + i * n + j] = (acc ? before[cOff + i * n + j]! : 0) + s;
    }
  impl(tA, tB, m, n, k, a, aOff, b, bOff, c, cOff, acc);
  const got = Array.from(c);
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i]) expect.fail(`C[${i - cOff}] = ${got[i]}, want ${want[i]} in ${JSON.stringify(cs)}`);
  }
}

/** Every transpose combination and both accumulate flags, with offsets. */
function allForms(m: number, n: number, k: number, seed: number, f32 = false): void {
  for (const tA of [false, true])
    for (const tB of [false, true])
      for (const acc of [false, true]) check({ m, n, k, tA, tB, acc, aOff: 2, bOff: 1, cOff: 3, f32 }, seed++);
}

describe('gemmJS against a naive triple loop', () => {
  it('every remainder of the 4 × 4 tile in m and n, short k, with and without offsets', () => {
    let seed = 1;
    for (const m of [1, 2, 3, 4, 5, 8, 9])
      for (const n of [1, 2, 3, 4, 5, 8, 11])
        for (const k of [1, 3]) {
          allForms(m, n, k, seed);
          check({ m, n, k, tA: false, tB: false, acc: false, aOff: 0, bOff: 0, cOff: 0 }, seed++);
          seed += 8;
        }
  });

  it('float32 operands and output', () => {
    allForms(6, 7, 5, 3, true);
  });

  it('k past one KC block (the later blocks accumulate into C)', () => {
    allForms(5, 6, 259, 11);
    allForms(4, 4, 256, 13);
  });

  it('m past one MC block', () => {
    allForms(101, 5, 3, 17);
  });

  it('n past one NC panel, after a product that fits the first packed buffer', () => {
    check({ m: 2, n: 3, k: 2, tA: false, tB: false, acc: false, aOff: 0, bOff: 0, cOff: 0 }, 19);
    allForms(3, 2051, 2, 23);
  });

  it('a fresh module grows its packed op(B) buffer for its first block of more than KC × 64 elements', async () => {
    // The buffer is module state: earlier products in this file have grown it already.
    vi.resetModules();
    const fresh = await import('../../src/kernels/gemm-js.js');
    expect(fresh.gemmJS).not.toBe(gemmJS);
    check({ m: 3, n: 70, k: 260, tA: false, tB: true, acc: false, aOff: 1, bOff: 2, cOff: 3 }, 29, fresh.gemmJS);
  });

  it('k = 0 zeroes C, or leaves it when accumulating; m = 0 or n = 0 leaves C untouched', () => {
    for (const acc of [false, true]) {
      const c = new Float64Array([9, 1, 2, 3, 4, 5, 6, 9]);
      gemmJS(false, true, 2, 3, 0, new Float64Array(0), 0, new Float64Array(0), 0, c, 1, acc);
      expect(Array.from(c)).toEqual(acc ? [9, 1, 2, 3, 4, 5, 6, 9] : [9, 0, 0, 0, 0, 0, 0, 9]);
    }
    const c = new Float64Array([1, 2, 3]);
    gemmJS(false, false, 0, 3, 4, new Float64Array(12), 0, new Float64Array(12), 0, c, 0, false);
    gemmJS(false, false, 3, 0, 4, new Float64Array(12), 0, new Float64Array(12), 0, c, 0, false);
    expect(Array.from(c)).toEqual([1, 2, 3]);
  });
});
