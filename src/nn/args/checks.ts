/**
 * Value checks shared by nn's signatures: sizes, probabilities, dtypes, generators and tensors.
 * @module
 */
import {
  arrayOf,
  bool,
  checkNumber,
  describe,
  either,
  instance,
  num,
  numOrTuple,
  nullable,
  oneOf,
  type Check,
} from '../../autograd/args.js';
import type { FloatDType } from '../../autograd/dtype.js';
import { ArgumentTypeError, DTypeError, NotImplementedError } from '../../autograd/errors.js';
import { Generator } from '../../autograd/random.js';
import { Tensor } from '../../autograd/tensor.js';

/** A count of features or rows: an integer >= 0. @internal */
export const count = num({ integer: true, min: 0 });

/** A positive integer (channels, groups, layers, heads). @internal */
export const positiveInt = num({ integer: true, min: 1 });

/** Any integer (a dim, an index). @internal */
export const integer = num({ integer: true });

/** A finite number. @internal */
export const finite = num();

/** A number >= 0. @internal */
export const nonNegative = num({ min: 0 });

/** A probability in [0, 1]. @internal */
export const probability = num({ min: 0, max: 1 });

/** A boolean. @internal */
export { bool };

/** A kernel size, stride or dilation: an integer >= 1 or a pair of them. @internal */
export const size2 = numOrTuple(2, { integer: true, min: 1 });

/** A padding: an integer >= 0 or a pair of them. @internal */
export const pad2 = numOrTuple(2, { integer: true, min: 0 });

/** A 1-d size: an integer >= 1 (or a one-item array, as PyTorch's `(3,)`). @internal */
export const size1: Check<number> = (op, key, v) =>
  Array.isArray(v) && v.length === 1
    ? checkNumber(op, key, v[0], { integer: true, min: 1 })
    : checkNumber(op, key, v, { integer: true, min: 1 });

/** A 1-d padding: an integer >= 0 (or a one-item array). @internal */
const pad1: Check<number> = (op, key, v) =>
  Array.isArray(v) && v.length === 1
    ? checkNumber(op, key, v[0], { integer: true, min: 0 })
    : checkNumber(op, key, v, { integer: true, min: 0 });

/** A convolution's padding: a size or pair, `'same'` or `'valid'`. @internal */
export const convPadding2 = either(oneOf(['same', 'valid'] as const), pad2, "an integer >= 0, a pair of them, 'same' or 'valid'");

/** A 1-d convolution's padding: an integer, `'same'` or `'valid'`. @internal */
export const convPadding1 = either(oneOf(['same', 'valid'] as const), pad1, "an integer >= 0, 'same' or 'valid'");

/** A shape: a positive integer or a non-empty array of them. @internal */
export const shape: Check<number | number[]> = (op, key, v) =>
  Array.isArray(v) ? arrayOf(positiveInt)(op, key, v) : positiveInt(op, key, v);

/** A floating-point parameter dtype: `'float32'` or `'float64'` (DTypeError otherwise). @internal */
export const paramDType: Check<FloatDType> = (op, key, v) => {
  if (v === 'float32' || v === 'float64') return v;
  if (typeof v === 'string') throw new DTypeError(`${op}: parameters must be float32 or float64, got ${v}`);
  throw new ArgumentTypeError(`${op}: ${key} must be 'float32' or 'float64', got ${describe(v)}`);
};

/** A random generator. @internal */
export const generator: Check<Generator> = instance(Generator, 'Generator');

/** A Tensor. @internal */
export const tensor: Check<Tensor> = instance(Tensor, 'Tensor');

/** A Tensor or null. @internal */
export const tensorOrNull = nullable(tensor);

/** A loss reduction. @internal */
export const reduction = oneOf(['mean', 'sum', 'none'] as const);

/** KLDiv's reduction, which also has `'batchmean'`. @internal */
export const klReduction = oneOf(['mean', 'sum', 'none', 'batchmean'] as const);

/** A number or null. @internal */
export const finiteOrNull = nullable(finite);

/**
 * PyTorch's `device` of a layer's parameters: tapegrad runs on the CPU, so `'cpu'` (or null) is
 * honoured as given and any other device throws NotImplementedError.
 * @internal
 */
export const device: Check<'cpu' | null> = (op, key, v) => {
  if (v === null || v === 'cpu') return v;
  if (typeof v === 'string')
    throw new NotImplementedError(`${op}: ${key} '${v.slice(0, 40)}' is not available: tapegrad runs on the CPU only ('cpu' is accepted)`);
  throw new ArgumentTypeError(`${op}: ${key} must be a device string such as 'cpu', got ${describe(v)}`);
};
