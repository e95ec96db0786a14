/**
 * The Tensor: a strided view of a typed array, with autograd state. Methods are thin sugar over
 * the functions in `ops/`; the data model is described in DESIGN.md section 2.
 * @module
 */
import { inspect } from 'node:util';
import type { DType, TypedArray } from './dtype.js';
import { isFloat } from './dtype.js';
import { AutogradError, DTypeError } from './errors.js';
import { formatTensor } from './format.js';
import { AccumulateGrad, type GradHook, type Node } from './node.js';
import { contiguousStrides, isContiguousLayout, numelOf } from './shape.js';
import { backward as runBackward, type BackwardOptions } from './engine.js';
import * as E from './ops/elementwise.js';
import * as A from './ops/activation.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';
import * as I from './ops/indexing.js';
import * as L from './ops/linalg.js';
import * as P from './ops/inplace.js';
import type { Generator } from './random.js';
import type { DTypeReduceOptions, DimOptions, Dims, ReduceArgs, ReduceOptions } from './ops/reduce-args.js';
import type { NormArgs, VarArgs } from './ops/reduce.js';
import type { Operand } from '../kernels/strided.js';

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
  /** The accumulated gradient of a leaf (or of a tensor that called {@link Tensor.retainGrad}); null until backward. */
  grad: Tensor | null = null;
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
    return this._numel;
  }
  /** The shape, or the size of one dim (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    return this.shape[S.dimOf('size', dim, this.ndim)]!;
  }
  /** Strides in elements, as in PyTorch. */
  stride(): number[] {
    return this._strides.slice();
  }
  /** True when the elements are laid out row-major without gaps. */
  isContiguous(): boolean {
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
  /** The name of the op that produced this tensor, or null for a leaf. */
  get gradFn(): string | null {
    return this._gradFn ? this._gradFn.name : null;
  }

  // ---- data access -------------------------------------------------------------------------

  /** The value of a one-element tensor as a JS number (booleans as 0/1). */
  item(): number {
    return S.item(this);
  }
  /** The elements as nested JS arrays (booleans as `true`/`false`). */
  toArray(): NestedArray {
    return S.toNested(this);
  }
  /** A contiguous copy of the elements as a typed array of the tensor's dtype. */
  dataSync(): TypedArray {
    return S.contiguousData(this).slice() as TypedArray;
  }
  /** Prints like PyTorch: `tensor([1.0000, 2.0000], requiresGrad=true)`. */
  toString(): string {
    return formatTensor(this);
  }
  /** Node's `util.inspect` and `console.log` use the PyTorch-style printing. @internal */
  [inspect.custom](): string {
    return formatTensor(this);
  }

  // ---- autograd ---------------------------------------------------------------------------

  /**
   * Computes the gradient of this tensor with respect to the leaves and accumulates it into their `.grad`.
   * `gradient` is required when the tensor is not a scalar.
   */
  backward(gradient?: TensorLike, options: BackwardOptions = {}): void {
    runBackward([this], gradient === undefined ? undefined : [gradient], options);
  }
  /** A tensor sharing the same data but cut from the graph (never requires grad). */
  detach(): Tensor {
    return new Tensor(this._storage, this.shape, this._strides, this._offset, this.dtype);
  }
  /** Sets whether autograd records ops on this leaf; returns this. Only float tensors can require grad. */
  requiresGrad_(requiresGrad = true): this {
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
    if (!this._requiresGrad) throw new AutogradError('retainGrad: the tensor does not require grad');
    if (this._gradFn) this._gradFn.retainFor = this;
    return this;
  }
  /** Registers a hook called with this tensor's gradient during backward; it may return a replacement. Returns a remover. */
  registerHook(hook: GradHook): () => void {
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
  to(dtype: DType): Tensor {
    return E.toDType(this, dtype);
  }
  /** Converts to float32. */
  float(): Tensor {
    return E.toDType(this, 'float32');
  }
  /** Converts to float64. */
  double(): Tensor {
    return E.toDType(this, 'float64');
  }
  /** Converts to int32 (truncating toward zero). */
  int(): Tensor {
    return E.toDType(this, 'int32');
  }
  /** Converts to bool (nonzero is true). */
  bool(): Tensor {
    return E.toDType(this, 'bool');
  }

  // ---- elementwise ------------------------------------------------------------------------

  /** `this + alpha * other`, broadcasting. */
  add(other: TensorLike, options?: { alpha?: number }): Tensor { return E.add(this, other, options); }
  /** `this - alpha * other`, broadcasting. */
  sub(other: TensorLike, options?: { alpha?: number }): Tensor { return E.sub(this, other, options); }
  /** Elementwise product, broadcasting. */
  mul(other: TensorLike): Tensor { return E.mul(this, other); }
  /** True division, broadcasting (ints divide to float32). */
  div(other: TensorLike): Tensor { return E.div(this, other); }
  /** `this ** exponent`, broadcasting. */
  pow(exponent: TensorLike): Tensor { return E.pow(this, exponent); }
  /** Elementwise maximum (ties split the gradient equally). */
  maximum(other: TensorLike): Tensor { return E.maximum(this, other); }
  /** Elementwise minimum (ties split the gradient equally). */
  minimum(other: TensorLike): Tensor { return E.minimum(this, other); }
  /** `-this`. */
  neg(): Tensor { return E.neg(this); }
  /** `|this|`. */
  abs(): Tensor { return E.abs(this); }
  /** -1, 0 or 1 by sign (zero gradient). */
  sign(): Tensor { return E.sign(this); }
  /** `e ** this`. */
  exp(): Tensor { return E.exp(this); }
  /** Natural logarithm. */
  log(): Tensor { return E.log(this); }
  /** `log(1 + this)`, accurate near 0. */
  log1p(): Tensor { return E.log1p(this); }
  /** `exp(this) - 1`, accurate near 0. */
  expm1(): Tensor { return E.expm1(this); }
  /** Square root. */
  sqrt(): Tensor { return E.sqrt(this); }
  /** `1 / sqrt(this)`. */
  rsqrt(): Tensor { return E.rsqrt(this); }
  /** `1 / this`. */
  reciprocal(): Tensor { return E.reciprocal(this); }
  /** Sine. */
  sin(): Tensor { return E.sin(this); }
  /** Cosine. */
  cos(): Tensor { return E.cos(this); }
  /** Hyperbolic tangent. */
  tanh(): Tensor { return E.tanh(this); }
  /** Logistic sigmoid `1 / (1 + e^-x)`. */
  sigmoid(): Tensor { return E.sigmoid(this); }
  /** The Gauss error function. */
  erf(): Tensor { return E.erf(this); }
  /** `max(x, 0)`. */
  relu(): Tensor { return E.relu(this); }
  /** `x` for x > 0, `negativeSlope * x` otherwise (default slope 0.01). */
  leakyRelu(negativeSlope = 0.01): Tensor { return A.leakyRelu(this, negativeSlope); }
  /** `x` for x > 0, `alpha * (e^x - 1)` otherwise. */
  elu(alpha = 1): Tensor { return A.elu(this, alpha); }
  /** Gaussian error linear unit, exact (`'none'`) or with the tanh approximation. */
  gelu(options?: { approximate?: 'none' | 'tanh' }): Tensor { return A.gelu(this, options); }
  /** `x * sigmoid(x)` (also called swish). */
  silu(): Tensor { return A.silu(this); }
  /** `log(1 + e^(beta x)) / beta`, linear above `threshold`. */
  softplus(options?: { beta?: number; threshold?: number }): Tensor { return A.softplus(this, options); }
  /** The step function: 0 for x < 0, `values` at 0, 1 for x > 0. Its gradient is zero. */
  heaviside(values: TensorLike): Tensor { return A.heaviside(this, values); }
  /** Clamps into [min, max]; either bound may be omitted (null or undefined). */
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor { return A.clamp(this, min, max); }
  /** Elementwise `==`, a bool tensor. */
  eq(other: TensorLike): Tensor { return E.eq(this, other); }
  /** Elementwise `!=`, a bool tensor. */
  ne(other: TensorLike): Tensor { return E.ne(this, other); }
  /** Elementwise `<`, a bool tensor. */
  lt(other: TensorLike): Tensor { return E.lt(this, other); }
  /** Elementwise `<=`, a bool tensor. */
  le(other: TensorLike): Tensor { return E.le(this, other); }
  /** Elementwise `>`, a bool tensor. */
  gt(other: TensorLike): Tensor { return E.gt(this, other); }
  /** Elementwise `>=`, a bool tensor. */
  ge(other: TensorLike): Tensor { return E.ge(this, other); }
  /** Elementwise logical not of a bool (or nonzero) tensor. */
  logicalNot(): Tensor { return E.logicalNot(this); }
  /** True where the element is NaN. */
  isnan(): Tensor { return E.isnan(this); }
  /** True where the element is neither NaN nor infinite. */
  isfinite(): Tensor { return E.isfinite(this); }
  /** `value` where `mask` is true, this elsewhere (mask broadcasts). */
  maskedFill(mask: Tensor, value: TensorLike): Tensor { return I.maskedFill(this, mask, value); }
  /** `this` where `condition` is true, `other` elsewhere. */
  where(condition: Tensor, other: TensorLike): Tensor { return E.where(condition, this, other); }

  // ---- reductions --------------------------------------------------------------------------

  /** Sum over all dims, or over `dim` (one or several): `x.sum(1, true)`, `x.sum({ dim: 1, keepdim: true })`. */
  sum(...args: ReduceArgs<DTypeReduceOptions>): Tensor { return R.sum(this, ...args); }
  /** Mean over all dims, or over `dim`; forms as {@link Tensor.sum}. */
  mean(...args: ReduceArgs<DTypeReduceOptions>): Tensor { return R.mean(this, ...args); }
  /** Product over all dims, or over `dim`; forms as {@link Tensor.sum}. */
  prod(...args: ReduceArgs<DTypeReduceOptions>): Tensor { return R.prod(this, ...args); }
  /**
   * PyTorch's `max`: `x.max()` is the maximum of all elements (ties share the gradient);
   * `x.max(dim, keepdim?)` gives `[values, indices]` (also `.values`, `.indices`); `x.max(other)` is
   * the elementwise maximum.
   */
  max(): Tensor;
  max(other: Tensor): Tensor;
  max(...args: [dim: number, keepdim?: boolean | DimOptions, options?: DimOptions] | [options: DimOptions & { dim: number }]): ValuesIndices;
  max(...args: unknown[]): Tensor | ValuesIndices { return (R.max as (x: Tensor, ...a: unknown[]) => Tensor | ValuesIndices)(this, ...args); }
  /** PyTorch's `min`: forms as {@link Tensor.max}. */
  min(): Tensor;
  min(other: Tensor): Tensor;
  min(...args: [dim: number, keepdim?: boolean | DimOptions, options?: DimOptions] | [options: DimOptions & { dim: number }]): ValuesIndices;
  min(...args: unknown[]): Tensor | ValuesIndices { return (R.min as (x: Tensor, ...a: unknown[]) => Tensor | ValuesIndices)(this, ...args); }
  /** Maximum over `dim` (one or several, default all); ties share the gradient equally. */
  amax(...args: ReduceArgs<ReduceOptions>): Tensor { return R.amax(this, ...args); }
  /** Minimum over `dim` (one or several, default all); ties share the gradient equally. */
  amin(...args: ReduceArgs<ReduceOptions>): Tensor { return R.amin(this, ...args); }
  /** Index of the maximum (int32), over the flattened tensor or along `dim`: `x.argmax(1, true)`. */
  argmax(...args: ReduceArgs<DimOptions, number>): Tensor { return R.argmax(this, ...args); }
  /** Index of the minimum (int32), over the flattened tensor or along `dim`. */
  argmin(...args: ReduceArgs<DimOptions, number>): Tensor { return R.argmin(this, ...args); }
  /** Variance, PyTorch's forms: `x.var(dim, unbiased, keepdim)`, `x.var(false)`, `x.var(1, { correction: 0 })`. */
  var(...args: VarArgs): Tensor { return R.variance(this, ...args); }
  /** Standard deviation; forms as {@link Tensor.var}. */
  std(...args: VarArgs): Tensor { return R.std(this, ...args); }
  /** `log(sum(exp(x)))` over `dim` (required), computed stably: `x.logsumexp(1, true)`. */
  logsumexp(...args: [dim: Dims, keepdim?: boolean, options?: ReduceOptions] | [dim: Dims, options?: ReduceOptions] | [options: ReduceOptions & { dim: Dims }]): Tensor { return R.logsumexp(this, ...args); }
  /** The p-norm (default 2; `Infinity` for the max-norm) over all dims or `dim`: `x.norm(2, 1, true)`. */
  norm(...args: NormArgs): Tensor { return R.norm(this, ...args); }
  /** Softmax along `dim`. */
  softmax(...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]): Tensor { return R.softmax(this, ...args); }
  /** Log-softmax along `dim`, computed stably. */
  logSoftmax(...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]): Tensor { return R.logSoftmax(this, ...args); }
  /** Cumulative sum along `dim`. */
  cumsum(...args: [dim: number, dtype?: DType] | [dim: number, options: { dtype?: DType }] | [options: { dim: number; dtype?: DType }]): Tensor { return R.cumsum(this, ...args); }
  /** True if any element is nonzero (a bool tensor), over all dims or `dim`. */
  any(...args: ReduceArgs<ReduceOptions>): Tensor { return R.any(this, ...args); }
  /** True if every element is nonzero (a bool tensor), over all dims or `dim`. */
  all(...args: ReduceArgs<ReduceOptions>): Tensor { return R.all(this, ...args); }

  // ---- views and copies ---------------------------------------------------------------

  /** A view with a new shape (one size may be -1); the tensor must be contiguous. */
  view(...shape: number[] | [number[]]): Tensor { return S.view(this, S.shapeArg(shape)); }
  /** A view with a new shape when possible, otherwise a copy (one size may be -1). */
  reshape(...shape: number[] | [number[]]): Tensor { return S.reshape(this, S.shapeArg(shape)); }
  /** Flattens dims `startDim..endDim` into one. */
  flatten(startDim = 0, endDim = -1): Tensor { return S.flatten(this, startDim, endDim); }
  /** Removes size-1 dims (all, or the given ones). */
  squeeze(dim?: number | number[]): Tensor { return S.squeeze(this, dim); }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor { return S.unsqueeze(this, dim); }
  /** Swaps two dims (a view). */
  transpose(dim0: number, dim1: number): Tensor { return S.transpose(this, dim0, dim1); }
  /** Reorders the dims (a view). */
  permute(...dims: number[] | [number[]]): Tensor { return S.permute(this, S.shapeArg(dims)); }
  /** All dims reversed (a view), like PyTorch's `.T`. */
  get T(): Tensor { return S.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); }
  /** The last two dims swapped (a view), like PyTorch's `.mT`. */
  get mT(): Tensor { return S.transpose(this, -2, -1); }
  /** Broadcasts size-1 dims to larger sizes without copying (-1 keeps a size). */
  expand(...sizes: number[] | [number[]]): Tensor { return S.expand(this, S.shapeArg(sizes)); }
  /** Broadcasts to `shape` without copying. */
  broadcastTo(shape: readonly number[]): Tensor { return S.expand(this, shape); }
  /** `length` elements of `dim` starting at `start` (a view). */
  narrow(dim: number, start: number, length: number): Tensor { return S.narrow(this, dim, start, length); }
  /** The slice at `index` of `dim`, removing that dim (a view). */
  select(dim: number, index: number): Tensor { return S.select(this, dim, index); }
  /** Elements `start, start+step, ... < end` of `dim` (a view); negative start/end count from the end. */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return S.slice(this, dim, start, end, step); }
  /** This tensor when contiguous, else a contiguous copy. */
  contiguous(): Tensor { return S.contiguous(this); }
  /** A contiguous copy (differentiable). */
  clone(): Tensor { return S.clone(this); }
  /** Splits into `chunks` nearly equal views along `dim`. */
  chunk(chunks: number, dim = 0): Tensor[] { return S.chunk(this, chunks, dim); }
  /** Splits into views of `splitSize` (or the listed sizes) along `dim`. */
  split(splitSize: number | number[], dim = 0): Tensor[] { return S.split(this, splitSize, dim); }
  /** Removes `dim`, returning the slices along it. */
  unbind(dim = 0): Tensor[] { return S.unbind(this, dim); }

  // ---- indexing ---------------------------------------------------------------------------

  /** The entries of `index` (1-d int) along `dim`. */
  indexSelect(dim: number, index: Tensor): Tensor { return I.indexSelect(this, dim, index); }
  /** `out[i][j] = this[index[i][j]][j]` for dim 0 (and likewise for other dims). */
  gather(dim: number, index: Tensor): Tensor { return I.gather(this, dim, index); }
  /** A copy with `src` written at `index` along `dim`. */
  scatter(dim: number, index: Tensor, src: TensorLike): Tensor { return I.scatter(this, dim, index, src); }
  /** A copy with `src` added at `index` along `dim` (duplicates accumulate). */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return I.scatterAdd(this, dim, index, src); }
  /** The elements where the bool `mask` (broadcast to this shape) is true, as a 1-d tensor. */
  maskedSelect(mask: Tensor): Tensor { return I.maskedSelect(this, mask); }

  // ---- linear algebra ----------------------------------------------------------------------

  /** Matrix product with PyTorch semantics (1-d, 2-d, batched with broadcast batch dims). */
  matmul(other: Tensor): Tensor { return L.matmul(this, other); }
  /** 2-d matrix product. */
  mm(other: Tensor): Tensor { return L.mm(this, other); }
  /** Batched 3-d matrix product. */
  bmm(other: Tensor): Tensor { return L.bmm(this, other); }
  /** Dot product of two 1-d tensors. */
  dot(other: Tensor): Tensor { return L.dot(this, other); }
  /** Outer product of two 1-d tensors. */
  outer(other: Tensor): Tensor { return L.outer(this, other); }

  // ---- in place --------------------------------------------------------------------------

  /** In-place `this += alpha * other`. */
  add_(other: TensorLike, options?: { alpha?: number }): this { return P.inplace(this, 'add_', () => E.add(this, other, options)); }
  /** In-place `this -= alpha * other`. */
  sub_(other: TensorLike, options?: { alpha?: number }): this { return P.inplace(this, 'sub_', () => E.sub(this, other, options)); }
  /** In-place `this *= other`. */
  mul_(other: TensorLike): this { return P.inplace(this, 'mul_', () => E.mul(this, other)); }
  /** In-place `this /= other`. */
  div_(other: TensorLike): this { return P.inplace(this, 'div_', () => E.div(this, other)); }
  /** In-place clamp into [min, max]. */
  clamp_(min?: TensorLike | null, max?: TensorLike | null): this { return P.inplace(this, 'clamp_', () => A.clamp(this, min, max)); }
  /** Fills with zeros in place. */
  zero_(): this { return P.fill_(this, 0); }
  /** Fills with `value` in place. */
  fill_(value: number): this { return P.fill_(this, value); }
  /** Copies `src` (broadcast to this shape) into this tensor in place. */
  copy_(src: TensorLike): this { return P.copy_(this, src); }
  /** Fills with uniform samples from [low, high) in place. */
  uniform_(low = 0, high = 1, options?: { generator?: Generator }): this { return P.uniform_(this, low, high, options?.generator); }
  /** Fills with normal samples of `mean` and `std` in place. */
  normal_(mean = 0, std = 1, options?: { generator?: Generator }): this { return P.normal_(this, mean, std, options?.generator); }
}
