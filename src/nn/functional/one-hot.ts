/**
 * F.oneHot, like `torch.nn.functional.one_hot`.
 * @module
 */
import { checkArity, describe, num, parsePositional } from '../../autograd/args.js';
import { ArgumentTypeError, DTypeError, ValueError } from '../../autograd/errors.js';
import { Tensor } from '../../autograd/tensor.js';

const FORMS = 'F.oneHot(indices), F.oneHot(indices, numClasses) or F.oneHot(indices, { numClasses })';

/**
 * One-hot rows of the int32 `indices`: a tensor of shape `[...indices.shape, numClasses]` with a 1
 * at each index, int32 (PyTorch gives int64). `numClasses = -1` (the default) takes the largest
 * index + 1. Not differentiable, as in PyTorch.
 * @example
 * ```ts
 * F.oneHot(tensor([0, 2], { dtype: 'int32' }), 3); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(indices: Tensor, numClasses: number | { numClasses?: number } = -1): Tensor {
  if (arguments.length > 2) checkArity('F.oneHot', arguments, 2, FORMS);
  if (!(indices instanceof Tensor))
    throw new ArgumentTypeError(`F.oneHot: indices must be an int32 Tensor, got ${describe(indices)}; accepted forms: ${FORMS}`);
  if (indices.dtype !== 'int32') throw new DTypeError(`F.oneHot: indices must be an int32 tensor, got ${indices.dtype}`);
  const n =
    parsePositional(
      'F.oneHot',
      [numClasses],
      ['numClasses'],
      { numClasses: num({ integer: true, min: -1 }) },
      { forms: FORMS, snakeCase: true },
    ).numClasses ?? -1;
  const data = indices.dataSync();
  let max = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0) throw new ValueError(`F.oneHot: class values must be non-negative, got ${v}`);
    if (v > max) max = v;
  }
  if (n === -1 && data.length === 0) throw new ValueError('F.oneHot: cannot infer numClasses from an empty tensor; pass numClasses');
  const classes = n === -1 ? max + 1 : n;
  if (max >= classes) throw new ValueError(`F.oneHot: class value ${max} is not smaller than numClasses = ${classes}`);
  const out = new Int32Array(data.length * classes);
  for (let i = 0; i < data.length; i++) out[i * classes + data[i]!] = 1;
  return Tensor._fromData(out, [...indices.shape, classes], 'int32');
}
