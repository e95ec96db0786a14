// Kernel tests written to kill mutants that survived `npm run test:mutation` (docs/contributing.md,
// "Mutation testing"): each expected value comes from the kernel's definition, written out here.
import { describe, expect, it } from 'vitest';
import { reluF32 } from '../../src/kernels/elementwise-f32.js';
import { softmaxGradLanes } from '../../src/kernels/softmax-grad.js';
import * as tg from '../../src/index.js';

describe('reluF32 writes exactly n elements', () => {
  it('elements after the n written ones keep their values (JS loop and stream kernel)', () => {
    for (const n of [5, 100]) {
      const a = Float32Array.from({ length: n + 4 }, (_, i) => i - n / 2);
      const out = new Float32Array(n + 6).fill(7);
      reluF32(out, a, n, 1, 2);
      for (let i = 0; i < out.length; i++) {
        const want = i < 2 || i >= n + 2 ? 7 : Math.max(a[i - 1]!, 0);
        expect(out[i], `out[${i}]`).toBe(want);
      }
    }
  });
});

describe('softmaxGradLanes over [outer, size, inner]', () => {
  it('matches y ⊙ (g − Σ g ⊙ y) lane by lane for every split of a [2, 3, 4] array', () => {
    const y = Float64Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) / 10 + 0.05);
    const g = Float64Array.from({ length: 24 }, (_, i) => ((i * 5) % 13) - 6);
    for (const [outer, size, inner] of [
      [1, 24, 1],
      [2, 12, 1],
      [2, 3, 4],
      [6, 4, 1],
      [1, 2, 12],
      [2, 1, 12],
    ] as const) {
      const out = new Float64Array(24).fill(NaN);
      softmaxGradLanes(out, g, y, outer, size, inner);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const at = (k: number): number => (o * size + k) * inner + i;
          let s = 0;
          for (let k = 0; k < size; k++) s += g[at(k)]! * y[at(k)]!;
          for (let k = 0; k < size; k++) expect(out[at(k)]).toBeCloseTo(y[at(k)]! * (g[at(k)]! - s), 12);
        }
      }
    }
  });
});

describe('compiled elementwise loops on large outputs (the type-specialised hand-over)', () => {
  it('float64, float32, int32 and mixed operands of 3000 elements, contiguous and strided', () => {
    const n = 3000;
    const xs = Array.from({ length: n }, (_, i) => (i % 17) - 8);
    const ys = Array.from({ length: n }, (_, i) => (i % 5) + 1);
    for (const [da, db] of [
      ['float64', 'float64'],
      ['int32', 'int32'],
      ['float32', 'int32'],
      ['int32', 'float64'],
    ] as const) {
      const a = tg.tensor(xs, { dtype: da });
      const b = tg.tensor(ys, { dtype: db });
      expect(tg.mul(a, b).toArray()).toEqual(xs.map((v, i) => v * ys[i]!));
      expect(
        tg
          .sub(a.reshape([60, 50]).t(), b.reshape([60, 50]).t())
          .t()
          .reshape([n])
          .toArray(),
      ).toEqual(xs.map((v, i) => v - ys[i]!));
      expect(tg.abs(a).toArray()).toEqual(xs.map(Math.abs));
    }
  });
});
