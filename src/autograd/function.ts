/**
 * Custom autograd Functions: a forward on tensors and a hand-written backward, like PyTorch's
 * `torch.autograd.Function`.
 * @module
 */
import { AutogradError, ValueError } from './errors.js';
import { isGradEnabled, noGrad } from './grad-mode.js';
import { Node, tracing } from './node.js';
import { Tensor } from './tensor.js';

/**
 * What `forward` and `backward` of a custom {@link Function} share: the saved tensors, which inputs
 * need a gradient, and any other values stored on it.
 * @example
 * ```ts
 * static forward(ctx: FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.exp(); }
 * ```
 */
export class FunctionCtx {
  /** For each argument of forward: true when it is a tensor that requires grad. */
  readonly needsInputGrad: boolean[];
  /** Free-form storage for non-tensor values (sizes, options). */
  readonly data: Record<string, unknown> = {};
  private toSave: Tensor[] = [];
  /** @internal */ _node: Node | null = null;

  /** @internal */
  constructor(args: readonly unknown[]) {
    this.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
  }

  /** Saves tensors for backward; backward fails clearly if one is modified in place in between. */
  saveForBackward(...tensors: Tensor[]): void {
    this.toSave = tensors;
  }

  /** The tensors given to {@link FunctionCtx.saveForBackward}. */
  get savedTensors(): Tensor[] {
    return this._node ? this._node.saved : this.toSave;
  }

  /** @internal */
  _pendingSaved(): Tensor[] {
    return this.toSave;
  }
}

/**
 * Base class for custom differentiable ops. Subclass it with static `forward(ctx, ...args)` and
 * `backward(ctx, gradOutput)` (returning one gradient per forward argument, null for those without),
 * then call `MyOp.apply(...args)`. Check the backward with {@link gradcheck}.
 * @example
 * ```ts
 * class Cube extends autograd.Function {
 *   static override forward(ctx: FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.pow(3); }
 *   static override backward(ctx: FunctionCtx, g: Tensor) { const [x] = ctx.savedTensors; return [g.mul(x!.pow(2)).mul(3)]; }
 * }
 * const y = Cube.apply(tensor([2], { requiresGrad: true }));
 * ```
 */
export class Function {
  /** Computes the output from the arguments; runs without recording the graph. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a custom Function takes whatever arguments its subclass declares
  static forward(ctx: FunctionCtx, ...args: any[]): Tensor {
    void ctx;
    void args;
    throw new AutogradError(`${this.name}.forward is not implemented: override it in your subclass`);
  }

  /** Returns the gradient of each forward argument (or null) given the output's gradient. */
  static backward(ctx: FunctionCtx, gradOutput: Tensor): (Tensor | null)[] | Tensor | null {
    void ctx;
    void gradOutput;
    throw new AutogradError(`${this.name}.backward is not implemented: override it in your subclass`);
  }

  /** Runs the op: forward now, and backward when the graph is walked. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a custom Function takes whatever arguments its subclass declares
  static apply(...args: any[]): Tensor {
    const ctx = new FunctionCtx(args);
    const out: unknown = noGrad(() => this.forward(ctx, ...(args as unknown[])));
    if (!(out instanceof Tensor)) throw new ValueError(`${this.name}.forward must return a Tensor, got ${typeof out}`);
    if (tracing.record !== null)
      tracing.record(
        'Function',
        args.filter((a) => a instanceof Tensor),
        { name: this.name },
        out,
      );
    if (!isGradEnabled() || !ctx.needsInputGrad.some(Boolean)) return out;
    // Alias the output so that returning an input unchanged does not rewrite that input's history.
    const result = new Tensor(out._storage, out.shape, out._strides, out._offset, out.dtype);
    const tensorArgs = (args as unknown[]).map((a, i) => ({ a, i })).filter(({ a }) => a instanceof Tensor) as { a: Tensor; i: number }[];
    const name = this.name;
    const node = new Node(
      name,
      tensorArgs.map(({ a }) => (a.requiresGrad ? a._gradEdge() : null)),
      (g) => {
        const raw = this.backward(ctx, g);
        const grads = Array.isArray(raw) ? raw : [raw];
        if (grads.length !== args.length && !(grads.length === 1 && tensorArgs.length === 1)) {
          throw new AutogradError(`${name}.backward returned ${grads.length} gradients but forward took ${args.length} arguments`);
        }
        return tensorArgs.map(({ i }) => {
          const gi = grads.length === args.length ? grads[i] : grads[0];
          if (gi !== null && gi !== undefined && !(gi instanceof Tensor))
            throw new AutogradError(`${name}.backward: gradient ${i} is not a Tensor or null`);
          return gi ?? null;
        });
      },
      ctx._pendingSaved(),
      tensorArgs.map(({ a }) => a.shape),
      tensorArgs.map(({ a }) => a.dtype),
    );
    ctx._node = node;
    node.userCode = true;
    result._gradFn = node;
    result._requiresGrad = true;
    return result;
  }
}
