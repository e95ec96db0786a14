/**
 * The model-training workloads of the benchmark (group `models`): a LeNet-style CNN, a one-layer
 * LSTM and a pre-LN transformer encoder block. Their initial parameters (PyTorch names and
 * layouts) and fixed batches come from one seeded generator, so every peer starts from the same
 * numbers.
 * @module
 */
import { Rng } from './data.js';

/** Which model a case trains. */
export type ModelKind = 'cnn' | 'lstm' | 'attn';

/** One training step of a model (forward, backward, Adam step, loss read back). */
export interface ModelCase {
  /** Stable id. */
  id: string;
  /** Row label. */
  label: string;
  /** The model. */
  kind: ModelKind;
  /** Samples per step. */
  batch: number;
  /** Adam's learning rate (β and ε as PyTorch's defaults, see ADAM). */
  lr: number;
}

/** One parameter: PyTorch state-dict name, shape and values (row-major, PyTorch layout). */
export interface NamedParam {
  /** State-dict name, e.g. `conv1.weight`. */
  name: string;
  /** PyTorch shape. */
  shape: number[];
  /** Values, row-major. */
  data: Float32Array;
}

/** A model's initial parameters and its fixed batch. */
export interface ModelInit {
  /** Parameters by state-dict name. */
  params: Record<string, NamedParam>;
  /** Input, row-major, of shape `xShape`. */
  x: Float32Array;
  /** Input shape: [64, 1, 28, 28] (cnn), [32, 32, 32] (lstm, batch first), [16, 64, 128] (attn). */
  xShape: number[];
  /** Class labels in [0, 10). */
  y: Int32Array;
  /** Classes. */
  classes: number;
}

/** LSTM sizes: input features, hidden size, sequence length. */
export const LSTM_DIMS = { input: 32, hidden: 128, seq: 32 } as const;

/** Attention block sizes: sequence, width, heads, MLP width. */
export const ATTN_DIMS = { seq: 64, width: 128, heads: 4, mlp: 256 } as const;

/** LayerNorm's epsilon (PyTorch's default), the same for every peer. */
export const LN_EPS = 1e-5;

/** Seed of the models' parameters; the batches use MODEL_SEED + 1. */
export const MODEL_SEED = 4242;

/**
 * The three model cases (the same in a quick run).
 * @example
 * ```ts
 * modelCases().map((c) => c.id); // ['train-cnn', 'train-lstm', 'train-attn']
 * ```
 */
export function modelCases(): ModelCase[] {
  return [
    {
      id: 'train-cnn',
      label: 'train CNN (conv 1→8 5×5, pool, conv 8→16 5×5, pool, 400-64-10), Adam, batch 64',
      kind: 'cnn',
      batch: 64,
      lr: 1e-3,
    },
    {
      id: 'train-lstm',
      label: 'train LSTM (in 32, hidden 128, 32 steps) → linear 128→10, Adam, batch 32',
      kind: 'lstm',
      batch: 32,
      lr: 1e-3,
    },
    { id: 'train-attn', label: 'train pre-LN encoder block (64×128, 4 heads, MLP 256), Adam, batch 16', kind: 'attn', batch: 16, lr: 1e-3 },
  ];
}

/** The parameters of each model: name, shape, and the bound b of uniform(−b, b) (or 1 ± b for `one`). */
function paramSpecs(kind: ModelKind): { name: string; shape: number[]; bound: number; one?: boolean }[] {
  const lin = (name: string, out: number, inF: number): { name: string; shape: number[]; bound: number }[] => [
    { name: `${name}.weight`, shape: [out, inF], bound: 1 / Math.sqrt(inF) },
    { name: `${name}.bias`, shape: [out], bound: 1 / Math.sqrt(inF) },
  ];
  if (kind === 'cnn') {
    return [
      { name: 'conv1.weight', shape: [8, 1, 5, 5], bound: 1 / Math.sqrt(25) },
      { name: 'conv1.bias', shape: [8], bound: 1 / Math.sqrt(25) },
      { name: 'conv2.weight', shape: [16, 8, 5, 5], bound: 1 / Math.sqrt(200) },
      { name: 'conv2.bias', shape: [16], bound: 1 / Math.sqrt(200) },
      ...lin('fc1', 64, 400),
      ...lin('fc2', 10, 64),
    ];
  }
  if (kind === 'lstm') {
    const { input, hidden } = LSTM_DIMS;
    const b = 1 / Math.sqrt(hidden);
    return [
      { name: 'lstm.weight_ih_l0', shape: [4 * hidden, input], bound: b },
      { name: 'lstm.weight_hh_l0', shape: [4 * hidden, hidden], bound: b },
      { name: 'lstm.bias_ih_l0', shape: [4 * hidden], bound: b },
      { name: 'lstm.bias_hh_l0', shape: [4 * hidden], bound: b },
      ...lin('fc', 10, hidden),
    ];
  }
  const { width: E, mlp } = ATTN_DIMS;
  return [
    { name: 'ln1.weight', shape: [E], bound: 0.1, one: true },
    { name: 'ln1.bias', shape: [E], bound: 0.1 },
    { name: 'attn.in_proj_weight', shape: [3 * E, E], bound: Math.sqrt(6 / (4 * E)) },
    { name: 'attn.in_proj_bias', shape: [3 * E], bound: 0.05 },
    ...lin('attn.out_proj', E, E),
    { name: 'ln2.weight', shape: [E], bound: 0.1, one: true },
    { name: 'ln2.bias', shape: [E], bound: 0.1 },
    ...lin('mlp1', mlp, E),
    ...lin('mlp2', E, mlp),
    ...lin('head', 10, E),
  ];
}

/**
 * The initial parameters and fixed batch of a model case, from fixed seeds.
 * @example
 * ```ts
 * const init = modelInit(modelCases()[0]);
 * init.params['conv1.weight'].shape; // [8, 1, 5, 5]
 * ```
 */
export function modelInit(c: ModelCase): ModelInit {
  const rng = new Rng(MODEL_SEED);
  const params: Record<string, NamedParam> = {};
  for (const s of paramSpecs(c.kind)) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const data = s.one ? rng.uniform(size, 1 - s.bound, 1 + s.bound) : rng.uniform(size, -s.bound, s.bound);
    params[s.name] = { name: s.name, shape: s.shape, data };
  }
  const xShape =
    c.kind === 'cnn'
      ? [c.batch, 1, 28, 28]
      : c.kind === 'lstm'
        ? [c.batch, LSTM_DIMS.seq, LSTM_DIMS.input]
        : [c.batch, ATTN_DIMS.seq, ATTN_DIMS.width];
  const data = new Rng(MODEL_SEED + 1);
  const n = xShape.reduce((a, b) => a * b, 1);
  const x = c.kind === 'cnn' ? data.uniform(n, 0, 1) : data.uniform(n, -1, 1);
  return { params, x, xShape, y: data.ints(c.batch, 10), classes: 10 };
}

/**
 * The numbers of a parameter with its axes permuted: `perm[i]` is the source axis of axis i.
 * @example
 * ```ts
 * permute(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]); // [1, 4, 2, 5, 3, 6]
 * ```
 */
export function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const idx = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < idx.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[o] = data[src]!;
    for (let i = idx.length - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}
