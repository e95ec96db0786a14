// One-call training checkpoints: a stopped run resumes bit-identically (model, optimizer, scheduler
// and random generator restored from one file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor, defaultGenerator, io, manualSeed, nn, optim, randn, tensor } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeRun(): { model: nn.Sequential; optimizer: optim.Adam; scheduler: optim.lrScheduler.StepLR } {
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(8, 1));
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.05, weightDecay: 1e-3, amsgrad: true });
  const scheduler = new optim.lrScheduler.StepLR(optimizer, 2, { gamma: 0.5 });
  return { model, optimizer, scheduler };
}

/** Trains `steps` steps on batches drawn from the global generator (dropout uses it too); returns the losses' bits. */
function train(run: ReturnType<typeof makeRun>, steps: number): string[] {
  const losses: string[] = [];
  for (let i = 0; i < steps; i++) {
    const x = randn([6, 4]);
    const y = x.sum(1, { keepdim: true }).sin();
    run.optimizer.zeroGrad();
    const loss = run.model.call(x).sub(y).pow(2).mean();
    loss.backward();
    run.optimizer.step();
    run.scheduler.step();
    losses.push(Buffer.from(new Float32Array([loss.item()]).buffer).toString('hex'));
  }
  return losses;
}

/** Every parameter and buffer as hex bits. */
function bits(m: nn.Module): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, t] of Object.entries(m.stateDict())) out[k] = Buffer.from(io.toNpy(t)).toString('hex');
  return out;
}

describe('saveCheckpoint / loadCheckpoint', () => {
  it('train N steps, checkpoint, train M more == load the checkpoint in a fresh run and train M: identical bits', () => {
    const path = join(dir, 'run.safetensors');
    manualSeed(0);
    const a = makeRun();
    train(a, 5);
    io.saveCheckpoint(
      {
        model: a.model,
        optimizer: a.optimizer,
        scheduler: a.scheduler,
        generator: defaultGenerator,
        epoch: 5,
        best: { loss: NaN, at: -0 },
      },
      path,
    );
    const lossesA = train(a, 4);

    manualSeed(99); // a different start: everything must come from the file
    const b = makeRun();
    const rest = io.loadCheckpoint(path, { model: b.model, optimizer: b.optimizer, scheduler: b.scheduler, generator: defaultGenerator });
    expect(rest['epoch']).toBe(5);
    expect(Object.is((rest['best'] as { at: number }).at, -0)).toBe(true);
    expect(Number.isNaN((rest['best'] as { loss: number }).loss)).toBe(true);
    expect(b.optimizer.paramGroups[0]!['lr']).toBe(0.05 * 0.25); // StepLR(2, 0.5) after 5 steps
    const lossesB = train(b, 4);
    expect(lossesB).toEqual(lossesA);
    expect(bits(b.model)).toEqual(bits(a.model));
    expect(b.optimizer.paramGroups[0]!['lr']).toBe(a.optimizer.paramGroups[0]!['lr']);
  });

  it('the file is a safetensors file whose model tensors carry PyTorch keys under model.', () => {
    const path = join(dir, 'keys.safetensors');
    const model = new nn.Sequential(new nn.BatchNorm1d(2));
    io.saveCheckpoint({ model, step: 1 }, path);
    const raw = nn.load(path);
    expect(Object.keys(raw).sort()).toEqual([
      'model.0.bias',
      'model.0.num_batches_tracked',
      'model.0.running_mean',
      'model.0.running_var',
      'model.0.weight',
    ]);
    const back = io.loadCheckpoint(path);
    expect(Object.keys(back['model'] as object)).toEqual(Object.keys(model.stateDict()));
    expect((back['model'] as Record<string, Tensor>)['0.running_var']!.toArray()).toEqual([1, 1]);
  });

  it('plain tensors and arrays round-trip; keys starting with $ are kept', () => {
    const path = join(dir, 'plain.safetensors');
    const t = tensor([1, 2], { dtype: 'int32' });
    io.saveCheckpoint({ data: [t, t, { $tensor: 'not a ref', n: null }], flag: true, text: 'é' }, path);
    const back = io.loadCheckpoint(path);
    const data = back['data'] as [Tensor, Tensor, Record<string, unknown>];
    expect(data[0].toArray()).toEqual([1, 2]);
    expect(data[0].dtype).toBe('int32');
    expect(data[2]).toEqual({ $tensor: 'not a ref', n: null });
    expect([back['flag'], back['text']]).toEqual([true, 'é']);
  });

  it('errors: missing entries, wrong targets, unsavable values, plain safetensors files', () => {
    const path = join(dir, 'err.safetensors');
    io.saveCheckpoint({ model: new nn.Linear(1, 1), epoch: 1 }, path);
    expect(() => io.loadCheckpoint(path, { optimizer: new optim.SGD(new nn.Linear(1, 1).parameters(), { lr: 1 }) })).toThrow(
      /has no 'optimizer'/,
    );
    expect(() => io.loadCheckpoint(path, { epoch: 1 })).toThrow(/target 'epoch' must have loadStateDict/);
    expect(() => io.loadCheckpoint(path, { model: new nn.Linear(2, 1) })).toThrow(nn.LoadStateDictError);
    expect(() => io.saveCheckpoint({ f: () => 1 }, path)).toThrow(/cannot save 'f'/);
    expect(() => io.saveCheckpoint({ m: new Map() }, path)).toThrow(/cannot save 'm'/);
    nn.save({ w: tensor([1]) }, path);
    expect(() => io.loadCheckpoint(path)).toThrow(/not a checkpoint/);
    expect(() => io.loadCheckpoint(join(dir, 'x'), 3 as never)).toThrow(TypeError);
  });
});

describe('Keras models', () => {
  it('io.saveCheckpoint({ model, optimizer: model.optimizer, generator }) resumes fit() bit-identically', async () => {
    const { keras } = await import('../../src/index.js');
    const path = join(dir, 'keras.safetensors');
    const build = (): InstanceType<typeof keras.Sequential> => {
      const m = new keras.Sequential();
      m.add(new keras.Dense({ units: 8, activation: 'tanh', inputDim: 3 }));
      m.add(new keras.Dense({ units: 1 }));
      m.compile({ optimizer: 'adam', loss: 'mse' });
      return m;
    };
    manualSeed(5);
    const x = randn([40, 3]);
    const y = x.sum(1, { keepdim: true }).cos();
    const a = build();
    await a.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    io.saveCheckpoint({ model: a, optimizer: a.optimizer!, generator: defaultGenerator, epoch: 2 }, path);
    await a.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });

    manualSeed(77);
    const b = build();
    io.loadCheckpoint(path, { model: b, optimizer: b.optimizer!, generator: defaultGenerator });
    await b.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(bits(b)).toEqual(bits(a));
  });
});
