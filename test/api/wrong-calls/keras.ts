/**
 * The wrong-call corpus for the keras area (see types.ts): calls a Keras user types into a plain JS
 * file. Keras' snake_case spellings are honoured as the same options; unknown keys, options in the
 * wrong place and wrong types throw typed errors. Expected numbers are computed by hand in the
 * comments (a model whose output is its input, so the losses are known).
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';

/** pred = x (one input, one output, kernel 1, no bias), compiled with SGD and mse. */
function identity(tg: Lib) {
  const model = new tg.keras.Sequential([new tg.keras.Dense(1, { useBias: false, kernelInitializer: 'ones', inputDim: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  return model;
}

/** x = [1, 2, 3], y = 0: per-sample squared errors 1, 4, 9 (mean 14/3). */
function xy(tg: Lib) {
  return { x: tg.tensor([[1], [2], [3]]), y: tg.tensor([[0], [0], [0]]) };
}

function lrOf(model: { optimizer: { paramGroups: unknown[] } | null }): number {
  return (model.optimizer!.paramGroups[0] as { lr: number }).lr;
}

const any = (v: unknown) => v as never;

/** Calls of the keras area. */
export const calls: WrongCall[] = [
  // ---- layers --------------------------------------------------------------------------------
  {
    code: 'new keras.Dense({ units: 8, input_dim: 4 })',
    run: (tg) => new tg.keras.Dense(any({ units: 8, input_dim: 4 })),
    expect: { check: (d) => { expect(d.inputShape).toEqual([4]); expect(d.kernel.shape).toEqual([4, 8]); } },
  },
  {
    code: 'new keras.Dense({ units: 8, inputDim: 4, use_bias: false })',
    run: (tg) => new tg.keras.Dense(any({ units: 8, inputDim: 4, use_bias: false })),
    expect: { check: (d) => { expect(d.bias).toBeNull(); expect(d.parameters().length).toBe(1); } },
  },
  {
    code: "new keras.Dense(8, { activation: 'relu', input_dim: 4 })",
    // relu: no output below 0, and some exactly 0 for random inputs.
    run: (tg) => { tg.manualSeed(0); const d = new tg.keras.Dense(8, any({ activation: 'relu', input_dim: 4 })); return [d, d.call(tg.randn([50, 4]))]; },
    expect: { check: ([d, out]) => { expect(d.units).toBe(8); expect(d.inputShape).toEqual([4]); expect(out.shape).toEqual([50, 8]); expect(out.amin().item()).toBe(0); } },
  },
  {
    code: "new keras.Dense(8, 'relu')",
    run: (tg) => new tg.keras.Dense(8, any('relu')),
    expect: { throws: 'ArgumentTypeError', message: /Dense: expected an options object after units, got 'relu'.*new Dense\(units, \{ activation/ },
  },
  {
    code: 'new keras.Dense({ units: 8, bais: false })',
    run: (tg) => new tg.keras.Dense(any({ units: 8, bais: false })),
    expect: { throws: 'ValueError', message: /Dense: unknown option 'bais'.*useBias/ },
  },
  {
    code: "new keras.Dense({ units: 8, kernel_regularizer: 'l2' })",
    run: (tg) => new tg.keras.Dense(any({ units: 8, kernel_regularizer: 'l2' })),
    expect: { throws: 'ValueError', message: /Dense: unknown option 'kernel_regularizer'.*known options: .*units/ },
  },
  {
    code: "new keras.Dense({ units: '8' })",
    run: (tg) => new tg.keras.Dense(any({ units: '8' })),
    expect: { throws: 'ArgumentTypeError', message: /Dense: units must be an integer, got '8'/ },
  },
  {
    code: "new keras.Dense({ units: 8, activation: 'relu6' })",
    run: (tg) => new tg.keras.Dense(any({ units: 8, activation: 'relu6' })),
    expect: { throws: 'ValueError', message: /unknown activation 'relu6'/ },
  },
  {
    code: 'new keras.Dense({ units: 8, input_dim: 4, inputDim: 4 })',
    run: (tg) => new tg.keras.Dense(any({ units: 8, input_dim: 4, inputDim: 4 })),
    expect: { throws: 'ValueError', message: /option 'inputDim' given twice, as 'input_dim' and 'inputDim'/ },
  },
  {
    code: 'new keras.Dropout(1.5)',
    run: (tg) => new tg.keras.Dropout(1.5),
    expect: { throws: 'ValueError', message: /Dropout: rate must be >= 0 and < 1, got 1.5/ },
  },
  {
    code: 'new keras.Dropout({ rate: 0.2, noise_shape: [1] })',
    run: (tg) => new tg.keras.Dropout(any({ rate: 0.2, noise_shape: [1] })),
    expect: { throws: 'ValueError', message: /Dropout: unknown option 'noise_shape'/ },
  },
  {
    code: "new keras.Flatten({ data_format: 'channels_last' })",
    run: (tg) => new tg.keras.Flatten(any({ data_format: 'channels_last' })),
    expect: { throws: 'ValueError', message: /Flatten: unknown option 'data_format'/ },
  },
  {
    code: "new keras.Activation('softmax', { axis: 1 })",
    run: (tg) => new tg.keras.Activation('softmax', any({ axis: 1 })),
    expect: { throws: 'ValueError', message: /Activation: unknown option 'axis'/ },
  },
  {
    code: 'new keras.Sequential(new keras.Dense(2))',
    run: (tg) => new tg.keras.Sequential(any(new tg.keras.Dense(2))),
    expect: { throws: 'ArgumentTypeError', message: /Sequential: expected an array of layers, got a Dense/ },
  },
  {
    code: "new keras.Sequential([new keras.Dense(2, { input_shape: [3] })], { name: 'mlp' })",
    run: (tg) => new tg.keras.Sequential([new tg.keras.Dense(2, any({ input_shape: [3] }))], { name: 'mlp' }),
    expect: { check: (m) => { expect(m.name).toBe('mlp'); expect(m.inputShape).toEqual([3]); expect(m.outputShape).toEqual([2]); } },
  },
  // ---- compile -------------------------------------------------------------------------------
  {
    code: "model.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'mse' })",
    run: (tg) => { const m = identity(tg); m.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'mse' }); return lrOf(m); },
    expect: { check: (lr) => expect(lr).toBe(0.01) },
  },
  {
    code: "model.compile({ optimizer: { name: 'adam', learning_rate: 0.01 }, loss: 'mse' })",
    run: (tg) => { const m = identity(tg); m.compile({ optimizer: any({ name: 'adam', learning_rate: 0.01 }), loss: 'mse' }); return lrOf(m); },
    expect: { check: (lr) => expect(lr).toBe(0.01) },
  },
  {
    code: "model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.05 }), loss: 'mse' })",
    run: (tg) => { const m = identity(tg); m.compile({ optimizer: tg.keras.optimizers.Adam(any({ learning_rate: 0.05 })), loss: 'mse' }); return lrOf(m); },
    expect: { check: (lr) => expect(lr).toBe(0.05) },
  },
  {
    code: "model.compile({ optimizer: new keras.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'mse' })",
    run: (tg) => { const m = identity(tg); m.compile({ optimizer: new tg.keras.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'mse' }); return m.optimizer!.paramGroups[0]; },
    expect: { check: (g) => expect(g).toMatchObject({ lr: 0.1, momentum: 0.9 }) },
  },
  {
    code: "model.compile({ optimizer: { name: 'sgd', lr: 0.1, learning_rate: 0.2 }, loss: 'mse' })",
    run: (tg) => identity(tg).compile({ optimizer: any({ name: 'sgd', lr: 0.1, learning_rate: 0.2 }), loss: 'mse' }),
    expect: { throws: 'ValueError', message: /give learningRate or lr, not both/ },
  },
  {
    code: "model.compile({ optimizer: { name: 'adam', clipnorm: 1 }, loss: 'mse' })",
    run: (tg) => identity(tg).compile({ optimizer: any({ name: 'adam', clipnorm: 1 }), loss: 'mse' }),
    expect: { throws: 'ValueError', message: /unknown option 'clipnorm'/ },
  },
  {
    code: "model.compile({ optimizer: { name: 'sgd', weight_decay: 1e-4 }, loss: 'mse' })",
    run: (tg) => identity(tg).compile({ optimizer: any({ name: 'sgd', weight_decay: 1e-4 }), loss: 'mse' }),
    expect: { throws: 'ValueError', message: /weightDecay of 'sgd' is not available by name.*adamw/ },
  },
  {
    code: "model.compile({ optimizer: 'adamm', loss: 'mse' })",
    run: (tg) => identity(tg).compile({ optimizer: any('adamm'), loss: 'mse' }),
    expect: { throws: 'ValueError', message: /unknown optimizer 'adamm': did you mean 'adam'/ },
  },
  {
    code: "model.compile({ optimizer: 'adam', loss: 'categorical_crossentropyy' })",
    run: (tg) => identity(tg).compile({ optimizer: 'adam', loss: any('categorical_crossentropyy') }),
    expect: { throws: 'ValueError', message: /did you mean 'categoricalCrossentropy'\? \(known losses: / },
  },
  {
    code: "model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', from_logits: true })",
    run: (tg) => identity(tg).compile(any({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', from_logits: true })),
    expect: { throws: 'ValueError', message: /'from_logits' is an option of the loss.*keras.losses.SparseCategoricalCrossentropy\(\{ fromLogits: true \}\)/ },
  },
  {
    code: "model.compile({ optimizer: 'adam', loss: 'mse', loss_weights: [1] })",
    run: (tg) => identity(tg).compile(any({ optimizer: 'adam', loss: 'mse', loss_weights: [1] })),
    expect: { throws: 'ValueError', message: /Sequential.compile: unknown option 'loss_weights'/ },
  },
  {
    code: "model.compile({ optimizer: 'adam', loss: 'mse', metrics: 'accuracy' })",
    run: (tg) => identity(tg).compile({ optimizer: 'adam', loss: 'mse', metrics: any('accuracy') }),
    expect: { throws: 'ArgumentTypeError', message: /metrics must be an array such as \['accuracy'\], got 'accuracy'/ },
  },
  {
    code: "model.compile({ optimizer: new optim.SGD(otherModel.parameters(), { lr: 0.1 }), loss: 'mse' })",
    run: (tg) => identity(tg).compile({ optimizer: new tg.optim.SGD(identity(tg).parameters(), { lr: 0.1 }), loss: 'mse' }),
    expect: { throws: 'ValueError', message: /the optimizer updates 1 parameter that is not this model's/ },
  },
  // ---- losses --------------------------------------------------------------------------------
  {
    code: 'keras.losses.SparseCategoricalCrossentropy({ from_logits: true }).call(labels, logits)',
    // logits [0, ln 3]: softmax [1/4, 3/4]; label 1 → −ln(3/4) ≈ 0.28768.
    run: (tg) => tg.keras.losses.SparseCategoricalCrossentropy(any({ from_logits: true })).call(tg.tensor([1], { dtype: 'int32' }), tg.tensor([[0, Math.log(3)]])).item(),
    expect: { check: (v) => expect(v).toBeCloseTo(-Math.log(0.75), 5) },
  },
  {
    code: 'keras.losses.SparseCategoricalCrossentropy(true)',
    run: (tg) => tg.keras.losses.SparseCategoricalCrossentropy(any(true)),
    expect: { throws: 'ArgumentTypeError', message: /expected an options object; accepted forms: keras.losses.SparseCategoricalCrossentropy\(\{ fromLogits \}\)/ },
  },
  {
    code: "keras.losses.CategoricalCrossentropy({ reduction: 'sum' })",
    run: (tg) => tg.keras.losses.CategoricalCrossentropy(any({ reduction: 'sum' })),
    expect: { throws: 'ValueError', message: /unknown option 'reduction'.*fromLogits, labelSmoothing/ },
  },
  {
    code: "keras.computeLoss('mse', y, x, { sample_weight: tensor([1, 0, 2]) })",
    // Keras' weighted mean: (1·1 + 0·4 + 2·9) / 3 = 19/3.
    run: (tg) => { const { x, y } = xy(tg); return tg.keras.computeLoss('mse', y, x, any({ sample_weight: tg.tensor([1, 0, 2]) })).item(); },
    expect: { check: (v) => expect(v).toBeCloseTo(19 / 3, 5) },
  },
  // ---- fit / evaluate / predict --------------------------------------------------------------
  {
    code: 'model.fit(x, y, { batch_size: 2, epochs: 1, verbose: 0, callbacks: [paramsSpy] })',
    run: async (tg) => {
      const { x, y } = xy(tg);
      const seen: number[] = [];
      const spy = new (class extends tg.keras.Callback {
        override onTrainBegin(): void { seen.push(this.params.batchSize, this.params.steps); }
      })();
      await identity(tg).fit(x, y, any({ batch_size: 2, epochs: 1, verbose: 0, callbacks: [spy] }));
      return seen;
    },
    expect: { check: (seen) => expect(seen).toEqual([2, 2]) },
  },
  {
    code: 'model.fit(x, y, { epochs: 2, verbos: 0 })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(x, y, any({ epochs: 2, verbos: 0 })); },
    expect: { throws: 'ValueError', message: /Sequential.fit: unknown option 'verbos': did you mean 'verbose'/ },
  },
  {
    code: 'model.fit(x, y, 32)',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(x, y, any(32)); },
    expect: { throws: 'ArgumentTypeError', message: /Sequential.fit: expected an options object; accepted forms: fit\(x, y, \{ epochs, batchSize/ },
  },
  {
    code: 'model.fit(x, y, { epochs: 1.5 })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(x, y, { epochs: 1.5 }); },
    expect: { throws: 'ValueError', message: /epochs must be an integer, got 1.5/ },
  },
  {
    code: 'model.fit(x, y, { sample_weight: [1, 0, 2], epochs: 1, batch_size: 3, shuffle: false, verbose: 0 })',
    // The logged loss is Keras' weighted mean 19/3.
    run: async (tg) => { const { x, y } = xy(tg); return (await identity(tg).fit(x, y, any({ sample_weight: [1, 0, 2], epochs: 1, batch_size: 3, shuffle: false, verbose: 0 }))).history['loss']; },
    expect: { check: (loss) => expect(loss[0]).toBeCloseTo(19 / 3, 5) },
  },
  {
    code: 'model.fit(x, y, { class_weight: { 0: 1 }, sample_weight: [1, 1, 1] })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(x, y, any({ class_weight: { 0: 1 }, sample_weight: [1, 1, 1], verbose: 0 })); },
    expect: { throws: 'ValueError', message: /give sampleWeight or classWeight, not both/ },
  },
  {
    code: 'model.fit(x, y, { classWeight: { 0: 1, 5: 2 } })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(x, y, { classWeight: { 0: 1, 5: 2 }, verbose: 0 }); },
    expect: { throws: 'ValueError', message: /classWeight has class 5, but the model has 2 classes/ },
  },
  {
    code: 'model.fit(new data.TensorDataset(x, y), { epochs: 2, verbose: 0 })',
    run: async (tg) => { const { x, y } = xy(tg); return (await identity(tg).fit(new tg.data.TensorDataset(x, y), { epochs: 2, verbose: 0 })).epoch; },
    expect: { check: (epochs) => expect(epochs).toEqual([0, 1]) },
  },
  {
    code: 'model.fit(loader, y)',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(any(new tg.data.DataLoader(new tg.data.TensorDataset(x, y))), any(y)); },
    expect: { throws: 'ArgumentTypeError', message: /y must not be given with a Dataset or DataLoader/ },
  },
  {
    code: 'model.fit(loader, { batchSize: 2 })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(new tg.data.DataLoader(new tg.data.TensorDataset(x, y)), { batchSize: 2, verbose: 0 }); },
    expect: { throws: 'ValueError', message: /batchSize is set by the DataLoader/ },
  },
  {
    code: 'model.evaluate(x, y, { verbose: 0 })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).evaluate(x, y, { verbose: 0 }); },
    expect: { check: (r) => expect(r['loss']).toBeCloseTo(14 / 3, 5) },
  },
  {
    code: 'model.evaluate(x, y, 32)',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).evaluate(x, y, any(32)); },
    expect: { throws: 'ArgumentTypeError', message: /Sequential.evaluate: expected an options object/ },
  },
  {
    code: 'model.evaluate(x, y, { steps: 1 })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).evaluate(x, y, any({ steps: 1 })); },
    expect: { throws: 'ValueError', message: /Sequential.evaluate: unknown option 'steps'/ },
  },
  {
    code: 'model.predict(x, { verbose: 0, batch_size: 1 })',
    run: (tg) => identity(tg).predict(xy(tg).x, any({ verbose: 0, batch_size: 1 })).toArray(),
    expect: { check: (p) => expect(p).toEqual([[1], [2], [3]]) },
  },
  {
    code: 'model.summary({ line_length: 80 })',
    run: (tg) => identity(tg).summary(any({ line_length: 80 })),
    expect: { throws: 'ValueError', message: /Sequential.summary: unknown option 'line_length'/ },
  },
  {
    code: "model.save('model.safetensors', { overwrite: true })",
    run: (tg) => (identity(tg).save as (...a: unknown[]) => void)('model.safetensors', { overwrite: true }),
    expect: { throws: 'ValueError', message: /Sequential.save: unknown option 'overwrite' \(known options: includeOptimizer\)/ },
  },
  {
    code: "keras.loadModel('model.safetensors', { custom_objects: 5 })",
    run: (tg) => tg.keras.loadModel('model.safetensors', any({ custom_objects: 5 })),
    expect: { throws: 'ArgumentTypeError', message: /loadModel: customObjects must be an object of layer factories/ },
  },
  // ---- callbacks -----------------------------------------------------------------------------
  {
    code: "new keras.EarlyStopping({ monitor: 'val_loss', patience: '3' })",
    run: (tg) => new tg.keras.EarlyStopping(any({ monitor: 'val_loss', patience: '3' })),
    expect: { throws: 'ArgumentTypeError', message: /EarlyStopping: patience must be an integer, got '3'/ },
  },
  {
    code: "new keras.EarlyStopping({ mode: 'minimum' })",
    run: (tg) => new tg.keras.EarlyStopping(any({ mode: 'minimum' })),
    expect: { throws: 'ValueError', message: /EarlyStopping: mode must be one of 'auto', 'min', 'max', got 'minimum'/ },
  },
  {
    code: 'new keras.ReduceLROnPlateau({ epsilon: 1e-4 })',
    run: (tg) => new tg.keras.ReduceLROnPlateau(any({ epsilon: 1e-4 })),
    expect: { throws: 'ValueError', message: /ReduceLROnPlateau: unknown option 'epsilon'/ },
  },
  {
    code: 'new keras.ReduceLROnPlateau({ factor: 2 })',
    run: (tg) => new tg.keras.ReduceLROnPlateau({ factor: 2 }),
    expect: { throws: 'ValueError', message: /ReduceLROnPlateau: factor must be > 0 and < 1, got 2/ },
  },
  {
    code: "new keras.ModelCheckpoint('model.safetensors', { save_freq: 10 })",
    run: (tg) => new tg.keras.ModelCheckpoint('model.safetensors', any({ save_freq: 10 })),
    expect: { throws: 'ValueError', message: /ModelCheckpoint: unknown option 'save_freq'/ },
  },
  {
    code: "new keras.ModelCheckpoint({ monitor: 'val_loss' })",
    run: (tg) => new tg.keras.ModelCheckpoint(any({ monitor: 'val_loss' })),
    expect: { throws: 'ValueError', message: /ModelCheckpoint: filepath must be a non-empty string/ },
  },
  {
    code: "new keras.CSVLogger('log.csv', ';')",
    run: (tg) => new tg.keras.CSVLogger('log.csv', any(';')),
    expect: { throws: 'ArgumentTypeError', message: /CSVLogger: expected an options object; accepted forms: new CSVLogger/ },
  },
  {
    code: 'new keras.LambdaCallback({ on_epoch_end: (epoch, logs) => ... })',
    run: (tg) => { const f = () => 1; return [new tg.keras.LambdaCallback(any({ on_epoch_end: f })).onEpochEnd, f]; },
    expect: { check: ([hook, f]) => expect(hook).toBe(f) },
  },
  {
    code: 'new keras.LambdaCallback({ onEpochEnded: (epoch, logs) => ... })',
    run: (tg) => new tg.keras.LambdaCallback(any({ onEpochEnded: () => 1 })),
    expect: { throws: 'ValueError', message: /LambdaCallback: unknown option 'onEpochEnded': did you mean 'onEpochEnd'/ },
  },
  {
    code: 'model.fit(x, y, { callbacks: [{ on_epoch_end() {} }] })',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).fit(x, y, { verbose: 0, callbacks: [any({ on_epoch_end() {} })] }); },
    expect: { throws: 'ValueError', message: /'on_epoch_end' is not a callback hook: did you mean 'onEpochEnd'/ },
  },
  {
    code: 'new keras.LearningRateScheduler((epoch, lr) => lr, 1)',
    run: (tg) => new tg.keras.LearningRateScheduler((_e, lr) => lr, any(1)),
    expect: { throws: 'ArgumentTypeError', message: /LearningRateScheduler: expected an options object/ },
  },

  // ---- layers beyond Dense ---------------------------------------------------------------------
  {
    code: "new keras.Conv2D(8, 3, { padding: 'SAME' })",
    run: (tg) => new tg.keras.Conv2D(8, 3, any({ padding: 'SAME' })),
    expect: { throws: 'ValueError', message: /Conv2D.*padding/ },
  },
  {
    code: "new keras.Conv2D(8, 3, { data_format: 'channels_first', input_shape: [1, 5, 5] }).call(x) // x [1, 1, 5, 5]",
    run: (tg) => new tg.keras.Conv2D(8, 3, any({ data_format: 'channels_first', input_shape: [1, 5, 5] })).call(tg.zeros([1, 1, 5, 5])).shape,
    // valid 3×3 on 5×5: 3×3 outputs, channels first
    expect: { check: (shape) => expect(shape).toEqual([1, 8, 3, 3]) },
  },
  {
    code: "new keras.Conv2D(2, 3, { padding: 'same', strides: 2 }).call(x) // x [1, 5, 4, 1]",
    run: (tg) => new tg.keras.Conv2D(2, 3, { padding: 'same', strides: 2 }).call(tg.zeros([1, 5, 4, 1])).shape,
    // Keras 'same': ceil(5 / 2) = 3, ceil(4 / 2) = 2 (PyTorch's Conv2d rejects padding='same' with stride 2)
    expect: { check: (shape) => expect(shape).toEqual([1, 3, 2, 2]) },
  },
  {
    code: 'new keras.Conv2D(8).call(x)',
    run: (tg) => new tg.keras.Conv2D(any(8)),
    expect: { throws: 'ValueError', message: /Conv2D: kernelSize is required/ },
  },
  {
    code: 'new keras.MaxPooling2D({ pool_size: 3 }).call(x) // x [1, 7, 7, 1]',
    run: (tg) => new tg.keras.MaxPooling2D(any({ pool_size: 3 })).call(tg.zeros([1, 7, 7, 1])).shape,
    // strides default to pool_size: floor((7 - 3) / 3) + 1 = 2
    expect: { check: (shape) => expect(shape).toEqual([1, 2, 2, 1]) },
  },
  {
    code: 'new keras.MaxPooling2D(2).call(x) // x [4, 4] (no batch or channel dims)',
    run: (tg) => new tg.keras.MaxPooling2D(2).call(tg.zeros([4, 4])),
    expect: { throws: 'ShapeError', message: /MaxPooling2D.*expected 4-d image batches/ },
  },
  {
    code: 'new keras.BatchNormalization({ momentum: 0.99, eps: 1e-3 })',
    run: (tg) => new tg.keras.BatchNormalization(any({ momentum: 0.99, eps: 1e-3 })),
    expect: { throws: 'ValueError', message: /BatchNormalization: unknown option 'eps' \(known options: .*momentum, epsilon/ },
  },
  {
    code: 'new keras.BatchNormalization({ center: false })',
    run: (tg) => new tg.keras.BatchNormalization({ center: false }),
    expect: { throws: 'NotImplementedError', message: /center and scale must be both true or both false/ },
  },
  {
    code: 'new keras.Embedding(1000, 64, { mask_zero: true })',
    run: (tg) => new tg.keras.Embedding(1000, 64, any({ mask_zero: true })),
    expect: { throws: 'NotImplementedError', message: /Embedding: maskZero is not supported/ },
  },
  {
    code: 'new keras.Embedding(10, 2).call(tensor([[0.5, 1]]))',
    run: (tg) => new tg.keras.Embedding(10, 2).call(tg.tensor([[0.5, 1]])),
    expect: { throws: 'ValueError', message: /Embedding.*non-integer/ },
  },
  {
    code: 'new keras.LSTM(32, { return_state: true })',
    run: (tg) => new tg.keras.LSTM(32, any({ return_state: true })),
    expect: { throws: 'NotImplementedError', message: /LSTM: returnState true is not supported/ },
  },
  {
    code: 'new keras.GRU(32, { reset_after: false })',
    run: (tg) => new tg.keras.GRU(32, any({ reset_after: false })),
    expect: { throws: 'NotImplementedError', message: /GRU: resetAfter false is not supported/ },
  },
  {
    code: 'new keras.LSTM(4, { return_sequences: true }).call(x) // x [2, 5, 3]',
    run: (tg) => new tg.keras.LSTM(4, any({ return_sequences: true })).call(tg.zeros([2, 5, 3])).shape,
    expect: { check: (shape) => expect(shape).toEqual([2, 5, 4]) },
  },
  {
    code: 'new keras.Reshape([5, 5]).call(x) // x [2, 24]',
    run: (tg) => new tg.keras.Reshape([5, 5]).call(tg.zeros([2, 24])),
    expect: { throws: 'ShapeError', message: /Reshape.*cannot reshape samples of shape \[24\]/ },
  },
  {
    code: 'new keras.Sequential([new keras.Dense(4, { input_dim: 3 }), keras.Input({ shape: [3] })])',
    run: (tg) => new tg.keras.Sequential([new tg.keras.Dense(4, any({ input_dim: 3 })), tg.keras.Input({ shape: [3] })]),
    expect: { throws: 'ValueError', message: /an Input \(InputLayer\) must come first/ },
  },
  {
    code: 'model.setWeights(model.getWeights().slice(1))',
    run: (tg) => { const m = identity(tg); return m.setWeights(m.getWeights().slice(1)); },
    expect: { throws: 'ValueError', message: /setWeights: expected 1 weight tensor \(kernel\), got 0/ },
  },
  {
    code: 'model.setWeights([tensor([1])]) // kernel is [1, 1]',
    run: (tg) => identity(tg).setWeights([tg.tensor([1])]),
    expect: { throws: 'ShapeError', message: /weight 0 \(kernel\) must have shape \[1, 1\], got \[1\]/ },
  },
  {
    code: 'model.trainOnBatch(x, y) // x = [1, 2, 3], y = 0, pred = x',
    run: (tg) => { const { x, y } = xy(tg); return identity(tg).trainOnBatch(x, y); },
    // the loss before the step: (1 + 4 + 9) / 3
    expect: { check: (loss) => expect(loss).toBeCloseTo(14 / 3, 5) },
  },
  {
    code: "model.compile({ loss: 'mse', metrics: ['AUC', 'precision'] }); model.testOnBatch(x, y, { return_dict: true })",
    run: (tg) => {
      const m = identity(tg);
      m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['AUC', 'precision'] });
      return m.testOnBatch(tg.tensor([[0.9], [0.2], [0.6]]), tg.tensor([[1], [0], [0]]), any({ return_dict: true }));
    },
    // loss (0.01 + 0.04 + 0.36) / 3; precision: 0.9 and 0.6 predicted positive, one right; auc: 0.9 beats both negatives
    expect: { check: (r) => expect(r).toEqual({ loss: expect.closeTo(0.41 / 3, 5), AUC: expect.closeTo(1, 9), precision: 0.5 }) },
  },
  {
    code: "keras.metrics.AUC({ curve: 'PR' })",
    run: (tg) => tg.keras.metrics.AUC({ curve: any('PR') }),
    expect: { throws: 'NotImplementedError', message: /AUC: curve 'PR' is not supported/ },
  },
];
