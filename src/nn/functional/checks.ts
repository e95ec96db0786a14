/**
 * Input checks shared by the functions of `nn.functional`: a float tensor where the op computes in
 * floating point.
 * @module
 */
import { isFloat } from '../../autograd/dtype.js';
import { DTypeError, ValueError } from '../../autograd/errors.js';
import { Tensor } from '../../autograd/tensor.js';

/** Throws a DTypeError unless `x` is a float tensor. @internal */
export function checkFloat(op: string, x: Tensor, what = 'input'): void {
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: ${what} must be float32 or float64, got ${x.dtype}`);
}

/** Checks that `x` is a floating-point Tensor. @internal */
export function floatInput(op: string, x: unknown, what = 'input'): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  checkFloat(op, x, what);
  return x;
}
