/**
 * OpInfo entries of the view and copy ops: view, reshape (-1), flatten, squeeze, unsqueeze, permute,
 * transpose, T, mT, expand/broadcastTo, slice (start/end/step, negative and out-of-range bounds),
 * narrow, select, contiguous, clone, split, chunk, unbind, cat, stack, and the internal sliceScatter.
 * References move elements by multi-index arithmetic on row-major float64 arrays.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { IndexError, ShapeError, ValueError } from '../../../src/autograd/errors.js';
import { sliceScatter } from '../../../src/autograd/ops/shape.js';
import { floatInput, MAX_NUMEL, REAL, shapeArb } from '../arb.js';
import { numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type ErrorInput, type Ref, type Sample } from '../types.js';
import { normDimRef, oneDimArb } from './reduce.js';

/** out[idx] = x[src(idx)], for every multi-index of `outShape`. @internal */
export function remapRef(x: Ref, outShape: number[], src: (idx: number[]) => number[]): Ref {
  const out = new Float64Array(numel(outShape));
  for (let i = 0; i < out.length; i++) {
    const s = src(unravel(i, outShape));
    let flat = 0;
    s.forEach((v, d) => (flat = flat * x.shape[d]! + v));
    out[i] = x.data[flat]!;
  }
  return ref(outShape, out, x.dtype);
}

/** The same elements in a new shape. */
const reshaped = (x: Ref, shape: number[]): Ref => ref(shape, x.data, x.dtype);

/** A random shape with `n` elements (n > 0) of up to 4 dims, sizes taken from n's divisors. */
function shapeWithNumel(n: number): fc.Arbitrary<number[]> {
  if (n === 0) return fc.constantFrom([0], [0, 3], [2, 0, 1], [1, 0]);
  return fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 3 }).map((picks) => {
    const shape: number[] = [];
    let rest = n;
    for (const p of picks) {
      const divisors = Array.from({ length: rest }, (_, i) => i + 1).filter((d) => rest % d === 0);
      const d = divisors[p % divisors.length]!;
      shape.push(d);
      rest /= d;
    }
    shape.push(rest);
    return shape;
  });
}

const oneInput = <A>(
  args: (shape: number[]) => fc.Arbitrary<A>,
  options: { minDims?: number; allowEmpty?: boolean } = {},
): fc.Arbitrary<Sample<A>> =>
  shapeArb(options).chain((shape) => fc.record({ inputs: fc.tuple(floatInput(shape, REAL)), args: args(shape) }));

const err = (name: string, call: () => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({
  name,
  call,
  error,
  message,
});

type ReshapeArgs = { shape: number[]; method: boolean };
const reshapeArgs = (shape: number[]): fc.Arbitrary<ReshapeArgs> =>
  fc.record({
    shape: fc.tuple(shapeWithNumel(numel(shape)), fc.integer({ min: -1, max: 3 })).map(([s, minus]) => {
      const t = s.slice();
      if (numel(shape) > 0 && minus >= 0 && minus < t.length) t[minus] = -1;
      return t;
    }),
    method: fc.boolean(),
  });
const inferred = (x: Ref, shape: number[]): number[] => shape.map((s) => (s === -1 ? numel(x.shape) / -numel(shape) : s));

const viewEntry = opInfo<ReshapeArgs>({
  name: 'view',
  // view needs a compatible layout: the strided samples go through contiguous() first.
  op: ([x], { shape, method }) => {
    const c = x!.isContiguous() ? x! : x!.contiguous();
    return method ? c.view(shape) : T.view(c, shape);
  },
  sample: oneInput(reshapeArgs),
  reference: ([x], { shape }) => reshaped(x!, inferred(x!, shape)),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err('a size that does not fit', () => T.zeros([2, 3]).view(4, -1), ShapeError, /^view: shape \[4, -1\] is invalid for input of size 6/),
    err('a non-contiguous input', () => T.zeros([2, 3]).T.view(6), ShapeError, /^view: .*cannot be viewed as \[6\]/),
    err('two -1 sizes', () => T.zeros([2, 3]).view(-1, -1), ValueError, /^view: only one dim can be -1/),
  ],
});

const reshapeEntry = opInfo<ReshapeArgs>({
  name: 'reshape',
  op: ([x], { shape, method }) => (method ? x!.reshape(shape) : T.reshape(x!, shape)),
  sample: oneInput(reshapeArgs),
  reference: ([x], { shape }) => reshaped(x!, inferred(x!, shape)),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err('a size that does not fit', () => T.zeros([2, 3]).reshape(5), ShapeError, /^reshape: shape \[5\] is invalid for input of size 6/),
  ],
});

const flattenEntry = opInfo<{ start: number; end: number }>({
  name: 'flatten',
  op: ([x], { start, end }) => T.flatten(x!, start, end),
  sample: oneInput((shape) => fc.tuple(oneDimArb(shape.length), oneDimArb(shape.length)).map(([a, b]) => ({ start: a, end: b }))).filter(
    (s) => normDimRef(s.args.start, s.inputs[0]!.shape.length) <= normDimRef(s.args.end, s.inputs[0]!.shape.length),
  ),
  reference: ([x], { start, end }) => {
    if (x!.shape.length === 0) return reshaped(x!, [1]);
    const s = normDimRef(start, x!.shape.length);
    const e = normDimRef(end, x!.shape.length);
    return reshaped(x!, [...x!.shape.slice(0, s), numel(x!.shape.slice(s, e + 1)), ...x!.shape.slice(e + 1)]);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err('startDim after endDim', () => T.zeros([2, 3, 4]).flatten(2, 1), ValueError, /^flatten: startDim 2 comes after endDim 1/),
  ],
});

/** Shapes with some size-1 dims, for squeeze and expand. */
const withOnes = (options: { minDims?: number } = {}): fc.Arbitrary<number[]> =>
  shapeArb(options).chain((shape) =>
    fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }).map((b) => shape.map((s, i) => (b[i] ? 1 : s))),
  );

const squeezeEntry = opInfo<{ dim: number | number[] | undefined; method: boolean }>({
  name: 'squeeze',
  op: ([x], { dim, method }) => (method ? x!.squeeze(dim) : T.squeeze(x!, dim)),
  sample: withOnes().chain((shape) =>
    fc.record({
      inputs: fc.tuple(floatInput(shape, REAL)),
      args: fc.record({
        dim:
          shape.length === 0
            ? fc.constant(undefined)
            : fc.oneof(
                fc.constant(undefined),
                oneDimArb(shape.length),
                fc.uniqueArray(fc.integer({ min: 0, max: shape.length - 1 }), { minLength: 1 }),
              ),
        method: fc.boolean(),
      }),
    }),
  ),
  reference: ([x], { dim }) => {
    const nd = x!.shape.length;
    const dims = dim === undefined ? null : (typeof dim === 'number' ? [dim] : dim).map((d) => normDimRef(d, nd));
    return reshaped(
      x!,
      x!.shape.filter((s, i) => !(s === 1 && (dims === null || dims.includes(i)))),
    );
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [err('a dim out of range', () => T.zeros([2, 1]).squeeze(2), IndexError, /^squeeze: dim 2 out of range/)],
});

const unsqueezeEntry = opInfo<{ dim: number }>({
  name: 'unsqueeze',
  op: ([x], { dim }) => T.unsqueeze(x!, dim),
  sample: oneInput((shape) => fc.record({ dim: fc.integer({ min: -shape.length - 1, max: shape.length }) })),
  reference: ([x], { dim }) => {
    const d = dim < 0 ? dim + x!.shape.length + 1 : dim;
    const shape = x!.shape.slice();
    shape.splice(d, 0, 1);
    return reshaped(x!, shape);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err('a dim out of range', () => T.zeros([2, 3]).unsqueeze(3), IndexError, /^unsqueeze: dim 3 out of range for a 3-d tensor/),
  ],
});

/** Permutes by `dims` (normalised): out[idx] = x[inverse-permuted idx]. */
function permuteRef(x: Ref, dims: number[]): Ref {
  return remapRef(
    x,
    dims.map((d) => x.shape[d]!),
    (idx) => {
      const src = new Array<number>(idx.length);
      dims.forEach((d, i) => (src[d] = idx[i]!));
      return src;
    },
  );
}

const permuteArgs = (shape: number[]): fc.Arbitrary<{ dims: number[]; method: boolean }> =>
  fc.record({
    dims: fc
      .shuffledSubarray(
        Array.from({ length: shape.length }, (_, i) => i),
        { minLength: shape.length, maxLength: shape.length },
      )
      .chain((p) => fc.tuple(...p.map((d) => fc.constantFrom(d, d - shape.length))).map((t) => t)),
    method: fc.boolean(),
  });

const permuteEntry = opInfo<{ dims: number[]; method: boolean }>({
  name: 'permute',
  op: ([x], { dims, method }) => (method ? x!.permute(dims) : T.permute(x!, dims)),
  // Half the samples 3-d: only a 3-cycle tells a permutation from its inverse.
  sample: fc.oneof(oneInput(permuteArgs), oneInput(permuteArgs, { minDims: 3, allowEmpty: false })),
  reference: ([x], { dims }) =>
    permuteRef(
      x!,
      dims.map((d) => normDimRef(d, x!.shape.length)),
    ),
  differentiable: true,
  twiceDifferentiable: true,
  numRuns: 16,
  errorInputs: [
    err('a repeated dim', () => T.zeros([2, 3]).permute(0, 0), ValueError, /^permute: dims \[0, 0\] repeat a dim/),
    err('the wrong number of dims', () => T.zeros([2, 3]).permute(0), ValueError, /^permute: got 1 dims \[0\] for a 2-d tensor/),
  ],
});

const swapDims = (nd: number, a: number, b: number): number[] => {
  const dims = Array.from({ length: nd }, (_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return dims;
};

const transposeEntry = opInfo<{ dim0: number; dim1: number; method: boolean }>({
  name: 'transpose',
  op: ([x], { dim0, dim1, method }) => (method ? x!.transpose(dim0, dim1) : T.transpose(x!, dim0, dim1)),
  sample: oneInput((shape) => fc.record({ dim0: oneDimArb(shape.length), dim1: oneDimArb(shape.length), method: fc.boolean() }), {
    minDims: 1,
  }),
  reference: ([x], { dim0, dim1 }) => {
    const nd = x!.shape.length;
    return permuteRef(x!, swapDims(nd, normDimRef(dim0, nd), normDimRef(dim1, nd)));
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [err('a dim out of range', () => T.zeros([2, 3]).transpose(0, 2), IndexError, /^transpose: dim 2 out of range/)],
});

const tEntry = opInfo<null>({
  name: 'Tensor.T',
  op: ([x]) => x!.T,
  sample: oneInput(() => fc.constant(null)),
  reference: ([x]) =>
    permuteRef(
      x!,
      x!.shape.map((_, i) => x!.shape.length - 1 - i),
    ),
  differentiable: true,
  twiceDifferentiable: true,
});

const mtEntry = opInfo<null>({
  name: 'Tensor.mT',
  op: ([x]) => x!.mT,
  sample: oneInput(() => fc.constant(null), { minDims: 2 }),
  reference: ([x]) => permuteRef(x!, swapDims(x!.shape.length, x!.shape.length - 2, x!.shape.length - 1)),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [err('a 1-d input', () => T.zeros([3]).mT, IndexError, /^transpose: dim -2 out of range for a 1-d tensor/)],
});

type ExpandArgs = { sizes: number[]; form: 'fn' | 'method' | 'broadcastTo' };
const expandEntry = opInfo<ExpandArgs>({
  name: 'expand',
  op: ([x], { sizes, form }) => (form === 'fn' ? T.expand(x!, sizes) : form === 'method' ? x!.expand(sizes) : x!.broadcastTo(sizes)),
  sample: withOnes()
    .chain((shape) =>
      fc.record({
        inputs: fc.tuple(floatInput(shape, REAL)),
        args: fc.record({
          sizes: fc
            .tuple(
              fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
              fc.tuple(...shape.map((s) => (s === 1 ? fc.integer({ min: -1, max: 3 }) : fc.constantFrom(s, -1)))),
            )
            .map(([lead, own]) => [...lead, ...own]),
          form: fc.constantFrom<ExpandArgs['form']>('fn', 'method', 'broadcastTo'),
        }),
      }),
    )
    .filter((s) => s.args.form !== 'broadcastTo' || !s.args.sizes.includes(-1))
    .filter((s) => numel(s.args.sizes.map((v) => Math.abs(v))) <= 3 * MAX_NUMEL),
  reference: ([x], { sizes }) => {
    const lead = sizes.length - x!.shape.length;
    const out = sizes.map((s, i) => (s === -1 ? x!.shape[i - lead]! : s));
    return remapRef(x!, out, (idx) => idx.slice(lead).map((v, d) => (x!.shape[d] === 1 ? 0 : v)));
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'a size that is not 1',
      () => T.zeros([2, 3]).expand(3, 3),
      ShapeError,
      /^expand: cannot expand \[2, 3\] to \[3, 3\]: size 2 at dim 0 is not 1/,
    ),
    err('fewer dims', () => T.zeros([2, 3]).expand(3), ShapeError, /^expand: cannot expand \[2, 3\] to fewer dims \[3\]/),
  ],
});

/** Python slice semantics: negative bounds count from the end, out-of-range bounds clamp. */
function sliceIndices(size: number, start: number | null, end: number | null, step: number): number[] {
  const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = start === null ? 0 : clamp(start);
  const e = end === null ? size : clamp(end);
  const out: number[] = [];
  for (let i = s; i < e; i += step) out.push(i);
  return out;
}

function selectAlong(x: Ref, d: number, indices: number[], keepDim = true): Ref {
  const shape = x.shape.slice();
  shape[d] = indices.length;
  const r = remapRef(x, shape, (idx) => idx.map((v, k) => (k === d ? indices[v]! : v)));
  if (!keepDim) r.shape.splice(d, 1);
  return r;
}

type SliceArgs = { dim: number; start: number | null; end: number | null; step: number; method: boolean };
const bound = fc.option(fc.integer({ min: -6, max: 6 }), { nil: null });
const sliceEntry = opInfo<SliceArgs>({
  name: 'slice',
  op: ([x], a) => (a.method ? x!.slice(a.dim, a.start, a.end, a.step) : T.slice(x!, a.dim, a.start, a.end, a.step)),
  sample: oneInput(
    (shape) =>
      fc.record({ dim: oneDimArb(shape.length), start: bound, end: bound, step: fc.integer({ min: 1, max: 3 }), method: fc.boolean() }),
    { minDims: 1 },
  ),
  reference: ([x], a) => {
    const d = normDimRef(a.dim, x!.shape.length);
    return selectAlong(x!, d, sliceIndices(x!.shape[d]!, a.start, a.end, a.step));
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [err('a zero step', () => T.zeros([4]).slice(0, 0, 4, 0), ValueError, /^slice: step must be a positive integer, got 0/)],
});

const narrowEntry = opInfo<{ dim: number; start: number; length: number }>({
  name: 'narrow',
  op: ([x], { dim, start, length }) => T.narrow(x!, dim, start, length),
  sample: oneInput(
    (shape) =>
      oneDimArb(shape.length).chain((dim) => {
        const size = shape[normDimRef(dim, shape.length)]!;
        return fc
          .integer({ min: 0, max: size })
          .chain((s) =>
            fc.record({ dim: fc.constant(dim), start: fc.constantFrom(s, s - size), length: fc.integer({ min: 0, max: size - s }) }),
          );
      }),
    { minDims: 1 },
  ),
  reference: ([x], { dim, start, length }) => {
    const d = normDimRef(dim, x!.shape.length);
    const s = start < 0 ? start + x!.shape[d]! : start;
    return selectAlong(
      x!,
      d,
      Array.from({ length }, (_, i) => s + i),
    );
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'a range past the end',
      () => T.zeros([2, 3]).narrow(1, 2, 2),
      IndexError,
      /^narrow: start 2 and length 2 are out of range for dim 1 of size 3/,
    ),
  ],
});

const selectEntry = opInfo<{ dim: number; index: number }>({
  name: 'select',
  op: ([x], { dim, index }) => T.select(x!, dim, index),
  sample: shapeArb({ minDims: 1, allowEmpty: false }).chain((shape) =>
    fc.record({
      inputs: fc.tuple(floatInput(shape, REAL)),
      args: oneDimArb(shape.length).chain((dim) => {
        const size = shape[normDimRef(dim, shape.length)]!;
        return fc.record({ dim: fc.constant(dim), index: fc.integer({ min: -size, max: size - 1 }) });
      }),
    }),
  ),
  reference: ([x], { dim, index }) => {
    const d = normDimRef(dim, x!.shape.length);
    return selectAlong(x!, d, [index < 0 ? index + x!.shape[d]! : index], false);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err('an index out of range', () => T.zeros([2, 3]).select(0, 2), IndexError, /^select: index 2 is out of range for dim 0 of size 2/),
    err('a 0-d input', () => T.zeros([]).select(0, 0), IndexError, /^select: /),
  ],
});

const copyEntry = (name: 'contiguous' | 'clone'): AnyOpInfo =>
  opInfo<{ method: boolean }>({
    name,
    op: ([x], { method }) => (method ? x![name]() : T[name](x!)),
    sample: oneInput(() => fc.record({ method: fc.boolean() })),
    reference: ([x]) => x!,
    differentiable: true,
    twiceDifferentiable: true,
  });

/** Pieces of `x` along `d` with the given sizes. */
function piecesRef(x: Ref, d: number, sizes: number[]): Ref[] {
  let at = 0;
  return sizes.map((s) => {
    const r = selectAlong(
      x,
      d,
      Array.from({ length: s }, (_, i) => at + i),
    );
    at += s;
    return r;
  });
}

type SplitArgs = { size: number | number[]; dim: number };
const splitEntry = opInfo<SplitArgs>({
  name: 'split',
  op: ([x], { size, dim }) => T.split(x!, size, dim),
  sample: oneInput(
    (shape) =>
      oneDimArb(shape.length).chain((dim) => {
        const n = shape[normDimRef(dim, shape.length)]!;
        const sizes = fc.array(fc.integer({ min: 0, max: n }), { maxLength: 3 }).map((cuts) => {
          const c = [0, ...cuts.sort((a, b) => a - b), n];
          return c.slice(1).map((v, i) => v - c[i]!);
        });
        return fc.record({ size: fc.oneof(fc.integer({ min: 1, max: 4 }), sizes), dim: fc.constant(dim) });
      }),
    { minDims: 1 },
  ),
  reference: ([x], { size, dim }) => {
    const d = normDimRef(dim, x!.shape.length);
    const n = x!.shape[d]!;
    if (typeof size !== 'number') return piecesRef(x!, d, size);
    const sizes: number[] = [];
    for (let at = 0; at < n; at += size) sizes.push(Math.min(size, n - at));
    return piecesRef(x!, d, n === 0 ? [0] : sizes);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'sizes that do not add up',
      () => T.zeros([5]).split([2, 2]),
      ValueError,
      /^split: sizes \[2, 2\] do not sum to the size 5 of dim 0/,
    ),
  ],
});

const chunkEntry = opInfo<{ chunks: number; dim: number }>({
  name: 'chunk',
  op: ([x], { chunks, dim }) => T.chunk(x!, chunks, dim),
  sample: fc.oneof(
    oneInput((shape) => fc.record({ chunks: fc.integer({ min: 1, max: 5 }), dim: oneDimArb(shape.length) }), { minDims: 1 }),
    fc
      .record({ chunks: fc.integer({ min: 1, max: 3 }), dim: fc.constantFrom(1, -1) })
      .map((args): Sample<{ chunks: number; dim: number }> => ({ inputs: [{ shape: [2, 0], data: [], dtype: 'float' }], args })),
  ),
  numRuns: 12,
  // PyTorch: pieces of ceil(n / chunks) (so possibly fewer than `chunks`); an empty dim gives `chunks` empty pieces.
  reference: ([x], { chunks, dim }) => {
    const d = normDimRef(dim, x!.shape.length);
    const n = x!.shape[d]!;
    if (n === 0) return piecesRef(x!, d, new Array<number>(chunks).fill(0));
    const size = Math.ceil(n / chunks);
    const sizes: number[] = [];
    for (let at = 0; at < n; at += size) sizes.push(Math.min(size, n - at));
    return piecesRef(x!, d, sizes);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [err('zero chunks', () => T.zeros([4]).chunk(0), ValueError, /^chunk: chunks must be a positive integer, got 0/)],
});

const unbindEntry = opInfo<{ dim: number }>({
  name: 'unbind',
  op: ([x], { dim }) => T.unbind(x!, dim),
  sample: oneInput((shape) => fc.record({ dim: oneDimArb(shape.length) }), { minDims: 1 }),
  reference: ([x], { dim }) => {
    const d = normDimRef(dim, x!.shape.length);
    return Array.from({ length: x!.shape[d]! }, (_, i) => selectAlong(x!, d, [i], false));
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [err('a dim out of range', () => T.zeros([2]).unbind(1), IndexError, /^unbind: dim 1 out of range/)],
});

/** Concatenation along `d` of refs whose shapes agree elsewhere. */
function catRef(xs: Ref[], d: number): Ref {
  const shape = xs[0]!.shape.slice();
  shape[d] = xs.reduce((s, x) => s + x.shape[d]!, 0);
  const out = new Float64Array(numel(shape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    let k = 0;
    let j = idx[d]!;
    while (j >= xs[k]!.shape[d]!) j -= xs[k++]!.shape[d]!;
    const x = xs[k]!;
    let flat = 0;
    idx.forEach((v, dd) => (flat = flat * x.shape[dd]! + (dd === d ? j : v)));
    out[i] = x.data[flat]!;
  }
  return ref(shape, out, xs[0]!.dtype);
}

const catEntry = opInfo<{ dim: number }>({
  name: 'cat',
  op: (xs, { dim }) => T.cat(xs, dim),
  sample: shapeArb({ minDims: 1 }).chain((shape) =>
    oneDimArb(shape.length).chain((dim) =>
      fc.record({
        inputs: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }).chain((sizes) =>
          fc.tuple(
            ...sizes.map((s) =>
              floatInput(
                shape.map((v, i) => (i === normDimRef(dim, shape.length) ? s : v)),
                REAL,
              ),
            ),
          ),
        ),
        args: fc.constant({ dim }),
      }),
    ),
  ),
  reference: (xs, { dim }) => catRef(xs, normDimRef(dim, xs[0]!.shape.length)),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'mismatched sizes',
      () => T.cat([T.zeros([2, 3]), T.zeros([2, 4])], 0),
      ShapeError,
      /^cat: sizes must match except in dim 0: got \[2, 3\] and \[2, 4\]/,
    ),
    err('an empty list', () => T.cat([]), ValueError, /^cat: expected a non-empty list/),
    err('0-d tensors', () => T.cat([T.zeros([]), T.zeros([])]), ShapeError, /^cat: zero-dimensional tensors cannot be concatenated/),
  ],
});

const stackEntry = opInfo<{ dim: number }>({
  name: 'stack',
  op: (xs, { dim }) => T.stack(xs, dim),
  sample: shapeArb().chain((shape) =>
    fc.record({
      inputs: fc.integer({ min: 1, max: 3 }).chain((k) => fc.tuple(...Array.from({ length: k }, () => floatInput(shape, REAL)))),
      args: fc.record({ dim: fc.integer({ min: -shape.length - 1, max: shape.length }) }),
    }),
  ),
  reference: (xs, { dim }) => {
    const nd = xs[0]!.shape.length;
    const d = dim < 0 ? dim + nd + 1 : dim;
    return catRef(
      xs.map((x) => {
        const s = x.shape.slice();
        s.splice(d, 0, 1);
        return reshaped(x, s);
      }),
      d,
    );
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'different shapes',
      () => T.stack([T.zeros([2, 3]), T.zeros([2, 4])]),
      ShapeError,
      /^stack: all tensors must have the same shape: got \[2, 3\] and \[2, 4\]/,
    ),
  ],
});

/** sliceScatter(g, shape, slice): zeros of `shape` with g written at the slice (slice's backward). */
const sliceScatterEntry = opInfo<{ shape: number[]; dim: number; start: number; end: number; step: number }>({
  name: 'sliceScatter',
  op: ([g], a) => sliceScatter(g!, a.shape, { dim: a.dim, start: a.start, end: a.end, step: a.step }),
  sample: shapeArb({ minDims: 1 }).chain((shape) =>
    fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
      fc.record({ start: fc.integer({ min: 0, max: shape[dim]! }), step: fc.integer({ min: 1, max: 3 }) }).chain(({ start, step }) =>
        fc.integer({ min: start, max: shape[dim]! }).chain((end) => {
          const count = Math.ceil((end - start) / step);
          return fc.record({
            inputs: fc.tuple(
              floatInput(
                shape.map((s, i) => (i === dim ? count : s)),
                REAL,
              ),
            ),
            args: fc.constant({ shape, dim, start, end, step }),
          });
        }),
      ),
    ),
  ),
  reference: ([g], a) => {
    const out = new Float64Array(numel(a.shape));
    for (let i = 0; i < numel(g!.shape); i++) {
      const idx = unravel(i, g!.shape);
      idx[a.dim] = a.start + idx[a.dim]! * a.step;
      let flat = 0;
      idx.forEach((v, d) => (flat = flat * a.shape[d]! + v));
      out[flat] = g!.data[i]!;
    }
    return ref(a.shape, out, g!.dtype);
  },
  differentiable: true,
  twiceDifferentiable: true,
});

/** The view and copy family. @internal */
export const shapeEntries: AnyOpInfo[] = [
  viewEntry,
  reshapeEntry,
  flattenEntry,
  squeezeEntry,
  unsqueezeEntry,
  permuteEntry,
  transposeEntry,
  tEntry,
  mtEntry,
  expandEntry,
  sliceEntry,
  narrowEntry,
  selectEntry,
  copyEntry('contiguous'),
  copyEntry('clone'),
  splitEntry,
  chunkEntry,
  unbindEntry,
  catEntry,
  stackEntry,
  sliceScatterEntry,
];
