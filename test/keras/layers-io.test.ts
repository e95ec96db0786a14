// Save/load of every new layer (config round trip and weights), getWeights/setWeights, and
// trainOnBatch/testOnBatch checked against hand-computed losses and SGD updates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentTypeError, ShapeError, ValueError, keras, manualSeed, randn, randint, tensor, type Tensor } from '../../src/index.js';
import { maxDiff } from './reference.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-keras-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Case = [string, () => keras.Layer[], number[], 'float' | 'int'];
const cases: Case[] = [
  ['Conv2D', () => [new keras.Conv2D(3, [3, 2], { strides: 2, padding: 'same', activation: 'relu', dilationRate: 1 })], [7, 6, 2], 'float'],
  ['Conv2D channels_first', () => [new keras.Conv2D(3, 3, { dataFormat: 'channels_first', useBias: false })], [2, 5, 5], 'float'],
  ['MaxPooling2D', () => [new keras.MaxPooling2D(3, { strides: 2, padding: 'same' })], [7, 6, 2], 'float'],
  ['AveragePooling2D', () => [new keras.AveragePooling2D([2, 3], { padding: 'same', dataFormat: 'channels_first' })], [2, 5, 5], 'float'],
  ['GlobalAveragePooling2D', () => [new keras.GlobalAveragePooling2D({ keepdims: true })], [4, 4, 3], 'float'],
  ['BatchNormalization', () => [new keras.BatchNormalization({ momentum: 0.9, epsilon: 0.01 })], [4, 4, 3], 'float'],
  ['LayerNormalization', () => [new keras.LayerNormalization({ axis: [-2, -1], center: false })], [4, 3], 'float'],
  ['Embedding', () => [new keras.Embedding(7, 3)], [5], 'int'],
  ['LSTM', () => [new keras.LSTM(4, { returnSequences: true, unitForgetBias: false })], [5, 3], 'float'],
  ['GRU', () => [new keras.GRU(4, { useBias: true })], [5, 3], 'float'],
  ['Reshape', () => [new keras.Reshape([-1, 2])], [3, 4], 'float'],
];

describe('save and load', () => {
  for (const [label, make, shape, kind] of cases) {
    it(`${label}: config round trip and weights`, () => {
      manualSeed(12);
      const model = new keras.Sequential([keras.Input({ shape }), ...make()]);
      // train-mode statistics so BatchNormalization's moving statistics are not the initial ones
      const x = kind === 'int' ? randint(0, 7, [4, ...shape], { dtype: 'int32' }) : randn([4, ...shape]);
      model.train();
      model.call(kind === 'int' ? x : x);
      model.eval();
      const path = join(dir, `${label.replace(/\s/g, '_')}.safetensors`);
      model.save(path);
      const loaded = keras.loadModel(path);
      expect(loaded.getConfig()).toEqual(model.getConfig());
      expect(loaded.layers[0]!.moduleName()).toBe(model.layers[0]!.moduleName());
      expect(loaded.outputShape).toEqual(model.outputShape);
      const a = model.getWeights();
      const b = loaded.getWeights();
      expect(b.length).toBe(a.length);
      a.forEach((w, i) => expect(maxDiff(b[i]!.toArray(), w.toArray())).toBe(0));
      expect(maxDiff(loaded.predict(x).toArray(), model.predict(x).toArray())).toBe(0);
      expect(keras.modelFromConfig(model.getConfig()).outputShape).toEqual(model.outputShape);
    });
  }

  it('summary shows each layer with its Keras output shape', () => {
    const model = new keras.Sequential([
      keras.Input({ shape: [28, 28, 1] }),
      new keras.Conv2D(8, 3, { padding: 'same', strides: 2 }),
      new keras.BatchNormalization(),
      new keras.MaxPooling2D(),
      new keras.GlobalAveragePooling2D(),
      new keras.Reshape([2, 4]),
      new keras.LSTM(5, { returnSequences: true }),
      new keras.GRU(3),
    ]);
    const text = model.summary({ print: false });
    for (const row of [
      /conv2d \(Conv2D\)\s+\(None, 14, 14, 8\)\s+80\b/,
      /batch_normalization \(BatchNormalization\)\s+\(None, 14, 14, 8\)\s+16\b/,
      /max_pooling2d \(MaxPooling2D\)\s+\(None, 7, 7, 8\)\s+0\b/,
      /global_average_pooling2d \(GlobalAveragePooling2D\)\s+\(None, 8\)/,
      /reshape \(Reshape\)\s+\(None, 2, 4\)/,
      // (4 + 5 + 1)·4·5 with PyTorch's two biases: 4·5·4 + 5·5·4 + 2·5·4
      /lstm \(LSTM\)\s+\(None, 2, 5\)\s+220\b/,
      /gru \(GRU\)\s+\(None, 3\)\s+90\b/,
    ])
      expect(text).toMatch(row);
  });
});

describe('getWeights / setWeights', () => {
  const model = () => new keras.Sequential([new keras.Dense(3, { inputDim: 2 }), new keras.Dense(1)]);

  it('lists the weights layer by layer in Keras order and layout, and sets them back', () => {
    const m = model();
    expect(m.getWeights().map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    const fresh = [
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tensor([0, 1, 0]),
      tensor([[1], [0], [-1]]),
      tensor([0.5]),
    ];
    m.setWeights(fresh);
    // y = (x·K1 + b1)·K2 + b2 for x = [1, 1]: [5, 8, 9] → 5 − 9 + 0.5
    expect(m.predict(tensor([[1, 1]])).toArray()).toEqual([[-3.5]]);
    // nested arrays are read as tensors (Keras takes numpy arrays)
    m.setWeights([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [0, 1, 0],
      [[1], [0], [-1]],
      [0.5],
    ]);
    expect(m.predict(tensor([[1, 1]])).toArray()).toEqual([[-3.5]]);
    const copy = m.getWeights();
    copy[0]!.fill_(0); // copies: the model is unchanged
    expect(m.predict(tensor([[1, 1]])).toArray()).toEqual([[-3.5]]);
  });

  it('checks count, type and shapes before changing anything', () => {
    const m = model();
    const before = m.getWeights();
    expect(() => m.setWeights(before.slice(1))).toThrow(ValueError);
    expect(() => m.setWeights([before[0]!, before[1]!, before[2]!, 'b' as unknown as Tensor])).toThrow(ArgumentTypeError);
    expect(() => m.setWeights([before[0]!.transpose(0, 1), before[1]!, before[2]!, before[3]!])).toThrow(
      /weight 0 \(kernel\) must have shape \[2, 3\], got \[3, 2\]/,
    );
    expect(() => m.setWeights([before[0]!, before[1]!, randn([3, 1]), randn([2])])).toThrow(ShapeError);
    m.getWeights().forEach((w, i) => expect(w.toArray()).toEqual(before[i]!.toArray()));
  });
});

describe('trainOnBatch / testOnBatch', () => {
  const setup = () => {
    const m = new keras.Sequential([new keras.Dense(1, { inputDim: 2 })]);
    m.setWeights([tensor([[1], [-1]]), tensor([0.5])]);
    return m;
  };
  const x = tensor([
    [1, 2],
    [3, 1],
    [0, 1],
  ]);
  const y = tensor([[0], [1], [2]]);
  // predictions x·[1, -1] + 0.5 = [-0.5, 2.5, -0.5]; errors e = pred − y = [-0.5, 1.5, -2.5]
  const e = [-0.5, 1.5, -2.5];
  const mse = e.reduce((s, v) => s + v * v, 0) / 3;

  it('testOnBatch returns the loss, or [loss, ...metrics], or a record', () => {
    const m = setup();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(m.testOnBatch(x, y) as number).toBeCloseTo(mse, 6);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const [loss, mae] = m.testOnBatch(x, y) as number[];
    expect(loss).toBeCloseTo(mse, 6);
    expect(mae).toBeCloseTo(1.5, 6);
    expect(m.testOnBatch(x, y, { returnDict: true })).toEqual({ loss: expect.closeTo(mse, 6), mae: expect.closeTo(1.5, 6) });
    expect(m.getWeights()[1]!.toArray()).toEqual([0.5]); // no update
  });

  it('trainOnBatch takes one SGD step of the batch gradient and returns the loss before it', () => {
    const m = setup();
    m.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'mse' });
    expect(m.trainOnBatch(x, y) as number).toBeCloseTo(mse, 6);
    // dL/dK = (2/3) Σ eᵢ xᵢ, dL/db = (2/3) Σ eᵢ
    const gk = [0, 1].map((j) => (2 / 3) * e.reduce((s, v, i) => s + v * (x.toArray() as number[][])[i]![j]!, 0));
    const gb = (2 / 3) * e.reduce((s, v) => s + v, 0);
    const [k, b] = m.getWeights();
    expect(maxDiff(k!.toArray(), [[1 - 0.1 * gk[0]!], [-1 - 0.1 * gk[1]!]])).toBeLessThan(1e-6);
    expect(maxDiff(b!.toArray(), [0.5 - 0.1 * gb])).toBeLessThan(1e-6);
    const withWeights = setup();
    withWeights.compile({ optimizer: 'sgd', loss: 'mse' });
    // Σ wᵢ·lᵢ / N with w = [1, 0, 0]
    expect(withWeights.trainOnBatch(x, y, { sampleWeight: [1, 0, 0] }) as number).toBeCloseTo(0.25 / 3, 6);
  });

  it('needs compile and checks its options', () => {
    const m = setup();
    expect(() => m.trainOnBatch(x, y)).toThrow(/not compiled/);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(() => m.trainOnBatch(x, y, { returnDicts: true } as never)).toThrow(/did you mean 'returnDict'/);
    expect(() => m.testOnBatch(x, tensor([[1]]))).toThrow(/same number of samples/);
  });
});

describe('building and freezing', () => {
  it('builds unshaped layers from the first data and honours trainable: false', () => {
    const model = new keras.Sequential([
      new keras.Conv2D(2, 3, { trainable: false }),
      new keras.BatchNormalization({ trainable: false }),
      new keras.Flatten(),
      new keras.Dense(1),
    ]);
    expect(model.built).toBe(false);
    expect(model.predict(randn([2, 5, 5, 1])).shape).toEqual([2, 1]);
    expect(model.outputShape).toEqual([1]);
    const text = model.summary({ print: false });
    // frozen: conv 3·3·1·2 + 2 = 20, batch norm γ and β 4; trainable: dense 18 + 1
    expect(text).toMatch(/Trainable params: 19\n/);
    expect(text).toMatch(/Non-trainable params: 24\n/);
    const emb = new keras.Embedding(5, 2, { trainable: false });
    emb.call(tensor([[1, 2]], { dtype: 'int32' }));
    expect(emb.parameters().every((p) => !p.requiresGrad)).toBe(true);
  });
});
