/**
 * Deterministic tests of the in-place fills beyond the generic OpInfo checks: gradients through a
 * filled or copied non-leaf (hand-computed), errors on leaves, and the random fills' statistics and
 * reproducibility under a seed.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, Generator, manualSeed, noGrad, tensor, zeros } from '../../src/index.js';

describe('fill_, zero_ and copy_ on tensors that require grad', () => {
  it('fill_ cuts the gradient to the old value but keeps the tensor on the tape', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(1);
    y.fill_(2);
    expect(y.requiresGrad).toBe(true);
    y.mul(x).sum().backward();
    // d/dx sum(2 * x) = 2: nothing flows through the overwritten y.
    expect(x.grad!.toArray()).toEqual([2, 2, 2]);
  });

  it('zero_ gives a zero gradient to the old value', () => {
    const x = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
    const y = x.add(1);
    y.zero_();
    y.add(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
  });

  it('copy_ sends the gradient to the source, broadcast back to its shape, and none to the old value', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const src = tensor([5, 7], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(3);
    y.copy_(src);
    expect(y.toArray()).toEqual([
      [5, 7],
      [5, 7],
    ]);
    y.mul(
      tensor(
        [
          [1, 10],
          [100, 1000],
        ],
        { dtype: 'float64' },
      ),
    )
      .sum()
      .backward();
    expect(src.grad!.toArray()).toEqual([101, 1010]);
    // As PyTorch's CopyBackwards: a zero gradient to the overwritten value.
    expect(x.grad!.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('copy_ from a source that needs no grad still cuts the old value', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(3);
    y.copy_(tensor([4, 4], { dtype: 'float64' }));
    y.add(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
  });

  it('copy_ into a bool tensor stores true/false, not the raw value', () => {
    const b = zeros([3], { dtype: 'bool' });
    b.copy_(tensor([2.5, 0, -1]));
    expect(b.toArray()).toEqual([true, false, true]);
  });

  it('copy_ and fill_ on a leaf that requires grad throw unless under noGrad', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => w.copy_(tensor([1, 2]))).toThrow(AutogradError);
    expect(() => w.fill_(1)).toThrow(/fill_: a leaf tensor that requires grad cannot be modified in place/);
    noGrad(() => w.copy_(tensor([1, 2])));
    expect(w.toArray()).toEqual([1, 2]);
  });
});

function stats(data: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i]!;
  const mean = s / data.length;
  let v = 0;
  for (let i = 0; i < data.length; i++) v += (data[i]! - mean) ** 2;
  return { mean, variance: v / (data.length - 1) };
}

describe('random fills', () => {
  const N = 20000;

  it('uniform_ has the mean and variance of U[low, high) and stays in range', () => {
    const x = zeros([N], { dtype: 'float64' }).uniform_(-1, 3, { generator: new Generator(1) });
    const data = x.dataSync();
    expect(Math.min(...data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...data)).toBeLessThan(3);
    const { mean, variance } = stats(data);
    // mean 1, variance 16/12; the mean's standard error is sqrt(16/12/N) ≈ 0.008.
    expect(Math.abs(mean - 1)).toBeLessThan(0.04);
    expect(Math.abs(variance - 16 / 12)).toBeLessThan(0.05);
  });

  it('normal_ has the given mean and standard deviation', () => {
    const x = zeros([N], { dtype: 'float64' }).normal_(2, 0.5, { generator: new Generator(2) });
    const { mean, variance } = stats(x.dataSync());
    expect(Math.abs(mean - 2)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(variance) - 0.5)).toBeLessThan(0.02);
    // About 68.3% of a normal sample lies within one standard deviation.
    const within = Array.from(x.dataSync()).filter((v) => Math.abs(v - 2) < 0.5).length / N;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.02);
  });

  it('uniform_ and normal_ are reproducible under manualSeed and differ across seeds', () => {
    const draw = (seed: number): number[] => {
      manualSeed(seed);
      const a = zeros([5]).uniform_();
      const b = zeros([5]).normal_();
      return [...a.dataSync(), ...b.dataSync()];
    };
    expect(draw(123)).toEqual(draw(123));
    expect(draw(123)).not.toEqual(draw(124));
  });
});
