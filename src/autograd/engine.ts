/**
 * The backward engine: walks the graph from the outputs in reverse topological order, iteratively
 * (no recursion, so a 100 000-op chain is fine), summing the gradients that reach a tensor more than once.
 * @module
 */
import { isFloat } from './dtype.js';
import { ArgumentTypeError, AutogradError, ShapeError, fmtShape } from './errors.js';
import { any, arrayOf, bool, checkArity, describe, parseOptions } from './args.js';
import { enableGrad, isGradEnabled, noGrad } from './grad-mode.js';
import { GradReleaser, isGradPrivate, releaseGrad, setGradPrivate } from './grad-release.js';
import { AccumulateGrad, anomaly, type Node } from './node.js';
import { sameShape } from './shape.js';
import { Tensor, type Storage, type TensorLike } from './tensor.js';
import { add, lift, toDType } from './ops/elementwise.js';
import { any as anyTrue } from './ops/reduce.js';

/** Options of {@link Tensor.backward}. */
export interface BackwardOptions {
  /** Keep the saved tensors so the graph can be walked again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order gradients (default false). */
  createGraph?: boolean;
}

/** Options of {@link grad}. */
export interface GradOptions extends BackwardOptions {
  /** The gradient of each output (required for non-scalar outputs). */
  gradOutputs?: TensorLike[];
  /** Return null for inputs the outputs do not depend on, instead of throwing (default false). */
  allowUnused?: boolean;
}

/** The default options object of backward, recognised to skip parsing on the hot path. */
const EMPTY: BackwardOptions = Object.freeze({});
const BACKWARD_OPTIONS = { retainGraph: bool, createGraph: bool };
const GRAD_OPTIONS = { ...BACKWARD_OPTIONS, gradOutputs: arrayOf(any), allowUnused: bool };

function rootGrads(outputs: readonly Tensor[], grads: readonly TensorLike[] | undefined): Tensor[] {
  if (grads && grads.length !== outputs.length) {
    throw new AutogradError(`backward: got ${grads.length} gradients for ${outputs.length} outputs`);
  }
  return outputs.map((out, i) => {
    // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable from the public API (Tensor.backward passes itself, grad() checks its arguments first)
    if (!(out instanceof Tensor)) throw new AutogradError(`backward: output ${i} is not a Tensor`);
    if (!out._requiresGrad) {
      throw new AutogradError(
        `backward: output ${i} (shape ${fmtShape(out.shape)}) does not require grad and has no grad history; ` +
          'did you create the inputs with { requiresGrad: true } and compute it outside noGrad?',
      );
    }
    const given = grads?.[i];
    if (given === undefined || given === null) {
      if (out.numel() !== 1) {
        throw new AutogradError(
          `backward: the gradient can only be implied for scalar outputs, but output ${i} has shape ${fmtShape(out.shape)}; pass a gradient of that shape`,
        );
      }
      return Tensor._fromData(out.dtype === 'float64' ? new Float64Array([1]) : new Float32Array([1]), out.shape, out.dtype);
    }
    // Stryker disable next-line StringLiteral: the op name in lift's error message
    const g = lift('backward', given, out.dtype);
    if (!sameShape(g.shape, out.shape)) {
      throw new ShapeError(`backward: the gradient has shape ${fmtShape(g.shape)} but output ${i} has shape ${fmtShape(out.shape)}`);
    }
    return g;
  });
}

/**
 * Per-run bookkeeping: how many edges into a node are still to be processed, and the gradient
 * summed so far. The common case keeps it in fields of the nodes (no hashing); a backward started
 * while another runs (from a hook or a custom Function) uses maps so the two cannot collide.
 */
interface RunState {
  /** Counts the edges into every node reachable from the roots; returns the roots no edge reaches. */
  init(roots: readonly Node[]): Node[];
  /** One edge into `node` is done; returns the edges left. */
  done(node: Node): number;
  /** Adds `g` to the gradient pending for `node`. */
  put(node: Node, g: Tensor): void;
  /** Removes and returns the gradient pending for `node`. */
  take(node: Node): Tensor | undefined;
}

function walk(
  roots: readonly Node[],
  visit: (next: Node, first: boolean) => void,
  seen: (n: Node) => boolean,
  mark: (n: Node) => void,
): void {
  const stack: Node[] = [];
  for (const r of roots)
    if (!seen(r)) {
      mark(r);
      stack.push(r);
    }
  while (stack.length) {
    const node = stack.pop()!;
    const next = node.next;
    // Stryker disable next-line EqualityOperator: i <= next.length reads undefined, which the next line skips
    for (let i = 0; i < next.length; i++) {
      const n = next[i];
      if (!n) continue;
      const first = !seen(n);
      if (first) {
        mark(n);
        stack.push(n);
      }
      visit(n, first);
    }
  }
}

/**
 * `prev + g` for two gradients of one node. When `prev` is a sum the engine made itself (`owned`:
 * no caller, hook or `.grad` has seen it) and nothing records (no createGraph), `g` is added into
 * it in place instead of allocating a new sum per incoming edge (a leaf used by many ops).
 * Same float rounding as `add`: each element is rounded once to the dtype.
 */
function sumGrads(prev: Tensor, owned: boolean, g: Tensor): Tensor {
  // Stryker disable next-line ConditionalExpression: → true always allocates the sum with add (the in-place sum is a performance path with the same rounding)
  if (!owned || isGradEnabled() || !g._contiguous) return add(prev, g);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BooleanLiteral,LogicalOperator: unreachable: every gradient put to a node was fitted by fitGrad to the same input's dtype (a float) and shape
  if (prev.dtype !== g.dtype || !isFloat(g.dtype) || !sameShape(prev.shape, g.shape)) return add(prev, g);
  const d = prev._storage.data;
  const s = g._storage.data;
  const o = g._offset;
  // Stryker disable next-line EqualityOperator: i <= d.length adds into index d.length of a typed array, a no-op
  for (let i = 0; i < d.length; i++) d[i]! += s[o + i]!;
  return prev;
}

let runCounter = 0;

class FieldState implements RunState {
  // Stryker disable next-line UpdateOperator: --runCounter also gives every run an id no node carries yet
  private readonly id = ++runCounter;
  /** Frees consumed gradients (null: keep everything). */
  constructor(private readonly rel: GradReleaser | null) {}
  init(roots: readonly Node[]): Node[] {
    // walk() with the field accesses written out: this runs once per edge of every backward.
    const id = this.id;
    const stack: Node[] = [];
    for (const r of roots)
      if (r._run !== id) {
        r._run = id;
        r._deps = 0;
        r._grad = undefined;
        stack.push(r);
      }
    while (stack.length) {
      const next = stack.pop()!.next;
      // Stryker disable next-line EqualityOperator: i <= next.length reads undefined, which the next line skips
      for (let i = 0; i < next.length; i++) {
        const n = next[i];
        if (!n) continue;
        if (n._run !== id) {
          n._run = id;
          n._deps = 0;
          n._grad = undefined;
          stack.push(n);
        }
        n._deps++;
      }
    }
    // Stryker disable next-line MethodExpression: a repeated root is popped again after its first visit took its gradient: it has none left and passes nothing on
    return [...new Set(roots)].filter((n) => n._deps === 0);
  }
  done(node: Node): number {
    return --node._deps;
  }
  put(node: Node, g: Tensor): void {
    const prev = node._grad;
    if (prev === undefined) {
      node._grad = g;
      node._gradOwned = false;
      this.rel?.hold(g);
    } else {
      const sum = sumGrads(prev, node._gradOwned, g);
      node._grad = sum;
      // Stryker disable next-line BooleanLiteral: → false only stops later sums from being made in place (a performance path)
      node._gradOwned = true;
      if (this.rel !== null && sum !== prev) {
        this.rel.hold(sum);
        this.rel.drop(prev);
      }
      this.rel?.consumed(g);
    }
  }
  take(node: Node): Tensor | undefined {
    const g = node._grad;
    node._grad = undefined;
    return g;
  }
}

class MapState implements RunState {
  private readonly deps = new Map<Node, number>();
  private readonly grads = new Map<Node, Tensor>();
  init(roots: readonly Node[]): Node[] {
    const seen = new Set<Node>();
    walk(
      roots,
      (n) => this.deps.set(n, (this.deps.get(n) ?? 0) + 1),
      (n) => seen.has(n),
      (n) => seen.add(n),
    );
    // Stryker disable next-line MethodExpression: a repeated root is popped again after its first visit took its gradient: it has none left and passes nothing on
    return [...new Set(roots)].filter((n) => !this.deps.has(n));
  }
  done(node: Node): number {
    const left = this.deps.get(node)! - 1;
    this.deps.set(node, left);
    return left;
  }
  put(node: Node, g: Tensor): void {
    const prev = this.grads.get(node);
    this.grads.set(node, prev === undefined ? g : add(prev, g));
  }
  take(node: Node): Tensor | undefined {
    const g = this.grads.get(node);
    this.grads.delete(node);
    return g;
  }
}

let depth = 0;

function runHooks(node: Node, g: Tensor): Tensor {
  // Stryker disable next-line ConditionalExpression: unreachable: runHooks is only called for a node with hooks
  if (node.hooks === null) return g;
  for (const hook of node.hooks) {
    const replaced = hook(g);
    if (!(replaced instanceof Tensor)) continue;
    // Stryker disable next-line ConditionalExpression: the identity check only skips sameShape for the same shape array
    if (replaced.shape !== g.shape && !sameShape(replaced.shape, g.shape)) {
      throw new ShapeError(
        `hook '${hook.name || '(anonymous)'}' has changed the size of the gradient: the tensor has shape ${fmtShape(g.shape)} but the hook returned shape ${fmtShape(replaced.shape)}`,
      );
    }
    g = replaced;
  }
  return g;
}

function checkFinite(node: Node, grads: (Tensor | null)[]): void {
  for (const g of grads) {
    if (g && isFloat(g.dtype) && noGrad(() => anyTrue(g.isnan()).item())) {
      throw new AutogradError(
        // Stryker disable next-line StringLiteral: error message text
        `detectAnomaly: the backward of '${node.name}' produced NaN. The forward op was created at:\n${node.trace ?? '(unknown: created outside detectAnomaly)'}`,
      );
    }
  }
}

function fitGrad(node: Node, i: number, g: Tensor): Tensor {
  const shape = node.inputShapes[i]!;
  // Stryker disable next-line ConditionalExpression: the identity check only skips sameShape for the same shape array
  if (g.shape !== shape && !sameShape(g.shape, shape)) {
    throw new ShapeError(
      `backward of '${node.name}': gradient ${i} has shape ${fmtShape(g.shape)} but the input has shape ${fmtShape(shape)}`,
    );
  }
  const dtype = node.inputDTypes[i]!;
  // Stryker disable next-line ConditionalExpression: → false converts to the dtype it already has (same values)
  return g.dtype === dtype ? g : toDType(g, dtype);
}

/**
 * The engine: propagates `grads` from `outputs`. With `capture`, gradients arriving at those nodes
 * are returned instead of accumulated into leaves (the functional `grad`).
 * @internal
 */
function execute(outputs: readonly Tensor[], grads: Tensor[], options: BackwardOptions, capture: Node[] | null): Map<Node, Tensor> {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const roots = outputs.map((o) => o._gradEdge());
  // Consumed gradients go back to the buffer pool in the outermost run without createGraph (grad-release.ts).
  const rel = depth === 0 && !createGraph ? new GradReleaser() : null;
  if (rel !== null) for (const g of grads) rel.expose(g);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: MapState is the general bookkeeping, FieldState a faster one that only the outermost run may use; the outermost run with MapState gives the same result
  const state: RunState = depth === 0 ? new FieldState(rel) : new MapState();
  const ready = state.init(roots);
  roots.forEach((node, i) => state.put(node, grads[i]!));
  const wanted = capture ? new Set(capture) : null;
  const captured = new Map<Node, Tensor>();
  const mode = createGraph ? enableGrad : noGrad;
  // Storages someone else can see (the caller's gradients, hooks' arguments, .grad already set):
  // a leaf may take over any other incoming gradient instead of copying it.
  const visible = new Set<Storage>(grads.map((g) => g._storage));

  // Stryker disable next-line UpdateOperator: depth only chooses FieldState (outermost run) or MapState, and MapState is right for every run
  depth++;
  try {
    mode(() => {
      while (ready.length) {
        const node = ready.pop()!;
        let g = state.take(node);
        // Stryker disable next-line ConditionalExpression: → true for a node without hooks only marks its gradient as seen, which costs the leaf a copy
        if (g !== undefined && node.hooks !== null) {
          const before = g;
          visible.add(g._storage);
          g = runHooks(node, g);
          visible.add(g._storage);
          rel?.expose(before);
          rel?.expose(g);
          if (g !== before) rel?.hold(g);
          if (g !== before) rel?.drop(before);
        }
        if (g !== undefined && wanted?.has(node)) {
          captured.set(node, g);
          rel?.expose(g);
        }
        if (node instanceof AccumulateGrad) {
          if (g !== undefined && wanted === null) {
            const leaf = node.leaf;
            const old = leaf._grad;
            const oldPrivate = rel !== null && isGradPrivate(leaf);
            accumulate(leaf, g, createGraph, visible);
            if (rel !== null && leaf._grad !== null) {
              // A .grad nobody else can reach stays private until someone reads it (zeroGrad may then free it).
              setGradPrivate(leaf, rel.sole(leaf._grad));
              rel.expose(leaf._grad);
              if (old !== null && oldPrivate && old !== leaf._grad) releaseGrad(old);
            }
          }
          if (g !== undefined) rel?.drop(g);
          continue;
        }
        if (g !== undefined && node.retainFor) {
          accumulate(node.retainFor, g, createGraph, visible);
          if (node.retainFor._grad !== null) rel?.expose(node.retainFor._grad);
        }
        if (g !== undefined && node.userCode) rel?.expose(g);
        const inputGrads = g === undefined ? null : node.apply(g);
        if (inputGrads && node.userCode)
          for (const gi of inputGrads)
            if (gi) {
              visible.add(gi._storage);
              rel?.expose(gi);
            }
        if (inputGrads && anomaly.enabled) checkFinite(node, inputGrads);
        const next = node.next;
        // Stryker disable next-line EqualityOperator: i <= next.length reads undefined, which the next line skips
        for (let i = 0; i < next.length; i++) {
          const n = next[i];
          if (!n) continue;
          const gi = inputGrads?.[i];
          if (gi) state.put(n, fitGrad(node, i, gi));
          if (state.done(n) === 0) ready.push(n);
        }
        // After the inputs' gradients are pending (a rule may hand `g` itself on): `g` is consumed.
        if (g !== undefined) rel?.drop(g);
        if (!retainGraph) node.release();
      }
    });
    // Stryker disable next-line BlockStatement: depth only chooses FieldState (outermost run) or MapState, and MapState is right for every run
  } finally {
    // Stryker disable next-line UpdateOperator: depth only chooses FieldState (outermost run) or MapState, and MapState is right for every run
    depth--;
  }
  return captured;
}

function accumulate(t: Tensor, g: Tensor, createGraph: boolean, visible: Set<Storage>): void {
  if (createGraph) {
    t.grad = t.grad === null ? g : add(t.grad, g);
    return;
  }
  if (t.grad === null) {
    // `.grad` must own its storage: users and optimizers modify it in place. A fresh gradient
    // that nobody else sees (the usual case: a matmul's output) is taken over; a shared one
    // (add hands one tensor to both inputs; a view; the caller's own tensor) is copied.
    // (Contiguous with as many elements as its storage implies offset 0.)
    // Stryker disable next-line ConditionalExpression: → false always copies the gradient into .grad (taking it over is a performance path)
    const owned = g._contiguous && g._numel === g._storage.data.length && !visible.has(g._storage);
    t.grad = owned ? g.detach() : noGrad(() => g.clone());
  } else {
    t.grad = noGrad(() => add(t.grad!, g.detach()));
  }
  visible.add(t.grad._storage);
}

/**
 * Computes gradients of `outputs` and accumulates them into the leaves' `.grad` (what `tensor.backward()` calls).
 * @internal
 */
export function backward(outputs: readonly Tensor[], grads: readonly TensorLike[] | undefined, options: BackwardOptions = EMPTY): void {
  // Stryker disable ConditionalExpression,StringLiteral,ObjectLiteral: → false also parses the frozen empty default (same result); the strings and the forms object are error-message text
  const o =
    options === EMPTY
      ? options
      : parseOptions('backward', options, BACKWARD_OPTIONS, {
          forms: 'x.backward(), x.backward(gradient) or x.backward(gradient, { retainGraph, createGraph })',
        });
  // Stryker restore ConditionalExpression,StringLiteral,ObjectLiteral
  const g = rootGrads(outputs, grads);
  execute(outputs, g, o, null);
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned instead of accumulated into `.grad`.
 * With `createGraph: true` the result is itself differentiable (Hessian-vector products, gradient penalties).
 * @example
 * ```ts
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * const [g] = grad([x.pow(2).sum()], [x], { createGraph: true }); // 2x
 * const [h] = grad([g!.sum()], [x]);                                // 2
 * ```
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  // Stryker disable next-line StringLiteral: error message text
  const forms = 'grad(outputs, inputs) or grad(outputs, inputs, { gradOutputs, retainGraph, createGraph, allowUnused })';
  // Stryker disable next-line StringLiteral: error message text
  checkArity('grad', arguments, 3, forms);
  options = parseOptions('grad', options, GRAD_OPTIONS, { forms }) as GradOptions;
  for (const [name, v] of [
    ['outputs', outputs],
    ['inputs', inputs],
  ] as const) {
    if (!(v instanceof Tensor) && !(Array.isArray(v) && v.every((t) => t instanceof Tensor))) {
      // Stryker disable next-line StringLiteral: error message text
      throw new ArgumentTypeError(`grad: ${name} must be a Tensor or an array of Tensors, got ${describe(v)}; accepted forms: ${forms}`);
    }
  }
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const ins = inputs instanceof Tensor ? [inputs] : inputs;
  ins.forEach((t, i) => {
    if (!t._requiresGrad) throw new AutogradError(`grad: input ${i} (shape ${fmtShape(t.shape)}) does not require grad`);
  });
  const g = rootGrads(outs, options.gradOutputs);
  const nodes = ins.map((t) => t._gradEdge());
  const captured = execute(outs, g, options, nodes);
  return ins.map((t, i) => {
    const value = captured.get(nodes[i]!);
    if (value === undefined) {
      if (options.allowUnused) return null;
      throw new AutogradError(
        `grad: input ${i} (shape ${fmtShape(t.shape)}) was not used to compute the outputs; pass allowUnused: true to get null for it`,
      );
    }
    return value;
  });
}
