import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError, TapegradError, ValueError, keras, manualSeed, nn, optim, tensor, zeros, randn, type Tensor } from '../../src/index.js';
import { CaptureStream, blobs, rows } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-keras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function classifier(): keras.Sequential {
  const model = new keras.Sequential();
  model.add(new keras.Dense({ units: 16, activation: 'relu', inputDim: 2 }));
  model.add(new keras.Dense({ units: 3, activation: 'softmax' }));
  return model;
}

/** Accuracy computed by hand from the predictions: argmax in a plain loop. */
function handAccuracy(pred: Tensor, labels: Tensor): number {
  const p = rows(pred);
  const l = labels.toArray() as number[];
  let hits = 0;
  p.forEach((r, i) => (hits += r.indexOf(Math.max(...r)) === l[i] ? 1 : 0));
  return hits / p.length;
}

describe('fit / evaluate / predict', () => {
  it('learns three Gaussian blobs to at least 95% held-out accuracy', async () => {
    manualSeed(1);
    const train = blobs(300, 1);
    const test = blobs(150, 2);
    const model = classifier();
    model.compile({ optimizer: { name: 'adam', lr: 0.02 }, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(train.x, train.oneHot, { epochs: 15, batchSize: 32, verbose: 0 });
    const result = model.evaluate(test.x, test.oneHot);
    expect(result['accuracy']).toBeGreaterThanOrEqual(0.95);
    const pred = model.predict(test.x);
    expect(pred.shape).toEqual([150, 3]);
    // evaluate's accuracy agrees with a hand count over predict's output, and rows are probabilities.
    expect(result['accuracy']).toBeCloseTo(handAccuracy(pred, test.labels), 9);
    for (const r of rows(pred)) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss']);
    expect(history.history['loss']!.length).toBe(15);
    expect(history.epoch).toEqual([...Array(15).keys()]);
    expect(history.history['loss']![14]!).toBeLessThan(history.history['loss']![0]!);
  });

  it('evaluate gives the mean loss over the batches, equal to a hand computation from predict', () => {
    manualSeed(3);
    const d = blobs(70, 3);
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const { loss } = model.evaluate(d.x, d.labels, { batchSize: 32 });
    const p = rows(model.predict(d.x, { batchSize: 7 }));
    const l = d.labels.toArray() as number[];
    const want = -p.reduce((acc, r, i) => acc + Math.log(r[l[i]!]!), 0) / p.length;
    expect(loss).toBeCloseTo(want, 4);
  });

  it('records validation metrics from validationSplit (the last samples) and validationData', async () => {
    manualSeed(4);
    const d = blobs(100, 4);
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy', 'mae'] });
    const h = await model.fit(d.x, d.oneHot, { epochs: 2, validationSplit: 0.2, verbose: 0, shuffle: false });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'mae', 'val_accuracy', 'val_loss', 'val_mae']);
    // The last 20 samples are the validation set: evaluating on them after training gives val_* of the last epoch.
    const last = model.evaluate(d.x.narrow(0, 80, 20), d.oneHot.narrow(0, 80, 20));
    expect(h.history['val_loss']![1]).toBeCloseTo(last['loss']!, 6);
    expect(h.history['val_mae']![1]).toBeCloseTo(last['mae']!, 6);
    const h2 = await model.fit(d.x, d.oneHot, { epochs: 1, validationData: [d.x, d.oneHot], verbose: 0 });
    expect(h2.history['val_accuracy']!.length).toBe(1);
  });

  it('initialEpoch resumes: epochs is the index of the last epoch', async () => {
    const d = blobs(30, 5);
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const h = await model.fit(d.x, d.oneHot, { epochs: 5, initialEpoch: 3, verbose: 0 });
    expect(h.epoch).toEqual([3, 4]);
  });

  it('named optimizers get Keras default learning rates; an instance is used as is', () => {
    const lr = (spec: keras.OptimizerSpec) => {
      const m = classifier();
      m.compile({ optimizer: spec, loss: 'mse' });
      return m.optimizer!.paramGroups[0]!.lr;
    };
    expect(lr('adam')).toBe(0.001);
    expect(lr('sgd')).toBe(0.01);
    expect(lr('rmsprop')).toBe(0.001);
    expect(lr('adagrad')).toBe(0.001);
    expect(lr('adamw')).toBe(0.001);
    expect(lr({ name: 'sgd', lr: 0.5 })).toBe(0.5);
    const m = classifier();
    m.compile({ optimizer: 'momentum', loss: 'mse' });
    expect(m.optimizer).toBeInstanceOf(optim.SGD);
    expect((m.optimizer!.paramGroups[0] as unknown as { momentum: number }).momentum).toBe(0.9);
    const m2 = classifier();
    const opt = new optim.SGD(m2.parameters(), { lr: 0.3 });
    m2.compile({ optimizer: opt, loss: 'mse' });
    expect(m2.optimizer).toBe(opt);
  });

  it('one SGD step of fit equals the update computed by hand', async () => {
    // One Dense unit, no activation, mse, batch = all 2 samples: w ← w - lr * dL/dw.
    const model = new keras.Sequential([new keras.Dense({ units: 1, inputDim: 2, kernelInitializer: 'zeros' })]);
    model.compile({ optimizer: { name: 'sgd', lr: 0.1 }, loss: 'mse' });
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tensor([[1], [2]]);
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, shuffle: false });
    // pred = 0, d = pred - y = [-1, -2]; dL/dw_j = 2/2 * Σ_i d_i x_ij = [-7, -10]; dL/db = Σ d_i = -3.
    const dense = model.layers[0] as keras.Dense;
    const k = dense.kernel!.toArray() as number[][];
    expect(k[0]![0]).toBeCloseTo(0.7, 6);
    expect(k[1]![0]).toBeCloseTo(1.0, 6);
    expect((dense.bias!.toArray() as number[])[0]).toBeCloseTo(0.3, 6);
  });

  it('a Sequential is an nn.Module: parameters, state dict keys, PyTorch-style use', () => {
    const model = classifier();
    expect(Object.keys(model.stateDict())).toEqual(['0.kernel', '0.bias', '1.kernel', '1.bias']);
    expect(model.parameters().length).toBe(4);
    expect(model.call(zeros([5, 2])).shape).toEqual([5, 3]);
    expect(model).toBeInstanceOf(nn.Module);
  });
});

describe('stable softmax + cross-entropy in a model', () => {
  it('a saturated softmax (logits ±1000) gives the exact finite loss, and training stays finite', async () => {
    const model = new keras.Sequential([new keras.Dense({ units: 2, activation: 'softmax', inputDim: 1 })]);
    const dense = model.layers[0] as keras.Dense;
    dense.kernel!.data = tensor([[1000, -1000]]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const x = tensor([[1], [1]]);
    const y = tensor([
      [1, 0],
      [0, 1],
    ]);
    // Logits [1000, -1000]: sample 0 is right (loss 0), sample 1 is wrong by 2000. Computing
    // -log(softmax) would give log(0) → clipped to 16.1; through logSoftmax the loss is exactly 1000.
    const r = model.evaluate(x, y);
    expect(r['loss']).toBeCloseTo(1000, 3);
    expect(r['accuracy']).toBe(0.5);
    const sparse = new keras.Sequential([new keras.Dense({ units: 2, activation: 'softmax', inputDim: 1 })]);
    (sparse.layers[0] as keras.Dense).kernel!.data = tensor([[-1000, 1000]]);
    sparse.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    expect(sparse.evaluate(x, tensor([0, 1], { dtype: 'int32' }))['loss']).toBeCloseTo(1000, 3);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
    expect(h.history['loss']!.every(Number.isFinite)).toBe(true);
    expect([...dense.kernel!.dataSync()].every(Number.isFinite)).toBe(true);
    // predict still returns probabilities (the softmax is applied outside training).
    expect(model.predict(x).toArray()).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('sigmoid + binary cross-entropy goes through the logits too', () => {
    const model = new keras.Sequential([new keras.Dense({ units: 1, activation: 'sigmoid', inputDim: 1 })]);
    (model.layers[0] as keras.Dense).kernel!.data = tensor([[1000]]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    // z = 1000 and -1000 with targets 0 and 0: losses 1000 and 0.
    const r = model.evaluate(tensor([[1], [-1]]), tensor([[0], [0]]));
    expect(r['loss']).toBeCloseTo(500, 3);
    expect(r['accuracy']).toBe(0.5);
  });
});

describe('layers', () => {
  it('Dense uses Keras initialisation: Glorot-uniform kernel within its limit, zero bias', () => {
    manualSeed(0);
    const d = new keras.Dense({ units: 50, inputDim: 200 });
    const limit = Math.sqrt(6 / 250);
    const k = d.kernel!.dataSync();
    let max = 0;
    let sumSq = 0;
    for (const v of k) ((max = Math.max(max, Math.abs(v))), (sumSq += v * v));
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(0.95 * limit);
    // U(-l, l) has variance l² / 3; 10 000 samples put the estimate within a few percent.
    expect(sumSq / k.length).toBeGreaterThan((0.9 * (limit * limit)) / 3);
    expect(sumSq / k.length).toBeLessThan((1.1 * (limit * limit)) / 3);
    expect([...d.bias!.dataSync()].every((v) => v === 0)).toBe(true);
    expect(d.kernel!.shape).toEqual([200, 50]);
  });

  it('Dense builds lazily from the first input and checks the width afterwards', () => {
    const d = new keras.Dense({ units: 4, useBias: false });
    expect(d.kernel).toBeNull();
    expect(d.call(zeros([2, 3])).shape).toEqual([2, 4]);
    expect(d.bias).toBeNull();
    expect(() => d.call(zeros([2, 5]))).toThrow(/expected inputs of shape \[batch, 3\].*\[2, 5\]/);
  });

  it('truncated initializers stay within two standard deviations; fans follow the [in, out] layout', () => {
    manualSeed(1);
    const k = keras.initialize(zeros([300, 100]), 'he_normal').dataSync();
    // heNormal: std = √(2 / fanIn) / 0.8796 before truncation at ±2·std, fanIn = 300.
    const std = Math.sqrt(2 / 300) / 0.87962566103423978;
    let sumSq = 0;
    for (const v of k) {
      expect(Math.abs(v)).toBeLessThanOrEqual(2 * std + 1e-7);
      sumSq += v * v;
    }
    // The truncation at 2σ keeps 0.7737 of the variance, which the 1/0.8796 factor restores: var ≈ 2 / fanIn.
    expect(sumSq / k.length).toBeGreaterThan(0.95 * (2 / 300));
    expect(sumSq / k.length).toBeLessThan(1.05 * (2 / 300));
    const u = keras.initialize(zeros([10, 40]), 'lecun_uniform').dataSync();
    expect(Math.max(...[...u].map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(3 / 10));
    expect(Math.max(...[...u].map(Math.abs))).toBeGreaterThan(0.9 * Math.sqrt(3 / 10));
  });

  it('a model without an input shape is built by its first fit', async () => {
    const model = new keras.Sequential([
      new keras.Dense({ units: 4, activation: 'relu' }),
      new keras.Dense({ units: 3, activation: 'softmax' }),
    ]);
    expect(model.built).toBe(false);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    expect(model.optimizer).toBeNull();
    const d = blobs(12, 9);
    await model.fit(d.x, d.oneHot, { epochs: 1, verbose: 0 });
    expect(model.built).toBe(true);
    expect(model.inputShape).toEqual([2]);
    expect(model.optimizer).not.toBeNull();
    // 2·4 + 4 + 4·3 + 3 = 27
    expect(model.summary({ print: false })).toContain('Total params: 27');
  });

  it('Dropout drops in training only; Flatten flattens; Activation applies', () => {
    const drop = new keras.Dropout({ rate: 0.5, seed: 1 });
    const x = zeros([1000]).add(1).reshape([10, 100]);
    const y = drop.call(x).dataSync();
    const kept = [...y].filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 2) < 1e-6)).toBe(true);
    expect(kept.length).toBeGreaterThan(400);
    expect(kept.length).toBeLessThan(600);
    drop.eval();
    expect(drop.call(x)).toBe(x);
    expect(new keras.Flatten().call(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new keras.Activation('relu').call(tensor([[-1, 2]])).toArray()).toEqual([[0, 2]]);
    expect(() => new keras.Dropout(1)).toThrow(/Dropout: rate must be >= 0 and < 1, got 1/);
  });

  it('ModuleLayer wraps any nn.Module, and add() wraps modules itself', () => {
    const model = new keras.Sequential();
    model.add(new keras.Flatten({ inputShape: [1, 4, 4] }));
    model.add(new nn.Linear(16, 8));
    model.add(new keras.Dense({ units: 2, activation: 'softmax' }));
    expect(model.layers[1]).toBeInstanceOf(keras.ModuleLayer);
    expect(model.outputShape).toEqual([2]);
    expect(model.predict(randn([3, 1, 4, 4])).shape).toEqual([3, 2]);
    expect(model.layers.map((l) => l.name)).toEqual(['flatten', 'linear', 'dense']);
  });
});

describe('summary', () => {
  it('lists layers, output shapes and parameter counts computed by hand', () => {
    const model = new keras.Sequential();
    model.add(new keras.Dense({ units: 10, activation: 'relu', inputDim: 784 }));
    model.add(new keras.Dense({ units: 10, activation: 'relu' }));
    model.add(new keras.Dense({ units: 10, activation: 'softmax' }));
    const out = new CaptureStream();
    const text = model.summary({ stream: out });
    expect(out.text).toBe(`${text}\n`);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "sequential"');
    // 784·10 + 10 = 7850, 10·10 + 10 = 110 (twice): 8070 in all.
    expect(lines.find((l) => l.includes('dense (Dense)'))).toMatch(/^ dense \(Dense\)\s+\(None, 10\)\s+7,850$/);
    expect(lines.find((l) => l.includes('dense_1 (Dense)'))).toMatch(/\(None, 10\)\s+110$/);
    expect(lines.find((l) => l.includes('dense_2 (Dense)'))).toMatch(/\(None, 10\)\s+110$/);
    expect(text).toContain('Total params: 8,070');
    expect(text).toContain('Trainable params: 8,070');
    expect(text).toContain('Non-trainable params: 0');
    expect(model.summary({ print: false })).toBe(text);
  });

  it('counts frozen parameters as non-trainable, and refuses an unbuilt model', () => {
    const model = new keras.Sequential([new keras.Dense({ units: 3, inputDim: 4 }), new keras.Dense({ units: 1, useBias: false })]);
    (model.layers[0] as keras.Dense).kernel!.requiresGrad_(false);
    const text = model.summary({ print: false });
    // 4·3 = 12 frozen; 3 bias + 3·1 kernel = 6 trainable.
    expect(text).toContain('Total params: 18');
    expect(text).toContain('Trainable params: 6');
    expect(text).toContain('Non-trainable params: 12');
    expect(() => new keras.Sequential([new keras.Dense({ units: 2 })]).summary()).toThrow(/not built yet/);
  });
});

describe('save and load', () => {
  it('round-trips weights and config: identical predictions, same compile options', async () => {
    manualSeed(7);
    const d = blobs(60, 7);
    const model = classifier();
    model.add(new keras.Dropout({ rate: 0.25 }));
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(d.x, d.oneHot, { epochs: 2, verbose: 0 });
    const path = join(dir, 'model.safetensors');
    model.save(path);
    const loaded = keras.loadModel(path);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(loaded.predict(d.x).toArray()).toEqual(model.predict(d.x).toArray());
    expect(loaded.evaluate(d.x, d.oneHot)).toEqual(model.evaluate(d.x, d.oneHot));
    expect(loaded.getConfig()).toEqual(model.getConfig());
    // The loaded model trains on.
    await loaded.fit(d.x, d.oneHot, { epochs: 1, verbose: 0 });
  });

  it('a weights-only file or a custom module needs the model built in code', () => {
    const path = join(dir, 'weights.safetensors');
    const model = classifier();
    nn.save(model.stateDict(), path);
    expect(() => keras.loadModel(path)).toThrow(/no model config/);
    const custom = new keras.Sequential([new keras.ModuleLayer(new nn.Linear(2, 2), { inputShape: [2] })]);
    const p2 = join(dir, 'custom.safetensors');
    custom.save(p2);
    expect(() => keras.loadModel(p2)).toThrow(/ModuleLayer wrapping Linear.*customObjects/);
    const back = keras.loadModel(p2, { customObjects: { Linear: (c) => new keras.ModuleLayer(new nn.Linear(2, 2), c) } });
    expect(back.predict(tensor([[1, 2]])).toArray()).toEqual(custom.predict(tensor([[1, 2]])).toArray());
  });
});

describe('errors', () => {
  it('fit before compile', async () => {
    const d = blobs(6, 1);
    await expect(classifier().fit(d.x, d.oneHot)).rejects.toThrow(TapegradError);
    await expect(classifier().fit(d.x, d.oneHot)).rejects.toThrow(/not compiled; call model.compile/);
    expect(() => classifier().evaluate(d.x, d.oneHot)).toThrow(/not compiled/);
  });

  it('x and y of different lengths', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await expect(model.fit(zeros([10, 2]), zeros([9, 3]), { verbose: 0 })).rejects.toThrow(ValueError);
    await expect(model.fit(zeros([10, 2]), zeros([9, 3]), { verbose: 0 })).rejects.toThrow(/same number of samples.*\[10, 2\].*\[9, 3\]/);
  });

  it('a wrong input width for the first layer', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await expect(model.fit(zeros([4, 5]), zeros([4, 3]), { verbose: 0 })).rejects.toThrow(ShapeError);
    await expect(model.fit(zeros([4, 5]), zeros([4, 3]), { verbose: 0 })).rejects.toThrow(
      /expects x of shape \[batch, 2\] \(first layer 'dense'\), got x of shape \[4, 5\]/,
    );
    expect(() => model.predict(zeros([4, 5]))).toThrow(ShapeError);
  });

  it('labels that do not fit the loss', async () => {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await expect(model.fit(zeros([4, 2]), tensor([0, 1, 2, 1], { dtype: 'int32' }), { verbose: 0 })).rejects.toThrow(
      /sparseCategoricalCrossentropy/,
    );
  });

  it('bad compile and fit options', async () => {
    const model = classifier();
    expect(() => model.compile({ optimizer: 'adamm' as never, loss: 'mse' })).toThrow(/unknown optimizer 'adamm'/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'crossentropy' as never })).toThrow(/unknown loss 'crossentropy'/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['f1' as never] })).toThrow(/unknown metric 'f1'/);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = zeros([4, 2]);
    const y = zeros([4, 3]);
    await expect(model.fit(x, y, { batch_sise: 2 } as never)).rejects.toThrow(/unknown option 'batch_sise': did you mean 'batchSize'/);
    await expect(model.fit(x, y, { batch_size: 2, batchSize: 2 } as never)).rejects.toThrow(/option 'batchSize' given twice/);
    await expect(model.fit(x, y, { epochs: 0 })).rejects.toThrow(/epochs must be >= 1, got 0/);
    await expect(model.fit(x, y, { validationSplit: 1.5 })).rejects.toThrow(/validationSplit must be >= 0 and < 1, got 1.5/);
    await expect(model.fit(x, y, { callbacks: [{ onEpochEndd() {} } as never], verbose: 0 })).rejects.toThrow(
      /'onEpochEndd' is not a callback hook: did you mean 'onEpochEnd'/,
    );
    await expect(model.fit(x, y, { callbacks: [{ note: 'x' } as never], verbose: 0 })).rejects.toThrow(/has none of the hooks/);
  });

  it('layer options and model structure', () => {
    expect(() => new keras.Dense({ units: 0 })).toThrow(/Dense: units must be >= 1, got 0/);
    expect(() => new keras.Dense({ units: 2, activation: 'relu7' as never })).toThrow(/unknown activation/);
    expect(() => new keras.Dense({ units: 2, kernelInitializer: 'glorot' as never })).toThrow(/unknown initializer/);
    const model = new keras.Sequential([new keras.Dense({ units: 3, inputDim: 4 })]);
    expect(() => model.add(new keras.Dense({ units: 2, inputDim: 5 }))).toThrow(
      /expects inputs of shape \[batch, 5\], but layer 'dense' gives \[batch, 3\]/,
    );
    expect(() => model.add(new keras.Dense({ units: 2, name: 'dense' }))).toThrow(/already in the model/);
    expect(() => model.add({} as never)).toThrow(/expected a keras Layer or an nn.Module/);
  });
});
