/**
 * The Tensor: a strided view of a typed array, with autograd state. Methods are thin sugar over
 * the functions in `ops/`; the data model is described in DESIGN.md section 2.
 * @module
 */
import { setGradPrivate } from './grad-release.js';
import type { DType, TypedArray } from './dtype.js';
import { dtypeOption, isFloat } from './dtype.js';
import { ArgumentTypeError, AutogradError, DTypeError, ValueError, fmtShape } from './errors.js';
import { formatTensor } from './format.js';
import { AccumulateGrad, tracing, type GradHook, type Node } from './node.js';
import { GradFn } from './grad-fn.js';
import { contiguousStrides, isContiguousLayout, numelOf } from './shape.js';
import { backward as runBackward, type BackwardOptions } from './engine.js';
import * as E from './ops/elementwise.js';
import * as A from './ops/activation.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';
import * as J from './ops/to-js.js';
import * as I from './ops/indexing.js';
import * as L from './ops/linalg.js';
import * as P from './ops/inplace.js';
import * as IX from './ops/index-expr.js';
import * as O from './ops/ordering.js';
import * as RA from './ops/rearrange.js';
import * as TR from './ops/triangular.js';
import * as RO from './ops/rounding.js';
import type { IndexItem } from './ops/index-spec.js';
import { Generator } from './random.js';
import { checkArity, describe, instance, isPlainObject, parseOptions, sizesOf } from './args.js';
import type { DTypeReduceOptions, DimOptions, Dims, ReduceArgs, ReduceOptions } from './ops/reduce-args.js';
import type { NormArgs, VarArgs } from './ops/reduce.js';
import type { Operand } from '../kernels/strided.js';
import { brandClass } from './brand.js';

/** Node's `util.inspect.custom` (a registered symbol, so the typings need no Node types). */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/** Typed-array storage shared by a tensor and its views, with a version counter for in-place checks. @internal */
export interface Storage {
  readonly data: TypedArray;
  version: number;
}

/** A tensor operand: a Tensor or a JS number (which takes the tensor's dtype where it can). */
export type TensorLike = Tensor | number;

/** Options for reductions. */
export interface KeepDim {
  /** Keep reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/**
 * The result of `max(dim)` / `min(dim)`, like PyTorch's named tuple: destructure it as
 * `const [values, indices] = x.max(1)` or read `.values` and `.indices`.
 */
export interface ValuesIndices extends Iterable<Tensor> {
  /** The reduced values (differentiable). */
  readonly values: Tensor;
  /** Their positions along the dim (int32). */
  readonly indices: Tensor;
  /** The values. */
  readonly 0: Tensor;
  /** The indices. */
  readonly 1: Tensor;
  /** Always 2. */
  readonly length: 2;
}

/** Nested arrays of numbers or booleans, as returned by {@link Tensor.toArray}. */
export type NestedArray = number | boolean | NestedArray[];

const NO_STRIDES: readonly number[] = Object.freeze([]);

/** Reads `{ generator }` of the random in-place fills. */
function generatorOf(op: string, options: unknown): Generator | undefined {
  return options === undefined
    ? undefined
    : parseOptions(op, options, { generator: instance(Generator) }, { forms: `x.${op}(a, b) or x.${op}(a, b, { generator })` }).generator;
}

const BACKWARD_FORMS =
  'x.backward(), x.backward({ retainGraph, createGraph }), x.backward(gradient) or x.backward(gradient, { retainGraph, createGraph })';

let warnedNonLeafGrad = false;

/** PyTorch's UserWarning for reading `.grad` of a non-leaf, once per process. */
function warnNonLeafGrad(): void {
  if (warnedNonLeafGrad) return;
  warnedNonLeafGrad = true;
  const emit = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } }).process?.emitWarning;
  emit?.(
    'The .grad of a tensor that is not a leaf was read. It is not filled in by backward() (it stays null); ' +
      'call .retainGrad() on the tensor before backward() to keep its gradient, or read the gradient of the leaf instead. ' +
      'This warning is shown once.',
    { type: 'UserWarning', code: 'TAPEGRAD_NON_LEAF_GRAD' },
  );
}

/** The shape array frozen last: freezing it again is skipped. */
let lastFrozenShape: readonly number[] = NO_STRIDES;
const UNIT_STRIDE: readonly number[] = Object.freeze([1]);

/**
 * An n-dimensional array with reverse-mode autograd. Create one with {@link tensor}, {@link zeros},
 * {@link randn} and friends; every op records itself on the tape when an input requires grad.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad; // tensor([[2, 4], [6, 8]])
 * ```
 */
export class Tensor {
  /** @internal */ readonly _storage: Storage;
  /** The size of each dim. */
  readonly shape: readonly number[];
  /** Elements to step in storage per step along each dim. @internal */
  readonly _strides: readonly number[];
  /** Position of the first element in storage. @internal */
  readonly _offset: number;
  /** Element type. */
  readonly dtype: DType;
  /** Backing field of {@link Tensor.grad}. @internal */
  _grad: Tensor | null = null;
  /** The node that produced this tensor, null for leaves. @internal */
  _gradFn: Node | null = null;
  /** @internal */ _requiresGrad = false;
  /** @internal */ _accumulator: AccumulateGrad | null = null;
  /** @internal */ readonly _contiguous: boolean;
  /** @internal */ readonly _numel: number;
  /** The kernel operand view of this tensor, made on first use (layout never changes). @internal */
  _operand: Operand | null = null;

  /**
   * @internal Use {@link tensor} or the other creation functions. `denseNumel`, when given, says
   * the layout is row-major contiguous with that many elements (a fresh array), so neither is recomputed.
   */
  constructor(storage: Storage, shape: readonly number[], strides: readonly number[], offset: number, dtype: DType, denseNumel?: number) {
    this._storage = storage;
    // Frozen so that `x.shape.reverse()` or `x.shape[0] = 4` cannot corrupt the tensor. Outputs
    // often share their input's (already frozen) shape array: then the freeze call is skipped.
    if (shape !== lastFrozenShape) lastFrozenShape = Object.freeze(shape);
    this.shape = shape;
    this._strides = strides;
    this._offset = offset;
    this.dtype = dtype;
    this._contiguous = denseNumel !== undefined || isContiguousLayout(shape, strides);
    this._numel = denseNumel ?? numelOf(shape);
  }

  /** Wraps a fresh contiguous typed array. @internal */
  static _fromData(data: TypedArray, shape: readonly number[], dtype: DType): Tensor {
    // 0-d and 1-d tensors (most small ones) share their stride arrays: strides are never written.
    const strides = shape.length === 0 ? NO_STRIDES : shape.length === 1 ? UNIT_STRIDE : contiguousStrides(shape);
    return new Tensor({ data, version: 0 }, shape, strides, 0, dtype, numelOf(shape));
  }

  // ---- properties ------------------------------------------------------------------------

  /** Number of dims. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  numel(): number {
    if (arguments.length > 0) checkArity('numel', arguments, 0, 'x.numel()');
    return this._numel;
  }
  /** The shape, or the size of one dim (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[S.dimOf('size', dim, this.ndim)]!;
  }
  /** Strides in elements, as in PyTorch. */
  stride(): number[] {
    if (arguments.length > 0) checkArity('stride', arguments, 0, 'x.stride()');
    return this._strides.slice();
  }
  /** True when the elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    if (arguments.length > 0) checkArity('isContiguous', arguments, 0, 'x.isContiguous()');
    return this._contiguous;
  }
  /** True when gradients are tracked for this tensor. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  /** Setting it is the same as {@link Tensor.requiresGrad_}. */
  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }
  /** True for tensors not produced by a recorded op (user-created tensors and parameters). */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }
  /**
   * The backward function that produced this tensor (like PyTorch's `grad_fn`), or null for a leaf:
   * `name` (`'MulBackward'`), `nextFunctions`, `savedShapes`; `${t.gradFn}` gives the name.
   */
  get gradFn(): GradFn | null {
    return this._gradFn ? GradFn._of(this._gradFn) : null;
  }

  /**
   * The accumulated gradient of a leaf (or of a tensor that called {@link Tensor.retainGrad}); null
   * until backward. Reading it on a non-leaf that did not call `retainGrad()` warns once (it stays
   * null), as PyTorch does.
   */
  get grad(): Tensor | null {
    if (this._gradFn !== null && this._grad === null && this._gradFn.retainFor !== this) warnNonLeafGrad();
    // Whoever reads `.grad` may keep it: its memory is never reused (grad-release.ts).
    if (this._grad !== null) setGradPrivate(this, false);
    return this._grad;
  }
  /** Sets or clears the gradient: a Tensor or null. */
  set grad(g: Tensor | null) {
    if (g !== null && !(g instanceof Tensor)) throw new ArgumentTypeError(`grad: must be a Tensor or null, got ${describe(g)}`);
    this._grad = g;
    setGradPrivate(this, false);
  }

  // ---- data access -------------------------------------------------------------------------

  /** The value of a one-element tensor as a JS number (booleans as 0/1). */
  item(): number {
    if (arguments.length > 0) checkArity('item', arguments, 0, 'x.item()');
    return J.item(this);
  }
  /** The elements as nested JS arrays (booleans as `true`/`false`). */
  toArray(): NestedArray {
    if (arguments.length > 0) checkArity('toArray', arguments, 0, 'x.toArray()');
    return J.toNested(this);
  }
  /** A contiguous copy of the elements as a typed array of the tensor's dtype. */
  dataSync(): TypedArray {
    if (arguments.length > 0) checkArity('dataSync', arguments, 0, 'x.dataSync()');
    return S.contiguousData(this).slice();
  }
  /** Prints like PyTorch: `tensor([1.0000, 2.0000], requiresGrad=true)`. */
  toString(): string {
    return formatTensor(this);
  }
  /**
   * What JS conversions see, like Python's `float(t)`: the number of a one-element tensor
   * (`running += loss`, `loss < 0.1`), the printed form for string conversion (`${t}`), and for a
   * tensor of more elements an error pointing to `.item()` / `.toArray()`.
   */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): number | string {
    if (hint === 'string') return formatTensor(this);
    if (this._numel !== 1) {
      throw new ValueError(
        `Tensor: a tensor of shape ${fmtShape(this.shape)} (${this._numel} elements) cannot be converted to a number; only one-element tensors can (use .item()), and .toArray() gives the elements`,
      );
    }
    return J.item(this);
  }
  /** Node's `util.inspect` and `console.log` use the PyTorch-style printing. @internal */
  [inspectCustom](): string {
    return formatTensor(this);
  }

  // ---- autograd ---------------------------------------------------------------------------

  /**
   * Computes the gradient of this tensor with respect to the leaves and accumulates it into their `.grad`.
   * `gradient` is required when the tensor is not a scalar.
   */
  backward(gradient?: TensorLike | BackwardOptions, options?: BackwardOptions): void {
    if (arguments.length > 2) checkArity('backward', arguments, 2, BACKWARD_FORMS);
    if (isPlainObject(gradient)) {
      // PyTorch's loss.backward(retain_graph=True): the options alone, without a gradient.
      if (options !== undefined)
        throw new ArgumentTypeError(
          `backward: the gradient must be a Tensor or a number, got ${describe(gradient)}; accepted forms: ${BACKWARD_FORMS}`,
        );
      [gradient, options] = [undefined, gradient];
    }
    runBackward([this], gradient === undefined ? undefined : [gradient as TensorLike], options);
  }
  /** A tensor sharing the same data but cut from the graph (never requires grad). */
  detach(): Tensor {
    if (arguments.length > 0) checkArity('detach', arguments, 0, 'x.detach()');
    const out = new Tensor(this._storage, this.shape, this._strides, this._offset, this.dtype);
    if (tracing.record !== null) tracing.record('detach', [this], null, out);
    return out;
  }
  /** Sets whether autograd records ops on this leaf; returns this. Only float tensors can require grad. */
  requiresGrad_(requiresGrad = true): this {
    if (arguments.length > 1) checkArity('requiresGrad_', arguments, 1, 'x.requiresGrad_(requiresGrad)');
    if (!this.isLeaf) {
      if (!requiresGrad) throw new AutogradError('requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor; use detach()');
      return this;
    }
    if (requiresGrad && !isFloat(this.dtype)) {
      throw new DTypeError(`requiresGrad_: only floating point tensors can require gradients, got dtype ${this.dtype}`);
    }
    this._requiresGrad = requiresGrad;
    return this;
  }
  /** Makes backward store `.grad` on this non-leaf tensor too. */
  retainGrad(): this {
    if (arguments.length > 0) checkArity('retainGrad', arguments, 0, 'x.retainGrad()');
    if (!this._requiresGrad) throw new AutogradError('retainGrad: the tensor does not require grad');
    if (this._gradFn) this._gradFn.retainFor = this;
    return this;
  }
  /** Registers a hook called with this tensor's gradient during backward; it may return a replacement. Returns a remover. */
  registerHook(hook: GradHook): () => void {
    if (arguments.length > 1) checkArity('registerHook', arguments, 1, 'x.registerHook(hook)');
    if (!this._requiresGrad) throw new AutogradError('registerHook: cannot register a hook on a tensor that does not require grad');
    const node = this._gradEdge();
    (node.hooks ??= []).push(hook);
    return () => {
      const i = node.hooks?.indexOf(hook) ?? -1;
      if (i >= 0) node.hooks!.splice(i, 1);
    };
  }
  /** The node that receives this tensor's gradient: its gradFn, or the leaf's accumulator. @internal */
  _gradEdge(): Node {
    return this._gradFn ?? (this._accumulator ??= new AccumulateGrad(this));
  }

  // ---- dtype -------------------------------------------------------------------------------

  /** Converts to `dtype` (differentiable between float dtypes); returns this when it already has it. */
  to(dtype: DType | { dtype: DType }): Tensor {
    if (arguments.length > 1) checkArity('to', arguments, 1, "x.to('float64') or x.to({ dtype: 'float64' })");
    if (typeof dtype === 'object' && dtype !== null)
      dtype =
        parseOptions('to', dtype, { dtype: dtypeOption }, { forms: "x.to('float64') or x.to({ dtype: 'float64' })" }).dtype ?? this.dtype;
    return E.toDType(this, dtype);
  }
  /** Converts to float32. */
  float(): Tensor {
    if (arguments.length > 0) checkArity('float', arguments, 0, 'x.float()');
    return E.toDType(this, 'float32');
  }
  /** Converts to float64. */
  double(): Tensor {
    if (arguments.length > 0) checkArity('double', arguments, 0, 'x.double()');
    return E.toDType(this, 'float64');
  }
  /** Converts to int32 (truncating toward zero). */
  int(): Tensor {
    if (arguments.length > 0) checkArity('int', arguments, 0, 'x.int()');
    return E.toDType(this, 'int32');
  }
  /** Converts to bool (nonzero is true). */
  bool(): Tensor {
    if (arguments.length > 0) checkArity('bool', arguments, 0, 'x.bool()');
    return E.toDType(this, 'bool');
  }

  // ---- elementwise ------------------------------------------------------------------------

  /** `this + alpha * other`, broadcasting. */
  add(other: TensorLike, options?: { alpha?: number }): Tensor {
    if (arguments.length > 2) checkArity('add', arguments, 2, 'x.add(other, options)');
    return E.add(this, other, options);
  }
  /** `this - alpha * other`, broadcasting. */
  sub(other: TensorLike, options?: { alpha?: number }): Tensor {
    if (arguments.length > 2) checkArity('sub', arguments, 2, 'x.sub(other, options)');
    return E.sub(this, other, options);
  }
  /** Elementwise product, broadcasting. */
  mul(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('mul', arguments, 1, 'x.mul(other)');
    return E.mul(this, other);
  }
  /** True division, broadcasting (ints divide to float32). */
  div(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('div', arguments, 1, 'x.div(other)');
    return E.div(this, other);
  }
  /** `this ** exponent`, broadcasting. */
  pow(exponent: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('pow', arguments, 1, 'x.pow(exponent)');
    return E.pow(this, exponent);
  }
  /** Elementwise maximum (ties split the gradient equally). */
  maximum(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('maximum', arguments, 1, 'x.maximum(other)');
    return E.maximum(this, other);
  }
  /** Elementwise minimum (ties split the gradient equally). */
  minimum(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('minimum', arguments, 1, 'x.minimum(other)');
    return E.minimum(this, other);
  }
  /** `-this`. */
  neg(): Tensor {
    if (arguments.length > 0) checkArity('neg', arguments, 0, 'x.neg()');
    return E.neg(this);
  }
  /** `|this|`. */
  abs(): Tensor {
    if (arguments.length > 0) checkArity('abs', arguments, 0, 'x.abs()');
    return E.abs(this);
  }
  /** -1, 0 or 1 by sign (zero gradient). */
  sign(): Tensor {
    if (arguments.length > 0) checkArity('sign', arguments, 0, 'x.sign()');
    return E.sign(this);
  }
  /** `e ** this`. */
  exp(): Tensor {
    if (arguments.length > 0) checkArity('exp', arguments, 0, 'x.exp()');
    return E.exp(this);
  }
  /** Natural logarithm. */
  log(): Tensor {
    if (arguments.length > 0) checkArity('log', arguments, 0, 'x.log()');
    return E.log(this);
  }
  /** `log(1 + this)`, accurate near 0. */
  log1p(): Tensor {
    if (arguments.length > 0) checkArity('log1p', arguments, 0, 'x.log1p()');
    return E.log1p(this);
  }
  /** `exp(this) - 1`, accurate near 0. */
  expm1(): Tensor {
    if (arguments.length > 0) checkArity('expm1', arguments, 0, 'x.expm1()');
    return E.expm1(this);
  }
  /** Square root. */
  sqrt(): Tensor {
    if (arguments.length > 0) checkArity('sqrt', arguments, 0, 'x.sqrt()');
    return E.sqrt(this);
  }
  /** `1 / sqrt(this)`. */
  rsqrt(): Tensor {
    if (arguments.length > 0) checkArity('rsqrt', arguments, 0, 'x.rsqrt()');
    return E.rsqrt(this);
  }
  /** `1 / this`. */
  reciprocal(): Tensor {
    if (arguments.length > 0) checkArity('reciprocal', arguments, 0, 'x.reciprocal()');
    return E.reciprocal(this);
  }
  /** Sine. */
  sin(): Tensor {
    if (arguments.length > 0) checkArity('sin', arguments, 0, 'x.sin()');
    return E.sin(this);
  }
  /** Cosine. */
  cos(): Tensor {
    if (arguments.length > 0) checkArity('cos', arguments, 0, 'x.cos()');
    return E.cos(this);
  }
  /** Hyperbolic tangent. */
  tanh(): Tensor {
    if (arguments.length > 0) checkArity('tanh', arguments, 0, 'x.tanh()');
    return E.tanh(this);
  }
  /** Logistic sigmoid `1 / (1 + e^-x)`. */
  sigmoid(): Tensor {
    if (arguments.length > 0) checkArity('sigmoid', arguments, 0, 'x.sigmoid()');
    return E.sigmoid(this);
  }
  /** The Gauss error function. */
  erf(): Tensor {
    if (arguments.length > 0) checkArity('erf', arguments, 0, 'x.erf()');
    return E.erf(this);
  }
  /** `max(x, 0)`. */
  relu(): Tensor {
    if (arguments.length > 0) checkArity('relu', arguments, 0, 'x.relu()');
    return E.relu(this);
  }
  /** `x` for x > 0, `negativeSlope * x` otherwise (default slope 0.01). */
  leakyRelu(negativeSlope = 0.01): Tensor {
    if (arguments.length > 1) checkArity('leakyRelu', arguments, 1, 'x.leakyRelu(negativeSlope)');
    return A.leakyRelu(this, negativeSlope);
  }
  /** `x` for x > 0, `alpha * (e^x - 1)` otherwise. */
  elu(alpha = 1): Tensor {
    if (arguments.length > 1) checkArity('elu', arguments, 1, 'x.elu(alpha)');
    return A.elu(this, alpha);
  }
  /** Gaussian error linear unit, exact (`'none'`) or with the tanh approximation. */
  gelu(options?: { approximate?: 'none' | 'tanh' } | 'none' | 'tanh'): Tensor {
    if (arguments.length > 1) checkArity('gelu', arguments, 1, 'x.gelu(options)');
    return A.gelu(this, options);
  }
  /** `x * sigmoid(x)` (also called swish). */
  silu(): Tensor {
    if (arguments.length > 0) checkArity('silu', arguments, 0, 'x.silu()');
    return A.silu(this);
  }
  /** `log(1 + e^(beta x)) / beta`, linear above `threshold`. */
  softplus(...args: [options?: A.SoftplusOptions] | [beta: number, threshold?: number]): Tensor {
    return A.softplus(this, ...args);
  }
  /** The step function: 0 for x < 0, `values` at 0, 1 for x > 0. Its gradient is zero. */
  heaviside(values: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('heaviside', arguments, 1, 'x.heaviside(values)');
    return A.heaviside(this, values);
  }
  /** Clamps into [min, max]; either bound may be omitted (null or undefined). */
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor {
    if (arguments.length > 2) checkArity('clamp', arguments, 2, 'x.clamp(min, max)');
    return A.clamp(this, min, max);
  }
  /** Elementwise `==`, a bool tensor. */
  eq(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('eq', arguments, 1, 'x.eq(other)');
    return E.eq(this, other);
  }
  /** Elementwise `!=`, a bool tensor. */
  ne(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('ne', arguments, 1, 'x.ne(other)');
    return E.ne(this, other);
  }
  /** Elementwise `<`, a bool tensor. */
  lt(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('lt', arguments, 1, 'x.lt(other)');
    return E.lt(this, other);
  }
  /** Elementwise `<=`, a bool tensor. */
  le(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('le', arguments, 1, 'x.le(other)');
    return E.le(this, other);
  }
  /** Elementwise `>`, a bool tensor. */
  gt(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('gt', arguments, 1, 'x.gt(other)');
    return E.gt(this, other);
  }
  /** Elementwise `>=`, a bool tensor. */
  ge(other: TensorLike): Tensor {
    if (arguments.length > 1) checkArity('ge', arguments, 1, 'x.ge(other)');
    return E.ge(this, other);
  }
  /** Elementwise logical not of a bool (or nonzero) tensor. */
  logicalNot(): Tensor {
    if (arguments.length > 0) checkArity('logicalNot', arguments, 0, 'x.logicalNot()');
    return E.logicalNot(this);
  }
  /** True where the element is NaN. */
  isnan(): Tensor {
    if (arguments.length > 0) checkArity('isnan', arguments, 0, 'x.isnan()');
    return E.isnan(this);
  }
  /** True where the element is neither NaN nor infinite. */
  isfinite(): Tensor {
    if (arguments.length > 0) checkArity('isfinite', arguments, 0, 'x.isfinite()');
    return E.isfinite(this);
  }
  /** `value` where `mask` is true, this elsewhere (mask broadcasts). */
  maskedFill(mask: Tensor, value: TensorLike): Tensor {
    if (arguments.length > 2) checkArity('maskedFill', arguments, 2, 'x.maskedFill(mask, value)');
    return I.maskedFill(this, mask, value);
  }
  /** `this` where `condition` is true, `other` elsewhere. */
  where(condition: Tensor, other: TensorLike): Tensor {
    if (arguments.length > 2) checkArity('where', arguments, 2, 'x.where(condition, other)');
    return E.where(condition, this, other);
  }

  // ---- reductions --------------------------------------------------------------------------

  /** Sum over all dims, or over `dim` (one or several): `x.sum(1, true)`, `x.sum({ dim: 1, keepdim: true })`. */
  sum(...args: ReduceArgs<DTypeReduceOptions>): Tensor {
    return R.sum(this, ...args);
  }
  /** Mean over all dims, or over `dim`; forms as {@link Tensor.sum}. */
  mean(...args: ReduceArgs<DTypeReduceOptions>): Tensor {
    return R.mean(this, ...args);
  }
  /** Product over all dims, or over `dim`; forms as {@link Tensor.sum}. */
  prod(...args: ReduceArgs<DTypeReduceOptions>): Tensor {
    return R.prod(this, ...args);
  }
  /**
   * PyTorch's `max`: `x.max()` is the maximum of all elements (ties share the gradient);
   * `x.max(dim, keepdim?)` gives `[values, indices]` (also `.values`, `.indices`); `x.max(other)` is
   * the elementwise maximum.
   */
  max(): Tensor;
  max(other: Tensor): Tensor;
  max(
    ...args: [dim: number, keepdim?: boolean | DimOptions, options?: DimOptions] | [options: DimOptions & { dim: number }]
  ): ValuesIndices;
  max(...args: unknown[]): Tensor | ValuesIndices {
    return (R.max as (x: Tensor, ...a: unknown[]) => Tensor | ValuesIndices)(this, ...args);
  }
  /** PyTorch's `min`: forms as {@link Tensor.max}. */
  min(): Tensor;
  min(other: Tensor): Tensor;
  min(
    ...args: [dim: number, keepdim?: boolean | DimOptions, options?: DimOptions] | [options: DimOptions & { dim: number }]
  ): ValuesIndices;
  min(...args: unknown[]): Tensor | ValuesIndices {
    return (R.min as (x: Tensor, ...a: unknown[]) => Tensor | ValuesIndices)(this, ...args);
  }
  /** Maximum over `dim` (one or several, default all); ties share the gradient equally. */
  amax(...args: ReduceArgs<ReduceOptions>): Tensor {
    return R.amax(this, ...args);
  }
  /** Minimum over `dim` (one or several, default all); ties share the gradient equally. */
  amin(...args: ReduceArgs<ReduceOptions>): Tensor {
    return R.amin(this, ...args);
  }
  /** Index of the maximum (int32), over the flattened tensor or along `dim`: `x.argmax(1, true)`. */
  argmax(...args: ReduceArgs<DimOptions, number>): Tensor {
    return R.argmax(this, ...args);
  }
  /** Index of the minimum (int32), over the flattened tensor or along `dim`. */
  argmin(...args: ReduceArgs<DimOptions, number>): Tensor {
    return R.argmin(this, ...args);
  }
  /** Variance, PyTorch's forms: `x.var(dim, unbiased, keepdim)`, `x.var(false)`, `x.var(1, { correction: 0 })`. */
  var(...args: VarArgs): Tensor {
    return R.variance(this, ...args);
  }
  /** Standard deviation; forms as {@link Tensor.var}. */
  std(...args: VarArgs): Tensor {
    return R.std(this, ...args);
  }
  /** `log(sum(exp(x)))` over `dim` (required), computed stably: `x.logsumexp(1, true)`. */
  logsumexp(
    ...args:
      | [dim: Dims, keepdim?: boolean, options?: ReduceOptions]
      | [dim: Dims, options?: ReduceOptions]
      | [options: ReduceOptions & { dim: Dims }]
  ): Tensor {
    return R.logsumexp(this, ...args);
  }
  /** The p-norm (default 2; `Infinity` for the max-norm) over all dims or `dim`: `x.norm(2, 1, true)`. */
  norm(...args: NormArgs): Tensor {
    return R.norm(this, ...args);
  }
  /** Softmax along `dim`. */
  softmax(
    ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
  ): Tensor {
    return R.softmax(this, ...args);
  }
  /** Log-softmax along `dim`, computed stably. */
  logSoftmax(
    ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
  ): Tensor {
    return R.logSoftmax(this, ...args);
  }
  /** Cumulative sum along `dim`. */
  cumsum(
    ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
  ): Tensor {
    return R.cumsum(this, ...args);
  }
  /** True if any element is nonzero (a bool tensor), over all dims or `dim`. */
  any(...args: ReduceArgs<ReduceOptions>): Tensor {
    return R.any(this, ...args);
  }
  /** True if every element is nonzero (a bool tensor), over all dims or `dim`. */
  all(...args: ReduceArgs<ReduceOptions>): Tensor {
    return R.all(this, ...args);
  }

  // ---- views and copies ---------------------------------------------------------------

  /** A view with a new shape (one size may be -1); the tensor must be contiguous. */
  view(...shape: number[] | [readonly number[]]): Tensor {
    return S.view(this, sizesOf('view', shape, 'x.view(2, 3) or x.view([2, 3])'));
  }
  /** A view with a new shape when possible, otherwise a copy (one size may be -1). */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return S.reshape(this, sizesOf('reshape', shape, 'x.reshape(2, 3) or x.reshape([2, 3])'));
  }
  /** Flattens dims `startDim..endDim` into one. */
  flatten(startDim = 0, endDim = -1): Tensor {
    if (arguments.length > 2) checkArity('flatten', arguments, 2, 'x.flatten(startDim, endDim)');
    return S.flatten(this, startDim, endDim);
  }
  /** Removes size-1 dims (all, or the given ones). */
  squeeze(dim?: number | number[]): Tensor {
    if (arguments.length > 1) checkArity('squeeze', arguments, 1, 'x.squeeze(dim)');
    return S.squeeze(this, dim);
  }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor {
    if (arguments.length > 1) checkArity('unsqueeze', arguments, 1, 'x.unsqueeze(dim)');
    return S.unsqueeze(this, dim);
  }
  /** Swaps two dims (a view). */
  transpose(dim0: number, dim1: number): Tensor {
    if (arguments.length > 2) checkArity('transpose', arguments, 2, 'x.transpose(dim0, dim1)');
    return S.transpose(this, dim0, dim1);
  }
  /** Reorders the dims (a view). */
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return S.permute(this, sizesOf('permute', dims, 'x.permute(1, 0) or x.permute([1, 0])'));
  }
  /** All dims reversed (a view), like PyTorch's `.T`. */
  get T(): Tensor {
    return S.permute(
      this,
      [...this.shape].map((_, i) => this.ndim - 1 - i),
    );
  }
  /** The last two dims swapped (a view), like PyTorch's `.mT`. */
  get mT(): Tensor {
    return S.transpose(this, -2, -1);
  }
  /** Broadcasts size-1 dims to larger sizes without copying (-1 keeps a size). */
  expand(...sizes: number[] | [readonly number[]]): Tensor {
    return S.expand(this, sizesOf('expand', sizes, 'x.expand(2, 3) or x.expand([2, -1])'));
  }
  /** Broadcasts to `shape` without copying. */
  broadcastTo(shape: readonly number[]): Tensor {
    if (arguments.length > 1) checkArity('broadcastTo', arguments, 1, 'x.broadcastTo(shape)');
    return S.expand(this, shape);
  }
  /** `length` elements of `dim` starting at `start` (a view). */
  narrow(dim: number, start: number, length: number): Tensor {
    if (arguments.length > 3) checkArity('narrow', arguments, 3, 'x.narrow(dim, start, length)');
    return S.narrow(this, dim, start, length);
  }
  /** The slice at `index` of `dim`, removing that dim (a view). */
  select(dim: number, index: number): Tensor {
    if (arguments.length > 2) checkArity('select', arguments, 2, 'x.select(dim, index)');
    return S.select(this, dim, index);
  }
  /** Elements `start, start+step, ... < end` of `dim` (a view); negative start/end count from the end. */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    if (arguments.length > 4) checkArity('slice', arguments, 4, 'x.slice(dim, start, end, step)');
    return S.slice(this, dim, start, end, step);
  }
  /** This tensor when contiguous, else a contiguous copy. */
  contiguous(): Tensor {
    if (arguments.length > 0) checkArity('contiguous', arguments, 0, 'x.contiguous()');
    return S.contiguous(this);
  }
  /** A contiguous copy (differentiable). */
  clone(): Tensor {
    if (arguments.length > 0) checkArity('clone', arguments, 0, 'x.clone()');
    return S.clone(this);
  }
  /** Splits into `chunks` nearly equal views along `dim`. */
  chunk(chunks: number, dim: number | { dim?: number } = 0): Tensor[] {
    if (arguments.length > 2) checkArity('chunk', arguments, 2, 'x.chunk(chunks, dim)');
    return S.chunk(this, chunks, dim);
  }
  /** Splits into views of `splitSize` (or the listed sizes) along `dim`. */
  split(splitSize: number | readonly number[], dim: number | { dim?: number } = 0): Tensor[] {
    if (arguments.length > 2) checkArity('split', arguments, 2, 'x.split(splitSize, dim)');
    return S.split(this, splitSize, dim);
  }
  /** Removes `dim`, returning the slices along it. */
  unbind(dim: number | { dim?: number } = 0): Tensor[] {
    if (arguments.length > 1) checkArity('unbind', arguments, 1, 'x.unbind(dim)');
    return S.unbind(this, dim);
  }

  // ---- indexing ---------------------------------------------------------------------------

  /** The entries of `index` (1-d int) along `dim`. */
  indexSelect(dim: number, index: Tensor): Tensor {
    if (arguments.length > 2) checkArity('indexSelect', arguments, 2, 'x.indexSelect(dim, index)');
    return I.indexSelect(this, dim, index);
  }
  /** `out[i][j] = this[index[i][j]][j]` for dim 0 (and likewise for other dims). */
  gather(dim: number, index: Tensor): Tensor {
    if (arguments.length > 2) checkArity('gather', arguments, 2, 'x.gather(dim, index)');
    return I.gather(this, dim, index);
  }
  /** A copy with `src` written at `index` along `dim`. */
  scatter(dim: number, index: Tensor, src: TensorLike): Tensor {
    if (arguments.length > 3) checkArity('scatter', arguments, 3, 'x.scatter(dim, index, src)');
    return I.scatter(this, dim, index, src);
  }
  /** A copy with `src` added at `index` along `dim` (duplicates accumulate). */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    if (arguments.length > 3) checkArity('scatterAdd', arguments, 3, 'x.scatterAdd(dim, index, src)');
    return I.scatterAdd(this, dim, index, src);
  }
  /** The elements where the bool `mask` (broadcast to this shape) is true, as a 1-d tensor. */
  maskedSelect(mask: Tensor): Tensor {
    if (arguments.length > 1) checkArity('maskedSelect', arguments, 1, 'x.maskedSelect(mask)');
    return I.maskedSelect(this, mask);
  }

  // ---- linear algebra ----------------------------------------------------------------------

  /** Matrix product with PyTorch semantics (1-d, 2-d, batched with broadcast batch dims). */
  matmul(other: Tensor): Tensor {
    if (arguments.length > 1) checkArity('matmul', arguments, 1, 'x.matmul(other)');
    return L.matmul(this, other);
  }
  /** 2-d matrix product. */
  mm(other: Tensor): Tensor {
    if (arguments.length > 1) checkArity('mm', arguments, 1, 'x.mm(other)');
    return L.mm(this, other);
  }
  /** Batched 3-d matrix product. */
  bmm(other: Tensor): Tensor {
    if (arguments.length > 1) checkArity('bmm', arguments, 1, 'x.bmm(other)');
    return L.bmm(this, other);
  }
  /** Dot product of two 1-d tensors. */
  dot(other: Tensor): Tensor {
    if (arguments.length > 1) checkArity('dot', arguments, 1, 'x.dot(other)');
    return L.dot(this, other);
  }
  /** Outer product of two 1-d tensors. */
  outer(other: Tensor): Tensor {
    if (arguments.length > 1) checkArity('outer', arguments, 1, 'x.outer(other)');
    return L.outer(this, other);
  }

  // ---- in place --------------------------------------------------------------------------

  /** In-place `this += alpha * other`. */
  add_(other: TensorLike, options?: { alpha?: number }): this {
    if (arguments.length > 2) checkArity('add_', arguments, 2, 'x.add_(other, options)');
    return P.inplace(this, 'add_', () => E.add(this, other, options));
  }
  /** In-place `this -= alpha * other`. */
  sub_(other: TensorLike, options?: { alpha?: number }): this {
    if (arguments.length > 2) checkArity('sub_', arguments, 2, 'x.sub_(other, options)');
    return P.inplace(this, 'sub_', () => E.sub(this, other, options));
  }
  /** In-place `this *= other`. */
  mul_(other: TensorLike): this {
    if (arguments.length > 1) checkArity('mul_', arguments, 1, 'x.mul_(other)');
    return P.inplace(this, 'mul_', () => E.mul(this, other));
  }
  /** In-place `this /= other`. */
  div_(other: TensorLike): this {
    if (arguments.length > 1) checkArity('div_', arguments, 1, 'x.div_(other)');
    return P.inplace(this, 'div_', () => E.div(this, other));
  }
  /** In-place clamp into [min, max]. */
  clamp_(min?: TensorLike | null, max?: TensorLike | null): this {
    if (arguments.length > 2) checkArity('clamp_', arguments, 2, 'x.clamp_(min, max)');
    return P.inplace(this, 'clamp_', () => A.clamp(this, min, max));
  }
  /** Fills with zeros in place. */
  zero_(): this {
    if (arguments.length > 0) checkArity('zero_', arguments, 0, 'x.zero_()');
    return P.fill_(this, 0);
  }
  /** Fills with `value` in place. */
  fill_(value: number): this {
    if (arguments.length > 1) checkArity('fill_', arguments, 1, 'x.fill_(value)');
    return P.fill_(this, value);
  }
  /** Copies `src` (broadcast to this shape) into this tensor in place. */
  copy_(src: TensorLike): this {
    if (arguments.length > 1) checkArity('copy_', arguments, 1, 'x.copy_(src)');
    return P.copy_(this, src);
  }
  /** Fills with uniform samples from [low, high) in place. */
  uniform_(low = 0, high = 1, options?: { generator?: Generator }): this {
    if (arguments.length > 3) checkArity('uniform_', arguments, 3, 'x.uniform_(low, high, options)');
    return P.uniform_(this, low, high, generatorOf('uniform_', options));
  }
  /** Fills with normal samples of `mean` and `std` in place. */
  normal_(mean = 0, std = 1, options?: { generator?: Generator }): this {
    if (arguments.length > 3) checkArity('normal_', arguments, 3, 'x.normal_(mean, std, options)');
    return P.normal_(this, mean, std, generatorOf('normal_', options));
  }
  // ---- indexing, ordering, rearranging and rounding (issue 14) ----
  /** `x[items]`: see {@link IX.index} (`x.index(':, 1:3')`, `x.index('...', -1)`, `x.index(idx)`, `x.index(mask)`). */
  index(...items: IndexItem[]): Tensor {
    return IX.indexWith('index', this, items);
  }
  /** A copy with `value` written at `x[indices]`: see {@link IX.indexPut}. */
  indexPut(indices: IndexItem | readonly IndexItem[], value: TensorLike, options?: IX.IndexPutOptions): Tensor {
    if (arguments.length > 3) checkArity('indexPut', arguments, 3, 'x.indexPut(indices, value, options)');
    return IX.indexPut(this, indices, value, options);
  }
  /** `x[indices] = value` in place: see {@link IX.indexPut_}. */
  indexPut_(indices: IndexItem | readonly IndexItem[], value: TensorLike, options?: IX.IndexPutOptions): this {
    if (arguments.length > 3) checkArity('indexPut_', arguments, 3, 'x.indexPut_(indices, value, options)');
    return IX.indexPut_(this, indices, value, options);
  }
  /** `x[items] = value` in place, the value last: `x.setIndex(':, 0', y)`, `x.setIndex(mask, 0)`. */
  setIndex(...itemsAndValue: [...IndexItem[], TensorLike]): this {
    return IX.setIndex(this, ...itemsAndValue);
  }
  /** The positions of the nonzero elements: see {@link IX.nonzero}. */
  nonzero(options?: IX.NonzeroOptions & { asTuple?: false }): Tensor;
  nonzero(options: IX.NonzeroOptions & { asTuple: true }): Tensor[];
  nonzero(options?: IX.NonzeroOptions): Tensor | Tensor[] {
    if (arguments.length > 1) checkArity('nonzero', arguments, 1, 'x.nonzero(options)');
    return IX.nonzero(this, options);
  }
  /** Values and indices sorted along a dim: see {@link O.sort}. */
  sort(
    ...args:
      [dim?: number, descending?: boolean, options?: O.SortOptions] | [dim: number, options: O.SortOptions] | [options: O.SortOptions]
  ): ValuesIndices {
    return O.sort(this, ...args);
  }
  /** The positions that sort along a dim: see {@link O.argsort}. */
  argsort(
    ...args:
      [dim?: number, descending?: boolean, options?: O.SortOptions] | [dim: number, options: O.SortOptions] | [options: O.SortOptions]
  ): Tensor {
    return O.argsort(this, ...args);
  }
  /** The k largest (or smallest) elements and their positions: see {@link O.topk}. */
  topk(
    k: number,
    ...args:
      | [dim?: number, largest?: boolean, sorted?: boolean, options?: O.TopkOptions]
      | [dim: number, options: O.TopkOptions]
      | [options: O.TopkOptions]
  ): ValuesIndices {
    return O.topk(this, k, ...args);
  }
  /** Cumulative product along a dim: see {@link O.cumprod}. */
  cumprod(
    ...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]
  ): Tensor {
    return O.cumprod(this, ...args);
  }
  /** Tiled copies: `x.repeat(2, 3)` or `x.repeat([2, 3])`; see {@link RA.repeat}. */
  repeat(...sizes: number[] | [readonly number[]]): Tensor {
    return RA.repeat(this, sizesOf('repeat', sizes, 'x.repeat(2, 3) or x.repeat([2, 3])'));
  }
  /** Tiled copies, fewer sizes padded with 1s in front: see {@link RA.tile}. */
  tile(...dims: number[] | [readonly number[]]): Tensor {
    return RA.tile(this, sizesOf('tile', dims, 'x.tile(2, 3) or x.tile([2, 3])'));
  }
  /** Reversed along dims: `x.flip(0)`, `x.flip(0, 1)` or `x.flip([0, 1])`. */
  flip(...dims: number[] | [readonly number[]]): Tensor {
    return RA.flip(this, sizesOf('flip', dims, 'x.flip(0), x.flip(0, 1) or x.flip([0, 1])'));
  }
  /** Cyclic shift: `x.roll(1, 0)`, `x.roll([1, 2], [0, 1])`, or `x.roll(1)` on the flattened tensor. */
  roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
    if (arguments.length > 2) checkArity('roll', arguments, 2, 'x.roll(shifts, dims)');
    return RA.roll(this, shifts, dims);
  }
  /** The transpose of a matrix (0-d and 1-d unchanged). */
  t(): Tensor {
    if (arguments.length > 0) checkArity('t', arguments, 0, 'x.t()');
    return RA.t(this);
  }
  /** Lower triangle of the last two dims: see {@link TR.tril}. */
  tril(diagonal = 0): Tensor {
    if (arguments.length > 1) checkArity('tril', arguments, 1, 'x.tril(diagonal)');
    return TR.tril(this, diagonal);
  }
  /** Upper triangle of the last two dims: see {@link TR.triu}. */
  triu(diagonal = 0): Tensor {
    if (arguments.length > 1) checkArity('triu', arguments, 1, 'x.triu(diagonal)');
    return TR.triu(this, diagonal);
  }
  /** Vector to diagonal matrix, or a matrix's diagonal: see {@link TR.diag}. */
  diag(diagonal = 0): Tensor {
    if (arguments.length > 1) checkArity('diag', arguments, 1, 'x.diag(diagonal)');
    return TR.diag(this, diagonal);
  }
  /** Rounded down, zero gradient. */
  floor(): Tensor {
    if (arguments.length > 0) checkArity('floor', arguments, 0, 'x.floor()');
    return RO.floor(this);
  }
  /** Rounded up, zero gradient. */
  ceil(): Tensor {
    if (arguments.length > 0) checkArity('ceil', arguments, 0, 'x.ceil()');
    return RO.ceil(this);
  }
  /** Rounded toward zero, zero gradient. */
  trunc(): Tensor {
    if (arguments.length > 0) checkArity('trunc', arguments, 0, 'x.trunc()');
    return RO.trunc(this);
  }
  /** Rounded half to even, optionally to `{ decimals }`; zero gradient. */
  round(options?: RO.RoundOptions): Tensor {
    if (arguments.length > 1) checkArity('round', arguments, 1, 'x.round(options)');
    return RO.round(this, options);
  }
  /** `value` where `mask` is true, in place (version-counted). */
  maskedFill_(mask: Tensor, value: TensorLike): this {
    if (arguments.length > 2) checkArity('maskedFill_', arguments, 2, 'x.maskedFill_(mask, value)');
    return P.inplace(this, 'maskedFill_', () => I.maskedFill(this, mask, value));
  }
  /** relu in place. */
  relu_(): this {
    if (arguments.length > 0) checkArity('relu_', arguments, 0, 'x.relu_()');
    return P.inplace(this, 'relu_', () => E.relu(this));
  }
  /** sigmoid in place. */
  sigmoid_(): this {
    if (arguments.length > 0) checkArity('sigmoid_', arguments, 0, 'x.sigmoid_()');
    return P.inplace(this, 'sigmoid_', () => E.sigmoid(this));
  }
  /** tanh in place. */
  tanh_(): this {
    if (arguments.length > 0) checkArity('tanh_', arguments, 0, 'x.tanh_()');
    return P.inplace(this, 'tanh_', () => E.tanh(this));
  }
  /** leakyRelu in place. */
  leakyRelu_(negativeSlope = 0.01): this {
    if (arguments.length > 1) checkArity('leakyRelu_', arguments, 1, 'x.leakyRelu_(negativeSlope)');
    return P.inplace(this, 'leakyRelu_', () => A.leakyRelu(this, negativeSlope));
  }
  /** elu in place. */
  elu_(alpha = 1): this {
    if (arguments.length > 1) checkArity('elu_', arguments, 1, 'x.elu_(alpha)');
    return P.inplace(this, 'elu_', () => A.elu(this, alpha));
  }
}
brandClass(Tensor, 'Tensor');
