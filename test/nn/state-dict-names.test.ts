// PyTorch's state-dict names for every layer, legacy (field-path) keys, I64 buffers and strict: false.
import { describe, expect, it } from 'vitest';
import { Tensor, manualSeed, nn, randn, tensor, zeros } from '../../src/index.js';
const { LoadStateDictError } = nn;
type LoadStateDictError = InstanceType<typeof nn.LoadStateDictError>;

const keys = (m: nn.Module): string[] => Object.keys(m.stateDict());

/** The safetensors header of `bytes`, parsed. */
function header(bytes: Uint8Array): Record<string, { dtype: string; shape: number[] }> {
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(Buffer.from(bytes.subarray(8, 8 + len)).toString('utf8')) as Record<string, { dtype: string; shape: number[] }>;
}

describe('state-dict keys are PyTorch names', () => {
  it('RNN, LSTM and GRU: weight_ih_l{k}, bias_hh_l{k}_reverse', () => {
    // Expected lists written from torch 1.13: list(nn.LSTM(3, 4, num_layers=2, bidirectional=True).state_dict())
    const per = (s: string): string[] => [`weight_ih_${s}`, `weight_hh_${s}`, `bias_ih_${s}`, `bias_hh_${s}`];
    const expected = [...per('l0'), ...per('l0_reverse'), ...per('l1'), ...per('l1_reverse')];
    for (const m of [
      new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }),
      new nn.GRU(3, 4, { numLayers: 2, bidirectional: true }),
      new nn.RNN(3, 4, { numLayers: 2, bidirectional: true }),
    ]) {
      expect(keys(m)).toEqual(expected);
      expect(m.namedParameters().map(([n]) => n)).toEqual(expected);
    }
    expect(keys(new nn.LSTMCell(3, 4))).toEqual(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']);
    expect(keys(new nn.GRU(3, 4, { bias: false }))).toEqual(['weight_ih_l0', 'weight_hh_l0']);
  });

  it('BatchNorm: running_mean, running_var, num_batches_tracked', () => {
    expect(keys(new nn.BatchNorm1d(3))).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(new nn.BatchNorm2d(3).namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
  });

  it('MultiheadAttention: in_proj_weight, in_proj_bias, out_proj.*; q/k/v_proj_weight when kdim differs', () => {
    expect(keys(new nn.MultiheadAttention(4, 2))).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    expect(keys(new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 5 }))).toEqual([
      'q_proj_weight',
      'k_proj_weight',
      'v_proj_weight',
      'in_proj_bias',
      'out_proj.weight',
      'out_proj.bias',
    ]);
    expect(new nn.MultiheadAttention(4, 2).namedChildren().map(([n]) => n)).toEqual(['out_proj']);
  });

  it('BCEWithLogitsLoss: pos_weight', () => {
    expect(keys(new nn.BCEWithLogitsLoss({ posWeight: tensor([2]) }))).toEqual(['pos_weight']);
  });

  it('nested modules keep the JS field names of user modules and PyTorch names inside layers', () => {
    class Block extends nn.Module<[Tensor], Tensor> {
      normFirst = new nn.LayerNorm(4);
      attn = new nn.MultiheadAttention(4, 2);
      forward(x: Tensor): Tensor {
        return this.attn.call(x, x, x).output;
      }
    }
    expect(keys(new Block())).toEqual([
      'normFirst.weight',
      'normFirst.bias',
      'attn.in_proj_weight',
      'attn.in_proj_bias',
      'attn.out_proj.weight',
      'attn.out_proj.bias',
    ]);
  });
});

describe('legacy keys (the JS field paths tapegrad wrote before) still load', () => {
  it('an LSTM and a BatchNorm saved under the old keys load strictly, with the same values', () => {
    manualSeed(3);
    const src = new nn.LSTM(2, 3, { numLayers: 2, bidirectional: true });
    const legacy: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(src.stateDict()))
      legacy[k.replace(/^(weight|bias)_(ih|hh)/, (_m, a: string, b: string) => a + b[0]!.toUpperCase() + b[1])] = v;
    expect(Object.keys(legacy)).toContain('biasHh_l1_reverse');
    const dst = new nn.LSTM(2, 3, { numLayers: 2, bidirectional: true });
    expect(dst.loadStateDict(legacy)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const k of ['weight_ih_l1_reverse', 'bias_hh_l0']) expect(dst.stateDict()[k]!.toArray()).toEqual(src.stateDict()[k]!.toArray());
  });

  it('BatchNorm legacy names, through bytes', () => {
    const bn = new nn.BatchNorm1d(2);
    bn.call(
      tensor([
        [1, 2],
        [3, 5],
      ]),
    );
    const old = {
      weight: bn.weight!,
      bias: bn.bias!,
      runningMean: bn.runningMean!,
      runningVar: bn.runningVar!,
      numBatchesTracked: bn.numBatchesTracked!,
    };
    const fresh = new nn.BatchNorm1d(2);
    fresh.loadStateDict(nn.fromBytes(nn.toBytes(old)));
    expect(fresh.runningMean!.toArray()).toEqual(bn.runningMean!.toArray());
    expect(fresh.numBatchesTracked!.item()).toBe(1);
  });

  it('a key given under both spellings: the PyTorch one is used and the legacy one is unexpected', () => {
    const bn = new nn.BatchNorm1d(1);
    const sd = { ...bn.stateDict(), runningMean: tensor([7]) };
    expect(() => bn.loadStateDict(sd)).toThrow(/unexpected keys: 'runningMean'/);
    const r = bn.loadStateDict({ ...sd, running_mean: tensor([5]) }, { strict: false });
    expect(r.unexpectedKeys).toEqual(['runningMean']);
    expect(bn.runningMean!.toArray()).toEqual([5]);
  });
});

describe('num_batches_tracked and integer tensors', () => {
  it('are int32 in memory and written as I64, like PyTorch', () => {
    const bn = new nn.BatchNorm2d(2);
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    const h = header(nn.toBytes(bn.stateDict()));
    expect(h['num_batches_tracked']).toEqual({ dtype: 'I64', shape: [], data_offsets: [0, 8] });
    expect(h['running_mean']!.dtype).toBe('F32');
    const back = nn.fromBytes(nn.toBytes({ n: tensor([2147483647, -2147483648], { dtype: 'int32' }) }));
    expect(back['n']!.dtype).toBe('int32');
    expect(back['n']!.toArray()).toEqual([2147483647, -2147483648]);
  });
});

describe('loadStateDict options and strictness', () => {
  it('strict: false returns { missingKeys, unexpectedKeys } like PyTorch and loads what matches', () => {
    const bn = new nn.BatchNorm1d(2);
    const r = bn.loadStateDict({ weight: tensor([2, 3]), extra: zeros([1]) }, { strict: false });
    expect(r).toEqual({ missingKeys: ['bias', 'running_mean', 'running_var', 'num_batches_tracked'], unexpectedKeys: ['extra'] });
    expect(bn.weight!.toArray()).toEqual([2, 3]);
  });

  it('strict loading never leaves running statistics at their defaults: missing ones are an error', () => {
    const bn = new nn.BatchNorm1d(2);
    const { weight, bias } = bn.stateDict();
    let err: unknown;
    try {
      bn.loadStateDict({ weight: weight!, bias: bias! });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LoadStateDictError);
    expect((err as LoadStateDictError).missingKeys).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
  });

  it('rejects unknown options and a non-boolean strict', () => {
    const lin = new nn.Linear(1, 1);
    expect(() => lin.loadStateDict(lin.stateDict(), { strcit: false } as never)).toThrow(/unknown option 'strcit': did you mean 'strict'/);
    expect(() => lin.loadStateDict(lin.stateDict(), { strict: 'no' } as never)).toThrow(TypeError);
    expect(() => lin.loadStateDict(null as never)).toThrow(TypeError);
  });

  it('converts dtypes like copy_: a float64 state dict loads into a float32 model', () => {
    const lin = new nn.Linear(2, 1);
    lin.loadStateDict({ weight: randn([1, 2], { dtype: 'float64' }), bias: tensor([0.5], { dtype: 'float64' }) });
    expect(lin.weight.dtype).toBe('float32');
    expect(lin.bias!.toArray()).toEqual([0.5]);
  });
});

describe('stateKey: your own modules choose their keys', () => {
  class Scale extends nn.Module<[Tensor], Tensor> {
    logScale = new nn.Parameter(zeros([1]));
    override stateKey(field: string): string {
      return field === 'logScale' ? 'log_scale' : field;
    }
    forward(x: Tensor): Tensor {
      return x.mul(this.logScale.exp());
    }
  }

  it('names parameters, the state dict and loading; the field path is the legacy key', () => {
    const s = new Scale();
    expect(Object.keys(s.stateDict())).toEqual(['log_scale']);
    expect(s.namedParameters().map(([n]) => n)).toEqual(['log_scale']);
    s.loadStateDict({ logScale: tensor([2]) });
    expect(s.logScale.toArray()).toEqual([2]);
    const outer = new nn.Sequential(s);
    expect(Object.keys(outer.stateDict())).toEqual(['0.log_scale']);
  });
});
