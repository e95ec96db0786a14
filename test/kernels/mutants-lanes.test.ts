// The lane kernels (kernels/lanes.ts: softmax, log-softmax and cumsum along one dim), for the
// mutation run: called directly on strided layouts (an input offset, input and output strides that
// differ, several outer dims) against the definitions written here, with NaN, -inf and all -inf lanes,
// and empty lane sets.
import { describe, expect, it } from 'vitest';
import { cumsumLanes, softmaxLanes, type Lanes } from '../../src/kernels/lanes.js';

/** A [outer0, outer1] grid of lanes of length n: the input transposed ([n, outer1, outer0] in memory) after `offset` elements, the output row-major [outer0, outer1, n]. */
function layout(outer0: number, outer1: number, n: number, offset: number): Lanes {
  return {
    outerShape: [outer0, outer1],
    aOuter: [1, outer0],
    oOuter: [outer1 * n, n],
    n,
    aStride: outer0 * outer1,
    oStride: 1,
    aOffset: offset,
  };
}

/** The lane values at grid position (i, k) of {@link layout}. */
const lane = (a: Float64Array, l: Lanes, i: number, k: number): number[] =>
  Array.from({ length: l.n }, (_, j) => a[l.aOffset + i * l.aOuter[0]! + k * l.aOuter[1]! + j * l.aStride]!);

function softmaxRef(v: number[], log: boolean): number[] {
  if (v.some((x) => Number.isNaN(x))) return v.map(() => NaN);
  const m = Math.max(...v) === -Infinity ? 0 : Math.max(...v);
  const sum = v.reduce((acc, x) => acc + Math.exp(x - m), 0);
  return v.map((x) => (log ? x - (Math.log(sum) + m) : Math.exp(x - m) / sum));
}

const close = (got: number, want: number): void => {
  if (Number.isNaN(want)) expect(got).toBeNaN();
  else if (!Number.isFinite(want)) expect(got).toBe(want);
  else expect(got).toBeCloseTo(want, 12);
};

describe('lane kernels on strided layouts', () => {
  const [o0, o1, n, offset] = [3, 2, 4, 5];
  const l = layout(o0, o1, n, offset);
  const a = Float64Array.from({ length: offset + o0 * o1 * n + 3 }, (_, i) => Math.sin(i * 2.1) * 3 + 1);
  // Lane (1, 0) holds a NaN, lane (2, 1) is all -inf, lane (0, 1) has one -inf and a large value.
  const put = (i: number, k: number, j: number, v: number): void => {
    a[offset + i + k * o0 + j * o0 * o1] = v;
  };
  put(1, 0, 2, NaN);
  for (let j = 0; j < n; j++) put(2, 1, j, -Infinity);
  put(0, 1, 0, -Infinity);
  put(0, 1, 3, 700);

  for (const log of [false, true]) {
    it(`${log ? 'log-softmax' : 'softmax'} of every lane`, () => {
      const out = new Float64Array(o0 * o1 * n + 2).fill(42);
      softmaxLanes(out, a, l, log);
      for (let i = 0; i < o0; i++)
        for (let k = 0; k < o1; k++) {
          const want = softmaxRef(lane(a, l, i, k), log);
          want.forEach((w, j) => close(out[i * o1 * n + k * n + j]!, w));
        }
      expect([out[o0 * o1 * n], out[o0 * o1 * n + 1]]).toEqual([42, 42]);
    });
  }

  it('cumsum of every lane', () => {
    const out = new Float64Array(o0 * o1 * n + 2).fill(42);
    cumsumLanes(out, a, l);
    for (let i = 0; i < o0; i++)
      for (let k = 0; k < o1; k++) {
        let acc = 0;
        lane(a, l, i, k).forEach((v, j) => {
          acc += v;
          close(out[i * o1 * n + k * n + j]!, acc);
        });
      }
    expect([out[o0 * o1 * n], out[o0 * o1 * n + 1]]).toEqual([42, 42]);
  });

  it('no lanes, or lanes of length 0: nothing is written', () => {
    for (const l0 of [layout(0, 2, 3, 0), layout(2, 0, 3, 0), layout(2, 2, 0, 0)]) {
      const out = new Float64Array(8).fill(7);
      softmaxLanes(out, a, l0, false);
      softmaxLanes(out, a, l0, true);
      cumsumLanes(out, a, l0);
      expect(Array.from(out)).toEqual(new Array<number>(8).fill(7));
    }
  });

  it('a single lane with no outer dims', () => {
    const single: Lanes = { outerShape: [], aOuter: [], oOuter: [], n: 3, aStride: 2, oStride: 1, aOffset: 1 };
    const src = Float64Array.from([9, 1, 9, 2, 9, 3]);
    const out = new Float64Array(3);
    cumsumLanes(out, src, single);
    expect(Array.from(out)).toEqual([1, 3, 6]);
    softmaxLanes(out, src, single, false);
    softmaxRef([1, 2, 3], false).forEach((w, j) => close(out[j]!, w));
  });
});
