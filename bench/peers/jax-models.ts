/**
 * jax-js's model-training workloads (CNN, LSTM, pre-LN encoder block): the loss written with
 * `jax.numpy`, `jax.nn` and `lax.convGeneralDilated`, one training step compiled with
 * `jit(valueAndGrad)` and Adam written in jax (PyTorch's formula, as for the MLPs). Parameters
 * are a pytree (an object of arrays, kernels stored [in, out]).
 *
 * jax-js moves arrays into the functions they are passed to: `a.ref` keeps `a` for one more use.
 * @module
 */
import { oneHot } from '../lib/data.js';
import { ATTN_DIMS, LN_EPS, LSTM_DIMS, permute, type ModelCase, type ModelInit } from '../lib/models.js';
import { ADAM } from '../lib/workloads.js';
import type { Trainer } from './peer.js';

/** The part of jax.Array these models use. @internal */
export interface JA {
  readonly ref: JA;
  dispose(): void;
  data(): Promise<Float32Array>;
  add(o: JA | number): JA;
  sub(o: JA | number): JA;
  mul(o: JA | number): JA;
  div(o: JA | number): JA;
  sum(axis?: number | number[]): JA;
  mean(axis?: number | number[], opts?: { keepdims?: boolean }): JA;
  max(axis?: number | number[]): JA;
  transpose(perm?: number[]): JA;
  reshape(shape: number[]): JA;
}

/** The part of the jax-js module these models use. @internal */
export interface JaxModels {
  numpy: {
    array(values: Float32Array | number, opts?: { shape?: number[] }): JA;
    matmul(a: JA, b: JA): JA;
    sqrt(a: JA): JA;
    tanh(a: JA): JA;
    zeros(shape: number[]): JA;
    zerosLike(a: JA): JA;
    split(a: JA, sections: number, axis?: number): JA[];
  };
  nn: { relu(a: JA): JA; sigmoid(a: JA): JA; softmax(a: JA, axis?: number): JA; logSoftmax(a: JA, axis?: number): JA };
  lax: { convGeneralDilated(lhs: JA, rhs: JA, strides: number[], padding: [number, number][]): JA };
  jit<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R;
  valueAndGrad<A extends unknown[], G>(f: (...args: A) => JA): (...args: A) => [JA, G];
}

type Params = Record<string, JA>;

/** Each parameter's array with one more reference (the tree is used again after the call). */
function refs(p: Params): Params {
  return Object.fromEntries(Object.entries(p).map(([k, a]) => [k, a.ref]));
}

/**
 * Builds the jax-js model for a case with Adam, as one jitted step.
 * @example
 * ```ts
 * const t = jaxModelTrainer(jax, c, modelInit(c));
 * ```
 */
export function jaxModelTrainer(jax: JaxModels, c: ModelCase, init: ModelInit): Trainer {
  const { numpy: np, nn, lax } = jax;
  const B = c.batch;
  // Kernels [in, out] for the products x · W; everything else in PyTorch's layout.
  let params: Params = {};
  for (const p of Object.values(init.params)) {
    const kernel = p.shape.length === 2 && !p.name.includes('conv');
    params[p.name] = kernel
      ? np.array(permute(p.data, p.shape, [1, 0]), { shape: [p.shape[1]!, p.shape[0]!] })
      : np.array(p.data, { shape: p.shape });
  }
  const Y = np.array(oneHot(init.y, init.classes), { shape: [B, init.classes] });
  const dense = (x: JA, p: Params, name: string): JA => np.matmul(x, p[`${name}.weight`]!).add(p[`${name}.bias`]!);

  let inputs: JA[];
  let logits: (p: Params, xs: JA[]) => JA;
  if (c.kind === 'cnn') {
    inputs = [np.array(init.x, { shape: init.xShape })];
    const conv = (x: JA, p: Params, name: string, pad: number): JA => {
      const w = init.params[`${name}.weight`]!;
      return lax
        .convGeneralDilated(
          x,
          p[`${name}.weight`]!,
          [1, 1],
          [
            [pad, pad],
            [pad, pad],
          ],
        )
        .add(p[`${name}.bias`]!.reshape([w.shape[0]!, 1, 1]));
    };
    const pool = (x: JA, C: number, H: number): JA => x.reshape([B, C, H / 2, 2, H / 2, 2]).max([3, 5]);
    logits = (p, [x]) => {
      let h = pool(nn.relu(conv(x!, p, 'conv1', 2)), 8, 28);
      h = pool(nn.relu(conv(h, p, 'conv2', 0)), 16, 10);
      return dense(nn.relu(dense(h.reshape([B, 400]), p, 'fc1')), p, 'fc2');
    };
  } else if (c.kind === 'lstm') {
    const { input: I, hidden: H, seq: T } = LSTM_DIMS;
    // The sequence as T arrays [B, I] (x[:, t, :]).
    inputs = [];
    for (let t = 0; t < T; t++) {
      const xt = new Float32Array(B * I);
      for (let b = 0; b < B; b++) xt.set(init.x.subarray((b * T + t) * I, (b * T + t + 1) * I), b * I);
      inputs.push(np.array(xt, { shape: [B, I] }));
    }
    logits = (p, xs) => {
      const wih = p['lstm.weight_ih_l0']!,
        whh = p['lstm.weight_hh_l0']!,
        bih = p['lstm.bias_ih_l0']!,
        bhh = p['lstm.bias_hh_l0']!;
      let h = np.zeros([B, H]);
      let cell = np.zeros([B, H]);
      for (const x of xs) {
        const z = np.matmul(x, wih.ref).add(bih.ref).add(np.matmul(h, whh.ref).add(bhh.ref));
        const [i, f, g, o] = np.split(z, 4, 1) as [JA, JA, JA, JA];
        cell = nn
          .sigmoid(f)
          .mul(cell)
          .add(nn.sigmoid(i).mul(np.tanh(g)));
        h = nn.sigmoid(o).mul(np.tanh(cell.ref));
      }
      cell.dispose();
      for (const a of [wih, whh, bih, bhh]) a.dispose();
      return dense(h, p, 'fc');
    };
  } else {
    const { seq: T, width: E, heads: Hd } = ATTN_DIMS;
    const D = E / Hd;
    inputs = [np.array(init.x, { shape: [B * T, E] })];
    const norm = (x: JA, p: Params, name: string): JA => {
      const xc = x.ref.sub(x.mean(-1, { keepdims: true }));
      const variance = xc.ref.mul(xc.ref).mean(-1, { keepdims: true });
      return xc
        .div(np.sqrt(variance.add(LN_EPS)))
        .mul(p[`${name}.weight`]!)
        .add(p[`${name}.bias`]!);
    };
    const heads = (t: JA): JA => t.reshape([B, T, Hd, D]).transpose([0, 2, 1, 3]);
    logits = (p, [x]) => {
      const qkv = np.matmul(norm(x!.ref, p, 'ln1'), p['attn.in_proj_weight']!).add(p['attn.in_proj_bias']!);
      const [q, k, v] = np.split(qkv, 3, 1) as [JA, JA, JA];
      const scores = np.matmul(heads(q).mul(1 / Math.sqrt(D)), heads(k).transpose([0, 1, 3, 2]));
      const ctx = np
        .matmul(nn.softmax(scores, -1), heads(v))
        .transpose([0, 2, 1, 3])
        .reshape([B * T, E]);
      const h = x!.add(dense(ctx, p, 'attn.out_proj'));
      const out = h.ref.add(dense(nn.relu(dense(norm(h, p, 'ln2'), p, 'mlp1')), p, 'mlp2'));
      return dense(out.reshape([B, T, E]).mean(1), p, 'head');
    };
  }
  const lossFn = (p: Params, xs: JA[], y: JA): JA =>
    nn
      .logSoftmax(logits(p, xs), -1)
      .mul(y)
      .sum()
      .mul(-1 / B);
  const lossAndGrad = jax.valueAndGrad<[Params, JA[], JA], Params>(lossFn);
  let m: Params = Object.fromEntries(Object.entries(params).map(([k, a]) => [k, np.zerosLike(a.ref)]));
  let v: Params = Object.fromEntries(Object.entries(params).map(([k, a]) => [k, np.zerosLike(a.ref)]));
  // PyTorch's Adam: p -= (lr / bc1) · m / (sqrt(v) / sqrt(bc2) + eps); s1 = lr / bc1, s2 = 1 / sqrt(bc2).
  const adamStep = jax.jit((p: Params, mo: Params, ve: Params, xs: JA[], y: JA, s1: JA, s2: JA): [JA, Params, Params, Params] => {
    const [loss, g] = lossAndGrad(refs(p), xs, y);
    const np2: Params = {};
    const nm: Params = {};
    const nv: Params = {};
    for (const k of Object.keys(p)) {
      const grad = g[k]!;
      const m1 = mo[k]!.mul(ADAM.beta1).add(grad.ref.mul(1 - ADAM.beta1));
      const v1 = ve[k]!.mul(ADAM.beta2).add(grad.ref.mul(grad).mul(1 - ADAM.beta2));
      const step = m1.ref.div(np.sqrt(v1.ref).mul(s2.ref).add(ADAM.eps)).mul(s1.ref);
      np2[k] = p[k]!.sub(step);
      nm[k] = m1;
      nv[k] = v1;
    }
    s1.dispose();
    s2.dispose();
    return [loss, np2, nm, nv];
  });
  let t = 0;
  return {
    step: async () => {
      t++;
      const bc1 = 1 - ADAM.beta1 ** t;
      const bc2 = 1 - ADAM.beta2 ** t;
      let loss: JA;
      [loss, params, m, v] = adamStep(
        params,
        m,
        v,
        inputs.map((a) => a.ref),
        Y.ref,
        np.array(c.lr / bc1),
        np.array(1 / Math.sqrt(bc2)),
      );
      return (await loss.data())[0]!;
    },
  };
}
