/**
 * Batching rules: how each primitive runs on inputs that carry an extra leading batch dim, in one
 * call instead of one call per batch element. A batched value has shape `[k, ...exampleShape]`;
 * an unbatched one is the same for every batch element. The table is a mapped type over the
 * primitive union, so a new primitive without an entry fails `tsc`: its entry is a rule, or
 * `null` to run it once per batch element (the interpreter's fallback, always correct).
 * @module
 */
import type { Prim, PrimAttrs } from '../primitives.js';
import { run } from '../tape.js';
import type { Tensor } from '../tensor.js';
import type { ReduceSpec } from '../prims/reduce.js';
import type { SliceSpec } from '../prims/movement.js';
import type { WindowSpec } from '../../kernels/conv.js';

/**
 * Runs one primitive on batched inputs: `batched[i]` says whether input i has the leading batch
 * dim of size `k`; `recorded` is the unbatched call's output. Returns the batched output (batch dim
 * first), or null when this call is a case the rule does not cover (the interpreter then runs the
 * primitive per batch element).
 * @internal
 */
export type BatchRule<A> = (inputs: readonly Tensor[], batched: readonly boolean[], attrs: A, k: number, recorded: Tensor) => Tensor | null;

/** One batching rule per primitive, or null for "run once per batch element". @internal */
export type BatchRuleTable = { [P in Prim]: BatchRule<PrimAttrs[P]> | null };

const reshapeTo = (t: Tensor, shape: readonly number[]): Tensor => run('reshape', [t], { shape: shape.slice() });
const expandTo = (t: Tensor, shape: readonly number[]): Tensor => run('expand', [t], { shape: shape.slice() });
const permuteTo = (t: Tensor, dims: readonly number[]): Tensor => run('permute', [t], { dims: dims.slice() });

/** The rank of one batch element of `t`. */
function exampleRank(t: Tensor, batched: boolean): number {
  return batched ? t.ndim - 1 : t.ndim;
}

/** `t` with the batch dim: itself when batched, else broadcast (a stride-0 view) to `[k, ...shape]`. */
function withBatch(t: Tensor, batched: boolean, k: number): Tensor {
  return batched ? t : expandTo(t, [k, ...t.shape]);
}

/** A batched `[k, ...s]` with size-1 dims after the batch dim up to example rank `rank`, so trailing-aligned broadcasting keeps k first. */
function padRank(t: Tensor, rank: number): Tensor {
  const missing = rank - (t.ndim - 1);
  if (missing <= 0) return t;
  return reshapeTo(t, [t.shape[0]!, ...new Array<number>(missing).fill(1), ...t.shape.slice(1)]);
}

/**
 * Elementwise primitives with broadcasting: align every batched input's example rank with the
 * widest, then run once. A 0-d operand does not take part in type promotion (float32 tensor +
 * float64 0-d → float32) but gains a dim with the batch, so the result is cast back to the
 * recorded dtype: computed in the wider dtype and rounded once, as the loop kernels do (equal to
 * rounding where a float32 fast path rounds the operand first).
 */
function broadcasting<P extends Prim>(prim: P): BatchRule<PrimAttrs[P]> {
  return (inputs, batched, attrs, _k, recorded) => {
    let rank = 0;
    inputs.forEach((t, i) => (rank = Math.max(rank, exampleRank(t, batched[i]!))));
    const out = run(
      prim,
      inputs.map((t, i) => (batched[i] ? padRank(t, rank) : t)),
      attrs,
    );
    return out.dtype === recorded.dtype ? out : run('cast', [out], { dtype: recorded.dtype });
  };
}

/** Reductions over `dims`: the same reduction one dim further right. */
function reduction<P extends 'sum' | 'prod' | 'amax' | 'amin' | 'argmax' | 'argmin' | 'any' | 'all'>(prim: P): BatchRule<ReduceSpec> {
  return ([x], _b, { dims, keepdim }) => run(prim, [x!], { dims: dims.map((d) => d + 1), keepdim });
}

/** Ops along one dim of every input (unbatched inputs are broadcast to the batch); not for 0-d examples. */
function alongDim<P extends Prim>(prim: P, shift: (attrs: PrimAttrs[P]) => PrimAttrs[P]): BatchRule<PrimAttrs[P]> {
  return (inputs, batched, attrs, k) => {
    if (inputs.some((t, i) => exampleRank(t, batched[i]!) === 0)) return null;
    return run(
      prim,
      inputs.map((t, i) => withBatch(t, batched[i]!, k)),
      shift(attrs),
    );
  };
}

const nextDim = <A extends { dim: number }>(attrs: A): A => ({ ...attrs, dim: attrs.dim + 1 });

/** Index ops whose index is a list along `dim` (indexSelect, indexAdd): a batched index is not covered. */
function listIndexed<P extends 'indexSelect' | 'indexAdd'>(prim: P): BatchRule<{ dim: number }> {
  return (inputs, batched, { dim }, k) => {
    if (batched[1]) return null;
    return run(
      prim,
      inputs.map((t, i) => (i === 1 ? t : withBatch(t, batched[i]!, k))),
      { dim: dim + 1 },
    );
  };
}

/**
 * matmul over `[...batch, m, n]` operands with equal batch dims. One operand batched against a
 * plain matrix is one large product (the batch folded into the rows, or into the columns through a
 * transposed copy); otherwise the plain operand is broadcast to the batch and multiplied batch-wise.
 */
const matmulRule: BatchRule<null> = ([a, b], batched, _attrs, k) => {
  if (batched[0] && !batched[1] && b!.ndim === 2) {
    const lead = a!.shape.slice(0, -1);
    const rows = reshapeTo(a!, [lead.reduce((p, s) => p * s, 1), a!.shape[a!.ndim - 1]!]);
    return reshapeTo(run('matmul', [rows, b!], null), [...lead, b!.shape[1]!]);
  }
  if (batched[1] && !batched[0] && a!.ndim === 2) {
    // a · b for each batch element: move b's row dim first, fold the rest into columns.
    const nd = b!.ndim;
    const front = permuteTo(b!, [nd - 2, ...Array.from({ length: nd - 2 }, (_, d) => d), nd - 1]);
    const cols = reshapeTo(front, [b!.shape[nd - 2]!, b!.shape.reduce((p, s, d) => (d === nd - 2 ? p : p * s), 1)]);
    const out = reshapeTo(run('matmul', [a!, cols], null), [a!.shape[0]!, ...b!.shape.slice(0, nd - 2), b!.shape[nd - 1]!]);
    return permuteTo(out, [...Array.from({ length: nd - 2 }, (_, d) => d + 1), 0, nd - 1]);
  }
  return run('matmul', [withBatch(a!, batched[0]!, k), withBatch(b!, batched[1]!, k)], null);
};

/** unfold/fold take `[N, ...]`: the batch is folded into N. */
function imageBatch<P extends 'unfold' | 'fold'>(prim: P): BatchRule<PrimAttrs[P]> {
  return ([x], _b, attrs) => {
    const [k, n] = x!.shape as [number, number];
    const out = run(prim, [reshapeTo(x!, [k * n, ...x!.shape.slice(2)])], attrs as PrimAttrs[P] & WindowSpec);
    return reshapeTo(out, [k, n, ...out.shape.slice(1)]);
  };
}

/**
 * Layer norm normalises runs of `size` trailing elements: a batched input is only more rows. A
 * batched γ or β is not covered (a different affine per batch element). The attributes are copied:
 * the forward keeps its row statistics keyed on the attribute object of its call.
 */
const layerNormRule: BatchRule<PrimAttrs['layerNorm']> = (inputs, batched, attrs) =>
  batched[1] || batched[2] ? null : run('layerNorm', inputs, { ...attrs });

/** The batching rule of every primitive. @internal */
// prettier-ignore
export const BATCH_RULES: BatchRuleTable = {
  neg: broadcasting('neg'), abs: broadcasting('abs'), sign: broadcasting('sign'), relu: broadcasting('relu'),
  exp: broadcasting('exp'), log: broadcasting('log'), log1p: broadcasting('log1p'), expm1: broadcasting('expm1'),
  sqrt: broadcasting('sqrt'), rsqrt: broadcasting('rsqrt'), reciprocal: broadcasting('reciprocal'),
  sin: broadcasting('sin'), cos: broadcasting('cos'), tanh: broadcasting('tanh'), sigmoid: broadcasting('sigmoid'), erf: broadcasting('erf'),
  add: broadcasting('add'), sub: broadcasting('sub'), mul: broadcasting('mul'), div: broadcasting('div'), pow: broadcasting('pow'),
  maximum: broadcasting('maximum'), minimum: broadcasting('minimum'),
  eq: broadcasting('eq'), ne: broadcasting('ne'), lt: broadcasting('lt'), le: broadcasting('le'), gt: broadcasting('gt'), ge: broadcasting('ge'),
  isnan: broadcasting('isnan'), isfinite: broadcasting('isfinite'), logicalNot: broadcasting('logicalNot'),
  where: broadcasting('where'),
  cast: broadcasting('cast'),
  floor: broadcasting('floor'), ceil: broadcasting('ceil'), trunc: broadcasting('trunc'), round: broadcasting('round'),

  sum: reduction('sum'), prod: reduction('prod'), amax: reduction('amax'), amin: reduction('amin'),
  argmax: reduction('argmax'), argmin: reduction('argmin'), any: reduction('any'), all: reduction('all'),
  softmax: alongDim('softmax', nextDim), logSoftmax: alongDim('logSoftmax', nextDim), cumsum: alongDim('cumsum', nextDim),
  softmaxBackward: alongDim('softmaxBackward', nextDim),
  layerNorm: layerNormRule,

  reshape: ([x], _b, { shape }, k) => reshapeTo(x!, [k, ...shape]),
  permute: ([x], _b, { dims }) => permuteTo(x!, [0, ...dims.map((d) => d + 1)]),
  expand: ([x], _b, { shape }, k) => expandTo(padRank(x!, shape.length), [k, ...shape]),
  slice: ([x], _b, s: SliceSpec) => run('slice', [x!], nextDim(s)),
  sliceScatter: ([g], _b, s, k) => run('sliceScatter', [g!], { ...nextDim(s), shape: [k, ...s.shape] }),
  copy: ([x]) => run('copy', [x!], null),
  cat: alongDim('cat', nextDim),

  indexSelect: listIndexed('indexSelect'),
  indexAdd: listIndexed('indexAdd'),
  gather: alongDim('gather', nextDim),
  scatterAdd: alongDim('scatterAdd', nextDim),
  scatter: alongDim('scatter', nextDim),

  matmul: matmulRule,
  unfold: imageBatch('unfold'),
  fold: imageBatch('fold'),

  // Fused kernels over fixed layouts ([N, C] rows, [T, N, 4H] sequences): run per batch element.
  crossEntropyIndices: null,
  crossEntropyIndicesBackward: null,
  lstmSequence: null,
  gruSequence: null,
};
