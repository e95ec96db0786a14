/**
 * OpInfo entries of the reductions (sum, mean, prod, amax/amin, max/min with indices, argmax/argmin,
 * variance/std, logsumexp, norm, any/all) and the ops along one dim (softmax, logSoftmax, cumsum).
 * References are float64 loops over groups of input elements, independent of src/.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import type { DType } from '../../../src/autograd/dtype.js';
import { IndexError, ValueError } from '../../../src/autograd/errors.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { inputOf, REAL, shapeArb } from '../arb.js';
import { numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type InputSpec, type Ref } from '../types.js';

/** How a reduction is called: dims (undefined = all, a number, or a list), keepdim, method or function. @internal */
export interface ReduceArgs {
  dim: number | number[] | undefined;
  keepdim: boolean;
  method: boolean;
}

/** Normalises a dim against `ndim` (0-d tensors accept 0 and -1). @internal */
export function normDimRef(d: number, ndim: number): number {
  return d < 0 ? d + Math.max(ndim, 1) : d;
}

function dimList(dim: number | number[] | undefined, ndim: number): number[] {
  if (ndim === 0) return [];
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  return (typeof dim === 'number' ? [dim] : dim).map((d) => normDimRef(d, ndim));
}

/**
 * Reduces `x` over `dims`: the elements of each output position, in row-major order, go to `f`.
 * @internal
 */
export function reduceRef(
  x: Ref,
  dim: number | number[] | undefined,
  keepdim: boolean,
  f: (group: number[]) => number,
  dtype?: DType,
): Ref {
  const dims = dimList(dim, x.shape.length);
  const outShape: number[] = [];
  x.shape.forEach((s, d) => {
    if (!dims.includes(d)) outShape.push(s);
    else if (keepdim) outShape.push(1);
  });
  const groups: number[][] = Array.from({ length: numel(outShape) }, () => []);
  const keptShape = x.shape.filter((_, d) => !dims.includes(d));
  for (let i = 0; i < numel(x.shape); i++) {
    const idx = unravel(i, x.shape).filter((_, d) => !dims.includes(d));
    let flat = 0;
    idx.forEach((v, k) => (flat = flat * keptShape[k]! + v));
    groups[flat]!.push(x.data[i]!);
  }
  return ref(outShape, groups.map(f), dtype ?? x.dtype);
}

/** Applies `f` to every lane of `x` along `dim` (0-d: the single element). @internal */
export function laneRef(x: Ref, dim: number, f: (lane: number[]) => number[], dtype?: DType): Ref {
  const nd = x.shape.length;
  const out = new Float64Array(numel(x.shape));
  if (nd === 0) out.set(f([x.data[0]!]));
  const d = normDimRef(dim, nd);
  const stride = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const n = x.shape[d] ?? 1;
  for (let i = 0; nd > 0 && i < out.length; i++) {
    if (Math.floor(i / stride) % n !== 0) continue; // i is the start of a lane
    const lane = Array.from({ length: n }, (_, k) => x.data[i + k * stride]!);
    f(lane).forEach((v, k) => (out[i + k * stride] = v));
  }
  return ref(x.shape, out, dtype ?? x.dtype);
}

/** dims for a tensor of `nd` dims: all, one (maybe negative), or a list of distinct dims. @internal */
export function dimArb(nd: number, allowAll = true): fc.Arbitrary<number | number[] | undefined> {
  if (nd === 0) return fc.constantFrom<number | undefined>(...(allowAll ? [undefined, 0, -1] : [0, -1]));
  const one = fc.integer({ min: -nd, max: nd - 1 });
  const list = fc
    .subarray(
      Array.from({ length: nd }, (_, i) => i),
      { minLength: 1 },
    )
    .chain((ds) => fc.tuple(...ds.map((d) => fc.constantFrom(d, d - nd))));
  const options: fc.Arbitrary<number | number[] | undefined>[] = [one, list];
  if (allowAll) options.push(fc.constant(undefined));
  return fc.oneof(...options);
}

/** One dim of a tensor of `nd` dims, maybe negative (0-d: 0 or -1). @internal */
export function oneDimArb(nd: number): fc.Arbitrary<number> {
  return nd === 0 ? fc.constantFrom(0, -1) : fc.integer({ min: -nd, max: nd - 1 });
}

/** Float values with all elements at least ~0.006 apart (no ties for max/argmax/std). @internal */
export function distinctInput(shape: number[], options: { positive?: boolean; nonzero?: boolean } = {}): fc.Arbitrary<InputSpec> {
  const n = numel(shape);
  const base = options.positive ? 1 : options.nonzero ? 1 : 0;
  return fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: base, max: 500 }), { minLength: n, maxLength: n }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    )
    .map(([ints, signs]) => ({
      shape,
      data: ints.map((v, i) => Math.fround(((options.positive || signs[i] ? 1 : -1) * v) / 170)),
      dtype: 'float' as const,
    }));
}

type Input = (shape: number[]) => fc.Arbitrary<InputSpec>;
const floats: Input = (shape) => inputOf(shape, 'float', REAL);
const anyDType: Input = (shape) =>
  fc.oneof(
    { arbitrary: floats(shape), weight: 4 },
    { arbitrary: inputOf(shape, 'int32'), weight: 1 },
    { arbitrary: inputOf(shape, 'bool'), weight: 1 },
  );

/** A reduction sample: one input, dims, keepdim, method/function. @internal */
function reduceSample(input: Input, options: { allowAll?: boolean; allowEmpty?: boolean; minGroup?: number } = {}) {
  return shapeArb({ allowEmpty: options.allowEmpty ?? true })
    .chain((shape) =>
      fc.record({
        inputs: fc.tuple(input(shape)),
        args: fc.record({ dim: dimArb(shape.length, options.allowAll ?? true), keepdim: fc.boolean(), method: fc.boolean() }),
      }),
    )
    .filter((s) => {
      const shape = s.inputs[0].shape;
      const count = dimList(s.args.dim, shape.length).reduce((a, d) => a * shape[d]!, 1);
      return count >= (options.minGroup ?? 0);
    });
}

const dimError = (name: string, call: () => unknown): AnyOpInfo['errorInputs'] => [
  { name: 'a dim out of range', call, error: IndexError, message: new RegExp(`^${name}: dim 2 out of range for a 2-d tensor`) },
];

type Fn = (x: Tensor, dim?: number | number[], options?: { keepdim?: boolean }) => Tensor;
type MethodFn = (dim?: number | number[], options?: { keepdim?: boolean }) => Tensor;
const intSum = (d: DType | undefined): DType => (d === 'bool' ? 'int32' : (d ?? 'float64'));
const sumOf = (g: number[]): number => g.reduce((a, b) => a + b, 0);
const prodOf = (g: number[]): number => g.reduce((a, b) => a * b, 1);

function plain(
  name: 'sum' | 'mean' | 'prod' | 'amax' | 'amin' | 'any' | 'all',
  f: (g: number[]) => number,
  input: Input,
  dtype: (d: DType | undefined) => DType,
  options: { diff: boolean; allowEmpty?: boolean; method?: string },
): AnyOpInfo {
  const fn = T[name] as Fn;
  const method = options.method ?? name;
  return opInfo<ReduceArgs>({
    name,
    op: ([x], a) =>
      a.method
        ? (x as unknown as Record<string, MethodFn>)[method]!.call(x, a.dim, { keepdim: a.keepdim })
        : fn(x!, a.dim, { keepdim: a.keepdim }),
    sample: reduceSample(input, { allowEmpty: options.allowEmpty ?? true, minGroup: options.allowEmpty === false ? 1 : 0 }),
    reference: ([x], a) => reduceRef(x!, a.dim, a.keepdim, f, dtype(x!.dtype)),
    differentiable: options.diff,
    twiceDifferentiable: options.diff,
    errorInputs: dimError(name, () => fn(T.zeros([2, 3]), 2)),
  });
}

/** A float input where about a quarter of the elements are exactly 0 (prod's gradient must stay right). */
const withSomeZeros: Input = (shape) =>
  fc
    .tuple(
      distinctInput(shape, { nonzero: true }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: numel(shape), maxLength: numel(shape) }),
    )
    .map(([s, z]) => ({
      ...s,
      data: s.data.map((v, i) => (z[i] === 0 ? 0 : v)),
    }));

/** max/min with a dim: values and int32 indices (first occurrence). */
function extremeDim(
  name: 'maxDim' | 'minDim' | 'Tensor.max' | 'Tensor.min' | 'max' | 'min',
  better: (a: number, b: number) => boolean,
): AnyOpInfo {
  const isMax = name === 'maxDim' || name === 'Tensor.max' || name === 'max';
  const isMethod = name.startsWith('Tensor.');
  const isFunction = name === 'max' || name === 'min';
  type A = { dim: number | undefined; keepdim: boolean };
  return opInfo<A>({
    name,
    op: ([x], { dim, keepdim }) => {
      if (dim === undefined) return isFunction ? (isMax ? T.max(x!) : T.min(x!)) : isMax ? x!.max() : x!.min();
      if (isFunction) {
        const f = isMax ? T.max(x!, dim, { keepdim }) : T.min(x!, dim, { keepdim });
        return [f.values, f.indices];
      }
      const r = isMethod
        ? isMax
          ? x!.max(dim, { keepdim })
          : x!.min(dim, { keepdim })
        : (isMax ? T.maxDim : T.minDim)(x!, dim, { keepdim });
      return [r.values, r.indices];
    },
    sample: shapeArb({ allowEmpty: false }).chain((shape) =>
      fc.record({
        inputs: fc.tuple(distinctInput(shape)),
        args: fc.record({
          dim: isMethod || isFunction ? fc.option(oneDimArb(shape.length), { nil: undefined }) : oneDimArb(shape.length),
          keepdim: fc.boolean(),
        }),
      }),
    ),
    reference: ([x], { dim, keepdim }) => {
      const pick = (g: number[]): number => g.reduce((best, v, i) => (better(v, g[best]!) ? i : best), 0);
      if (dim === undefined) return reduceRef(x!, undefined, false, (g) => g[pick(g)]!);
      return [reduceRef(x!, dim, keepdim, (g) => g[pick(g)]!), reduceRef(x!, dim, keepdim, pick, 'int32')];
    },
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'an empty dim',
        call: () => (isMax ? T.maxDim : T.minDim)(T.zeros([2, 0]), 1),
        error: ValueError,
        message: new RegExp(`^${isMax ? 'argmax' : 'argmin'}: cannot reduce over dim 1 of size 0`),
      },
    ],
  });
}

function argExtreme(name: 'argmax' | 'argmin'): AnyOpInfo {
  const better = name === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  type A = { dim: number | undefined; keepdim: boolean; method: boolean };
  return opInfo<A>({
    name,
    op: ([x], { dim, keepdim, method }) => (method ? x![name](dim, { keepdim }) : T[name](x!, dim, { keepdim })),
    // int32 inputs have ties: the first occurrence wins, as in PyTorch.
    sample: shapeArb({ allowEmpty: false }).chain((shape) =>
      fc.record({
        inputs: fc.tuple(fc.oneof(distinctInput(shape), inputOf(shape, 'int32', { min: -2, max: 2 }))),
        args: fc.record({ dim: fc.option(oneDimArb(shape.length), { nil: undefined }), keepdim: fc.boolean(), method: fc.boolean() }),
      }),
    ),
    reference: ([x], { dim, keepdim }) => {
      const pick = (g: number[]): number => g.reduce((best, v, i) => (better(v, g[best]!) ? i : best), 0);
      return dim === undefined ? reduceRef(x!, undefined, false, pick, 'int32') : reduceRef(x!, dim, keepdim, pick, 'int32');
    },
    differentiable: false,
    twiceDifferentiable: false,
    errorInputs: [
      {
        name: 'an empty input',
        call: () => T[name](T.zeros([0])),
        error: ValueError,
        message: new RegExp(`^${name}: cannot reduce over dim 0 of size 0`),
      },
    ],
  });
}

type VarArgs = ReduceArgs & { correction: number };
function varStd(name: 'variance' | 'std'): AnyOpInfo {
  const varOf = (g: number[], c: number): number => {
    const m = sumOf(g) / g.length;
    return g.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(g.length - c, 0);
  };
  const f = name === 'variance' ? varOf : (g: number[], c: number) => Math.sqrt(varOf(g, c));
  return opInfo<VarArgs>({
    name,
    op: ([x], a) => {
      const o = { keepdim: a.keepdim, correction: a.correction };
      if (!a.method) return T[name](x!, a.dim, o);
      return name === 'variance' ? x!.var(a.dim, o) : x!.std(a.dim, o);
    },
    sample: reduceSample(distinctInput, { minGroup: 3 }).chain((s) =>
      fc.record({ inputs: fc.constant(s.inputs), args: fc.integer({ min: 0, max: 2 }).map((correction) => ({ ...s.args, correction })) }),
    ),
    reference: ([x], a) => reduceRef(x!, a.dim, a.keepdim, (g) => f(g, a.correction)),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: dimError('var', () => T.variance(T.zeros([2, 3]), 2)),
  });
}

/** logsumexp of a group: ±∞ when the largest element is ±∞, NaN with a NaN, −∞ for an empty group. @internal */
export function logsumexpOf(group: number[]): number {
  if (group.some(Number.isNaN)) return NaN;
  const m = Math.max(-Infinity, ...group);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(group.reduce((s, v) => s + Math.exp(v - m), 0));
}

/** logsumexp, with inputs shifted by ±1000 (exp would overflow without the max trick). */
const logsumexpEntry = opInfo<ReduceArgs & { shift: number }>({
  name: 'logsumexp',
  op: ([x], a) => (a.method ? x!.logsumexp(a.dim!, { keepdim: a.keepdim }) : T.logsumexp(x!, a.dim!, { keepdim: a.keepdim })),
  sample: fc.constantFrom(0, 1000, -1000).chain((shift) =>
    reduceSample((shape) => floats(shape).map((s) => ({ ...s, data: s.data.map((v) => Math.fround(v + shift)) })), {
      allowAll: false,
    }).map((s) => ({ ...s, args: { ...s.args, shift } })),
  ),
  reference: ([x], a) => reduceRef(x!, a.dim, a.keepdim, logsumexpOf),
  differentiable: true,
  twiceDifferentiable: true,
  float32Tol: { atol: 1e-4, rtol: 1e-4 },
  errorInputs: dimError('logsumexp', () => T.logsumexp(T.zeros([2, 3]), 2)),
});

const normEntry = opInfo<ReduceArgs & { p: number }>({
  name: 'norm',
  op: ([x], a) => (a.method ? x!.norm(a.p, a.dim, { keepdim: a.keepdim }) : T.norm(x!, a.p, a.dim, { keepdim: a.keepdim })),
  // distinct magnitudes, none 0: no kinks of |x| and no ties of the max-norm
  sample: fc
    .constantFrom(1, 2, 3, Infinity)
    .chain((p) =>
      reduceSample((shape) => distinctInput(shape, { nonzero: true }), { minGroup: 1 }).map((s) => ({ ...s, args: { ...s.args, p } })),
    ),
  reference: ([x], a) =>
    reduceRef(x!, a.dim, a.keepdim, (g) =>
      a.p === Infinity
        ? Math.max(...g.map(Math.abs))
        : a.p === -Infinity
          ? Math.min(...g.map(Math.abs))
          : sumOf(g.map((v) => Math.abs(v) ** a.p)) ** (1 / a.p),
    ),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    ...dimError('norm', () => T.norm(T.zeros([2, 3]), 2, 2))!,
    {
      name: 'a negative p',
      call: () => T.norm(T.ones([2]), -1),
      error: ValueError,
      message: /^norm: p must be positive, 0 or ±Infinity, got -1/,
    },
  ],
});

type LaneArgs = { dim: number; method: boolean };
function lane(
  name: 'softmax' | 'logSoftmax' | 'cumsum',
  f: (lane: number[]) => number[],
  input: Input,
  dtype: (d: DType | undefined) => DType,
): AnyOpInfo {
  return opInfo<LaneArgs>({
    name,
    op: ([x], { dim, method }) => (method ? x![name](dim) : T[name](x!, dim)),
    sample: shapeArb().chain((shape) =>
      fc.record({ inputs: fc.tuple(input(shape)), args: fc.record({ dim: oneDimArb(shape.length), method: fc.boolean() }) }),
    ),
    reference: ([x], { dim }) => laneRef(x!, dim, f, dtype(x!.dtype)),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: dimError(name, () => T[name](T.zeros([2, 3]), 2)),
  });
}

const softmaxRef = (l: number[]): number[] => {
  const m = Math.max(...l);
  const e = l.map((v) => Math.exp(v - m));
  const s = sumOf(e);
  return e.map((v) => v / s);
};
const toFloat = (d: DType | undefined): DType => (d === 'float32' || d === 'float64' ? d : 'float32');
const scaled: Input = (shape) => floats(shape).map((s) => ({ ...s, data: s.data.map((v) => Math.fround(v * 10)) }));

/** The reduction family. @internal */
export const reduceEntries: AnyOpInfo[] = [
  plain('sum', sumOf, anyDType, intSum, { diff: true }),
  plain(
    'mean',
    (g) => sumOf(g) / g.length,
    floats,
    (d) => d ?? 'float64',
    { diff: true },
  ),
  {
    ...plain(
      'prod',
      prodOf,
      (shape) =>
        fc.oneof({ arbitrary: withSomeZeros(shape), weight: 4 }, { arbitrary: inputOf(shape, 'int32', { min: -3, max: 3 }), weight: 1 }),
      intSum,
      { diff: true },
    ),
    numRuns: 16,
  },
  plain(
    'amax',
    (g) => Math.max(...g),
    distinctInput,
    (d) => d ?? 'float64',
    { diff: true, allowEmpty: false },
  ),
  plain(
    'amin',
    (g) => Math.min(...g),
    distinctInput,
    (d) => d ?? 'float64',
    { diff: true, allowEmpty: false },
  ),
  plain(
    'any',
    (g) => (g.some((v) => v !== 0) ? 1 : 0),
    (shape) => fc.oneof(inputOf(shape, 'bool'), inputOf(shape, 'int32', { min: 0, max: 1 }), floats(shape)),
    () => 'bool',
    { diff: false },
  ),
  plain(
    'all',
    (g) => (g.every((v) => v !== 0) ? 1 : 0),
    (shape) => fc.oneof(inputOf(shape, 'bool'), inputOf(shape, 'int32', { min: 0, max: 1 }), floats(shape)),
    () => 'bool',
    { diff: false },
  ),
  extremeDim('maxDim', (a, b) => a > b),
  extremeDim('minDim', (a, b) => a < b),
  extremeDim('Tensor.max', (a, b) => a > b),
  extremeDim('Tensor.min', (a, b) => a < b),
  extremeDim('max', (a, b) => a > b),
  extremeDim('min', (a, b) => a < b),
  argExtreme('argmax'),
  argExtreme('argmin'),
  varStd('variance'),
  varStd('std'),
  logsumexpEntry,
  normEntry,
  lane('softmax', softmaxRef, scaled, toFloat),
  lane('logSoftmax', (l) => softmaxRef(l).map(Math.log), scaled, toFloat),
  lane('cumsum', (l) => l.map((_, i) => sumOf(l.slice(0, i + 1))), anyDType, intSum),
];
