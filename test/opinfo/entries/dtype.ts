/**
 * OpInfo entry of the dtype conversions: toDType and the methods to/float/double/int/bool.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import type { DType } from '../../../src/autograd/dtype.js';
import { DTypeError } from '../../../src/autograd/errors.js';
import { boolInput, shapeArb } from '../arb.js';
import { castValue, mapN, numel } from '../ref.js';
import { opInfo, type AnyOpInfo, type InputSpec } from '../types.js';

/** How the conversion is called: the function, `x.to(dtype)`, or the shorthand method. @internal */
export type CastForm = 'fn' | 'to' | 'short';

const SHORT = { float32: 'float', float64: 'double', int32: 'int', bool: 'bool' } as const;

/** Values that show truncation toward zero, signed zero and non-integers. */
const CAST_VALUES = [-2.75, -1.5, -0.25, 0, 0.5, 1, 1.999, 3.25, 100.5];

function castInput(shape: number[], dtype: 'float' | DType): fc.Arbitrary<InputSpec> {
  if (dtype === 'bool') return boolInput(shape);
  const n = numel(shape);
  const values = dtype === 'int32' ? fc.integer({ min: -50, max: 50 }) : fc.constantFrom(...CAST_VALUES);
  return fc.array(values, { minLength: n, maxLength: n }).map((data) => ({ shape, data, dtype }));
}

/** The dtype conversion family. @internal */
export const dtypeEntries: AnyOpInfo[] = [
  opInfo<{ dtype: DType; form: CastForm }>({
    name: 'toDType',
    op: ([x], { dtype, form }) => (form === 'fn' ? T.toDType(x!, dtype) : form === 'to' ? x!.to(dtype) : x![SHORT[dtype]]()),
    sample: fc
      .record({
        shape: shapeArb(),
        from: fc.constantFrom<'float' | DType>('float', 'float', 'int32', 'bool'),
        dtype: fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool'),
        form: fc.constantFrom<CastForm>('fn', 'to', 'short'),
      })
      .chain(({ shape, from, dtype, form }) => fc.record({ inputs: fc.tuple(castInput(shape, from)), args: fc.constant({ dtype, form }) })),
    reference: ([x], { dtype }) => mapN([x!], (v) => castValue(v, dtype), dtype),
    differentiable: true,
    twiceDifferentiable: true,
    // The cast to float32 rounds, so central differences need a wider step.
    gradcheck: { eps: 1e-3, atol: 1e-3, rtol: 1e-3 },
    errorInputs: [
      {
        name: 'an unknown dtype',
        call: () => T.toDType(T.zeros([2]), 'int64' as DType),
        error: DTypeError,
        message: /^to: unknown dtype 'int64'; expected one of float32, float64, int32, bool/,
      },
    ],
  }),
];
