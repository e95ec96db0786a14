// The same 784-10-10-10 MNIST model as mnist-keras.ts, written PyTorch-style: an nn.Module,
// a DataLoader, optim.Adam and an explicit training loop with CrossEntropyLoss on logits.
// Each epoch's training and validation (the 2 000 held-out digits) loss and accuracy go to a
// metrics log (JSON Lines), which is then plotted as training curves: runs/mnist-pytorch.svg
// and runs/mnist-pytorch.jsonl, or the SVG path in TAPEGRAD_CURVES (the log sits next to it).
// On a terminal a progress bar shows each epoch's batches with the running loss.
//
//   npx tsx examples/mnist-pytorch.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/mnist-pytorch.ts   # one epoch on 1 000 digits
import { data, manualSeed, nn, noGrad, optim, tensor, training, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');
const curves = process.env['TAPEGRAD_CURVES'] ?? 'runs/mnist-pytorch.svg';

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
const xTest = images.indexSelect(0, testIdx);
const yTest = labels.indexSelect(0, testIdx);

const model = new Net();
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const logger = new training.MetricsLogger(curves.replace(/\.svg$/, '') + '.jsonl');

/** Loss and accuracy on the held-out digits, without recording the tape. */
function validate(): { loss: number; accuracy: number } {
  model.eval();
  const result = noGrad(() => {
    const logits = model.call(xTest);
    return { loss: lossFn.call(logits, yTest).item(), accuracy: logits.argmax(1).eq(yTest).float().mean().item() };
  });
  model.train();
  return result;
}

const started = performance.now();
const epochs = quick ? 1 : 10;
for (let epoch = 0; epoch < epochs; epoch++) {
  let total = 0;
  let correct = 0;
  let seen = 0;
  let batches = 0;
  // A bar on a terminal; nothing when the output is a file or a pipe.
  const bar = training.progress(loader, { desc: `epoch ${epoch + 1}/${epochs}`, disable: !process.stderr.isTTY });
  for (const [x, y] of bar) {
    optimizer.zeroGrad();
    const logits = model.call(x!);
    const loss = lossFn.call(logits, y!);
    loss.backward();
    optimizer.step();
    total += loss.item();
    correct += noGrad(() => logits.argmax(1).eq(y!).sum().item());
    seen += y!.shape[0]!;
    batches++;
    bar.setPostfix({ loss: total / batches });
  }
  const val = validate();
  logger.log({ epoch, loss: total / batches, accuracy: correct / seen, val_loss: val.loss, val_accuracy: val.accuracy });
  console.log(
    `epoch ${epoch + 1}/${epochs} - loss: ${(total / batches).toFixed(4)} - val_loss: ${val.loss.toFixed(4)} - val_accuracy: ${val.accuracy.toFixed(4)}`,
  );
}

model.eval();
const accuracy = noGrad(() => model.call(xTest).argmax(1).eq(yTest).float().mean().item());
console.log(`test accuracy: ${accuracy.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(2)}s)`);
training.plotHistory(logger.path, curves, { title: 'MNIST 784-10-10-10 (PyTorch-style loop)' });
console.log(`training curves: ${curves} (log: ${logger.path})`);
