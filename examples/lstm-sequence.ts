// An LSTM on a toy sequence task: read a string of brackets, one per step ('(' as 1, ')' as 0), and
// decide whether it never closes more brackets than it has opened (every prefix balanced or open),
// from the last hidden state. The answer depends on the order, so the LSTM has to keep a running
// count. Trained with Adam and binary cross-entropy on logits.
//
//   npx tsx examples/lstm-sequence.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/lstm-sequence.ts
import { Generator, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');
const T = 8;

/** 1 when no prefix of `brackets` has more closing than opening brackets. */
function neverOverCloses(brackets: number[]): number {
  let open = 0;
  for (const b of brackets) {
    open += b === 1 ? 1 : -1;
    if (open < 0) return 0;
  }
  return 1;
}

function batch(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const steps: number[][][] = [];
  const labels: number[][] = [];
  for (let i = 0; i < n; i++) {
    const brackets = Array.from({ length: T }, () => (g.random() < 0.5 ? 0 : 1));
    steps.push(brackets.map((b) => [b]));
    labels.push([neverOverCloses(brackets)]);
  }
  return { x: tensor(steps), y: tensor(labels) }; // x [N, T, 1], y [N, 1]
}

class BracketNet extends nn.Module<[Tensor], Tensor> {
  lstm = new nn.LSTM(1, 16, { batchFirst: true });
  head = new nn.Linear(16, 1);
  forward(x: Tensor): Tensor {
    const { hN } = this.lstm.call(x); // [1, N, 16]
    return this.head.call(hN.select(0, 0)); // logits [N, 1]
  }
}

manualSeed(0);
const g = new Generator(1);
const model = new BracketNet();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const lossFn = new nn.BCEWithLogitsLoss();
const steps = quick ? 150 : 400;
for (let step = 1; step <= steps; step++) {
  const { x, y } = batch(64, g);
  optimizer.zeroGrad();
  const loss = lossFn.call(model.call(x), y);
  loss.backward();
  optimizer.step();
  if (step % 50 === 0 || step === steps) console.log(`step ${step} - loss: ${loss.item().toFixed(4)}`);
}
const test = batch(500, new Generator(2));
const accuracy = noGrad(() => model.call(test.x).gt(0).float().eq(test.y).float().mean().item());
const positives = test.y.mean().item();
const baseline = Math.max(positives, 1 - positives); // always giving the commoner answer
console.log(
  `accuracy on 500 new sequences of ${T} brackets: ${accuracy.toFixed(3)} (always giving the commoner answer: ${baseline.toFixed(3)})`,
);
