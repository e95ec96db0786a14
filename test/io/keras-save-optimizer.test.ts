// keras save(path, { includeOptimizer: true }): loadModel restores the optimizer, so fit resumes exactly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, keras, manualSeed, nn, optim, randn } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-keras-opt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(): InstanceType<typeof keras.Sequential> {
  const m = new keras.Sequential();
  m.add(new keras.Dense({ units: 6, activation: 'tanh', inputDim: 3 }));
  m.add(new keras.Dense({ units: 1 }));
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

const bits = (m: nn.Module): string[] => Object.values(m.stateDict()).map((t) => Buffer.from(io.toNpy(t)).toString('hex'));

describe('Sequential.save({ includeOptimizer })', () => {
  it('loadModel restores Adam: continuing training gives the same bits as the uninterrupted model', async () => {
    manualSeed(3);
    const x = randn([24, 3]);
    const y = x.sum(1, { keepdim: true }).sin();
    const a = build();
    await a.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    a.save(join(dir, 'with.safetensors'), { includeOptimizer: true });
    a.save(join(dir, 'without.safetensors'));
    await a.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });

    const b = keras.loadModel(join(dir, 'with.safetensors'));
    expect(b.optimizer!.stateDict().state[0]!['step']).toBe(8);
    await b.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    expect(bits(b)).toEqual(bits(a));

    const c = keras.loadModel(join(dir, 'without.safetensors')); // fresh Adam: a different path
    await c.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    expect(bits(c)).not.toEqual(bits(a));
    expect(Object.keys(nn.load(join(dir, 'with.safetensors')))).toContain('optimizer.state.0.expAvg');
  });

  it('needs an optimizer given by name; rejects unknown options', () => {
    const m = new keras.Sequential();
    m.add(new keras.Dense({ units: 1, inputDim: 2 }));
    m.compile({ optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }), loss: 'mse' });
    expect(() => m.save(join(dir, 'x.safetensors'), { includeOptimizer: true })).toThrow(
      /includeOptimizer needs a model compiled with an optimizer given by name/,
    );
    expect(() => build().save(join(dir, 'x.safetensors'), { include_optimizer: true } as never)).toThrow(
      /options are camelCase, did you mean 'includeOptimizer'/,
    );
  });
});
