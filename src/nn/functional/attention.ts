/**
 * Attention: `scaledDotProductAttention` (PyTorch's `F.scaled_dot_product_attention`) and the
 * multi-head attention forward used by `nn.MultiheadAttention`, as composites of matmul and softmax.
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import type { Generator } from '../../autograd/random.js';
import { Tensor } from '../../autograd/tensor.js';
import { add, logicalNot, mul } from '../../autograd/ops/elementwise.js';
import { maskedFill } from '../../autograd/ops/indexing.js';
import { matmul } from '../../autograd/ops/linalg.js';
import { mean, softmax } from '../../autograd/ops/reduce.js';
import { narrow, permute, reshape, select, squeeze, transpose, unsqueeze } from '../../autograd/ops/shape.js';
import { checkFloat } from './checks.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';
import { bool } from '../../autograd/args.js';
import { autoSignature, parseArgs } from '../args/parse.js';
import { finiteOrNull, generator, probability, tensorOrNull } from '../args/checks.js';

const SDPA = autoSignature(
  'nn.F.scaledDotProductAttention',
  'nn.F.scaledDotProductAttention',
  ['attnMask', 'dropoutP', 'isCausal', 'scale'],
  { attnMask: tensorOrNull, dropoutP: probability, isCausal: bool, scale: finiteOrNull, generator },
  0,
  ['query', 'key', 'value'],
);

/** Options of {@link scaledDotProductAttention}. */
export interface SdpaOptions {
  /** Bool mask (true = may attend) or additive float mask, broadcastable to [..., L, S]. */
  attnMask?: Tensor | null;
  /** Dropout probability applied to the attention weights (default 0; applied whenever > 0, as PyTorch). */
  dropoutP?: number;
  /** Mask out future positions: query i attends to keys j <= i (default false; not together with attnMask). */
  isCausal?: boolean;
  /** Multiplier of q·kᵀ (default 1/√E). */
  scale?: number | null;
  /** Generator for the dropout mask. */
  generator?: Generator;
}

/** A [L, S] bool tensor, true where key j <= query i. @internal */
function causalMask(l: number, s: number): Tensor {
  const data = new Uint8Array(l * s);
  for (let i = 0; i < l; i++) for (let j = 0; j <= i && j < s; j++) data[i * s + j] = 1;
  return Tensor._fromData(data, [l, s], 'bool');
}

/** Adds a mask to attention scores: bool (true = keep) by -∞ fill, float by addition. */
function applyMask(op: string, scores: Tensor, mask: Tensor): Tensor {
  if (mask.dtype === 'bool') return maskedFill(scores, logicalNot(mask), -Infinity);
  if (mask.dtype === 'int32') throw new DTypeError(`${op}: attnMask must be bool or float, got int32`);
  return add(scores, mask);
}

/**
 * Scaled dot-product attention with PyTorch semantics: `softmax(q·kᵀ·scale + mask)·v` over
 * q [..., L, E], k [..., S, E], v [..., S, Ev] (leading dims broadcast). A bool `attnMask` marks the
 * positions that MAY attend; a float one is added to the scores. Rows with every key masked give NaN,
 * as PyTorch's reference implementation.
 * @example
 * ```ts
 * scaledDotProductAttention(randn([2, 4, 5, 8]), randn([2, 4, 6, 8]), randn([2, 4, 6, 8]), { isCausal: false }).shape; // [2, 4, 5, 8]
 * ```
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options?: SdpaOptions): Tensor;
/** PyTorch's positional form `F.scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, is_causal, scale)`. */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  attnMask?: Tensor | null,
  dropoutP?: number,
  isCausal?: boolean,
  scale?: number | null,
): Tensor;
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, ...args: unknown[]): Tensor {
  const op = 'scaledDotProductAttention';
  const options = parseArgs(SDPA, args) as SdpaOptions;
  for (const [name, t] of [
    ['query', query],
    ['key', key],
    ['value', value],
  ] as const) {
    checkFloat(op, t, name);
    if (t.ndim < 2) throw new ShapeError(`${op}: ${name} must have at least 2 dims [..., seq, features], got ${fmtShape(t.shape)}`);
  }
  const e = query.shape[query.ndim - 1]!;
  const l = query.shape[query.ndim - 2]!;
  const s = key.shape[key.ndim - 2]!;
  if (key.shape[key.ndim - 1] !== e) {
    throw new ShapeError(
      `${op}: query ${fmtShape(query.shape)} and key ${fmtShape(key.shape)} must have the same last dim (embedding size)`,
    );
  }
  if (value.shape[value.ndim - 2] !== s) {
    throw new ShapeError(
      `${op}: key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same sequence length (dim -2)`,
    );
  }
  const p = options.dropoutP ?? 0;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`${op}: dropoutP must be between 0 and 1, got ${p}`);
  const scale = options.scale ?? 1 / Math.sqrt(e);
  let scores = mul(matmul(query, transpose(key, -1, -2)), scale);
  if (options.isCausal) {
    if (options.attnMask != null) throw new ValueError(`${op}: pass either attnMask or isCausal, not both`);
    scores = applyMask(op, scores, causalMask(l, s));
  } else if (options.attnMask != null) {
    scores = applyMask(op, scores, options.attnMask);
  }
  let attn = softmax(scores, -1);
  if (p > 0) attn = dropout(attn, { p, training: true, generator: options.generator });
  return matmul(attn, value);
}

/**
 * Which implementation multi-head attention uses: the batched path (default) or the earlier one
 * (kept for comparison).
 * @example
 * ```ts
 * attentionPaths.batchedHeads = false; // the earlier path
 * ```
 * @internal
 */
export const attentionPaths = { batchedHeads: true };

/** The parameters of a multi-head attention block (see `nn.MultiheadAttention`). @internal */
interface MhaParams {
  numHeads: number;
  /** Packed [3E, E] projection, or null when the separate q/k/v weights are used. */
  inProjWeight: Tensor | null;
  qProjWeight: Tensor | null;
  kProjWeight: Tensor | null;
  vProjWeight: Tensor | null;
  inProjBias: Tensor | null;
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
  dropout: number;
  training: boolean;
  batchFirst: boolean;
  kdim: number;
  vdim: number;
}

/** Options of a multi-head attention forward. */
export interface MhaForwardOptions {
  /** [N, S] (or [S] unbatched): bool true = IGNORE that key (PyTorch's convention here), or float added. */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N·numHeads, L, S]: bool true = NOT allowed to attend, or float added to the scores. */
  attnMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** Average the returned weights over the heads (default true): [N, L, S], else [N, numHeads, L, S]. */
  averageAttnWeights?: boolean;
  /** Generator for the dropout mask. */
  generator?: Generator;
}

/** The output of a multi-head attention forward. */
export interface MhaOutput {
  /** [L, N, E] ([N, L, E] with batchFirst, [L, E] unbatched). */
  output: Tensor;
  /** The attention weights (after dropout, as PyTorch) or null when `needWeights` is false. */
  weights: Tensor | null;
}

/** A bool mask with true = blocked as an additive float mask (-∞ where blocked). */
function blockedToFloat(op: string, name: string, mask: Tensor, like: Tensor): Tensor {
  if (mask.dtype === 'bool')
    return maskedFill(
      Tensor._fromData(like.dtype === 'float64' ? new Float64Array(mask.numel()) : new Float32Array(mask.numel()), mask.shape, like.dtype),
      mask,
      -Infinity,
    );
  if (mask.dtype === 'int32') throw new DTypeError(`${op}: ${name} must be bool or float, got int32`);
  return mask;
}

/** Multi-head attention (PyTorch's `multi_head_attention_forward`). @internal */
export function multiHeadAttentionForward(query: Tensor, key: Tensor, value: Tensor, prm: MhaParams, o: MhaForwardOptions = {}): MhaOutput {
  const op = 'MultiheadAttention';
  const e = prm.outProjWeight.shape[0]!;
  const h = prm.numHeads;
  const hd = e / h;
  for (const [name, t] of [
    ['query', query],
    ['key', key],
    ['value', value],
  ] as const)
    checkFloat(op, t, name);
  const batched = query.ndim === 3;
  if (!batched && query.ndim !== 2)
    throw new ShapeError(
      `${op}: query must be 3-d ([L, N, E], or [N, L, E] with batchFirst) or 2-d unbatched [L, E], got ${fmtShape(query.shape)}`,
    );
  if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
    throw new ShapeError(
      `${op}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must have the same number of dims`,
    );
  }
  // Work in [L, N, E].
  let q = batched ? (prm.batchFirst ? transpose(query, 0, 1) : query) : unsqueeze(query, 1);
  let k = batched ? (prm.batchFirst ? transpose(key, 0, 1) : key) : unsqueeze(key, 1);
  let v = batched ? (prm.batchFirst ? transpose(value, 0, 1) : value) : unsqueeze(value, 1);
  const [l, n] = q.shape as [number, number];
  const s = k.shape[0]!;
  const fits = (t: Tensor, f: number): boolean => t.shape[1] === n && t.shape[2] === f;
  if (q.shape[2] !== e || !fits(k, prm.kdim) || !fits(v, prm.vdim) || v.shape[0] !== s) {
    throw new ShapeError(
      `${op}: expected query [L, N, ${e}], key [S, N, ${prm.kdim}] and value [S, N, ${prm.vdim}]${prm.batchFirst ? ' (batch first)' : ''}, ` +
        `got ${fmtShape(query.shape)}, ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`,
    );
  }
  const bias = (i: number): Tensor | null => (prm.inProjBias ? narrow(prm.inProjBias, 0, i * e, e) : null);
  const weight = (i: number, separate: Tensor | null): Tensor => (prm.inProjWeight ? narrow(prm.inProjWeight, 0, i * e, e) : separate!);
  const fast = attentionPaths.batchedHeads;
  let qh: Tensor;
  let kh: Tensor;
  let vh: Tensor;
  if (fast) {
    // Batch-first [N, T, E] throughout (a batch-first input needs no copy): [N, T, E] → [N, H, T, hd].
    const nFirst = (t: Tensor): Tensor => (batched ? (prm.batchFirst ? t : transpose(t, 0, 1)) : unsqueeze(t, 0));
    const heads = (t: Tensor, len: number): Tensor => permute(reshape(t, [n, len, h, hd]), [0, 2, 1, 3]);
    if (query === key && key === value && prm.inProjWeight) {
      // Self-attention: the three projections as one GEMM, split by views.
      const qkv = permute(reshape(linear(nFirst(query), prm.inProjWeight, prm.inProjBias), [n, l, 3, h, hd]), [2, 0, 3, 1, 4]);
      qh = select(qkv, 0, 0);
      kh = select(qkv, 0, 1);
      vh = select(qkv, 0, 2);
    } else {
      qh = heads(linear(nFirst(query), weight(0, prm.qProjWeight), bias(0)), l);
      kh = heads(linear(nFirst(key), weight(1, prm.kProjWeight), bias(1)), s);
      vh = heads(linear(nFirst(value), weight(2, prm.vProjWeight), bias(2)), s);
    }
  } else {
    q = linear(q, weight(0, prm.qProjWeight), bias(0));
    k = linear(k, weight(1, prm.kProjWeight), bias(1));
    v = linear(v, weight(2, prm.vProjWeight), bias(2));
    // [T, N, E] → [N, H, T, hd].
    const heads = (t: Tensor, len: number): Tensor => permute(reshape(t, [len, n, h, hd]), [1, 2, 0, 3]);
    qh = heads(q, l);
    kh = heads(k, s);
    vh = heads(v, s);
  }
  let scores = matmul(mul(qh, 1 / Math.sqrt(hd)), transpose(kh, -1, -2)); // [N, H, L, S]
  if (o.attnMask != null) {
    const m = o.attnMask;
    const ok =
      (m.ndim === 2 && m.shape[0] === l && m.shape[1] === s) ||
      (m.ndim === 3 && m.shape[0] === n * h && m.shape[1] === l && m.shape[2] === s);
    if (!ok)
      throw new ShapeError(
        `${op}: attnMask must have shape [${l}, ${s}] or [${n * h}, ${l}, ${s}] (N·numHeads, L, S), got ${fmtShape(m.shape)}`,
      );
    const f = blockedToFloat(op, 'attnMask', m, scores);
    scores = add(scores, m.ndim === 2 ? f : reshape(f, [n, h, l, s]));
  }
  if (o.keyPaddingMask != null) {
    const m = o.keyPaddingMask;
    const want = batched ? [n, s] : [s];
    if (m.ndim !== want.length || m.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`${op}: keyPaddingMask must have shape ${fmtShape(want)} (batch, source length), got ${fmtShape(m.shape)}`);
    }
    scores = add(scores, reshape(blockedToFloat(op, 'keyPaddingMask', m, scores), [n, 1, 1, s]));
  }
  let attn = softmax(scores, -1);
  if (prm.training && prm.dropout > 0) attn = dropout(attn, { p: prm.dropout, training: true, generator: o.generator });
  let out: Tensor;
  if (fast) {
    const ctx = reshape(permute(matmul(attn, vh), [0, 2, 1, 3]), [n, l, e]); // [N, L, E]
    out = linear(ctx, prm.outProjWeight, prm.outProjBias);
    if (!batched) out = squeeze(out, 0);
    else if (!prm.batchFirst) out = transpose(out, 0, 1);
  } else {
    const ctx = reshape(permute(matmul(attn, vh), [2, 0, 1, 3]), [l, n, e]); // [L, N, E]
    out = linear(ctx, prm.outProjWeight, prm.outProjBias);
    if (!batched) out = squeeze(out, 1);
    else if (prm.batchFirst) out = transpose(out, 0, 1);
  }
  let weights: Tensor | null = null;
  if (o.needWeights ?? true) {
    weights = (o.averageAttnWeights ?? true) ? mean(attn, 1) : attn;
    if (!batched) weights = squeeze(weights, 0);
  }
  return { output: out, weights };
}
