/**
 * `tensor.gradFn`: a read-only view of a graph node, shaped like PyTorch's `grad_fn` (a name,
 * `nextFunctions`, the shapes of what it saved, `variable` on a leaf's AccumulateGrad).
 * @module
 */
import { AccumulateGrad, type Node } from './node.js';
import type { Tensor } from './tensor.js';

/** One view per node, made on first access: nodes carry no extra field for it. */
const views = new WeakMap<Node, GradFn>();

/**
 * The backward function that produced a tensor, as seen from `t.gradFn` (PyTorch's `grad_fn`).
 * Follow {@link GradFn.nextFunctions} to walk the graph toward the leaves, whose entries are
 * `AccumulateGrad` functions holding the leaf in {@link GradFn.variable}. The same node always gives
 * the same object, so `===` compares nodes.
 *
 * Names follow PyTorch's pattern `<Op>Backward` (`MulBackward`, `SumBackward`, `CubeBackward` for a
 * custom Function `Cube`) without PyTorch's overload number (`MulBackward0`): tapegrad's primitives
 * have no overloads. {@link GradFn.op} gives the primitive's own name (`mul`).
 * @example
 * ```ts
 * const x = tensor([1, 2], { requiresGrad: true });
 * const y = x.mul(2).sum();
 * y.gradFn!.name;                        // 'SumBackward'
 * const [mul] = y.gradFn!.nextFunctions; // [GradFn MulBackward, 0]
 * mul[0]!.nextFunctions[0]![0]!.variable === x; // true: AccumulateGrad of x
 * `${y.gradFn}`;                          // 'SumBackward'
 * ```
 */
export class GradFn {
  /** @internal */
  private constructor(
    /** @internal */
    readonly _node: Node,
  ) {}

  /** The view of `node` (the same object every time). @internal */
  static _of(node: Node): GradFn {
    let view = views.get(node);
    if (view === undefined) {
      view = new GradFn(node);
      views.set(node, view);
    }
    return view;
  }

  /** The primitive or custom Function that recorded this node (`mul`, `matmul`, `Cube`), or `AccumulateGrad` for a leaf. */
  get op(): string {
    return this._node.name;
  }

  /** `MulBackward`-style name (`AccumulateGrad` for a leaf's accumulator). */
  get name(): string {
    const op = this._node.name;
    if (this._node instanceof AccumulateGrad) return op;
    return `${op.charAt(0).toUpperCase()}${op.slice(1)}Backward`;
  }

  /**
   * The functions that receive this node's input gradients, one `[fn, outputNr]` pair per tensor
   * input, in input order, like PyTorch's `next_functions`. `fn` is null for an input that needs no
   * gradient; `outputNr` is which output of `fn` the input was (always 0: every tapegrad node has one output).
   */
  get nextFunctions(): [GradFn | null, number][] {
    return this._node.next.map((n) => [n === null ? null : GradFn._of(n), 0]);
  }

  /**
   * The shapes of the tensors this node saved for backward (inputs, output, or both, depending on
   * the op; what `ctx.saveForBackward` was given for a custom Function). Null once a backward without
   * `retainGraph` has freed them.
   */
  get savedShapes(): number[][] | null {
    return this._node._savedShapes();
  }

  /** The shapes of the node's tensor inputs, in input order (what its gradients must have). */
  get inputShapes(): number[][] {
    return this._node.inputShapes.map((s) => s.slice());
  }

  /** The leaf tensor, for an `AccumulateGrad` function; null for every other node. */
  get variable(): Tensor | null {
    return this._node instanceof AccumulateGrad ? this._node.leaf : null;
  }

  /** The {@link GradFn.name}, so that `${t.gradFn}` and `String(t.gradFn)` read like PyTorch's `<MulBackward0>`. */
  toString(): string {
    return this.name;
  }

  /** Node's `util.inspect` shows `<MulBackward>`. @internal */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `<${this.name}>`;
  }
}
