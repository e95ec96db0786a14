/**
 * Transforms for dataset items (torchvision style): {@link normalize}, {@link oneHot},
 * {@link toTensor} and {@link compose}. Each factory returns a {@link Transform} function.
 * @module
 */
import { checkArity, describe, notImplemented, parsePositional } from '../autograd/args.js';
import { ArgumentTypeError, DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { isFloat } from '../autograd/dtype.js';
import { contiguousData, permute } from '../autograd/ops/shape.js';
import { Tensor } from '../autograd/tensor.js';

/**
 * A function applied to one dataset item (an image, a label). `batchable` marks transforms that
 * give the same result on a stacked batch as on each item (`f(stack(xs))` equals
 * `stack(xs.map(f))`): datasets may then apply them to whole batches.
 * @example
 * ```ts
 * const double: data.transforms.Transform = (x) => x.mul(2);
 * ```
 */
export interface Transform<I = Tensor, O = Tensor> {
  /** Applies the transform. */
  (input: I): O;
  /** True when the transform can be applied to a batch instead of item by item. */
  readonly batchable?: boolean;
}

function batchable<I, O>(fn: (input: I) => O): Transform<I, O> {
  return Object.assign(fn, { batchable: true as const });
}

function numberList(op: string, name: string, v: number | readonly number[]): number[] {
  if (typeof v !== 'number' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
    throw new ArgumentTypeError(`${op}: ${name} must be a number or an array of numbers, got ${describe(v)}`);
  }
  const list: number[] = typeof v === 'number' ? [v] : Array.from(v as ArrayLike<number>);
  if (list.length === 0 || list.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new ValueError(`${op}: ${name} must be a finite number or a non-empty array of them, got ${JSON.stringify(v)}`);
  }
  return list;
}

/** Options of {@link normalize}: torchvision's `inplace`. */
export interface NormalizeOptions {
  /** torchvision normalizes the input tensor in place when true; only false is accepted (the result is a new tensor). */
  inplace?: boolean;
}

/**
 * `(x - mean) / std`, per channel as in torchvision: with arrays of length C, channel `c` (dim -3,
 * so items `[C, H, W]` and batches `[N, C, H, W]` both work) uses `mean[c]` and `std[c]`; single
 * numbers apply to every element of any shape. The input must be a float tensor.
 * @param mean - The mean, or one per channel.
 * @param std - The standard deviation, or one per channel (non-zero).
 * @param inplaceOrOptions - torchvision's `inplace` (third positional argument) or `{ inplace }`: only false.
 * @throws {@link ValueError} for zero std or lengths that differ; {@link ShapeError} if the
 *   channel count does not match; {@link DTypeError} for a non-float input.
 * @example
 * ```ts
 * const t = data.transforms.normalize([0.1307], [0.3081]); // MNIST's mean and std
 * t(images); // [N, 1, 28, 28] standardised
 * ```
 */
export function normalize(
  mean: number | readonly number[],
  std: number | readonly number[],
  ...inplaceOrOptions: [] | [inplace: boolean] | [options: NormalizeOptions]
): Transform {
  const forms = 'normalize(mean, std), normalize(mean, std, inplace) or normalize(mean, std, { inplace })';
  parsePositional(
    'normalize',
    inplaceOrOptions,
    ['inplace'],
    { inplace: notImplemented([false], 'transforms return a new tensor') },
    { forms },
  );
  const m = numberList('normalize', 'mean', mean);
  const s = numberList('normalize', 'std', std);
  if (m.length !== s.length) throw new ValueError(`normalize: mean has ${m.length} values but std has ${s.length}`);
  if (s.some((v) => v === 0)) throw new ValueError(`normalize: std must be non-zero, got [${s.join(', ')}]`);
  const perChannel = typeof mean !== 'number' || typeof std !== 'number';
  const c = m.length;
  return batchable((x: Tensor): Tensor => {
    if (!(x instanceof Tensor)) throw new ValueError(`normalize: expected a Tensor, got ${typeof x}`);
    if (!isFloat(x.dtype))
      throw new DTypeError(`normalize: expected a float tensor, got ${x.dtype} (convert images with toTensor or .float() first)`);
    if (!perChannel) return x.sub(m[0]!).div(s[0]!);
    if (x.ndim < 3) {
      throw new ShapeError(`normalize: per-channel mean/std need a tensor of shape [..., C, H, W], got ${fmtShape(x.shape)}`);
    }
    const channels = x.shape[x.ndim - 3]!;
    if (channels !== c && c !== 1) {
      throw new ShapeError(`normalize: got ${c} means/stds for a tensor of shape ${fmtShape(x.shape)} with ${channels} channels (dim -3)`);
    }
    const mt = Tensor._fromData(x.dtype === 'float64' ? Float64Array.from(m) : Float32Array.from(m), [c, 1, 1], x.dtype);
    const st = Tensor._fromData(x.dtype === 'float64' ? Float64Array.from(s) : Float32Array.from(s), [c, 1, 1], x.dtype);
    return x.sub(mt).div(st);
  });
}

/**
 * One-hot encodes int32 class labels: a label tensor of shape `S` becomes a float32 tensor of
 * shape `[...S, numClasses]` with a 1 at each label. A JS number is taken as a 0-d label.
 * @param numClasses - Number of classes; labels must be in `[0, numClasses)`.
 * @throws {@link IndexError} for a label out of range; {@link DTypeError} for non-int32 labels.
 * @example
 * ```ts
 * data.transforms.oneHot(3)(tensor([2, 0], { dtype: 'int32' })); // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function oneHot(numClasses: number, ...rest: never[]): Transform<Tensor | number, Tensor> {
  checkArity('oneHot', [numClasses, ...rest], 1, 'oneHot(numClasses)');
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(`oneHot: numClasses must be a positive integer, got ${String(numClasses)}`);
  }
  return batchable((labels: Tensor | number): Tensor => {
    let src: ArrayLike<number>;
    let shape: readonly number[];
    if (typeof labels === 'number') {
      if (!Number.isInteger(labels)) throw new ValueError(`oneHot: a label must be an integer, got ${labels}`);
      src = [labels];
      shape = [];
    } else if (labels instanceof Tensor) {
      if (labels.dtype !== 'int32') throw new DTypeError(`oneHot: labels must be an int32 tensor, got ${labels.dtype}`);
      src = contiguousData(labels);
      shape = labels.shape;
    } else {
      throw new ValueError(`oneHot: expected an int32 Tensor or a number, got ${typeof labels}`);
    }
    const out = new Float32Array(src.length * numClasses);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (v < 0 || v >= numClasses) {
        throw new IndexError(
          `oneHot: label ${v} (position ${i}) is out of range for ${numClasses} classes (labels must be in [0, ${numClasses - 1}])`,
        );
      }
      out[i * numClasses + v] = 1;
    }
    return Tensor._fromData(out, [...shape, numClasses], 'float32');
  });
}

/**
 * Converts 8-bit image data to a float32 image in [0, 1], like torchvision's `ToTensor`: an int32
 * (or bool) tensor with values 0..255 is divided by 255; shape `[H, W]` becomes `[1, H, W]` and
 * `[H, W, C]` becomes `[C, H, W]`.
 * @throws {@link DTypeError} for a float input (already converted); {@link ValueError} for a
 *   value outside 0..255; {@link ShapeError} for an input that is not 2-d or 3-d.
 * @example
 * ```ts
 * const img = data.transforms.toTensor()(tensor([[0, 255], [51, 102]], { dtype: 'int32' }));
 * img.shape; // [1, 2, 2]; values 0, 1, 0.2, 0.4
 * ```
 */
export function toTensor(...rest: never[]): Transform {
  checkArity('toTensor', rest, 0, 'toTensor() (it takes no arguments)');
  return (x: Tensor): Tensor => {
    if (!(x instanceof Tensor)) throw new ValueError(`toTensor: expected a Tensor of 8-bit image data, got ${typeof x}`);
    if (isFloat(x.dtype)) throw new DTypeError(`toTensor: expected 8-bit image data (int32 values 0..255), got a ${x.dtype} tensor`);
    if (x.ndim !== 2 && x.ndim !== 3)
      throw new ShapeError(`toTensor: expected an image of shape [H, W] or [H, W, C], got ${fmtShape(x.shape)}`);
    const chw = x.ndim === 2 ? x : permute(x, [2, 0, 1]);
    const src = contiguousData(chw);
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (v < 0 || v > 255) throw new ValueError(`toTensor: pixel value ${v} (element ${i}) is outside 0..255`);
      out[i] = v / 255;
    }
    return Tensor._fromData(out, x.ndim === 2 ? [1, ...x.shape] : chw.shape.slice(), 'float32');
  };
}

/**
 * Chains transforms, applied left to right. The result is batchable when every part is. Takes the
 * transforms as arguments, or as one array like torchvision's `Compose([t1, t2])`.
 * @example
 * ```ts
 * const t = data.transforms.compose(data.transforms.toTensor(), data.transforms.normalize([0.5], [0.5]));
 * const same = data.transforms.compose([data.transforms.toTensor(), data.transforms.normalize([0.5], [0.5])]);
 * ```
 */
export function compose<A, B>(t1: Transform<A, B>): Transform<A, B>;
/** Two transforms: `t2(t1(x))`. */
export function compose<A, B, C>(t1: Transform<A, B>, t2: Transform<B, C>): Transform<A, C>;
/** Three transforms: `t3(t2(t1(x)))`. */
export function compose<A, B, C, D>(t1: Transform<A, B>, t2: Transform<B, C>, t3: Transform<C, D>): Transform<A, D>;
/** Any number of transforms, untyped in between. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped between transforms on purpose (the typed overloads above cover chains of up to three)
export function compose(...transforms: Transform<any, any>[]): Transform<any, any>;
/** One array of transforms, as torchvision's `Compose([...])`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export function compose(transforms: readonly Transform<any, any>[]): Transform<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the implementation signature of the overloads
export function compose(...args: unknown[]): Transform<any, any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const transforms = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Transform<any, any>[];
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') throw new ArgumentTypeError(`compose: transform ${i} is not a function (got ${describe(t)})`);
  });
  const fn = (x: unknown): unknown => {
    let v = x;
    for (const t of transforms) v = t(v);
    return v;
  };
  return transforms.every((t) => t.batchable === true) ? batchable(fn) : fn;
}
