/**
 * Recurrent cells and the multi-layer, optionally bidirectional sequence loop behind `nn.RNN`,
 * `nn.LSTM` and `nn.GRU`, with PyTorch's gate order (LSTM i, f, g, o; GRU r, z, n with r applied to
 * `W_hn·h + b_hn`). The input projections of a whole sequence are one matmul; only the hidden
 * projections run per step.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { add, mul, relu, sigmoid, sub, tanh } from '../../autograd/ops/elementwise.js';
import { cat, chunk, narrow, select, stack, transpose, unsqueeze, squeeze } from '../../autograd/ops/shape.js';
import { lstmSequence } from '../../autograd/ops/lstm.js';
import { gruSequence } from '../../autograd/ops/gru.js';
import { zerosOf } from '../../autograd/ops/indexing.js';
import { checkFloat } from './checks.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';

/** The recurrence of a recurrent layer: Elman RNN with tanh or relu, LSTM or GRU. */
export type RnnMode = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';

/** The weights of one cell (one layer and direction): `wIh` [G·H, in], `wHh` [G·H, H], biases [G·H]. */
export interface CellWeights {
  /** Input-to-hidden weight [G·H, inputSize], G = 1 (RNN), 4 (LSTM) or 3 (GRU). */
  wIh: Tensor;
  /** Hidden-to-hidden weight [G·H, H]. */
  wHh: Tensor;
  /** Input-to-hidden bias [G·H], or null. */
  bIh: Tensor | null;
  /** Hidden-to-hidden bias [G·H], or null. */
  bHh: Tensor | null;
}

/** Number of gate blocks stacked in the weights of a mode. @internal */
export function gateCount(mode: RnnMode): number {
  return mode === 'lstm' ? 4 : mode === 'gru' ? 3 : 1;
}

/**
 * One step given the input projection `gi` = x·W_ihᵀ + b_ih ([N, G·H]); returns the new h (and c for LSTM).
 * @internal
 */
export function cellStep(mode: RnnMode, gi: Tensor, h: Tensor, c: Tensor | null, w: CellWeights): { h: Tensor; c: Tensor | null } {
  const gh = linear(h, w.wHh, w.bHh);
  switch (mode) {
    case 'rnnTanh':
      return { h: tanh(add(gi, gh)), c: null };
    case 'rnnRelu':
      return { h: relu(add(gi, gh)), c: null };
    case 'lstm': {
      const [i, f, g, o] = chunk(add(gi, gh), 4, -1) as [Tensor, Tensor, Tensor, Tensor];
      const c2 = add(mul(sigmoid(f), c!), mul(sigmoid(i), tanh(g)));
      return { h: mul(sigmoid(o), tanh(c2)), c: c2 };
    }
    case 'gru': {
      const [ir, iz, inn] = chunk(gi, 3, -1) as [Tensor, Tensor, Tensor];
      const [hr, hz, hn] = chunk(gh, 3, -1) as [Tensor, Tensor, Tensor];
      const r = sigmoid(add(ir, hr));
      const z = sigmoid(add(iz, hz));
      const nn = tanh(add(inn, mul(r, hn)));
      // (1 − z)·n + z·h = n + z·(h − n)
      return { h: add(nn, mul(z, sub(h, nn))), c: null };
    }
  }
}

/** Validates a cell's input [N, in] and state [N, H] against its weights. @internal */
export function checkCellInput(op: string, x: Tensor, hiddenSize: number, inputSize: number, states: (Tensor | null)[]): void {
  checkFloat(op, x);
  if (x.ndim !== 2 || x.shape[1] !== inputSize) {
    throw new ShapeError(`${op}: expected input of shape [N, ${inputSize}] (or [${inputSize}] unbatched), got ${fmtShape(x.shape)}`);
  }
  for (const s of states) {
    if (s !== null && (s.ndim !== 2 || s.shape[0] !== x.shape[0] || s.shape[1] !== hiddenSize)) {
      throw new ShapeError(
        `${op}: expected hidden state of shape [${x.shape[0]}, ${hiddenSize}], got ${fmtShape(s.shape)} (input ${fmtShape(x.shape)})`,
      );
    }
  }
}

/** Options of the sequence loop. @internal */
interface RnnConfig {
  mode: RnnMode;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
  dropout: number;
  training: boolean;
  generator?: Generator;
}

/** The output of a recurrent layer. */
export interface RnnOutput {
  /** Last layer's hidden state at every step: [T, N, D·H] ([N, T, D·H] with batchFirst; [T, D·H] unbatched). */
  output: Tensor;
  /** Final hidden state of every layer and direction: [numLayers·D, N, H] ([numLayers·D, H] unbatched). */
  hN: Tensor;
  /** Final cell state (LSTM only), same shape as hN; null otherwise. */
  cN: Tensor | null;
}

/**
 * Which implementation the recurrent layers use: the fused LSTM and GRU recurrences (default) or
 * the composite of per-step ops (kept for comparison and as the reference of the tests).
 * @example
 * ```ts
 * rnnPaths.fusedLstm = false; // per-step composite ops
 * ```
 * @internal
 */
export const rnnPaths = { fusedLstm: true, fusedGru: true };

/** True when the input, the states and every weight share one dtype (the fused path needs it). */
function sameDtype(xs: Tensor, h0: Tensor, c0: Tensor, w: CellWeights): boolean {
  const d = xs.dtype;
  return (
    h0.dtype === d &&
    c0.dtype === d &&
    w.wIh.dtype === d &&
    w.wHh.dtype === d &&
    (w.bIh === null || w.bIh.dtype === d) &&
    (w.bHh === null || w.bHh.dtype === d)
  );
}

/** Runs one layer in one direction over xs [T, N, in]; returns the outputs [T, N, H] and the final state. */
function runDirection(
  cfg: RnnConfig,
  xs: Tensor,
  h0: Tensor,
  c0: Tensor | null,
  w: CellWeights,
  reverse: boolean,
): { out: Tensor; h: Tensor; c: Tensor | null } {
  const t = xs.shape[0]!;
  if (cfg.mode === 'lstm' && rnnPaths.fusedLstm && t > 0 && xs.numel() > 0 && h0.numel() > 0 && sameDtype(xs, h0, c0!, w)) {
    // Input projections and both biases for the whole sequence, then the fused recurrence.
    const bias = w.bIh && w.bHh ? add(w.bIh, w.bHh) : (w.bIh ?? w.bHh);
    const gis = linear(xs, w.wIh, bias);
    const seq = lstmSequence(gis, w.wHh, h0, c0!, reverse);
    return { out: narrow(seq, 0, 0, t), h: select(seq, 0, reverse ? 0 : t - 1), c: select(seq, 0, t) };
  }
  if (cfg.mode === 'gru' && rnnPaths.fusedGru && t > 0 && xs.numel() > 0 && h0.numel() > 0 && sameDtype(xs, h0, h0, w)) {
    const gis = linear(xs, w.wIh, w.bIh);
    const seq = gruSequence(gis, w.wHh, w.bHh ?? zerosOf([w.wHh.shape[0]!], xs.dtype), h0, reverse);
    return { out: seq, h: select(seq, 0, reverse ? 0 : t - 1), c: null };
  }
  const gis = linear(xs, w.wIh, w.bIh); // [T, N, G·H] in one GEMM
  const outs = new Array<Tensor>(t);
  let h = h0;
  let c = c0;
  for (let k = 0; k < t; k++) {
    const step = reverse ? t - 1 - k : k;
    ({ h, c } = cellStep(cfg.mode, select(gis, 0, step), h, c, w));
    outs[step] = h;
  }
  return { out: stack(outs, 0), h, c };
}

/**
 * The multi-layer recurrent forward. `weights[layer·D + direction]` holds each cell's weights;
 * `hx` and `cx` are [numLayers·D, N, H] (zeros when null).
 * @internal
 */
export function rnnForward(
  cfg: RnnConfig,
  input: Tensor,
  weights: CellWeights[],
  hx: Tensor | null,
  cx: Tensor | null,
  op: string,
): RnnOutput {
  checkFloat(op, input);
  const d = cfg.bidirectional ? 2 : 1;
  const batched = input.ndim === 3;
  if (!batched && input.ndim !== 2) {
    throw new ShapeError(
      `${op}: expected a 3-d input ${cfg.batchFirst ? '[N, T, inputSize]' : '[T, N, inputSize]'} or 2-d unbatched [T, inputSize], got ${fmtShape(input.shape)}`,
    );
  }
  if (input.shape[input.ndim - 1] !== cfg.inputSize) {
    throw new ShapeError(
      `${op}: expected the input's last dim to be inputSize=${cfg.inputSize}, got input of shape ${fmtShape(input.shape)}`,
    );
  }
  let xs = batched ? (cfg.batchFirst ? transpose(input, 0, 1) : input) : unsqueeze(input, 1);
  const n = xs.shape[1]!;
  const stateShape = batched ? [cfg.numLayers * d, n, cfg.hiddenSize] : [cfg.numLayers * d, cfg.hiddenSize];
  const state = (s: Tensor | null, name: string): Tensor => {
    if (s === null) return zerosOf([cfg.numLayers * d, n, cfg.hiddenSize], input.dtype);
    if (s.ndim !== stateShape.length || s.shape.some((v, i) => v !== stateShape[i])) {
      throw new ShapeError(
        `${op}: expected ${name} of shape ${fmtShape(stateShape)} (numLayers·directions, ${batched ? 'N, ' : ''}hiddenSize), got ${fmtShape(s.shape)}`,
      );
    }
    checkFloat(op, s, name);
    return batched ? s : unsqueeze(s, 1);
  };
  const h0 = state(hx, 'h0');
  const c0 = cfg.mode === 'lstm' ? state(cx, 'c0') : null;
  if (!(cfg.dropout >= 0 && cfg.dropout <= 1)) throw new ValueError(`${op}: dropout must be between 0 and 1, got ${cfg.dropout}`);
  const hs: Tensor[] = [];
  const cs: Tensor[] = [];
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    if (layer > 0 && cfg.training && cfg.dropout > 0) xs = dropout(xs, { p: cfg.dropout, training: true, generator: cfg.generator });
    const outs: Tensor[] = [];
    for (let dir = 0; dir < d; dir++) {
      const i = layer * d + dir;
      const r = runDirection(cfg, xs, select(h0, 0, i), c0 && select(c0, 0, i), weights[i]!, dir === 1);
      outs.push(r.out);
      hs.push(r.h);
      if (r.c) cs.push(r.c);
    }
    xs = d === 1 ? outs[0]! : cat(outs, -1);
  }
  let output = xs;
  let hN = stack(hs, 0);
  let cN = cs.length > 0 ? stack(cs, 0) : null;
  if (!batched) {
    output = squeeze(output, 1);
    hN = squeeze(hN, 1);
    cN = cN && squeeze(cN, 1);
  } else if (cfg.batchFirst) {
    output = transpose(output, 0, 1);
  }
  return { output, hN, cN };
}
