// XOR: the classic problem a linear model cannot solve, learned by a 2-8-1 tanh network with
// a sigmoid output and binary cross-entropy (Keras-style), then checked by hand.
//
//   npx tsx examples/xor.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/xor.ts
import { keras, manualSeed, tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');
manualSeed(0);

const x = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const y = tensor([[0], [1], [1], [0]]);

const model = new keras.Sequential();
model.add(new keras.Dense({ units: 8, activation: 'tanh', inputDim: 2 }));
model.add(new keras.Dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: { name: 'adam', lr: 0.05 }, loss: 'binary_crossentropy', metrics: ['accuracy'] });
const history = await model.fit(x, y, { epochs: quick ? 20 : 300, batchSize: 4, verbose: 0 });

const p = model.predict(x).toArray() as number[][];
const rows = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
rows.forEach(([a, b], i) => console.log(`${a} xor ${b} -> ${p[i]![0]!.toFixed(3)}`));
const loss = history.history['loss']!;
console.log(`loss ${loss[0]!.toFixed(4)} -> ${loss[loss.length - 1]!.toFixed(4)}`);
const solved = p.every((r, i) => Math.round(r[0]!) === [0, 1, 1, 0][i]);
console.log(solved ? 'solved' : 'not solved yet');
if (!quick && !solved) process.exitCode = 1;
