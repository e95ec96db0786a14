/**
 * OpInfo entries of the elementwise math ops: unary functions and binary arithmetic
 * (add, sub, mul, div, pow, maximum, minimum), with broadcasting, JS-number operands on either
 * side, int32 inputs, and both the function and the method form.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import type { DType } from '../../../src/autograd/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../../../src/autograd/errors.js';
import type { Tensor } from '../../../src/autograd/tensor.js';
import { broadcastShapesArb, inputOf, intArb, noTies, NONZERO, numberArb, POSITIVE, REAL, shapeArb, type Domain } from '../arb.js';
import { erfRef, floatOf, mapN, resultTypeRef } from '../ref.js';
import { opInfo, type AnyOpInfo, type ErrorInput, type InputSpec, type Ref, type Sample } from '../types.js';

type UnaryName =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'erf'
  | 'relu';

/** Arguments of a unary sample: call the method (`x.exp()`) or the function (`exp(x)`). @internal */
export interface UnaryArgs {
  method: boolean;
}

/** Float (mostly) or int32 input of a small shape in `domain`, for unary ops. @internal */
export function unaryInputs(domain: Domain, ints = true): fc.Arbitrary<InputSpec> {
  return shapeArb().chain((shape) =>
    fc.oneof(
      { arbitrary: inputOf(shape, 'float', domain), weight: 5 },
      { arbitrary: inputOf(shape, ints ? 'int32' : 'float', domain), weight: 1 },
    ),
  );
}

const notATensor: (op: string) => ErrorInput = (op) => ({
  name: 'an array instead of a tensor',
  call: () => (T as unknown as Record<string, (x: unknown) => unknown>)[op]!([1, 2]),
  error: ValueError,
  message: new RegExp(`^${op}: expected a Tensor, got an array`),
});

function unary(
  name: UnaryName,
  f: (x: number) => number,
  domain: Domain,
  options: { toFloat: boolean; twice?: boolean; diff?: boolean; ints?: boolean } = { toFloat: true },
): AnyOpInfo {
  const fn = T[name];
  return opInfo<UnaryArgs>({
    name,
    op: ([x], { method }) => (method ? x![name].call(x!) : fn(x!)),
    sample: fc.record({ inputs: fc.tuple(unaryInputs(domain, options.ints ?? true)), args: fc.record({ method: fc.boolean() }) }),
    reference: ([x]) => mapN([x!], f, options.toFloat ? floatOf(x!.dtype!) : x!.dtype),
    differentiable: options.diff ?? true,
    twiceDifferentiable: options.twice ?? true,
    ...(name === 'relu' || name === 'sigmoid' || name === 'tanh' ? { inplace: ([x]: Tensor[]) => x![`${name}_`]() } : {}),
    errorInputs: [
      notATensor(name),
      ...(name === 'neg'
        ? [
            {
              name: 'a bool tensor',
              call: () => T.neg(T.tensor([true])),
              error: DTypeError,
              message: /^neg: negating a bool tensor is not supported/,
            },
          ]
        : []),
    ],
  });
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Unary math entries. @internal */
export const unaryEntries: AnyOpInfo[] = [
  unary('neg', (x) => -x, REAL, { toFloat: false }),
  unary('abs', Math.abs, NONZERO, { toFloat: false }),
  unary('sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), NONZERO, { toFloat: false }),
  unary('exp', Math.exp, REAL),
  unary('log', Math.log, POSITIVE),
  unary('log1p', Math.log1p, { min: -0.9, max: 3 }),
  unary('expm1', Math.expm1, REAL),
  unary('sqrt', Math.sqrt, POSITIVE),
  unary('rsqrt', (x) => 1 / Math.sqrt(x), POSITIVE),
  unary('reciprocal', (x) => 1 / x, { min: -3, max: 3, avoid: [0], margin: 0.2 }),
  unary('sin', Math.sin, REAL),
  unary('cos', Math.cos, REAL),
  unary('tanh', Math.tanh, REAL),
  unary('sigmoid', sigmoid, { min: -6, max: 6 }),
  unary('erf', erfRef, REAL),
  unary('relu', (x) => (Number.isNaN(x) ? x : x > 0 ? x : 0), NONZERO, { toFloat: false }),
];

/** A JS-number operand replacing input `side` of a binary op. @internal */
export interface ScalarOperand {
  side: 0 | 1;
  value: number;
}

/** Arguments of a binary sample. @internal */
export interface BinaryArgs {
  method: boolean;
  scalar: ScalarOperand | null;
  alpha?: number;
}

/** The two operands of a binary sample: tensors, with the JS number put back in its place. @internal */
export function operands<X>(inputs: X[], scalar: ScalarOperand | null): (X | number)[] {
  if (scalar === null) return [inputs[0]!, inputs[1]!];
  return scalar.side === 0 ? [scalar.value, inputs[0]!] : [inputs[0]!, scalar.value];
}

/**
 * Samples of a binary op: broadcasting float (sometimes int32) tensors in the two domains, and
 * sometimes a JS number (float or integer) in place of one side.
 * @internal
 */
export function binarySample(
  da: Domain,
  db: Domain,
  options: { ints?: boolean; bools?: boolean; alpha?: boolean; numbers?: fc.Arbitrary<number>[]; ties?: boolean } = {},
): fc.Arbitrary<Sample<BinaryArgs>> {
  // Mostly the working float dtype; sometimes int32 or bool, or a float32 pinned next to float64.
  const dtype =
    options.ints === false
      ? fc.constant('float' as const)
      : fc.constantFrom<'float' | DType>(
          'float',
          'float',
          'float',
          'float',
          'int32',
          'float32',
          ...(options.bools ? (['bool'] as const) : []),
        );
  const num = (d: Domain, k: number): fc.Arbitrary<number> => options.numbers?.[k] ?? fc.oneof(numberArb(d), intArb(d));
  const base = fc
    .record({
      shapes: broadcastShapesArb(2),
      dtypes: fc.tuple(dtype, dtype),
      method: fc.boolean(),
      scalarSide: fc.constantFrom<0 | 1 | null>(null, null, 0, 1),
      alpha: options.alpha ? fc.constantFrom<number | undefined>(undefined, 2, -0.5) : fc.constant(undefined),
    })
    .chain(({ shapes, dtypes, method, scalarSide, alpha }) => {
      // Non-float operands (a JS number on one side may still be fractional: then drop alpha too).
      const ints = dtypes.some((d) => d === 'int32' || d === 'bool');
      return fc.record({
        inputs: fc.tuple(inputOf(shapes[0]!, dtypes[0], da), inputOf(shapes[1]!, dtypes[1], db)).map((ins) =>
          // A pinned float32 input cannot take part in float64 gradient checks.
          ins.map((x) => (x.dtype === 'float32' ? { ...x, requiresGrad: false } : x)),
        ),
        value: scalarSide === null ? fc.constant(0) : num(scalarSide === 0 ? da : db, scalarSide),
        method: fc.constant(scalarSide === 0 ? false : method),
        scalarSide: fc.constant(scalarSide),
        // PyTorch allows a fractional alpha only for float results, and no alpha for bool results.
        alpha: fc.constant(ints && (alpha === -0.5 || dtypes.includes('bool')) ? undefined : alpha),
      });
    })
    .map(({ inputs, value, method, scalarSide, alpha }): Sample<BinaryArgs> => {
      const args: BinaryArgs = { method, scalar: scalarSide === null ? null : { side: scalarSide, value } };
      if (alpha !== undefined) args.alpha = alpha;
      return { inputs: scalarSide === null ? inputs : [inputs[1 - scalarSide]!], args };
    });
  if (options.ties === false) {
    return base.filter(({ inputs, args }) => {
      const [a, b] = operands(inputs, args.scalar).map((x) =>
        typeof x === 'number' ? { shape: [], data: [x], dtype: 'float' as const } : x,
      );
      return noTies(a!, b!);
    });
  }
  return base;
}

type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

/** Calls a binary op in the sample's form. @internal */
function callBinary(name: BinaryName, inputs: Tensor[], args: BinaryArgs): Tensor {
  const [a, b] = operands(inputs, args.scalar);
  const opts = args.alpha === undefined ? [] : [{ alpha: args.alpha }];
  if (args.method) return (a as unknown as Record<string, (...x: unknown[]) => Tensor>)[name]!(b, ...opts);
  return (T[name] as (...x: unknown[]) => Tensor)(a, b, ...opts);
}

function refBinary(f: (a: number, b: number, args: BinaryArgs) => number, toFloat: boolean) {
  return (inputs: Ref[], args: BinaryArgs): Ref => {
    const ops = operands(inputs, args.scalar);
    const dtype = resultTypeRef(ops);
    const [ra, rb] = ops.map((x) => (typeof x === 'number' ? { shape: [], data: Float64Array.of(x) } : x)) as [Ref, Ref];
    return mapN([ra, rb], (a, b) => f(a, b, args), toFloat ? floatOf(dtype) : dtype);
  };
}

const inplaceOf =
  (method: 'add_' | 'sub_' | 'mul_' | 'div_') =>
  (inputs: Tensor[], args: BinaryArgs): Tensor | null => {
    if (args.scalar?.side === 0) return null;
    const other = args.scalar === null ? inputs[1]! : args.scalar.value;
    const self = inputs[0]!;
    return method === 'add_' || method === 'sub_'
      ? self[method](other, args.alpha === undefined ? undefined : { alpha: args.alpha })
      : self[method](other);
  };

const shapeMismatch = (op: BinaryName): ErrorInput => ({
  name: 'shapes that do not broadcast',
  call: () => (T[op] as (a: Tensor, b: Tensor) => Tensor)(T.zeros([2, 3]), T.zeros([4])),
  error: ShapeError,
  message: new RegExp(`^${op}: shapes \\[2, 3\\] and \\[4\\] cannot be broadcast: size 3 and size 4 differ at dim -1`),
});
const badOperand = (op: BinaryName): ErrorInput => ({
  name: 'an array operand',
  call: () => (T[op] as (a: Tensor, b: unknown) => Tensor)(T.zeros([2]), [1, 2]),
  error: ValueError,
  message: new RegExp(`^${op}: expected a Tensor or a number, got an array`),
});

const DIVISOR: Domain = { min: -3, max: 3, avoid: [0], margin: 0.2 };

/** Binary arithmetic entries. @internal */
export const binaryEntries: AnyOpInfo[] = [
  opInfo<BinaryArgs>({
    name: 'add',
    op: (inputs, args) => callBinary('add', inputs, args),
    sample: binarySample(REAL, REAL, { alpha: true, bools: true }),
    reference: refBinary((a, b, { alpha }) => a + (alpha ?? 1) * b, false),
    differentiable: true,
    twiceDifferentiable: true,
    inplace: inplaceOf('add_'),
    errorInputs: [
      shapeMismatch('add'),
      badOperand('add'),
      {
        name: 'an in-place float result into an int32 tensor',
        call: () => T.zeros([2], { dtype: 'int32' }).add_(0.5),
        error: DTypeError,
        message: /^add_: the result has dtype float32, which cannot be stored in place into a int32 tensor/,
      },
    ],
  }),
  opInfo<BinaryArgs>({
    name: 'sub',
    op: (inputs, args) => callBinary('sub', inputs, args),
    sample: binarySample(REAL, REAL, { alpha: true }),
    reference: refBinary((a, b, { alpha }) => a - (alpha ?? 1) * b, false),
    differentiable: true,
    twiceDifferentiable: true,
    inplace: inplaceOf('sub_'),
    errorInputs: [
      shapeMismatch('sub'),
      badOperand('sub'),
      {
        name: 'two bool tensors',
        call: () => T.sub(T.tensor([true]), T.tensor([false])),
        error: DTypeError,
        message: /^sub: subtracting two bool tensors is not supported/,
      },
    ],
  }),
  opInfo<BinaryArgs>({
    name: 'mul',
    op: (inputs, args) => callBinary('mul', inputs, args),
    sample: binarySample(REAL, REAL, { bools: true }),
    reference: refBinary((a, b) => a * b, false),
    differentiable: true,
    twiceDifferentiable: true,
    inplace: inplaceOf('mul_'),
    errorInputs: [
      shapeMismatch('mul'),
      badOperand('mul'),
      {
        name: 'an in-place int32 result into a bool tensor',
        call: () => T.ones([2], { dtype: 'bool' }).mul_(2),
        error: DTypeError,
        message: /^mul_: the result has dtype int32, which cannot be stored in place into a bool tensor/,
      },
    ],
  }),
  opInfo<BinaryArgs>({
    name: 'div',
    op: (inputs, args) => callBinary('div', inputs, args),
    sample: binarySample(REAL, DIVISOR),
    reference: refBinary((a, b) => a / b, true),
    differentiable: true,
    twiceDifferentiable: true,
    inplace: inplaceOf('div_'),
    errorInputs: [shapeMismatch('div'), badOperand('div')],
  }),
  opInfo<BinaryArgs>({
    name: 'pow',
    op: (inputs, args) => callBinary('pow', inputs, args),
    // Tensor ** tensor on positive bases (the exponent's gradient needs log a); tensor ** number
    // with integer or fractional exponents; number ** tensor.
    sample: fc.oneof(
      binarySample({ min: 0.2, max: 2.5 }, { min: -2, max: 2 }, { ints: false }).filter((s) => s.args.scalar === null),
      binarySample({ min: -2.5, max: 2.5, avoid: [0], margin: 0.2 }, REAL, {
        ints: false,
        numbers: [fc.constant(2), fc.constantFrom(0, 1, 2, 3, -1, -2)],
      }).filter((s) => s.args.scalar?.side === 1),
      binarySample(POSITIVE, REAL, { ints: false, numbers: [fc.constantFrom(0.5, 1.5, 2, 3), fc.constantFrom(0.5, 1.5, -0.5)] }).filter(
        (s) => s.args.scalar !== null,
      ),
    ),
    reference: refBinary((a, b) => Math.pow(a, b), false),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [shapeMismatch('pow'), badOperand('pow')],
  }),
  opInfo<BinaryArgs>({
    name: 'maximum',
    op: (inputs, args) => callBinary('maximum', inputs, args),
    sample: binarySample(REAL, REAL, { ties: false, bools: true }),
    reference: refBinary((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b), false),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [shapeMismatch('maximum'), badOperand('maximum')],
  }),
  opInfo<BinaryArgs>({
    name: 'minimum',
    op: (inputs, args) => callBinary('minimum', inputs, args),
    sample: binarySample(REAL, REAL, { ties: false, bools: true }),
    reference: refBinary((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b), false),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [shapeMismatch('minimum'), badOperand('minimum')],
  }),
];

/** The elementwise family. @internal */
export const elementwiseEntries: AnyOpInfo[] = [...unaryEntries, ...binaryEntries];
