// A Keras-style convolutional network on the MNIST digits, written as in Keras 3: channels-last
// images, `keras.Input`, Conv2D → MaxPooling2D → Conv2D → MaxPooling2D → Flatten → Dense softmax,
// Adam and sparse categorical cross-entropy. The same script in Python Keras reads almost the same.
//
//   npx tsx examples/cnn-keras.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/cnn-keras.ts   # the same run (it is short already)
import { data, keras, manualSeed, tensor } from '../src/index.js';

const started = performance.now();
manualSeed(42);
const { images, labels } = data.mnistDigits();
const [trainSet, testSet] = data.randomSplit(new data.TensorDataset(images, labels), [8000, 2000]);
const take = (s: data.Subset<unknown>, n: number) => tensor(s.indices.subarray(0, n), { dtype: 'int32' });
const trainIdx = take(trainSet!, 6000);
const testIdx = take(testSet!, 2000);
// [N, 784] → [N, 28, 28, 1]: Keras' channels-last layout.
const asImages = (idx: ReturnType<typeof take>) => images.indexSelect(0, idx).reshape([-1, 28, 28, 1]);
const xTrain = asImages(trainIdx);
const yTrain = labels.indexSelect(0, trainIdx);
const xTest = asImages(testIdx);
const yTest = labels.indexSelect(0, testIdx);

const { Sequential, Input, Conv2D, MaxPooling2D, Flatten, Dense } = keras;
const model = new Sequential([
  Input({ shape: [28, 28, 1] }),
  new Conv2D(8, 3, { activation: 'relu' }),
  new MaxPooling2D(),
  new Conv2D(16, 3, { activation: 'relu' }),
  new MaxPooling2D(),
  new Flatten(),
  new Dense(10, { activation: 'softmax' }),
]);
model.compile({ optimizer: { name: 'adam', learningRate: 2e-3 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
model.summary();
await model.fit(xTrain, yTrain, { epochs: 4, batchSize: 32, verbose: 2 });

const { loss, accuracy } = model.evaluate(xTest, yTest, { batchSize: 500 });
const seconds = (performance.now() - started) / 1000;
console.log(`test loss: ${loss!.toFixed(4)} - test accuracy: ${accuracy!.toFixed(4)} (${seconds.toFixed(1)}s)`);
if (!(accuracy! >= 0.95)) {
  console.error(`test accuracy ${accuracy!.toFixed(4)} is below the expected 0.95`);
  process.exitCode = 1;
}
