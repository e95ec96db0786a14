// Each nn layer type, exported and run in ONNX Runtime, against tapegrad's own eval-mode output.
import { afterAll, describe, it } from 'vitest';
import { manualSeed, nn, noGrad, randint, randn, type Tensor } from '../../src/index.js';
import { checkInOrt, seen } from './ort.js';

afterAll(() => console.log('max abs differences (layers):', JSON.stringify(seen)));

/** Runs a few training-mode batches so the running statistics are not the defaults. */
function warmUp(m: nn.Module, shape: number[]): void {
  m.train();
  noGrad(() => {
    for (let i = 0; i < 3; i++) (m as nn.Module<[Tensor], Tensor>).call(randn(shape).mul(2).add(1));
  });
  m.eval();
}

describe('layers in ONNX Runtime', () => {
  it('Conv1d and Conv2d (stride, padding, dilation, groups, same)', async () => {
    manualSeed(10);
    await checkInOrt('Conv1d', new nn.Conv1d(4, 6, 3, { stride: 2, padding: 1 }), [randn([2, 4, 11])]);
    await checkInOrt('Conv1d same', new nn.Conv1d(4, 4, 4, { padding: 'same', dilation: 2, groups: 2 }), [randn([2, 4, 9])]);
    await checkInOrt('Conv2d', new nn.Conv2d(3, 8, 3, { stride: [1, 2], padding: [1, 0], dilation: [2, 1] }), [randn([2, 3, 10, 9])]);
    await checkInOrt('Conv2d groups same', new nn.Conv2d(4, 8, [2, 3], { padding: 'same', groups: 4, bias: false }), [randn([1, 4, 6, 7])]);
    await checkInOrt('Conv2d unbatched', new nn.Conv2d(2, 3, 3), [randn([2, 6, 6])]);
  });

  it('ConvTranspose2d', async () => {
    manualSeed(11);
    await checkInOrt('ConvTranspose2d', new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }), [
      randn([2, 4, 5, 6]),
    ]);
    await checkInOrt('ConvTranspose2d groups dilation', new nn.ConvTranspose2d(4, 6, [2, 3], { groups: 2, dilation: [2, 1] }), [
      randn([1, 4, 4, 4]),
    ]);
  });

  it('MaxPool2d, AvgPool2d, AdaptiveAvgPool2d', async () => {
    manualSeed(12);
    const x = randn([2, 3, 9, 8]);
    await checkInOrt('MaxPool2d', new nn.MaxPool2d(2), [x]);
    await checkInOrt('MaxPool2d padded', new nn.MaxPool2d(3, { stride: 2, padding: 1, dilation: 1 }), [x]);
    await checkInOrt('AvgPool2d', new nn.AvgPool2d(3, { stride: 2, padding: 1 }), [x]);
    await checkInOrt('AvgPool2d no pad count', new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), [x]);
    await checkInOrt('AdaptiveAvgPool2d(1)', new nn.AdaptiveAvgPool2d(1), [x]);
    await checkInOrt('AdaptiveAvgPool2d([3, 4])', new nn.AdaptiveAvgPool2d([3, 4]), [x]);
    // These have no single ONNX pool with PyTorch's numbers and are traced through their primitives.
    await checkInOrt('MaxPool2d ceilMode', new nn.MaxPool2d(2, { ceilMode: true }), [randn([2, 3, 7, 9])]);
    await checkInOrt('AvgPool2d ceilMode', new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [randn([2, 3, 8, 6])]);
    await checkInOrt('AvgPool2d divisorOverride', new nn.AvgPool2d(2, { divisorOverride: 3 }), [x]);
    await checkInOrt('AdaptiveAvgPool2d([4, 5]) of 9×8', new nn.AdaptiveAvgPool2d([4, 5]), [x]);
  });

  it('BatchNorm1d and BatchNorm2d in eval mode', async () => {
    manualSeed(13);
    const bn1 = new nn.BatchNorm1d(5);
    warmUp(bn1, [8, 5]);
    await checkInOrt('BatchNorm1d', bn1, [randn([4, 5])]);
    const bn1l = new nn.BatchNorm1d(5, { affine: false });
    warmUp(bn1l, [8, 5, 6]);
    await checkInOrt('BatchNorm1d 3-d no affine', bn1l, [randn([4, 5, 6])]);
    const bn2 = new nn.BatchNorm2d(3);
    warmUp(bn2, [4, 3, 5, 5]);
    noGrad(() => {
      bn2.weight!.copy_(randn([3]));
      bn2.bias!.copy_(randn([3]));
    });
    await checkInOrt('BatchNorm2d', bn2, [randn([2, 3, 5, 5])]);
    await checkInOrt('BatchNorm2d without running statistics', new nn.BatchNorm2d(3, { trackRunningStats: false }), [randn([2, 3, 4, 4])]);
  });

  it('LayerNorm and GroupNorm', async () => {
    manualSeed(14);
    const ln = new nn.LayerNorm([4, 6]);
    noGrad(() => {
      ln.weight!.copy_(randn([4, 6]));
      ln.bias!.copy_(randn([4, 6]));
    });
    await checkInOrt('LayerNorm', ln, [randn([3, 4, 6])]);
    await checkInOrt('LayerNorm no affine', new nn.LayerNorm(6, { elementwiseAffine: false }), [randn([2, 5, 6])]);
    const gn = new nn.GroupNorm(2, 6);
    noGrad(() => {
      gn.weight!.copy_(randn([6]));
      gn.bias!.copy_(randn([6]));
    });
    await checkInOrt('GroupNorm', gn, [randn([3, 6, 4, 4])]);
  });

  it('Embedding (with paddingIdx) as Gather', async () => {
    manualSeed(15);
    await checkInOrt('Embedding', new nn.Embedding(10, 4), [randint(0, 10, [3, 5])]);
    await checkInOrt('Embedding paddingIdx', new nn.Embedding(10, 4, { paddingIdx: 0 }), [randint(0, 10, [7])]);
  });

  it('activations, Softmax/LogSoftmax, Flatten, Dropout in eval mode', async () => {
    manualSeed(16);
    const x = randn([4, 7]).mul(3);
    const acts: [string, nn.Module][] = [
      ['ReLU', new nn.ReLU()],
      ['Sigmoid', new nn.Sigmoid()],
      ['Tanh', new nn.Tanh()],
      ['LeakyReLU', new nn.LeakyReLU(0.2)],
      ['ELU', new nn.ELU(0.7)],
      ['GELU', new nn.GELU()],
      ['GELU tanh', new nn.GELU({ approximate: 'tanh' })],
      ['SiLU', new nn.SiLU()],
      ['Softplus', new nn.Softplus({ beta: 2, threshold: 5 })],
      ['Mish', new nn.Mish()],
      ['Hardtanh', new nn.Hardtanh(-0.5, 2)],
      ['Softmax', new nn.Softmax(0)],
      ['LogSoftmax', new nn.LogSoftmax(1)],
      ['Dropout', new nn.Dropout(0.5)],
    ];
    for (const [label, m] of acts) await checkInOrt(label, m, [x]);
    await checkInOrt('Flatten', new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 2)), [randn([3, 3, 4])]);
    await checkInOrt('Unflatten', new nn.Unflatten(1, [3, 4]), [randn([2, 12])]);
    await checkInOrt('Heaviside', new nn.Heaviside(0.5), [x.sign().mul(x.abs().gt(1))]);
  });

  it('RMSNorm and Bilinear (traced through their primitives)', async () => {
    manualSeed(17);
    await checkInOrt('RMSNorm', new nn.RMSNorm(6), [randn([3, 6])]);
    await checkInOrt('Bilinear', new nn.Bilinear(3, 4, 2), [randn([5, 3]), randn([5, 4])]);
  });
});
