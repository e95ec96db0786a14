/**
 * Gives the backward engine's dead intermediate gradients back to the buffer pool
 * (kernels/memory/pool.ts), so the next rule or the next forward pass reuses their memory.
 *
 * The ownership rule (docs/performance.md, "Storage and memory reuse"): the memory of a gradient
 * is released only when all of these hold:
 * - its buffer was handed out by the pool during this backward run (so it is not a forward
 *   tensor, a saved tensor, a caller's gradient or anything that existed before the run);
 * - nothing outside the engine has seen it: not the caller (root gradients), not a hook (its
 *   argument and its result), not a custom Function's backward (its gradient argument and its
 *   results), not `.grad` (a leaf's or a `retainGrad` tensor's), not the result of
 *   `autograd.grad`. Such buffers are marked exposed and never released during the run;
 * - no pending gradient of another node uses the same buffer (counted per ArrayBuffer, so views
 *   and re-wrapped arrays count too: `add` hands one tensor to both inputs);
 * - nothing records (no createGraph: a recorded gradient is part of a graph), and this is the
 *   outermost backward (a backward started from a hook keeps all its buffers).
 * @module
 */
import { bornAfter, POOL_MIN_BYTES, poolSerial, releaseFloat } from '../kernels/memory/pool.js';
import type { FloatArray } from '../kernels/typed-array.js';
import type { Tensor } from './tensor.js';

/**
 * Whether `t`'s storage is large enough for the pool to have handed it out. Checked before any
 * `.buffer` access: reading `.buffer` of a small (on-heap) typed array makes V8 move it off-heap.
 */
function poolSized(t: Tensor): boolean {
  return t._storage.data.byteLength >= POOL_MIN_BYTES;
}

/**
 * The release bookkeeping of one backward run: pending uses per buffer and the exposed buffers.
 * @example
 * ```ts
 * const rel = new GradReleaser();
 * rel.hold(g);  // g is pending for a node
 * rel.drop(g);  // consumed: its memory goes back to the pool if nobody can reach it
 * ```
 * @internal
 */
export class GradReleaser {
  /** Pool serial when the run started: buffers handed out later are this run's own. */
  private readonly start = poolSerial();
  private readonly uses = new Map<ArrayBufferLike, number>();
  private readonly exposed = new Set<ArrayBufferLike>();

  /** Whether `t`'s memory is this run's own (born during it); only such buffers are counted. */
  private own(t: Tensor): boolean {
    if (!poolSized(t)) return false;
    const d = t._storage.data;
    return (d instanceof Float32Array || d instanceof Float64Array) && bornAfter(d, this.start);
  }

  /** Someone outside the engine has seen `t`: its buffer is never released in this run. */
  expose(t: Tensor): void {
    if (poolSized(t)) this.exposed.add(t._storage.data.buffer);
  }

  /** `t` is now pending (the gradient of a node, or part of one). */
  hold(t: Tensor): void {
    if (!this.own(t)) return;
    const b = t._storage.data.buffer;
    this.uses.set(b, (this.uses.get(b) ?? 0) + 1);
  }

  /** Whether `t` is this run's own memory, unseen, and pending at most once (the use being consumed). */
  sole(t: Tensor): boolean {
    if (!this.own(t)) return false;
    const b = t._storage.data.buffer;
    return !this.exposed.has(b) && (this.uses.get(b) ?? 0) <= 1;
  }

  /** One pending use of `t` is consumed; frees the buffer when it was the last and nobody saw it. */
  drop(t: Tensor): void {
    if (!this.own(t)) return;
    const b = t._storage.data.buffer;
    const left = (this.uses.get(b) ?? 1) - 1;
    if (left > 0) {
      this.uses.set(b, left);
      return;
    }
    this.uses.delete(b);
    this.free(t);
  }

  /** `t` was used up without ever being pending (added into another gradient): free it unless held or seen. */
  consumed(t: Tensor): void {
    if (this.own(t) && !this.uses.has(t._storage.data.buffer)) this.free(t);
  }

  private free(t: Tensor): void {
    const d = t._storage.data as FloatArray;
    if (!this.exposed.has(d.buffer)) releaseFloat(d);
  }
}

/**
 * The tensors whose `.grad` the engine made from memory nobody else can reach: marked by
 * backward, unmarked by any read or write of `.grad`. Only then may zeroGrad give it back.
 * (A WeakSet rather than a Tensor field: every tensor of a scalar tape would pay for the field.)
 */
const privateGrads = new WeakSet<Tensor>();

/**
 * Marks or unmarks `t.grad` as private (see `privateGrads`).
 * @example
 * ```ts
 * setGradPrivate(p, false); // p.grad was read: never reuse its memory
 * ```
 * @internal
 */
export function setGradPrivate(t: Tensor, on: boolean): void {
  if (on) privateGrads.add(t);
  else privateGrads.delete(t);
}

/**
 * Whether `t.grad` is private (see {@link setGradPrivate}).
 * @example
 * ```ts
 * if (isGradPrivate(p)) releaseGrad(p._grad!);
 * ```
 * @internal
 */
export function isGradPrivate(t: Tensor): boolean {
  return privateGrads.has(t);
}

/**
 * Gives the memory of a former `.grad` back to the pool: the caller has just dropped `grad` from
 * a tensor whose `.grad` was private (nobody read `.grad` since backward made it).
 * @example
 * ```ts
 * if (isGradPrivate(p)) releaseGrad(p._grad!);
 * ```
 * @internal
 */
export function releaseGrad(grad: Tensor): void {
  if (!poolSized(grad)) return;
  const d = grad._storage.data;
  if (d instanceof Float32Array || d instanceof Float64Array) releaseFloat(d);
}

/**
 * Clears `p.grad` (zeroGrad with setToNone) and, when it was private, gives its memory back.
 * @example
 * ```ts
 * for (const p of params) clearGrad(p);
 * ```
 * @internal
 */
export function clearGrad(p: Tensor): void {
  const g = p._grad;
  if (g === null) return;
  if (privateGrads.has(p)) releaseGrad(g);
  p._grad = null;
  privateGrads.delete(p);
}
