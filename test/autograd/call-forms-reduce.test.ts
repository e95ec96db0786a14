/**
 * PyTorch's call forms of the reductions: positional keepdim, options objects, var/std's unbiased and
 * correction, max/min with a dim (destructurable, with .values/.indices) or another tensor, and the
 * norm gradient at zero. Expected values are PyTorch's (torch 1.13), worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentTypeError,
  Tensor,
  ValueError,
  arange,
  argmax,
  maxDim,
  norm,
  ones,
  std,
  sum,
  tensor,
  variance,
  zeros,
} from '../../src/index.js';
import { expectClose as closeFlat } from './engine-test-helpers.js';

type Nested = number | Nested[];
/** Element-wise closeness of a tensor to nested expected values (shape checked too). */
function expectClose(actual: Tensor, expected: Nested): void {
  const shape: number[] = [];
  for (let e = expected; Array.isArray(e); e = e[0]!) shape.push(e.length);
  expect(actual.shape).toEqual(shape);
  closeFlat(actual, [expected].flat(Infinity as 1) as number[]);
}

/** [[0, 1, 2], [3, 4, 5]] */
const x = (): Tensor => arange(6, { dtype: 'float64' }).reshape(2, 3);
const loose = (t: Tensor, name: string): ((...a: unknown[]) => unknown) =>
  (t as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!.bind(t);

describe('keepdim and dim forms', () => {
  it('x.sum(1, true), x.sum({ dim: 1, keepdim: true }), x.sum(1, { keepdim: true }) agree', () => {
    for (const r of [x().sum(1, true), x().sum({ dim: 1, keepdim: true }), x().sum(1, { keepdim: true }), sum(x(), 1, true)]) {
      expect(r.shape).toEqual([2, 1]);
      expect(r.toArray()).toEqual([[3], [12]]);
    }
    expect(x().sum([0, 1]).item()).toBe(15);
    expect(x().sum({ dim: null }).item()).toBe(15);
  });

  it('every reduction honours a positional keepdim', () => {
    const shapes = [
      x().mean(1, true),
      x().prod(1, true),
      x().amax(1, true),
      x().amin(1, true),
      x().argmax(1, true),
      x().argmin(1, true),
      x().logsumexp(1, true),
      x().any(1, true),
      x().all(1, true),
      x().norm(2, 1, true),
      x().var(1, true, true),
      x().std(1, true, true),
    ].map((t) => t.shape);
    for (const s of shapes) expect(s).toEqual([2, 1]);
    expect(x().mean(1, true).toArray()).toEqual([[1], [4]]);
    expect(x().prod(1, true).toArray()).toEqual([[0], [60]]);
    expect(x().argmax(1, true).toArray()).toEqual([[2], [2]]);
  });

  it('a dtype option converts the input first', () => {
    const i = tensor([1, 2, 3], { dtype: 'int32' });
    expect(i.sum({ dtype: 'float64' }).dtype).toBe('float64');
    expect(x().float().softmax(1, 'float64').dtype).toBe('float64');
    expect(x().float().cumsum(1, { dtype: 'float64' }).toArray()).toEqual([
      [0, 1, 3],
      [3, 7, 12],
    ]);
  });

  it('rejects a number where keepdim goes, arrays for one-dim reductions, typos and snake_case', () => {
    expect(() => loose(x(), 'sum')(0, 1)).toThrow(ArgumentTypeError);
    expect(() => loose(x(), 'sum')(0, 1)).toThrow(/sum: keepdim .* got 1 \(to reduce several dims, pass them as one array: \[0, 1\]\)/);
    expect(() => loose(x(), 'argmax')([0, 1])).toThrow(/argmax: dim must be one integer dim/);
    expect(() => loose(x(), 'sum')({ dims: 1 })).toThrow(/unknown option 'dims': did you mean 'dim'/);
    expect(() => loose(x(), 'mean')({ keep_dim: true })).toThrow(ValueError);
    expect(() => loose(x(), 'sum')(1, true, { keepdim: false })).toThrow(/keepdim given twice/);
    expect(() => loose(x(), 'sum')('1')).toThrow(ArgumentTypeError);
    expect(() => loose(x(), 'sum')(1, true, {}, 4)).toThrow(/too many arguments/);
    expect(() => loose(x(), 'softmax')()).toThrow(/softmax: dim is required/);
    expect(() => loose(x(), 'softmax')(1, { keepdim: true })).toThrow(/unknown option 'keepdim'/);
    expect(() => (sum as (...a: unknown[]) => unknown)([1, 2])).toThrow(/sum: expected a Tensor as the input/);
  });
});

describe('var and std', () => {
  it('take (dim, unbiased, keepdim) positionally, unbiased alone, { unbiased } and { correction }', () => {
    expectClose(x().var(1, false), [2 / 3, 2 / 3]);
    expectClose(x().var(1, { unbiased: false }), [2 / 3, 2 / 3]);
    expectClose(x().var(1, { correction: 0 }), [2 / 3, 2 / 3]);
    expectClose(x().var(false), 17.5 / 6);
    expectClose(x().var(), 17.5 / 5);
    expectClose(x().var(1, true, true), [[1], [1]]);
    expectClose(variance(x(), { dim: 0, correction: 0 }), [2.25, 2.25, 2.25]);
    expectClose(std(x(), 1, false), [Math.sqrt(2 / 3), Math.sqrt(2 / 3)]);
    expectClose(x().std({ correction: 2, dim: 1 }), [Math.sqrt(2), Math.sqrt(2)]);
  });

  it('rejects unbiased and correction together, and a non-boolean unbiased', () => {
    expect(() => x().var(1, { unbiased: false, correction: 0 })).toThrow(/give unbiased or correction, not both/);
    expect(() => loose(x(), 'var')(1, 0)).toThrow(ArgumentTypeError);
    expect(() => loose(x(), 'std')(false, 1)).toThrow(/after unbiased/);
  });
});

describe('max and min', () => {
  it('x.max() is the global maximum, x.max(dim) destructures as [values, indices] and has .values/.indices', () => {
    expect(x().max().item()).toBe(5);
    const r = x().max(1);
    const [values, indices] = x().max(1);
    expect(values.toArray()).toEqual([2, 5]);
    expect(indices.toArray()).toEqual([2, 2]);
    expect(r.values.toArray()).toEqual([2, 5]);
    expect(r.indices.dtype).toBe('int32');
    expect(r[0].toArray()).toEqual([2, 5]);
    expect(r.length).toBe(2);
    const { values: mins } = x().min(0, true);
    expect(mins.toArray()).toEqual([[0, 1, 2]]);
    expect(x().max({ dim: 0 }).values.toArray()).toEqual([3, 4, 5]);
    expect(maxDim(x(), 1, true).values.shape).toEqual([2, 1]);
  });

  it('x.max(other) is the elementwise maximum, x.min(other) the minimum', () => {
    const other = tensor(
      [
        [1, 1, 1],
        [9, 0, 9],
      ],
      { dtype: 'float64' },
    );
    expect(x().max(other).toArray()).toEqual([
      [1, 1, 2],
      [9, 4, 9],
    ]);
    expect(x().min(other).toArray()).toEqual([
      [0, 1, 1],
      [3, 0, 5],
    ]);
    expect(() => loose(x(), 'max')(other, 1)).toThrow(/max: too many arguments/);
    expect(() => loose(x(), 'max')({ keepdim: true })).toThrow(/max: keepdim needs a dim/);
  });

  it('the gradient of max(dim) goes to the index', () => {
    const t = tensor(
      [
        [1, 3],
        [4, 2],
      ],
      { requiresGrad: true, dtype: 'float64' },
    );
    const [v] = t.max(1);
    v.sum().backward();
    expect(t.grad!.toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('argmax(dim, keepdim) on the top-level function too', () => {
    expect(argmax(x(), 0, true).toArray()).toEqual([[1, 1, 1]]);
  });
});

describe('norm', () => {
  it('takes (p, dim, keepdim) positionally and { p, dim, keepdim }; rejects the nuclear norm', () => {
    expectClose(x().norm(1, 1), [3, 12]);
    expectClose(x().norm({ p: 1, dim: 1, keepdim: true }), [[3], [12]]);
    expectClose(norm(x(), 'fro'), Math.sqrt(55));
    expectClose(x().norm(Infinity, 0), [3, 4, 5]);
    expect(() => x().norm('nuc' as never)).toThrow(/nuclear norm/);
  });

  // PyTorch: the gradient of the p-norm is 0 at an all-zero slice and at a zero element.
  const cases: [number, number[]][] = [
    [2, [0, 1 / Math.sqrt(5), 2 / Math.sqrt(5)]],
    // d/dx_i (sum |x|^p)^(1/p) = x_i^(p-1) / norm^(p-1)
    [3, [0, 1 / 9 ** (2 / 3), 4 / 9 ** (2 / 3)]],
    [1.5, [0, 1 / (1 + 2 ** 1.5) ** (1 / 3), Math.SQRT2 / (1 + 2 ** 1.5) ** (1 / 3)]],
    [0.5, [0, 1 + Math.SQRT2, (1 + Math.SQRT2) / Math.SQRT2]],
    [1, [0, 1, 1]],
  ];
  for (const [p, row] of cases) {
    it(`p = ${p}: the gradient at an all-zero slice is 0, not NaN`, () => {
      const t = tensor(
        [
          [0, 1, 2],
          [0, 0, 0],
        ],
        { requiresGrad: true, dtype: 'float64' },
      );
      t.norm(p, 1).sum().backward();
      expectClose(t.grad!, [row, [0, 0, 0]]);
      const z = zeros([3], { dtype: 'float64', requiresGrad: true });
      z.norm(p).backward();
      expect(z.grad!.toArray()).toEqual([0, 0, 0]);
      expectClose(t.norm(p, 1).detach(), [(1 + 2 ** p) ** (1 / p), 0]);
    });
  }

  it('the norm of a nonzero vector is unchanged by the masking', () => {
    const t = ones([2], { dtype: 'float64', requiresGrad: true });
    expectClose(t.norm(), Math.SQRT2);
  });
});
