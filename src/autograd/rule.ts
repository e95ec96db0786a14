/**
 * The shape of a primitive's rule: a forward that calls a kernel, and a backward (vjp) written in
 * Tensor ops that sees its node through a typed {@link BackwardContext}.
 * @module
 */
import type { DType } from './dtype.js';
import type { Tensor } from './tensor.js';

/**
 * What a rule keeps for its backward, in order: input indices and `'output'`. `[0, 1]` keeps both
 * inputs of a binary op, `['output']` the result, `[0, 'output']` the first input and the result.
 * @internal
 */
export type SaveList = readonly (number | 'output')[];

/** The tensors kept for a {@link SaveList}: a tuple with one tensor per entry. @internal */
export type SavedTensors<S extends SaveList> = { readonly [K in keyof S]: Tensor };

/**
 * What a backward rule sees of its recorded op: the tensors it saved (typed by the rule's
 * {@link SaveList}), the attributes, and which inputs need a gradient with their shapes and dtypes.
 * The graph node implements it itself, so running a rule allocates no context; the engine's
 * bookkeeping on the node stays out of this type. `needs`, `inputShape` and `inputDType` are
 * methods of the node: call them on the context (`ctx.needs(0)`), do not destructure them.
 * @internal
 */
export interface BackwardContext<Saved extends readonly Tensor[] = readonly Tensor[], A = unknown> {
  /** The saved tensors; reading them throws an AutogradError when one was modified in place since, or freed by an earlier backward. */
  readonly saved: Saved;
  /** The op's attributes (dims, sizes, scalar options). */
  readonly attrs: A;
  /** How many tensor inputs the op had. */
  readonly inputCount: number;
  /** True when input `i` needs a gradient; the engine drops a gradient returned for any other input. */
  needs(i: number): boolean;
  /** The shape input `i` had (what its gradient must have). */
  inputShape(i: number): readonly number[];
  /** The dtype input `i` had (its gradient is cast to it). */
  inputDType(i: number): DType;
}

/**
 * A backward rule: the gradients of the inputs given the output's gradient `g`, in Tensor ops so
 * that `createGraph` records them; null entries mean no gradient (return null for an input that
 * does not {@link BackwardContext.needs | need} one when computing it costs anything).
 * @internal
 */
export type Backward<A, S extends SaveList = readonly []> = (g: Tensor, ctx: BackwardContext<SavedTensors<S>, A>) => (Tensor | null)[];

/**
 * How one primitive computes its output and its inputs' gradients, as written: `A` is the
 * primitive's attributes, `S` what it saves (inferred from `save` by {@link rule}).
 * @internal
 */
export interface Rule<A, S extends SaveList = readonly []> {
  /** Computes the output; inputs are already validated by the op that calls the primitive. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /** The gradients of the inputs; null for ops without a gradient (comparisons, argmax). */
  backward: Backward<A, S> | null;
  /** What backward needs saved (nothing when absent); `ctx.saved` has one tensor per entry. */
  save?: S;
}

declare const checked: unique symbol;

/**
 * A rule that went through {@link rule}, so its backward was type-checked against its own save
 * list. The rule tables hold only these: an entry written without `rule` fails `tsc`.
 * @internal
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table forgets each rule's saved-tensor type once rule() has checked it
export interface CheckedRule<A> extends Rule<A, any> {
  /** Type-level mark only: no such property exists at run time. */
  readonly [checked]: true;
}

/**
 * Declares one primitive's rule: infers the tuple type of `ctx.saved` from `save`, and the
 * attributes from the table the rule is written in.
 * @example
 * ```ts
 * mul: rule({ forward: ..., save: [0, 1], backward: (g, ctx) => { const [a, b] = ctx.saved; ... } }),
 * ```
 * @internal
 */
export function rule<A, const S extends SaveList = readonly []>(r: Rule<A, S>): CheckedRule<A> {
  return r as CheckedRule<A>;
}

/** Builds a typed rule table for one family of primitives. @internal */
export type RuleTable<Attrs> = { [P in keyof Attrs]: CheckedRule<Attrs[P]> };
