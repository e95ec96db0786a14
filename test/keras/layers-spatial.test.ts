// Keras image layers: Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D and Reshape,
// checked against float64 loop references of Keras' NHWC semantics ('same' padding with the odd
// row/column at the bottom/right, padded positions ignored by pooling).
import { describe, expect, it } from 'vitest';
import { keras, manualSeed, ones, randn, tensor, type Tensor } from '../../src/index.js';
import { conv2dRef, maxDiff, poolRef, type Img } from './reference.js';

const nested = (t: Tensor) => t.toArray() as Img;

describe('Conv2D', () => {
  const cases = [
    { kernelSize: 3, strides: 1, padding: 'valid', dilationRate: 1, size: [6, 5] },
    { kernelSize: 3, strides: 1, padding: 'same', dilationRate: 1, size: [6, 5] },
    { kernelSize: 2, strides: 1, padding: 'same', dilationRate: 1, size: [5, 5] }, // asymmetric pad
    { kernelSize: [3, 2], strides: 2, padding: 'same', dilationRate: 1, size: [7, 6] }, // strided same
    { kernelSize: 2, strides: [2, 1], padding: 'valid', dilationRate: 1, size: [7, 6] },
    { kernelSize: 2, strides: 1, padding: 'same', dilationRate: 2, size: [6, 6] },
  ] as const;
  for (const c of cases) {
    it(`matches the NHWC loop reference: ${JSON.stringify(c)}`, () => {
      manualSeed(3);
      const layer = new keras.Conv2D(4, c.kernelSize, {
        strides: c.strides,
        padding: c.padding,
        dilationRate: c.dilationRate,
        inputShape: [c.size[0], c.size[1], 3],
      });
      const x = randn([2, c.size[0], c.size[1], 3]);
      const model = new keras.Sequential([layer]);
      const [kernel, bias] = model.getWeights();
      // a non-zero bias, so its layout is checked too
      model.setWeights([kernel!, randn([4])]);
      const [k, b] = model.getWeights();
      const pair = (v: number | readonly number[]) => (typeof v === 'number' ? [v, v] : v) as [number, number];
      const want = conv2dRef(nested(x), k!.toArray() as Img, b!.toArray() as number[], pair(c.strides), pair(c.dilationRate), c.padding);
      const got = layer.call(x);
      expect(got.shape).toEqual([2, ...layer.computeOutputShape([c.size[0], c.size[1], 3])]);
      expect(maxDiff(nested(got), want)).toBeLessThan(1e-4);
      expect(bias!.shape).toEqual([4]);
    });
  }

  it('channels_first gives the channels_last result transposed', () => {
    manualSeed(4);
    const last = new keras.Conv2D(5, 3, { padding: 'same', strides: 2, inputShape: [7, 6, 2] });
    const first = new keras.Conv2D(5, 3, { padding: 'same', strides: 2, dataFormat: 'channels_first', inputShape: [2, 7, 6] });
    const a = new keras.Sequential([last]);
    const b = new keras.Sequential([first]);
    b.setWeights(a.getWeights());
    const x = randn([3, 7, 6, 2]);
    const yLast = last.call(x);
    const yFirst = first.call(x.permute([0, 3, 1, 2]));
    expect(yFirst.shape).toEqual([3, 5, 4, 3]);
    expect(maxDiff(yFirst.permute([0, 2, 3, 1]).toArray(), yLast.toArray())).toBeLessThan(1e-5);
  });

  it('lets gradients flow: d(sum)/d(bias) is the number of output positions', () => {
    const layer = new keras.Conv2D(2, 3, { padding: 'same', strides: 2, activation: 'linear', inputShape: [5, 5, 1] });
    const x = randn([2, 5, 5, 1], { requiresGrad: true });
    layer.call(x).sum().backward();
    expect(layer.conv!.bias!.grad!.toArray()).toEqual([18, 18]); // 2 samples × 3 × 3 positions
    expect(x.grad!.abs().sum().item()).toBeGreaterThan(0);
  });

  it('draws a Glorot-uniform kernel with Keras fans (receptive field × channels) and a zero bias', () => {
    manualSeed(5);
    const model = new keras.Sequential([new keras.Conv2D(16, 5, { inputShape: [8, 8, 8] })]);
    const [k, b] = model.getWeights();
    const limit = Math.sqrt(6 / (25 * 8 + 25 * 16));
    expect(k!.shape).toEqual([5, 5, 8, 16]);
    expect(k!.abs().max().item()).toBeLessThanOrEqual(limit);
    expect(k!.abs().max().item()).toBeGreaterThan(0.9 * limit);
    expect(b!.abs().max().item()).toBe(0);
  });

  it('applies its activation and reports wrong inputs', () => {
    const layer = new keras.Conv2D(2, 1, { activation: 'relu', inputShape: [3, 3, 2] });
    expect(
      layer
        .call(randn([4, 3, 3, 2]))
        .min()
        .item(),
    ).toBeGreaterThanOrEqual(0);
    expect(() => layer.call(randn([4, 2, 3, 3]))).toThrow(/Conv2D.*\[batch, height, width, 2\]/);
    expect(() => new keras.Conv2D(2, 5, { inputShape: [3, 3, 1] })).toThrow(/smaller than the window/);
    expect(() => new keras.Conv2D({ filters: 2 } as never)).toThrow(/kernelSize is required/);
    expect(() => new keras.Conv2D(2, 3, { padding: 'full' as never })).toThrow(/padding/);
  });
});

describe('pooling', () => {
  const img = () => {
    manualSeed(6);
    return randn([2, 5, 7, 3]);
  };
  for (const padding of ['valid', 'same'] as const) {
    for (const [pool, strides] of [
      [2, undefined],
      [3, 2],
      [[2, 3], 1],
    ] as const) {
      it(`MaxPooling2D and AveragePooling2D match the loop reference (pool ${JSON.stringify(pool)}, strides ${String(strides)}, ${padding})`, () => {
        const x = img();
        const p: [number, number] = typeof pool === 'number' ? [pool, pool] : [pool[0], pool[1]];
        const s: [number, number] = strides === undefined ? p : [strides, strides];
        const max = new keras.MaxPooling2D(pool, { strides, padding });
        const avg = new keras.AveragePooling2D(pool, { strides, padding });
        expect(maxDiff(max.call(x).toArray(), poolRef(nested(x), p, s, padding, 'max'))).toBeLessThan(1e-6);
        expect(maxDiff(avg.call(x).toArray(), poolRef(nested(x), p, s, padding, 'avg'))).toBeLessThan(1e-6);
        expect(max.call(x).shape.slice(1)).toEqual(max.computeOutputShape([5, 7, 3]));
      });
    }
  }

  it('defaults to pool 2 with strides 2 and agrees across data formats', () => {
    const x = img();
    const a = new keras.MaxPooling2D().call(x);
    const b = new keras.MaxPooling2D({ dataFormat: 'channels_first' }).call(x.permute([0, 3, 1, 2]));
    expect(a.shape).toEqual([2, 2, 3, 3]);
    expect(maxDiff(b.permute([0, 2, 3, 1]).toArray(), a.toArray())).toBe(0);
    const c = new keras.AveragePooling2D(2, { padding: 'same' }).call(x);
    const d = new keras.AveragePooling2D(2, { padding: 'same', dataFormat: 'channels_first' }).call(x.permute([0, 3, 1, 2]));
    expect(maxDiff(d.permute([0, 2, 3, 1]).toArray(), c.toArray())).toBeLessThan(1e-6);
  });

  it('passes gradients: max pooling routes one unit per output, average pooling spreads it', () => {
    const x = randn([1, 4, 4, 2], { requiresGrad: true });
    new keras.MaxPooling2D().call(x).sum().backward();
    expect(x.grad!.sum().item()).toBe(8);
    const y = ones([1, 3, 3, 1], { requiresGrad: true });
    new keras.AveragePooling2D(2, { padding: 'same' }).call(y).sum().backward();
    // windows: [0,1]x[0,1] (4 cells), [0,1]x[2] (2), [2]x[0,1] (2), [2]x[2] (1)
    expect(y.grad!.reshape([9]).toArray()).toEqual([0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1].map((v) => v));
  });

  it('GlobalAveragePooling2D averages each channel over height and width', () => {
    const x = tensor([
      [
        [
          [1, 10],
          [2, 20],
        ],
        [
          [3, 30],
          [4, 40],
        ],
      ],
    ]); // [1, 2, 2, 2]
    expect(new keras.GlobalAveragePooling2D().call(x).toArray()).toEqual([[2.5, 25]]);
    expect(new keras.GlobalAveragePooling2D({ keepdims: true }).call(x).shape).toEqual([1, 1, 1, 2]);
    // channels_first reads dim 1 as channels: the same tensor has channels [1,10,2,20] and [3,30,4,40]
    expect(new keras.GlobalAveragePooling2D({ dataFormat: 'channels_first' }).call(x).toArray()).toEqual([
      [(1 + 10 + 2 + 20) / 4, (3 + 30 + 4 + 40) / 4],
    ]);
    const g = randn([2, 3, 3, 4], { requiresGrad: true });
    new keras.GlobalAveragePooling2D().call(g).sum().backward();
    expect(g.grad!.max().item()).toBeCloseTo(1 / 9, 6);
  });
});

describe('Reshape', () => {
  it('reshapes each sample, inferring one -1', () => {
    const x = tensor([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12],
    ]);
    expect(new keras.Reshape([3, 2]).call(x).toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
    const r = new keras.Reshape({ targetShape: [-1, 3] });
    expect(r.call(x).shape).toEqual([2, 2, 3]);
    expect(r.computeOutputShape([6])).toEqual([2, 3]);
    expect(() => new keras.Reshape([4, 2]).call(x)).toThrow(/cannot reshape samples of shape \[6\]/);
    expect(() => new keras.Reshape([-1, -1])).toThrow(/at most one -1/);
  });
});
