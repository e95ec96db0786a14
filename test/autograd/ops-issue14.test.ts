/**
 * Fixed cases of the issue-14 ops at the points the OpInfo samples avoid (ties, NaN, exact
 * halves, zeros in cumprod), the view/copy and version-counter semantics of indexing, and the
 * in-place activations. Expected values are torch 1.13's results.
 */
import { describe, expect, it } from 'vitest';
import * as T from '../../src/index.js';

const f64 = (data: number[] | number[][], requiresGrad = false): T.Tensor => T.tensor(data, { dtype: 'float64', requiresGrad });

describe('sort and topk at ties and NaN (torch 1.13)', () => {
  const x = T.tensor([2, NaN, 1, 2, -1]);
  it('sorts NaN last, ties in their original order', () => {
    const { values, indices } = x.sort();
    expect(values.toArray()).toEqual([-1, 1, 2, 2, NaN]);
    expect(indices.toArray()).toEqual([4, 2, 0, 3, 1]);
  });
  it('sorts NaN first when descending, stable', () => {
    const [values, indices] = T.sort(x, { descending: true, stable: true });
    expect(values.toArray()).toEqual([NaN, 2, 2, 1, -1]);
    expect(indices.toArray()).toEqual([1, 0, 3, 2, 4]);
  });
  it('topk counts NaN as the largest', () => {
    expect(x.topk(1).indices.toArray()).toEqual([1]);
  });
  it('routes the gradient of tied values to the positions they came from', () => {
    const y = f64([3, 1, 3], true);
    y.sort()
      .values.mul(f64([10, 20, 30]))
      .sum()
      .backward();
    expect(y.grad!.toArray()).toEqual([20, 10, 30]);
  });
});

describe('rounding (torch 1.13)', () => {
  it('rounds half to even', () => {
    expect(T.round(T.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5])).toArray()).toEqual([-2, -2, -0, 0, 2, 2, 4]);
  });
  it('rounds to decimals', () => {
    expect(T.round(f64([0.125, 0.135]), { decimals: 2 }).toArray()).toEqual([0.12, 0.14]);
    expect(T.round(f64([1250, 1350]), { decimals: -2 }).toArray()).toEqual([1200, 1400]);
  });
  it('has a zero gradient, trunc included', () => {
    const x = f64([1.7, -2.2], true);
    T.trunc(x).add(T.floor(x)).add(T.ceil(x)).add(T.round(x)).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0]);
  });
});

describe('cumprod with zeros (torch 1.13)', () => {
  it('gives the exact gradient where the input has zeros', () => {
    const c = f64(
      [
        [1, 0, 2, 0],
        [3, 4, 0, 5],
      ],
      true,
    );
    T.cumprod(c, 1).backward(
      f64([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]),
    );
    expect(c.grad!.toArray()).toEqual([
      [1, 8, 0, 0],
      [29, 18, 564, 0],
    ]);
  });
  it('scans a lane of 11 (not a power of two) like a running product', () => {
    const v = [1.5, -2, 0.5, 3, 1, -1, 2, 0.25, 4, -0.5, 2];
    const expected = v.map((_, i) => v.slice(0, i + 1).reduce((a, b) => a * b, 1));
    expect(T.cumprod(f64(v), 0).toArray()).toEqual(expected);
  });
});

describe('indexing semantics', () => {
  it('basic items return views sharing storage; advanced items copy', () => {
    const x = T.arange(12).reshape(3, 4);
    const v = x.index(':, 1:3');
    expect(v._storage).toBe(x._storage);
    expect(v.toArray()).toEqual([
      [1, 2],
      [5, 6],
      [9, 10],
    ]);
    expect(x.index('...', -1).toArray()).toEqual([3, 7, 11]);
    expect(x.index('::2, None, -1').shape).toEqual([2, 1]);
    const c = x.index([2, 0]);
    expect(c._storage).not.toBe(x._storage);
    expect(c.toArray()).toEqual([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
    ]);
    expect(x.index(x.gt(8)).toArray()).toEqual([9, 10, 11]);
    expect(
      x
        .index(
          T.tensor(
            [
              [0, 1],
              [2, 2],
            ],
            { dtype: 'int32' },
          ),
          0,
        )
        .toArray(),
    ).toEqual([
      [0, 4],
      [8, 8],
    ]);
  });
  it('reads a 0-d bool as PyTorch does: true adds a dim, false an empty one', () => {
    const x = T.arange(6).reshape(2, 3);
    expect(x.index(T.tensor(true)).shape).toEqual([1, 2, 3]);
    expect(x.index(T.tensor(false)).shape).toEqual([0, 2, 3]);
    expect(x.index(':', T.tensor(true)).shape).toEqual([2, 1, 3]);
    expect(x.index(T.tensor(true), 0).toArray()).toEqual([[0, 1, 2]]);
  });
  it('follows PyTorch on where the advanced dims go', () => {
    const x = T.zeros([2, 3, 4, 5]);
    expect(x.index([0, 1], ':', 0, [1, 2]).shape).toEqual([2, 3]);
    expect(x.index(':', [0, 1], 0, [1, 2]).shape).toEqual([2, 2]);
    expect(x.index(':', [0, 1], ':', [1, 2]).shape).toEqual([2, 2, 4]);
    expect(x.index(0, ':', [1, 2]).shape).toEqual([3, 2, 5]);
  });
  it('x[:, 0] = v gives the gradients PyTorch gives', () => {
    const m = f64(
      [
        [1, 2],
        [3, 4],
      ],
      true,
    );
    const v = f64([10, 20], true);
    const z = m.mul(1);
    z.setIndex(':, 0', v);
    expect(z.toArray()).toEqual([
      [10, 2],
      [20, 4],
    ]);
    z.mul(
      f64([
        [1, 2],
        [3, 4],
      ]),
    )
      .sum()
      .backward();
    expect(m.grad!.toArray()).toEqual([
      [0, 2],
      [0, 4],
    ]);
    expect(v.grad!.toArray()).toEqual([1, 3]);
  });
  it('x[mask] = 0 is in place and version-counted', () => {
    const w = f64([1, 2, 3, 4], true);
    const u = w.mul(1);
    const before = u._storage.version;
    u.setIndex(T.tensor([true, false, true, false]), 0);
    expect(u._storage.version).toBeGreaterThan(before);
    expect(u.toArray()).toEqual([0, 2, 0, 4]);
    u.sum().backward();
    expect(w.grad!.toArray()).toEqual([0, 1, 0, 1]);
  });
  it('an index assignment after a use saved for backward makes that backward throw', () => {
    const w = f64([1, 2], true);
    const u = w.mul(1);
    const y = u.mul(u);
    u.setIndex(0, 5);
    expect(() => y.sum().backward()).toThrow(T.AutogradError);
  });
  it('accumulate adds duplicates', () => {
    expect(
      T.zeros([3])
        .indexPut([[0, 0, 2]], 1, { accumulate: true })
        .toArray(),
    ).toEqual([2, 0, 1]);
  });
  it('refuses in-place writes to a leaf that requires grad', () => {
    expect(() => T.zeros([2], { requiresGrad: true }).setIndex(0, 1)).toThrow(T.AutogradError);
    expect(() => T.zeros([2], { requiresGrad: true }).relu_()).toThrow(T.AutogradError);
  });
});

describe('in-place activations', () => {
  it('write into the tensor, bump its version and keep the gradient', () => {
    const x = f64([-1, 0.5, 2], true);
    const y = x.mul(1);
    const v = y._storage.version;
    expect(y.relu_()).toBe(y);
    expect(y._storage.version).toBe(v + 1);
    y.tanh_().sigmoid_();
    y.sum().backward();
    const s = (t: number): number => 1 / (1 + Math.exp(-t));
    const g = (t: number): number => (t > 0 ? s(Math.tanh(t)) * (1 - s(Math.tanh(t))) * (1 - Math.tanh(t) ** 2) : 0);
    (x.grad!.toArray() as number[]).forEach((gv, i) => expect(gv).toBeCloseTo(g([-1, 0.5, 2][i]!), 12));
  });
});

describe('F.oneHot (torch 1.13)', () => {
  it('infers the class count and keeps the index shape', () => {
    const r = T.nn.functional.oneHot(
      T.tensor(
        [
          [0, 2],
          [1, 1],
        ],
        { dtype: 'int32' },
      ),
      4,
    );
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([
      [
        [1, 0, 0, 0],
        [0, 0, 1, 0],
      ],
      [
        [0, 1, 0, 0],
        [0, 1, 0, 0],
      ],
    ]);
    expect(T.nn.functional.oneHot(T.tensor([1], { dtype: 'int32' })).toArray()).toEqual([[0, 1]]);
  });
  it('rejects negative classes, too-small numClasses and empty inference', () => {
    expect(() => T.nn.functional.oneHot(T.tensor([-1], { dtype: 'int32' }))).toThrow(T.ValueError);
    expect(() => T.nn.functional.oneHot(T.tensor([3], { dtype: 'int32' }), 3)).toThrow(/not smaller than numClasses = 3/);
    expect(() => T.nn.functional.oneHot(T.zeros([0], { dtype: 'int32' }))).toThrow(/cannot infer numClasses/);
    expect(T.nn.functional.oneHot(T.zeros([0], { dtype: 'int32' }), { numClasses: 3 }).shape).toEqual([0, 3]);
  });
});

describe('einsum uses the matrix product', () => {
  it('matches matmul on attention-shaped inputs', () => {
    T.manualSeed(0);
    const q = T.randn([2, 3, 4, 5], { dtype: 'float64' });
    const k = T.randn([2, 3, 6, 5], { dtype: 'float64' });
    const a = T.einsum('bhqd,bhkd->bhqk', q, k).toArray();
    const b = T.matmul(q, k.transpose(-2, -1)).toArray();
    expect(a).toEqual(b);
  });
});
