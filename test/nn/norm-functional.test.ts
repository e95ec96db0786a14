import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, DTypeError, tensor, zeros, ones, autograd } from '../../src/index.js';
import { batchNorm, groupNorm, layerNorm, rmsNorm } from '../../src/nn/functional/norm.js';
import { expectClose as close, flat, rndSeed as rnd } from './helpers.js';

/** Normalises `groups` of `size` consecutive values (stride 1) in a flat array, float64. */
function normaliseRuns(x: number[], size: number, eps: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < x.length; s += size) {
    const run = x.slice(s, s + size);
    const m = run.reduce((a, b) => a + b, 0) / size;
    const v = run.reduce((a, b) => a + (b - m) ** 2, 0) / size;
    for (const e of run) out.push((e - m) / Math.sqrt(v + eps));
  }
  return out;
}

describe('batchNorm', () => {
  it('training normalises per channel with the biased variance; eval uses the running stats', () => {
    // x: N=2, C=2, L=2. Channel 0 values 1, 3, 5, 7 (mean 4, biased var 5); channel 1: 0, 0, 2, 2 (mean 1, var 1).
    const x = tensor(
      [
        [
          [1, 3],
          [0, 0],
        ],
        [
          [5, 7],
          [2, 2],
        ],
      ],
      { dtype: 'float64' },
    );
    const rm = zeros([2], { dtype: 'float64' });
    const rv = ones([2], { dtype: 'float64' });
    const w = tensor([2, 1], { dtype: 'float64' });
    const b = tensor([0, 10], { dtype: 'float64' });
    const y = batchNorm(x, rm, rv, { weight: w, bias: b, training: true, eps: 0 });
    const s5 = Math.sqrt(5);
    close(flat(y), [(2 * -3) / s5, (2 * -1) / s5, 9, 9, (2 * 1) / s5, (2 * 3) / s5, 11, 11]);
    // Running stats after one step: mean 0.9·0 + 0.1·[4, 1]; var 0.9·1 + 0.1·unbiased [20/3, 4/3].
    close(flat(rm), [0.4, 0.1]);
    close(flat(rv), [0.9 + (0.1 * 20) / 3, 0.9 + (0.1 * 4) / 3]);
    // Second step with x + 1: batch mean [5, 2], same variances.
    batchNorm(x.add(1), rm, rv, { training: true, momentum: 0.5 });
    close(flat(rm), [0.5 * 0.4 + 0.5 * 5, 0.5 * 0.1 + 0.5 * 2]);
    close(flat(rv), [0.5 * (0.9 + (0.1 * 20) / 3) + (0.5 * 20) / 3, 0.5 * (0.9 + (0.1 * 4) / 3) + (0.5 * 4) / 3]);
    // Eval uses running stats, so a different result from training mode on the same input.
    const m = flat(rm);
    const v = flat(rv);
    const ye = batchNorm(x, rm, rv, { eps: 1e-5 });
    const xv = flat(x);
    close(
      flat(ye),
      xv.map((e, i) => {
        const c = Math.floor(i / 2) % 2;
        return (e - m[c]!) / Math.sqrt(v[c]! + 1e-5);
      }),
    );
    close(flat(rm), m); // eval leaves the stats alone
  });

  it('works on 4-d input and without running stats; gradcheck over input, weight, bias', () => {
    const x = rnd([3, 2, 2, 2], 1, true);
    const w = rnd([2], 2, true);
    const b = rnd([2], 3, true);
    expect(autograd.gradcheck((a, g, c) => batchNorm(a, null, null, { weight: g, bias: c, training: true }), [x, w, b])).toBe(true);
    expect(autograd.gradgradcheck((a) => batchNorm(a, null, null, { training: true }), [rnd([3, 2, 2], 4, true)])).toBe(true);
    const rm = rnd([2], 5);
    const rv = rnd([2], 6).abs().add(0.5);
    expect(autograd.gradcheck((a, g) => batchNorm(a, rm, rv, { weight: g }), [x, w])).toBe(true);
  });

  it('errors', () => {
    expect(() => batchNorm(rnd([1, 3], 1), null, null, { training: true })).toThrow(
      /batchNorm: expected more than 1 value per channel when training, got input of shape \[1, 3\]/,
    );
    expect(() => batchNorm(rnd([2, 3], 1), zeros([4], { dtype: 'float64' }), null, { training: true })).toThrow(
      /batchNorm: runningMean must have shape \[3\], got \[4\]/,
    );
    expect(() => batchNorm(rnd([2, 3], 1), null, null)).toThrow(ValueError);
    expect(() => batchNorm(rnd([2, 3], 1), zeros([3]), ones([3]))).toThrow(DTypeError);
    expect(() => batchNorm(rnd([3], 1), null, null, { training: true })).toThrow(ShapeError);
  });
});

describe('layerNorm', () => {
  it('matches the direct formula over the last dims', () => {
    const x = rnd([2, 3, 4], 7);
    const w = rnd([3, 4], 8);
    const b = rnd([3, 4], 9);
    const y = layerNorm(x, [3, 4], { weight: w, bias: b });
    const wv = flat(w);
    const bv = flat(b);
    close(
      flat(y),
      normaliseRuns(flat(x), 12, 1e-5).map((e, i) => e * wv[i % 12]! + bv[i % 12]!),
    );
    close(flat(layerNorm(x, 4, { eps: 0.1 })), normaliseRuns(flat(x), 4, 0.1));
  });

  it('gradcheck, gradgradcheck, errors', () => {
    const x = rnd([2, 3], 10, true);
    const w = rnd([3], 11, true);
    const b = rnd([3], 12, true);
    expect(autograd.gradcheck((a, g, c) => layerNorm(a, [3], { weight: g, bias: c }), [x, w, b])).toBe(true);
    expect(autograd.gradgradcheck((a) => layerNorm(a, 3), [x])).toBe(true);
    expect(() => layerNorm(rnd([2, 3], 1), [4])).toThrow(
      /layerNorm: expected an input whose last dims are \[4\] \(normalizedShape\), got \[2, 3\]/,
    );
    expect(() => layerNorm(rnd([2, 3], 1), [3], { weight: rnd([2], 1) })).toThrow(/layerNorm: weight must have shape \[3\], got \[2\]/);
    expect(() => layerNorm(rnd([2, 3], 1), [])).toThrow(ValueError);
  });
});

describe('groupNorm', () => {
  it('normalises each (sample, group) over its channels and positions', () => {
    const x = rnd([2, 4, 3], 13);
    const w = rnd([4], 14);
    const b = rnd([4], 15);
    const y = groupNorm(x, 2, { weight: w, bias: b, eps: 1e-3 });
    // Groups are runs of 2 channels × 3 positions = 6 consecutive values.
    const wv = flat(w);
    const bv = flat(b);
    close(
      flat(y),
      normaliseRuns(flat(x), 6, 1e-3).map((e, i) => {
        const c = Math.floor(i / 3) % 4;
        return e * wv[c]! + bv[c]!;
      }),
    );
  });

  it('gradcheck and errors', () => {
    const x = rnd([1, 4, 2], 16, true);
    const w = rnd([4], 17, true);
    expect(autograd.gradcheck((a, g) => groupNorm(a, 2, { weight: g }), [x, w])).toBe(true);
    expect(() => groupNorm(rnd([1, 4, 2], 1), 3)).toThrow(/groupNorm: numGroups 3 must be a positive integer dividing the 4 channels/);
  });
});

describe('rmsNorm', () => {
  it('matches x / sqrt(mean(x^2) + eps) * weight, with the dtype epsilon by default', () => {
    const x = tensor(
      [
        [3, 4],
        [1, -1],
      ],
      { dtype: 'float64' },
    );
    const w = tensor([1, 2], { dtype: 'float64' });
    const r0 = Math.sqrt(12.5 + 2.220446049250313e-16);
    close(flat(rmsNorm(x, [2], { weight: w })), [3 / r0, 8 / r0, 1, -2]);
    close(flat(rmsNorm(x, 2, { eps: 0.5 })), [3 / Math.sqrt(13), 4 / Math.sqrt(13), 1 / Math.sqrt(1.5), -1 / Math.sqrt(1.5)]);
    const x32 = tensor([[1e-4, 0]]);
    // float32 default eps = 2^-23 matters for tiny inputs: mean square 5e-9.
    close(flat(rmsNorm(x32, 2)), [1e-4 / Math.sqrt(5e-9 + 2 ** -23), 0], 1e-5);
  });

  it('gradcheck and errors', () => {
    const x = rnd([2, 3], 18, true);
    const w = rnd([3], 19, true);
    expect(autograd.gradcheck((a, g) => rmsNorm(a, [3], { weight: g }), [x, w])).toBe(true);
    expect(() => rmsNorm(x, [2])).toThrow(ShapeError);
    expect(() => rmsNorm(x, [3], { eps: -1 })).toThrow(ValueError);
  });
});
