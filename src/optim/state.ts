/**
 * The optimizers' per-parameter state and its access: state buffers, the state map, and dense
 * access to a parameter and its gradient as typed arrays (the loop every step runs).
 * @internal
 * @module
 */
import { allocate } from '../autograd/dtype.js';
import { ShapeError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { contiguousData } from '../autograd/ops/shape.js';
import { sameShape } from '../autograd/shape.js';
import { Tensor } from '../autograd/tensor.js';
import type { FloatArray } from '../kernels/typed-array.js';
import type { Optimizer, OptimizerOptions, ParamGroup, ParamState } from './optimizer.js';

/** A zero-filled (or `fill`-filled) contiguous buffer with the parameter's shape and dtype. @internal */
export function stateBuffer(p: Tensor, fill = 0): Tensor {
  const data = allocate(p.dtype, p.numel());
  if (fill !== 0) data.fill(fill);
  return Tensor._fromData(data, p.shape.slice(), p.dtype);
}

/** The typed array of a state buffer created by {@link stateBuffer} (or loaded from a state dict). @internal */
export function buf(state: ParamState, key: string): FloatArray {
  return (state[key] as Tensor)._storage.data as FloatArray;
}

/**
 * Calls `update(p, g)` with the parameter and its gradient as dense typed arrays, for every
 * parameter of `params` whose grad is not null; writes back and bumps the storage version.
 * A non-contiguous parameter is updated through a contiguous copy.
 * @internal
 */
export function forEachGrad(opt: string, params: readonly Tensor[], update: (p: Tensor, pd: FloatArray, gd: FloatArray) => void): void {
  for (const p of params) {
    // `_grad`, not `.grad`: the step only reads it, so it stays private (zeroGrad may free it).
    let g = p._grad;
    if (g === null) continue;
    if (!sameShape(g.shape, p.shape)) {
      throw new ShapeError(
        `${opt}.step: the gradient has shape [${g.shape.join(', ')}] but the parameter has shape [${p.shape.join(', ')}]`,
      );
    }
    if (g.dtype !== p.dtype) g = noGrad(() => g!.to(p.dtype));
    const gd = contiguousData(g) as FloatArray;
    withDenseParam(p, (pd) => update(p, pd, gd));
  }
}

/**
 * Calls `update` with the parameter's values as a dense typed array that it may write, then makes
 * the write visible (directly for a contiguous parameter, through a copy otherwise) and bumps the version.
 * @internal
 */
export function withDenseParam(p: Tensor, update: (pd: FloatArray) => void): void {
  if (p._contiguous) {
    const n = p.numel();
    const all = p._storage.data as FloatArray;
    const pd = p._offset === 0 && all.length === n ? all : all.subarray(p._offset, p._offset + n);
    update(pd);
    p._storage.version++;
  } else {
    const tmp = noGrad(() => p.detach().clone());
    update(tmp._storage.data as FloatArray);
    noGrad(() => p.copy_(tmp));
  }
}

/** The state of `p`, created by `init` on first use. @internal */
export function stateOf(states: Map<Tensor, ParamState>, p: Tensor, init: () => ParamState): ParamState {
  let s = states.get(p);
  if (s === undefined) {
    s = init();
    states.set(p, s);
  }
  return s;
}

/**
 * The loop of a stateful optimizer's step, under `noGrad`: for every parameter with a gradient, in
 * every group, gets its state (created by `init` on first use), increments `state.step` and calls
 * `update` with the group, the state, the new step count `t` (1-based) and the dense parameter and
 * gradient arrays.
 * @internal
 */
export function stepEach<O extends OptimizerOptions>(
  opt: Optimizer<O>,
  init: (p: Tensor, group: ParamGroup<O>) => ParamState,
  update: (group: ParamGroup<O>, s: ParamState, t: number, pd: FloatArray, gd: FloatArray, p: Tensor) => void,
): void {
  noGrad(() => {
    for (const group of opt.paramGroups) {
      forEachGrad(opt.name, group.params, (p, pd, gd) => {
        const s = stateOf(opt.state, p, () => init(p, group));
        const t = (s['step'] as number) + 1;
        s['step'] = t;
        update(group, s, t, pd, gd, p);
      });
    }
  });
}
