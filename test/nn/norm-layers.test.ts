import { describe, expect, it } from 'vitest';
import { Generator, ValueError, autograd, nn, tensor } from '../../src/index.js';
import { rnd, flat, expectClose } from './helpers.js';

describe('BatchNorm layers', () => {
  it('BatchNorm1d: two training steps update the running stats as computed by hand; eval differs from train', () => {
    const bn = new nn.BatchNorm1d(2).double();
    // Step 1: channel 0 = [1, 3, 5], channel 1 = [2, 2, 8]: means [3, 4], biased vars [8/3, 8], unbiased [4, 12].
    const x1 = tensor(
      [
        [1, 2],
        [3, 2],
        [5, 8],
      ],
      { dtype: 'float64' },
    );
    const y1 = bn.call(x1);
    expectClose(
      y1,
      [-2, -2, 0, -2, 2, 4].map((d, i) => d / Math.sqrt((i % 2 === 0 ? 8 / 3 : 8) + 1e-5)),
    );
    expectClose(bn.runningMean!, [0.3, 0.4]);
    expectClose(bn.runningVar!, [0.9 + 0.4, 0.9 + 1.2]);
    // Step 2: channel 0 = [0, 0, 3] (mean 1, unbiased var 3), channel 1 = [1, 1, 1] (mean 1, var 0).
    bn.call(
      tensor(
        [
          [0, 1],
          [0, 1],
          [3, 1],
        ],
        { dtype: 'float64' },
      ),
    );
    expectClose(bn.runningMean!, [0.9 * 0.3 + 0.1, 0.9 * 0.4 + 0.1]);
    expectClose(bn.runningVar!, [0.9 * 1.3 + 0.3, 0.9 * 2.1]);
    expect(bn.numBatchesTracked!.item()).toBe(2);
    bn.eval();
    const rm = flat(bn.runningMean!);
    const rv = flat(bn.runningVar!);
    const ye = bn.call(x1);
    expectClose(
      ye,
      flat(x1).map((v, i) => (v - rm[i % 2]!) / Math.sqrt(rv[i % 2]! + 1e-5)),
    );
    expect(flat(ye)).not.toEqual(flat(y1));
    expectClose(bn.runningMean!, rm); // eval does not update
    expect(bn.numBatchesTracked!.item()).toBe(2);
  });

  it('momentum null uses a cumulative average; trackRunningStats false always uses batch statistics', () => {
    const bn = new nn.BatchNorm1d(1, { momentum: null, affine: false }).double();
    bn.call(tensor([[1], [3]], { dtype: 'float64' })); // factor 1: mean 2
    bn.call(tensor([[5], [9]], { dtype: 'float64' })); // factor 1/2: (2 + 7) / 2
    expectClose(bn.runningMean!, [4.5]);
    expectClose(bn.runningVar!, [(2 + 8) / 2]);
    const free = new nn.BatchNorm2d(2, { trackRunningStats: false }).double();
    expect(free.runningMean).toBeNull();
    expect(Object.keys(free.stateDict())).toEqual(['weight', 'bias']);
    free.eval();
    const x = rnd([3, 2, 2, 2], new Generator(1));
    const y = flat(free.call(x));
    // Batch statistics even in eval: every channel has mean 0 and (biased) variance ~1.
    for (let c = 0; c < 2; c++) {
      const vals = y.filter((_, i) => Math.floor(i / 4) % 2 === c);
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(Math.abs(vals.reduce((a, b) => a + b * b, 0) / vals.length - 1)).toBeLessThan(1e-4);
    }
  });

  it('state dict, dtype conversion, reset, gradcheck over input and parameters', () => {
    const bn = new nn.BatchNorm2d(2);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    bn.double();
    expect(bn.runningVar!.dtype).toBe('float64');
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    const g = new Generator(2);
    bn.weight!.data = rnd([2], g);
    bn.bias!.data = rnd([2], g);
    const x = rnd([2, 2, 2, 2], g, { requiresGrad: true });
    expect(autograd.gradcheck((a) => bn.call(a), [x, ...bn.parameters()])).toBe(true);
    bn.eval();
    expect(autograd.gradcheck((a) => bn.call(a), [x, ...bn.parameters()])).toBe(true);
    bn.resetRunningStats();
    expect(flat(bn.runningMean!)).toEqual([0, 0]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });

  it('errors name the layer and the shapes', () => {
    expect(() => new nn.BatchNorm2d(3).call(rnd([2, 4, 2, 2], new Generator(0), { dtype: 'float32' }))).toThrow(
      /BatchNorm2d\(3\): expected 3 channels at dim 1, got input of shape \[2, 4, 2, 2\]/,
    );
    expect(() => new nn.BatchNorm2d(3).call(rnd([2, 3, 2], new Generator(0), { dtype: 'float32' }))).toThrow(
      /BatchNorm2d: expected a 4-d input, got shape \[2, 3, 2\]/,
    );
    expect(() => new nn.BatchNorm1d(3).call(rnd([1, 3], new Generator(0), { dtype: 'float32' }))).toThrow(
      /expected more than 1 value per channel when training/,
    );
    expect(() => new nn.BatchNorm1d(0)).toThrow(ValueError);
  });
});

describe('LayerNorm, GroupNorm, RMSNorm layers', () => {
  it('LayerNorm: parameters, forward vs the direct formula, gradcheck', () => {
    const ln = new nn.LayerNorm([2, 3]).double();
    expect(ln.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight', [2, 3]],
      ['bias', [2, 3]],
    ]);
    const g = new Generator(3);
    ln.weight!.data = rnd([2, 3], g);
    ln.bias!.data = rnd([2, 3], g);
    const x = rnd([2, 2, 3], g, { requiresGrad: true });
    const w = flat(ln.weight!),
      b = flat(ln.bias!),
      xv = flat(x);
    const ref: number[] = [];
    for (let s = 0; s < 2; s++) {
      const run = xv.slice(s * 6, s * 6 + 6);
      const m = run.reduce((a, c) => a + c, 0) / 6;
      const v = run.reduce((a, c) => a + (c - m) ** 2, 0) / 6;
      run.forEach((e, i) => ref.push(((e - m) / Math.sqrt(v + 1e-5)) * w[i]! + b[i]!));
    }
    expectClose(ln.call(x), ref);
    expect(autograd.gradcheck((a) => ln.call(a), [x, ...ln.parameters()])).toBe(true);
    expect(new nn.LayerNorm(4, { bias: false }).bias).toBeNull();
    expect(new nn.LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
    expect(() => ln.call(rnd([2, 3, 2], g))).toThrow(/layerNorm: expected an input whose last dims are \[2, 3\]/);
  });

  it('GroupNorm and RMSNorm: gradcheck over parameters and errors', () => {
    const g = new Generator(4);
    const gn = new nn.GroupNorm(2, 4).double();
    gn.weight!.data = rnd([4], g);
    const x = rnd([2, 4, 2], g, { requiresGrad: true });
    expect(autograd.gradcheck((a) => gn.call(a), [x, ...gn.parameters()])).toBe(true);
    expect(() => gn.call(rnd([2, 3, 2], g))).toThrow(/GroupNorm\(2, 4\): expected input \[N, 4, \.\.\.\], got \[2, 3, 2\]/);
    expect(() => new nn.GroupNorm(3, 4)).toThrow(/GroupNorm: numChannels 4 must be divisible by numGroups 3/);
    const rms = new nn.RMSNorm(2).double();
    rms.weight!.data = rnd([2], g);
    const y = rnd([3, 2], g, { requiresGrad: true });
    expect(autograd.gradcheck((a) => rms.call(a), [y, ...rms.parameters()])).toBe(true);
    const w = flat(rms.weight!);
    const yv = flat(y);
    expectClose(
      rms.call(y),
      yv.map((e, i) => {
        const row = Math.floor(i / 2);
        const ms = (yv[2 * row]! ** 2 + yv[2 * row + 1]! ** 2) / 2;
        return (e / Math.sqrt(ms + 2.220446049250313e-16)) * w[i % 2]!;
      }),
    );
  });
});
