/**
 * Edge values of the reductions and lane ops, and their closed-form gradients: ties in
 * amax/amin/max/min/norm(±∞) (PyTorch splits the gradient evenly among the tied extremes of a
 * full reduction and of amax/amin, and gives all of it to the first index for max/min along a
 * dim), ±∞ and NaN lanes in logsumexp (value ±∞, gradient g·exp(x − out), NaN on an all-∞ lane
 * as in torch 1.13), −∞ entries of softmax (masking), zero lanes of norm and constant lanes of
 * std (gradient 0, PyTorch's subgradient), zeros in prod (the product of the others).
 * @module
 */
import * as fc from 'fast-check';
import { edgeInput, shapeArb, type Domain, type EdgeKind } from '../arb.js';
import { numel, unravel } from '../ref.js';
import type { InputSpec, Ref, Sample } from '../types.js';
import type { EdgeSpec } from './edges.js';
import { dimArb, logsumexpOf, normDimRef, oneDimArb, type ReduceArgs } from './reduce.js';

const SMALL: Domain = { min: -2, max: 2 };

/** The reduced dims of a tensor of `nd` dims. */
function dimList(dim: number | number[] | undefined, nd: number): number[] {
  if (nd === 0) return [];
  if (dim === undefined) return Array.from({ length: nd }, (_, i) => i);
  return (typeof dim === 'number' ? [dim] : dim).map((d) => normDimRef(d, nd));
}

/**
 * The vjp of a reduction: each output position's group of input elements (row-major) and its
 * output gradient go to `f`, which returns the group's gradients.
 */
function reduceVjp(x: Ref, dim: number | number[] | undefined, g: Ref, f: (group: number[], g: number) => number[]): Ref {
  const dims = dimList(dim, x.shape.length);
  const keptShape = x.shape.filter((_, d) => !dims.includes(d));
  const members: number[][] = Array.from({ length: numel(keptShape) }, () => []);
  for (let i = 0; i < numel(x.shape); i++) {
    let flat = 0;
    unravel(i, x.shape).forEach((v, d) => {
      if (!dims.includes(d)) flat = flat * x.shape[d]! + v;
    });
    members[flat]!.push(i);
  }
  const out = new Float64Array(x.data.length);
  members.forEach((idx, k) =>
    f(
      idx.map((i) => x.data[i]!),
      g.data[k]!,
    ).forEach((v, j) => (out[idx[j]!] = v)),
  );
  return { shape: x.shape.slice(), data: out };
}

/** The vjp of a lane op along `dim`: each lane and its output gradients go to `f`. */
function laneVjp(x: Ref, dim: number, g: Ref, f: (lane: number[], g: number[]) => number[]): Ref {
  const nd = x.shape.length;
  if (nd === 0) return { shape: [], data: Float64Array.from(f([x.data[0]!], [g.data[0]!])) };
  const d = normDimRef(dim, nd);
  const stride = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const n = x.shape[d]!;
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    if (Math.floor(i / stride) % n !== 0) continue;
    const at = Array.from({ length: n }, (_, k) => i + k * stride);
    f(
      at.map((p) => x.data[p]!),
      at.map((p) => g.data[p]!),
    ).forEach((v, k) => (out[at[k]!] = v));
  }
  return { shape: x.shape.slice(), data: out };
}

/** Shares g evenly among the elements equal to the extreme (NaN lanes: no element equals NaN, so 0/0). */
function splitAmong(extreme: (group: number[]) => number) {
  return (group: number[], g: number): number[] => {
    const e = extreme(group);
    const count = group.filter((v) => v === e).length;
    return group.map((v) => (v === e ? g : 0) / count);
  };
}

/** All of g to the first element equal to the extreme. */
function toFirst(extreme: (group: number[]) => number) {
  return (group: number[], g: number): number[] => {
    const first = group.indexOf(extreme(group));
    return group.map((_, i) => (i === first ? g : 0));
  };
}

const max = (group: number[]): number => Math.max(...group);
const min = (group: number[]): number => Math.min(...group);

/** Reduction samples of one edge-valued input (same args as the entry's). */
function reduceEdgeSample(
  kinds: EdgeKind[],
  domain: Domain,
  options: { minGroup?: number; allowAll?: boolean } = {},
): fc.Arbitrary<Sample<ReduceArgs>> {
  return shapeArb({ allowEmpty: false })
    .chain((shape) =>
      fc.record({
        inputs: fc.tuple(edgeInput(shape, domain, kinds)),
        args: fc.record({ dim: dimArb(shape.length, options.allowAll ?? true), keepdim: fc.boolean(), method: fc.boolean() }),
      }),
    )
    .filter((s) => dimList(s.args.dim, s.inputs[0].shape.length).reduce((a, d) => a * s.inputs[0].shape[d]!, 1) >= (options.minGroup ?? 1));
}

type ExtremeArgs = { dim: number | undefined; keepdim: boolean };

function extremeDimEdges(optionalDim: boolean, extreme: (group: number[]) => number): EdgeSpec {
  return {
    edgeSample: shapeArb({ allowEmpty: false }).chain((shape) =>
      fc.record({
        inputs: fc.tuple(edgeInput(shape, SMALL, ['tie', 'integer', 'inf'])),
        args: fc.record({
          dim: optionalDim ? fc.option(oneDimArb(shape.length), { nil: undefined }) : oneDimArb(shape.length),
          keepdim: fc.boolean(),
        }),
      }),
    ),
    gradReference: ([x], { dim }: ExtremeArgs, [g]) => [reduceVjp(x!, dim, g!, dim === undefined ? splitAmong(extreme) : toFirst(extreme))],
  };
}

function normGrad(p: number) {
  return (group: number[], g: number): number[] => {
    const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);
    if (p === Infinity || p === -Infinity) {
      const a = group.map(Math.abs);
      const e = p === Infinity ? Math.max(...a) : Math.min(...a);
      const count = a.filter((v) => v === e).length;
      return group.map((v, i) => (a[i] === e ? (g * sign(v)) / count : 0));
    }
    if (p === 1) return group.map((v) => g * sign(v));
    const out = group.reduce((s, v) => s + Math.abs(v) ** p, 0) ** (1 / p);
    // PyTorch's subgradient: 0 at a zero norm, and at zero elements for p < 1.
    return group.map((v) => (out === 0 || v === 0 ? 0 : g * sign(v) * Math.abs(v) ** (p - 1) * out ** (1 - p)));
  };
}

function moments(group: number[], correction: number): { mean: number; variance: number } {
  const mean = group.reduce((a, b) => a + b, 0) / group.length;
  return { mean, variance: group.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(group.length - correction, 0) };
}

const softmaxOf = (lane: number[]): number[] => {
  const m = Math.max(...lane);
  const e = lane.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

type VarArgs = ReduceArgs & { correction: number };
const withCorrection = (s: Sample<ReduceArgs>): fc.Arbitrary<Sample<VarArgs>> =>
  fc.integer({ min: 0, max: 2 }).map((correction) => ({ ...s, args: { ...s.args, correction } }));

const prodOfOthers = (group: number[], g: number): number[] => group.map((_, i) => g * group.reduce((p, v, j) => (j === i ? p : p * v), 1));

/** Edge samples and closed-form gradients of the reduction entries. @internal */
export const reduceEdges: Record<string, EdgeSpec> = {
  // ±∞ and NaN flow through the values (∞ + −∞ = NaN) but never into the gradients.
  sum: {
    edgeSample: reduceEdgeSample(['inf', 'nan', 'signedZero', 'integer'], SMALL),
    gradReference: ([x], a: ReduceArgs, [g]) => [reduceVjp(x!, a.dim, g!, (group, gi) => group.map(() => gi))],
  },
  mean: {
    edgeSample: reduceEdgeSample(['inf', 'nan', 'signedZero', 'integer'], SMALL),
    gradReference: ([x], a: ReduceArgs, [g]) => [reduceVjp(x!, a.dim, g!, (group, gi) => group.map(() => gi / group.length))],
  },
  amax: {
    edgeSample: reduceEdgeSample(['tie', 'integer', 'inf', 'nan'], SMALL),
    gradReference: ([x], a: ReduceArgs, [g]) => [reduceVjp(x!, a.dim, g!, splitAmong(max))],
  },
  amin: {
    edgeSample: reduceEdgeSample(['tie', 'integer', 'inf', 'nan'], SMALL),
    gradReference: ([x], a: ReduceArgs, [g]) => [reduceVjp(x!, a.dim, g!, splitAmong(min))],
  },
  maxDim: extremeDimEdges(false, max),
  minDim: extremeDimEdges(false, min),
  'Tensor.max': extremeDimEdges(true, max),
  'Tensor.min': extremeDimEdges(true, min),
  prod: {
    edgeSample: reduceEdgeSample(['tie', 'integer', 'zero', 'signedZero'], SMALL),
    gradReference: ([x], a: ReduceArgs, [g]) => [reduceVjp(x!, a.dim, g!, prodOfOthers)],
  },
  logsumexp: {
    edgeSample: reduceEdgeSample(['tie', 'inf', 'nan', 'integer'], SMALL, { allowAll: false }),
    gradReference: ([x], a: ReduceArgs, [g]) => [
      reduceVjp(x!, a.dim, g!, (group, gi) => group.map((v) => gi * Math.exp(v - logsumexpOf(group)))),
    ],
  },
  norm: {
    edgeSample: fc
      .constantFrom(1, 2, 3, 0.5, 1.5, Infinity, -Infinity)
      .chain((p) => reduceEdgeSample(['tie', 'zero', 'signedZero', 'integer'], SMALL).map((s) => ({ ...s, args: { ...s.args, p } }))),
    gradReference: ([x], a: ReduceArgs & { p: number }, [g]) => [reduceVjp(x!, a.dim, g!, normGrad(a.p))],
  },
  std: {
    edgeSample: reduceEdgeSample(['tie', 'integer'], SMALL, { minGroup: 3 }).chain(withCorrection),
    gradReference: ([x], a: VarArgs, [g]) => [
      reduceVjp(x!, a.dim, g!, (group, gi) => {
        const { mean, variance } = moments(group, a.correction);
        const sd = Math.sqrt(variance);
        return group.map((v) => (sd === 0 ? 0 : (gi * (v - mean)) / ((group.length - a.correction) * sd)));
      }),
    ],
  },
  variance: {
    edgeSample: reduceEdgeSample(['tie', 'integer'], SMALL, { minGroup: 3 }).chain(withCorrection),
    gradReference: ([x], a: VarArgs, [g]) => [
      reduceVjp(x!, a.dim, g!, (group, gi) => {
        const { mean } = moments(group, a.correction);
        return group.map((v) => (2 * gi * (v - mean)) / (group.length - a.correction));
      }),
    ],
  },
  softmax: {
    edgeSample: laneEdgeSample(),
    gradReference: ([x], a: { dim: number }, [g]) => [
      laneVjp(x!, a.dim, g!, (lane, gl) => {
        const y = softmaxOf(lane);
        const dot = y.reduce((s, v, i) => s + v * gl[i]!, 0);
        return y.map((v, i) => v * (gl[i]! - dot));
      }),
    ],
  },
  logSoftmax: {
    edgeSample: laneEdgeSample(),
    gradReference: ([x], a: { dim: number }, [g]) => [
      laneVjp(x!, a.dim, g!, (lane, gl) => {
        const y = softmaxOf(lane);
        const total = gl.reduce((s, v) => s + v, 0);
        return y.map((v, i) => gl[i]! - v * total);
      }),
    ],
  },
};

/** Lanes with −∞ (masked positions), +∞, NaN, ties and integers. */
function laneEdgeSample(): fc.Arbitrary<Sample<{ dim: number; method: boolean }>> {
  return shapeArb().chain((shape) =>
    fc.record({
      inputs: fc.tuple<[InputSpec]>(edgeInput(shape, { min: -3, max: 3 }, ['tie', 'inf', 'nan', 'integer'])),
      args: fc.record({ dim: oneDimArb(shape.length), method: fc.boolean() }),
    }),
  );
}
