/**
 * Vector products of the functional API: `vjp`, `jvp` (by the double-vjp trick), `vhp` and `hvp`,
 * with `torch.autograd.functional`'s arguments and result structure.
 * @module
 */
import { isPlainObject } from '../args.js';
import { AutogradError, fmtShape } from '../errors.js';
import { zeros } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import {
  FUNCTIONAL_SPEC,
  callFunction,
  checkFloat,
  checkFunction,
  finish,
  prepareInputs,
  readOptions,
  readTensors,
  readVector,
  shaped,
  vectorJacobian,
  type FunctionalOptions,
  type Tensors,
  type TensorFunction,
  type Tuple,
} from './common.js';

/** A single Tensor for a single Tensor, an array for an array: the structure of results. */
export type Like<T> = T extends Tensor ? Tensor : Tensor[];

/** The arguments after `inputs`: `v` and options, or PyTorch's positional `v, createGraph, strict`. */
export type ProductArgs =
  | [v?: Tensors | null, options?: FunctionalOptions]
  | [options: FunctionalOptions]
  | [v: Tensors | null | undefined, createGraph: boolean, strict?: boolean];

const POSITIONAL = ['createGraph', 'strict'] as const;

/** Splits `[v, options...]`; a lone options object means v was left out. */
function readProductArgs(op: string, rest: readonly unknown[]): { v: unknown; createGraph: boolean; strict: boolean } {
  const forms = `${op}(fn, inputs), ${op}(fn, inputs, v), ${op}(fn, inputs, v, { createGraph, strict }), ${op}(fn, inputs, { createGraph, strict }) or ${op}(fn, inputs, v, createGraph, strict)`;
  const lone = rest.length === 1 && isPlainObject(rest[0]);
  const v = lone ? undefined : rest[0];
  const o = readOptions(op, lone ? rest : rest.slice(1), FUNCTIONAL_SPEC, POSITIONAL, forms);
  return { v, createGraph: o.createGraph ?? false, strict: o.strict ?? false };
}

function start(op: string, fn: unknown, inputs: unknown, createGraph: boolean): { ins: Tuple; prepared: Tensor[] } {
  checkFunction(op, fn);
  const ins = readTensors(op, 'inputs', inputs);
  checkFloat(op, ins);
  return { ins, prepared: prepareInputs(ins, createGraph) };
}

/**
 * The vector-Jacobian product `vᵀ J` of `fn` at `inputs`, like `torch.autograd.functional.vjp`.
 * Returns `[outputs, vjp]`: `vjp` has the structure of `inputs` (one tensor or an array), `v` the
 * structure of the outputs; `v` may be left out when `fn` returns a single one-element tensor.
 * Without `createGraph` both are detached.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3], { dtype: 'float64' });
 * const [y, g] = autograd.functional.vjp((t) => t.pow(2), x, tensor([1, 1, 1], { dtype: 'float64' }));
 * g; // tensor([2., 4., 6.])
 * ```
 */
export function vjp<I extends Tensors, O extends Tensor | readonly Tensor[]>(
  fn: (...inputs: Tensor[]) => O,
  inputs: I,
  ...rest: ProductArgs
): [Like<O>, Like<I>] {
  const op = 'autograd.functional.vjp';
  const { v, createGraph, strict } = readProductArgs(op, rest);
  const { ins, prepared } = start(op, fn, inputs, createGraph);
  const outs = callFunction(op, fn, prepared);
  const vs = readVector(op, v, outs, 'outputs');
  const res = vectorJacobian(op, outs.tensors, vs, prepared, { createGraph, strict });
  return [shaped(finish(outs.tensors, createGraph), outs.isTuple), shaped(finish(res, createGraph), ins.isTuple)] as [Like<O>, Like<I>];
}

/**
 * `J v` for each output from `∂outputs/∂inputs` and the dummy-cotangent trick: `g(u) = Jᵀu` is
 * recorded with `u` as a leaf, and its vjp with `v` is `J v`. Outputs that do not depend on the
 * inputs give zeros (or a strict-mode error).
 * @internal
 */
export function jvpCore(
  op: string,
  outs: readonly Tensor[],
  prepared: readonly Tensor[],
  vs: readonly Tensor[],
  createGraph: boolean,
  strict: boolean,
): Tensor[] {
  const dummies = outs.map((o) => zeros(o.shape, { dtype: o.dtype }).requiresGrad_(true));
  const gs = vectorJacobian(op, outs, dummies, prepared, { createGraph: true, strict });
  return vectorJacobian(op, gs, vs, dummies, {
    createGraph,
    strict,
    retainGraph: true,
    what: 'gradient with respect to the inputs (in the double backward trick)',
  });
}

/**
 * The Jacobian-vector product `J v` of `fn` at `inputs` (forward mode), like
 * `torch.autograd.functional.jvp`, computed by the double-vjp trick on the tape. Returns
 * `[outputs, jvp]`: `v` has the structure of `inputs` and may be left out for a single one-element
 * input; `jvp` has the structure of the outputs.
 * @example
 * ```ts
 * const x = tensor([1, 2], { dtype: 'float64' });
 * const [, d] = autograd.functional.jvp((t) => t.pow(3), x, tensor([1, 0], { dtype: 'float64' }));
 * d; // tensor([3., 0.]): 3x² times the direction
 * ```
 */
export function jvp<I extends Tensors, O extends Tensor | readonly Tensor[]>(
  fn: (...inputs: Tensor[]) => O,
  inputs: I,
  ...rest: ProductArgs
): [Like<O>, Like<O>] {
  const op = 'autograd.functional.jvp';
  const { v, createGraph, strict } = readProductArgs(op, rest);
  const { ins, prepared } = start(op, fn, inputs, createGraph);
  const vs = readVector(op, v, ins, 'inputs');
  const outs = callFunction(op, fn, prepared);
  const res = jvpCore(op, outs.tensors, prepared, vs, createGraph, strict);
  return [shaped(finish(outs.tensors, createGraph), outs.isTuple), shaped(finish(res, createGraph), outs.isTuple)] as [Like<O>, Like<O>];
}

/** Calls a scalar function and returns its output and gradient (recorded, for a second derivative). */
function scalarGradient(op: string, fn: TensorFunction, prepared: Tensor[], strict: boolean): { out: Tensor; jac: Tensor[] } {
  const outs = callFunction(op, fn, prepared);
  if (outs.isTuple) throw new AutogradError(`${op}: the function must return a single Tensor, got an array of ${outs.tensors.length}`);
  const out = outs.tensors[0]!;
  if (out.numel() !== 1)
    throw new AutogradError(`${op}: the function must return a single-element Tensor, got shape ${fmtShape(out.shape)}`);
  const one = zeros(out.shape, { dtype: out.dtype }).add(1);
  return { out, jac: vectorJacobian(op, [out], [one], prepared, { createGraph: true, strict }) };
}

/**
 * The vector-Hessian product `vᵀ H` of a scalar `fn` at `inputs`, like
 * `torch.autograd.functional.vhp`. Returns `[output, vhp]`; `v` and `vhp` have the structure of `inputs`.
 * @example
 * ```ts
 * const x = tensor([1, 2], { dtype: 'float64' });
 * const [, hv] = autograd.functional.vhp((t) => t.pow(3).sum(), x, tensor([1, 1], { dtype: 'float64' }));
 * hv; // tensor([6., 12.]): H = diag(6x)
 * ```
 */
export function vhp<I extends Tensors>(fn: (...inputs: Tensor[]) => Tensor, inputs: I, ...rest: ProductArgs): [Tensor, Like<I>] {
  const op = 'autograd.functional.vhp';
  const { v, createGraph, strict } = readProductArgs(op, rest);
  const { ins, prepared } = start(op, fn, inputs, createGraph);
  const vs = readVector(op, v, ins, 'inputs');
  const { out, jac } = scalarGradient(op, fn, prepared, strict);
  const res = vectorJacobian(op, jac, vs, prepared, { createGraph, strict, what: 'jacobian of the function' });
  return [finish([out], createGraph)[0]!, shaped(finish(res, createGraph), ins.isTuple)] as [Tensor, Like<I>];
}

/**
 * The Hessian-vector product `H v` of a scalar `fn` at `inputs`, like
 * `torch.autograd.functional.hvp` (by the double-backward trick; for a twice continuously
 * differentiable function it equals {@link vhp}, the Hessian being symmetric). Returns `[output, hvp]`.
 * @example
 * ```ts
 * const x = tensor([1, 2], { dtype: 'float64' });
 * const [, hv] = autograd.functional.hvp((t) => t.pow(3).sum(), x, tensor([1, 0], { dtype: 'float64' }));
 * hv; // tensor([6., 0.])
 * ```
 */
export function hvp<I extends Tensors>(fn: (...inputs: Tensor[]) => Tensor, inputs: I, ...rest: ProductArgs): [Tensor, Like<I>] {
  const op = 'autograd.functional.hvp';
  const { v, createGraph, strict } = readProductArgs(op, rest);
  const { ins, prepared } = start(op, fn, inputs, createGraph);
  const vs = readVector(op, v, ins, 'inputs');
  const { out, jac } = scalarGradient(op, fn, prepared, strict);
  const res = jvpCore(op, jac, prepared, vs, createGraph, strict);
  return [finish([out], createGraph)[0]!, shaped(finish(res, createGraph), ins.isTuple)] as [Tensor, Like<I>];
}
