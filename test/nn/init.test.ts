// nn.init: bounds and moments against PyTorch's formulas, reproducibility, errors.
import { describe, expect, it } from 'vitest';
import { Generator, ValueError, manualSeed, nn, zeros } from '../../src/index.js';
import { flat } from './helpers.js';

const init = nn.init;

function stats(v: number[]): { min: number; max: number; mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { min: Math.min(...v), max: Math.max(...v), mean, std: Math.sqrt(variance) };
}

describe('nn.init', () => {
  it('calculateGain matches PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as 'relu')).toThrow(/calculateGain: nonlinearity must be one of .*, got 'swish'/);
  });

  it('fans of a conv-shaped weight', () => {
    expect(init.calculateFanInAndFanOut(zeros([8, 3, 5, 5]))).toEqual({ fanIn: 75, fanOut: 200 });
    expect(() => init.calculateFanInAndFanOut(zeros([3]))).toThrow(ValueError);
  });

  it('kaimingUniform_ and xavierUniform_ stay within their formula bounds and fill them', () => {
    const w = zeros([200, 50]);
    init.kaimingUniform_(w, { a: Math.sqrt(5) });
    const bound = (Math.sqrt(3) * Math.sqrt(2 / (1 + 5))) / Math.sqrt(50); // = 1/√50
    let s = stats(flat(w));
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeGreaterThan(0.98 * bound);
    expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 2); // uniform std = b/√3
    init.kaimingUniform_(w, { mode: 'fanOut', nonlinearity: 'relu' });
    const b2 = (Math.sqrt(3) * Math.SQRT2) / Math.sqrt(200);
    s = stats(flat(w));
    expect(s.max).toBeLessThanOrEqual(b2);
    expect(s.max).toBeGreaterThan(0.98 * b2);
    init.xavierUniform_(w, { gain: 2 });
    const b3 = 2 * Math.sqrt(6 / 250);
    s = stats(flat(w));
    expect(s.max).toBeLessThanOrEqual(b3);
    expect(s.min).toBeGreaterThanOrEqual(-b3);
    expect(s.max).toBeGreaterThan(0.98 * b3);
  });

  it('normal initialisers have the formula std', () => {
    const w = zeros([300, 100]);
    init.kaimingNormal_(w, { nonlinearity: 'relu' });
    expect(stats(flat(w)).std).toBeCloseTo(Math.SQRT2 / 10, 2);
    init.xavierNormal_(w);
    expect(stats(flat(w)).std).toBeCloseTo(Math.sqrt(2 / 400), 2);
    init.normal_(w, 3, 0.5);
    const s = stats(flat(w));
    expect(s.mean).toBeCloseTo(3, 1);
    expect(s.std).toBeCloseTo(0.5, 2);
  });

  it('truncNormal_ stays in [a, b] with the truncated-normal moments', () => {
    const w = zeros([20000], { dtype: 'float64' });
    init.truncNormal_(w, { mean: 1, std: 2, a: 0, b: 5 });
    const s = stats(flat(w));
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThanOrEqual(5);
    // Closed form: α = −0.5, β = 2; mean = μ + σ (φ(α) − φ(β)) / Z
    const pdf = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
    const Z = 0.9772498680518208 - 0.3085375387259869; // Φ(2) − Φ(−0.5)
    const mean = 1 + (2 * (pdf(-0.5) - pdf(2))) / Z;
    const variance = 4 * (1 + (-0.5 * pdf(-0.5) - 2 * pdf(2)) / Z - ((pdf(-0.5) - pdf(2)) / Z) ** 2);
    expect(Math.abs(s.mean - mean)).toBeLessThan(0.03);
    expect(Math.abs(s.std - Math.sqrt(variance))).toBeLessThan(0.03);
  });

  it('orthogonal_ gives orthonormal rows (wide) or columns (tall), times gain', () => {
    for (const [r, c] of [
      [4, 7],
      [7, 4],
      [5, 5],
    ] as const) {
      const w = zeros([r, c], { dtype: 'float64' });
      init.orthogonal_(w, { gain: 2 });
      const gram = r <= c ? w.matmul(w.T) : w.T.matmul(w);
      const n = Math.min(r, c);
      const g = flat(gram);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(g[i * n + j]!).toBeCloseTo(i === j ? 4 : 0, 10);
    }
  });

  it('eye_, constant_, zeros_, ones_', () => {
    expect(init.eye_(zeros([2, 3])).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(init.constant_(zeros([2]), 0.5).toArray()).toEqual([0.5, 0.5]);
    expect(init.ones_(zeros([2])).toArray()).toEqual([1, 1]);
    expect(init.zeros_(init.ones_(zeros([1]))).toArray()).toEqual([0]);
    expect(() => init.eye_(zeros([2, 2, 2]))).toThrow(/eye_: only 2-d tensors are supported, got shape \[2, 2, 2\]/);
  });

  it('works on parameters (under noGrad) and is reproducible with manualSeed or a generator', () => {
    const p = new nn.Parameter(zeros([3, 4]));
    manualSeed(11);
    init.kaimingUniform_(p);
    const first = p.toArray();
    manualSeed(11);
    init.kaimingUniform_(p);
    expect(p.toArray()).toEqual(first);
    expect(p.isLeaf).toBe(true);
    const q = zeros([3, 4]);
    init.uniform_(q, -1, 1, { generator: new Generator(5) });
    const r = zeros([3, 4]);
    init.uniform_(r, -1, 1, { generator: new Generator(5) });
    expect(q.toArray()).toEqual(r.toArray());
  });

  it('rejects bad arguments', () => {
    expect(() => init.uniform_(zeros([2]), 1, 0)).toThrow(/uniform_: the lower bound 1 must not exceed the upper bound 0/);
    expect(() => init.kaimingUniform_(zeros([2]))).toThrow(
      /kaimingUniform_: fan in and fan out cannot be computed for a tensor with fewer than 2 dims \(shape \[2\]\)/,
    );
    expect(() => init.truncNormal_(zeros([2]), { a: 1, b: 0 })).toThrow(ValueError);
    expect(() => init.kaimingNormal_(zeros([2, 2]), { mode: 'fan_avg' as 'fanIn' })).toThrow(
      /mode must be one of 'fanIn', 'fanOut', got 'fan_avg'/,
    );
  });
});
