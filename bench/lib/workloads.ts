/**
 * The workloads of the benchmark (the issue "Performance"), for a full run and a `--quick` run.
 * @module
 */
import { modelCases, type ModelCase } from './models.js';
import type { ElementwiseOp, Transpose } from './reference.js';

/** A family of workloads; each case of a group runs in fresh Node processes, one per repeat. */
export type Group = 'matmul' | 'elementwise' | 'train' | 'models' | 'chain';

/** All groups, in run order. */
export const GROUPS: readonly Group[] = ['matmul', 'elementwise', 'train', 'models', 'chain'];

/** A float32 product [m, k]·[k, n], with one operand possibly stored transposed. */
export interface MatmulCase {
  /** Stable id, used in results. */
  id: string;
  /** Row label in the table. */
  label: string;
  /** Rows of the product. */
  m: number;
  /** Inner size. */
  k: number;
  /** Columns of the product. */
  n: number;
  /** 'bT': A·Bᵀ with B stored [n, k]; 'aT': Aᵀ·B with A stored [k, m]. */
  t: Transpose;
  /**
   * 1: tapegrad runs this case on one thread (`setNumThreads(1)`), for the single-threaded
   * comparison; the peers are single-threaded under Node anyway. Absent: tapegrad's default.
   */
  threads?: 1;
}

/** An elementwise op on `size` float32 elements, producing a new output each call. */
export interface ElementwiseCase {
  /** Stable id. */
  id: string;
  /** Row label. */
  label: string;
  /** The op. */
  op: ElementwiseOp;
  /** Elements. */
  size: number;
}

/** One training step (forward, backward, optimizer step, loss read back) of an MLP. */
export interface TrainCase {
  /** Stable id. */
  id: string;
  /** Row label. */
  label: string;
  /** Layer widths, input first; ReLU between layers, softmax cross-entropy on the logits. */
  sizes: readonly number[];
  /** Samples per step. */
  batch: number;
  /** The optimizer (Adam with PyTorch defaults besides lr; plain SGD). */
  optimizer: 'adam' | 'sgd';
  /** Learning rate. */
  lr: number;
}

/** The dynamic-graph chain: `n` ops on one-element tensors, then backward. */
export interface ChainCase {
  /** Stable id. */
  id: string;
  /** Row label. */
  label: string;
  /** Ops in the chain (alternating mul, add, tanh). */
  n: number;
}

/** Every workload of a run, by group. */
export interface Workloads {
  /** Matmul cases (GFLOP/s). */
  matmul: MatmulCase[];
  /** Elementwise cases (ms per op). */
  elementwise: ElementwiseCase[];
  /** Training cases (samples/s). */
  train: TrainCase[];
  /** Model-training cases: CNN, LSTM, encoder block (samples/s). */
  models: ModelCase[];
  /** Chain cases (µs per op). */
  chain: ChainCase[];
}

/** Adam's hyper-parameters besides lr (PyTorch defaults), the same for every peer. */
export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** Seed of the initial weights; the batch uses `WEIGHT_SEED + 1`. */
export const WEIGHT_SEED = 20240601;

/** Seed of the matmul and elementwise operands. */
export const DATA_SEED = 777;

/**
 * The workloads of a full or a quick run.
 * @example
 * ```ts
 * const w = workloads(true);
 * w.matmul.length;
 * ```
 */
export function workloads(quick: boolean): Workloads {
  const matmul: MatmulCase[] = [];
  for (const N of quick ? [256, 512] : [128, 256, 512, 1024]) {
    matmul.push({ id: `mm-${N}`, label: `matmul ${N}×${N}·${N}×${N}`, m: N, k: N, n: N, t: 'none' });
  }
  for (const N of quick ? [512] : [256, 512, 1024]) {
    matmul.push({ id: `mm-${N}-1t`, label: `matmul ${N}² (tapegrad on 1 thread)`, m: N, k: N, n: N, t: 'none', threads: 1 });
  }
  matmul.push({ id: 'mm-64x784x128', label: 'matmul [64×784]·[784×128]', m: 64, k: 784, n: 128, t: 'none' });
  for (const N of quick ? [512] : [256, 1024]) {
    matmul.push({ id: `mm-bT-${N}`, label: `matmul A·Bᵀ ${N}²`, m: N, k: N, n: N, t: 'bT' });
    matmul.push({ id: `mm-aT-${N}`, label: `matmul Aᵀ·B ${N}²`, m: N, k: N, n: N, t: 'aT' });
  }
  const size = 1 << 20;
  const ops: ElementwiseOp[] = ['add', 'mul', 'exp', 'relu', 'sigmoid'];
  const elementwise = ops.map((op) => ({ id: `ew-${op}`, label: `${op} 1M (2²⁰) float32`, op, size }));
  const train: TrainCase[] = [
    {
      id: 'train-784-128-64-10',
      label: 'train MLP 784-128-64-10, Adam, batch 64',
      sizes: [784, 128, 64, 10],
      batch: 64,
      optimizer: 'adam',
      lr: 1e-3,
    },
    {
      id: 'train-784-10-10-10',
      label: 'train MLP 784-10-10-10, Adam, batch 32',
      sizes: [784, 10, 10, 10],
      batch: 32,
      optimizer: 'adam',
      lr: 1e-3,
    },
    // A quick run uses batch 64 here: a step at batch 256 takes seconds on the slower peers.
    quick
      ? {
          id: 'train-784-1024-1024-10-b64',
          label: 'train MLP 784-1024-1024-10, SGD, batch 64',
          sizes: [784, 1024, 1024, 10],
          batch: 64,
          optimizer: 'sgd',
          lr: 0.01,
        }
      : {
          id: 'train-784-1024-1024-10',
          label: 'train MLP 784-1024-1024-10, SGD, batch 256',
          sizes: [784, 1024, 1024, 10],
          batch: 256,
          optimizer: 'sgd',
          lr: 0.01,
        },
  ];
  const chain: ChainCase[] = [{ id: 'chain-1000', label: 'chain of 1000 scalar ops + backward', n: 1000 }];
  return { matmul, elementwise, train, models: modelCases(), chain };
}

/**
 * Floating-point operations of a matmul case (2·m·n·k).
 * @example
 * ```ts
 * matmulFlops({ id: 'x', label: 'x', m: 2, k: 3, n: 4, t: 'none' }); // 48
 * ```
 */
export function matmulFlops(c: MatmulCase): number {
  return 2 * c.m * c.n * c.k;
}
