/**
 * `autograd.functional`: derivatives of functions of tensors, like `torch.autograd.functional`
 * (`vjp`, `jvp`, `jacobian`, `hessian`, `vhp`, `hvp`). Each takes a function and the point at
 * which to differentiate it (a tensor, or an array of tensors passed as separate arguments).
 * @module
 */
export { vjp, jvp, vhp, hvp, type Like, type ProductArgs } from './products.js';
export {
  jacobian,
  hessian,
  type JacobianOptions,
  type HessianOptions,
  type JacobianStrategy,
  type JacobianOf,
  type JacobianArgs,
  type HessianArgs,
} from './jacobian.js';
export type { FunctionalOptions, Tensors, TensorFunction } from './common.js';
