// A small convolutional network on the MNIST digits: conv(1→8, 3×3) → relu → maxpool →
// conv(8→16, 3×3) → relu → maxpool → linear(16·5·5 → 10), trained with Adam and cross-entropy.
//
//   npx tsx examples/cnn-mnist.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/cnn-mnist.ts   # a few batches only
import { data, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');

class SmallCNN extends nn.Module<[Tensor], Tensor> {
  conv1 = new nn.Conv2d(1, 8, 3);
  conv2 = new nn.Conv2d(8, 16, 3);
  pool = new nn.MaxPool2d(2);
  fc = new nn.Linear(16 * 5 * 5, 10);
  forward(x: Tensor): Tensor {
    let h = this.pool.call(this.conv1.call(x).relu()); // [N, 8, 13, 13]
    h = this.pool.call(this.conv2.call(h).relu()); // [N, 16, 5, 5]
    return this.fc.call(h.flatten(1));
  }
}

manualSeed(42);
const { images, labels } = data.mnistDigits();
const [trainSet, testSet] = data.randomSplit(new data.TensorDataset(images, labels), [8000, 2000]);
const nTrain = quick ? 256 : 4000;
const nTest = quick ? 200 : 2000;
const trainIdx = tensor(trainSet!.indices.subarray(0, nTrain), { dtype: 'int32' });
const testIdx = tensor(testSet!.indices.subarray(0, nTest), { dtype: 'int32' });
const asImages = (t: Tensor) => t.reshape([-1, 1, 28, 28]);
const train = new data.TensorDataset(asImages(images.indexSelect(0, trainIdx)), labels.indexSelect(0, trainIdx));
const loader = new data.DataLoader(train, { batchSize: 64, shuffle: true });

const model = new SmallCNN();
const optimizer = new optim.Adam(model.parameters(), { lr: 2e-3 });
const lossFn = new nn.CrossEntropyLoss();
const started = performance.now();
const epochs = quick ? 1 : 2;
for (let epoch = 0; epoch < epochs; epoch++) {
  let total = 0;
  let n = 0;
  for (const [x, y] of loader) {
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(x!), y!);
    loss.backward();
    optimizer.step();
    total += loss.item();
    n++;
  }
  console.log(`epoch ${epoch + 1}/${epochs} - loss: ${(total / n).toFixed(4)}`);
}
model.eval();
const accuracy = noGrad(() =>
  model
    .call(asImages(images.indexSelect(0, testIdx)))
    .argmax(1)
    .eq(labels.indexSelect(0, testIdx))
    .float()
    .mean()
    .item(),
);
console.log(`test accuracy: ${accuracy.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(1)}s)`);
