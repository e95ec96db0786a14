/**
 * What the functional autograd API shares: reading a tensor or a tuple of tensors, PyTorch's
 * positional forms (`vjp(f, x, v, true)`), preparing inputs, calling the function, and gradients
 * that may be absent (zeros, or an error in strict mode).
 * @module
 */
import { describe, parseOptions, type OptionSpec, type Parsed, isPlainObject, checkArity, bool } from '../args.js';
import { isFloat } from '../dtype.js';
import { grad } from '../engine.js';
import { ArgumentTypeError, AutogradError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { enableGrad } from '../grad-mode.js';
import { Tensor } from '../tensor.js';
import { zeros } from '../ops/creation.js';

/** One tensor, or a tuple (array) of tensors: the inputs and outputs of a functional-API function. */
export type Tensors = Tensor | readonly Tensor[];

/** A function of one or several tensors returning one tensor or several. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

/** Options shared by {@link vjp}, {@link jvp}, {@link hvp} and {@link vhp}. */
export interface FunctionalOptions {
  /** Record the computation of the result, so it can be differentiated again (default false). The result is then connected to the inputs' graph. */
  createGraph?: boolean;
  /** Throw an `AutogradError` when an output does not depend on an input, instead of returning zeros for it (default false). */
  strict?: boolean;
}

/** The spec of {@link FunctionalOptions}. @internal */
export const FUNCTIONAL_SPEC = { createGraph: bool, strict: bool } as const;

/** A tuple of tensors with a note of whether the caller gave a tuple or a single tensor. @internal */
export interface Tuple {
  tensors: Tensor[];
  isTuple: boolean;
}

/** Reads `value` as a tensor or an array of tensors, naming `what` in the error. @internal */
export function readTensors(op: string, what: string, value: unknown): Tuple {
  if (value instanceof Tensor) return { tensors: [value], isTuple: false };
  if (Array.isArray(value) && value.every((t) => t instanceof Tensor)) return { tensors: value.slice(), isTuple: true };
  throw new ArgumentTypeError(`${op}: ${what} must be a Tensor or an array of Tensors, got ${describe(value)}`);
}

/** Checks that every input is a floating-point tensor. @internal */
export function checkFloat(op: string, inputs: Tuple): void {
  inputs.tensors.forEach((t, i) => {
    if (!isFloat(t.dtype)) throw new DTypeError(`${op}: input ${i} has dtype ${t.dtype}; only floating point inputs can be differentiated`);
  });
}

/**
 * Reads the arguments after the fixed ones: an options object, or PyTorch's positional values
 * (`createGraph`, `strict`, ...) in the order of `positional`.
 * @internal
 */
export function readOptions<S extends OptionSpec>(
  op: string,
  rest: readonly unknown[],
  spec: S,
  positional: readonly (keyof S & string)[],
  forms: string,
): Parsed<S> {
  checkArity(op, rest, positional.length, forms);
  if (rest.length === 1 && (isPlainObject(rest[0]) || rest[0] === undefined)) return parseOptions(op, rest[0], spec, { forms });
  const options: Record<string, unknown> = {};
  rest.forEach((value, i) => {
    if (isPlainObject(value))
      throw new ArgumentTypeError(`${op}: an options object must be the last argument and come alone; accepted forms: ${forms}`);
    options[positional[i]!] = value;
  });
  return parseOptions(op, options, spec, { forms });
}

/**
 * The inputs the function is called on: with createGraph, an input that requires grad is seen
 * through an identity view (so results stay connected to the caller's graph); otherwise a detached
 * copy that requires grad. @internal
 */
export function prepareInputs(inputs: Tuple, createGraph: boolean): Tensor[] {
  return inputs.tensors.map((t) =>
    createGraph && t.requiresGrad ? enableGrad(() => t.view(t.shape.slice())) : t.detach().requiresGrad_(true),
  );
}

/** Calls `fn` with grad mode on and reads its result as a tuple of tensors. @internal */
export function callFunction(op: string, fn: TensorFunction, inputs: Tensor[]): Tuple {
  const out = enableGrad(() => fn(...inputs));
  if (out instanceof Tensor) return { tensors: [out], isTuple: false };
  if (Array.isArray(out) && out.every((t) => t instanceof Tensor)) return { tensors: out.slice(), isTuple: true };
  throw new ArgumentTypeError(`${op}: the function must return a Tensor or an array of Tensors, got ${describe(out)}`);
}

/** Checks that `fn` is a function. @internal */
export function checkFunction(op: string, fn: unknown): asserts fn is TensorFunction {
  if (typeof fn !== 'function') throw new ArgumentTypeError(`${op}: the first argument must be a function of tensors, got ${describe(fn)}`);
}

/**
 * Reads the vector `v` given for `like` (the outputs for vjp, the inputs for jvp): same tuple
 * structure and shapes. Without `v`, `like` must be one single-element tensor and `v` is 1.
 * @internal
 */
export function readVector(op: string, v: unknown, like: Tuple, of: 'outputs' | 'inputs'): Tensor[] {
  if (v === undefined || v === null) {
    if (like.isTuple || like.tensors[0]!.numel() !== 1) {
      throw new AutogradError(
        `${op}: v can only be omitted when the ${of === 'outputs' ? "function's output" : 'input'} is a single tensor with one element; got ${like.isTuple ? `${like.tensors.length} tensors` : `shape ${fmtShape(like.tensors[0]!.shape)}`}`,
      );
    }
    const t = like.tensors[0]!;
    return [zeros(t.shape, { dtype: t.dtype }).add(1)];
  }
  const given = readTensors(op, 'v', v);
  if (given.isTuple !== like.isTuple || given.tensors.length !== like.tensors.length) {
    throw new ShapeError(
      `${op}: v must have the structure of the ${of}: ${like.isTuple ? `an array of ${like.tensors.length} tensors` : 'a single Tensor'}, got ${given.isTuple ? `an array of ${given.tensors.length}` : 'a single Tensor'}`,
    );
  }
  return given.tensors.map((t, i) => {
    const want = like.tensors[i]!;
    if (t.shape.length !== want.shape.length || t.shape.some((s, d) => s !== want.shape[d])) {
      throw new ShapeError(
        `${op}: v${like.isTuple ? `[${i}]` : ''} has shape ${fmtShape(t.shape)} but the ${of === 'outputs' ? 'output' : 'input'} has shape ${fmtShape(want.shape)}`,
      );
    }
    return t.dtype === want.dtype ? t : t.to(want.dtype);
  });
}

/** How {@link vectorJacobian} runs and what its strict-mode errors call the quantity. @internal */
interface VectorJacobianSettings {
  createGraph: boolean;
  strict: boolean;
  retainGraph?: boolean;
  /**
   * Run the backward rules in grad mode even without createGraph, so that every step of the pass
   * is a primitive call (for recording it; see batching.ts). The strict-mode checks still follow `createGraph`.
   */
  recordBackward?: boolean;
  /** What is independent of input i in a strict error: `the output of the function` by default. */
  what?: string;
}

/**
 * `∑ⱼ vⱼ · ∂outputsⱼ/∂inputs` for each input, zeros where the outputs do not depend on an input.
 * In strict mode that is an error instead, and so (with createGraph) is a result that does not
 * depend on the inputs again, as in PyTorch.
 * @internal
 */
export function vectorJacobian(
  op: string,
  outputs: readonly Tensor[],
  v: readonly Tensor[],
  inputs: readonly Tensor[],
  settings: VectorJacobianSettings,
): Tensor[] {
  const used = outputs.map((_o, i) => i).filter((i) => outputs[i]!.requiresGrad);
  const grads: (Tensor | null)[] =
    used.length === 0
      ? inputs.map(() => null)
      : grad(
          used.map((i) => outputs[i]!),
          inputs,
          {
            gradOutputs: used.map((i) => v[i]!),
            createGraph: settings.createGraph || settings.recordBackward === true,
            retainGraph: settings.retainGraph ?? settings.createGraph,
            allowUnused: true,
          },
        );
  const what = settings.what ?? 'output of the function';
  return grads.map((g, i) => {
    if (g === null) {
      if (settings.strict) throw new AutogradError(`${op}: the ${what} is independent of input ${i}; this is not allowed in strict mode`);
      return zeros(inputs[i]!.shape, { dtype: inputs[i]!.dtype });
    }
    if (settings.strict && settings.createGraph && !g.requiresGrad) {
      throw new AutogradError(
        `${op}: the derivative of the ${what} with respect to input ${i} does not depend on the inputs; this is not allowed in strict mode with createGraph: true`,
      );
    }
    return g;
  });
}

/** Detaches results unless createGraph asked to keep them differentiable. @internal */
export function finish(tensors: readonly Tensor[], createGraph: boolean): Tensor[] {
  return createGraph ? tensors.slice() : tensors.map((t) => t.detach());
}

/** A single tensor or a tuple, as the caller's structure says. @internal */
export function shaped(tensors: Tensor[], isTuple: boolean): Tensor | Tensor[] {
  return isTuple ? tensors : tensors[0]!;
}
