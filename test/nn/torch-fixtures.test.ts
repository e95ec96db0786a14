// Checkpoints written by real PyTorch (scripts/make-torch-fixtures.py, torch 1.13) load with strict
// loading and reproduce PyTorch's outputs: float64 within 1e-6 relative, float32 within 1e-5.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor, nn } from '../../src/index.js';
import { flat } from './helpers.js';
import { fixtureTags } from './torch-fixture-cases.js';

const DIR = join(__dirname, '..', 'fixtures', 'torch');

/** max |a − b| / max(1, max |b|). */
function relErr(a: Tensor, b: Tensor): number {
  const x = flat(a);
  const y = flat(b);
  expect(x.length).toBe(y.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}

describe('PyTorch fixtures load strictly and match PyTorch', () => {
  for (const [tag, c, dtype] of fixtureTags()) {
    it(`${tag} (${dtype})`, () => {
      const state = nn.load(join(DIR, `${tag}.safetensors`));
      const module = c.build().to(dtype);
      expect(module.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const io = nn.load(join(DIR, `${tag}.io.safetensors`));
      const inputs = Object.fromEntries(Object.entries(io).filter(([k]) => ['x', 'idx', 'mask'].includes(k)));
      const outputs = c.run(module, inputs);
      const expected = Object.keys(io)
        .filter((k) => !(k in inputs))
        .sort();
      expect(Object.keys(outputs).sort()).toEqual(expected);
      const tol = dtype === 'float64' ? 1e-6 : 1e-5;
      for (const k of expected) {
        expect(outputs[k]!.shape, k).toEqual(io[k]!.shape);
        if (io[k]!.dtype === 'int32') expect(outputs[k]!.toArray(), k).toEqual(io[k]!.toArray());
        else expect(relErr(outputs[k]!, io[k]!), `${tag}: ${k}`).toBeLessThanOrEqual(tol);
      }
    });
  }

  it('the fixture files hold PyTorch dtypes: num_batches_tracked is I64, read as int32', () => {
    const state = nn.load(join(DIR, 'batchnorm2d.safetensors'));
    expect(state['num_batches_tracked']!.dtype).toBe('int32');
    expect(state['num_batches_tracked']!.item()).toBe(3);
    expect(nn.load(join(DIR, 'embedding.io.safetensors'))['idx']!.dtype).toBe('int32');
  });
});

describe('PyTorch state dicts stored in float16 and bfloat16', () => {
  for (const tag of ['linear_f16', 'linear_bf16']) {
    it(`${tag} loads strictly into a float32 Linear (read exactly) and matches PyTorch`, () => {
      const state = nn.load(join(DIR, `${tag}.safetensors`));
      expect(state['weight']!.dtype).toBe('float32');
      const lin = new nn.Linear(5, 3);
      lin.loadStateDict(state);
      const io = nn.load(join(DIR, `${tag}.io.safetensors`));
      expect(relErr(lin.call(io['x']!), io['y']!)).toBeLessThanOrEqual(1e-6);
    });
  }
});
