/**
 * Graph nodes: what an op records on its output so that backward can run it in reverse.
 * @module
 */
import { AutogradError } from './errors.js';
import type { DType } from './dtype.js';
import type { BackwardContext } from './rule.js';
import type { Tensor } from './tensor.js';

/**
 * A gradient hook: called with a tensor's gradient during backward; may return a replacement.
 * @example
 * ```ts
 * x.registerHook((g) => g.clamp(-1, 1));
 * ```
 */
export type GradHook = (grad: Tensor) => Tensor | void;

/** Computes the gradients of a node's inputs from the gradient of its output; the node is the rule's context. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each rule's attrs type is checked in its table; the node forgets it
export type NodeBackward = (grad: Tensor, ctx: BackwardContext<readonly Tensor[], any>) => (Tensor | null)[];

/** True while {@link detectAnomaly} is active: nodes record where they were created. @internal */
export const anomaly = { enabled: false };

/**
 * Receives every op while a trace is active (the ONNX exporter sets it for one forward pass):
 * the op's name, its input tensors, its attributes and its output. Null otherwise. @internal
 */
export const tracing: { record: ((op: string, inputs: readonly Tensor[], attrs: unknown, out: Tensor) => void) | null } = { record: null };

/** While an in-place op computes its new value, the nodes created meanwhile are collected here. @internal */
export const creating: { nodes: Node[] | null } = { nodes: null };

/**
 * All-zero version lists by length, shared: most tensors are saved before any in-place change.
 * Every recorded op keeps its lists alive until backward, so each one not allocated counts.
 */
const ZERO_VERSIONS: readonly (readonly number[])[] = [[], [0], [0, 0], [0, 0, 0]].map((v) => Object.freeze(v));

/** The current versions of `saved`, as a shared array when they are all 0. */
function versionsOf(saved: readonly Tensor[]): readonly number[] {
  const n = saved.length;
  let zero = n < ZERO_VERSIONS.length;
  for (let i = 0; zero && i < n; i++) if (saved[i]!._storage.version !== 0) zero = false;
  if (zero) return ZERO_VERSIONS[n]!;
  const versions = new Array<number>(n);
  for (let i = 0; i < n; i++) versions[i] = saved[i]!._storage.version;
  return versions;
}

/**
 * A node on the tape: one recorded op. `next[i]` is the node that receives the gradient of
 * input i (null when that input needs no gradient). The node is also the {@link BackwardContext}
 * its rule runs with: it holds everything the context shows, so no context object is allocated
 * per node or per backward call, and the rule's type shows none of the engine's fields.
 * @internal
 */
export class Node implements BackwardContext {
  /** Hooks of the output tensor, run on its gradient before it is used. */
  hooks: GradHook[] | null = null;
  /** The output tensor when `retainGrad()` was called on it. */
  retainFor: Tensor | null = null;
  /** True for nodes of user-written backward code (custom Functions): their gradients may be tensors the user keeps. */
  userCode = false;
  /** Where the op was called from, recorded under detectAnomaly. */
  readonly trace: string | undefined;
  /** The saved tensors' versions when saved (a shared all-zero array in the common case: never written, replaced on change). */
  private savedVersions: readonly number[] | null;
  private released = false;
  /** Engine bookkeeping for the current backward run (see engine.ts): edges still to come, gradient so far. @internal */
  _run = 0;
  /** @internal */ _deps = 0;
  /** @internal */ _grad: Tensor | undefined = undefined;
  /** True when `_grad` is a sum the engine allocated itself (nobody else holds it): later gradients may be added into it in place. @internal */
  _gradOwned = false;

  constructor(
    readonly name: string,
    readonly next: (Node | null)[],
    private readonly fn: NodeBackward,
    private savedForBackward: Tensor[] | null,
    /** Shapes of the inputs, for checking and reducing broadcast gradients. */
    readonly inputShapes: (readonly number[])[],
    /** Dtypes of the inputs: an incoming gradient is cast to its input's dtype. */
    readonly inputDTypes: readonly DType[],
    /** The op's attributes (dims, sizes), read by its backward rule. */
    readonly attrs: unknown = undefined,
  ) {
    this.savedVersions = savedForBackward === null ? null : versionsOf(savedForBackward);
    this.trace = anomaly.enabled ? new Error().stack?.split('\n').slice(3, 9).join('\n') : undefined;
    if (creating.nodes !== null) creating.nodes.push(this);
  }

  /**
   * Before an in-place op overwrites `storage`, replaces each saved tensor on that storage by a
   * copy of its current value (what PyTorch calls `original_self`), so this node stays valid.
   * @internal
   */
  _saveOriginal(storage: Tensor['_storage'], copy: (t: Tensor) => Tensor): void {
    const saved = this.savedForBackward;
    if (saved === null || this.released) return;
    const versions = this.savedVersions!.slice();
    for (let i = 0; i < saved.length; i++) {
      if (saved[i]!._storage === storage && saved[i]!._storage.version === versions[i]) {
        saved[i] = copy(saved[i]!);
        versions[i] = saved[i]!._storage.version;
      }
    }
    this.savedVersions = versions;
  }

  /** The tensors saved for backward, after checking none was modified in place since. */
  get saved(): Tensor[] {
    if (this.released) {
      throw new AutogradError(
        `${this.name}: trying to backward through the graph a second time, but its saved tensors were freed after the first backward. ` +
          'Pass { retainGraph: true } to the first backward() if you need to backward twice.',
      );
    }
    const saved = this.savedForBackward ?? [];
    for (let i = 0; i < saved.length; i++) {
      const now = saved[i]!._storage.version;
      if (now !== this.savedVersions![i]) {
        throw new AutogradError(
          `${this.name}: a tensor saved for backward (saved tensor ${i}, shape [${saved[i]!.shape.join(', ')}]) was modified by an in-place operation ` +
            `after it was saved: its version is now ${now}, it was ${this.savedVersions![i]}. Use the out-of-place op, or clone() the tensor first.`,
        );
      }
    }
    return saved;
  }

  /** The shapes of the saved tensors ([] when none), or null once they were freed. @internal */
  _savedShapes(): number[][] | null {
    if (this.released) return null;
    return (this.savedForBackward ?? []).map((t) => t.shape.slice());
  }

  /** The number of tensor inputs. */
  get inputCount(): number {
    return this.next.length;
  }

  /** True when input `i` needs a gradient (it has a node to receive it). */
  needs(i: number): boolean {
    return this.next[i] !== null;
  }

  /** The shape of input `i`. */
  inputShape(i: number): readonly number[] {
    return this.inputShapes[i]!;
  }

  /** The dtype of input `i`. */
  inputDType(i: number): DType {
    return this.inputDTypes[i]!;
  }

  /** Runs the backward rule, with this node as its context. */
  apply(grad: Tensor): (Tensor | null)[] {
    if (this.released) void this.saved; // throws: the graph was already walked without retainGraph
    return this.fn(grad, this);
  }

  /** Frees what was saved, so the graph can only be walked once more with retainGraph. */
  release(): void {
    if (this.savedVersions !== null && this.savedVersions.length > 0) {
      this.released = true;
      this.savedForBackward = null;
    }
  }
}

/** The node that adds an incoming gradient into a leaf's `.grad`. @internal */
export class AccumulateGrad extends Node {
  constructor(readonly leaf: Tensor) {
    super('AccumulateGrad', [], () => [], null, [leaf.shape], [leaf.dtype]);
  }
}
