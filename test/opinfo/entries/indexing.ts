/**
 * OpInfo entries of the indexing ops: indexSelect, gather, scatter (tensor and number src),
 * scatterAdd, indexAdd (duplicate indices accumulate) and maskedSelect (broadcast mask).
 * References are float64 loops over multi-indices, independent of src/.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { DTypeError, IndexError, ShapeError } from '../../../src/autograd/errors.js';
import { boolInput, broadcastShapesArb, floatInput, REAL, shapeArb } from '../arb.js';
import { broadcastIndex, broadcastShape, numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type ErrorInput, type InputSpec, type Ref } from '../types.js';
import { normDimRef, oneDimArb } from './reduce.js';

const flatOf = (idx: readonly number[], shape: readonly number[]): number => idx.reduce((f, v, d) => f * shape[d]! + v, 0);
const intSpec = (shape: number[], data: number[]): InputSpec => ({ shape, data, dtype: 'int32' });
const err = (name: string, call: () => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({
  name,
  call,
  error,
  message,
});
const int = (v: number[], shape = [v.length]): T.Tensor => T.tensor(v, { dtype: 'int32' }).reshape(shape);

/** `n` indices in [0, size) (duplicates allowed); none when size is 0. */
const indicesArb = (n: number, size: number): fc.Arbitrary<number[]> =>
  size === 0 ? fc.constant([]) : fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: n, maxLength: n });

const indexSelectEntry = opInfo<{ dim: number; method: boolean }>({
  name: 'indexSelect',
  op: ([x, i], { dim, method }) => (method ? x!.indexSelect(dim, i!) : T.indexSelect(x!, dim, i!)),
  sample: shapeArb().chain((shape) =>
    oneDimArb(shape.length).chain((dim) => {
      const size = shape.length === 0 ? 1 : shape[normDimRef(dim, shape.length)]!;
      const index = fc.oneof(
        fc.integer({ min: 0, max: 4 }).chain((n) => indicesArb(size === 0 ? 0 : n, size).map((v) => intSpec([v.length], v))),
        size === 0 ? fc.constant(intSpec([0], [])) : indicesArb(1, size).map((v) => intSpec([], v)),
      );
      return fc.record({
        inputs: fc.tuple(floatInput(shape, REAL), index),
        args: fc.record({ dim: fc.constant(dim), method: fc.boolean() }),
      });
    }),
  ),
  reference: ([x, i], { dim }) => {
    if (x!.shape.length === 0)
      return ref(
        i!.shape,
        Array.from(i!.data, () => x!.data[0]!),
        x!.dtype,
      );
    const d = normDimRef(dim, x!.shape.length);
    const shape = x!.shape.slice();
    shape[d] = i!.data.length;
    const out = new Float64Array(numel(shape));
    for (let k = 0; k < out.length; k++) {
      const idx = unravel(k, shape);
      idx[d] = i!.data[idx[d]!]!;
      out[k] = x!.data[flatOf(idx, x!.shape)]!;
    }
    return ref(shape, out, x!.dtype);
  },
  differentiable: [true, false],
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'an index out of range',
      () => T.zeros([3]).indexSelect(0, int([0, 3])),
      IndexError,
      /^indexSelect: index 3 is out of range for dim 0 of size 3/,
    ),
    err(
      'a float index',
      () => T.zeros([3]).indexSelect(0, T.tensor([0, 1])),
      DTypeError,
      /^indexSelect: index must be an int32 tensor, got float32/,
    ),
    err(
      'a 2-d index',
      () => T.zeros([3]).indexSelect(0, int([0, 1], [1, 2])),
      ShapeError,
      /^indexSelect: index must be 1-d or 0-d, got shape \[1, 2\]/,
    ),
  ],
});

/**
 * An index for gather/scatter on `shape` along `d`: at most the input's size in every other dim.
 * With `unique`, the indices of each lane along d are distinct (scatter writes are then deterministic).
 */
function gatherIndex(shape: number[], d: number, unique: boolean): fc.Arbitrary<InputSpec> {
  const size = shape[d]!;
  const dimSizes = shape.map((s, i) =>
    i === d ? (size === 0 ? fc.constant(0) : fc.integer({ min: 0, max: unique ? size : 3 })) : fc.integer({ min: 0, max: s }),
  );
  return fc.tuple(...dimSizes).chain((ishape) => {
    const lanes = numel(ishape.filter((_, i) => i !== d));
    const len = ishape[d]!;
    const lane = unique
      ? fc.shuffledSubarray(
          Array.from({ length: size }, (_, i) => i),
          { minLength: len, maxLength: len },
        )
      : indicesArb(len, size);
    return fc.array(lane, { minLength: lanes, maxLength: lanes }).map((ls) => {
      // lane l holds the indices of the positions whose other coordinates flatten to l
      const data = new Array<number>(numel(ishape));
      const other = ishape.filter((_, i) => i !== d);
      for (let k = 0; k < data.length; k++) {
        const idx = unravel(k, ishape);
        data[k] =
          ls[
            flatOf(
              idx.filter((_, i) => i !== d),
              other,
            )
          ]![idx[d]!]!;
      }
      return intSpec(ishape, data);
    });
  });
}

const gatherEntry = opInfo<{ dim: number; method: boolean }>({
  name: 'gather',
  op: ([x, i], { dim, method }) => (method ? x!.gather(dim, i!) : T.gather(x!, dim, i!)),
  sample: shapeArb({ minDims: 1 }).chain((shape) =>
    oneDimArb(shape.length).chain((dim) =>
      fc.record({
        inputs: fc.tuple(floatInput(shape, REAL), gatherIndex(shape, normDimRef(dim, shape.length), false)),
        args: fc.record({ dim: fc.constant(dim), method: fc.boolean() }),
      }),
    ),
  ),
  reference: ([x, i], { dim }) => {
    const d = normDimRef(dim, x!.shape.length);
    const out = new Float64Array(i!.data.length);
    for (let k = 0; k < out.length; k++) {
      const idx = unravel(k, i!.shape);
      idx[d] = i!.data[k]!;
      out[k] = x!.data[flatOf(idx, x!.shape)]!;
    }
    return ref(i!.shape, out, x!.dtype);
  },
  differentiable: [true, false],
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'an index out of range',
      () => T.zeros([3]).gather(0, int([5])),
      IndexError,
      /^gather: index 5 is out of range for dim 0 of size 3/,
    ),
    err(
      'an index with fewer dims',
      () => T.zeros([2, 3]).gather(1, int([0])),
      ShapeError,
      /^gather: index \[1\] must have as many dims as the input \[2, 3\]/,
    ),
  ],
});

type ScatterArgs = { dim: number; value: number | null; method: boolean };

/** self, index and (when `value` is null) src of index's shape. */
function scatterSample(unique: boolean, numberSrc: boolean) {
  return shapeArb({ minDims: 1 })
    .chain((shape) =>
      oneDimArb(shape.length).chain((dim) =>
        gatherIndex(shape, normDimRef(dim, shape.length), unique).chain((index) =>
          fc.record({
            inputs: fc.tuple(floatInput(shape, REAL), fc.constant(index), floatInput(index.shape, REAL)),
            args: fc.record({
              dim: fc.constant(dim),
              value: numberSrc ? fc.option(fc.constantFrom(-1.5, 0, 2.25), { nil: null }) : fc.constant(null),
              method: fc.boolean(),
            }),
          }),
        ),
      ),
    )
    .map((s) => (s.args.value === null ? s : { ...s, inputs: s.inputs.slice(0, 2) as typeof s.inputs }));
}

function scatterRef(add: boolean) {
  return ([x, i, src]: Ref[], { dim, value }: ScatterArgs): Ref => {
    const d = normDimRef(dim, x!.shape.length);
    const out = Float64Array.from(x!.data);
    for (let k = 0; k < i!.data.length; k++) {
      const idx = unravel(k, i!.shape);
      const v = value ?? src!.data[flatOf(idx, src!.shape)]!;
      idx[d] = i!.data[k]!;
      const at = flatOf(idx, x!.shape);
      out[at] = add ? out[at]! + v : v;
    }
    return ref(x!.shape, out, x!.dtype);
  };
}

const scatterEntry = opInfo<ScatterArgs>({
  name: 'scatter',
  op: ([x, i, src], { dim, value, method }) => {
    const s = value ?? src!;
    return method ? x!.scatter(dim, i!, s) : T.scatter(x!, dim, i!, s);
  },
  sample: scatterSample(true, true),
  reference: scatterRef(false),
  differentiable: [true, false, true],
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'an index out of range',
      () => T.zeros([3]).scatter(0, int([3]), T.ones([1])),
      IndexError,
      /^scatter: index 3 is out of range for dim 0 of size 3/,
    ),
    err(
      'src smaller than index',
      () => T.zeros([3]).scatter(0, int([0, 1]), T.ones([1])),
      ShapeError,
      /^scatter: index \[2\] is larger than src \[1\] at dim 0/,
    ),
  ],
});

const scatterAddEntry = opInfo<ScatterArgs>({
  name: 'scatterAdd',
  op: ([x, i, src], { dim, method }) => (method ? x!.scatterAdd(dim, i!, src!) : T.scatterAdd(x!, dim, i!, src!)),
  sample: scatterSample(false, false),
  reference: scatterRef(true),
  differentiable: [true, false, true],
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'an index larger than self in another dim',
      () => T.zeros([2, 1]).scatterAdd(0, int([0, 0], [1, 2]), T.ones([1, 2])),
      ShapeError,
      /^scatterAdd: index \[1, 2\] is larger than the input \[2, 1\] at dim 1/,
    ),
    err(
      'a float index',
      () => T.zeros([3]).scatterAdd(0, T.tensor([0]), T.ones([1])),
      DTypeError,
      /^scatterAdd: index must be an int32 tensor, got float32/,
    ),
  ],
});

const indexAddEntry = opInfo<{ dim: number }>({
  name: 'indexAdd',
  op: ([x, i, src], { dim }) => T.indexAdd(x!, dim, i!, src!),
  sample: shapeArb({ minDims: 1 }).chain((shape) =>
    oneDimArb(shape.length).chain((dim) => {
      const d = normDimRef(dim, shape.length);
      return fc.integer({ min: 0, max: 4 }).chain((n) =>
        indicesArb(shape[d] === 0 ? 0 : n, shape[d]!).chain((index) =>
          fc.record({
            inputs: fc.tuple(
              floatInput(shape, REAL),
              fc.constant(intSpec([index.length], index)),
              floatInput(
                shape.map((s, k) => (k === d ? index.length : s)),
                REAL,
              ),
            ),
            args: fc.constant({ dim }),
          }),
        ),
      );
    }),
  ),
  reference: ([x, i, src], { dim }) => {
    const d = normDimRef(dim, x!.shape.length);
    const out = Float64Array.from(x!.data);
    for (let k = 0; k < src!.data.length; k++) {
      const idx = unravel(k, src!.shape);
      idx[d] = i!.data[idx[d]!]!;
      out[flatOf(idx, x!.shape)]! += src!.data[k]!;
    }
    return ref(x!.shape, out, x!.dtype);
  },
  differentiable: [true, false, true],
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'src of the wrong shape',
      () => T.indexAdd(T.zeros([3, 2]), 0, int([0, 1]), T.ones([3, 2])),
      ShapeError,
      /^indexAdd: src must have shape \[2, 2\], got \[3, 2\]/,
    ),
    err(
      'an index out of range',
      () => T.indexAdd(T.zeros([3]), 0, int([4]), T.ones([1])),
      IndexError,
      /^indexAdd: index 4 is out of range for dim 0 of size 3/,
    ),
  ],
});

const maskedSelectEntry = opInfo<{ method: boolean }>({
  name: 'maskedSelect',
  op: ([x, m], { method }) => (method ? x!.maskedSelect(m!) : T.maskedSelect(x!, m!)),
  sample: broadcastShapesArb(2).chain(([xs, ms]) =>
    fc.record({ inputs: fc.tuple(floatInput(xs!, REAL), boolInput(ms!)), args: fc.record({ method: fc.boolean() }) }),
  ),
  reference: ([x, m]) => {
    const shape = broadcastShape(x!.shape, m!.shape);
    const out: number[] = [];
    for (let k = 0; k < numel(shape); k++) {
      const idx = unravel(k, shape);
      if (m!.data[broadcastIndex(idx, m!.shape)]) out.push(x!.data[broadcastIndex(idx, x!.shape)]!);
    }
    return ref([out.length], out, x!.dtype);
  },
  differentiable: [true, false],
  twiceDifferentiable: true,
  errorInputs: [
    err('a float mask', () => T.zeros([3]).maskedSelect(T.ones([3])), DTypeError, /^maskedSelect: mask must be a bool tensor, got float32/),
    err(
      'a mask that does not broadcast',
      () => T.zeros([3]).maskedSelect(T.ones([2], { dtype: 'bool' })),
      ShapeError,
      /^maskedSelect: shapes \[3\] and \[2\] cannot be broadcast/,
    ),
  ],
});

/** The indexing family. @internal */
export const indexingEntries: AnyOpInfo[] = [
  indexSelectEntry,
  gatherEntry,
  scatterEntry,
  scatterAddEntry,
  indexAddEntry,
  maskedSelectEntry,
];
