/**
 * TensorFlow.js under test, with its `cpu` backend (plain JS) or its `wasm` backend (XNNPACK).
 * Loaded from bench/node_modules at run time; the few calls used are typed here by hand so the
 * root type-check does not need the benchmark's dependencies.
 * @module
 */
import type { Batch, LayerInit } from '../lib/data.js';
import { oneHot, transposeWeight } from '../lib/data.js';
import { CHAIN_C, CHAIN_W, CHAIN_X } from '../lib/reference.js';
import { ADAM, type ChainCase, type ElementwiseCase, type MatmulCase, type TrainCase } from '../lib/workloads.js';
import { importPeer, packageVersion, type Peer, type Prepared, type Trainer } from './peer.js';
import { tfjsModelTrainer, type TfModels } from './tfjs-models.js';

/** The part of a tf.Tensor the harness uses. @internal */
interface TfTensor {
  readonly shape: number[];
  dataSync(): Float32Array;
  dispose(): void;
  add(o: TfTensor | number): TfTensor;
  mul(o: TfTensor | number): TfTensor;
  tanh(): TfTensor;
}

/** The part of tf.Optimizer the harness uses. @internal */
interface TfOptimizer {
  minimize(f: () => TfTensor, returnCost: boolean): TfTensor | null;
}

/** The part of the tfjs namespace the harness uses. @internal */
interface Tf {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor1d(data: Float32Array | number[]): TfTensor;
  tensor2d(data: Float32Array, shape: [number, number]): TfTensor;
  matMul(a: TfTensor, b: TfTensor, transposeA?: boolean, transposeB?: boolean): TfTensor;
  add(a: TfTensor, b: TfTensor): TfTensor;
  mul(a: TfTensor, b: TfTensor): TfTensor;
  exp(a: TfTensor): TfTensor;
  relu(a: TfTensor): TfTensor;
  sigmoid(a: TfTensor): TfTensor;
  variable(t: TfTensor): TfTensor;
  tidy<T>(fn: () => T): T;
  valueAndGrads(f: (...args: TfTensor[]) => TfTensor): (args: TfTensor[]) => { value: TfTensor; grads: TfTensor[] };
  train: { adam(lr: number, beta1: number, beta2: number, eps: number): TfOptimizer; sgd(lr: number): TfOptimizer };
  losses: { softmaxCrossEntropy(onehotLabels: TfTensor, logits: TfTensor): TfTensor };
}

async function loadTf(backend: 'cpu' | 'wasm'): Promise<Tf> {
  // tfjs greets Node users with a console banner about tfjs-node; keep the harness output clean.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const tf = await importPeer<Tf>('@tensorflow/tfjs');
    if (backend === 'wasm') await importPeer<unknown>('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to initialise`);
    await tf.ready();
    if (tf.getBackend() !== backend) throw new Error(`tfjs: wanted backend ${backend}, got ${tf.getBackend()}`);
    tf.tensor1d([0]).dispose(); // the cpu backend prints its banner on the first write
    return tf;
  } finally {
    console.warn = warn;
  }
}

function readOnce(tf: Tf, f: () => TfTensor): Promise<Float32Array> {
  const t = tf.tidy(f);
  const out = t.dataSync().slice();
  t.dispose();
  return Promise.resolve(out);
}

function matmulCase(tf: Tf, c: MatmulCase, a: Float32Array, b: Float32Array): Prepared {
  const A = c.t === 'aT' ? tf.tensor2d(a, [c.k, c.m]) : tf.tensor2d(a, [c.m, c.k]);
  const B = c.t === 'bT' ? tf.tensor2d(b, [c.n, c.k]) : tf.tensor2d(b, [c.k, c.n]);
  const f = (): TfTensor => tf.matMul(A, B, c.t === 'aT', c.t === 'bT');
  return { run: () => f().dispose(), output: () => readOnce(tf, f) };
}

function elementwiseCase(tf: Tf, c: ElementwiseCase, x: Float32Array, y: Float32Array): Prepared {
  const X = tf.tensor1d(x);
  const Y = tf.tensor1d(y);
  const fns: Record<ElementwiseCase['op'], () => TfTensor> = {
    add: () => tf.add(X, Y),
    mul: () => tf.mul(X, Y),
    exp: () => tf.exp(X),
    relu: () => tf.relu(X),
    sigmoid: () => tf.sigmoid(X),
  };
  const f = fns[c.op];
  return { run: () => f().dispose(), output: () => readOnce(tf, f) };
}

function chainCase(tf: Tf, c: ChainCase): Prepared {
  const f = tf.valueAndGrads((x: TfTensor, w: TfTensor) => {
    let t = x;
    for (let i = 0; i < c.n; i++) {
      const k = i % 3;
      t = k === 0 ? t.mul(w) : k === 1 ? t.add(CHAIN_C) : t.tanh();
    }
    return t;
  });
  const once = (): [number, number] => {
    const x = tf.tensor1d([CHAIN_X]);
    const w = tf.tensor1d([CHAIN_W]);
    const { value, grads } = f([x, w]);
    const out: [number, number] = [value.dataSync()[0]!, grads[1]!.dataSync()[0]!];
    value.dispose();
    for (const g of grads) g.dispose();
    x.dispose();
    w.dispose();
    return out;
  };
  return { run: once, output: async () => once() };
}

function trainCase(tf: Tf, c: TrainCase, layers: readonly LayerInit[], batch: Batch): Trainer {
  // tfjs's idiom: kernels stored [in, out] so that h·W; the same numbers as PyTorch's [out, in].
  const vars = layers.map((l) => ({
    w: tf.variable(tf.tensor2d(transposeWeight(l.weight, l.outF, l.inF), [l.inF, l.outF])),
    b: tf.variable(tf.tensor1d(l.bias)),
  }));
  const X = tf.tensor2d(batch.x, [batch.batch, batch.features]);
  const Y = tf.tensor2d(oneHot(batch.y, batch.classes), [batch.batch, batch.classes]);
  const opt = c.optimizer === 'adam' ? tf.train.adam(c.lr, ADAM.beta1, ADAM.beta2, ADAM.eps) : tf.train.sgd(c.lr);
  const lossFn = (): TfTensor => {
    let h = X;
    vars.forEach((v, i) => {
      h = tf.add(tf.matMul(h, v.w), v.b);
      if (i + 1 < vars.length) h = tf.relu(h);
    });
    return tf.losses.softmaxCrossEntropy(Y, h);
  };
  return {
    step: () => {
      const loss = opt.minimize(lossFn, true)!;
      const v = loss.dataSync()[0]!;
      loss.dispose();
      return v;
    },
  };
}

/**
 * The TensorFlow.js peer on the given backend.
 * @example
 * ```ts
 * const p = await tfjsPeer('wasm');
 * ```
 */
export async function tfjsPeer(backend: 'cpu' | 'wasm'): Promise<Peer> {
  const tf = await loadTf(backend);
  const pkg = backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs';
  return {
    name: backend === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu',
    version: `${pkg} ${await packageVersion(pkg)}`,
    matmul: (c, a, b) => matmulCase(tf, c, a, b),
    elementwise: (c, x, y) => elementwiseCase(tf, c, x, y),
    chain: (c) => chainCase(tf, c),
    train: async (c, layers, batch) => trainCase(tf, c, layers, batch),
    model: async (c, init) => tfjsModelTrainer(tf as unknown as TfModels, c, init),
    modelUnavailable: (c) =>
      backend === 'wasm' && c.kind === 'cnn'
        ? 'n/a: the tfjs wasm backend has no Conv2DBackpropFilter kernel, so it cannot train a conv'
        : undefined,
  };
}
