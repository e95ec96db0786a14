/**
 * Batched evaluation of a recorded linear map, the engine of `jacobian(..., { vectorize: true })`.
 *
 * A vector-Jacobian product `v ↦ Jᵀv` is one backward pass from a cotangent `v`. That pass is
 * recorded once through the autograd tracing hook (every primitive call with its inputs,
 * constants included, its attributes and its output), then replayed on a stack of `k` cotangents
 * `[k, ...shape]`: each step that reads a batched value runs its primitive's batching rule
 * (batching-rules.ts), or, for a primitive without one, runs once per batch element and stacks.
 * Steps that read no batched value are constants: their recorded outputs are reused.
 *
 * Why the recording is complete: the pass is recorded with the backward rules in grad mode
 * (`createGraph`), where every rule computes in primitive calls (their recorded graphs are what
 * makes higher-order gradients right, which the OpInfo createGraph checks test), so every value that
 * depends on `v` is the output of a recorded step. Custom `Function`s run user code whose
 * arithmetic need not go through primitives; a graph holding one is refused.
 * @module
 */
import { describe } from '../args.js';
import { AutogradError, NotImplementedError } from '../errors.js';
import type { Node } from '../node.js';
import { tracing } from '../node.js';
import type { Prim } from '../primitives.js';
import { run } from '../tape.js';
import { cat } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { BATCH_RULES, type BatchRule } from './batching-rules.js';

/** One recorded call: the op's name (a primitive, or `detach`, `inplace`, `Function`), inputs, attributes, output. @internal */
export interface TraceStep {
  op: string;
  inputs: readonly Tensor[];
  attrs: unknown;
  out: Tensor;
}

/**
 * A recorded computation of `outputs` from `leaves`. Replaying it batched is `vmap` of it with
 * whatever the recording read from data (indices, masks, branches) fixed; the vector-Jacobian
 * products replayed here are linear in the leaves and read nothing from them. @internal
 */
export interface Trace {
  leaves: readonly Tensor[];
  steps: readonly TraceStep[];
  outputs: readonly Tensor[];
}

/** How a primitive was batched: by its rule, or once per batch element. @internal */
export type BatchedBy = 'rule' | 'per-element';

/**
 * Test hooks: `onStep` sees every batched primitive call and how it ran (tests check that each
 * primitive goes through its rule, or, where the table says null, through the per-element
 * fallback); `perElementOnly` runs every primitive per element, the reference the rules are
 * compared with. @internal
 */
export const batchHooks: { onStep: ((prim: Prim, by: BatchedBy) => void) | null; perElementOnly: boolean } = {
  onStep: null,
  perElementOnly: false,
};

/** Records `compute(leaves)` through the tracing hook (passing each call on to an outer trace, if any). @internal */
export function recordTrace(leaves: readonly Tensor[], compute: (leaves: readonly Tensor[]) => readonly Tensor[]): Trace {
  const steps: TraceStep[] = [];
  const outer = tracing.record;
  tracing.record = (op, inputs, attrs, out) => {
    steps.push({ op, inputs: inputs.slice(), attrs, out });
    if (outer !== null) outer(op, inputs, attrs, out);
  };
  let outputs: readonly Tensor[];
  try {
    outputs = compute(leaves);
  } finally {
    tracing.record = outer;
  }
  return { leaves, steps, outputs };
}

/**
 * Throws a `NotImplementedError` when the graph behind `roots` holds a custom `Function`, whose
 * backward is user code the batched replay cannot see into.
 * @internal
 */
export function checkBatchable(op: string, roots: readonly Tensor[]): void {
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const t of roots) if (t._gradFn) stack.push(t._gradFn);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node.userCode) {
      throw new NotImplementedError(
        `${op}: vectorize: true cannot batch the backward of the custom Function '${node.name}' (user code); use vectorize: false`,
      );
    }
    for (const next of node.next) if (next !== null && !seen.has(next)) stack.push(next);
  }
}

/** The steps that contribute to the outputs, by a backward sweep over the trace. */
function liveSteps(trace: Trace): boolean[] {
  const needed = new Set<Tensor>(trace.outputs);
  const live = new Array<boolean>(trace.steps.length).fill(false);
  for (let i = trace.steps.length - 1; i >= 0; i--) {
    const step = trace.steps[i]!;
    if (!needed.has(step.out)) continue;
    live[i] = true;
    for (const t of step.inputs) needed.add(t);
  }
  return live;
}

/** Runs `prim` once per batch element (slicing the batched inputs) and stacks the results. */
function perElement(prim: Prim, inputs: readonly Tensor[], batched: readonly boolean[], attrs: unknown, k: number): Tensor {
  const parts: Tensor[] = [];
  for (let b = 0; b < k; b++) {
    const ins = inputs.map((t, i) =>
      batched[i] ? run('reshape', [run('slice', [t], { dim: 0, start: b, end: b + 1, step: 1 })], { shape: t.shape.slice(1) }) : t,
    );
    const out = run(prim, ins, attrs as never);
    parts.push(run('reshape', [out], { shape: [1, ...out.shape] }));
  }
  return parts.length === 1 ? parts[0]! : cat(parts, 0);
}

/** Runs one step on batched inputs. */
function batchStep(op: string, step: TraceStep, inputs: readonly Tensor[], batched: readonly boolean[], k: number): Tensor {
  if (step.op === 'detach') return inputs[0]!.detach();
  if (!Object.hasOwn(BATCH_RULES, step.op)) {
    throw new NotImplementedError(
      `${op}: vectorize: true cannot batch '${step.op}' in the backward pass (not a primitive); use vectorize: false`,
    );
  }
  const prim = step.op as Prim;
  const rule = BATCH_RULES[prim] as BatchRule<unknown> | null;
  const out = rule === null || batchHooks.perElementOnly ? null : rule(inputs, batched, step.attrs, k, step.out);
  batchHooks.onStep?.(prim, out === null ? 'per-element' : 'rule');
  const result = out ?? perElement(prim, inputs, batched, step.attrs, k);
  const want = step.out.shape;
  if (
    result.ndim !== want.length + 1 ||
    result.shape[0] !== k ||
    want.some((s, d) => result.shape[d + 1] !== s) ||
    result.dtype !== step.out.dtype
  ) {
    throw new AutogradError(
      `${op}: internal error: the batching rule of '${prim}' gave shape [${result.shape.join(', ')}] (${result.dtype}) for a batch of ${k} of shape [${want.join(', ')}] (${step.out.dtype})`,
    );
  }
  return result;
}

/**
 * Evaluates `trace` with its leaves replaced by `batchedLeaves` (`[k, ...leaf shape]`; a null entry
 * keeps the recorded leaf for every batch element). Returns each output with the batch dim first.
 * Runs in the caller's grad mode: with grad on, the results are connected to the recorded constants' graph.
 * @internal
 */
export function evaluateBatched(op: string, trace: Trace, batchedLeaves: readonly (Tensor | null)[], k: number): Tensor[] {
  // A value changed in place after a step read it would be read changed by the replay.
  const inplace = trace.steps.find((s) => s.op === 'inplace');
  if (inplace)
    throw new NotImplementedError(
      `${op}: vectorize: true cannot batch a backward pass with an in-place op (${describe((inplace.attrs as { name?: unknown } | null)?.name)}); use vectorize: false`,
    );
  const values = new Map<Tensor, Tensor>();
  trace.leaves.forEach((leaf, i) => {
    const b = batchedLeaves[i];
    if (b !== null && b !== undefined) values.set(leaf, b);
  });
  const live = liveSteps(trace);
  trace.steps.forEach((step, i) => {
    if (!live[i]) return;
    const batched = step.inputs.map((t) => values.has(t));
    if (!batched.includes(true)) return;
    const inputs = step.inputs.map((t) => values.get(t) ?? t);
    values.set(step.out, batchStep(op, step, inputs, batched, k));
  });
  return trace.outputs.map((o) => values.get(o) ?? run('expand', [o], { shape: [k, ...o.shape] }));
}
