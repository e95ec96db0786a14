import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';

// Binary ops on two one-element tensors compute the element directly instead of running the loop
// kernel. Checked against the loop (the same op on two-element tensors, whose element 0 is the
// pair under test) and against hand-computed values.
type DT = 'float32' | 'float64' | 'int32' | 'bool';
const OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
const DTYPES: DT[] = ['float32', 'float64', 'int32', 'bool'];

function make(v: number, pad: number, dtype: DT, shape: number[] | null): Tensor {
  const value = dtype === 'bool' ? v !== 0 : v;
  const other = dtype === 'bool' ? pad !== 0 : pad;
  if (shape === null) return tensor([value, other], { dtype });
  return tensor(value, { dtype }).reshape(shape);
}

function apply(op: (typeof OPS)[number], a: Tensor, b: Tensor): Tensor {
  return a[op].call(a, b);
}

describe('one-element binary ops', () => {
  it('match the loop kernel for every op and dtype pair', () => {
    const value = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.double({ min: -4, max: 4, noNaN: true }), fc.constant(NaN));
    fc.assert(
      fc.property(fc.constantFrom(...OPS), fc.constantFrom(...DTYPES), fc.constantFrom(...DTYPES), value, value, (op, da, db, x, y) => {
        if (op === 'sub' && da === 'bool' && db === 'bool') return;
        const xv = da === 'int32' || da === 'bool' ? (Number.isNaN(x) ? 1 : Math.trunc(x)) : x;
        const yv = db === 'int32' || db === 'bool' ? (Number.isNaN(y) ? 1 : Math.trunc(y)) : y;
        const fast = apply(op, make(xv, 0, da, [1]), make(yv, 0, db, [1]));
        const loop = apply(op, make(xv, 3, da, null), make(yv, 2, db, null));
        expect(fast.dtype).toBe(loop.dtype);
        expect(fast.shape).toEqual([1]);
        const got = fast.dataSync()[0]!;
        const want = loop.dataSync()[0]!;
        expect(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))).toBe(true);
      }),
      { seed: 42, numRuns: 600 },
    );
  });

  it('give the broadcast shape and hand-computed values', () => {
    const a = tensor(1.5);
    const b = tensor([[2]]);
    expect(a.mul(b).shape).toEqual([1, 1]);
    expect(a.mul(b).item()).toBe(3);
    expect(b.sub(a).shape).toEqual([1, 1]);
    expect(
      tensor([3], { dtype: 'int32' })
        .div(tensor([2], { dtype: 'int32' }))
        .item(),
    ).toBe(1.5);
    expect(
      tensor([0.1])
        .add(tensor([0.2]))
        .item(),
    ).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(
      Number.isNaN(
        tensor([NaN])
          .maximum(tensor([1]))
          .item(),
      ),
    ).toBe(true);
    expect(
      tensor([true], { dtype: 'bool' })
        .add(tensor([true], { dtype: 'bool' }))
        .toArray(),
    ).toEqual([true]);
    expect(tensor([2], { dtype: 'int32' }).mul(tensor(2.5)).item()).toBe(5);
  });
});
