/**
 * Creating tensors and reading them back: tensor() from nested and typed arrays, the fills,
 * ranges, random functions with manualSeed and explicit Generators, and the data accessors.
 */
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  ShapeError,
  TapegradError,
  ValueError,
  arange,
  eye,
  full,
  fullLike,
  linspace,
  manualSeed,
  ones,
  onesLike,
  rand,
  randLike,
  randint,
  randn,
  randnLike,
  tensor,
  zeros,
  zerosLike,
} from '../../src/index.js';
import { expectClose, expectThrows, vals } from './engine-test-helpers.js';

describe('tensor()', () => {
  it('from nested arrays: shape, dtype float32 by default, row-major data', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.ndim).toBe(2);
    expect(t.numel()).toBe(6);
    expect(t.dtype).toBe('float32');
    expect(t.dataSync()).toBeInstanceOf(Float32Array);
    expect(vals(t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.size()).toEqual([2, 3]);
    expect(t.size(-1)).toBe(3);
    expect(t.stride()).toEqual([3, 1]);
  });

  it('0-d from a number, booleans give bool, explicit dtypes convert', () => {
    const s = tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.numel()).toBe(1);
    expect(s.item()).toBe(2.5);
    expect(s.toArray()).toBe(2.5);
    const b = tensor([true, false, true]);
    expect(b.dtype).toBe('bool');
    expect(b.toArray()).toEqual([true, false, true]);
    expect(tensor([1.7, -2.7], { dtype: 'int32' }).toArray()).toEqual([1, -2]);
    expect(tensor([0.1], { dtype: 'float64' }).item()).toBe(0.1);
    expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
  });

  it('from typed arrays: dtype from the array type, data copied', () => {
    const src = new Float64Array([1.5, 2.5]);
    const t = tensor(src);
    expect(t.dtype).toBe('float64');
    src[0] = 99;
    expect(vals(t)).toEqual([1.5, 2.5]);
    expect(tensor(new Int32Array([3, -4])).dtype).toBe('int32');
    expect(tensor(new Float32Array([1])).dtype).toBe('float32');
    expect(tensor(new Int32Array([0, 5]), { dtype: 'bool' }).toArray()).toEqual([false, true]);
  });

  it('ragged nested arrays are a ValueError naming the position', () => {
    expectThrows(() => tensor([[1, 2], [3]]), ValueError, /ragged/, /\[1\]/);
    expectThrows(() => tensor([[1, 2], 3] as never), ValueError, /ragged/);
    expectThrows(
      () =>
        tensor([
          [[1], [2]],
          [[3], [4, 5]],
        ]),
      ValueError,
      /ragged/,
      /\[1, 1\]/,
    );
    expectThrows(() => tensor(['a'] as never), ValueError, /string/);
  });

  it('an unknown dtype is a DTypeError listing the valid ones', () => {
    expectThrows(() => tensor([1], { dtype: 'float16' as never }), DTypeError, /float16/, /float32, float64, int32, bool/);
  });

  it('item() on more than one element is an error', () => {
    expect(() => tensor([1, 2]).item()).toThrow(TapegradError);
  });

  it('dataSync returns a copy', () => {
    const t = tensor([1, 2]);
    const d = t.dataSync();
    d[0] = 100;
    expect(vals(t)).toEqual([1, 2]);
  });
});

describe('fills and ranges', () => {
  it('zeros / ones / full with shapes and dtypes', () => {
    expect(zeros([2, 3]).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(zeros(3).shape).toEqual([3]);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([2, 0]).numel()).toBe(0);
    const o = ones([2], { dtype: 'float64' });
    expect(o.dtype).toBe('float64');
    expect(vals(o)).toEqual([1, 1]);
    expect(ones([2], { dtype: 'bool' }).toArray()).toEqual([true, true]);
    expect(full([2, 2], 7, { dtype: 'int32' }).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(full([1], -0.5).item()).toBe(-0.5);
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('negative or fractional sizes are rejected', () => {
    expect(() => zeros([2, -1])).toThrow(TapegradError);
    expect(() => ones([1.5])).toThrow(TapegradError);
  });

  it('*Like functions copy shape and dtype unless overridden', () => {
    const x = tensor([[1, 2, 3]], { dtype: 'float64' });
    const z = zerosLike(x);
    expect([z.shape, z.dtype, vals(z)]).toEqual([[1, 3], 'float64', [0, 0, 0]]);
    expect(vals(onesLike(x))).toEqual([1, 1, 1]);
    const f = fullLike(x, 4, { dtype: 'int32' });
    expect([f.dtype, vals(f)]).toEqual(['int32', [4, 4, 4]]);
    expect(randnLike(x).shape).toEqual([1, 3]);
    expect(randnLike(x).dtype).toBe('float64');
    expect(randLike(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
  });

  it('arange: int32 for integer arguments, float32 otherwise, negative steps', () => {
    const a = arange(5);
    expect([a.dtype, a.toArray()]).toEqual(['int32', [0, 1, 2, 3, 4]]);
    expect(arange(2, 6).toArray()).toEqual([2, 3, 4, 5]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    const f = arange(0, 1, 0.25);
    expect([f.dtype, f.toArray()]).toEqual(['float32', [0, 0.25, 0.5, 0.75]]);
    expect(arange(1, 2.5, 0.5).toArray()).toEqual([1, 1.5, 2]);
    expect(arange(0, 3, 1, { dtype: 'float64' }).dtype).toBe('float64');
    expect(arange(3, 3).numel()).toBe(0);
    expectThrows(() => arange(0, 1, 0), ValueError, /step/, /0/);
  });

  it('linspace includes both ends; eye is the identity', () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(-1, 1, 3).toArray()).toEqual([-1, 0, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(0, 1, 0).numel()).toBe(0);
    const l = linspace(0, 0.3, 4, { dtype: 'float64' });
    expectClose(l, [0, 0.1, 0.2, 0.3], 1e-15);
    expect(l.dataSync()[3]).toBe(0.3);
    expectThrows(() => linspace(0, 1, -1), ValueError, /steps/, /-1/);
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3, { dtype: 'int32' }).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
});

describe('random tensors', () => {
  it('manualSeed makes rand/randn/randint reproducible', () => {
    manualSeed(123);
    const a = [vals(rand([5])), vals(randn([5])), vals(randint(0, 10, [5]))];
    manualSeed(123);
    const b = [vals(rand([5])), vals(randn([5])), vals(randint(0, 10, [5]))];
    expect(b).toEqual(a);
    manualSeed(124);
    expect(vals(rand([5]))).not.toEqual(a[0]);
  });

  it('an explicit Generator is reproducible and does not consume the global one', () => {
    manualSeed(7);
    const globalFirst = vals(rand([4]));
    manualSeed(7);
    const g1 = vals(randn([6], { generator: new Generator(42) }));
    const g2 = vals(randn([6], { generator: new Generator(42) }));
    expect(g1).toEqual(g2);
    expect(vals(rand([4]))).toEqual(globalFirst);
    const g = new Generator(5);
    const state = g.getState();
    const first = vals(rand([3], { generator: g }));
    g.setState(state);
    expect(vals(rand([3], { generator: g }))).toEqual(first);
  });

  it('rand is uniform on [0, 1), randn is standard normal (moments over 20 000 samples)', () => {
    const g = new Generator(2024);
    const u = vals(rand([20_000], { dtype: 'float64', generator: g }));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
    const variance = (a: number[]): number => {
      const m = mean(a);
      return mean(a.map((v) => (v - m) ** 2));
    };
    // uniform: mean 1/2, variance 1/12; standard errors about 0.002 and 0.0006
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.003);
    const n = vals(randn([20_000], { dtype: 'float64', generator: g }));
    expect(Math.abs(mean(n))).toBeLessThan(0.03);
    expect(Math.abs(variance(n) - 1)).toBeLessThan(0.05);
    // about 68.3% within one standard deviation
    expect(Math.abs(n.filter((v) => Math.abs(v) < 1).length / n.length - 0.6827)).toBeLessThan(0.02);
  });

  it('randint covers [low, high) and nothing else', () => {
    const r = randint(-2, 3, [2000], { generator: new Generator(9) });
    expect(r.dtype).toBe('int32');
    expect(new Set(vals(r))).toEqual(new Set([-2, -1, 0, 1, 2]));
    expectThrows(() => randint(3, 3, [1]), ValueError, /low=3 high=3/);
  });

  it('random functions reject non-float dtypes', () => {
    expectThrows(() => rand([2], { dtype: 'int32' }), DTypeError, /rand/, /int32/);
    expectThrows(() => randn([2], { dtype: 'bool' }), DTypeError, /randn/, /bool/);
  });

  it('random leaves can require grad', () => {
    const w = randn([2, 2], { requiresGrad: true, generator: new Generator(1) });
    w.sum().backward();
    expect(vals(w.grad)).toEqual([1, 1, 1, 1]);
  });
});

describe('shape errors at creation', () => {
  it('a reshape of a fresh tensor to a wrong size names both', () => {
    expectThrows(() => ones([2, 3]).reshape(5), ShapeError, /\[5\]/, /6/);
  });
});
