// Rounding primitives (prims/rounding.ts), for the mutation run: every expected value is PyTorch
// 1.13's (torch.round / floor / ceil / trunc in float64), signs of zero included.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

const f64 = (a: number[]): tg.Tensor => tg.tensor(a, { dtype: 'float64' });
const same = (got: unknown, want: number[]): void => {
  const g = got as number[];
  expect(g.length).toBe(want.length);
  g.forEach((v, i) => expect(Object.is(v, want[i]), `[${i}] ${v} vs ${want[i]}`).toBe(true));
};

describe('round, floor, ceil, trunc (PyTorch 1.13 values)', () => {
  it('round: half to even, signed zeros, the largest double below 0.5, 1e16 + 2', () => {
    const x = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999999999999994, -0, 2.4, -2.6, 1e16 + 2];
    same(tg.round(f64(x)).toArray(), [-2, -2, -0, 0, 2, 2, 4, 0, -0, 2, -3, 1e16 + 2]);
  });
  it('round with positive decimals', () => {
    const y = [0.25, 0.35, -0.25, 1.005, 2.675, 0.125];
    same(tg.round(f64(y), { decimals: 1 }).toArray(), [0.2, 0.4, -0.2, 1, 2.7, 0.1]);
    same(tg.round(f64(y), { decimals: 2 }).toArray(), [0.25, 0.35, -0.25, 1, 2.68, 0.12]);
  });
  it('round with negative decimals', () => {
    const z = [1234.5, 1250, 1350, -1250, 15, 25];
    same(tg.round(f64(z), { decimals: -1 }).toArray(), [1230, 1250, 1350, -1250, 20, 20]);
    same(tg.round(f64(z), { decimals: -2 }).toArray(), [1200, 1200, 1400, -1200, 0, 0]);
  });
  it('round with negative decimals divides by 10^-d (not times 10^d): just below a tie of an odd tens digit', () => {
    // 14.999999999999998 / 10 is 1.4999999999999998, but 14.999999999999998 · 0.1 rounds to 1.5,
    // a tie that half-to-even sends to 2: PyTorch gives 10 and 50.
    same(tg.round(f64([14.999999999999998, 54.99999999999999]), { decimals: -1 }).toArray(), [10, 50]);
  });
  it('floor, ceil, trunc; integer inputs unchanged; zero gradients', () => {
    same(tg.floor(f64([-1.5, 1.5])).toArray(), [-2, 1]);
    same(tg.ceil(f64([-1.5, 1.5])).toArray(), [-1, 2]);
    same(tg.trunc(f64([-1.5, 1.5])).toArray(), [-1, 1]);
    for (const op of ['round', 'floor', 'ceil', 'trunc'] as const) {
      const i = tg[op](tg.tensor([1, -2, 3], { dtype: 'int32' }));
      expect(i.dtype).toBe('int32');
      same(i.toArray(), [1, -2, 3]);
      const x = tg.tensor([0.3, -1.7], { dtype: 'float64', requiresGrad: true });
      tg[op](x).sum().backward();
      same(x.grad!.toArray(), [0, 0]);
    }
  });
});
