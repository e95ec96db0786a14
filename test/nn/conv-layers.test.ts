import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, ValueError, Tensor, autograd, nn, noGrad, tensor, zeros } from '../../src/index.js';
import { conv1d, conv2d, convTranspose2d } from '../../src/nn/functional/conv.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../../src/nn/functional/pool.js';
import { rnd, flat, expectClose } from './helpers.js';

describe('Conv layers', () => {
  it('Conv2d: parameter shapes, PyTorch init bounds, forward = functional conv2d', () => {
    const g = new Generator(1);
    const conv = new nn.Conv2d(4, 6, [3, 2], { stride: 2, padding: 1, dilation: [1, 2], groups: 2, generator: g });
    expect(conv.weight.shape).toEqual([6, 2, 3, 2]);
    expect(conv.bias!.shape).toEqual([6]);
    // kaimingUniform(a=√5): bound = gain·√(3/fanIn) with gain = √(2/(1+5)) → 1/√fanIn; fanIn = 2·3·2 = 12.
    const bound = 1 / Math.sqrt(12);
    const w = flat(conv.weight);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    expect(Math.max(...flat(conv.bias!).map(Math.abs))).toBeLessThanOrEqual(bound);
    const x = rnd([2, 4, 5, 6], g, { dtype: 'float32' });
    const y = conv.call(x);
    expectClose(y, flat(conv2d(x, conv.weight, conv.bias, { stride: 2, padding: 1, dilation: [1, 2], groups: 2 })), 1e-6);
    expect(conv.toString()).toBe('Conv2d(4, 6, kernelSize=[3, 2], stride=[2, 2], padding=[1, 1], dilation=[1, 2], groups=2, bias=true)');
  });

  it('gradcheck Conv2d (same padding), Conv1d and ConvTranspose2d over input and parameters', () => {
    const g = new Generator(2);
    const c2 = new nn.Conv2d(2, 2, 2, { padding: 'same', generator: g }).double();
    const x2 = rnd([1, 2, 3, 3], g, { requiresGrad: true });
    expect(autograd.gradcheck((x) => c2.call(x), [x2, ...c2.parameters()])).toBe(true);
    const c1 = new nn.Conv1d(2, 3, 3, { stride: 2, padding: 1, generator: g }).double();
    const x1 = rnd([2, 2, 5], g, { requiresGrad: true });
    expect(autograd.gradcheck((x) => c1.call(x), [x1, ...c1.parameters()])).toBe(true);
    const ct = new nn.ConvTranspose2d(2, 2, 2, { stride: 2, groups: 2, generator: g }).double();
    const xt = rnd([1, 2, 2, 2], g, { requiresGrad: true });
    expect(ct.weight.shape).toEqual([2, 1, 2, 2]);
    expect(autograd.gradcheck((x) => ct.call(x), [xt, ...ct.parameters()])).toBe(true);
  });

  it('Conv1d and ConvTranspose2d forwards equal the functional ops; ConvTranspose2d init uses fanIn = outChannels/groups·k', () => {
    const g = new Generator(3);
    const c1 = new nn.Conv1d(3, 2, 2, { padding: 'same', bias: false, generator: g });
    const x1 = rnd([2, 3, 6], g, { dtype: 'float32' });
    expect(c1.bias).toBeNull();
    expectClose(c1.call(x1), flat(conv1d(x1, c1.weight, null, { padding: 'same' })), 1e-6);
    const ct = new nn.ConvTranspose2d(3, 4, 3, { stride: 2, outputPadding: 1, generator: g });
    const xt = rnd([1, 3, 3, 3], g, { dtype: 'float32' });
    const yt = ct.call(xt);
    expect(yt.shape).toEqual([1, 4, 8, 8]);
    expectClose(yt, flat(convTranspose2d(xt, ct.weight, ct.bias, { stride: 2, outputPadding: 1 })), 1e-6);
    expect(Math.max(...flat(ct.bias!).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(4 * 9));
  });

  it('errors name the layer and the shapes', () => {
    const conv = new nn.Conv2d(3, 4, 3);
    expect(() => conv.call(zeros([1, 2, 5, 5]))).toThrow(
      /Conv2d: expected the input to have 3 channels \(weight \[4, 3, 3, 3\], groups 1\), but got 2 channels \(input \[1, 2, 5, 5\]\)/,
    );
    expect(() => conv.call(zeros([1, 3, 2, 5]))).toThrow(
      /Conv2d: the kernel \(size 3, dilation 1, so 3 wide\) is larger than the padded input height 2 \(input \[1, 3, 2, 5\]/,
    );
    expect(() => conv.call(zeros([3, 5]))).toThrow(ShapeError);
    expect(() => new nn.Conv1d(4, 3, 2).call(zeros([1, 3, 5]))).toThrow(
      /Conv1d: expected the input to have 4 channels \(weight \[3, 4, 2\], groups 1\), but got 3 channels \(input \[1, 3, 5\]\)/,
    );
    expect(() => new nn.ConvTranspose2d(2, 2, 2).call(zeros([1, 3, 2, 2]))).toThrow(
      /ConvTranspose2d: expected the input to have 2 channels/,
    );
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: inChannels 3 must be divisible by groups 2/);
    expect(() => new nn.Conv2d(3, 4, 0)).toThrow(ValueError);
    expect(() => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 'same' })).toThrow(
      /padding 'same' is not supported for strided convolutions/,
    );
  });
});

describe('Pool layers', () => {
  it('forward equals the functional ops and the stride defaults to the kernel', () => {
    const g = new Generator(4);
    const x = rnd([2, 3, 7, 6], g);
    expectClose(
      new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }).call(x),
      flat(maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true })),
    );
    expect(new nn.MaxPool2d(2).call(x).shape).toEqual([2, 3, 3, 3]);
    expectClose(
      new nn.AvgPool2d(2, { countIncludePad: false, padding: 1 }).call(x),
      flat(avgPool2d(x, 2, { countIncludePad: false, padding: 1 })),
    );
    expectClose(new nn.AdaptiveAvgPool2d([2, null]).call(x), flat(adaptiveAvgPool2d(x, [2, null])));
    expect(new nn.AdaptiveAvgPool2d([2, null]).call(x).shape).toEqual([2, 3, 2, 6]);
    expect(new nn.MaxPool2d(2).toString()).toBe(
      'MaxPool2d(kernelSize=[2, 2], stride=[2, 2], padding=[0, 0], dilation=[1, 1], ceilMode=false)',
    );
    expect(new nn.MaxPool2d(2).parameters()).toEqual([]);
  });

  it('errors', () => {
    expect(() => new nn.MaxPool2d(0)).toThrow(ValueError);
    expect(() => new nn.AvgPool2d(4).call(zeros([1, 1, 3, 3]))).toThrow(
      /avgPool2d: the window \(size 4, dilation 1, so 4 wide\) is larger than the padded input height 3/,
    );
    expect(() => new nn.AdaptiveAvgPool2d(0)).toThrow(ValueError);
  });
});

/** 8x8 images with a bright horizontal (class 0) or vertical (class 1) bar at a random position, plus noise. */
function bars(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const data = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const at = 1 + Math.floor(g.random() * 6);
    labels[i] = cls;
    for (let p = 0; p < 64; p++) data[i * 64 + p] = 0.2 * (g.random() - 0.5);
    for (let t = 0; t < 8; t++) data[i * 64 + (cls === 0 ? at * 8 + t : t * 8 + at)]! += 1;
  }
  return { x: tensor(data).reshape([n, 1, 8, 8]), y: tensor(labels) };
}

describe('CNN end to end', () => {
  it('a small CNN separates horizontal from vertical bars (cross-entropy below 0.05)', () => {
    const g = new Generator(5);
    const net = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1, generator: g }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(4, 4, 3, { padding: 'same', generator: g }),
      new nn.ReLU(),
      new nn.AdaptiveAvgPool2d(1),
      new nn.Flatten(),
      new nn.Linear(4, 2, { generator: g }),
    );
    const { x, y } = bars(32, g);
    const ps = net.parameters();
    const m = ps.map((p) => zeros(p.shape));
    const v = ps.map((p) => zeros(p.shape));
    let loss = Infinity;
    for (let step = 1; step <= 120; step++) {
      const l = nn.F.crossEntropy(net.call(x), y);
      loss = l.item();
      net.zeroGrad();
      l.backward();
      noGrad(() =>
        ps.forEach((p, i) => {
          m[i] = m[i]!.mul(0.9).add(p.grad!.mul(0.1));
          v[i] = v[i]!.mul(0.999).add(p.grad!.mul(p.grad!).mul(0.001));
          p.sub_(
            m[i]
              .div(1 - 0.9 ** step)
              .div(
                v[i]
                  .div(1 - 0.999 ** step)
                  .sqrt()
                  .add(1e-8),
              )
              .mul(0.03),
          );
        }),
      );
    }
    expect(loss).toBeLessThan(0.05);
    const test = bars(16, new Generator(99));
    const pred = net.call(test.x).argmax(1);
    expect(flat(pred)).toEqual(flat(test.y));
  });
});
