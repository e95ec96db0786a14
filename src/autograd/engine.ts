/**
 * The backward engine: walks the graph from the outputs in reverse topological order, iteratively
 * (no recursion, so a 100 000-op chain is fine), summing the gradients that reach a tensor more than once.
 * @module
 */
import { isFloat } from './dtype.js';
import { AutogradError, ShapeError, fmtShape } from './errors.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { AccumulateGrad, anomaly, type Node } from './node.js';
import { sameShape } from './shape.js';
import { Tensor, type TensorLike } from './tensor.js';
import { add, lift, toDType } from './ops/elementwise.js';
import { any, sum } from './ops/reduce.js';
import { expand } from './ops/shape.js';

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

function rootGrads(outputs: readonly Tensor[], grads: readonly TensorLike[] | undefined): Tensor[] {
  if (grads && grads.length !== outputs.length) {
    throw new AutogradError(`backward: got ${grads.length} gradients for ${outputs.length} outputs`);
  }
  return outputs.map((out, i) => {
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
        throw new AutogradError(`backward: the gradient can only be implied for scalar outputs, but output ${i} has shape ${fmtShape(out.shape)}; pass a gradient of that shape`);
      }
      return Tensor._fromData(out.dtype === 'float64' ? new Float64Array([1]) : new Float32Array([1]), out.shape, out.dtype);
    }
    const g = lift('backward', given, out.dtype);
    if (!sameShape(g.shape, out.shape)) {
      throw new ShapeError(`backward: the gradient has shape ${fmtShape(g.shape)} but output ${i} has shape ${fmtShape(out.shape)}`);
    }
    return g;
  });
}

/** Counts, for each node reachable from the roots, how many edges lead into it. */
function dependencies(roots: readonly Node[]): Map<Node, number> {
  const deps = new Map<Node, number>();
  const stack = [...new Set(roots)];
  const seen = new Set<Node>(stack);
  while (stack.length) {
    const node = stack.pop()!;
    for (const next of node.next) {
      if (next === null) continue;
      deps.set(next, (deps.get(next) ?? 0) + 1);
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return deps;
}

function runHooks(node: Node, g: Tensor): Tensor {
  if (node.hooks === null) return g;
  for (const hook of node.hooks) {
    const replaced = hook(g);
    if (replaced instanceof Tensor) g = replaced;
  }
  return g;
}

function checkFinite(node: Node, grads: (Tensor | null)[]): void {
  for (const g of grads) {
    if (g && isFloat(g.dtype) && noGrad(() => any(g.isnan()).item())) {
      throw new AutogradError(
        `detectAnomaly: the backward of '${node.name}' produced NaN. The forward op was created at:\n${node.trace ?? '(unknown: created outside detectAnomaly)'}`,
      );
    }
  }
}

function fitGrad(node: Node, i: number, g: Tensor): Tensor {
  const shape = node.inputShapes[i]!;
  if (!sameShape(g.shape, shape)) {
    throw new ShapeError(`backward of '${node.name}': gradient ${i} has shape ${fmtShape(g.shape)} but the input has shape ${fmtShape(shape)}`);
  }
  const dtype = node.inputDTypes[i]!;
  return g.dtype === dtype ? g : toDType(g, dtype);
}

/**
 * The engine: propagates `grads` from `outputs`. With `capture`, gradients arriving at those nodes
 * are returned instead of accumulated into leaves (the functional `grad`).
 * @internal
 */
export function execute(outputs: readonly Tensor[], grads: Tensor[], options: BackwardOptions, capture: Node[] | null): Map<Node, Tensor> {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const roots = outputs.map((o) => o._gradEdge());
  const deps = dependencies(roots);
  const pending = new Map<Node, Tensor>();
  roots.forEach((node, i) => {
    const prev = pending.get(node);
    pending.set(node, prev ? add(prev, grads[i]!) : grads[i]!);
  });
  const wanted = capture ? new Set(capture) : null;
  const captured = new Map<Node, Tensor>();
  const ready: Node[] = [...new Set(roots)].filter((n) => !deps.has(n));
  const mode = createGraph ? enableGrad : noGrad;

  mode(() => {
    while (ready.length) {
      const node = ready.pop()!;
      let g = pending.get(node);
      pending.delete(node);
      if (g !== undefined) g = runHooks(node, g);
      if (g !== undefined && wanted?.has(node)) captured.set(node, g);
      if (node instanceof AccumulateGrad) {
        if (g !== undefined && wanted === null) accumulate(node.leaf, g, createGraph);
        continue;
      }
      if (g !== undefined && node.retainFor) accumulate(node.retainFor, g, createGraph);
      const inputGrads = g === undefined ? null : node.apply(g);
      if (inputGrads && anomaly.enabled) checkFinite(node, inputGrads);
      for (let i = 0; i < node.next.length; i++) {
        const next = node.next[i];
        if (!next) continue;
        const gi = inputGrads?.[i];
        if (gi) {
          const fitted = fitGrad(node, i, gi);
          const prev = pending.get(next);
          pending.set(next, prev ? add(prev, fitted) : fitted);
        }
        const left = deps.get(next)! - 1;
        deps.set(next, left);
        if (left === 0) ready.push(next);
      }
      if (!retainGraph) node.release();
    }
  });
  return captured;
}

function accumulate(t: Tensor, g: Tensor, createGraph: boolean): void {
  const value = createGraph ? g : g.detach();
  if (t.grad === null) {
    // Own the storage: the incoming gradient may be a view of another tensor (an expand or a reshape).
    t.grad = createGraph ? value : noGrad(() => (value._storage.data.length === value.numel() && value._contiguous ? value : value.clone()));
  } else {
    t.grad = createGraph ? add(t.grad, value) : noGrad(() => add(t.grad!, value));
  }
}

/**
 * Computes gradients of `outputs` and accumulates them into the leaves' `.grad` (what `tensor.backward()` calls).
 * @internal
 */
export function backward(outputs: readonly Tensor[], grads: readonly TensorLike[] | undefined, options: BackwardOptions = {}): void {
  const g = rootGrads(outputs, grads);
  execute(outputs, g, options, null);
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
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
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
      throw new AutogradError(`grad: input ${i} (shape ${fmtShape(t.shape)}) was not used to compute the outputs; pass allowUnused: true to get null for it`);
    }
    return sameShape(value.shape, t.shape) ? value : expand(sum(value), t.shape);
  });
}
