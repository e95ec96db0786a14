// The softmax gradient primitive (prims/softmax-grad.ts) along every dim, for the mutation run:
// first order against the closed form y ⊙ (u − Σ u ⊙ y), second order by gradgradcheck (numerical
// differences of the first-order gradient), and a 0-d input.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

describe('softmax backward along each dim', () => {
  const xs = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.3) * 2);
  const us = Array.from({ length: 24 }, (_, i) => ((i * 5) % 7) - 3);
  for (const dim of [0, 1, 2]) {
    it(`dim ${dim} of [2, 3, 4]: first order against the closed form, second order by gradgradcheck`, () => {
      const x = tg.tensor(xs, { dtype: 'float64', requiresGrad: true }).reshape([2, 3, 4]);
      const u = tg.tensor(us, { dtype: 'float64' }).reshape([2, 3, 4]);
      const leaf = x.detach().requiresGrad_(true);
      const y = tg.softmax(leaf, dim);
      y.backward(u);
      const ya = y.detach().toArray() as number[][][];
      const ua = u.toArray() as number[][][];
      const got = leaf.grad!.toArray() as number[][][];
      const shape = [2, 3, 4];
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 3; b++)
          for (let c = 0; c < 4; c++) {
            const idx = [a, b, c];
            let s = 0;
            for (let k = 0; k < shape[dim]!; k++) {
              const j = [...idx];
              j[dim] = k;
              s += ua[j[0]!]![j[1]!]![j[2]!]! * ya[j[0]!]![j[1]!]![j[2]!]!;
            }
            expect(got[a]![b]![c]).toBeCloseTo(ya[a]![b]![c]! * (ua[a]![b]![c]! - s), 12);
          }
      expect(tg.autograd.gradgradcheck((t: tg.Tensor) => tg.softmax(t, dim), [leaf.detach().requiresGrad_(true)])).toBe(true);
      expect(tg.autograd.gradgradcheck((t: tg.Tensor) => tg.logSoftmax(t, dim), [leaf.detach().requiresGrad_(true)])).toBe(true);
    });
  }
  it('a 0-d input: softmax is 1 and its gradient 0', () => {
    const x = tg.tensor(0.7, { dtype: 'float64', requiresGrad: true });
    const y = tg.softmax(x, 0);
    expect(y.item()).toBe(1);
    y.backward(tg.tensor(3, { dtype: 'float64' }));
    expect(x.grad!.item()).toBe(0);
  });
});

describe('softmax and logSoftmax forward in float32 (the float32 exponential)', () => {
  // PyTorch 1.13: torch.softmax / torch.log_softmax of float32 [[-inf, -inf, -inf], [0, 1, -inf]] along dim 1.
  const x = (): tg.Tensor =>
    tg.tensor([
      [-Infinity, -Infinity, -Infinity],
      [0, 1, -Infinity],
    ]);
  it('an all -inf lane is NaN, a -inf element is 0 (softmax) and -inf (logSoftmax)', () => {
    const s = tg.softmax(x(), 1).toArray() as number[][];
    expect(s[0]!.every((v) => Number.isNaN(v))).toBe(true);
    expect(s[1]![0]).toBeCloseTo(0.2689414322376251, 7);
    expect(s[1]![1]).toBeCloseTo(0.7310585975646973, 7);
    expect(s[1]![2]).toBe(0);
    const l = tg.logSoftmax(x(), 1).toArray() as number[][];
    expect(l[0]!.every((v) => Number.isNaN(v))).toBe(true);
    expect(l[1]![0]).toBeCloseTo(-1.31326162815094, 6);
    expect(l[1]![1]).toBeCloseTo(-0.31326165795326233, 6);
    expect(l[1]![2]).toBe(-Infinity);
  });
  it('float32 logits far outside the range of the exponential: the lane maximum is subtracted before exp', () => {
    // PyTorch 1.13, float32: softmax([100, 99, 98]) = softmax([-100, -101, -102]) = [0.66524094, 0.24472848, 0.09003057]
    // (e^0, e^-1, e^-2 over their sum); softmax([60, -60, 0]) = [1, 0, 8.7565109e-27]. e^(x + max) or e^x
    // alone would leave the exponential's range (e^±200) and give a uniform lane.
    const x = tg.tensor([
      [100, 99, 98],
      [-100, -101, -102],
      [60, -60, 0],
    ]);
    const got = tg.softmax(x, 1).toArray() as number[][];
    const z = 1 + Math.exp(-1) + Math.exp(-2);
    for (const row of [got[0]!, got[1]!]) [1, Math.exp(-1), Math.exp(-2)].forEach((e, j) => expect(row[j]).toBeCloseTo(e / z, 7));
    expect(got[2]![0]).toBeCloseTo(1, 7);
    expect(got[2]![1]).toBe(0);
    expect(Math.abs(got[2]![2]! / Math.exp(-60) - 1)).toBeLessThan(1e-6);
  });
  it('float32 lanes are within 2 float32 ulps of the float64 softmax', () => {
    const vals = Array.from({ length: 4 * 64 }, (_, i) => Math.sin(i * 0.7) * 30);
    const got = tg.softmax(tg.tensor(vals).reshape([4, 64]), 1).dataSync() as Float32Array;
    for (let r = 0; r < 4; r++) {
      const lane = vals.slice(r * 64, r * 64 + 64).map((v) => Math.fround(v));
      const max = Math.max(...lane);
      const sum = lane.reduce((s, v) => s + Math.exp(v - max), 0);
      for (let j = 0; j < 64; j++) {
        const want = Math.exp(lane[j]! - max) / sum;
        expect(Math.abs(got[r * 64 + j]! - want)).toBeLessThanOrEqual(2 * 2 ** -23 * Math.max(want, 2 ** -126));
      }
    }
  });
});
