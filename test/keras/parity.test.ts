// Keras parity on the common paths: fromLogits losses, sample and class weights (Keras' weighted
// mean), fit/evaluate/predict on data.Dataset and DataLoader, optimizers by name, config or object,
// verbose on evaluate/predict.
import { describe, expect, it } from 'vitest';
import { ValueError, data, keras, manualSeed, optim, tensor, type Tensor } from '../../src/index.js';
import { CaptureStream, blobs, rows } from './helpers.js';

/** pred = x · k with k = 1 (one input, one output, no bias): per-sample losses are known by hand. */
function identityModel(): keras.Sequential {
  return new keras.Sequential([new keras.Dense(1, { useBias: false, kernelInitializer: 'ones', inputDim: 1 })]);
}

function kernelOf(model: keras.Sequential): number[][] {
  return rows((model.layers[0] as keras.Dense).kernel!);
}

function heldOutAccuracy(model: keras.Sequential, x: Tensor, labels: Tensor): number {
  const p = rows(model.predict(x));
  const l = labels.toArray() as number[];
  return p.reduce((hits, r, i) => hits + (r.indexOf(Math.max(...r)) === l[i] ? 1 : 0), 0) / p.length;
}

describe('fromLogits', () => {
  it('a linear last layer with SparseCategoricalCrossentropy({ fromLogits: true }) learns', async () => {
    manualSeed(11);
    const train = blobs(300, 11);
    const test = blobs(150, 12);
    const model = new keras.Sequential([new keras.Dense(16, { activation: 'relu', inputDim: 2 }), new keras.Dense(3)]);
    model.compile({
      optimizer: { name: 'adam', learningRate: 0.02 },
      loss: keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const h = await model.fit(train.x, train.labels, { epochs: 12, verbose: 0 });
    expect(heldOutAccuracy(model, test.x, test.labels)).toBeGreaterThanOrEqual(0.95);
    expect(h.history['loss']![11]!).toBeLessThan(0.3);
  });

  it('the same model with categorical and binary fromLogits losses learns too', async () => {
    manualSeed(12);
    const train = blobs(300, 13);
    const test = blobs(150, 14);
    const cce = new keras.Sequential([new keras.Dense(16, { activation: 'relu', inputDim: 2 }), new keras.Dense(3)]);
    cce.compile({
      optimizer: { name: 'adam', learning_rate: 0.02 } as never,
      loss: { name: 'categorical_crossentropy', from_logits: true } as never,
    });
    await cce.fit(train.x, train.oneHot, { epochs: 12, verbose: 0 });
    expect(heldOutAccuracy(cce, test.x, test.labels)).toBeGreaterThanOrEqual(0.95);
    // Binary: class 1 against the rest, one logit.
    const yBin = train.labels.eq(1).float().reshape([300, 1]);
    const bce = new keras.Sequential([new keras.Dense(16, { activation: 'relu', inputDim: 2 }), new keras.Dense(1)]);
    bce.compile({
      optimizer: keras.optimizers.Adam({ learningRate: 0.02 }),
      loss: new keras.losses.BinaryCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const h = await bce.fit(train.x, yBin, { epochs: 12, verbose: 0 });
    expect(h.history['accuracy']![11]!).toBeGreaterThanOrEqual(0.95);
    // Accuracy on logits thresholds at 0 (probability 0.5): recount by hand from predict.
    const z = (bce.predict(test.x).toArray() as number[][]).map((r) => r[0]!);
    const truth = (test.labels.toArray() as number[]).map((l) => (l === 1 ? 1 : 0));
    const hand = z.reduce((hits, v, i) => hits + ((v > 0 ? 1 : 0) === truth[i] ? 1 : 0), 0) / z.length;
    expect(bce.evaluate(test.x, test.labels.eq(1).float().reshape([150, 1]))['accuracy']).toBeCloseTo(hand, 9);
  });

  it('loss objects compute the cross-entropy of logits (hand values) and work with or without new', () => {
    // logits [0, ln 3]: softmax [1/4, 3/4]; class 1 → -ln(3/4), class 0 → ln 4.
    const z = tensor(
      [
        [0, Math.log(3)],
        [0, Math.log(3)],
      ],
      { dtype: 'float64' },
    );
    const scce = keras.losses.SparseCategoricalCrossentropy({ fromLogits: true });
    expect(scce.call(tensor([1, 0], { dtype: 'int32' }), z).item()).toBeCloseTo((-Math.log(0.75) + Math.log(4)) / 2, 12);
    const withNew = new keras.losses.SparseCategoricalCrossentropy({ from_logits: true } as never);
    expect(withNew.fromLogits).toBe(true);
    // Label smoothing 0.2 with 2 classes: targets [0.1, 0.9].
    const cce = keras.losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
    expect(cce.call(tensor([[0, 1]], { dtype: 'float64' }), z.narrow(0, 0, 1)).item()).toBeCloseTo(
      -(0.1 * Math.log(0.25) + 0.9 * Math.log(0.75)),
      12,
    );
    // BCE of logit 0 is ln 2 whatever the target; Huber with delta 2 at d = 3: 2·(3 − 1) = 4.
    expect(
      keras.losses
        .BinaryCrossentropy({ fromLogits: true })
        .call(tensor([[1]]), tensor([[0]]))
        .item(),
    ).toBeCloseTo(Math.log(2), 6);
    expect(
      keras.losses
        .Huber({ delta: 2 })
        .call(tensor([[0]]), tensor([[3]]))
        .item(),
    ).toBeCloseTo(4, 6);
  });

  it("class-index cross-entropy on logits takes nn.F's fused path (issue 13)", () => {
    const z = tensor(
      [
        [0.5, 2, -1],
        [1, 0, 0],
      ],
      { requiresGrad: true },
    );
    const labels = tensor([1, 0], { dtype: 'int32' });
    const viaObject = keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }).call(labels, z);
    const viaAbsorbedSoftmax = keras.computeLoss('sparseCategoricalCrossentropy', labels, z, 'softmaxLogits');
    expect(viaObject.gradFn?.op).toBe('crossEntropyIndices');
    expect(viaAbsorbedSoftmax.gradFn?.op).toBe('crossEntropyIndices');
  });

  it('compile rejects fromLogits as its own option and points to the loss object', () => {
    const model = identityModel();
    expect(() => model.compile({ loss: 'mse', fromLogits: true } as never)).toThrow(
      /'fromLogits' is an option of the loss.*keras.losses.SparseCategoricalCrossentropy/,
    );
    expect(() => keras.losses.MeanSquaredError({ fromLogits: true } as never)).toThrow(/unknown option 'fromLogits'/);
    expect(() => keras.losses.SparseCategoricalCrossentropy(true as never)).toThrow(TypeError);
  });
});

describe('sample and class weights (Keras: Σ wᵢ·lᵢ / N)', () => {
  const x = tensor([[1], [2], [3]]);
  const y = tensor([[0], [0], [0]]);

  it('evaluate with sampleWeight: per-sample squared errors 1, 4, 9 weighted by 1, 0, 2 over 3 samples', () => {
    const model = identityModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(model.evaluate(x, y)['loss']).toBeCloseTo(14 / 3, 6);
    expect(model.evaluate(x, y, { sampleWeight: tensor([1, 0, 2]) })['loss']).toBeCloseTo(19 / 3, 6);
    expect(model.evaluate(x, y, { sample_weight: [1, 0, 2] } as never)['loss']).toBeCloseTo(19 / 3, 6);
  });

  it('one SGD step with sampleWeight equals the hand update k ← k − lr · Σ 2wᵢxᵢ(kxᵢ − yᵢ) / N', async () => {
    const model = identityModel();
    model.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'mse' });
    const h = await model.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0, sampleWeight: tensor([1, 0, 2]) });
    expect(h.history['loss']![0]).toBeCloseTo(19 / 3, 6);
    expect(kernelOf(model)[0]![0]).toBeCloseTo(1 - (0.1 * 38) / 3, 6);
  });

  it('classWeight multiplies each sample by its class weight; missing classes weigh 1', async () => {
    // A zero kernel gives logits 0: every sample's cross-entropy is ln 2. Labels 0, 1, 1.
    const make = (): keras.Sequential => {
      const m = new keras.Sequential([new keras.Dense(2, { kernelInitializer: 'zeros', inputDim: 1 })]);
      m.compile({ optimizer: { name: 'sgd', learningRate: 0 }, loss: keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
      return m;
    };
    const labels = tensor([0, 1, 1], { dtype: 'int32' });
    const h = await make().fit(x, labels, { epochs: 1, batchSize: 3, verbose: 0, classWeight: { 0: 1, 1: 3 } });
    expect(h.history['loss']![0]).toBeCloseTo((7 / 3) * Math.log(2), 6);
    const h2 = await make().fit(x, labels, { epochs: 1, batchSize: 3, verbose: 0, class_weight: { 1: 3 } } as never);
    expect(h2.history['loss']![0]).toBeCloseTo((7 / 3) * Math.log(2), 6);
    // One-hot targets: the class is the argmax.
    const oneHot = new keras.Sequential([new keras.Dense(2, { kernelInitializer: 'zeros', inputDim: 1 })]);
    oneHot.compile({ optimizer: { name: 'sgd', learningRate: 0 }, loss: keras.losses.CategoricalCrossentropy({ fromLogits: true }) });
    const h3 = await oneHot.fit(
      x,
      tensor([
        [1, 0],
        [1, 0],
        [0, 1],
      ]),
      { epochs: 1, batchSize: 3, verbose: 0, classWeight: { 0: 0.5, 1: 2 } },
    );
    expect(h3.history['loss']![0]).toBeCloseTo((3 / 3) * Math.log(2), 6);
  });

  it('rejects what Keras rejects or what cannot be honoured', async () => {
    const model = identityModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(x, y, { sampleWeight: tensor([1, 1, 1]), classWeight: { 0: 1 }, verbose: 0 })).rejects.toThrow(
      /sampleWeight or classWeight, not both/,
    );
    await expect(model.fit(x, y, { sampleWeight: tensor([1, 1]), verbose: 0 })).rejects.toThrow(/sampleWeight must have shape \[3\]/);
    await expect(model.fit(x, y, { classWeight: { 2: 1 }, verbose: 0 })).rejects.toThrow(
      /classWeight has class 2, but the model has 2 classes/,
    );
    await expect(model.fit(x, y, { classWeight: { a: 1 } as never, verbose: 0 })).rejects.toThrow(ValueError);
    const scalarLoss = identityModel();
    scalarLoss.compile({ optimizer: 'sgd', loss: (t, p) => p.sub(t).pow(2).mean() });
    await expect(scalarLoss.fit(x, y, { sampleWeight: [1, 2, 3], verbose: 0 })).rejects.toThrow(/must return one loss per sample/);
  });
});

describe('fit, evaluate and predict on data.Dataset and data.DataLoader', () => {
  it('fit on a TensorDataset or DataLoader takes the same steps as fit on the tensors', async () => {
    const d = blobs(60, 21);
    const run = async (how: (m: keras.Sequential) => Promise<unknown>): Promise<number[][]> => {
      manualSeed(5);
      const m = new keras.Sequential([new keras.Dense(3, { activation: 'softmax', inputDim: 2 })]);
      m.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'sparse_categorical_crossentropy' });
      await how(m);
      return kernelOf(m);
    };
    const ds = new data.TensorDataset(d.x, d.labels);
    const want = await run((m) => m.fit(d.x, d.labels, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 }));
    const viaDataset = await run((m) => m.fit(ds, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 }));
    const viaLoader = await run((m) =>
      m.fit(new data.DataLoader(ds, { batchSize: 16 }) as never, undefined as never, { epochs: 2, verbose: 0 }),
    );
    expect(viaDataset).toEqual(want);
    expect(viaLoader).toEqual(want);
  });

  it('validationData and evaluate accept a DataLoader; predict a Dataset', async () => {
    const d = blobs(40, 22);
    const model = new keras.Sequential([new keras.Dense(3, { activation: 'softmax', inputDim: 2 })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const loader = new data.DataLoader(new data.TensorDataset(d.x, d.labels), { batchSize: 8 });
    const h = await model.fit(d.x, d.labels, { epochs: 1, verbose: 0, validationData: loader });
    const direct = model.evaluate(d.x, d.labels, { batchSize: 8 });
    expect(h.history['val_loss']![0]).toBeCloseTo(direct['loss']!, 9);
    expect(model.evaluate(loader)).toEqual(direct);
    expect(model.predict(new data.TensorDataset(d.x, d.labels)).toArray()).toEqual(model.predict(d.x).toArray());
  });

  it('batches may carry sample weights: [x, y, w]', async () => {
    const model = identityModel();
    model.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'mse' });
    const ds = new data.TensorDataset(tensor([[1], [2], [3]]), tensor([[0], [0], [0]]), tensor([1, 0, 2]));
    const h = await model.fit(new data.DataLoader(ds, { batchSize: 3 }), { epochs: 1, verbose: 0 });
    expect(h.history['loss']![0]).toBeCloseTo(19 / 3, 6);
  });

  it('fit reads a stream of unknown length (an async IterableDataset), counting its steps', async () => {
    const model = identityModel();
    model.compile({ optimizer: { name: 'sgd', learningRate: 0 }, loss: 'mse' });
    const stream = new data.IterableDataset(async function* () {
      for (let i = 1; i <= 5; i++) yield [tensor([i]), tensor([0])];
    });
    const out = new CaptureStream();
    const h = await model.fit(stream, { epochs: 1, batchSize: 2, verbose: 2, stream: out });
    // Batches [1, 2], [3, 4], [5]: the epoch's loss is the mean of 1, 4, 9, 16, 25 = 11.
    expect(h.history['loss']![0]).toBeCloseTo(11, 5);
    expect(out.lines()[0]).toMatch(/^Epoch 1\/1 - 3 steps - .* - loss: 11\.0000$/);
    await expect(model.fit(stream, { shuffle: true, verbose: 0 })).rejects.toThrow(/an IterableDataset cannot be shuffled/);
  });

  it('options that belong to the data source are rejected', async () => {
    const d = blobs(12, 23);
    const model = new keras.Sequential([new keras.Dense(3, { activation: 'softmax', inputDim: 2 })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const loader = new data.DataLoader(new data.TensorDataset(d.x, d.labels), { batchSize: 4 });
    await expect(model.fit(loader, d.labels as never)).rejects.toThrow(/y must not be given with a Dataset or DataLoader/);
    await expect(model.fit(loader, { batchSize: 8, verbose: 0 })).rejects.toThrow(/batchSize is set by the DataLoader/);
    await expect(model.fit(loader, { shuffle: true, verbose: 0 })).rejects.toThrow(/shuffling is set by the DataLoader/);
    await expect(model.fit(loader, { validationSplit: 0.2, verbose: 0 })).rejects.toThrow(
      /validationSplit is not available with a Dataset/,
    );
    await expect(model.fit(new data.DataLoader([1, 2, 3], { batchSize: 2 }), { verbose: 0 })).rejects.toThrow(
      /must be \[x, y\] or \[x, y, sampleWeight\]/,
    );
  });
});

describe('optimizers by name, config, object or instance', () => {
  const lrOf = (m: keras.Sequential): number => (m.optimizer!.paramGroups[0] as { lr: number }).lr;
  const groupOf = (m: keras.Sequential): Record<string, unknown> => m.optimizer!.paramGroups[0] as Record<string, unknown>;
  const compiled = (optimizer: keras.OptimizerSpec): keras.Sequential => {
    const m = identityModel();
    m.compile({ optimizer, loss: 'mse' });
    return m;
  };

  it('reads learningRate, learning_rate and lr, and Keras names of the other options', () => {
    expect(lrOf(compiled({ name: 'adam', learningRate: 0.01 }))).toBe(0.01);
    expect(lrOf(compiled({ name: 'adam', learning_rate: 0.02 } as never))).toBe(0.02);
    expect(lrOf(compiled({ name: 'Adam', lr: 0.03 }))).toBe(0.03);
    expect(groupOf(compiled({ name: 'adam', beta_1: 0.8, epsilon: 1e-5 } as never))).toMatchObject({ betas: [0.8, 0.999], eps: 1e-5 });
    expect(groupOf(compiled({ name: 'rmsprop', rho: 0.95 }))).toMatchObject({ alpha: 0.95, eps: 1e-7, lr: 0.001 });
    expect(groupOf(compiled({ name: 'adam', weightDecay: 0.1 }))).toMatchObject({ weightDecay: 0.1, decoupledWeightDecay: true });
    expect(groupOf(compiled(keras.optimizers.SGD({ learningRate: 0.5, momentum: 0.9 })))).toMatchObject({ lr: 0.5, momentum: 0.9 });
    expect(lrOf(compiled(new keras.optimizers.RMSprop({ learning_rate: 0.004 } as never)))).toBe(0.004);
    expect(compiled('adamw').optimizer).toBeInstanceOf(optim.AdamW);
  });

  it("an optim instance is used as is, and must hold this model's parameters", () => {
    const m = identityModel();
    const opt = new optim.SGD(m.parameters(), { lr: 0.3 });
    m.compile({ optimizer: opt, loss: 'mse' });
    expect(m.optimizer).toBe(opt);
    const other = identityModel();
    expect(() => other.compile({ optimizer: opt, loss: 'mse' })).toThrow(/1 parameter that is not this model's/);
  });

  it('rejects conflicting, unknown and unsupported options', () => {
    const m = identityModel();
    expect(() => m.compile({ optimizer: { name: 'adam', lr: 0.1, learningRate: 0.2 }, loss: 'mse' })).toThrow(
      /give learningRate or lr, not both/,
    );
    expect(() => m.compile({ optimizer: { name: 'adam', learningrate: 0.1 } as never, loss: 'mse' })).toThrow(
      /unknown option 'learningrate': did you mean 'learningRate'/,
    );
    expect(() => m.compile({ optimizer: { name: 'sgd', weightDecay: 0.1 }, loss: 'mse' })).toThrow(
      /weightDecay of 'sgd' is not available by name/,
    );
    expect(() => keras.optimizers.Adam({ clipnorm: 1 } as never)).toThrow(/unknown option 'clipnorm'/);
    expect(() => m.compile({ optimizer: 3 as never, loss: 'mse' })).toThrow(TypeError);
  });
});

describe('verbose on evaluate and predict', () => {
  it('0 (the default) prints nothing; 1 and 2 print one line with the results', () => {
    const model = identityModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor([[1], [2]]);
    const y = tensor([[1], [0]]);
    const silent = new CaptureStream();
    model.evaluate(x, y, { verbose: 0, stream: silent });
    model.predict(x, { verbose: 0, stream: silent });
    expect(silent.text).toBe('');
    const out = new CaptureStream();
    model.evaluate(x, y, { verbose: 1, stream: out });
    model.predict(x, { verbose: 'auto', stream: out });
    const lines = out.lines();
    expect(lines).toHaveLength(2);
    // mse of (1 − 1, 2 − 0) = 2.
    expect(lines[0]).toMatch(/^1\/1 - .* - loss: 2\.0000$/);
    expect(lines[1]).toMatch(/^1\/1 - /);
    expect(() => model.evaluate(x, y, { verbose: 3 as never })).toThrow(/verbose must be one of 0, 1, 2/);
  });
});
