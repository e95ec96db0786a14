// The functional convolutions, pools, unfold and fold: traced through the sliding-window
// primitives (Pad + Gather for unfold, ScatterElements for fold) and run in ONNX Runtime.
import { afterAll, describe, it } from 'vitest';
import { manualSeed, nn, randn, type Tensor } from '../../src/index.js';
import { checkInOrt, seen } from './ort.js';

afterAll(() => console.log('max abs differences (functional):', JSON.stringify(seen)));

/** A module whose forward is `fn` of its input and its parameters. */
function fnModule(fn: (x: Tensor, p: Tensor[]) => Tensor, params: Tensor[] = []): nn.Module {
  class Fn extends nn.Module<[Tensor], Tensor> {
    ps = params.map((t) => new nn.Parameter(t));
    forward(x: Tensor): Tensor {
      return fn(x, this.ps);
    }
  }
  return new Fn();
}

describe('functional sliding-window ops in ONNX Runtime', () => {
  it('F.conv2d, F.conv1d, F.convTranspose2d', async () => {
    manualSeed(60);
    await checkInOrt(
      'F.conv2d',
      fnModule(
        (x, [w, b]) => nn.F.conv2d(x, w!, b, { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }),
        [randn([6, 2, 3, 3]), randn([6])],
      ),
      [randn([2, 4, 9, 8])],
    );
    await checkInOrt(
      'F.conv1d',
      fnModule((x, [w]) => nn.F.conv1d(x, w!, null, { padding: 'same' }), [randn([3, 2, 4])]),
      [randn([2, 2, 7])],
    );
    await checkInOrt(
      'F.convTranspose2d',
      fnModule(
        (x, [w, b]) => nn.F.convTranspose2d(x, w!, b, { stride: 2, padding: 1, outputPadding: 1, dilation: [1, 2] }),
        [randn([3, 2, 3, 3]), randn([2])],
      ),
      [randn([2, 3, 4, 5])],
    );
  });

  it('F.maxPool2d, F.avgPool2d', async () => {
    manualSeed(61);
    const x = randn([2, 3, 7, 9]);
    await checkInOrt(
      'F.maxPool2d',
      fnModule((t) => nn.F.maxPool2d(t, 3, { stride: 2, padding: 1, dilation: [1, 2] })),
      [x],
    );
    await checkInOrt(
      'F.maxPool2d ceil',
      fnModule((t) => nn.F.maxPool2d(t, 2, { ceilMode: true })),
      [x],
    );
    await checkInOrt(
      'F.avgPool2d',
      fnModule((t) => nn.F.avgPool2d(t, [3, 2], { stride: 2, padding: 1, countIncludePad: false })),
      [x],
    );
    await checkInOrt(
      'F.avgPool2d divisorOverride',
      fnModule((t) => nn.F.avgPool2d(t, 2, { divisorOverride: 3 })),
      [x],
    );
  });

  it('F.unfold and F.fold', async () => {
    manualSeed(62);
    await checkInOrt(
      'F.unfold',
      fnModule((t) => nn.F.unfold(t, [2, 3], { stride: [1, 2], padding: 1, dilation: [2, 1] })),
      [randn([2, 3, 6, 7])],
    );
    await checkInOrt(
      'F.fold',
      fnModule((t) => nn.F.fold(t, [5, 6], [2, 2], { padding: 1 })),
      [randn([2, 3 * 4, 6 * 7])],
    );
  });

  it('dynamic batch through unfold and fold', async () => {
    manualSeed(63);
    const m = fnModule(
      (x, [w]) => nn.F.convTranspose2d(nn.F.maxPool2d(nn.F.conv2d(x, w!, null, { padding: 1 }).relu(), 2), w!, null, { stride: 2 }),
      [randn([4, 2, 3, 3])],
    );
    for (const n of [1, 4])
      await checkInOrt(`functional dynamic batch ${n}`, m, [randn([2, 2, 8, 8])], { dynamicBatch: true }, [randn([n, 2, 8, 8])]);
  });
});

describe('functional layer norm in ONNX Runtime', () => {
  it('F.layerNorm over one and two trailing dims, with and without γ and β', async () => {
    manualSeed(63);
    const x = randn([2, 3, 4]);
    await checkInOrt(
      'F.layerNorm affine',
      fnModule((t, [w, b]) => nn.F.layerNorm(t, [4], { weight: w!, bias: b! }), [randn([4]), randn([4])]),
      [x],
    );
    await checkInOrt(
      'F.layerNorm two dims, weight only',
      fnModule((t, [w]) => nn.F.layerNorm(t, [3, 4], { weight: w!, eps: 0.1 }), [randn([3, 4])]),
      [x],
    );
    await checkInOrt(
      'F.layerNorm plain',
      fnModule((t) => nn.F.layerNorm(t, [3, 4])),
      [x],
    );
    await checkInOrt(
      'F.layerNorm bias only over [1]',
      fnModule((t, [b]) => nn.F.layerNorm(t, [1], { bias: b! }), [randn([1])]),
      [randn([2, 3, 1])],
    );
  });
});
