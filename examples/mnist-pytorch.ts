// The same 784-10-10-10 MNIST model as mnist-keras.ts, written PyTorch-style: an nn.Module,
// a DataLoader, optim.Adam and an explicit training loop with CrossEntropyLoss on logits.
//
//   npx tsx examples/mnist-pytorch.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/mnist-pytorch.ts   # one epoch on 1 000 digits
import { data, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');

class Net extends nn.Module<[Tensor], Tensor> {
  fc1 = new nn.Linear(784, 10);
  fc2 = new nn.Linear(10, 10);
  fc3 = new nn.Linear(10, 10);
  forward(x: Tensor): Tensor {
    return this.fc3.call(this.fc2.call(this.fc1.call(x).relu()).relu()); // logits
  }
}

manualSeed(42);
const { images, labels } = data.mnistDigits();
const [trainSet, testSet] = data.randomSplit(new data.TensorDataset(images, labels), [8000, 2000]);
const pick = (s: data.Subset<Tensor[]>, n: number) => tensor(s.indices.subarray(0, n), { dtype: 'int32' });
const trainIdx = pick(trainSet!, quick ? 1000 : 8000);
const testIdx = pick(testSet!, quick ? 500 : 2000);
const train = new data.TensorDataset(images.indexSelect(0, trainIdx), labels.indexSelect(0, trainIdx));
const loader = new data.DataLoader(train, { batchSize: 32, shuffle: true });

const model = new Net();
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });

const started = performance.now();
const epochs = quick ? 1 : 10;
for (let epoch = 0; epoch < epochs; epoch++) {
  let total = 0;
  let batches = 0;
  for (const [x, y] of loader) {
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(x!), y!);
    loss.backward();
    optimizer.step();
    total += loss.item();
    batches++;
  }
  console.log(`epoch ${epoch + 1}/${epochs} - loss: ${(total / batches).toFixed(4)}`);
}

model.eval();
const accuracy = noGrad(() => {
  const logits = model.call(images.indexSelect(0, testIdx));
  return logits.argmax(1).eq(labels.indexSelect(0, testIdx)).float().mean().item();
});
console.log(`test accuracy: ${accuracy.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(2)}s)`);
