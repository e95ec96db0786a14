/**
 * In-place ops. The result is computed out of place, then written into the tensor's storage and
 * its version counter bumped, so a backward that saved the old value fails clearly.
 * @module
 */
import { canCast, isFloat, checkValueFits } from '../dtype.js';
import { AutogradError, DTypeError, NotImplementedError } from '../errors.js';
import { isGradEnabled, noGrad } from '../grad-mode.js';
import { copyInto } from '../prims/movement.js';
import { defaultGenerator, type Generator } from '../random.js';
import { numelOf } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { lift, toDType, where } from './elementwise.js';
import { clone, expand } from './shape.js';
import { creating, tracing, type Node } from '../node.js';

function checkTarget(x: Tensor, op: string, tracked: boolean): void {
  if (tracked && x.isLeaf && x._requiresGrad) {
    throw new AutogradError(
      `${op}: a leaf tensor that requires grad cannot be modified in place; wrap the update in noGrad(() => ...) (as optimizers do) or clone() it first`,
    );
  }
}

/**
 * Writes `value` (same shape, any dtype) into `x` and bumps its version; rebases x's graph when tracked.
 * Pass `value` as a thunk so that nodes it records which saved `x` get a copy of x's old value
 * (otherwise `y.mul_(3)` on a non-leaf would invalidate its own backward).
 * @internal
 */
export function inplace<T extends Tensor>(x: T, op: string, compute: Tensor | (() => Tensor)): T {
  let value: Tensor;
  const created: Node[] = [];
  if (compute instanceof Tensor) value = compute;
  else {
    const outer = creating.nodes;
    creating.nodes = created;
    try {
      value = compute();
    } finally {
      creating.nodes = outer;
    }
    if (outer !== null) outer.push(...created);
  }
  if (!canCast(value.dtype, x.dtype)) {
    throw new DTypeError(
      `${op}: the result has dtype ${value.dtype}, which cannot be stored in place into a ${x.dtype} tensor; use the out-of-place op`,
    );
  }
  const tracked = isGradEnabled() && value._requiresGrad;
  checkTarget(x, op, tracked);
  if (value.shape.length !== x.shape.length || value.shape.some((s, i) => s !== x.shape[i])) {
    throw new AutogradError(
      `${op}: the result has shape [${value.shape.join(', ')}] but the tensor has shape [${x.shape.join(', ')}]; in-place ops cannot broadcast the tensor itself`,
    );
  }
  if (tracked && (x._offset !== 0 || x._storage.data.length !== numelOf(x.shape))) {
    throw new NotImplementedError(`${op}: in-place ops on a view are not tracked by autograd; use the out-of-place op`);
  }
  if (tracked) for (const node of created) node._saveOriginal(x._storage, (t) => noGrad(() => clone(t.detach())));
  copyInto(x, toDType(value.detach(), x.dtype));
  x._storage.version++;
  if (tracing.record !== null) tracing.record('inplace', [value], { name: op }, x);
  if (tracked) {
    x._gradFn = value._gradFn;
    x._requiresGrad = true;
  }
  return x;
}

/** An all-true bool mask of `shape` (a broadcast view of one element). */
function allTrue(shape: readonly number[]): Tensor {
  return expand(Tensor._fromData(Uint8Array.of(1), [], 'bool'), shape);
}

/**
 * Overwrites `x` with `value` (already of x's shape and dtype). When x is on the tape it stays there,
 * as in PyTorch, with a zero gradient to what it held before (and `value`'s own gradient, if any).
 */
function overwrite<T extends Tensor>(x: T, op: string, value: Tensor): T {
  if (isGradEnabled() && (x._requiresGrad || value._requiresGrad)) return inplace(x, op, () => where(allTrue(x.shape), value, x));
  noGrad(() => copyInto(x, value));
  x._storage.version++;
  if (tracing.record !== null) tracing.record('inplace', [value], { name: op }, x);
  return x;
}

/** Fills `x` with a number in place. @internal */
export function fill_<T extends Tensor>(x: T, value: number): T {
  checkTarget(x, 'fill_', isGradEnabled());
  if (typeof value === 'number') checkValueFits('fill_', value, x.dtype);
  return overwrite(
    x,
    'fill_',
    noGrad(() => expand(lift('fill_', value, x.dtype).to(x.dtype), x.shape)),
  );
}

/** Copies `src` (broadcast to x's shape, any dtype) into `x` in place. @internal */
export function copy_<T extends Tensor>(x: T, src: TensorLike): T {
  checkTarget(x, 'copy_', isGradEnabled());
  const s = lift('copy_', src, x.dtype);
  return overwrite(x, 'copy_', toDType(expand(s, x.shape), x.dtype));
}

function randomFill<T extends Tensor>(x: T, op: string, sample: () => number): T {
  checkTarget(x, op, isGradEnabled());
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: needs a floating point tensor, got ${x.dtype}`);
  const n = x.numel();
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = sample();
  return overwrite(x, op, toDType(Tensor._fromData(values, x.shape, 'float64'), x.dtype));
}

/** Fills `x` with uniform samples in [low, high). @internal */
export function uniform_<T extends Tensor>(x: T, low: number, high: number, generator: Generator = defaultGenerator): T {
  return randomFill(x, 'uniform_', () => low + (high - low) * generator.random());
}

/** Fills `x` with normal samples. @internal */
export function normal_<T extends Tensor>(x: T, mean: number, std: number, generator: Generator = defaultGenerator): T {
  return randomFill(x, 'normal_', () => mean + std * generator.normal());
}
