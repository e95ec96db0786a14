/**
 * `Parameter`: a tensor that a {@link Module} owns and trains.
 * @module
 */
import { isFloat } from '../autograd/dtype.js';
import { TapegradError } from '../autograd/errors.js';
import { isContiguousLayout } from '../autograd/shape.js';
import { bool, checkArity, describe, parseOptions } from '../autograd/args.js';
import { Tensor } from '../autograd/tensor.js';
import { brandClass } from '../autograd/brand.js';

/**
 * A tensor that is a trainable weight of a module. Modules find their parameters by walking their own
 * fields, so assigning a `Parameter` to a field registers it. `new Parameter(t)` shares `t`'s data
 * (no copy) and requires grad by default (int32 and bool parameters never require grad).
 * @example
 * ```ts
 * const w = new Parameter(randn([3, 4]));
 * w.requiresGrad; // true
 * ```
 */
export class Parameter extends Tensor {
  /**
   * Wraps `data` (shared, not copied) as a leaf parameter. An empty float32 parameter is made when
   * `data` is omitted.
   */
  constructor(data?: Tensor, requiresGrad: boolean | { requiresGrad?: boolean } = true) {
    if (data !== undefined && !(data instanceof Tensor)) {
      throw new TapegradError(`Parameter: expected a Tensor, got ${describe(data)}`);
    }
    const flag =
      typeof requiresGrad === 'boolean'
        ? requiresGrad
        : (parseOptions(
            'Parameter',
            requiresGrad,
            { requiresGrad: bool },
            { forms: 'new nn.Parameter(data?, requiresGrad?) or new nn.Parameter(data, { requiresGrad })' },
          ).requiresGrad ?? true);
    checkArity('Parameter', arguments, 2, 'new nn.Parameter(data?, requiresGrad?)');
    const src = data ?? Tensor._fromData(new Float32Array(0), [0], 'float32');
    super(src._storage, src.shape, src._strides, src._offset, src.dtype);
    if (flag && isFloat(this.dtype)) this.requiresGrad_(true);
  }

  /** The parameter's values as a tensor cut from the graph (sharing storage). */
  get data(): Tensor {
    return this.detach();
  }

  /**
   * Replaces the parameter's values by `value` (any shape and dtype), keeping the Parameter object,
   * so optimizers and modules that hold it see the change. Like PyTorch's `param.data = value`.
   */
  set data(value: Tensor) {
    setTensorData(this, value);
  }

  /** Prints as `Parameter containing:\ntensor(...)` like PyTorch. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
brandClass(Parameter, 'Parameter');

/**
 * Points `target` at the storage, shape, strides and dtype of `value` without changing its identity.
 * Used by `Module.to(dtype)` and `Parameter.data = ...`; the target must be a leaf. @internal
 */
export function setTensorData(target: Tensor, value: Tensor): void {
  if (!target.isLeaf) throw new TapegradError('Parameter.data: only the data of a leaf tensor can be replaced');
  const t = target as unknown as {
    _storage: unknown;
    shape: readonly number[];
    _strides: readonly number[];
    _offset: number;
    dtype: string;
    _contiguous: boolean;
    _numel: number;
    _operand: unknown;
    _requiresGrad: boolean;
    _accumulator: { hooks: unknown[] | null } | null;
  };
  const oldHooks = t._accumulator?.hooks ?? null;
  t._storage = value._storage;
  t.shape = value.shape;
  t._strides = value._strides;
  t._offset = value._offset;
  t.dtype = value.dtype;
  t._contiguous = isContiguousLayout(value.shape, value._strides);
  t._numel = value._numel;
  t._operand = null;
  if (!isFloat(value.dtype)) t._requiresGrad = false;
  // The accumulator node caches the leaf's shape and dtype: rebuild it, keeping the user's hooks.
  t._accumulator = null;
  if (oldHooks && oldHooks.length > 0 && t._requiresGrad) (target._gradEdge() as { hooks: unknown[] | null }).hooks = oldHooks;
  const g = target.grad;
  if (g !== null) {
    const same = g.shape.length === value.shape.length && g.shape.every((s, i) => s === value.shape[i]);
    target.grad = same && isFloat(value.dtype) ? g.to(value.dtype) : null;
  }
}
