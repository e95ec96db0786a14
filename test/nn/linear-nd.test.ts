// nn.functional.linear on inputs with several leading dims (multiplied as one [rows, in] matrix):
// output and the gradients of input, weight and bias against naive float64 loops, for a contiguous
// and a permuted (non-contiguous) input; gradcheck for the first and second derivatives.
import { describe, expect, it } from 'vitest';
import { autograd, nn, tensor, type Tensor } from '../../src/index.js';

const vals = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + seed) + 0.05 * seed);

function close(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(expected[i]!)));
}

describe('linear with several leading dims', () => {
  const [A, B, I, O] = [2, 3, 4, 5];
  const wv = vals(O * I, 1),
    bv = vals(O, 2),
    cv = vals(A * B * O, 3);

  for (const layout of ['contiguous', 'permuted'] as const) {
    it(`[${A}, ${B}, ${I}] input (${layout}): output and input/weight/bias gradients match loops`, () => {
      // xv is the logical [A, B, I] input, row-major.
      const xv = vals(A * B * I, 4);
      let x: Tensor;
      let leafGrad: () => number[];
      if (layout === 'contiguous') {
        x = tensor(xv, { dtype: 'float64' }).reshape([A, B, I]).detach().requiresGrad_();
        leafGrad = () => Array.from(x.grad!.dataSync());
      } else {
        // Stored as [B, A, I], viewed as [A, B, I] through a permute.
        const stored: number[] = [];
        for (let b = 0; b < B; b++) for (let a = 0; a < A; a++) for (let i = 0; i < I; i++) stored.push(xv[(a * B + b) * I + i]!);
        const leaf = tensor(stored, { dtype: 'float64' }).reshape([B, A, I]).detach().requiresGrad_();
        x = leaf.permute(1, 0, 2);
        leafGrad = () => Array.from(leaf.grad!.permute(1, 0, 2).contiguous().dataSync());
      }
      const w = tensor(wv, { dtype: 'float64' }).reshape([O, I]).detach().requiresGrad_();
      const bias = tensor(bv, { dtype: 'float64', requiresGrad: true });
      const y = nn.F.linear(x, w, bias);
      expect(y.shape).toEqual([A, B, O]);
      y.mul(tensor(cv, { dtype: 'float64' }).reshape([A, B, O]))
        .sum()
        .backward();
      const R = A * B;
      const yRef: number[] = [],
        gx: number[] = [],
        gw: number[] = [],
        gb: number[] = [];
      for (let r = 0; r < R; r++)
        for (let o = 0; o < O; o++) {
          let s = bv[o]!;
          for (let i = 0; i < I; i++) s += xv[r * I + i]! * wv[o * I + i]!;
          yRef.push(s);
        }
      for (let r = 0; r < R; r++)
        for (let i = 0; i < I; i++) {
          let s = 0;
          for (let o = 0; o < O; o++) s += cv[r * O + o]! * wv[o * I + i]!;
          gx.push(s);
        }
      for (let o = 0; o < O; o++)
        for (let i = 0; i < I; i++) {
          let s = 0;
          for (let r = 0; r < R; r++) s += cv[r * O + o]! * xv[r * I + i]!;
          gw.push(s);
        }
      for (let o = 0; o < O; o++) {
        let s = 0;
        for (let r = 0; r < R; r++) s += cv[r * O + o]!;
        gb.push(s);
      }
      close(y.dataSync(), yRef);
      close(leafGrad(), gx);
      close(w.grad!.dataSync(), gw);
      close(bias.grad!.dataSync(), gb);
    });
  }

  it('4-d input, no bias: gradcheck and gradgradcheck', () => {
    const x = tensor(vals(2 * 2 * 3 * 4, 5), { dtype: 'float64' })
      .reshape([2, 2, 3, 4])
      .detach()
      .requiresGrad_();
    const w = tensor(vals(3 * 4, 6), { dtype: 'float64' })
      .reshape([3, 4])
      .detach()
      .requiresGrad_();
    expect(autograd.gradcheck((p, q) => nn.F.linear(p, q), [x, w])).toBe(true);
    expect(autograd.gradgradcheck((p, q) => nn.F.linear(p, q), [x, w])).toBe(true);
  });

  it('an input with a zero-size leading dim gives an empty output of the right shape', () => {
    const y = nn.F.linear(tensor([], { dtype: 'float64' }).reshape([0, 3, 4]), tensor(vals(8, 7), { dtype: 'float64' }).reshape([2, 4]));
    expect(y.shape).toEqual([0, 3, 2]);
  });
});
