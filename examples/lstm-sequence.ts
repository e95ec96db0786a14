// An LSTM on a toy sequence task: read a sequence of 0/1 bits and predict whether it holds an odd
// number of ones (parity), from the last hidden state. Trained with Adam and binary cross-entropy
// on logits.
//
//   npx tsx examples/lstm-sequence.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/lstm-sequence.ts
import { Generator, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');
const T = 6;

function batch(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const bits: number[][][] = [];
  const parity: number[][] = [];
  for (let i = 0; i < n; i++) {
    const seq: number[] = Array.from({ length: T }, () => (g.random() < 0.5 ? 0 : 1));
    bits.push(seq.map((b) => [b]));
    parity.push([seq.reduce((a, b) => a + b, 0) % 2]);
  }
  return { x: tensor(bits), y: tensor(parity) }; // x [N, T, 1], y [N, 1]
}

class ParityNet extends nn.Module<[Tensor], Tensor> {
  lstm = new nn.LSTM(1, 16, { batchFirst: true });
  head = new nn.Linear(16, 1);
  forward(x: Tensor): Tensor {
    const { hN } = this.lstm.call(x); // [1, N, 16]
    return this.head.call(hN.select(0, 0)); // logits [N, 1]
  }
}

manualSeed(0);
const g = new Generator(1);
const model = new ParityNet();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const lossFn = new nn.BCEWithLogitsLoss();
const steps = quick ? 5 : 600;
for (let step = 1; step <= steps; step++) {
  const { x, y } = batch(64, g);
  optimizer.zeroGrad();
  const loss = lossFn.call(model.call(x), y);
  loss.backward();
  optimizer.step();
  if (step % 100 === 0 || step === steps) console.log(`step ${step} - loss: ${loss.item().toFixed(4)}`);
}
const test = batch(500, new Generator(2));
const accuracy = noGrad(() => model.call(test.x).gt(0).float().eq(test.y).float().mean().item());
console.log(`parity accuracy on 500 new sequences of ${T} bits: ${accuracy.toFixed(3)}`);
