/**
 * PyTorch's call forms of the creation functions: variadic sizes with options last, arange's three
 * forms, randint(high, size), full's array size, and typed errors (naming the accepted form) for
 * everything else. Expected values are PyTorch's (torch 1.13), worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentTypeError,
  DTypeError,
  Generator,
  ValueError,
  arange,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  rand,
  randint,
  randn,
  randnLike,
  tensor,
  zeros,
  zerosLike,
} from '../../src/index.js';

const loose = (f: unknown): ((...a: unknown[]) => unknown) => f as (...a: unknown[]) => unknown;

describe('sizes as PyTorch reads them', () => {
  it('zeros/ones/rand/randn take variadic sizes or an array, options last', () => {
    expect(zeros(2, 3).shape).toEqual([2, 3]);
    expect(ones(2, 3).toArray()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(randn(2, 3).shape).toEqual([2, 3]);
    expect(rand(4, 5).shape).toEqual([4, 5]);
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    expect(zeros(4).shape).toEqual([4]);
    expect(zeros([]).shape).toEqual([]);
    const z = zeros(2, 3, { dtype: 'int32' });
    expect([z.dtype, ...z.shape]).toEqual(['int32', 2, 3]);
    expect(ones([2], { dtype: 'float64', requiresGrad: true }).requiresGrad).toBe(true);
    expect(rand(3, { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('the same generator seed gives the same samples in both size forms', () => {
    expect(randn(2, 2, { generator: new Generator(3) }).toArray()).toEqual(randn([2, 2], { generator: new Generator(3) }).toArray());
  });

  it('rejects a dtype in the sizes, no size at all, and unknown or snake_case options', () => {
    expect(() => loose(zeros)(2, 3, 'float64')).toThrow(ArgumentTypeError);
    expect(() => loose(zeros)(2, 3, 'float64')).toThrow(/zeros: argument 3 .*'float64'.*accepted forms: zeros\(2, 3\)/);
    expect(() => loose(zeros)()).toThrow(/zeros: missing the size/);
    expect(() => loose(ones)(2, { requires_grad: true })).toThrow(/unknown option 'requires_grad'.*did you mean 'requiresGrad'/);
    expect(() => loose(randn)(2, { dtype: 'float64', seed: 1 })).toThrow(ValueError);
    expect(() => loose(zeros)(2, { dtype: 'int64' })).toThrow(DTypeError);
    expect(() => loose(zeros)(2, { dtype: 'int64' })).toThrow(/integer dtype is 'int32'/);
    expect(() => loose(zeros)(2, { dtype: 32 })).toThrow(ArgumentTypeError);
  });
});

describe('arange', () => {
  it('arange(end, options), arange(start, end, options), arange(start, end, step, options)', () => {
    const a = arange(16, { dtype: 'float32' });
    expect([a.dtype, ...a.shape]).toEqual(['float32', 16]);
    expect(a.toArray()).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(arange(2, 5, { dtype: 'float64' }).toArray()).toEqual([2, 3, 4]);
    expect(arange(2, 5, { dtype: 'float64' }).dtype).toBe('float64');
    expect(arange(1, 2, 0.25, { dtype: 'float64' }).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
  });

  it('rejects a missing end, non-numbers and int32 overflow', () => {
    expect(() => loose(arange)()).toThrow(/arange: missing end/);
    expect(() => loose(arange)('5')).toThrow(ArgumentTypeError);
    expect(() => loose(arange)(0, 5, 1, 2)).toThrow(/arange: too many arguments/);
    expect(() => arange(0, 5e9, 1e9)).toThrow(/arange: value 4000000000 cannot be converted to int32/);
    expect(arange(0, 5e9, 1e9, { dtype: 'float64' }).toArray()).toEqual([0, 1e9, 2e9, 3e9, 4e9]);
  });
});

describe('full, eye, linspace, randint, *Like', () => {
  it('full takes an array size (PyTorch rejects full(2, 7)), a boolean value gives bool', () => {
    expect(full([2, 2], 7).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(full([2], true).dtype).toBe('bool');
    expect(full([2], 2.5, { dtype: 'int32' }).toArray()).toEqual([2, 2]);
    expect(() => loose(full)(2, 7)).toThrow(ArgumentTypeError);
    expect(() => loose(full)(2, 7)).toThrow(/full: size must be an array of sizes, got 2; accepted forms: full\(\[2, 3\], value\)/);
    expect(() => loose(full)([2], '7')).toThrow(/full: value must be a number/);
  });

  it('eye(n), eye(n, m), eye(n, options), eye(n, m, options)', () => {
    expect(eye(2, { dtype: 'int32' }).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(() => loose(eye)('3')).toThrow(ArgumentTypeError);
  });

  it('linspace needs steps, as in PyTorch', () => {
    expect(() => loose(linspace)(0, 1)).toThrow(/linspace: missing steps/);
    expect(linspace(0, 1, 3, { dtype: 'float64' }).toArray()).toEqual([0, 0.5, 1]);
  });

  it('randint(high, size) and randint(low, high, size); the size must be an array', () => {
    const a = randint(3, [200], { generator: new Generator(1) });
    expect(a.shape).toEqual([200]);
    expect(a.dataSync().every((v) => v >= 0 && v < 3)).toBe(true);
    const b = randint(5, 8, [2, 50], { generator: new Generator(1) });
    expect(b.dataSync().every((v) => v >= 5 && v < 8)).toBe(true);
    expect(() => loose(randint)(3, 10)).toThrow(ArgumentTypeError);
    expect(() => loose(randint)(3, 10)).toThrow(/randint: the size must be an array.*randint\(high, \[size\]\)/);
    expect(() => randint(0, 3e9, [2])).toThrow(/cannot be converted to int32/);
  });

  it('*Like functions check their tensor and options', () => {
    const x = zeros(2, 3, { dtype: 'float64' });
    expect(zerosLike(x).dtype).toBe('float64');
    expect(fullLike(x, 2, { dtype: 'int32' }).toArray()).toEqual([
      [2, 2, 2],
      [2, 2, 2],
    ]);
    expect(randnLike(x, { generator: new Generator(0) }).shape).toEqual([2, 3]);
    expect(() => loose(zerosLike)([1, 2])).toThrow(/zerosLike: expected a Tensor as the first argument/);
    expect(() => loose(zerosLike)(x, 'int32')).toThrow(ArgumentTypeError);
  });

  it('tensor(data, options) checks options and arity', () => {
    expect(() => loose(tensor)([1], { dtype: 'float32', requiresGrad: true, grad: 1 })).toThrow(/unknown option 'grad'/);
    expect(() => loose(tensor)([1], 'float64')).toThrow(ArgumentTypeError);
    expect(() => loose(tensor)([1], {}, 3)).toThrow(/tensor: too many arguments/);
  });
});

describe('int32 values and size limits', () => {
  it('int32 tensors reject NaN, infinities and out-of-range values; the fraction is truncated', () => {
    expect(() => tensor([3e9], { dtype: 'int32' })).toThrow(ValueError);
    expect(() => tensor([3e9], { dtype: 'int32' })).toThrow(/tensor: value 3000000000 cannot be converted to int32 without overflow/);
    expect(() => tensor([1, NaN], { dtype: 'int32' })).toThrow(/value NaN cannot be converted to int32/);
    expect(() => tensor(new Float64Array([-Infinity]), { dtype: 'int32' })).toThrow(/cannot be converted to int32/);
    expect(() => full([2], NaN, { dtype: 'int32' })).toThrow(/full: value NaN/);
    expect(tensor([2147483647, -2147483648, -2.9], { dtype: 'int32' }).toArray()).toEqual([2147483647, -2147483648, -2]);
    expect(tensor([NaN, 3e9], { dtype: 'bool' }).toArray()).toEqual([true, true]);
  });

  it('fill_ and maskedFill of an int32 tensor reject NaN and out-of-range values', () => {
    const i = zeros([2], { dtype: 'int32' });
    expect(() => i.fill_(3e9)).toThrow(/fill_: value 3000000000 cannot be converted to int32/);
    expect(() => i.fill_(NaN)).toThrow(ValueError);
    expect(() => i.maskedFill(tensor([true, false]), 3e9)).toThrow(/maskedFill: value 3000000000/);
    expect(i.fill_(7).toArray()).toEqual([7, 7]);
  });

  it('a tensor beyond 2**31 - 1 elements is a typed error naming the op and the size, before allocating', () => {
    expect(() => zeros([1e6, 1e6])).toThrow(ValueError);
    expect(() => zeros([1e6, 1e6])).toThrow(/zeros: shape \[1000000, 1000000\] asks for 1\.000e\+12 elements/);
    expect(() => randn([1e5, 1e5])).toThrow(/randn: shape \[100000, 100000\] asks for 1\.000e\+10 elements/);
    expect(() => full([2 ** 31], 0)).toThrow(/full: shape \[2147483648\]/);
    // an op whose output would be that large: a typed error too, not a RangeError
    expect(() => zeros(1).expand(1e6, 1e6).contiguous()).toThrow(ValueError);
    expect(() => zeros(1).expand(1e5, 1e5).exp()).toThrow(/cannot allocate a tensor of 1\.000e\+10 elements/);
  });
});
