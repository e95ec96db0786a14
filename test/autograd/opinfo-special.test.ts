/**
 * Deterministic checks at points the property samples keep away from (ties, kinks, zeros, NaN),
 * with hand-computed expectations.
 */
import { describe, expect, it } from 'vitest';
import * as T from '../../src/index.js';

const f64 = (data: number[]): T.Tensor => T.tensor(data, { dtype: 'float64', requiresGrad: true });

describe('maximum and minimum at ties and NaN', () => {
  it('split the gradient 0.5/0.5 on ties, as PyTorch', () => {
    for (const op of ['maximum', 'minimum'] as const) {
      const a = f64([1, 2, 3]);
      const b = f64([1, 0, 3]);
      T[op](a, b).sum().backward();
      const win = op === 'maximum' ? [0.5, 1, 0.5] : [0.5, 0, 0.5];
      expect(a.grad!.toArray(), op).toEqual(win);
      expect(b.grad!.toArray(), op).toEqual(win.map((g, i) => (i === 1 ? 1 - g : g)));
    }
  });
  it('split a broadcast tie between the broadcast operand and each element', () => {
    const a = f64([2, 2, 5]);
    const b = T.tensor(2, { dtype: 'float64', requiresGrad: true });
    T.maximum(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([0.5, 0.5, 1]);
    expect(b.grad!.item()).toBe(1);
  });
  it('propagate NaN from either side', () => {
    expect(T.maximum(T.tensor([NaN, 1, 2]), T.tensor([1, NaN, 0])).toArray()).toEqual([NaN, NaN, 2]);
    expect(T.minimum(T.tensor([NaN, 1, 2]), T.tensor([1, NaN, 0])).toArray()).toEqual([NaN, NaN, 0]);
  });
});

describe('kinks and zeros', () => {
  it('relu, abs, sign at 0: value 0 and gradient 0 (PyTorch convention)', () => {
    for (const op of ['relu', 'abs', 'sign'] as const) {
      const x = f64([0]);
      const y = T[op](x);
      expect(y.item(), op).toBe(0);
      y.sum().backward();
      expect(x.grad!.item(), op).toBe(0);
    }
  });
  it('sign has a zero gradient everywhere', () => {
    const x = f64([-2, 3]);
    x.sign().mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([-1, 1]);
  });
  it('leakyRelu and elu at 0 take the negative branch value (0) and slope', () => {
    const x = f64([0]);
    x.leakyRelu(0.2).sum().backward();
    expect(x.grad!.item()).toBeCloseTo(0.2, 15);
    const z = f64([0]);
    const e = z.elu(2);
    expect(e.item()).toBe(0);
    e.sum().backward();
    expect(z.grad!.item()).toBeCloseTo(2, 15); // alpha * e^0
  });
  it('heaviside uses values at exactly 0 and has a zero gradient', () => {
    const x = f64([-1, 0, 0, 4]);
    const y = x.heaviside(T.tensor([0.25, 0.5, 0.75, 1], { dtype: 'float64' }));
    expect(y.toArray()).toEqual([0, 0.5, 0.75, 1]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0, 0]);
  });
  it('clamp passes the gradient at the bounds (inclusive), and none outside', () => {
    const x = f64([-1, 0, 0.5, 1, 2]);
    x.clamp(0, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 1, 1, 1, 0]);
  });
  it('pow with a zero base: d/db 0^b is 0 for b >= 0', () => {
    const a = f64([0, 0]);
    const b = f64([2, 0.5]);
    const y = a.pow(b);
    expect(y.toArray()).toEqual([0, 0]);
    y.sum().backward();
    expect(b.grad!.toArray()).toEqual([0, 0]);
  });
});

describe('special values', () => {
  it('logicalNot treats NaN as true (nonzero) and -0 as false', () => {
    expect(T.tensor([NaN, -0, 0.5]).logicalNot().toArray()).toEqual([false, true, false]);
  });
  it('isnan/isfinite on infinities and NaN', () => {
    const x = T.tensor([NaN, Infinity, -Infinity, 0]);
    expect(x.isnan().toArray()).toEqual([true, false, false, false]);
    expect(x.isfinite().toArray()).toEqual([false, false, false, true]);
  });
  it('float to int conversion truncates toward zero', () => {
    expect(T.tensor([-2.75, -0.5, 0.5, 2.75], { dtype: 'float64' }).int().toArray()).toEqual([-2, 0, 0, 2]);
  });
  it('softplus is linear above the threshold and never overflows', () => {
    const y = T.tensor([100, -100, 30], { dtype: 'float64' }).softplus();
    expect(y.toArray()).toEqual([100, Math.log1p(Math.exp(-100)), 30]);
  });
  it('sigmoid saturates without NaN', () => {
    expect(T.tensor([-1000, 1000], { dtype: 'float64' }).sigmoid().toArray()).toEqual([0, 1]);
  });
});

describe("PyTorch's gradients at edge values (values from torch 1.13)", () => {
  const grads = (f: (...xs: T.Tensor[]) => T.Tensor, ...data: number[][]): number[][] => {
    const xs = data.map(f64);
    const y = f(...xs);
    y.backward(T.onesLike(y));
    return xs.map((x) => Array.from(x.grad!.dataSync()));
  };
  it('pow: d/da a^0 is 0 also at a = 0; d/db 0^b is 0 for b >= 0 and -inf for b < 0', () => {
    // torch: a = [0, 0, 0, 2, 0], b = [0, 1, 2, 0, -1] → da = [0, 1, 0, 0, -inf], db = [0, 0, 0, ln 2, -inf]
    const [da, db] = grads((a, b) => a.pow(b), [0, 0, 0, 2, 0], [0, 1, 2, 0, -1]);
    expect(da).toEqual([0, 1, 0, 0, -Infinity]);
    expect(db).toEqual([0, 0, 0, Math.LN2, -Infinity]);
    expect(grads((a) => a.pow(0), [0, 1])[0]).toEqual([0, 0]);
  });
  it('relu passes the gradient at NaN (threshold_backward selects on x <= 0)', () => {
    expect(grads((x) => x.relu(), [0, NaN, -Infinity, Infinity])[0]).toEqual([0, 1, 0, 1]);
  });
  it('maximum/minimum give both sides the whole gradient where one is NaN', () => {
    expect(grads((a, b) => T.minimum(a, b), [NaN, 1], [1, NaN])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(grads((a, b) => T.maximum(a, b), [NaN, 2], [0, 2])).toEqual([
      [1, 0.5],
      [1, 0.5],
    ]);
  });
  it('norm has gradient 0 at a zero norm (p = 2, 3, 1.5) and at zero elements for p < 1', () => {
    for (const p of [2, 3, 1.5]) expect(grads((x) => T.norm(x, p), [0, 0])[0], `p = ${p}`).toEqual([0, 0]);
    expect(grads((x) => T.norm(x, 0.5), [0, 1])[0]).toEqual([0, 1]);
    const [g] = grads((x) => T.norm(x.reshape([2, 2]), 2, 1), [0, 0, 3, 4]);
    expect(g![0]).toBe(0);
    expect(g![1]).toBe(0);
    expect(g![2]).toBeCloseTo(0.6, 15);
    expect(g![3]).toBeCloseTo(0.8, 15);
  });
  it('std has gradient 0 on a constant lane', () => {
    const [g] = grads((x) => T.std(x.reshape([2, 2]), 1), [1, 1, 1, 3]);
    expect(g![0]).toBe(0);
    expect(g![1]).toBe(0);
    expect(g![2]).toBeCloseTo(-Math.SQRT1_2, 15);
    expect(g![3]).toBeCloseTo(Math.SQRT1_2, 15);
  });
  it('amax/amin split the gradient evenly among ties; max along a dim gives it to the first index', () => {
    expect(grads((x) => T.amax(x, 0), [1, 3, 3, 2])[0]).toEqual([0, 0.5, 0.5, 0]);
    expect(grads((x) => T.amin(x, 0), [1, 1, 1, 2])[0]).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
    expect(grads((x) => T.maxDim(x, 0).values, [1, 3, 3, 2])[0]).toEqual([0, 1, 0, 0]);
  });
  it('logsumexp of an all -inf lane is -inf and of a lane with +inf is +inf (gradient NaN there, as torch 1.13)', () => {
    const x = f64([-Infinity, -Infinity, Infinity, 1, 1, 1, -Infinity, 0]);
    const y = T.logsumexp(x.reshape([4, 2]), 1);
    expect(y.toArray()).toEqual([-Infinity, Infinity, 1 + Math.LN2, 0]);
    y.sum().backward();
    const g = Array.from(x.grad!.dataSync());
    expect(g.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(g.slice(3, 6)).toEqual([0, 0.5, 0.5]);
    expect(g.slice(6)).toEqual([0, 1]);
  });
});
