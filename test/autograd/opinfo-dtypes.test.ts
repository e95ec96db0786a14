/**
 * Type promotion, as PyTorch defines it: bool < int32 < float32 < float64 within dimensioned
 * tensors; 0-d tensors and JS numbers only change the result when of a higher category; integer
 * division gives float32; comparisons give bool. Expected dtypes are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import * as T from '../../src/index.js';
import type { DType } from '../../src/autograd/dtype.js';

const t = (dtype: DType, scalar = false): T.Tensor => (scalar ? T.tensor(1, { dtype }) : T.tensor([1, 1], { dtype }));

describe('binary promotion between dimensioned tensors', () => {
  const cases: [DType, DType, DType][] = [
    ['bool', 'bool', 'bool'],
    ['bool', 'int32', 'int32'],
    ['bool', 'float32', 'float32'],
    ['bool', 'float64', 'float64'],
    ['int32', 'int32', 'int32'],
    ['int32', 'float32', 'float32'],
    ['int32', 'float64', 'float64'],
    ['float32', 'float32', 'float32'],
    ['float32', 'float64', 'float64'],
    ['float64', 'float64', 'float64'],
  ];
  it.each(cases)('%s with %s gives %s (both orders, add/mul/maximum)', (a, b, out) => {
    for (const op of ['add', 'mul', 'maximum', 'minimum'] as const) {
      expect(T[op](t(a), t(b)).dtype, `${op}(${a}, ${b})`).toBe(out);
      expect(T[op](t(b), t(a)).dtype, `${op}(${b}, ${a})`).toBe(out);
    }
  });
});

describe('0-d tensors and JS numbers', () => {
  it('a 0-d tensor of the same category does not widen a dimensioned tensor', () => {
    expect(t('float32').add(t('float64', true)).dtype).toBe('float32');
    expect(t('int32').add(t('int32', true)).dtype).toBe('int32');
    expect(t('bool').add(t('bool', true)).dtype).toBe('bool');
  });
  it('a 0-d tensor of a higher category does', () => {
    expect(t('int32').add(t('float64', true)).dtype).toBe('float64');
    expect(t('bool').add(t('int32', true)).dtype).toBe('int32');
    expect(t('bool').mul(t('float32', true)).dtype).toBe('float32');
  });
  it('two 0-d tensors promote normally', () => {
    expect(t('float32', true).add(t('float64', true)).dtype).toBe('float64');
    expect(t('int32', true).add(t('bool', true)).dtype).toBe('int32');
  });
  it('a JS number never widens a float tensor', () => {
    expect(t('float32').add(1.5).dtype).toBe('float32');
    expect(t('float64').mul(2).dtype).toBe('float64');
    expect(T.sub(0.25, t('float32')).dtype).toBe('float32');
  });
  it('a JS integer keeps int32 (and turns bool into int32); a fractional number gives float32', () => {
    expect(t('int32').add(2).dtype).toBe('int32');
    expect(t('int32').add(2, { alpha: 3 }).dtype).toBe('int32');
    expect(t('int32').add(2, { alpha: 3 }).toArray()).toEqual([7, 7]);
    expect(t('bool').add(1).dtype).toBe('int32');
    expect(t('int32').add(0.5).dtype).toBe('float32');
    expect(T.mul(0.5, t('bool')).dtype).toBe('float32');
    expect(t('int32').sub(1.5, { alpha: 2 }).dtype).toBe('float32');
  });
});

describe('ops with a fixed result kind', () => {
  it('int and bool true division gives float32; floats keep their dtype', () => {
    expect(t('int32').div(t('int32')).dtype).toBe('float32');
    expect(T.tensor([1, 3], { dtype: 'int32' }).div(2).toArray()).toEqual([0.5, 1.5]);
    expect(t('bool').div(t('bool')).dtype).toBe('float32');
    expect(t('float64').div(t('int32')).dtype).toBe('float64');
  });
  it('comparisons and logical ops give bool for every input dtype', () => {
    for (const d of ['bool', 'int32', 'float32', 'float64'] as DType[]) {
      for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) expect(T[op](t(d), 1).dtype, `${op} ${d}`).toBe('bool');
      expect(T.logicalNot(t(d)).dtype).toBe('bool');
      expect(T.logicalAnd(t(d), t('float32')).dtype).toBe('bool');
      expect(T.isnan(t(d)).dtype).toBe('bool');
      expect(T.isfinite(t(d)).dtype).toBe('bool');
    }
  });
  it('float functions turn int and bool into float32 and keep float64', () => {
    for (const op of ['exp', 'log', 'sqrt', 'sin', 'tanh', 'sigmoid', 'erf', 'reciprocal', 'rsqrt', 'log1p', 'expm1', 'cos'] as const) {
      expect(T[op](t('int32')).dtype, op).toBe('float32');
      expect(T[op](t('bool')).dtype, op).toBe('float32');
      expect(T[op](t('float64')).dtype, op).toBe('float64');
    }
  });
  it('sign-preserving functions keep the dtype', () => {
    for (const op of ['abs', 'sign', 'relu'] as const) expect(T[op](t('int32')).dtype, op).toBe('int32');
    expect(T.neg(t('int32')).dtype).toBe('int32');
  });
  it('where promotes its two branches; two JS integers give int32', () => {
    const c = T.tensor([true, false]);
    expect(T.where(c, t('int32'), t('float64')).dtype).toBe('float64');
    expect(T.where(c, t('float32'), 0).dtype).toBe('float32');
    expect(T.where(c, t('int32'), 0.5).dtype).toBe('float32');
    expect(T.where(c, 1, 0).dtype).toBe('int32');
    expect(T.where(c, 1, 0.5).dtype).toBe('float32');
  });
  it('clamp bounds take part in promotion', () => {
    expect(t('int32').clamp(0.5, null).dtype).toBe('float32');
    expect(t('int32').clamp(0, 3).dtype).toBe('int32');
    expect(t('float32').clamp(t('float64'), null).dtype).toBe('float64');
    expect(t('float32').clamp(0, 1).dtype).toBe('float32');
  });
  it('maskedFill keeps the input dtype', () => {
    expect(
      t('int32')
        .maskedFill(T.tensor([true, false]), 2.5)
        .toArray(),
    ).toEqual([2, 1]);
    expect(t('float32').maskedFill(T.tensor([true, false]), t('float64', true)).dtype).toBe('float32');
  });
});

describe('bool arithmetic', () => {
  it('bool + bool is logical or and stores 0/1', () => {
    const s = T.tensor([true, false, true]).add(T.tensor([true, false, false]));
    expect(s.dtype).toBe('bool');
    expect(Array.from(s.dataSync())).toEqual([1, 0, 1]);
    expect(s.int().toArray()).toEqual([1, 0, 1]);
  });
  it('bool * bool is logical and; maximum is or', () => {
    expect(
      Array.from(
        T.tensor([true, false])
          .mul(T.tensor([true, true]))
          .dataSync(),
      ),
    ).toEqual([1, 0]);
    expect(Array.from(T.maximum(T.tensor([true, false]), T.tensor([false, false])).dataSync())).toEqual([1, 0]);
  });
  it('bool - bool and -bool are errors, as in PyTorch', () => {
    expect(() => T.tensor([true]).sub(T.tensor([true]))).toThrow(T.DTypeError);
    expect(() => T.tensor([true]).neg()).toThrow(/neg: negating a bool tensor/);
  });
});
