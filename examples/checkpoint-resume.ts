// Save a training run to a checkpoint and resume it: model weights and Adam's state go into one
// safetensors file (tensors as tensors, step counts and options as JSON metadata), written
// atomically. Resuming from the checkpoint ends with exactly the weights of an uninterrupted run.
//
//   npx tsx examples/checkpoint-resume.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/checkpoint-resume.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, Tensor, manualSeed, nn, optim, randn } from '../src/index.js';

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

/** Model and optimizer state in one safetensors file: tensors under model./optim. keys, the rest as JSON. */
function saveCheckpoint(path: string, model: nn.Module, opt: optim.Optimizer, step: number): void {
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(model.stateDict())) tensors[`model.${k}`] = t;
  const sd = opt.stateDict();
  const scalars: Record<string, Record<string, unknown>> = {};
  for (const [idx, state] of Object.entries(sd.state)) {
    scalars[idx] = {};
    for (const [name, value] of Object.entries(state)) {
      if (value instanceof Tensor) tensors[`optim.${idx}.${name}`] = value;
      else scalars[idx]![name] = value;
    }
  }
  nn.save(tensors, path, { step: String(step), paramGroups: JSON.stringify(sd.paramGroups), scalars: JSON.stringify(scalars) });
}

function loadCheckpoint(path: string, model: nn.Module, opt: optim.Optimizer, metadata: Record<string, string>): number {
  const tensors = nn.load(path);
  const modelState: Record<string, Tensor> = {};
  const state: Record<string, Record<string, optim.StateValue>> = JSON.parse(metadata['scalars']!);
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith('model.')) modelState[k.slice(6)] = t;
    else {
      const [, idx, name] = k.split('.');
      (state[idx!] ??= {})[name!] = t;
    }
  }
  model.loadStateDict(modelState);
  opt.loadStateDict({ state, paramGroups: JSON.parse(metadata['paramGroups']!) } as optim.OptimizerStateDict);
  return Number(metadata['step']);
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
    saveCheckpoint(path, b, opt, half);
    console.log(`saved a checkpoint at step ${half} to ${path}`);
  }
  const b = makeModel();
  const opt = new optim.Adam(b.parameters(), { lr: 0.01 });
  const { readFileSync } = await import('node:fs');
  const { decodeSafetensors } = await import('../src/io/safetensors.js');
  const metadata = decodeSafetensors(readFileSync(path)).metadata;
  const step = loadCheckpoint(path, b, opt, metadata);
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
