// stateDict / loadStateDict and safetensors checkpoints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor, manualSeed, nn, randn, tensor, zeros } from '../../src/index.js';
import { FormatError } from '../../src/io/format-error.js';

class Model extends nn.Module<[Tensor], Tensor> {
  body = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
  constructor() {
    super();
    this.registerBuffer('steps', tensor([0], { dtype: 'int32' }));
    this.registerBuffer('cache', zeros([2]), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return this.body.call(x);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stateDict', () => {
  it('holds parameters and persistent buffers, detached and sharing storage', () => {
    const m = new Model();
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['steps', 'body.0.weight', 'body.0.bias', 'body.2.weight', 'body.2.bias']);
    expect(sd['body.0.weight']!.requiresGrad).toBe(false);
    expect(sd['body.0.weight']!._storage).toBe(m.body.at(0).stateDict()['weight']!._storage);
  });

  it('round-trips through loadStateDict into a fresh model', () => {
    manualSeed(1);
    const a = new Model();
    manualSeed(2);
    const b = new Model();
    const x = randn([5, 3]);
    expect(a.call(x).toArray()).not.toEqual(b.call(x).toArray());
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.call(x).toArray()).toEqual(a.call(x).toArray());
    // copies, not aliases
    expect(b.body.at(0).parameters()[0]!._storage).not.toBe(a.body.at(0).parameters()[0]!._storage);
  });

  it('reports every missing key, unexpected key and shape mismatch at once, and changes nothing', () => {
    const m = new Model();
    const before = JSON.stringify(Object.values(m.stateDict()).map((t) => t.toArray()));
    const sd = m.stateDict();
    delete sd['body.0.bias'];
    delete sd['steps'];
    sd['body.9.weight'] = zeros([1]);
    sd['body.0.weight'] = zeros([4, 4]); // wrong shape
    sd['body.2.weight'] = zeros([2, 4]); // fine, would be loaded if nothing failed
    let err: unknown;
    try {
      m.loadStateDict(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(nn.LoadStateDictError);
    const e = err as nn.LoadStateDictError;
    expect(e.missingKeys).toEqual(['steps', 'body.0.bias']);
    expect(e.unexpectedKeys).toEqual(['body.9.weight']);
    expect(e.mismatches).toEqual(["'body.0.weight': shape [4, 4] in the state dict, [4, 3] in the module"]);
    expect(e.message).toMatch(/missing keys: 'steps', 'body.0.bias'\. unexpected keys: 'body.9.weight'\. size mismatches: 'body.0.weight'/);
    expect(JSON.stringify(Object.values(m.stateDict()).map((t) => t.toArray()))).toBe(before);
  });

  it('strict: false returns the missing and unexpected keys and loads the rest', () => {
    const m = new Model();
    const res = m.loadStateDict({ 'body.2.bias': tensor([5, 6]), other: zeros([1]) }, { strict: false });
    expect(res.unexpectedKeys).toEqual(['other']);
    expect(res.missingKeys).toEqual(['steps', 'body.0.weight', 'body.0.bias', 'body.2.weight']);
    expect(m.body.at(2).stateDict()['bias']!.toArray()).toEqual([5, 6]);
    // shape mismatches are errors even when not strict
    expect(() => m.loadStateDict({ 'body.2.bias': zeros([3]) }, { strict: false })).toThrow(/size mismatches/);
  });

  it('loading does not record on the tape or break parameters', () => {
    const a = new nn.Linear(2, 2);
    const b = new nn.Linear(2, 2);
    b.loadStateDict(a.stateDict());
    expect(b.weight.isLeaf).toBe(true);
    expect(b.weight.requiresGrad).toBe(true);
  });
});

describe('checkpoints', () => {
  it('save/load through a temp dir round-trips float32, float64, int32 and bool exactly', () => {
    const sd: Record<string, Tensor> = {
      f32: tensor([
        [1.5, -2.25e-8],
        [3.4028234663852886e38, 0.1],
      ]),
      f64: tensor([Math.PI, -0, 1e-300, 0.1], { dtype: 'float64' }),
      i32: tensor([2147483647, -2147483648, 0], { dtype: 'int32' }),
      b: tensor([true, false, true]),
      scalar: tensor(7, { dtype: 'float64' }),
      view: randn([4, 3]).T, // non-contiguous
    };
    const path = join(dir, 'ckpt.safetensors');
    nn.save(sd, path);
    const back = nn.load(path);
    expect(Object.keys(back).sort()).toEqual(Object.keys(sd).sort());
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k]!.dtype).toBe(t.dtype);
      expect(back[k]!.shape).toEqual(t.shape);
      expect(Array.from(back[k]!.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    expect(Object.is(back['f64']!.dataSync()[1], -0)).toBe(true);
    const bytes = nn.toBytes(sd);
    expect(Buffer.from(bytes).equals(readFileSync(path))).toBe(true);
    expect(Object.keys(nn.fromBytes(bytes)).length).toBe(6);
  });

  it('a model saved and loaded reproduces its outputs', () => {
    const a = new Model();
    const path = join(dir, 'model.safetensors');
    nn.save(a.stateDict(), path);
    const b = new Model();
    b.loadStateDict(nn.load(path));
    const x = randn([2, 3]);
    expect(b.call(x).toArray()).toEqual(a.call(x).toArray());
  });

  it('corrupt files raise FormatError naming the problem', () => {
    const path = join(dir, 'bad.safetensors');
    const good = nn.toBytes({ w: zeros([4]) });
    writeFileSync(path, good.subarray(0, good.length - 3));
    expect(() => nn.load(path)).toThrow(FormatError);
    expect(() => nn.load(path)).toThrow(/safetensors: .*bad\.safetensors/);
    expect(() => nn.fromBytes(new Uint8Array([1, 2, 3]))).toThrow(FormatError);
  });
});
