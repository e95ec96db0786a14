/**
 * js-pytorch under test, for the dynamic-graph chain only (its tensors are nested JS arrays of
 * float64; it has no fast kernels to compare). js-pytorch 0.7 has no tanh, so the chain's tanh
 * is written with its own ops: tanh(t) = (1 − e) / (1 + e) with e = exp(−2t), six ops. The
 * report gives its time per chain op and per op it actually ran, and leaves it out of the
 * best-peer ratio.
 * @module
 */
import { CHAIN_C, CHAIN_W, CHAIN_X } from '../lib/reference.js';
import type { ChainCase } from '../lib/workloads.js';
import { importPeer, packageVersion, type Peer, type Prepared } from './peer.js';

/** The part of a js-pytorch Tensor the harness uses. @internal */
interface JtTensor {
  readonly data: unknown[];
  readonly grad: unknown[];
  backward(): void;
}

/** The part of the js-pytorch `torch` namespace the harness uses. @internal */
interface Torch {
  tensor(data: number[], requiresGrad?: boolean): JtTensor;
  add(a: JtTensor, b: JtTensor | number): JtTensor;
  mul(a: JtTensor, b: JtTensor | number): JtTensor;
  div(a: JtTensor, b: JtTensor | number): JtTensor;
  neg(a: JtTensor): JtTensor;
  exp(a: JtTensor): JtTensor;
}

/**
 * Ops js-pytorch runs per chain of `n` ops (tanh costs six).
 * @example
 * ```ts
 * jsPytorchOpsPerChain(3); // 8
 * ```
 */
export function jsPytorchOpsPerChain(n: number): number {
  let ops = 0;
  for (let i = 0; i < n; i++) ops += i % 3 === 2 ? 6 : 1;
  return ops;
}

function chainCase(torch: Torch, c: ChainCase): Prepared {
  const once = (): [number, number] => {
    const x = torch.tensor([CHAIN_X], true);
    const w = torch.tensor([CHAIN_W], true);
    let t = x;
    for (let i = 0; i < c.n; i++) {
      const k = i % 3;
      if (k === 0) t = torch.mul(t, w);
      else if (k === 1) t = torch.add(t, CHAIN_C);
      else {
        const e = torch.exp(torch.mul(t, -2));
        t = torch.div(torch.add(torch.neg(e), 1), torch.add(e, 1));
      }
    }
    t.backward();
    return [Number(t.data[0]), Number(w.grad[0])];
  };
  return { run: once, output: async () => once() };
}

/**
 * The js-pytorch peer (chain only).
 * @example
 * ```ts
 * const p = await jsPytorchPeer();
 * ```
 */
export async function jsPytorchPeer(): Promise<Peer> {
  const { torch } = await importPeer<{ torch: Torch }>('js-pytorch');
  return {
    name: 'js-pytorch',
    version: `js-pytorch ${await packageVersion('js-pytorch')}`,
    chain: (c) => chainCase(torch, c),
    notes: {
      chain: 'no tanh in js-pytorch 0.7: tanh = (1 − e)/(1 + e), e = exp(−2t), 6 ops; float64; not counted as best peer',
      matmul: 'not run: nested JS arrays, no typed-array kernels',
      elementwise: 'not run: nested JS arrays, no typed-array kernels',
      train: 'not run',
    },
  };
}
