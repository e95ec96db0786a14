/**
 * OpInfo entries of the in-place fills without an out-of-place twin: zero_, fill_, copy_, and the
 * random fills uniform_ and normal_ (checked by a property and against a seeded generator, not a
 * reference). add_, sub_, mul_, div_ and clamp_ are the `inplace` of the add, sub, mul, div and
 * clamp entries.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import type { DType } from '../../../src/autograd/dtype.js';
import { AutogradError, DTypeError } from '../../../src/autograd/errors.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { broadcastShapesArb, inputOf, REAL, shapeArb } from '../arb.js';
import { broadcastIndex, castValue, mapN, numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo } from '../types.js';

const DTYPES = fc.constantFrom<'float' | DType>('float', 'float', 'float', 'int32', 'bool');

function fail(msg: string): never {
  throw new Error(msg);
}

/** Checks what every random fill must hold: same shape and dtype as x, and `ok` for each value. */
function checkFill(name: string, out: Tensor, x: Tensor, ok: (v: number) => boolean): void {
  if (out.dtype !== x.dtype) fail(`${name}: dtype ${out.dtype}, expected ${x.dtype}`);
  if (out.shape.join() !== x.shape.join()) fail(`${name}: shape [${out.shape.join(', ')}], expected [${x.shape.join(', ')}]`);
  const data = out.dataSync();
  for (let i = 0; i < data.length; i++) if (!ok(data[i]!)) fail(`${name}: element ${i} is ${data[i]}`);
}

const leafError = (name: string, call: (x: Tensor) => unknown) => ({
  name: 'a leaf that requires grad',
  call: () => call(T.zeros([2], { requiresGrad: true })),
  error: AutogradError,
  message: new RegExp(`^${name}: a leaf tensor that requires grad cannot be modified in place`),
});

/** The in-place fill family. @internal */
export const inplaceEntries: AnyOpInfo[] = [
  opInfo<null>({
    name: 'Tensor.zero_',
    op: ([x]) => x!.clone().zero_(),
    sample: fc
      .record({ shape: shapeArb(), dtype: DTYPES })
      .chain(({ shape, dtype }) => fc.record({ inputs: fc.tuple(inputOf(shape, dtype)), args: fc.constant(null) })),
    reference: ([x]) => ref(x!.shape, new Float64Array(numel(x!.shape)), x!.dtype),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [leafError('fill_', (x) => x.zero_())],
  }),
  opInfo<{ value: number }>({
    name: 'Tensor.fill_',
    op: ([x], { value }) => x!.clone().fill_(value),
    sample: fc
      .record({ shape: shapeArb(), dtype: DTYPES, value: fc.constantFrom(0, 1, -2.5, 3.75, 7) })
      .chain(({ shape, dtype, value }) => fc.record({ inputs: fc.tuple(inputOf(shape, dtype)), args: fc.constant({ value }) })),
    reference: ([x], { value }) => mapN([x!], () => castValue(value, x!.dtype!), x!.dtype),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [leafError('fill_', (x) => x.fill_(1))],
  }),
  opInfo<{ value: number | null }>({
    name: 'Tensor.copy_',
    op: ([x, src], { value }) => x!.clone().copy_(value ?? src!),
    // src broadcasts to x's shape and may have another dtype (converted on the way in).
    sample: fc
      .record({
        shapes: broadcastShapesArb(2, { firstIsFull: true }),
        dtypes: fc.tuple(DTYPES, DTYPES),
        num: fc.constantFrom(false, false, true),
      })
      .chain(({ shapes, dtypes, num }) =>
        fc.record({
          inputs: num
            ? fc.tuple(inputOf(shapes[0]!, dtypes[0]))
            : fc.tuple(inputOf(shapes[0]!, dtypes[0]), inputOf(shapes[1]!, dtypes[1], REAL)),
          args: num ? fc.constantFrom(-1.5, 0, 2).map((value) => ({ value })) : fc.constant({ value: null }),
        }),
      ),
    reference: ([x, src], { value }) => {
      const out = new Float64Array(numel(x!.shape));
      for (let i = 0; i < out.length; i++) {
        const v = src ? src.data[broadcastIndex(unravel(i, x!.shape), src.shape)]! : value!;
        out[i] = castValue(v, x!.dtype!);
      }
      return ref(x!.shape, out, x!.dtype);
    },
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [leafError('copy_', (x) => x.copy_(T.ones([2])))],
  }),
  opInfo<{ low: number; high: number; seed: number }>({
    name: 'Tensor.uniform_',
    op: ([x], { low, high, seed }) => x!.clone().uniform_(low, high, { generator: new T.Generator(seed) }),
    sample: fc
      .record({
        shape: shapeArb(),
        dtype: fc.constantFrom<'float' | DType>('float'),
        low: fc.constantFrom(0, -2),
        width: fc.constantFrom(1, 0.5, 4),
        seed: fc.nat(1000),
      })
      .chain(({ shape, dtype, low, width, seed }) =>
        fc.record({ inputs: fc.tuple(inputOf(shape, dtype)), args: fc.constant({ low, high: low + width, seed }) }),
      ),
    reference: null,
    check: (out, [x], { low, high }) => checkFill('uniform_', out, x!, (v) => v >= low && v < high),
    differentiable: false,
    twiceDifferentiable: false,
    errorInputs: [
      leafError('uniform_', (x) => x.uniform_()),
      {
        name: 'an int32 tensor',
        call: () => T.zeros([2], { dtype: 'int32' }).uniform_(),
        error: DTypeError,
        message: /^uniform_: needs a floating point tensor, got int32/,
      },
    ],
  }),
  opInfo<{ mean: number; std: number; seed: number }>({
    name: 'Tensor.normal_',
    op: ([x], { mean, std, seed }) => x!.clone().normal_(mean, std, { generator: new T.Generator(seed) }),
    sample: fc
      .record({ shape: shapeArb(), mean: fc.constantFrom(0, 3), std: fc.constantFrom(1, 0.1), seed: fc.nat(1000) })
      .chain(({ shape, mean, std, seed }) =>
        fc.record({ inputs: fc.tuple(inputOf(shape, 'float')), args: fc.constant({ mean, std, seed }) }),
      ),
    reference: null,
    // A standard normal sample beyond 8 sigma has probability ~1e-15.
    check: (out, [x], { mean, std }) => checkFill('normal_', out, x!, (v) => Number.isFinite(v) && Math.abs(v - mean) < 8 * std),
    differentiable: false,
    twiceDifferentiable: false,
    errorInputs: [
      leafError('normal_', (x) => x.normal_()),
      {
        name: 'a bool tensor',
        call: () => T.zeros([2], { dtype: 'bool' }).normal_(),
        error: DTypeError,
        message: /^normal_: needs a floating point tensor, got bool/,
      },
    ],
  }),
];
