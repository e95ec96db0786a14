// The tapegrad half of docs/interop.md's "scaling out" walk-through: trains a small regression MLP
// for a few steps with Adam and saves the run as one checkpoint (model, optimizer, epoch).
//   npx tsx scripts/interop-ddp-start.ts run/start.safetensors
import { io, manualSeed, nn, optim, randn } from '../src/index.js';

const path = process.argv[2] ?? 'start.safetensors';
manualSeed(0);
const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 1));
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const x = randn([256, 4]);
const y = x.sum(1, { keepdim: true }).sin();
for (let epoch = 0; epoch < 20; epoch++) {
  optimizer.zeroGrad();
  const loss = model.call(x).sub(y).pow(2).mean();
  loss.backward();
  optimizer.step();
  if (epoch % 5 === 4) console.log(`tapegrad epoch ${epoch + 1}: loss ${loss.item().toFixed(4)}`);
}
io.saveCheckpoint({ model, optimizer, epoch: 20 }, path);
io.saveNpz(path.replace(/\.safetensors$/, '') + '-data.npz', { x, y });
console.log(`saved ${path} (${Object.keys(nn.load(path)).length} tensors) and the data as .npz`);
