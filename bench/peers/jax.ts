/**
 * jax-js under test, on its `wasm` device. Training steps run under `jit(valueAndGrad)`, with Adam
 * written by hand in jax (jax-js ships no optimizer package of its own; `@jax-js/optax` is a
 * separate package). Loaded from bench/node_modules at run time; the calls used are typed here.
 *
 * jax-js moves arrays into the functions they are passed to (reference counting): `a.ref` keeps
 * `a` alive for one more use.
 * @module
 */
import type { Batch, LayerInit } from '../lib/data.js';
import { oneHot, transposeWeight } from '../lib/data.js';
import { CHAIN_C, CHAIN_W, CHAIN_X } from '../lib/reference.js';
import { ADAM, type ChainCase, type ElementwiseCase, type MatmulCase, type TrainCase } from '../lib/workloads.js';
import { importPeer, packageVersion, type Peer, type Prepared, type Trainer } from './peer.js';
import { jaxModelTrainer, type JaxModels } from './jax-models.js';

/** The part of jax.Array the harness uses. @internal */
interface JArray {
  readonly ref: JArray;
  readonly shape: number[];
  dispose(): void;
  blockUntilReady(): Promise<JArray>;
  data(): Promise<Float32Array>;
  add(o: JArray | number): JArray;
  sub(o: JArray | number): JArray;
  mul(o: JArray | number): JArray;
  div(o: JArray | number): JArray;
  sum(axis?: number): JArray;
  transpose(perm?: number[]): JArray;
  reshape(shape: number[]): JArray;
}

/** One layer's parameters (or Adam moments): kernel [in, out] and bias. @internal */
type Layer = { w: JArray; b: JArray };

/** The part of the jax-js module the harness uses. @internal */
interface Jax {
  init(...devices: string[]): Promise<string[]>;
  defaultDevice(device?: string): string;
  numpy: {
    array(values: Float32Array | number[] | number, opts?: { shape?: number[] }): JArray;
    matmul(a: JArray, b: JArray): JArray;
    add(a: JArray, b: JArray): JArray;
    multiply(a: JArray, b: JArray): JArray;
    exp(a: JArray): JArray;
    sqrt(a: JArray): JArray;
    tanh(a: JArray): JArray;
    zeros(shape: number[]): JArray;
  };
  nn: { relu(a: JArray): JArray; sigmoid(a: JArray): JArray; logSoftmax(a: JArray, axis?: number): JArray };
  jit<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R;
  valueAndGrad<A extends unknown[], G>(f: (...args: A) => JArray, opts?: { argnums?: number }): (...args: A) => [JArray, G];
}

function matmulCase(jax: Jax, c: MatmulCase, a: Float32Array, b: Float32Array): Prepared {
  const np = jax.numpy;
  const A = c.t === 'aT' ? np.array(a, { shape: [c.k, c.m] }) : np.array(a, { shape: [c.m, c.k] });
  const B = c.t === 'bT' ? np.array(b, { shape: [c.n, c.k] }) : np.array(b, { shape: [c.k, c.n] });
  const f = (): JArray =>
    c.t === 'aT' ? np.matmul(A.ref.transpose(), B.ref) : c.t === 'bT' ? np.matmul(A.ref, B.ref.transpose()) : np.matmul(A.ref, B.ref);
  return forced(f);
}

/** A case whose run forces the lazy result (blockUntilReady) and frees it. */
function forced(f: () => JArray): Prepared {
  return {
    run: async () => {
      const r = f();
      await r.blockUntilReady();
      r.dispose();
    },
    output: async () => (await f().data()).slice(),
  };
}

function elementwiseCase(jax: Jax, c: ElementwiseCase, x: Float32Array, y: Float32Array): Prepared {
  const { numpy: np, nn } = jax;
  const X = np.array(x);
  const Y = np.array(y);
  const fns: Record<ElementwiseCase['op'], () => JArray> = {
    add: () => np.add(X.ref, Y.ref),
    mul: () => np.multiply(X.ref, Y.ref),
    exp: () => np.exp(X.ref),
    relu: () => nn.relu(X.ref),
    sigmoid: () => nn.sigmoid(X.ref),
  };
  return forced(fns[c.op]);
}

function chainCase(jax: Jax, c: ChainCase): Prepared {
  const np = jax.numpy;
  // Eager (not jitted): the graph is traced anew each call, like a dynamic-graph framework.
  const f = jax.valueAndGrad<[JArray, JArray], JArray>(
    (w: JArray, x: JArray) => {
      let t = x;
      for (let i = 0; i < c.n; i++) {
        const k = i % 3;
        t = k === 0 ? t.mul(w.ref) : k === 1 ? t.add(CHAIN_C) : np.tanh(t);
      }
      w.dispose();
      return t;
    },
    { argnums: 0 },
  );
  const once = async (): Promise<[number, number]> => {
    const [value, gw] = f(np.array(CHAIN_W), np.array(CHAIN_X)); // 0-d: jax's grad wants a scalar output
    return [(await value.data())[0]!, (await gw.data())[0]!];
  };
  return { run: once, output: once };
}

function trainCase(jax: Jax, c: TrainCase, layers: readonly LayerInit[], batch: Batch): Trainer {
  const { numpy: np, nn } = jax;
  const B = batch.batch;
  let params: Layer[] = layers.map((l) => ({
    w: np.array(transposeWeight(l.weight, l.outF, l.inF), { shape: [l.inF, l.outF] }),
    b: np.array(l.bias),
  }));
  const zerosLike = (): Layer[] => layers.map((l) => ({ w: np.zeros([l.inF, l.outF]), b: np.zeros([l.outF]) }));
  let m = zerosLike();
  let v = zerosLike();
  const X = np.array(batch.x, { shape: [B, batch.features] });
  const Y = np.array(oneHot(batch.y, batch.classes), { shape: [B, batch.classes] });

  const lossFn = (p: Layer[], x: JArray, y: JArray): JArray => {
    let h = x;
    p.forEach((layer, i) => {
      h = np.matmul(h, layer.w).add(layer.b);
      if (i + 1 < p.length) h = nn.relu(h);
    });
    return nn
      .logSoftmax(h, -1)
      .mul(y)
      .sum()
      .mul(-1 / B);
  };
  const lossAndGrad = jax.valueAndGrad<[Layer[], JArray, JArray], Layer[]>(lossFn);
  const refs = (p: Layer[]): Layer[] => p.map((l) => ({ w: l.w.ref, b: l.b.ref }));

  const sgdStep = jax.jit((p: Layer[], x: JArray, y: JArray): [JArray, Layer[]] => {
    const [loss, g] = lossAndGrad(refs(p), x, y);
    const next = p.map((l, i) => ({ w: l.w.sub(g[i]!.w.mul(c.lr)), b: l.b.sub(g[i]!.b.mul(c.lr)) }));
    return [loss, next];
  });
  // PyTorch's Adam: p -= (lr / bc1) · m / (sqrt(v) / sqrt(bc2) + eps); s1 = lr / bc1, s2 = 1 / sqrt(bc2).
  const adamStep = jax.jit(
    (p: Layer[], mo: Layer[], ve: Layer[], x: JArray, y: JArray, s1: JArray, s2: JArray): [JArray, Layer[], Layer[], Layer[]] => {
      const [loss, g] = lossAndGrad(refs(p), x, y);
      const nm: Layer[] = [];
      const nv: Layer[] = [];
      const np2: Layer[] = [];
      p.forEach((l, i) => {
        const upd = (param: JArray, grad: JArray, m0: JArray, v0: JArray): [JArray, JArray, JArray] => {
          const m1 = m0.mul(ADAM.beta1).add(grad.ref.mul(1 - ADAM.beta1));
          const v1 = v0.mul(ADAM.beta2).add(grad.ref.mul(grad).mul(1 - ADAM.beta2));
          const step = m1.ref.div(np.sqrt(v1.ref).mul(s2.ref).add(ADAM.eps)).mul(s1.ref);
          return [param.sub(step), m1, v1];
        };
        const [w, mw, vw] = upd(l.w, g[i]!.w, mo[i]!.w, ve[i]!.w);
        const [b, mb, vb] = upd(l.b, g[i]!.b, mo[i]!.b, ve[i]!.b);
        np2.push({ w, b });
        nm.push({ w: mw, b: mb });
        nv.push({ w: vw, b: vb });
      });
      s1.dispose();
      s2.dispose();
      return [loss, np2, nm, nv];
    },
  );
  let t = 0;
  return {
    step: async () => {
      t++;
      let loss: JArray;
      if (c.optimizer === 'sgd') {
        [loss, params] = sgdStep(params, X.ref, Y.ref);
      } else {
        const bc1 = 1 - ADAM.beta1 ** t;
        const bc2 = 1 - ADAM.beta2 ** t;
        [loss, params, m, v] = adamStep(params, m, v, X.ref, Y.ref, np.array(c.lr / bc1), np.array(1 / Math.sqrt(bc2)));
      }
      return (await loss.data())[0]!;
    },
  };
}

/**
 * The jax-js peer on its wasm device.
 * @example
 * ```ts
 * const p = await jaxPeer();
 * ```
 */
export async function jaxPeer(): Promise<Peer> {
  const jax = await importPeer<Jax>('@jax-js/jax');
  const devices = await jax.init('wasm');
  if (!devices.includes('wasm')) throw new Error(`jax-js: wasm device unavailable (got ${devices.join(', ')})`);
  jax.defaultDevice('wasm');
  return {
    name: 'jax-wasm',
    version: `@jax-js/jax ${await packageVersion('@jax-js/jax')}`,
    matmul: (c, a, b) => matmulCase(jax, c, a, b),
    elementwise: (c, x, y) => elementwiseCase(jax, c, x, y),
    chain: (c) => chainCase(jax, c),
    train: async (c, layers, batch) => trainCase(jax, c, layers, batch),
    model: async (c, init) => jaxModelTrainer(jax as unknown as JaxModels, c, init),
    notes: {
      models:
        'jit(valueAndGrad) with Adam written in jax; the LSTM unrolled over its 32 steps in the traced function. jax-js runs single-threaded under Node (it starts threads only when a browser Worker global exists)',
      chain: 'eager valueAndGrad (no jit), so the graph is traced anew each call',
      train: 'jit(valueAndGrad) with Adam/SGD written in jax',
    },
  };
}
