/**
 * The shape of a primitive's rule: a forward that calls a kernel, and a backward (vjp) written in Tensor ops.
 * @module
 */
import type { Node } from './node.js';
import type { Tensor } from './tensor.js';

/**
 * How one primitive computes its output and its inputs' gradients.
 * `A` is the primitive's attributes (dims, sizes, scalar options).
 * @internal
 */
export interface Rule<A> {
  /** Computes the output; inputs are already validated by the op that calls the primitive. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /**
   * Gradients of the inputs given the output's gradient `g`, in Tensor ops so that
   * `createGraph` records them; null entries mean no gradient. `node.next[i]` is null when input i
   * needs none. Null for ops without a gradient (comparisons, argmax).
   */
  backward: ((g: Tensor, node: Node, attrs: A) => (Tensor | null)[]) | null;
  /** What backward needs saved: the inputs, the output, or both (in that order). */
  save?: 'inputs' | 'output' | 'both';
}

/** Builds a typed rule table for one family of primitives. @internal */
export type RuleTable<Attrs> = { [P in keyof Attrs]: Rule<Attrs[P]> };
