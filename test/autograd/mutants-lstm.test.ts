// The fused LSTM recurrence (prims/lstm.ts, kernels/lstm-cell.ts), for the mutation run: the
// forward against the LSTM equations written here in float64, and every input's gradient (the
// kernel backward and the createGraph one) against central differences of that reference, over
// several shapes, both directions, strided inputs, float32, and inputs that need no gradient.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { lstmSequence } from '../../src/autograd/ops/lstm.js';
import { flatten, numericGrad as numericGradOf, RNN_CASES as cases, values } from './rnn-reference.js';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** [T + 1, N, H] from flat gis [T, N, 4H], w [4H, H], h0 and c0 [N, H] (gate order i, f, g, o). */
function reference(gis: number[], w: number[], h0: number[], c0: number[], t: number, n: number, hs: number, reverse: boolean): number[] {
  const out = new Array<number>((t + 1) * n * hs).fill(0);
  let h = h0.slice();
  let c = c0.slice();
  for (let k = 0; k < t; k++) {
    const s = reverse ? t - 1 - k : k;
    const h2: number[] = [];
    const c2: number[] = [];
    for (let b = 0; b < n; b++) {
      const pre = (gate: number, j: number): number => {
        const row = gate * hs + j;
        let v = gis[(s * n + b) * 4 * hs + row]!;
        for (let q = 0; q < hs; q++) v += h[b * hs + q]! * w[row * hs + q]!;
        return v;
      };
      for (let j = 0; j < hs; j++) {
        const cv = sig(pre(1, j)) * c[b * hs + j]! + sig(pre(0, j)) * Math.tanh(pre(2, j));
        c2.push(cv);
        h2.push(sig(pre(3, j)) * Math.tanh(cv));
      }
    }
    h = h2;
    c = c2;
    for (let q = 0; q < n * hs; q++) out[s * n * hs + q] = h[q]!;
  }
  for (let q = 0; q < n * hs; q++) out[t * n * hs + q] = c[q]!;
  return out;
}

const numericGrad = (inputs: number[][], which: number, u: number[], dims: [number, number, number], reverse: boolean): number[] =>
  numericGradOf((xs, d, rev) => reference(xs[0]!, xs[1]!, xs[2]!, xs[3]!, ...d, rev), inputs, which, u, dims, reverse);

describe('lstmSequence against the LSTM equations', () => {
  for (const [t, n, h, reverse] of cases) {
    for (const createGraph of [false, true]) {
      it(`T ${t}, N ${n}, H ${h}, ${reverse ? 'reverse' : 'forward'}${createGraph ? ', createGraph' : ''}: output and every gradient`, () => {
        const raw = [values(t * n * 4 * h, 1, 1.5), values(4 * h * h, 2, 0.8), values(n * h, 3, 0.7), values(n * h, 4, 0.9)];
        const u = values((t + 1) * n * h, 5, 1.1);
        const shapes = [
          [t, n, 4 * h],
          [4 * h, h],
          [n, h],
          [n, h],
        ];
        const leaves = raw.map((v, i) => tg.tensor(v, { dtype: 'float64' }).reshape(shapes[i]!).requiresGrad_(true));
        const out = lstmSequence(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!, reverse);
        expect(out.shape).toEqual([t + 1, n, h]);
        const want = reference(raw[0]!, raw[1]!, raw[2]!, raw[3]!, t, n, h, reverse);
        flatten(out).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
        const grads = tg.autograd.grad(out, leaves, {
          gradOutputs: [tg.tensor(u, { dtype: 'float64' }).reshape([t + 1, n, h])],
          createGraph,
        });
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
    const raw = [values(t * n * 4 * h, 6, 1.2), values(4 * h * h, 7, 0.8), values(n * h, 8, 0.6), values(n * h, 9, 0.9)];
    const u = values((t + 1) * n * h, 10, 1);
    // Each input is the transpose of a contiguous tensor holding the transposed values.
    const gisT = tg
      .tensor(raw[0]!, { dtype: 'float64' })
      .reshape([t, n, 4 * h])
      .transpose(0, 2)
      .contiguous()
      .detach()
      .requiresGrad_(true);
    const wT = tg
      .tensor(raw[1]!, { dtype: 'float64' })
      .reshape([4 * h, h])
      .transpose(0, 1)
      .contiguous()
      .detach()
      .requiresGrad_(true);
    const h0T = tg.tensor(raw[2]!, { dtype: 'float64' }).reshape([n, h]).transpose(0, 1).contiguous().detach().requiresGrad_(true);
    const c0T = tg.tensor(raw[3]!, { dtype: 'float64' }).reshape([n, h]).transpose(0, 1).contiguous().detach().requiresGrad_(true);
    const out = lstmSequence(gisT.transpose(0, 2), wT.transpose(0, 1), h0T.transpose(0, 1), c0T.transpose(0, 1), false);
    const want = reference(raw[0]!, raw[1]!, raw[2]!, raw[3]!, t, n, h, false);
    flatten(out).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    const grads = tg.autograd.grad(out, [gisT, wT, h0T, c0T], { gradOutputs: [tg.tensor(u, { dtype: 'float64' }).reshape([t + 1, n, h])] });
    const back = [grads[0]!.transpose(0, 2), grads[1]!.transpose(0, 1), grads[2]!.transpose(0, 1), grads[3]!.transpose(0, 1)];
    for (let which = 0; which < 4; which++) {
      const expected = numericGrad(raw, which, u, [t, n, h], false);
      flatten(back[which]!).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-7));
    }
  });

  it('float32 inputs (the float32 activation kernels) agree with the float64 equations', () => {
    for (const reverse of [false, true]) {
      const [t, n, h] = [3, 2, 3];
      const raw = [values(t * n * 4 * h, 11, 1.5), values(4 * h * h, 12, 0.8), values(n * h, 13, 0.7), values(n * h, 14, 0.9)];
      const u = values((t + 1) * n * h, 15, 1);
      const shapes = [
        [t, n, 4 * h],
        [4 * h, h],
        [n, h],
        [n, h],
      ];
      // The float64 reference runs on the float32-rounded inputs.
      const rounded = raw.map((v) => v.map(Math.fround));
      const leaves = rounded.map((v, i) => tg.tensor(v, { dtype: 'float32' }).reshape(shapes[i]!).requiresGrad_(true));
      const out = lstmSequence(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!, reverse);
      expect(out.dtype).toBe('float32');
      const want = reference(rounded[0]!, rounded[1]!, rounded[2]!, rounded[3]!, t, n, h, reverse);
      flatten(out).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(2e-6));
      const grads = tg.autograd.grad(out, leaves, {
        gradOutputs: [tg.tensor(u.map(Math.fround), { dtype: 'float32' }).reshape([t + 1, n, h])],
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
      const raw = [values(t * n * 4 * h, 16, 1.3), values(4 * h * h, 17, 0.9), values(n * h, 18, 0.7), values(n * h, 19, 0.8)];
      const u = values((t + 1) * n * h, 20, 1);
      const shapes = [
        [t, n, 4 * h],
        [4 * h, h],
        [n, h],
        [n, h],
      ];
      const expected = [0, 1, 2, 3].map((which) => numericGrad(raw, which, u, [t, n, h], true));
      for (let mask = 1; mask < 16; mask++) {
        const leaves = raw.map((v, i) =>
          tg
            .tensor(v, { dtype: 'float64' })
            .reshape(shapes[i]!)
            .requiresGrad_((mask & (1 << i)) !== 0),
        );
        const out = lstmSequence(leaves[0]!, leaves[1]!, leaves[2]!, leaves[3]!, true);
        out.backward(tg.tensor(u, { dtype: 'float64' }).reshape([t + 1, n, h]), { createGraph });
        for (let which = 0; which < 4; which++) {
          const g = leaves[which]!.grad;
          if ((mask & (1 << which)) === 0) expect(g).toBeNull();
          else flatten(g!).forEach((v, i) => expect(Math.abs(v - expected[which]![i]!)).toBeLessThan(1e-7));
        }
      }
    });
  }

  it('zero time steps: the output is the initial cell state and only c0 gets a gradient', () => {
    const c0 = tg.tensor([[0.3, -0.4]], { dtype: 'float64', requiresGrad: true });
    const h0 = tg.tensor([[0.5, 0.2]], { dtype: 'float64', requiresGrad: true });
    const gis = tg.zeros([0, 1, 8], { dtype: 'float64', requiresGrad: true });
    const w = tg.zeros([8, 2], { dtype: 'float64', requiresGrad: true });
    const out = lstmSequence(gis, w, h0, c0, false);
    expect(out.toArray()).toEqual([[[0.3, -0.4]]]);
    out.backward(tg.tensor([[[2, 3]]], { dtype: 'float64' }));
    expect(c0.grad!.toArray()).toEqual([[2, 3]]);
    expect(h0.grad!.toArray()).toEqual([[0, 0]]);
    expect(w.grad!.toArray()).toEqual(Array.from({ length: 8 }, () => [0, 0]));
    expect(gis.grad!.shape).toEqual([0, 1, 8]);
  });

  it('zero time steps with two rows and two units: the output is c0 (row-major), its gradient the upstream one', () => {
    const c0 = tg.tensor(
      [
        [0.3, -0.4],
        [0.7, 0.1],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const h0 = tg.tensor(
      [
        [0.5, 0.2],
        [-0.6, 0.9],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const out = lstmSequence(tg.zeros([0, 2, 8], { dtype: 'float64' }), tg.zeros([8, 2], { dtype: 'float64' }), h0, c0, true);
    expect(out.toArray()).toEqual([
      [
        [0.3, -0.4],
        [0.7, 0.1],
      ],
    ]);
    out.backward(
      tg.tensor(
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(c0.grad!.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(h0.grad!.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  for (const [n, h] of [
    [0, 2],
    [2, 0],
  ] as const) {
    it(`an empty batch or hidden size (N ${n}, H ${h}): empty output, zero weight gradient`, () => {
      const gis = tg.ones([3, n, 4 * h], { dtype: 'float64', requiresGrad: true });
      const w = tg.ones([4 * h, h], { dtype: 'float64', requiresGrad: true });
      const h0 = tg.ones([n, h], { dtype: 'float64', requiresGrad: true });
      const c0 = tg.ones([n, h], { dtype: 'float64', requiresGrad: true });
      const out = lstmSequence(gis, w, h0, c0, false);
      expect(out.shape).toEqual([4, n, h]);
      out.sum().backward();
      expect(w.grad!.shape).toEqual([4 * h, h]);
      expect(flatten(w.grad!).every((v) => v === 0)).toBe(true);
      expect([gis.grad!.shape, h0.grad!.shape, c0.grad!.shape]).toEqual([
        [3, n, 4 * h],
        [n, h],
        [n, h],
      ]);
    });
  }
});
