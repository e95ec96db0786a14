/**
 * The wrong-call corpus for state dicts, checkpoints and numpy files (the io area, with the nn
 * state-dict calls it serves). Expected key lists are PyTorch 1.13's `state_dict()` keys for the
 * same modules; numpy behaviour from numpy 1.24.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { WrongCall } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-wrong-io-'));
const file = (name: string): string => join(dir, name);

/** Calls of the io area. */
export const calls: WrongCall[] = [
  {
    code: "nn.save(model, 'model.safetensors')  // torch.save(model) pickles the module",
    run: (tg) => tg.nn.save(new tg.nn.Linear(2, 1) as never, file('m.safetensors')),
    expect: { throws: 'ArgumentTypeError', message: /nn\.save: expected a state dict.*pass model\.stateDict\(\)/ },
  },
  {
    code: "nn.save('model.safetensors', model.stateDict())  // arguments swapped",
    run: (tg) => tg.nn.save('model.safetensors' as never, new tg.nn.Linear(2, 1).stateDict() as never),
    expect: { throws: 'ArgumentTypeError', message: /nn\.save: expected a state dict.*'model\.safetensors'/ },
  },
  {
    code: "nn.load('model.safetensors', 'cpu')  // torch.load's map_location",
    run: (tg) => (tg.nn.load as (...args: unknown[]) => unknown)(file('none.safetensors'), 'cpu'),
    expect: { throws: 'ArgumentTypeError', message: /nn\.load: too many arguments.*'cpu'.*load\(path\)/ },
  },
  {
    code: 'model.loadStateDict(sd, false)  // PyTorch: load_state_dict(sd, False)',
    run: (tg) => new tg.nn.Linear(2, 1).loadStateDict({ weight: tg.zeros([1, 2]), extra: tg.zeros([1]) }, false),
    expect: { check: (r) => expect(r).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] }) },
  },
  {
    code: "model.loadStateDict(sd, { strict: 'false' })",
    run: (tg) => new tg.nn.Linear(2, 1).loadStateDict({}, { strict: 'false' as never }),
    expect: { throws: 'ArgumentTypeError', message: /loadStateDict: strict must be a boolean, got 'false'/ },
  },
  {
    code: 'model.loadStateDict(sd, { Strict: false })',
    run: (tg) => new tg.nn.Linear(2, 1).loadStateDict({}, { Strict: false } as never),
    expect: { throws: 'ValueError', message: /unknown option 'Strict': did you mean 'strict'/ },
  },
  {
    code: 'bn.loadStateDict({ weight, bias })  // strict: running statistics must be in the file',
    run: (tg) => {
      const bn = new tg.nn.BatchNorm1d(2);
      bn.loadStateDict({ weight: tg.ones([2]), bias: tg.zeros([2]) });
    },
    expect: { throws: 'LoadStateDictError', message: /missing keys: 'running_mean', 'running_var', 'num_batches_tracked'/ },
  },
  {
    code: 'Object.keys(new nn.BatchNorm2d(3).stateDict())',
    run: (tg) => Object.keys(new tg.nn.BatchNorm2d(3).stateDict()),
    expect: { check: (keys) => expect(keys).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']) },
  },
  {
    code: 'Object.keys(new nn.GRU(3, 4, { bidirectional: true }).stateDict())',
    run: (tg) => Object.keys(new tg.nn.GRU(3, 4, { bidirectional: true }).stateDict()),
    expect: {
      check: (keys) => expect(keys).toEqual([
        'weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_ih_l0_reverse', 'bias_hh_l0_reverse',
      ]),
    },
  },
  {
    code: 'Object.keys(new nn.MultiheadAttention(8, 2).stateDict())',
    run: (tg) => Object.keys(new tg.nn.MultiheadAttention(8, 2).stateDict()),
    expect: { check: (keys) => expect(keys).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']) },
  },
  {
    code: "lstm.loadStateDict({ weightIh_l0, ... })  // a file written with tapegrad's old keys",
    run: (tg) => {
      const sd = new tg.nn.LSTM(2, 3).stateDict();
      const old = { weightIh_l0: sd['weight_ih_l0']!, weightHh_l0: sd['weight_hh_l0']!, biasIh_l0: sd['bias_ih_l0']!, biasHh_l0: sd['bias_hh_l0']! };
      return new tg.nn.LSTM(2, 3).loadStateDict(old);
    },
    expect: { check: (r) => expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] }) },
  },
  {
    code: "nn.fromBytes(nn.toBytes({ n: tensor([5], { dtype: 'int32' }) })).n  // stored as I64",
    run: (tg) => tg.nn.fromBytes(tg.nn.toBytes({ n: tg.tensor([5], { dtype: 'int32' }) }))['n']!,
    expect: { check: (t) => expect([t.dtype, t.toArray()]).toEqual(['int32', [5]]) },
  },
  {
    code: "io.loadNpy('x.npy', { allowPickle: true })  // numpy.load(allow_pickle=True)",
    run: (tg) => (tg.io.loadNpy as (...args: unknown[]) => unknown)(file('x.npy'), { allowPickle: true }),
    expect: { throws: 'ArgumentTypeError', message: /io\.loadNpy: too many arguments.*loadNpy\(path\)/ },
  },
  {
    code: "io.saveNpy(x, 'x.npy')  // arguments swapped (numpy: np.save(file, arr))",
    run: (tg) => tg.io.saveNpy(tg.tensor([1]) as never, 'x.npy' as never),
    expect: { throws: 'ArgumentTypeError', message: /io\.saveNpy: path must be a non-empty string, got a Tensor/ },
  },
  {
    code: "io.saveNpz('d.npz', { x }, { compressed: 1 })",
    run: (tg) => tg.io.saveNpz(file('d.npz'), { x: tg.tensor([1]) }, { compressed: 1 as never }),
    expect: { throws: 'ArgumentTypeError', message: /io\.saveNpz: compressed must be a boolean, got 1/ },
  },
  {
    code: "io.saveNpz('d.npz', { x: [1, 2] })",
    run: (tg) => tg.io.saveNpz(file('d.npz'), { x: [1, 2] as never }),
    expect: { throws: 'ArgumentTypeError', message: /io\.saveNpz: 'x' must be a Tensor, got \[1, 2\]/ },
  },
  {
    code: 'io.fromNpy(new Uint8Array(16))  // not a .npy file',
    run: (tg) => tg.io.fromNpy(new Uint8Array(16)),
    expect: { throws: 'FormatError', message: /npy: not a \.npy file/ },
  },
  {
    code: "io.saveCheckpoint('ckpt.safetensors', { model })  // arguments swapped",
    run: (tg) => tg.io.saveCheckpoint('ckpt.safetensors' as never, { model: new tg.nn.Linear(1, 1) } as never),
    expect: { throws: 'ArgumentTypeError', message: /io\.saveCheckpoint: expected an object such as \{ model, optimizer, epoch \}, got 'ckpt\.safetensors'/ },
  },
  {
    code: "io.saveCheckpoint({ model, lossFn: (a, b) => a.sub(b) }, 'ckpt.safetensors')",
    run: (tg) => tg.io.saveCheckpoint({ model: new tg.nn.Linear(1, 1), lossFn: (a: number) => a }, file('c.safetensors')),
    expect: { throws: 'ValueError', message: /cannot save 'lossFn': a function/ },
  },
  {
    code: "io.loadCheckpoint('ckpt.safetensors', { epoch: 3 })",
    run: (tg) => tg.io.loadCheckpoint(file('c.safetensors'), { epoch: 3 }),
    expect: { throws: 'ArgumentTypeError', message: /target 'epoch' must have loadStateDict\(\).*got 3/ },
  },
  {
    code: "io.loadCheckpoint('weights.safetensors', { model })  // a plain state dict, not a checkpoint",
    run: (tg) => {
      const m = new tg.nn.Linear(1, 1);
      tg.nn.save(m.stateDict(), file('w.safetensors'));
      return tg.io.loadCheckpoint(file('w.safetensors'), { model: m });
    },
    expect: { throws: 'ValueError', message: /is not a checkpoint.*for a state dict use nn\.load/ },
  },
  {
    code: "nn.fromBytes(fs.readFileSync('downloaded.safetensors'))  // a tensor named __proto__",
    run: (tg) => {
      const header = '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
      const bytes = new Uint8Array(8 + header.length + 4);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
      bytes.set(new TextEncoder().encode(header), 8);
      bytes.set(new Uint8Array(new Float32Array([5]).buffer), 8 + header.length);
      return tg.nn.fromBytes(bytes);
    },
    expect: {
      check: (sd, tg) => {
        expect(Object.keys(sd)).toEqual(['__proto__']);
        expect(sd instanceof tg.Tensor).toBe(false);
        expect(Array.from((Object.getOwnPropertyDescriptor(sd, '__proto__')!.value as { dataSync(): Float32Array }).dataSync())).toEqual([5]);
      },
    },
  },
  {
    code: "nn.fromBytes(fs.readFileSync('nested.safetensors'))  // a header nested 5000 levels deep",
    run: (tg) => {
      const header = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const bytes = new Uint8Array(8 + header.length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
      bytes.set(new TextEncoder().encode(header), 8);
      return tg.nn.fromBytes(bytes);
    },
    expect: { throws: 'FormatError', message: /^safetensors: header is nested more than 64 levels deep/ },
  },
  {
    code: "data.readIdx(zlib.gzipSync(header of [60000, 28, 28] images and nothing else))",
    run: (tg) => tg.data.readIdx(gzipSync(new Uint8Array([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]))),
    expect: { throws: 'FormatError', message: /^idx: truncated data: dimensions \[60000, 28, 28\] of unsigned byte .* need 47040000 data bytes .* cannot hold that many$/ },
  },
  {
    code: "io.fromNpy(bytes)  // a .npy header with a shape of 100 dimensions",
    run: (tg) => {
      const text = `{'descr': '<f4', 'fortran_order': False, 'shape': (${Array(100).fill(1).join(', ')}), }\n`;
      const bytes = new Uint8Array(10 + text.length + 4);
      bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      new DataView(bytes.buffer).setUint16(8, text.length, true);
      bytes.set(new TextEncoder().encode(text), 10);
      return tg.io.fromNpy(bytes);
    },
    expect: { throws: 'FormatError', message: /^npy: shape \(1, 1, .*\(100 dims\) has more than 64 dimensions$/ },
  },
  {
    code: "keras.loadModel('model.safetensors')  // a config saying { className: 'constructor' }",
    run: (tg) => {
      const config = JSON.stringify({ className: 'Sequential', version: 1, name: 's', layers: [{ className: 'constructor', config: {} }] });
      const path = file('ctor.safetensors');
      const header = JSON.stringify({ __metadata__: { 'tapegrad.keras.config': config } });
      const bytes = new Uint8Array(8 + new TextEncoder().encode(header).length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length - 8), true);
      bytes.set(new TextEncoder().encode(header), 8);
      writeFileSync(path, bytes);
      return tg.keras.loadModel(path);
    },
    expect: { throws: 'ValueError', message: /layer 0 is a layer of class 'constructor', which cannot be rebuilt from JSON/ },
  },
  {
    code: "keras.loadModel('model.safetensors')  // a 300-byte file with Dense units: 5e7",
    run: (tg) => {
      const config = JSON.stringify({ className: 'Sequential', version: 1, name: 's', layers: [{ className: 'Dense', config: { units: 5e7, inputShape: [4] } }] });
      const path = file('units.safetensors');
      const header = JSON.stringify({ __metadata__: { 'tapegrad.keras.config': config } });
      const bytes = new Uint8Array(8 + new TextEncoder().encode(header).length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length - 8), true);
      bytes.set(new TextEncoder().encode(header), 8);
      writeFileSync(path, bytes);
      return tg.keras.loadModel(path);
    },
    expect: { throws: 'FormatError', message: /^loadModel: layer 0 is a Dense layer of 50000000 units, but the file holds no tensor "0\.kernel"/ },
  },
];
