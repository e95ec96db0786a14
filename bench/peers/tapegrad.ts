/**
 * tapegrad under test, imported from the source tree (run through tsx), so the benchmark measures
 * the current working tree.
 * @module
 */
import { getNumThreads, setNumThreads, tensor, type Tensor } from '../../src/index.js';
import type { Batch, LayerInit } from '../lib/data.js';
import { CHAIN_C, CHAIN_W, CHAIN_X } from '../lib/reference.js';
import type { ChainCase, ElementwiseCase, MatmulCase, TrainCase } from '../lib/workloads.js';
import type { Peer, Prepared, Trainer } from './peer.js';
import { tapegradModelTrainer } from './tapegrad-models.js';
import { tapegradTrainer } from './tapegrad-train.js';

/** The thread count tapegrad runs with unless a case asks for one thread. */
const defaultThreads = getNumThreads();

function matmulCase(c: MatmulCase, a: Float32Array, b: Float32Array): Prepared {
  // Cases are prepared and timed one after the other, so the count set here holds while this one runs.
  setNumThreads(c.threads ?? defaultThreads);
  // Operands stored as the case says; the transposed ones are views (`mT`), as in a backward pass.
  const A = c.t === 'aT' ? tensor(a).reshape([c.k, c.m]) : tensor(a).reshape([c.m, c.k]);
  const B = c.t === 'bT' ? tensor(b).reshape([c.n, c.k]) : tensor(b).reshape([c.k, c.n]);
  const fn: () => Tensor = c.t === 'aT' ? () => A.mT.matmul(B) : c.t === 'bT' ? () => A.matmul(B.mT) : () => A.matmul(B);
  return { run: fn, output: async () => fn().dataSync() };
}

function elementwiseCase(c: ElementwiseCase, x: Float32Array, y: Float32Array): Prepared {
  const X = tensor(x);
  const Y = tensor(y);
  const fns: Record<ElementwiseCase['op'], () => Tensor> = {
    add: () => X.add(Y),
    mul: () => X.mul(Y),
    exp: () => X.exp(),
    relu: () => X.relu(),
    sigmoid: () => X.sigmoid(),
  };
  const fn = fns[c.op];
  return { run: fn, output: async () => fn().dataSync() };
}

function chainCase(c: ChainCase): Prepared {
  const once = (): [number, number] => {
    const x = tensor([CHAIN_X], { requiresGrad: true });
    const w = tensor([CHAIN_W], { requiresGrad: true });
    let t: Tensor = x;
    for (let i = 0; i < c.n; i++) {
      const k = i % 3;
      t = k === 0 ? t.mul(w) : k === 1 ? t.add(CHAIN_C) : t.tanh();
    }
    t.backward();
    return [t.item(), w.grad!.item()];
  };
  return { run: once, output: async () => once() };
}

/**
 * The tapegrad peer.
 * @example
 * ```ts
 * const p = await tapegradPeer();
 * ```
 */
export async function tapegradPeer(): Promise<Peer> {
  return {
    name: 'tapegrad',
    version: 'tapegrad (working tree)',
    matmul: matmulCase,
    elementwise: elementwiseCase,
    chain: chainCase,
    train: (c: TrainCase, layers: readonly LayerInit[], batch: Batch): Promise<Trainer> => tapegradTrainer(c, layers, batch),
    model: (c, init) => tapegradModelTrainer(c, init),
  };
}
