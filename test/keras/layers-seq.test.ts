// Keras normalisation, embedding, recurrent and input layers, checked against float64 references
// of Keras' formulas (BatchNormalization with epsilon 1e-3 and momentum 0.99, LSTM gates i, f, c, o,
// GRU reset_after with gates z, r, h) on the weights as getWeights() returns them in Keras' layout.
import { describe, expect, it } from 'vitest';
import {
  AutogradError,
  NotImplementedError,
  ShapeError,
  ValueError,
  keras,
  manualSeed,
  randn,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { gruRef, lstmRef, maxDiff } from './reference.js';

const rows = (t: Tensor) => t.toArray() as number[][];

describe('BatchNormalization', () => {
  it('normalises over every dim but the last with epsilon 1e-3, and moves its statistics by 1 - 0.99', () => {
    manualSeed(7);
    const bn = new keras.BatchNormalization({ inputShape: [3, 2] });
    const model = new keras.Sequential([bn]);
    model.setWeights([tensor([2, 0.5]), tensor([1, -1]), tensor([0, 0]), tensor([1, 1])]);
    const x = randn([4, 3, 2]).mul(3).add(1);
    const flat = x.reshape([12, 2]).toArray() as number[][];
    const mean = [0, 1].map((c) => flat.reduce((s, r) => s + r[c]!, 0) / 12);
    const varB = [0, 1].map((c) => flat.reduce((s, r) => s + (r[c]! - mean[c]!) ** 2, 0) / 12);
    const varU = varB.map((v) => (v * 12) / 11);
    bn.train();
    const y = bn.call(x).reshape([12, 2]).toArray() as number[][];
    const want = flat.map((r) => r.map((v, c) => ([2, 0.5][c]! * (v - mean[c]!)) / Math.sqrt(varB[c]! + 1e-3) + [1, -1][c]!));
    expect(maxDiff(y, want)).toBeLessThan(1e-4);
    const [, , movingMean, movingVar] = model.getWeights();
    expect(
      maxDiff(
        movingMean!.toArray(),
        mean.map((m) => 0.01 * m),
      ),
    ).toBeLessThan(1e-5);
    // PyTorch's running variance: the unbiased batch variance
    expect(
      maxDiff(
        movingVar!.toArray(),
        varU.map((v) => 0.99 + 0.01 * v),
      ),
    ).toBeLessThan(1e-5);
    bn.eval();
    const z = bn.call(x).reshape([12, 2]).toArray() as number[][];
    const mm = movingMean!.toArray() as number[];
    const mv = movingVar!.toArray() as number[];
    expect(
      maxDiff(
        z,
        flat.map((r) => r.map((v, c) => ([2, 0.5][c]! * (v - mm[c]!)) / Math.sqrt(mv[c]! + 1e-3) + [1, -1][c]!)),
      ),
    ).toBeLessThan(1e-4);
  });

  it('axis 1 on channels-first images equals axis -1 on the transposed images, and gradients flow', () => {
    manualSeed(8);
    const x = randn([3, 4, 4, 5]);
    const last = new keras.BatchNormalization();
    const first = new keras.BatchNormalization({ axis: 1 });
    const a = last.call(x);
    const b = first.call(x.permute([0, 3, 1, 2]));
    expect(maxDiff(b.permute([0, 2, 3, 1]).toArray(), a.toArray())).toBeLessThan(1e-5);
    const g = randn([6, 3], { requiresGrad: true });
    const layer = new keras.BatchNormalization();
    layer
      .call(g)
      .mul(tensor([1, 2, 3]))
      .sum()
      .backward();
    expect(layer.bn!.bias!.grad!.toArray()).toEqual([6, 12, 18]);
    expect(g.grad!.abs().sum().item()).toBeGreaterThan(0);
  });

  it('rejects what it cannot honour', () => {
    expect(() => new keras.BatchNormalization({ center: false })).toThrow(NotImplementedError);
    expect(() => new keras.BatchNormalization({ axis: 0, inputShape: [3] })).toThrow(ValueError);
    expect(() => new keras.BatchNormalization({ momentum: 1.5 })).toThrow(ValueError);
  });
});

describe('LayerNormalization', () => {
  it('normalises each sample over the last axis with epsilon 1e-3', () => {
    const x = tensor([
      [1, 2, 3, 6],
      [0, 0, 0, 1],
    ]);
    const y = rows(new keras.LayerNormalization().call(x));
    const want = (x.toArray() as number[][]).map((r) => {
      const m = r.reduce((a, b) => a + b, 0) / r.length;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
      return r.map((e) => (e - m) / Math.sqrt(v + 1e-3));
    });
    expect(maxDiff(y, want)).toBeLessThan(1e-5);
  });

  it('normalises over several trailing axes, flows gradients and rejects other axes', () => {
    const x = randn([2, 3, 4], { requiresGrad: true });
    const ln = new keras.LayerNormalization({ axis: [1, 2] });
    const y = ln.call(x);
    expect(Math.abs(y.select(0, 0).mean().item())).toBeLessThan(1e-5);
    y.mul(x.detach()).sum().backward();
    expect(x.grad!.abs().sum().item()).toBeGreaterThan(0);
    expect(ln.norm!.weight!.shape).toEqual([3, 4]);
    expect(() => new keras.LayerNormalization({ axis: 1, inputShape: [3, 4] })).toThrow(NotImplementedError);
  });
});

describe('Embedding', () => {
  it('looks up rows of its table, from int32 or integer-valued float indices', () => {
    manualSeed(9);
    const emb = new keras.Embedding(6, 3, { inputShape: [4] });
    const table = rows(new keras.Sequential([emb]).getWeights()[0]!);
    expect(table.flat().every((v) => Math.abs(v) <= 0.05)).toBe(true); // Keras' uniform(-0.05, 0.05)
    const idx = [
      [0, 5, 2, 2],
      [1, 1, 3, 4],
    ];
    const want = idx.map((r) => r.map((i) => table[i]!));
    expect(maxDiff(emb.call(tensor(idx, { dtype: 'int32' })).toArray(), want)).toBe(0);
    expect(maxDiff(emb.call(tensor(idx)).toArray(), want)).toBe(0);
    expect(() => emb.call(tensor([[0.5, 1, 1, 1]]))).toThrow(/non-integer/);
    expect(() => new keras.Embedding(6, 3, { maskZero: true })).toThrow(NotImplementedError);
  });

  it('trains inside a model fed int32 token ids', async () => {
    manualSeed(10);
    const x = tensor(
      [
        [1, 2],
        [3, 4],
        [1, 4],
        [3, 2],
      ],
      { dtype: 'int32' },
    );
    const y = tensor([0, 1, 0, 1], { dtype: 'int32' });
    const model = new keras.Sequential([
      keras.Input({ shape: [2], dtype: 'int32' }),
      new keras.Embedding(5, 4),
      new keras.Flatten(),
      new keras.Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 30, verbose: 0 });
    expect(model.evaluate(x, y)['accuracy']).toBe(1);
  });
});

describe('LSTM and GRU', () => {
  const xs = () => {
    manualSeed(11);
    return randn([2, 5, 3]);
  };

  it("LSTM follows Keras' formulas on its Keras-layout weights (gates i, f, c, o; one bias)", () => {
    const lstm = new keras.LSTM(4, { returnSequences: true, inputShape: [5, 3] });
    const model = new keras.Sequential([lstm]);
    const [kernel, recurrent, bias] = model.getWeights();
    expect([kernel!.shape, recurrent!.shape, bias!.shape]).toEqual([[3, 16], [4, 16], [16]]);
    // Keras' initial bias: zeros with the forget gate at 1 (unit_forget_bias)
    expect(bias!.toArray()).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    model.setWeights([kernel!, recurrent!, randn([16])]);
    const [k, r, b] = model.getWeights();
    const x = xs();
    const got = lstm.call(x).toArray() as number[][][];
    const inputs = x.toArray() as number[][][];
    for (let n = 0; n < 2; n++)
      expect(maxDiff(got[n], lstmRef(inputs[n]!, rows(k!), rows(r!), b!.toArray() as number[]))).toBeLessThan(1e-5);
    const last = new keras.LSTM(4);
    new keras.Sequential([last], {}).add(new keras.Dense(1)); // unbuilt: built on first call
    expect(last.call(x).shape).toEqual([2, 4]);
  });

  it("GRU (reset_after) follows Keras' formulas with gates z, r, h and a [2, 3·units] bias", () => {
    const gru = new keras.GRU(3, { inputShape: [5, 3] });
    const model = new keras.Sequential([gru]);
    const [kernel, recurrent, bias] = model.getWeights();
    expect([kernel!.shape, recurrent!.shape, bias!.shape]).toEqual([
      [3, 9],
      [3, 9],
      [2, 9],
    ]);
    model.setWeights([kernel!, recurrent!, randn([2, 9])]);
    const [k, r, b] = model.getWeights();
    const x = xs();
    const got = rows(gru.call(x));
    const inputs = x.toArray() as number[][][];
    for (let n = 0; n < 2; n++) expect(maxDiff(got[n], gruRef(inputs[n]!, rows(k!), rows(r!), rows(b!)).at(-1))).toBeLessThan(1e-5);
  });

  it('passes gradients to the inputs and every weight', () => {
    for (const layer of [new keras.LSTM(3, { inputShape: [4, 2] }), new keras.GRU(3, { inputShape: [4, 2] })]) {
      const x = randn([2, 4, 2], { requiresGrad: true });
      layer.call(x).sum().backward();
      expect(x.grad!.abs().sum().item()).toBeGreaterThan(0);
      for (const p of layer.parameters()) expect(p.grad).not.toBeNull();
    }
  });

  it('rejects the options it cannot honour with NotImplementedError', () => {
    expect(() => new keras.LSTM(3, { returnState: true })).toThrow(NotImplementedError);
    expect(() => new keras.GRU(3, { resetAfter: false })).toThrow(NotImplementedError);
    expect(() => new keras.LSTM(3, { activation: 'relu' as never })).toThrow(NotImplementedError);
    expect(() => new keras.LSTM(3, { dropout: 0.2 })).toThrow(NotImplementedError);
    expect(() => new keras.LSTM(3, { goBackwards: true })).toThrow(NotImplementedError);
    expect(() => new keras.GRU({ units: 3, unitForgetBias: true } as never)).toThrow(/LSTM option/);
    expect(() => new keras.LSTM(3, { inputShape: [4] })).toThrow(ShapeError);
    expect(NotImplementedError.prototype instanceof Error).toBe(true);
    expect(AutogradError).toBeDefined();
  });
});

describe('Input', () => {
  it("declares the first layer's input shape and is not listed as a layer", () => {
    const model = new keras.Sequential([keras.Input({ shape: [4] }), new keras.Dense(2)]);
    expect(model.built).toBe(true);
    expect(model.layers.length).toBe(1);
    expect(model.inputShape).toEqual([4]);
    expect(model.summary({ print: false })).not.toMatch(/InputLayer/);
    const again = new keras.Sequential();
    again.add(new keras.InputLayer({ batchShape: [null, 28, 28, 1] }));
    again.add(new keras.Conv2D(2, 3));
    expect(again.outputShape).toEqual([26, 26, 2]);
    expect(keras.Input([3, 2]).inputShape).toEqual([3, 2]);
  });

  it('must come first and agree with a declared inputShape', () => {
    const model = new keras.Sequential([new keras.Dense(2, { inputDim: 3 })]);
    expect(() => model.add(keras.Input({ shape: [2] }))).toThrow(/must come first/);
    expect(() => new keras.Sequential([keras.Input({ shape: [4] }), new keras.Dense(2, { inputDim: 3 })])).toThrow(ShapeError);
    expect(() => keras.Input({ batchShape: [8, 4] })).toThrow(NotImplementedError);
    expect(() => keras.Input({})).toThrow(/exactly one of shape/);
  });
});

describe('frozen BatchNormalization', () => {
  it('runs in inference mode (moving statistics, no updates) like Keras', () => {
    const bn = new keras.BatchNormalization({ trainable: false, inputShape: [2] });
    bn.train();
    const x = tensor([
      [1, 10],
      [3, 30],
    ]);
    // moving mean 0, variance 1: y = x / sqrt(1 + 1e-3)
    expect(
      maxDiff(
        bn.call(x).toArray(),
        [
          [1, 10],
          [3, 30],
        ].map((r) => r.map((v) => v / Math.sqrt(1.001))),
      ),
    ).toBeLessThan(1e-5);
    expect(bn.bn!.runningMean!.toArray()).toEqual([0, 0]);
    expect(bn.bn!.training).toBe(true);
  });
});
