/**
 * TensorFlow.js's model-training workloads (CNN, LSTM, pre-LN encoder block), written with
 * `tf.variable`, its ops and `optimizer.minimize`, the way a tfjs user writes a custom model.
 * Layouts are tfjs's own (NHWC images, kernels [in, out]); the initial parameters are PyTorch's,
 * permuted to match, so every peer computes the same function.
 * @module
 */
import { permute, ATTN_DIMS, LN_EPS, LSTM_DIMS, type ModelCase, type ModelInit } from '../lib/models.js';
import { oneHot } from '../lib/data.js';
import { ADAM } from '../lib/workloads.js';
import type { Trainer } from './peer.js';

/** The part of a tf.Tensor these models use. @internal */
export interface TfT {
  readonly shape: number[];
  dataSync(): Float32Array;
  dispose(): void;
}

/** The part of the tfjs namespace these models use. @internal */
export interface TfModels {
  tensor(data: Float32Array, shape: number[]): TfT;
  variable(t: TfT): TfT;
  add(a: TfT, b: TfT): TfT;
  sub(a: TfT, b: TfT): TfT;
  mul(a: TfT, b: TfT | number): TfT;
  div(a: TfT, b: TfT | number): TfT;
  relu(a: TfT): TfT;
  sigmoid(a: TfT): TfT;
  tanh(a: TfT): TfT;
  rsqrt(a: TfT): TfT;
  matMul(a: TfT, b: TfT, transposeA?: boolean, transposeB?: boolean): TfT;
  conv2d(x: TfT, filter: TfT, strides: number, pad: 'same' | 'valid'): TfT;
  maxPool(x: TfT, filterSize: number, strides: number, pad: 'valid'): TfT;
  reshape(x: TfT, shape: number[]): TfT;
  transpose(x: TfT, perm: number[]): TfT;
  split(x: TfT, n: number, axis: number): TfT[];
  unstack(x: TfT, axis: number): TfT[];
  zeros(shape: number[]): TfT;
  mean(x: TfT, axis: number, keepDims?: boolean): TfT;
  moments(x: TfT, axis: number, keepDims: boolean): { mean: TfT; variance: TfT };
  softmax(x: TfT): TfT;
  train: { adam(lr: number, beta1: number, beta2: number, eps: number): { minimize(f: () => TfT, returnCost: boolean): TfT | null } };
  losses: { softmaxCrossEntropy(onehotLabels: TfT, logits: TfT): TfT };
}

/**
 * Builds the tfjs model for a case on the current backend, with Adam.
 * @example
 * ```ts
 * const t = tfjsModelTrainer(tf, c, modelInit(c));
 * ```
 */
export function tfjsModelTrainer(tf: TfModels, c: ModelCase, init: ModelInit): Trainer {
  const P = init.params;
  const v = (data: Float32Array, shape: number[]): TfT => tf.variable(tf.tensor(data, shape));
  const p = (name: string): NamedLike => P[name]!;
  /** A linear layer's kernel [in, out] and bias as variables. */
  const linear = (name: string): { w: TfT; b: TfT } => {
    const w = p(`${name}.weight`);
    const [out, inF] = w.shape as [number, number];
    return { w: v(permute(w.data, w.shape, [1, 0]), [inF, out]), b: v(p(`${name}.bias`).data, [out]) };
  };
  const dense = (x: TfT, l: { w: TfT; b: TfT }): TfT => tf.add(tf.matMul(x, l.w), l.b);
  const Y = tf.tensor(oneHot(init.y, init.classes), [c.batch, init.classes]);
  let forward: () => TfT;

  if (c.kind === 'cnn') {
    // NCHW with one channel has the same numbers as NHWC.
    const X = tf.tensor(init.x, [c.batch, 28, 28, 1]);
    const conv = (name: string): { f: TfT; b: TfT } => {
      const w = p(`${name}.weight`);
      const [o, i, kh, kw] = w.shape as [number, number, number, number];
      return { f: v(permute(w.data, w.shape, [2, 3, 1, 0]), [kh, kw, i, o]), b: v(p(`${name}.bias`).data, [o]) };
    };
    const c1 = conv('conv1');
    const c2 = conv('conv2');
    // PyTorch flattens (c, h, w); NHWC flattens (h, w, c): permute fc1's input rows to match.
    const w1 = p('fc1.weight');
    const fc1 = { w: v(permute(w1.data, [64, 16, 5, 5], [2, 3, 1, 0]), [400, 64]), b: v(p('fc1.bias').data, [64]) };
    const fc2 = linear('fc2');
    forward = () => {
      let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(X, c1.f, 1, 'same'), c1.b)), 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, c2.f, 1, 'valid'), c2.b)), 2, 2, 'valid');
      return dense(tf.relu(dense(tf.reshape(h, [c.batch, 400]), fc1)), fc2);
    };
  } else if (c.kind === 'lstm') {
    const { input, hidden, seq } = LSTM_DIMS;
    const xs = tf.unstack(tf.tensor(init.x, [c.batch, seq, input]), 1);
    const wih = v(permute(p('lstm.weight_ih_l0').data, [4 * hidden, input], [1, 0]), [input, 4 * hidden]);
    const whh = v(permute(p('lstm.weight_hh_l0').data, [4 * hidden, hidden], [1, 0]), [hidden, 4 * hidden]);
    const bih = v(p('lstm.bias_ih_l0').data, [4 * hidden]);
    const bhh = v(p('lstm.bias_hh_l0').data, [4 * hidden]);
    const fc = linear('fc');
    forward = () => {
      let h = tf.zeros([c.batch, hidden]);
      let cell = tf.zeros([c.batch, hidden]);
      for (const x of xs) {
        const z = tf.add(tf.add(tf.matMul(x, wih), bih), tf.add(tf.matMul(h, whh), bhh));
        const [i, f, g, o] = tf.split(z, 4, 1) as [TfT, TfT, TfT, TfT];
        cell = tf.add(tf.mul(tf.sigmoid(f), cell), tf.mul(tf.sigmoid(i), tf.tanh(g)));
        h = tf.mul(tf.sigmoid(o), tf.tanh(cell));
      }
      return dense(h, fc);
    };
  } else {
    const { seq: T, width: E, heads: H } = ATTN_DIMS;
    const D = E / H;
    const B = c.batch;
    const X = tf.tensor(init.x, [B * T, E]);
    const ln = (name: string): { g: TfT; b: TfT } => ({ g: v(p(`${name}.weight`).data, [E]), b: v(p(`${name}.bias`).data, [E]) });
    const ln1 = ln('ln1');
    const ln2 = ln('ln2');
    const inProj = {
      w: v(permute(p('attn.in_proj_weight').data, [3 * E, E], [1, 0]), [E, 3 * E]),
      b: v(p('attn.in_proj_bias').data, [3 * E]),
    };
    const outProj = linear('attn.out_proj');
    const mlp1 = linear('mlp1');
    const mlp2 = linear('mlp2');
    const head = linear('head');
    const norm = (x: TfT, l: { g: TfT; b: TfT }): TfT => {
      const { mean, variance } = tf.moments(x, 1, true);
      return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, tf.tensor(new Float32Array([LN_EPS]), [])))), l.g), l.b);
    };
    const heads = (t: TfT): TfT => tf.transpose(tf.reshape(t, [B, T, H, D]), [0, 2, 1, 3]);
    forward = () => {
      const [q, k, val] = tf.split(dense(norm(X, ln1), inProj), 3, 1) as [TfT, TfT, TfT];
      const scores = tf.matMul(tf.mul(heads(q), 1 / Math.sqrt(D)), heads(k), false, true);
      const ctx = tf.matMul(tf.softmax(scores), heads(val));
      const h = tf.add(X, dense(tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [B * T, E]), outProj));
      const out = tf.add(h, dense(tf.relu(dense(norm(h, ln2), mlp1)), mlp2));
      return dense(tf.mean(tf.reshape(out, [B, T, E]), 1), head);
    };
  }
  const opt = tf.train.adam(c.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
  return {
    step: () => {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(Y, forward()), true)!;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    },
  };
}

/** A parameter as these builders read it. */
type NamedLike = { shape: number[]; data: Float32Array };
