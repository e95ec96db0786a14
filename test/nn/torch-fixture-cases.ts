// The modules of scripts/make-torch-fixtures.py built in tapegrad: same constructor arguments, same
// forward runs (outputs named as in the Python script). Used by torch-fixtures.test.ts (PyTorch's
// files into tapegrad) and scripts/write-tapegrad-fixtures.ts (tapegrad's files for PyTorch).
import { Tensor, manualSeed, nn, noGrad, randn, tensor } from '../../src/index.js';
import type { FloatDType } from '../../src/index.js';

/** A pre-LN transformer encoder block: x + MHA(LN(x)), then + MLP(LN(x)) (the Python PreLNBlock). */
export class PreLNBlock extends nn.Module<[Tensor], Tensor> {
  norm1 = new nn.LayerNorm(8);
  attn = new nn.MultiheadAttention(8, 2, { batchFirst: true });
  norm2 = new nn.LayerNorm(8);
  mlp = new nn.Sequential(new nn.Linear(8, 16), new nn.GELU(), new nn.Linear(16, 8));
  forward(x: Tensor): Tensor {
    const y = this.norm1.call(x);
    const h = x.add(this.attn.call(y, y, y, { needWeights: false }).output);
    return h.add(this.mlp.call(this.norm2.call(h)));
  }
}

/** The small CNN of the Python script. */
export function smallCnn(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(4, 8, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.AdaptiveAvgPool2d(1),
    new nn.Flatten(),
    new nn.Linear(8, 3),
  );
}

type Outputs = Record<string, Tensor>;

/** One fixture case: how to build the module, make inputs for it, and run it. */
export interface FixtureCase {
  build(): nn.Module;
  inputs(): Outputs;
  run(m: nn.Module, io: Outputs): Outputs;
  /** Runs through batch norm: warm up the running statistics before saving. */
  batchNorm?: boolean;
}

const runPlain = (m: nn.Module, io: Outputs): Outputs => noGrad(() => ({ y: m.eval().call(io['x']!) as Tensor }));

function runRnn(m: nn.Module, io: Outputs): Outputs {
  const r = noGrad(() => m.eval().call(io['x']!) as { output: Tensor; hN: Tensor; cN?: Tensor });
  return r.cN ? { y: r.output, h_n: r.hN, c_n: r.cN } : { y: r.output, h_n: r.hN };
}

function runMha(m: nn.Module, io: Outputs): Outputs {
  const x = io['x']!;
  const r = noGrad(() => (m.eval() as nn.MultiheadAttention).forward(x, x, x, { keyPaddingMask: io['mask']! }));
  return { y: r.output, weights: r.weights! };
}

/** Eval output, then one training-mode step and the first batch norm's statistics after it. */
function runBatchNorm(m: nn.Module, io: Outputs): Outputs {
  const out: Outputs = noGrad(() => ({ y: m.eval().call(io['x']!) as Tensor, y_train: m.train().call(io['x']!) as Tensor }));
  const bn = m.modules().find((k) => k instanceof nn.BatchNormBase) as nn.BatchNormBase;
  out['after_running_mean'] = bn.runningMean!.clone();
  out['after_running_var'] = bn.runningVar!.clone();
  out['after_num_batches_tracked'] = bn.numBatchesTracked!.clone();
  return out;
}

const rnnOptions = { numLayers: 2, bidirectional: true, batchFirst: true };

/** The cases by name, as in scripts/make-torch-fixtures.py. */
export const fixtureCases: Record<string, FixtureCase> = {
  linear: { build: () => new nn.Linear(5, 3), inputs: () => ({ x: randn([4, 5]) }), run: runPlain },
  conv1d: { build: () => new nn.Conv1d(3, 4, 3, { padding: 1 }), inputs: () => ({ x: randn([2, 3, 8]) }), run: runPlain },
  conv2d: { build: () => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1 }), inputs: () => ({ x: randn([2, 3, 7, 7]) }), run: runPlain },
  conv_transpose2d: {
    build: () => new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    inputs: () => ({ x: randn([2, 4, 4, 4]) }),
    run: runPlain,
  },
  batchnorm1d: { build: () => new nn.BatchNorm1d(4), inputs: () => ({ x: randn([6, 4]) }), run: runBatchNorm, batchNorm: true },
  batchnorm2d: { build: () => new nn.BatchNorm2d(3), inputs: () => ({ x: randn([2, 3, 4, 4]) }), run: runBatchNorm, batchNorm: true },
  layernorm: { build: () => new nn.LayerNorm([4, 5]), inputs: () => ({ x: randn([3, 4, 5]) }), run: runPlain },
  groupnorm: { build: () => new nn.GroupNorm(2, 4), inputs: () => ({ x: randn([2, 4, 3, 3]) }), run: runPlain },
  embedding: {
    build: () => new nn.Embedding(10, 4),
    inputs: () => ({
      idx: tensor(
        [
          [0, 3, 9],
          [2, 2, 7],
        ],
        { dtype: 'int32' },
      ),
    }),
    run: (m, io) => noGrad(() => ({ y: m.eval().call(io['idx']!) as Tensor })),
  },
  rnn: { build: () => new nn.RNN(3, 4, rnnOptions), inputs: () => ({ x: randn([2, 5, 3]) }), run: runRnn },
  lstm: { build: () => new nn.LSTM(3, 4, rnnOptions), inputs: () => ({ x: randn([2, 5, 3]) }), run: runRnn },
  gru: { build: () => new nn.GRU(3, 4, rnnOptions), inputs: () => ({ x: randn([2, 5, 3]) }), run: runRnn },
  mha: {
    build: () => new nn.MultiheadAttention(8, 2, { batchFirst: true }),
    inputs: () => ({
      x: randn([2, 5, 8]),
      mask: tensor([
        [false, false, false, false, false],
        [false, false, false, true, true],
      ]),
    }),
    run: runMha,
  },
  cnn: { build: smallCnn, inputs: () => ({ x: randn([2, 1, 8, 8]) }), run: runBatchNorm, batchNorm: true },
  transformer_block: { build: () => new PreLNBlock(), inputs: () => ({ x: randn([2, 5, 8]) }), run: runPlain },
};

/** Cases that also have a float64 fixture (`<name>_f64`). */
export const float64Cases = ['linear', 'conv2d', 'batchnorm2d', 'lstm', 'transformer_block'];

/** Every fixture tag with its case and dtype. */
export function fixtureTags(): [string, FixtureCase, FloatDType][] {
  const out: [string, FixtureCase, FloatDType][] = [];
  for (const [name, c] of Object.entries(fixtureCases)) {
    out.push([name, c, 'float32']);
    if (float64Cases.includes(name)) out.push([`${name}_f64`, c, 'float64']);
  }
  return out;
}

/** Casts the float inputs to `dtype`. */
export function castInputs(io: Outputs, dtype: FloatDType): Outputs {
  const out: Outputs = {};
  for (const [k, v] of Object.entries(io)) out[k] = v.dtype === 'float32' || v.dtype === 'float64' ? v.to(dtype) : v;
  return out;
}

/**
 * tapegrad's side of the fixtures: a seeded module with moved norm parameters and (for batch norm)
 * warmed-up running statistics, its inputs and its outputs.
 */
export function makeTapegradCase(c: FixtureCase, dtype: FloatDType, seed = 0): { module: nn.Module; io: Outputs } {
  manualSeed(seed);
  const module = c.build().to(dtype);
  noGrad(() => {
    for (const m of module.modules()) {
      const norm = m instanceof nn.LayerNorm || m instanceof nn.GroupNorm || m instanceof nn.BatchNormBase;
      const affine = m as unknown as { weight: Tensor | null; bias: Tensor | null };
      if (norm && affine.weight !== null) {
        affine.weight.copy_(randn(affine.weight.shape).mul(0.3).add(1));
        affine.bias!.copy_(randn(affine.bias!.shape).mul(0.3));
      }
    }
  });
  const io = castInputs(c.inputs(), dtype);
  if (c.batchNorm) {
    module.train();
    noGrad(() => {
      for (let i = 0; i < 3; i++)
        module.call(
          randn(io['x']!.shape, { dtype })
            .mul(1 + i)
            .add(0.5),
        );
    });
  }
  return { module, io };
}
