/** Options meta-test entries for the keras exports (see types.ts). */
import type { Lib } from '../wrong-calls/types.js';
import type { OptionsTable } from './types.js';

/** A built, compiled one-layer model and data that fit it. */
function compiled(tg: Lib) {
  const model = new tg.keras.Sequential([new tg.keras.Dense({ units: 2, inputDim: 3 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  return { model, x: tg.zeros([4, 3]), y: tg.zeros([4, 2]) };
}

/** Entries of the keras area. */
export const table: OptionsTable = {
  // Layers: the options object (snake_case spellings are read as the same options, unknown keys throw).
  'keras.Dense': (tg, o) => new tg.keras.Dense({ units: 2, ...o }),
  'keras.Activation': (tg, o) => new tg.keras.Activation('relu', o),
  'keras.Dropout': (tg, o) => new tg.keras.Dropout(0.5, o),
  'keras.Flatten': (tg, o) => new tg.keras.Flatten(o),
  'keras.ModuleLayer': (tg, o) => new tg.keras.ModuleLayer(new tg.nn.Identity(), o),
  'keras.Layer': (tg, o) =>
    new (class extends tg.keras.Layer {
      forward(x: ReturnType<Lib['zeros']>) {
        return x;
      }
    })(o),
  'keras.Sequential': (tg, o) => new tg.keras.Sequential([], o),
  'keras.Conv2D': (tg, o) => new tg.keras.Conv2D(4, 3, o),
  'keras.MaxPooling2D': (tg, o) => new tg.keras.MaxPooling2D(2, o),
  'keras.AveragePooling2D': (tg, o) => new tg.keras.AveragePooling2D(o),
  'keras.Pooling2D': { none: 'abstract base of MaxPooling2D and AveragePooling2D; not constructible' },
  'keras.GlobalAveragePooling2D': (tg, o) => new tg.keras.GlobalAveragePooling2D(o),
  'keras.BatchNormalization': (tg, o) => new tg.keras.BatchNormalization(o),
  'keras.LayerNormalization': (tg, o) => new tg.keras.LayerNormalization(o),
  'keras.Embedding': (tg, o) => new tg.keras.Embedding(10, 4, o),
  'keras.LSTM': (tg, o) => new tg.keras.LSTM(4, o),
  'keras.GRU': (tg, o) => new tg.keras.GRU(4, o),
  'keras.Recurrent': { none: 'abstract base of LSTM and GRU; not constructible' },
  'keras.Reshape': (tg, o) => new tg.keras.Reshape([2, 2], o),
  'keras.InputLayer': (tg, o) => new tg.keras.InputLayer({ shape: [3], ...o }),
  'keras.Input': (tg, o) => tg.keras.Input([3], o),
  // Methods of the model.
  'keras.Sequential#compile': (tg, o) => compiled(tg).model.compile({ optimizer: 'adam', loss: 'mse', ...o }),
  'keras.Sequential#compile optimizer config': (tg, o) => compiled(tg).model.compile({ optimizer: { name: 'adam', ...o }, loss: 'mse' }),
  'keras.Sequential#compile loss config': (tg, o) => compiled(tg).model.compile({ optimizer: 'adam', loss: { name: 'mse', ...o } }),
  'keras.Sequential#fit': (tg, o) => {
    const { model, x, y } = compiled(tg);
    return model.fit(x, y, { verbose: 0, ...o });
  },
  'keras.Sequential#fit on a DataLoader': (tg, o) => {
    const { model, x, y } = compiled(tg);
    return model.fit(new tg.data.DataLoader(new tg.data.TensorDataset(x, y), { batchSize: 2 }), { verbose: 0, ...o });
  },
  'keras.Sequential#evaluate': (tg, o) => {
    const { model, x, y } = compiled(tg);
    return model.evaluate(x, y, o);
  },
  'keras.Sequential#predict': (tg, o) => compiled(tg).model.predict(tg.zeros([4, 3]), o),
  'keras.Sequential#summary': (tg, o) => compiled(tg).model.summary({ print: false, ...o }),
  'keras.Sequential#trainOnBatch': (tg, o) => {
    const { model, x, y } = compiled(tg);
    return model.trainOnBatch(x, y, o);
  },
  'keras.Sequential#testOnBatch': (tg, o) => {
    const { model, x, y } = compiled(tg);
    return model.testOnBatch(x, y, o);
  },
  // Callbacks.
  'keras.EarlyStopping': (tg, o) => new tg.keras.EarlyStopping(o),
  'keras.ReduceLROnPlateau': (tg, o) => new tg.keras.ReduceLROnPlateau(o),
  'keras.ModelCheckpoint': (tg, o) => new tg.keras.ModelCheckpoint('model.safetensors', o),
  'keras.LearningRateScheduler': (tg, o) => new tg.keras.LearningRateScheduler((_e, lr) => lr, o),
  'keras.CSVLogger': (tg, o) => new tg.keras.CSVLogger('log.csv', o),
  'keras.LambdaCallback': (tg, o) => new tg.keras.LambdaCallback(o),
  'keras.ProgressLogger': (tg, o) => new tg.keras.ProgressLogger(o),
  'keras.Callback': { none: 'the base class takes no arguments (subclass it and override hooks); extra arguments throw' },
  'keras.History': { none: 'fit creates it; it takes no arguments (extra arguments throw)' },
  'keras.TerminateOnNaN': { none: 'it takes no arguments (extra arguments throw)' },
  // Loss and optimizer objects.
  'keras.losses.CategoricalCrossentropy': (tg, o) => tg.keras.losses.CategoricalCrossentropy(o),
  'keras.losses.SparseCategoricalCrossentropy': (tg, o) => tg.keras.losses.SparseCategoricalCrossentropy(o),
  'keras.losses.BinaryCrossentropy': (tg, o) => tg.keras.losses.BinaryCrossentropy(o),
  'keras.losses.MeanSquaredError': (tg, o) => tg.keras.losses.MeanSquaredError(o as never),
  'keras.losses.MeanAbsoluteError': (tg, o) => tg.keras.losses.MeanAbsoluteError(o as never),
  'keras.losses.Huber': (tg, o) => tg.keras.losses.Huber(o),
  'keras.optimizers.SGD': (tg, o) => tg.keras.optimizers.SGD(o),
  'keras.optimizers.Adam': (tg, o) => tg.keras.optimizers.Adam(o),
  'keras.optimizers.AdamW': (tg, o) => tg.keras.optimizers.AdamW(o),
  'keras.optimizers.RMSprop': (tg, o) => tg.keras.optimizers.RMSprop(o),
  'keras.optimizers.Adagrad': (tg, o) => tg.keras.optimizers.Adagrad(o),
  'keras.metrics.Precision': (tg, o) => tg.keras.metrics.Precision(o),
  'keras.metrics.Recall': (tg, o) => tg.keras.metrics.Recall(o),
  'keras.metrics.AUC': (tg, o) => tg.keras.metrics.AUC(o),
  'keras.metrics.TopKCategoricalAccuracy': (tg, o) => tg.keras.metrics.TopKCategoricalAccuracy(o),
  'keras.metrics.SparseTopKCategoricalAccuracy': (tg, o) => tg.keras.metrics.SparseTopKCategoricalAccuracy(o),
  'keras.Loss': { none: 'built by keras.losses.*; its constructor is internal' },
  'keras.KerasOptimizer': { none: 'built by keras.optimizers.*; its constructor is internal' },
  'keras.makeOptimizer': (tg, o) => tg.keras.makeOptimizer({ name: 'adam', ...o }, [tg.zeros([2], { requiresGrad: true })]),
  'keras.computeLoss': (tg, o) => tg.keras.computeLoss('mse', tg.zeros([2, 1]), tg.zeros([2, 1]), o),
  // Saving and loading.
  'keras.loadModel': (tg, o) => tg.keras.loadModel('no-such-file.safetensors', o),
  'keras.modelFromConfig': (tg, o) => tg.keras.modelFromConfig(compiled(tg).model.getConfig(), o),
  'keras.registerLayer': { none: 'takes a class name and a factory, no options' },
  // Name tables.
  'keras.activationName': { none: 'takes one name' },
  'keras.getActivation': { none: 'takes one name or function' },
  'keras.initializerName': { none: 'takes one name' },
  'keras.initialize': { none: 'takes a tensor and an initializer name' },
  'keras.lossName': { none: 'takes one name' },
  'keras.optimizerName': { none: 'takes one name' },
  'keras.MetricsLogger': (tg, o) => new tg.keras.MetricsLogger('fit.jsonl', o),
};
