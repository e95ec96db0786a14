// Whole models in ONNX Runtime: the seed Keras model, the CNN example's model, multi-head
// attention and a pre-LN transformer encoder block; dynamic batch; files written by exportModel
// and keras model.export.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cat, keras, manualSeed, nn, noGrad, onnx, randint, randn, tensor, type Tensor } from '../../src/index.js';
import { decodeModel } from './decode.js';
import { checkInOrt, maxAbsDiff, runOrt, seen } from './ort.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-onnx-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log('max abs differences (models):', JSON.stringify(seen));
});

/** The model of examples/cnn-mnist.ts. */
class SmallCNN extends nn.Module<[Tensor], Tensor> {
  conv1 = new nn.Conv2d(1, 8, 3);
  conv2 = new nn.Conv2d(8, 16, 3);
  pool = new nn.MaxPool2d(2);
  fc = new nn.Linear(16 * 5 * 5, 10);
  forward(x: Tensor): Tensor {
    let h = this.pool.call(this.conv1.call(x).relu());
    h = this.pool.call(this.conv2.call(h).relu());
    return this.fc.call(h.flatten(1));
  }
}

/** A pre-LN transformer encoder block: x + MHA(LN(x)), then + FFN(LN(·)), built from nn layers. */
class PreLNBlock extends nn.Module<[Tensor], Tensor> {
  ln1 = new nn.LayerNorm(16);
  attn = new nn.MultiheadAttention(16, 4, { batchFirst: true, dropout: 0.1 });
  ln2 = new nn.LayerNorm(16);
  ff = new nn.Sequential(new nn.Linear(16, 32), new nn.GELU(), new nn.Dropout(0.1), new nn.Linear(32, 16));
  drop = new nn.Dropout(0.1);
  forward(x: Tensor): Tensor {
    const h = this.ln1.call(x);
    const a = this.attn.call(h, h, h, { needWeights: false }).output;
    const y = x.add(this.drop.call(a));
    return y.add(this.drop.call(this.ff.call(this.ln2.call(y))));
  }
}

/** A learned token expanded to the batch and put before the sequence (ViT's class token). */
class ClassToken extends nn.Module<[Tensor], Tensor> {
  cls = new nn.Parameter(randn([1, 1, 4]));
  forward(x: Tensor): Tensor {
    return cat([this.cls.expand([x.shape[0]!, 1, 4]), x], 1).softmax(1);
  }
}

function seedModel(): keras.Sequential {
  const model = new keras.Sequential();
  model.add(new keras.Dense({ units: 10, activation: 'relu', inputDim: 784 }));
  model.add(new keras.Dense({ units: 10, activation: 'relu' }));
  model.add(new keras.Dense({ units: 10, activation: 'softmax' }));
  return model;
}

describe('models in ONNX Runtime', () => {
  it('the seed model (Keras 784-10-10-10 softmax Sequential)', async () => {
    manualSeed(30);
    await checkInOrt('seed model', seedModel(), [randn([5, 784])]);
  });

  it("the CNN example's model, with Conv and MaxPool nodes", async () => {
    manualSeed(31);
    const cnn = new SmallCNN();
    await checkInOrt('CNN example', cnn, [randn([3, 1, 28, 28])]);
    const ops = decodeModel(onnx.toBytes(cnn, randn([2, 1, 28, 28]))).opTypes;
    expect(ops.filter((t) => t === 'Conv')).toHaveLength(2);
    expect(ops.filter((t) => t === 'MaxPool')).toHaveLength(2);
    expect(ops).toContain('Gemm');
  });

  it('MultiheadAttention (seq-first and batch-first, weights, masks)', async () => {
    manualSeed(32);
    const mha = new nn.MultiheadAttention(8, 2);
    await checkInOrt('MultiheadAttention', mha, [randn([5, 3, 8]), randn([4, 3, 8]), randn([4, 3, 8])]);
    const bf = new nn.MultiheadAttention(8, 4, { batchFirst: true, kdim: 6, vdim: 5 });
    await checkInOrt('MultiheadAttention batch-first kdim vdim', bf, [randn([2, 5, 8]), randn([2, 4, 6]), randn([2, 4, 5])]);
    // True above the diagonal: position i may not attend to j > i.
    const causal = tensor(
      Array.from({ length: 5 }, (_r, i) => Array.from({ length: 5 }, (_c, j) => j > i)),
      { dtype: 'bool' },
    );
    class Causal extends nn.Module<[Tensor], unknown> {
      mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });
      forward(x: Tensor): unknown {
        return this.mha.call(x, x, x, { attnMask: causal, averageAttnWeights: false });
      }
    }
    await checkInOrt('MultiheadAttention causal', new Causal(), [randn([2, 5, 8])]);
  });

  it('a pre-LN transformer encoder block', async () => {
    manualSeed(33);
    const block = new PreLNBlock();
    noGrad(() => {
      for (const ln of [block.ln1, block.ln2]) {
        ln.weight!.copy_(randn([16]).mul(0.5).add(1));
        ln.bias!.copy_(randn([16]).mul(0.1));
      }
    });
    await checkInOrt('transformer block', block, [randn([2, 7, 16])]);
    const ops = decodeModel(onnx.toBytes(block, randn([2, 7, 16]))).opTypes;
    expect(ops).toContain('LayerNormalization');
    expect(ops).toContain('Softmax');
    expect(ops).toContain('Erf'); // GELU as its formula
  });

  it('dynamic batch: one file runs at two batch sizes', async () => {
    manualSeed(34);
    const cases: [string, nn.Module, number[]][] = [
      ['seed model', seedModel(), [784]],
      ['CNN example', new SmallCNN(), [1, 28, 28]],
      ['transformer block', new PreLNBlock(), [7, 16]],
      ['LSTM batch-first', new nn.LSTM(3, 4, { batchFirst: true, numLayers: 2, bidirectional: true }), [5, 3]],
      ['Embedding', new nn.Embedding(9, 3), [4]],
      ['GRU seq-first (dim 0 is the length)', new nn.GRU(3, 4, { numLayers: 2 }), [2, 3]],
      ['class token', new ClassToken(), [5, 4]],
    ];
    for (const [label, model, sample] of cases) {
      const make = (n: number): Tensor => (label === 'Embedding' ? randint(0, 9, [n, ...sample]) : randn([n, ...sample]));
      const bytes = onnx.toBytes(model, [make(2)], { dynamicBatch: true });
      expect(decodeModel(bytes).inputs[0]!.dims[0]).toBe('batch');
      for (const n of [1, 5]) await checkInOrt(`${label} dynamic batch ${n}`, model, [make(2)], { dynamicBatch: true }, [make(n)]);
    }
  });

  it('exportModel writes the file; input and output names; opset 17; initializers named by the state dict', async () => {
    manualSeed(35);
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.Sigmoid());
    const path = join(dir, 'model.onnx');
    onnx.exportModel(model, randn([2, 4]), path, { inputNames: ['features'], outputNames: ['probs'], dynamicBatch: true });
    const bytes = new Uint8Array(readFileSync(path));
    const decoded = decodeModel(bytes);
    expect(decoded.opset).toBe(17);
    expect(decoded.inputs).toEqual([{ name: 'features', dims: ['batch', 4] }]);
    expect(decoded.outputs).toEqual([{ name: 'probs', dims: ['batch', 3] }]);
    const named = decoded.initializers.filter((n) => !n.startsWith('const_')).sort();
    // num_batches_tracked is not needed by the graph; the others are the state-dict entries.
    expect(named).toEqual(
      Object.keys(model.stateDict())
        .filter((k) => !/num.?batches.?tracked/i.test(k))
        .sort(),
    );
    model.eval();
    const x = randn([6, 4]);
    const out = await runOrt(bytes, { features: x });
    expect(
      maxAbsDiff(
        out['probs']!,
        noGrad(() => model.call(x)),
      ),
    ).toBeLessThanOrEqual(1e-5);
  });

  it('keras model.export(path) writes a dynamic-batch file', async () => {
    manualSeed(36);
    const model = seedModel();
    const path = join(dir, 'seed.onnx');
    model.export(path);
    const bytes = new Uint8Array(readFileSync(path));
    expect(decodeModel(bytes).inputs).toEqual([{ name: 'input', dims: ['batch', 784] }]);
    const x = randn([3, 784]);
    const out = await runOrt(bytes, { input: x });
    expect(maxAbsDiff(out['output']!, model.predict(x))).toBeLessThanOrEqual(1e-5);
  });
});
