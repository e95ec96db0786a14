/**
 * OpInfo entries of sort, argsort, topk, cumprod (with exact zeros in the gradient samples) and the
 * rounding ops floor, ceil, trunc and round (zero gradient, ties to even). Sorting samples have
 * distinct values; ties are checked in test/autograd/ops-issue14.test.ts with torch's results.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { ArgumentTypeError, IndexError, ValueError } from '../../../src/autograd/errors.js';
import { floatInput, REAL, shapeArb, type Domain } from '../arb.js';
import { mapN, numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type InputSpec, type Ref } from '../types.js';
import { distinctInput, laneRef, normDimRef, oneDimArb } from './reduce.js';

type Form = 'positional' | 'options' | 'method';
interface SortArgs {
  dim: number | undefined;
  descending: boolean | undefined;
  form: Form;
}

/** The argsort of a lane: NaN last (first when descending), stable among equals. */
function argsortLane(lane: number[], descending: boolean): number[] {
  return lane
    .map((_, i) => i)
    .sort((i, j) => {
      const a = lane[i]!,
        b = lane[j]!;
      const c = Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b;
      return (descending ? -c : c) || i - j;
    });
}

/** Applies `f` to the lanes of x along dim d; the lane length may change to `len`. */
function lanes(x: Ref, d: number, len: number, f: (lane: number[]) => number[], dtype = x.dtype): Ref {
  if (x.shape.length === 0) return ref([], f([x.data[0]!]).slice(0, 1), dtype);
  const outShape = x.shape.slice();
  outShape[d] = len;
  const out = new Float64Array(numel(outShape));
  const other = x.shape.filter((_, i) => i !== d);
  for (let o = 0; o < numel(other); o++) {
    const base = unravel(o, other);
    const at = (k: number, shape: number[]): number => {
      const idx = [...base.slice(0, d), k, ...base.slice(d)];
      return idx.reduce((fl, v, i) => fl * shape[i]! + v, 0);
    };
    const lane = Array.from({ length: x.shape[d]! }, (_, k) => x.data[at(k, x.shape)]!);
    f(lane).forEach((v, k) => (out[at(k, outShape)] = v));
  }
  return ref(outShape, out, dtype);
}

function callSort(name: 'sort' | 'argsort', x: T.Tensor, { dim, descending, form }: SortArgs): T.Tensor | T.ValuesIndices {
  if (form === 'options') return T[name](x, { dim, descending, stable: true });
  if (form === 'method') return dim === undefined && descending === undefined ? x[name]() : x[name](dim, descending);
  return dim === undefined && descending === undefined ? T[name](x) : T[name](x, dim, descending);
}

const sortSample = shapeArb().chain((shape) =>
  fc.record({
    inputs: fc.tuple(distinctInput(shape)),
    args: fc.record({
      dim: fc.option(oneDimArb(shape.length), { nil: undefined }),
      descending: fc.option(fc.boolean(), { nil: undefined }),
      form: fc.constantFrom<Form>('positional', 'options', 'method'),
    }),
  }),
);

const sortEntry = opInfo<SortArgs>({
  name: 'sort',
  op: ([x], args) => {
    const r = callSort('sort', x!, args) as T.ValuesIndices;
    return [r.values, r.indices];
  },
  sample: sortSample,
  reference: ([x], { dim, descending }) => {
    const d = normDimRef(dim ?? -1, x!.shape.length);
    const len = x!.shape[d] ?? 1;
    return [
      lanes(x!, d, len, (l) => argsortLane(l, descending ?? false).map((i) => l[i]!)),
      lanes(x!, d, len, (l) => argsortLane(l, descending ?? false), 'int32'),
    ];
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'a string dim',
      call: () => T.sort(T.zeros([2]), 'x' as never),
      error: ArgumentTypeError,
      message: /^sort: dim must be an integer/,
    },
    {
      name: 'an unknown option',
      call: () => T.sort(T.zeros([2]), { decending: true } as never),
      error: ValueError,
      message: /^sort: unknown option 'decending'.*descending/,
    },
  ],
});

const argsortEntry = opInfo<SortArgs>({
  name: 'argsort',
  op: ([x], args) => callSort('argsort', x!, args) as T.Tensor,
  sample: sortSample,
  reference: ([x], { dim, descending }) => {
    const d = normDimRef(dim ?? -1, x!.shape.length);
    return lanes(x!, d, x!.shape[d] ?? 1, (l) => argsortLane(l, descending ?? false), 'int32');
  },
  differentiable: false,
  twiceDifferentiable: false,
});

interface TopkArgs {
  k: number;
  dim: number | undefined;
  largest: boolean | undefined;
  form: Form;
}

const topkEntry = opInfo<TopkArgs>({
  name: 'topk',
  op: ([x], { k, dim, largest, form }) => {
    const r =
      form === 'options'
        ? T.topk(x!, k, { dim, largest, sorted: true })
        : form === 'method'
          ? x!.topk(k, dim ?? -1, largest ?? true)
          : dim === undefined && largest === undefined
            ? T.topk(x!, k)
            : T.topk(x!, k, dim, largest);
    return [r.values, r.indices];
  },
  sample: shapeArb().chain((shape) =>
    oneDimArb(shape.length).chain((dim) => {
      const size = shape.length === 0 ? 1 : shape[normDimRef(dim, shape.length)]!;
      return fc.record({
        inputs: fc.tuple(distinctInput(shape)),
        args: fc.record({
          k: fc.integer({ min: 0, max: size }),
          dim: fc.constantFrom(dim, ...(dim === -1 ? [undefined] : [])),
          largest: fc.option(fc.boolean(), { nil: undefined }),
          form: fc.constantFrom<Form>('positional', 'options', 'method'),
        }),
      });
    }),
  ),
  reference: ([x], { k, dim, largest }) => {
    const d = normDimRef(dim ?? -1, x!.shape.length);
    const desc = largest ?? true;
    return [
      lanes(x!, d, k, (l) =>
        argsortLane(l, desc)
          .slice(0, k)
          .map((i) => l[i]!),
      ),
      lanes(x!, d, k, (l) => argsortLane(l, desc).slice(0, k), 'int32'),
    ];
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'k above the size',
      call: () => T.topk(T.zeros([3]), 4),
      error: IndexError,
      message: /^topk: k = 4 is out of range for dim -1 of size 3/,
    },
    { name: 'a negative k', call: () => T.topk(T.zeros([3]), -1), error: ValueError, message: /^topk: k must be >= 0, got -1/ },
  ],
});

/** A float input where about a third of the elements are exactly 0 (still differentiable). */
function withExactZeros(shape: number[]): fc.Arbitrary<InputSpec> {
  return floatInput(shape, REAL).chain((spec) =>
    fc
      .array(fc.integer({ min: 0, max: 2 }), { minLength: spec.data.length, maxLength: spec.data.length })
      .map((z) => ({ ...spec, data: spec.data.map((v, i) => (z[i] === 0 ? 0 : v)) })),
  );
}

const cumprodEntry = opInfo<{ dim: number; method: boolean }>({
  name: 'cumprod',
  op: ([x], { dim, method }) => (method ? x!.cumprod(dim) : T.cumprod(x!, dim)),
  sample: shapeArb().chain((shape) =>
    fc.record({ inputs: fc.tuple(withExactZeros(shape)), args: fc.record({ dim: oneDimArb(shape.length), method: fc.boolean() }) }),
  ),
  reference: ([x], { dim }) => laneRef(x!, dim, (l) => l.map((_, i) => l.slice(0, i + 1).reduce((a, b) => a * b, 1))),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'no dim',
      call: () => (T.cumprod as unknown as (x: T.Tensor) => T.Tensor)(T.zeros([2])),
      error: ArgumentTypeError,
      message: /^cumprod: missing dim/,
    },
  ],
});

/** Values away from every multiple of 0.05 in [-3, 3] (the jumps of floor/ceil/trunc/round at 0, 1 and -1 decimals). */
const ROUNDING: Domain = { min: -3, max: 3, avoid: Array.from({ length: 121 }, (_, k) => -3 + k * 0.05), margin: 0.004 };

const roundHalfEven = (v: number): number => {
  const f = Math.floor(v);
  const diff = v - f;
  return diff > 0.5 ? f + 1 : diff < 0.5 ? f : f % 2 === 0 ? f : f + 1;
};

function rounding(name: 'floor' | 'ceil' | 'trunc', f: (v: number) => number): AnyOpInfo {
  return opInfo<{ method: boolean }>({
    name,
    op: ([x], { method }) => (method ? x![name]() : T[name](x!)),
    sample: shapeArb().chain((shape) =>
      fc.record({ inputs: fc.tuple(floatInput(shape, ROUNDING)), args: fc.record({ method: fc.boolean() }) }),
    ),
    reference: ([x]) => mapN([x!], f, x!.dtype),
    differentiable: true,
    twiceDifferentiable: true,
  });
}

const roundEntry = opInfo<{ decimals: number | undefined; method: boolean }>({
  name: 'round',
  op: ([x], { decimals, method }) => {
    const o = decimals === undefined ? undefined : { decimals };
    return method ? x!.round(o) : T.round(x!, o);
  },
  sample: shapeArb().chain((shape) =>
    fc.record({
      inputs: fc.tuple(floatInput(shape, ROUNDING)),
      args: fc.record({ decimals: fc.constantFrom(undefined, 0, 1, -1), method: fc.boolean() }),
    }),
  ),
  reference: ([x], { decimals }) => {
    const p = decimals ?? 0;
    return mapN([x!], (v) => (p >= 0 ? roundHalfEven(v * 10 ** p) / 10 ** p : roundHalfEven(v / 10 ** -p) * 10 ** -p), x!.dtype);
  },
  differentiable: true,
  twiceDifferentiable: true,
  float32Tol: { atol: 1e-6, rtol: 1e-6 },
  errorInputs: [
    {
      name: 'a fractional decimals',
      call: () => T.round(T.zeros([2]), { decimals: 0.5 }),
      error: ValueError,
      message: /^round: decimals must be an integer, got 0.5/,
    },
    {
      name: 'decimals given positionally',
      call: () => (T.round as (x: T.Tensor, d: unknown) => T.Tensor)(T.zeros([2]), 2),
      error: ArgumentTypeError,
      message: /^round: expected an options object.*round\(x, \{ decimals \}\)/,
    },
  ],
});

/** The ordering and rounding family. @internal */
export const orderingEntries: AnyOpInfo[] = [
  sortEntry,
  argsortEntry,
  topkEntry,
  cumprodEntry,
  rounding('floor', Math.floor),
  rounding('ceil', Math.ceil),
  rounding('trunc', Math.trunc),
  roundEntry,
];
