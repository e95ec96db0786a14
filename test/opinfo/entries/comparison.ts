/**
 * OpInfo entries of the comparisons and logical ops (eq, ne, lt, le, gt, ge, logicalAnd,
 * logicalNot, isnan, isfinite), and of the selections where and maskedFill.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import type { DType } from '../../../src/autograd/dtype.js';
import { DTypeError, ShapeError } from '../../../src/autograd/errors.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { boolInput, broadcastShapesArb, floatInput, inputOf, numberArb, REAL, shapeArb } from '../arb.js';
import { mapN, numel, resultTypeRef, scalarRef } from '../ref.js';
import { opInfo, type AnyOpInfo, type InputSpec, type Ref, type Sample } from '../types.js';
import { operands, type BinaryArgs } from './elementwise.js';

/** Values on a small grid, so that equal elements (ties) are common; NaN is nonzero (true) but equal to nothing. */
const GRID = [-2, -1, -0.5, 0, 0.5, 1, 2, NaN];

function gridInput(shape: number[], dtype: 'float' | DType): fc.Arbitrary<InputSpec> {
  if (dtype === 'bool') return boolInput(shape);
  const n = numel(shape);
  const values = dtype === 'int32' ? [-2, -1, 0, 1, 2] : GRID;
  return fc.array(fc.constantFrom(...values), { minLength: n, maxLength: n }).map((data) => ({ shape, data, dtype }));
}

const DTYPES = fc.constantFrom<'float' | DType>('float', 'float', 'int32', 'bool');

/** Comparison samples: grid values of mixed dtypes with broadcasting, sometimes a JS number. */
function comparisonSample(): fc.Arbitrary<Sample<BinaryArgs>> {
  return fc
    .record({
      shapes: broadcastShapesArb(2),
      dtypes: fc.tuple(DTYPES, DTYPES),
      side: fc.constantFrom<0 | 1 | null>(null, null, 0, 1),
      method: fc.boolean(),
    })
    .chain(({ shapes, dtypes, side, method }) =>
      fc.record({
        inputs: fc.tuple(gridInput(shapes[0]!, dtypes[0]), gridInput(shapes[1]!, dtypes[1])),
        value: fc.constantFrom(...GRID.filter((v) => !Number.isNaN(v))),
        side: fc.constant(side),
        method: fc.constant(side === 0 ? false : method),
      }),
    )
    .map(({ inputs, value, side, method }) => ({
      inputs: side === null ? inputs : [inputs[1 - side]!],
      args: { method, scalar: side === null ? null : { side, value } },
    }));
}

type CmpName = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

function comparison(name: CmpName, f: (a: number, b: number) => boolean): AnyOpInfo {
  return opInfo<BinaryArgs>({
    name,
    op: (inputs, args) => {
      const [a, b] = operands(inputs, args.scalar);
      return args.method ? (a as Tensor)[name](b!) : T[name](a!, b!);
    },
    sample: comparisonSample(),
    reference: (inputs, args) => {
      const [a, b] = operands(inputs, args.scalar).map((x) => (typeof x === 'number' ? scalarRef(x) : x)) as [Ref, Ref];
      return mapN([a, b], (x, y) => Number(f(x, y)), 'bool');
    },
    differentiable: false,
    twiceDifferentiable: false,
    errorInputs: [
      {
        name: 'shapes that do not broadcast',
        call: () => T[name](T.zeros([3]), T.zeros([2])),
        error: ShapeError,
        message: new RegExp(`^${name}: shapes \\[3\\] and \\[2\\] cannot be broadcast`),
      },
    ],
  });
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1.5, -2, 3e38];

interface MethodArgs {
  method: boolean;
}

/** The comparison and selection family. @internal */
export const comparisonEntries: AnyOpInfo[] = [
  comparison('eq', (a, b) => a === b),
  comparison('ne', (a, b) => a !== b),
  comparison('lt', (a, b) => a < b),
  comparison('le', (a, b) => a <= b),
  comparison('gt', (a, b) => a > b),
  comparison('ge', (a, b) => a >= b),
  opInfo<null>({
    name: 'logicalAnd',
    op: ([a, b]) => T.logicalAnd(a!, b!),
    sample: fc
      .record({ shapes: broadcastShapesArb(2), dtypes: fc.tuple(DTYPES, DTYPES) })
      .chain(({ shapes, dtypes }) =>
        fc.record({ inputs: fc.tuple(gridInput(shapes[0]!, dtypes[0]), gridInput(shapes[1]!, dtypes[1])), args: fc.constant(null) }),
      ),
    reference: ([a, b]) => mapN([a!, b!], (x, y) => Number(x !== 0 && y !== 0), 'bool'),
    errorInputs: [
      {
        name: 'shapes that do not broadcast',
        call: () => T.logicalAnd(T.zeros([2]), T.zeros([3])),
        error: ShapeError,
        message: /shapes \[2\] and \[3\] cannot be broadcast/,
      },
    ],
    differentiable: false,
    twiceDifferentiable: false,
  }),
  opInfo<MethodArgs>({
    name: 'logicalNot',
    op: ([x], { method }) => (method ? x!.logicalNot() : T.logicalNot(x!)),
    sample: fc
      .record({ shape: shapeArb(), dtype: DTYPES, method: fc.boolean() })
      .chain(({ shape, dtype, method }) => fc.record({ inputs: fc.tuple(gridInput(shape, dtype)), args: fc.constant({ method }) })),
    reference: ([x]) => mapN([x!], (v) => Number(v === 0), 'bool'),
    differentiable: false,
    twiceDifferentiable: false,
  }),
  ...(['isnan', 'isfinite'] as const).map((name) =>
    opInfo<MethodArgs>({
      name,
      op: ([x], { method }) => (method ? x![name]() : T[name](x!)),
      sample: fc.record({ shape: shapeArb(), method: fc.boolean(), int: fc.boolean() }).chain(({ shape, method, int }) =>
        fc.record({
          inputs: fc.tuple(
            int
              ? inputOf(shape, 'int32')
              : fc
                  .array(fc.constantFrom(...SPECIAL), { minLength: numel(shape), maxLength: numel(shape) })
                  .map((data): InputSpec => ({ shape, data, dtype: 'float' })),
          ),
          args: fc.constant({ method }),
        }),
      ),
      reference: ([x]) => mapN([x!], (v) => Number(name === 'isnan' ? Number.isNaN(v) : Number.isFinite(v)), 'bool'),
      differentiable: false,
      twiceDifferentiable: false,
    }),
  ),
  opInfo<{ method: boolean; a: number | null; b: number | null }>({
    name: 'where',
    op: (inputs, { method, a, b }) => {
      let k = 1;
      const ta = a ?? inputs[k++]!;
      const tb = b ?? inputs[k++]!;
      return method && ta instanceof T.Tensor ? ta.where(inputs[0]!, tb) : T.where(inputs[0]!, ta, tb);
    },
    sample: fc
      .record({
        shapes: broadcastShapesArb(3),
        numA: fc.constantFrom(false, false, true),
        numB: fc.constantFrom(false, false, true),
        method: fc.boolean(),
      })
      .chain(({ shapes, numA, numB, method }) =>
        fc.record({
          cond: boolInput(shapes[0]!),
          a: floatInput(shapes[1]!, REAL),
          b: floatInput(shapes[2]!, REAL),
          na: numA ? numberArb(REAL) : fc.constant(null),
          nb: numB ? numberArb(REAL) : fc.constant(null),
          method: fc.constant(method),
        }),
      )
      .map(({ cond, a, b, na, nb, method }) => ({
        inputs: [cond, ...(na === null ? [a] : []), ...(nb === null ? [b] : [])],
        args: { method, a: na, b: nb },
      })),
    reference: (inputs, { a, b }) => {
      let k = 1;
      const ra: Ref | number = a ?? inputs[k++]!;
      const rb: Ref | number = b ?? inputs[k++]!;
      const dtype = resultTypeRef([ra, rb]);
      const asRef = (x: Ref | number): Ref => (typeof x === 'number' ? scalarRef(x) : x);
      return mapN([inputs[0]!, asRef(ra), asRef(rb)], (c, x, y) => (c ? x : y), dtype);
    },
    differentiable: [false, true, true],
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'a float condition',
        call: () => T.where(T.zeros([2]), T.zeros([2]), 1),
        error: DTypeError,
        message: /^where: the condition must be a bool tensor, got float32/,
      },
      {
        name: 'shapes that do not broadcast',
        call: () => T.where(T.zeros([2]).gt(0), T.zeros([3]), 1),
        error: ShapeError,
        message: /^where: shapes \[2\] and \[3\] cannot be broadcast/,
      },
    ],
  }),
  opInfo<{ method: boolean; value: number | null }>({
    name: 'maskedFill',
    op: ([x, mask, v], { method, value }) => (method ? x!.maskedFill(mask!, value ?? v!) : T.maskedFill(x!, mask!, value ?? v!)),
    // The mask broadcasts to x's shape; the value is a JS number or a 0-d tensor.
    sample: fc
      .record({ shapes: broadcastShapesArb(2, { firstIsFull: true }), num: fc.boolean(), method: fc.boolean() })
      .chain(({ shapes, num, method }) =>
        fc.record({
          x: floatInput(shapes[0]!, REAL),
          mask: boolInput(shapes[1]!),
          v: floatInput([], REAL),
          n: num ? numberArb(REAL) : fc.constant(null),
          method: fc.constant(method),
        }),
      )
      .map(({ x, mask, v, n, method }) => ({ inputs: n === null ? [x, mask, v] : [x, mask], args: { method, value: n } })),
    reference: ([x, mask, v], { value }) => mapN([x!, mask!, v ?? scalarRef(value!)], (a, m, b) => (m ? b : a), x!.dtype),
    inplace: ([x, mask, v], { value }) => x!.maskedFill_(mask!, value ?? v!),
    differentiable: [true, false, true],
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'a float mask',
        call: () => T.maskedFill(T.zeros([2]), T.zeros([2]), 1),
        error: DTypeError,
        message: /^maskedFill: .*bool.*float32/,
      },
      {
        name: 'a mask that does not broadcast',
        call: () => T.maskedFill(T.zeros([2]), T.zeros([3]).gt(0), 1),
        error: ShapeError,
        message: /^maskedFill: shapes \[2\] and \[3\] cannot be broadcast/,
      },
    ],
  }),
];
