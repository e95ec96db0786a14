// Writes tapegrad's side of the PyTorch fixtures into a folder (the first argument): for every case of
// test/nn/torch-fixture-cases.ts, <case>.safetensors (the state dict, via nn.save) and
// <case>.io.safetensors (the inputs and tapegrad's outputs). scripts/make-torch-fixtures.py runs this
// and loads the files into PyTorch with strict=True.
//   npx tsx scripts/write-tapegrad-fixtures.ts /tmp/out
import { join } from 'node:path';
import { io, manualSeed, nn, optim, randn } from '../src/index.js';
import { fixtureTags, makeTapegradCase } from '../test/nn/torch-fixture-cases.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: tsx scripts/write-tapegrad-fixtures.ts <folder>');
for (const [tag, c, dtype] of fixtureTags()) {
  const { module, io } = makeTapegradCase(c, dtype, 7);
  nn.save(module.stateDict(), join(dir, `${tag}.safetensors`), { format: 'pt', writer: 'tapegrad' });
  const outputs = c.run(module, io);
  nn.save({ ...io, ...outputs }, join(dir, `${tag}.io.safetensors`));
}
console.log(`tapegrad wrote ${fixtureTags().length} cases to the temporary folder`);

// A run to resume in PyTorch: 10 Adam steps (float64, amsgrad, weight decay), a checkpoint, then 5 more
// steps whose parameters PyTorch must reproduce from the checkpoint.
manualSeed(1);
const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 1)).double();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.05, weightDecay: 0.01, amsgrad: true });
const x = randn([32, 4], { dtype: 'float64' });
const y = x.sum(1, { keepdim: true }).sin();
const step = (): void => {
  optimizer.zeroGrad();
  model.call(x).sub(y).pow(2).mean().backward();
  optimizer.step();
};
for (let i = 0; i < 10; i++) step();
io.saveCheckpoint({ model, optimizer, x, y, steps: 10 }, join(dir, 'resume.safetensors'));
for (let i = 0; i < 5; i++) step();
nn.save(model.stateDict(), join(dir, 'resume-after.safetensors'));
console.log('tapegrad wrote an Adam run checkpointed after 10 steps and its parameters after 15');
