/**
 * OpInfo entries of repeat, tile, flip, roll, t, tril, triu and diag, with references that map
 * every output position to its source position (remapRef) or write the definition directly.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { ArgumentTypeError, ShapeError } from '../../../src/autograd/errors.js';
import { floatInput, REAL, shapeArb } from '../arb.js';
import { numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo } from '../types.js';
import { normDimRef } from './reduce.js';
import { remapRef } from './shape.js';

const small = (options: { minDims?: number; maxDims?: number } = {}) => shapeArb({ ...options }).filter((s) => numel(s) <= 6);

const repeatEntry = opInfo<{ reps: number[]; form: 'spread' | 'array' | 'function' }>({
  name: 'repeat',
  op: ([x], { reps, form }) => (form === 'spread' ? x!.repeat(...reps) : form === 'array' ? x!.repeat(reps) : T.repeat(x!, reps)),
  sample: small({ maxDims: 2 }).chain((shape) =>
    fc.record({
      inputs: fc.tuple(floatInput(shape, REAL)),
      args: fc.record({
        reps: fc
          .integer({ min: 0, max: 1 })
          .chain((extra) => fc.array(fc.integer({ min: 0, max: 2 }), { minLength: shape.length + extra, maxLength: shape.length + extra })),
        form: fc.constantFrom('spread' as const, 'array' as const, 'function' as const),
      }),
    }),
  ),
  reference: ([x], { reps }) => {
    const shape = [...Array<number>(reps.length - x!.shape.length).fill(1), ...x!.shape];
    const padded = ref(shape, x!.data, x!.dtype);
    const out = remapRef(
      padded,
      shape.map((s, i) => s * reps[i]!),
      (idx) => idx.map((v, i) => v % shape[i]!),
    );
    return out;
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'fewer sizes than dims',
      call: () => T.zeros([2, 2]).repeat(2),
      error: ShapeError,
      message: /^repeat: 1 repeat sizes for a tensor of 2 dims \[2, 2\]/,
    },
    {
      name: 'a negative size',
      call: () => T.zeros([2]).repeat(-1),
      error: ArgumentTypeError,
      message: /^repeat: repeats must be non-negative integers/,
    },
  ],
});

const tileEntry = opInfo<{ reps: number[]; method: boolean }>({
  name: 'tile',
  op: ([x], { reps, method }) => (method ? x!.tile(reps) : T.tile(x!, reps)),
  sample: small({ maxDims: 2 }).chain((shape) =>
    fc.record({
      inputs: fc.tuple(floatInput(shape, REAL)),
      args: fc.record({ reps: fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 3 }), method: fc.boolean() }),
    }),
  ),
  reference: ([x], { reps }) => {
    const n = Math.max(reps.length, x!.shape.length);
    const shape = [...Array<number>(n - x!.shape.length).fill(1), ...x!.shape];
    const r = [...Array<number>(n - reps.length).fill(1), ...reps];
    return remapRef(
      ref(shape, x!.data, x!.dtype),
      shape.map((s, i) => s * r[i]!),
      (idx) => idx.map((v, i) => v % shape[i]!),
    );
  },
  differentiable: true,
  twiceDifferentiable: true,
});

const flipEntry = opInfo<{ dims: number[]; form: 'spread' | 'array' | 'function' }>({
  name: 'flip',
  op: ([x], { dims, form }) => (form === 'spread' ? x!.flip(...dims) : form === 'array' ? x!.flip(dims) : T.flip(x!, dims)),
  sample: shapeArb().chain((shape) =>
    fc.record({
      inputs: fc.tuple(floatInput(shape, REAL)),
      args: fc.record({
        dims:
          shape.length === 0
            ? fc.constant([])
            : fc.subarray(shape.map((_, i) => i)).chain((ds) => fc.tuple(...ds.map((d) => fc.constantFrom(d, d - shape.length)))),
        form: fc.constantFrom('spread' as const, 'array' as const, 'function' as const),
      }),
    }),
  ),
  reference: ([x], { dims }) => {
    const ds = dims.map((d) => normDimRef(d, x!.shape.length));
    return remapRef(x!, x!.shape, (idx) => idx.map((v, i) => (ds.includes(i) ? x!.shape[i]! - 1 - v : v)));
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'a repeated dim',
      call: () => T.zeros([2, 2]).flip(0, -2),
      error: ArgumentTypeError,
      message: /^flip: dim .* appears more than once/,
    },
  ],
});

const rollEntry = opInfo<{ shifts: number[]; dims: number[] | undefined; method: boolean }>({
  name: 'roll',
  op: ([x], { shifts, dims, method }) => {
    const s = shifts.length === 1 ? shifts[0]! : shifts;
    const d = dims === undefined ? undefined : dims.length === 1 ? dims[0]! : dims;
    return method ? x!.roll(s, d) : T.roll(x!, s, d);
  },
  sample: shapeArb({ minDims: 1 }).chain((shape) =>
    fc
      .oneof(
        fc.record({ shifts: fc.tuple(fc.integer({ min: -5, max: 5 })), dims: fc.constant(undefined) }),
        fc
          .subarray(
            shape.map((_, i) => i),
            { minLength: 1 },
          )
          .chain((ds) =>
            fc.record({
              shifts: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: ds.length, maxLength: ds.length }),
              dims: fc.constant(ds as number[] | undefined),
            }),
          ),
      )
      .chain((a) =>
        fc.record({
          inputs: fc.tuple(floatInput(shape, REAL)),
          args: fc.record({ shifts: fc.constant(a.shifts), dims: fc.constant(a.dims), method: fc.boolean() }),
        }),
      ),
  ),
  reference: ([x], { shifts, dims }) => {
    if (dims === undefined) {
      const n = x!.data.length;
      const out = x!.data.map((_, i) => x!.data[(((i - shifts[0]!) % n) + n) % n]!);
      return ref(x!.shape, out, x!.dtype);
    }
    return remapRef(x!, x!.shape, (idx) =>
      idx.map((v, i) => {
        const k = dims.indexOf(i);
        const n = x!.shape[i]!;
        return k < 0 ? v : (((v - shifts[k]!) % n) + n) % n;
      }),
    );
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'shifts and dims of different lengths',
      call: () => T.zeros([2, 2]).roll([1, 2], 0),
      error: ArgumentTypeError,
      message: /^roll: 2 shift\(s\) but 1 dim\(s\)/,
    },
  ],
});

const tEntry = opInfo<{ method: boolean }>({
  name: 't',
  op: ([x], { method }) => (method ? x!.t() : T.t(x!)),
  sample: shapeArb({ maxDims: 2 }).chain((shape) =>
    fc.record({ inputs: fc.tuple(floatInput(shape, REAL)), args: fc.record({ method: fc.boolean() }) }),
  ),
  reference: ([x]) => (x!.shape.length < 2 ? x! : remapRef(x!, [x!.shape[1]!, x!.shape[0]!], ([i, j]) => [j!, i!])),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'a 3-d tensor',
      call: () => T.zeros([1, 2, 3]).t(),
      error: ShapeError,
      message: /^t: expects a tensor with at most 2 dims, got shape \[1, 2, 3\]/,
    },
  ],
});

function triangle(name: 'tril' | 'triu'): AnyOpInfo {
  return opInfo<{ diagonal: number | undefined; method: boolean }>({
    name,
    op: ([x], { diagonal, method }) => (method ? x![name](diagonal) : T[name](x!, diagonal)),
    sample: shapeArb({ minDims: 2 }).chain((shape) =>
      fc.record({
        inputs: fc.tuple(floatInput(shape, REAL)),
        args: fc.record({ diagonal: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }), method: fc.boolean() }),
      }),
    ),
    reference: ([x], { diagonal }) => {
      const k = diagonal ?? 0;
      const n = x!.shape.length;
      const out = x!.data.map((v, i) => {
        const idx = unravel(i, x!.shape);
        const d = idx[n - 1]! - idx[n - 2]!;
        return (name === 'tril' ? d <= k : d >= k) ? v : 0;
      });
      return ref(x!.shape, out, x!.dtype);
    },
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'a 1-d tensor',
        call: () => T[name](T.zeros([3])),
        error: ShapeError,
        message: new RegExp(`^${name}: expects a tensor with at least 2 dims`),
      },
    ],
  });
}

const diagEntry = opInfo<{ diagonal: number | undefined; method: boolean }>({
  name: 'diag',
  op: ([x], { diagonal, method }) => (method ? x!.diag(diagonal) : T.diag(x!, diagonal)),
  sample: fc
    .integer({ min: 1, max: 2 })
    .chain((nd) => shapeArb({ minDims: nd, maxDims: nd }))
    .chain((shape) =>
      fc.record({
        inputs: fc.tuple(floatInput(shape, REAL)),
        args: fc.record({ diagonal: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }), method: fc.boolean() }),
      }),
    ),
  reference: ([x], { diagonal }) => {
    const k = diagonal ?? 0;
    if (x!.shape.length === 1) {
      const n = x!.shape[0]!;
      const m = n + Math.abs(k);
      const out = new Float64Array(m * m);
      for (let i = 0; i < n; i++) out[(k >= 0 ? i : i - k) * m + (k >= 0 ? i + k : i)] = x!.data[i]!;
      return ref([m, m], out, x!.dtype);
    }
    const [r, c] = x!.shape as [number, number];
    const vals: number[] = [];
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) if (j - i === k) vals.push(x!.data[i * c + j]!);
    return ref([vals.length], vals, x!.dtype);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    { name: 'a 3-d tensor', call: () => T.diag(T.zeros([1, 1, 1])), error: ShapeError, message: /^diag: expects a 1-d or 2-d tensor/ },
  ],
});

/** The rearranging family. @internal */
export const rearrangeEntries: AnyOpInfo[] = [
  repeatEntry,
  tileEntry,
  flipEntry,
  rollEntry,
  tEntry,
  triangle('tril'),
  triangle('triu'),
  diagEntry,
];
