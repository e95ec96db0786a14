// The fused GRU recurrence (prims/gru.ts, kernels/gru-cell.ts), for the mutation run: the forward
// against the GRU equations written here in float64 (PyTorch's form: r multiplies W_hn·h + b_hn),
// and every input's gradient (the kernel backward and the createGraph one) against central
// differences of that reference, over several shapes, both directions, strided inputs, float32,
// and inputs that need no gradient.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { gruSequence } from '../../src/autograd/ops/gru.js';
import { flatten, numericGrad as numericGradOf, RNN_CASES as cases, values } from './rnn-reference.js';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** [T, N, H] from flat gis [T, N, 3H], w [3H, H], b [3H], h0 [N, H] (gate order r, z, n). */
function reference(gis: number[], w: number[], b: number[], h0: number[], t: number, n: number, hs: number, reverse: boolean): number[] {
  const out = new Array<number>(t * n * hs).fill(0);
  let h = h0.slice();
  for (let k = 0; k < t; k++) {
    const s = reverse ? t - 1 - k : k;
    const h2: number[] = [];
    for (let bi = 0; bi < n; bi++) {
      const hh = (row: number): number => {
        let v = b[row]!;
        for (let q = 0; q < hs; q++) v += h[bi * hs + q]! * w[row * hs + q]!;
        return v;
      };
      const gi = (row: number): number => gis[(s * n + bi) * 3 * hs + row]!;
      for (let j = 0; j < hs; j++) {
        const r = sig(gi(j) + hh(j));
        const z = sig(gi(hs + j) + hh(hs + j));
        const nv = Math.tanh(gi(2 * hs + j) + r * hh(2 * hs + j));
        h2.push((1 - z) * nv + z * h[bi * hs + j]!);
      }
    }
    h = h2;
    for (let q = 0; q < n * hs; q++) out[s * n * hs + q] = h[q]!;
  }
  return out;
}

const numericGrad = (inputs: number[][], which: number, u: number[], dims: [number, number, number], reverse: boolean): number[] =>
  numericGradOf((xs, d, rev) => reference(xs[0]!, xs[1]!, xs[2]!, xs[3]!, ...d, rev), inputs, which, u, dims, reverse);

describe('gruSequence against the GRU equations', () => {
  for (const [t, n, h, reverse] of cases) {
    for (const createGraph of [false, true]) {
      it(`T ${t}, N ${n}, H ${h}, ${reverse ? 'reverse' : 'forward'}${createGraph ? ', createGraph' : ''}: output and every gradient`, () => {
        const raw = [values(t * n * 3 * h, 1, 1.5), values(3 * h * h, 2, 0.8), values(3 * h, 3, 0.7), values(n * h, 4, 0.9)];
        const u = values(t * n * h, 5, 1.1);
        const shapes = [[t, n, 3 * h], [3 * h, h], [3 * h], [n, h]];
        const leaves = raw.map((v, i) => tg.tensor(v, { dtype: 'float64' }).reshape(shapes[i]!).requiresGrad_(true));
        const out = gruSequence(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!, reverse);
        expect(out.shape).toEqual([t, n, h]);
        const want = reference(raw[0]!, raw[1]!, raw[2]!, raw[3]!, t, n, h, reverse);
        flatten(out).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
        const grads = tg.autograd.grad(out, leaves, { gradOutputs: [tg.tensor(u, { dtype: 'float64' }).reshape([t, n, h])], createGraph });
        for (let which = 0; which < 4; which++) {
          const expected = numericGrad(raw, which, u, [t, n, h], reverse);
          const got = flatten(grads[which]!);
          expect(got.length).toBe(expected.length);
          got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-7));
        }
      });
    }
  }

  it('strided (transposed) inputs give the same output and gradients as contiguous ones', () => {
    const [t, n, h] = [2, 3, 2];
    const raw = [values(t * n * 3 * h, 6, 1.2), values(3 * h * h, 7, 0.8), values(3 * h, 8, 0.6), values(n * h, 9, 0.9)];
    const u = values(t * n * h, 10, 1);
    // The gate inputs, w and h0 are transposes of contiguous tensors; the bias takes every other element of a longer one.
    const gisT = tg
      .tensor(raw[0]!, { dtype: 'float64' })
      .reshape([t, n, 3 * h])
      .transpose(0, 2)
      .contiguous()
      .detach()
      .requiresGrad_(true);
    const wT = tg
      .tensor(raw[1]!, { dtype: 'float64' })
      .reshape([3 * h, h])
      .transpose(0, 1)
      .contiguous()
      .detach()
      .requiresGrad_(true);
    const bWide = tg
      .tensor(
        raw[2]!.flatMap((v) => [v, 99]),
        { dtype: 'float64' },
      )
      .requiresGrad_(true);
    const h0T = tg.tensor(raw[3]!, { dtype: 'float64' }).reshape([n, h]).transpose(0, 1).contiguous().detach().requiresGrad_(true);
    const out = gruSequence(gisT.transpose(0, 2), wT.transpose(0, 1), bWide.reshape([3 * h, 2]).select(1, 0), h0T.transpose(0, 1), false);
    const want = reference(raw[0]!, raw[1]!, raw[2]!, raw[3]!, t, n, h, false);
    flatten(out).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    const grads = tg.autograd.grad(out, [gisT, wT, bWide, h0T], { gradOutputs: [tg.tensor(u, { dtype: 'float64' }).reshape([t, n, h])] });
    const back = [
      grads[0]!.transpose(0, 2),
      grads[1]!.transpose(0, 1),
      grads[2]!.reshape([3 * h, 2]).select(1, 0),
      grads[3]!.transpose(0, 1),
    ];
    expect(
      grads[2]!
        .reshape([3 * h, 2])
        .select(1, 1)
        .toArray(),
    ).toEqual(new Array<number>(3 * h).fill(0));
    for (let which = 0; which < 4; which++) {
      const expected = numericGrad(raw, which, u, [t, n, h], false);
      flatten(back[which]!).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-7));
    }
  });

  it('float32 inputs (the float32 activation kernels) agree with the float64 equations', () => {
    for (const reverse of [false, true]) {
      const [t, n, h] = [3, 2, 3];
      const raw = [values(t * n * 3 * h, 11, 1.5), values(3 * h * h, 12, 0.8), values(3 * h, 13, 0.7), values(n * h, 14, 0.9)];
      const u = values(t * n * h, 15, 1);
      const shapes = [[t, n, 3 * h], [3 * h, h], [3 * h], [n, h]];
      // The float64 reference runs on the float32-rounded inputs.
      const rounded = raw.map((v) => v.map(Math.fround));
      const leaves = rounded.map((v, i) => tg.tensor(v, { dtype: 'float32' }).reshape(shapes[i]!).requiresGrad_(true));
      const out = gruSequence(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!, reverse);
      expect(out.dtype).toBe('float32');
      const want = reference(rounded[0]!, rounded[1]!, rounded[2]!, rounded[3]!, t, n, h, reverse);
      flatten(out).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(2e-6));
      const grads = tg.autograd.grad(out, leaves, {
        gradOutputs: [tg.tensor(u.map(Math.fround), { dtype: 'float32' }).reshape([t, n, h])],
      });
      for (let which = 0; which < 4; which++) {
        expect(grads[which]!.dtype).toBe('float32');
        const expected = numericGrad(rounded, which, u.map(Math.fround), [t, n, h], reverse);
        flatten(grads[which]!).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(2e-5));
      }
    }
  });

  for (const createGraph of [false, true]) {
    it(`each subset of inputs requiring grad${createGraph ? ' (createGraph)' : ''}: the others get null, the rest match`, () => {
      const [t, n, h] = [2, 2, 2];
      const raw = [values(t * n * 3 * h, 16, 1.3), values(3 * h * h, 17, 0.9), values(3 * h, 18, 0.7), values(n * h, 19, 0.8)];
      const u = values(t * n * h, 20, 1);
      const shapes = [[t, n, 3 * h], [3 * h, h], [3 * h], [n, h]];
      const expected = [0, 1, 2, 3].map((which) => numericGrad(raw, which, u, [t, n, h], true));
      for (let mask = 1; mask < 16; mask++) {
        const leaves = raw.map((v, i) =>
          tg
            .tensor(v, { dtype: 'float64' })
            .reshape(shapes[i]!)
            .requiresGrad_((mask & (1 << i)) !== 0),
        );
        const out = gruSequence(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!, true);
        out.backward(tg.tensor(u, { dtype: 'float64' }).reshape([t, n, h]), { createGraph });
        for (let which = 0; which < 4; which++) {
          const g = leaves[which]!.grad;
          if ((mask & (1 << which)) === 0) expect(g).toBeNull();
          else flatten(g!).forEach((v, i) => expect(Math.abs(v - expected[which]![i]!)).toBeLessThan(1e-7));
        }
      }
    });
  }

  it('zero time steps: an empty output, and zero gradients for the weights, the bias and h0', () => {
    const h0 = tg.tensor([[0.5, 0.2]], { dtype: 'float64', requiresGrad: true });
    const gis = tg.zeros([0, 1, 6], { dtype: 'float64', requiresGrad: true });
    const w = tg.ones([6, 2], { dtype: 'float64', requiresGrad: true });
    const b = tg.ones([6], { dtype: 'float64', requiresGrad: true });
    const out = gruSequence(gis, w, b, h0, false);
    expect(out.shape).toEqual([0, 1, 2]);
    out.sum().backward();
    expect(h0.grad!.toArray()).toEqual([[0, 0]]);
    expect(w.grad!.toArray()).toEqual(Array.from({ length: 6 }, () => [0, 0]));
    expect(b.grad!.toArray()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(gis.grad!.shape).toEqual([0, 1, 6]);
  });
});
