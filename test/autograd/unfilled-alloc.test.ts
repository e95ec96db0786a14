import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { allocFloat32Unfilled as allocateFloat32Unfilled } from '../../src/kernels/runtime/alloc.js';

describe('outputs allocated without a zero fill', () => {
  it('allocateFloat32Unfilled gives a float32 array of the requested length (small ones zero-filled)', () => {
    for (const n of [0, 1, 100, 16383, 16384, 70001]) {
      const a = allocateFloat32Unfilled(n);
      expect(a).toBeInstanceOf(Float32Array);
      expect(a.length).toBe(n);
      expect(a.byteOffset % 4).toBe(0);
    }
    const small = allocateFloat32Unfilled(1000);
    expect(small.every((v) => v === 0)).toBe(true);
  });

  it('every element of a large elementwise result is written, even over recycled garbage', () => {
    const n = 1 << 17;
    const x = tg.linspace(-3, 3, n);
    const y = tg.linspace(1, 2, n);
    for (let round = 0; round < 4; round++) {
      // Leave freed blocks full of NaN behind, so that a kernel skipping an element would show it.
      for (let j = 0; j < 8; j++) allocateFloat32Unfilled(n).fill(Number.NaN);
      const results: [string, tg.Tensor, (i: number) => number][] = [
        ['exp', x.exp(), (i) => Math.exp(xs[i]!)],
        ['sigmoid', x.sigmoid(), (i) => 1 / (1 + Math.exp(-xs[i]!))],
        ['relu', x.relu(), (i) => Math.max(xs[i]!, 0)],
        ['add', x.add(y), (i) => xs[i]! + ys[i]!],
        ['mul scalar', x.mul(3), (i) => xs[i]! * 3],
      ];
      for (const [name, t, ref] of results) {
        const d = t.dataSync();
        let worst = 0;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(d[i]! - ref(i)) / Math.max(1, Math.abs(ref(i))));
        expect(worst, name).toBeLessThan(1e-6);
      }
    }
  });
});

const xs = Array.from({ length: 1 << 17 }, (_, i) => Math.fround(-3 + (6 * i) / ((1 << 17) - 1)));
const ys = Array.from({ length: 1 << 17 }, (_, i) => Math.fround(1 + i / ((1 << 17) - 1)));
