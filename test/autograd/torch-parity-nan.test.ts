// PyTorch 1.13 parity at NaN inputs and for integer inputs to softmax (issue #15; found by the
// mutation-testing session). Every expected value below was produced by real PyTorch 1.13
// (`/usr/bin/python3`, torch.clamp / F.elu / torch.softmax in float64), not by tapegrad.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

const same = (got: number[], want: number[]): void => {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => (Number.isNaN(want[i]!) ? expect(v).toBeNaN() : expect(v).toBe(want[i]!)));
};

// [x, min, max, clamp(x, min, max), d/dx, d/dmin, d/dmax] for every triple of {0, 1, 2, NaN}.
const CLAMP_TRIPLES: number[][] = [
  [0, 0, 0, 0, 1, 0, 0],
  [0, 0, 1, 0, 1, 0, 0],
  [0, 0, 2, 0, 1, 0, 0],
  [0, 0, NaN, NaN, 0, 0, 0],
  [0, 1, 0, 0, 0, 0, 1],
  [0, 1, 1, 1, 0, 0, 0],
  [0, 1, 2, 1, 0, 1, 0],
  [0, 1, NaN, NaN, 0, 0, 0],
  [0, 2, 0, 0, 0, 0, 1],
  [0, 2, 1, 1, 0, 0, 1],
  [0, 2, 2, 2, 0, 0, 0],
  [0, 2, NaN, NaN, 0, 0, 0],
  [0, NaN, 0, NaN, 0, 0, 0],
  [0, NaN, 1, NaN, 0, 0, 0],
  [0, NaN, 2, NaN, 0, 0, 0],
  [0, NaN, NaN, NaN, 0, 0, 0],
  [1, 0, 0, 0, 0, 0, 1],
  [1, 0, 1, 1, 1, 0, 0],
  [1, 0, 2, 1, 1, 0, 0],
  [1, 0, NaN, NaN, 0, 0, 0],
  [1, 1, 0, 0, 0, 0, 1],
  [1, 1, 1, 1, 1, 0, 0],
  [1, 1, 2, 1, 1, 0, 0],
  [1, 1, NaN, NaN, 0, 0, 0],
  [1, 2, 0, 0, 0, 0, 1],
  [1, 2, 1, 1, 0, 0, 1],
  [1, 2, 2, 2, 0, 0, 0],
  [1, 2, NaN, NaN, 0, 0, 0],
  [1, NaN, 0, NaN, 0, 0, 1],
  [1, NaN, 1, NaN, 0, 0, 0],
  [1, NaN, 2, NaN, 0, 0, 0],
  [1, NaN, NaN, NaN, 0, 0, 0],
  [2, 0, 0, 0, 0, 0, 1],
  [2, 0, 1, 1, 0, 0, 1],
  [2, 0, 2, 2, 1, 0, 0],
  [2, 0, NaN, NaN, 0, 0, 0],
  [2, 1, 0, 0, 0, 0, 1],
  [2, 1, 1, 1, 0, 0, 1],
  [2, 1, 2, 2, 1, 0, 0],
  [2, 1, NaN, NaN, 0, 0, 0],
  [2, 2, 0, 0, 0, 0, 1],
  [2, 2, 1, 1, 0, 0, 1],
  [2, 2, 2, 2, 1, 0, 0],
  [2, 2, NaN, NaN, 0, 0, 0],
  [2, NaN, 0, NaN, 0, 0, 1],
  [2, NaN, 1, NaN, 0, 0, 1],
  [2, NaN, 2, NaN, 0, 0, 0],
  [2, NaN, NaN, NaN, 0, 0, 0],
  [NaN, 0, 0, NaN, 0, 0, 0],
  [NaN, 0, 1, NaN, 0, 0, 0],
  [NaN, 0, 2, NaN, 0, 0, 0],
  [NaN, 0, NaN, NaN, 0, 0, 0],
  [NaN, 1, 0, NaN, 0, 0, 1],
  [NaN, 1, 1, NaN, 0, 0, 0],
  [NaN, 1, 2, NaN, 0, 0, 0],
  [NaN, 1, NaN, NaN, 0, 0, 0],
  [NaN, 2, 0, NaN, 0, 0, 1],
  [NaN, 2, 1, NaN, 0, 0, 1],
  [NaN, 2, 2, NaN, 0, 0, 0],
  [NaN, 2, NaN, NaN, 0, 0, 0],
  [NaN, NaN, 0, NaN, 0, 0, 0],
  [NaN, NaN, 1, NaN, 0, 0, 0],
  [NaN, NaN, 2, NaN, 0, 0, 0],
  [NaN, NaN, NaN, NaN, 0, 0, 0],
];

describe('clamp with NaN (PyTorch 1.13)', () => {
  it('tensor min and max: values and the three gradients at every triple of {0, 1, 2, NaN}', () => {
    const col = (k: number): number[] => CLAMP_TRIPLES.map((r) => r[k]!);
    const x = tg.tensor(col(0), { dtype: 'float64', requiresGrad: true });
    const lo = tg.tensor(col(1), { dtype: 'float64', requiresGrad: true });
    const hi = tg.tensor(col(2), { dtype: 'float64', requiresGrad: true });
    const y = tg.clamp(x, lo, hi);
    y.sum().backward();
    same(y.toArray() as number[], col(3));
    same(x.grad!.toArray() as number[], col(4));
    same(lo.grad!.toArray() as number[], col(5));
    same(hi.grad!.toArray() as number[], col(6));
  });

  // x = [0, 1, 2, NaN] repeated, bound = 0, 0, 0, 0, 1, 1, 1, 1, 2, ..., NaN, NaN, NaN, NaN.
  const xs = [0, 1, 2, NaN, 0, 1, 2, NaN, 0, 1, 2, NaN, 0, 1, 2, NaN];
  const bs = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, NaN, NaN, NaN, NaN];
  const N = NaN;
  it('a tensor min only', () => {
    const x = tg.tensor(xs, { dtype: 'float64', requiresGrad: true });
    const b = tg.tensor(bs, { dtype: 'float64', requiresGrad: true });
    const y = tg.clamp(x, b);
    y.sum().backward();
    same(y.toArray() as number[], [0, 1, 2, N, 1, 1, 2, N, 2, 2, 2, N, N, N, N, N]);
    same(x.grad!.toArray() as number[], [1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    same(b.grad!.toArray() as number[], [0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  });
  it('a tensor max only', () => {
    const x = tg.tensor(xs, { dtype: 'float64', requiresGrad: true });
    const b = tg.tensor(bs, { dtype: 'float64', requiresGrad: true });
    const y = tg.clamp(x, null, b);
    y.sum().backward();
    same(y.toArray() as number[], [0, 0, 0, N, 0, 1, 1, N, 0, 1, 2, N, N, N, N, N]);
    same(x.grad!.toArray() as number[], [1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    same(b.grad!.toArray() as number[], [0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('number bounds: a NaN input stays NaN with gradient 0; min > max gives max', () => {
    const x = tg.tensor([-2, NaN, 3, 0.5], { requiresGrad: true });
    const y = tg.clamp(x, 0, 1);
    y.sum().backward();
    same(y.toArray() as number[], [0, NaN, 1, 0.5]);
    same(x.grad!.toArray() as number[], [0, 0, 0, 1]);
    same(tg.clamp(x.detach(), 2, 1).toArray() as number[], [1, NaN, 1, 1]);
    // Both number bounds NaN: all NaN in PyTorch 1.13. (A single NaN number bound is ignored by
    // 1.13's x.clamp(min=nan) but propagated by its torch.clamp_min(x, nan) and by a NaN tensor
    // bound; tapegrad propagates it in every form.)
    same(tg.clamp(x.detach(), NaN, NaN).toArray() as number[], [NaN, NaN, NaN, NaN]);
    same(tg.clamp(x.detach(), tg.tensor(NaN)).toArray() as number[], [NaN, NaN, NaN, NaN]);
  });
  it('the in-place form and integer tensors keep their dtype and values', () => {
    const a = tg.tensor([-3, 1, 7], { dtype: 'int32' });
    const c = tg.clamp(a, 0, 5);
    expect(c.dtype).toBe('int32');
    same(c.toArray() as number[], [0, 1, 5]);
    const b = tg.tensor([-2, NaN, 3], { dtype: 'float64' });
    b.clamp_(0, 1);
    same(b.toArray() as number[], [0, NaN, 1]);
  });
});

describe('elu at NaN (PyTorch 1.13)', () => {
  it('the gradient at a NaN input is 1 (identity branch); alpha at 0', () => {
    for (const [alpha, want] of [
      [1, [1, Math.exp(-1), 1, 1]],
      [2, [1, 2 * Math.exp(-1), 2, 1]],
    ] as const) {
      const x = tg.tensor([NaN, -1, 0, 1], { dtype: 'float64', requiresGrad: true });
      const y = tg.nn.F.elu(x, { alpha });
      y.sum().backward();
      same((y.toArray() as number[]).slice(0, 1), [NaN]);
      (x.grad!.toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 14));
    }
  });
});

describe('softmax and logSoftmax reject integer inputs (PyTorch 1.13)', () => {
  // torch.softmax(torch.tensor([1, 2, 3], dtype=torch.int32), 0): RuntimeError
  // "softmax_lastdim_kernel_impl" not implemented for 'Int' (also Long, Bool); with dtype=float32
  // it gives [0.0900, 0.2447, 0.6652].
  for (const op of ['softmax', 'logSoftmax'] as const) {
    it(`${op} of int32 and bool tensors: DTypeError naming the op; dtype converts first`, () => {
      for (const dtype of ['int32', 'bool'] as const) {
        const x = tg.tensor(dtype === 'bool' ? [1, 0, 1] : [1, 2, 3], { dtype });
        expect(() => tg[op](x, 0)).toThrow(tg.DTypeError);
        expect(() => tg[op](x, 0)).toThrow(new RegExp(`^${op}: .*${dtype}`));
        expect(() => x[op](0)).toThrow(tg.DTypeError);
      }
      const y = tg[op](tg.tensor([1, 2, 3], { dtype: 'int32' }), 0, 'float32').toArray() as number[];
      const want = op === 'softmax' ? [0.09003057, 0.24472847, 0.66524096] : [-2.40760596, -1.40760596, -0.40760596];
      y.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    });
  }
});
