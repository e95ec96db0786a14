/**
 * OpInfo entries of the creation functions: tensor (nested and typed arrays), zeros, ones, full,
 * arange, linspace, eye and the *Like forms against float64 references; rand, randn, randint and
 * randLike/randnLike by properties (shape, dtype, range, same seed gives the same values).
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import type { DType } from '../../../src/autograd/dtype.js';
import { DTypeError, ValueError } from '../../../src/autograd/errors.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { floatInput, REAL, shapeArb } from '../arb.js';
import { castValue, numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type ErrorInput, type Ref, type Sample } from '../types.js';

const err = (name: string, call: () => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({
  name,
  call,
  error,
  message,
});
const filled = (shape: number[], f: (i: number) => number, dtype: DType): Ref =>
  ref(
    shape,
    Array.from({ length: numel(shape) }, (_, i) => castValue(f(i), dtype)),
    dtype,
  );
const noInputs = <A>(args: fc.Arbitrary<A>): fc.Arbitrary<Sample<A>> => args.map((a) => ({ inputs: [], args: a }));
const anyDType = fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool');

/** Nested arrays of `shape` holding `data` (row-major). */
function nest(shape: number[], data: (number | boolean)[]): unknown {
  if (shape.length === 0) return data[0];
  const step = numel(shape.slice(1));
  return Array.from({ length: shape[0]! }, (_, i) => nest(shape.slice(1), data.slice(i * step, (i + 1) * step)));
}

type TensorArgs = { shape: number[]; data: number[]; dtype: DType | undefined; form: 'nested' | 'bools' | 'float64array' | 'int32array' };
const tensorEntry = opInfo<TensorArgs>({
  name: 'tensor',
  op: (_, { shape, data, dtype, form }) => {
    const opts = dtype === undefined ? undefined : { dtype };
    if (form === 'float64array') return T.tensor(Float64Array.from(data), opts);
    if (form === 'int32array') return T.tensor(Int32Array.from(data), opts);
    return T.tensor(nest(shape, form === 'bools' ? data.map((v) => v !== 0) : data) as never, opts);
  },
  sample: noInputs(
    fc
      .record({
        shape: shapeArb(),
        dtype: fc.option(anyDType, { nil: undefined }),
        form: fc.constantFrom<TensorArgs['form']>('nested', 'nested', 'bools', 'float64array', 'int32array'),
      })
      .chain((a) => {
        const shape = a.form === 'float64array' || a.form === 'int32array' ? [numel(a.shape)] : a.shape;
        const value =
          a.form === 'bools'
            ? fc.integer({ min: 0, max: 1 })
            : a.form === 'int32array'
              ? fc.integer({ min: -100, max: 100 })
              : fc.double({ min: -1e3, max: 1e3, noNaN: true });
        return fc.array(value, { minLength: numel(shape), maxLength: numel(shape) }).map((data) => ({ ...a, shape, data }));
      }),
  ),
  reference: (_, { shape, data, dtype, form }) => {
    // The default dtype follows the data: booleans give bool, a typed array its own type, numbers float32.
    // An empty nested array has no booleans to read: float32, as torch.tensor([]).
    const d =
      dtype ??
      (form === 'bools' && data.length > 0 ? 'bool' : form === 'float64array' ? 'float64' : form === 'int32array' ? 'int32' : 'float32');
    // Nested arrays end at an empty dim: [] is shape [0] and [[], []] shape [2, 0], as torch.tensor reads them.
    const empty = shape.indexOf(0);
    return filled(empty < 0 ? shape : shape.slice(0, empty + 1), (i) => data[i]!, d);
  },
  differentiable: false,
  twiceDifferentiable: false,
  errorInputs: [
    err('a ragged nested array', () => T.tensor([[1, 2], [3]]), ValueError, /^tensor: ragged nested array: expected 2 elements at \[1\]/),
    err('strings', () => T.tensor(['a'] as never), ValueError, /^tensor: expected numbers or booleans, found string/),
    err('an unknown dtype', () => T.tensor([1], { dtype: 'int8' as DType }), DTypeError, /^tensor: unknown dtype 'int8'/),
  ],
});

type FillArgs = { shape: number[]; dtype: DType | undefined; value: number };
function fill(name: 'zeros' | 'ones' | 'full', value: (a: FillArgs) => number): AnyOpInfo {
  return opInfo<FillArgs>({
    name,
    op: (_, { shape, dtype, value: v }) => {
      const opts = dtype === undefined ? undefined : { dtype };
      return name === 'full' ? T.full(shape, v, opts) : T[name](shape, opts);
    },
    // bool fills: any nonzero value is true, whatever its integer part (0.5, 256, -2.5)
    sample: noInputs(
      fc.oneof(
        fc.record({ shape: shapeArb(), dtype: fc.option(anyDType, { nil: undefined }), value: fc.constantFrom(-2.5, 0, 1, 7, 0.1) }),
        fc.record({
          shape: shapeArb({ allowEmpty: false }),
          dtype: fc.constant<DType | undefined>('bool'),
          value: fc.constantFrom(0.5, 256, -2.5, 0),
        }),
      ),
    ),
    numRuns: 12,
    reference: (_, a) => filled(a.shape, () => value(a), a.dtype ?? 'float32'),
    differentiable: false,
    twiceDifferentiable: false,
    errorInputs: [
      err(
        'a negative size',
        () => (name === 'full' ? T.full([2, -1], 1) : T[name]([2, -1])),
        ValueError,
        new RegExp(`^${name}: invalid shape \\[2, -1\\]`),
      ),
    ],
  });
}

type ArangeArgs = { start: number; end: number; step: number; dtype: DType | undefined };
const arangeEntry = opInfo<ArangeArgs>({
  name: 'arange',
  op: (_, { start, end, step, dtype }) => T.arange(start, end, step, dtype === undefined ? undefined : { dtype }),
  sample: noInputs(
    fc
      .record({
        start: fc.constantFrom(-3, 0, 1, 2.5, -0.75),
        end: fc.constantFrom(-2, 0, 4, 5.5, 3),
        step: fc.constantFrom(1, 2, 0.5, -1, -0.25, 3),
        dtype: fc.option(fc.constantFrom<DType>('float32', 'float64', 'int32'), { nil: undefined }),
      })
      .filter((a) => Math.ceil((a.end - a.start) / a.step) <= 24),
  ),
  reference: (_, { start, end, step, dtype }) => {
    const n = Math.max(0, Math.ceil((end - start) / step));
    const ints = [start, end, step].every(Number.isInteger);
    return filled([n], (i) => start + i * step, dtype ?? (ints ? 'int32' : 'float32'));
  },
  differentiable: false,
  twiceDifferentiable: false,
  errorInputs: [err('a zero step', () => T.arange(0, 1, 0), ValueError, /^arange: step must be finite and nonzero, got 0/)],
});

type LinspaceArgs = { start: number; end: number; steps: number; dtype: DType | undefined };
const linspaceEntry = opInfo<LinspaceArgs>({
  name: 'linspace',
  op: (_, { start, end, steps, dtype }) => T.linspace(start, end, steps, dtype === undefined ? undefined : { dtype }),
  sample: noInputs(
    fc.record({
      start: fc.constantFrom(-1, 0, 0.3, 2),
      end: fc.constantFrom(1, 0, -2.5, 10),
      steps: fc.integer({ min: 0, max: 7 }),
      dtype: fc.option(fc.constantFrom<DType>('float32', 'float64'), { nil: undefined }),
    }),
  ),
  // PyTorch fills the first half from start and the second half back from end, so the last value is exactly end.
  reference: (_, { start, end, steps, dtype }) => {
    const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
    const half = Math.floor(steps / 2);
    return filled([steps], (i) => (steps === 1 ? start : i < half ? start + i * delta : end - (steps - 1 - i) * delta), dtype ?? 'float32');
  },
  differentiable: false,
  twiceDifferentiable: false,
  errorInputs: [err('negative steps', () => T.linspace(0, 1, -1), ValueError, /^linspace: steps must be a non-negative integer, got -1/)],
});

const eyeEntry = opInfo<{ n: number; m: number | undefined; dtype: DType | undefined }>({
  name: 'eye',
  op: (_, { n, m, dtype }) => T.eye(n, m, dtype === undefined ? undefined : { dtype }),
  sample: noInputs(
    fc.record({
      n: fc.integer({ min: 0, max: 4 }),
      m: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      dtype: fc.option(anyDType, { nil: undefined }),
    }),
  ),
  reference: (_, { n, m, dtype }) => {
    const cols = m ?? n;
    return filled([n, cols], (i) => (Math.floor(i / cols) === i % cols ? 1 : 0), dtype ?? 'float32');
  },
  differentiable: false,
  twiceDifferentiable: false,
  errorInputs: [err('a negative size', () => T.eye(-1), ValueError, /^eye: invalid shape \[-1, -1\]/)],
});

type LikeArgs = { dtype: DType | undefined; value: number };
function like(name: 'zerosLike' | 'onesLike' | 'fullLike', value: (a: LikeArgs) => number): AnyOpInfo {
  return opInfo<LikeArgs>({
    name,
    op: ([x], { dtype, value: v }) => {
      const opts = dtype === undefined ? undefined : { dtype };
      return name === 'fullLike' ? T.fullLike(x!, v, opts) : T[name](x!, opts);
    },
    sample: shapeArb().chain((shape) =>
      fc.record({
        inputs: fc.tuple(floatInput(shape, REAL)),
        args: fc.record({ dtype: fc.option(anyDType, { nil: undefined }), value: fc.constantFrom(-1.5, 0, 3, 0.5, 256) }),
      }),
    ),
    reference: ([x], a) => filled(x!.shape, () => value(a), a.dtype ?? x!.dtype!),
    differentiable: false,
    twiceDifferentiable: false,
  });
}

/** Throws unless `out` has `shape` and `dtype` and every value passes `ok`. */
function expectValues(name: string, out: Tensor, shape: readonly number[], dtype: DType, ok: (v: number) => boolean): void {
  if (out.dtype !== dtype) throw new Error(`${name}: dtype ${out.dtype}, expected ${dtype}`);
  if (out.shape.join() !== shape.join()) throw new Error(`${name}: shape [${out.shape.join(', ')}], expected [${shape.join(', ')}]`);
  out.dataSync().forEach((v, i) => {
    if (!ok(v)) throw new Error(`${name}: element ${i} (index [${unravel(i, shape).join(', ')}]) is ${v}`);
  });
}

/** Random ops: same seed, same values; different seeds (on 8+ elements), different values. */
function expectSeeded(name: string, make: (g: T.Generator) => Tensor, seed: number): void {
  const a = Array.from(make(new T.Generator(seed)).dataSync());
  const b = Array.from(make(new T.Generator(seed)).dataSync());
  if (a.join() !== b.join()) throw new Error(`${name}: the same seed gave different values`);
  const c = Array.from(make(new T.Generator(seed + 1)).dataSync());
  if (a.length >= 8 && a.join() === c.join()) throw new Error(`${name}: seeds ${seed} and ${seed + 1} gave the same values`);
}

type RandArgs = { shape: number[]; dtype: 'float32' | 'float64' | undefined; seed: number };
function random(name: 'rand' | 'randn', ok: (v: number) => boolean): AnyOpInfo {
  return opInfo<RandArgs>({
    name,
    op: (_, { shape, dtype, seed }) => T[name](shape, { dtype, generator: new T.Generator(seed) }),
    // float64 is covered by randLike/randnLike: the float32 check expects a float64 result to become float32.
    sample: noInputs(
      fc.record({
        shape: shapeArb(),
        dtype: fc.constantFrom<'float32' | undefined>('float32', undefined),
        seed: fc.integer({ min: 0, max: 1000 }),
      }),
    ),
    reference: null,
    check: (out, _, { shape, dtype, seed }) => {
      expectValues(name, out, shape, dtype ?? 'float32', ok);
      expectSeeded(name, (g) => T[name](shape, { dtype, generator: g }), seed);
    },
    differentiable: false,
    twiceDifferentiable: false,
    errorInputs: [
      err(
        'an int dtype',
        () => T[name]([2], { dtype: 'int32' }),
        DTypeError,
        new RegExp(`^${name}: dtype must be float32 or float64, got int32`),
      ),
    ],
  });
}

type RandintArgs = { low: number; high: number; shape: number[]; seed: number };
const randintEntry = opInfo<RandintArgs>({
  name: 'randint',
  op: (_, { low, high, shape, seed }) => T.randint(low, high, shape, { generator: new T.Generator(seed) }),
  sample: noInputs(
    fc
      .record({
        low: fc.integer({ min: -5, max: 5 }),
        span: fc.integer({ min: 1, max: 6 }),
        shape: shapeArb(),
        seed: fc.integer({ min: 0, max: 1000 }),
      })
      .map(({ span, ...a }) => ({ ...a, high: a.low + span })),
  ),
  reference: null,
  check: (out, _, { low, high, shape, seed }) => {
    expectValues('randint', out, shape, 'int32', (v) => Number.isInteger(v) && v >= low && v < high);
    expectSeeded('randint', (g) => T.randint(low, high + 100, shape, { generator: g }), seed);
  },
  differentiable: false,
  twiceDifferentiable: false,
  errorInputs: [err('low == high', () => T.randint(3, 3, [2]), ValueError, /^randint: need integers low < high, got low=3 high=3/)],
});

function randomLike(name: 'randLike' | 'randnLike', ok: (v: number) => boolean): AnyOpInfo {
  return opInfo<{ seed: number }>({
    name,
    op: ([x], { seed }) => T[name](x!, { generator: new T.Generator(seed) }),
    sample: shapeArb().chain((shape) =>
      fc.record({ inputs: fc.tuple(floatInput(shape, REAL)), args: fc.record({ seed: fc.integer({ min: 0, max: 1000 }) }) }),
    ),
    reference: null,
    check: (out, [x], { seed }) => {
      expectValues(name, out, x!.shape, x!.dtype, ok);
      expectSeeded(name, (g) => T[name](x!, { generator: g }), seed);
    },
    differentiable: false,
    twiceDifferentiable: false,
  });
}

/** The creation family. @internal */
export const creationEntries: AnyOpInfo[] = [
  tensorEntry,
  fill('zeros', () => 0),
  fill('ones', () => 1),
  fill('full', (a) => a.value),
  arangeEntry,
  linspaceEntry,
  eyeEntry,
  like('zerosLike', () => 0),
  like('onesLike', () => 1),
  like('fullLike', (a) => a.value),
  random('rand', (v) => v >= 0 && v < 1),
  random('randn', Number.isFinite),
  randintEntry,
  randomLike('randLike', (v) => v >= 0 && v < 1),
  randomLike('randnLike', Number.isFinite),
];
