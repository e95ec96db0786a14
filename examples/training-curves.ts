// Training curves of the seed model: the classic 784-10-10-10 Keras network on the MNIST digits,
// fitted with validationSplit so that every epoch has training and validation loss and accuracy.
// A keras.MetricsLogger callback writes each epoch's logs to runs/seed-curves.jsonl;
// training.plotHistory reads that log back and draws it as a standalone SVG (runs/seed-curves.svg,
// or the path in TAPEGRAD_CURVES). docs/images/seed-curves.svg was made by this script.
//
//   npx tsx examples/training-curves.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/training-curves.ts   # two short epochs on 1 000 digits
import { data, keras, manualSeed, tensor, training } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1';
const curves = process.env['TAPEGRAD_CURVES'] ?? 'runs/seed-curves.svg';
const log = 'runs/seed-curves.jsonl';

manualSeed(42);
const { images, labels } = data.mnistDigits();
const n = quick ? 1000 : 8000;
const idx = tensor(data.randomSplit(new data.TensorDataset(images, labels), [8000, 2000])[0]!.indices.subarray(0, n), { dtype: 'int32' });
const x = images.indexSelect(0, idx);
const y = data.transforms.oneHot(10)(labels.indexSelect(0, idx));

const model = new keras.Sequential();
model.add(new keras.Dense({ units: 10, activation: 'relu', inputDim: 784 }));
model.add(new keras.Dense({ units: 10, activation: 'relu' }));
model.add(new keras.Dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });

const history = await model.fit(x, y, {
  epochs: quick ? 2 : 10,
  batchSize: 32,
  validationSplit: 0.2,
  callbacks: [new keras.MetricsLogger(log)],
});
const records = training.readLog(log);
console.log(
  `${records.length} epochs logged to ${log}; last: loss ${history.history['loss']!.at(-1)!.toFixed(4)}, val_loss ${history.history['val_loss']!.at(-1)!.toFixed(4)}`,
);
training.plotHistory(log, curves, { title: 'Seed model (784-10-10-10) on MNIST digits, validationSplit 0.2' });
console.log(`training curves: ${curves}`);
