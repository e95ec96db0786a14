// Save a training run to a checkpoint and resume it: io.saveCheckpoint puts the model weights,
// Adam's state and the step into one safetensors file (tensors as tensors, the rest as JSON
// metadata), written atomically; io.loadCheckpoint restores them. Resuming from the checkpoint ends
// with exactly the weights of an uninterrupted run.
//
//   npx tsx examples/checkpoint-resume.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/checkpoint-resume.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, io, manualSeed, nn, optim, randn } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');
const total = quick ? 6 : 200;
const half = total / 2;

function makeModel(): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(4, 16), new nn.Tanh(), new nn.Linear(16, 1));
}

const g = new Generator(7);
const xs = randn([64, 4], { generator: g });
const ys = xs.sum(1, { keepdim: true }).sin();

function train(model: nn.Sequential, opt: optim.Adam, from: number, to: number): number {
  let loss = 0;
  for (let step = from; step < to; step++) {
    opt.zeroGrad();
    const l = model.call(xs).sub(ys).pow(2).mean();
    l.backward();
    opt.step();
    loss = l.item();
  }
  return loss;
}

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-ckpt-'));
try {
  // Run A: uninterrupted.
  const a = makeModel();
  const lossA = train(a, new optim.Adam(a.parameters(), { lr: 0.01 }), 0, total);

  // Run B: train half, checkpoint, throw everything away, resume from the file.
  const path = join(dir, 'run.safetensors');
  {
    const b = makeModel();
    const opt = new optim.Adam(b.parameters(), { lr: 0.01 });
    train(b, opt, 0, half);
    io.saveCheckpoint({ model: b, optimizer: opt, step: half }, path);
    console.log(`saved a checkpoint at step ${half} to ${path}`);
  }
  const b = makeModel();
  const opt = new optim.Adam(b.parameters(), { lr: 0.01 });
  const step = io.loadCheckpoint(path, { model: b, optimizer: opt })['step'] as number;
  const lossB = train(b, opt, step, total);
  console.log(`resumed at step ${step}; final loss ${lossB.toFixed(6)} vs uninterrupted ${lossA.toFixed(6)}`);

  const same = Object.entries(a.stateDict()).every(([k, t]) => {
    const u = b.stateDict()[k]!;
    return t.dataSync().every((v, i) => v === u.dataSync()[i]);
  });
  console.log(same ? 'identical weights: the resume is exact' : 'weights differ!');
  if (!same) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
