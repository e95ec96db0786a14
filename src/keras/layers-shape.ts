/**
 * Shape layers: `Reshape` and the model input, `InputLayer` / `keras.Input({ shape })` (Keras 3's
 * way to declare the sample shape as the first element of a `Sequential`).
 * @module
 */
import { arrayOf, checkArity, isPlainObject, num, nullable, oneOf, type Check } from '../autograd/args.js';
import { ArgumentTypeError, NotImplementedError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import { Layer, parseLayerOptions, type LayerOptions } from './layer-base.js';
import { describeValue } from './names.js';
import { positionalAndOptions } from './spatial.js';

/** Options of {@link Reshape}. */
export interface ReshapeOptions extends LayerOptions {
  /** One sample's new shape (no batch dim); one entry may be -1 (inferred). */
  targetShape: readonly number[];
}

const targetCheck: Check<number[]> = (op, key, v) => {
  const dims = arrayOf(num({ integer: true, min: -1 }))(op, key, v);
  if (dims.some((d) => d === 0)) throw new ValueError(`${op}: ${key} entries must be positive or -1, got ${describeValue(v)}`);
  if (dims.filter((d) => d === -1).length > 1) throw new ValueError(`${op}: ${key} may contain at most one -1, got ${describeValue(v)}`);
  return dims;
};

/**
 * Reshapes each sample to `targetShape` (without the batch dim; one -1 is inferred):
 * `[batch, 784]` → `[batch, 28, 28, 1]` with `targetShape: [28, 28, 1]`.
 * @example
 * ```ts
 * new keras.Reshape([28, 28, 1]).call(zeros([2, 784])).shape; // [2, 28, 28, 1]
 * ```
 */
export class Reshape extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'Reshape';
  /** The target sample shape as given. */
  readonly targetShape: number[];

  /** `new Reshape(targetShape, options?)` or `new Reshape({ targetShape, ... })`. */
  constructor(targetShape: readonly number[], options?: LayerOptions);
  constructor(options: ReshapeOptions);
  constructor(...args: unknown[]) {
    const op = 'Reshape';
    const forms = 'new Reshape([28, 28, 1], { name }) or new Reshape({ targetShape: [28, 28, 1] })';
    const o = parseLayerOptions(op, positionalAndOptions(op, args, ['targetShape'], forms), { targetShape: targetCheck }, forms);
    if (o.targetShape === undefined) throw new ValueError(`${op}: targetShape is required; accepted forms: ${forms}`);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.targetShape = o.targetShape;
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** `targetShape` with its -1 resolved for samples of `inputShape`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    const size = inputShape.reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, b) => (b === -1 ? a : a * b), 1);
    const out = this.targetShape.map((d) => (d === -1 ? size / known : d));
    if (!Number.isInteger(size / known) || (!this.targetShape.includes(-1) && known !== size)) {
      throw new ShapeError(
        `Reshape '${this.name}': cannot reshape samples of shape ${fmtShape(inputShape)} (${size} values) to ${fmtShape(this.targetShape)}`,
      );
    }
    return out;
  }

  /** Reshapes each sample. */
  forward(x: Tensor): Tensor {
    if (x.ndim < 1) throw new ShapeError(`Reshape '${this.name}': expected a batch of samples, got a 0-d tensor`);
    return x.reshape([x.shape[0]!, ...this.computeOutputShape(x.shape.slice(1))]);
  }

  /** The target shape. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape.slice() };
  }
}

/** Options of {@link InputLayer} and {@link Input}. */
export interface InputOptions {
  /** One sample's shape (no batch dim), e.g. `[28, 28, 1]`. */
  shape?: readonly number[];
  /** Keras' `batch_shape`: the shape with a leading `null` batch dim (a fixed batch size is not supported). */
  batchShape?: readonly (number | null)[];
  /** Element type the data is declared with: `float32` (default) or `int32` (e.g. token ids for an `Embedding`; `fit` turns int inputs into float32 and `Embedding` reads them back as indices). */
  dtype?: 'float32' | 'int32';
  /** The layer's name. */
  name?: string;
}

const INPUT_SPEC = {
  shape: arrayOf(num({ integer: true, min: 1 })),
  batchShape: arrayOf(nullable(num({ integer: true, min: 1 }))),
  dtype: oneOf(['float32', 'int32'] as const),
};

/**
 * Declares the model's input sample shape. As the first element of a `Sequential` (or its first
 * `add`) it sets the first real layer's `inputShape`; like Keras 3 it is not listed in
 * `model.layers` nor in `summary()`.
 * @example
 * ```ts
 * const model = new keras.Sequential([new keras.InputLayer({ shape: [28, 28, 1] }), new keras.Conv2D(8, 3)]);
 * ```
 */
export class InputLayer extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'InputLayer';
  /** The declared element type. */
  readonly dtype: 'float32' | 'int32';

  /** `new InputLayer({ shape, batchShape, dtype, name })` (also `inputShape` for `shape`). */
  constructor(options: InputOptions & { inputShape?: readonly number[] } = {}) {
    const op = 'InputLayer';
    const forms = 'new InputLayer({ shape: [28, 28, 1] }) or keras.Input({ shape: [28, 28, 1] })';
    checkArity(op, arguments, 1, forms);
    const o = parseLayerOptions(op, options, INPUT_SPEC, forms);
    if (o.inputDim !== undefined || o.trainable !== undefined) throw new ValueError(`${op}: give the sample shape as shape: [...]`);
    const given = [o.shape, o.batchShape, o.inputShape].filter((s) => s !== undefined).length;
    if (given !== 1) throw new ValueError(`${op}: give exactly one of shape, batchShape or inputShape; accepted forms: ${forms}`);
    let shape = o.shape ?? o.inputShape;
    if (o.batchShape !== undefined) {
      if (o.batchShape[0] !== null)
        throw new NotImplementedError(
          `${op}: a fixed batch size (batchShape [${String(o.batchShape[0])}, ...]) is not supported; use null for the batch dim`,
        );
      const rest = o.batchShape.slice(1);
      if (rest.some((d) => d === null))
        throw new NotImplementedError(`${op}: only the batch dim may be null in batchShape, got ${describeValue(o.batchShape)}`);
      shape = rest as number[];
    }
    super({ name: o.name, inputShape: shape });
    this.dtype = o.dtype ?? 'float32';
    this.build(this.inputShape!);
  }

  /** Passes the input through. */
  forward(x: Tensor): Tensor {
    return x;
  }

  /** Same shape. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return inputShape.slice();
  }

  /** The sample shape and dtype. */
  override getConfig(): Record<string, unknown> {
    return { name: this.name, shape: this.inputShape!.slice(), dtype: this.dtype };
  }
}

/**
 * Keras 3's `keras.Input`: an {@link InputLayer} declaring the sample shape, used as the first
 * element (or first `add`) of a `Sequential`. `Input([28, 28, 1])` and `Input({ shape: [28, 28, 1] })` are the same.
 * @example
 * ```ts
 * const model = new keras.Sequential([keras.Input({ shape: [784] }), new keras.Dense(10)]);
 * ```
 */
export function Input(shape: readonly number[], options?: Omit<InputOptions, 'shape'>): InputLayer;
export function Input(options: InputOptions): InputLayer;
export function Input(...args: unknown[]): InputLayer {
  const op = 'keras.Input';
  const forms = 'Input({ shape: [28, 28, 1], dtype, name }) or Input([28, 28, 1], { dtype, name })';
  if (args.length === 0) throw new ArgumentTypeError(`${op}: the sample shape is required; accepted forms: ${forms}`);
  if (!Array.isArray(args[0]) && !isPlainObject(args[0]))
    throw new ArgumentTypeError(
      `${op}: expected a shape array or an options object, got ${describeValue(args[0])}; accepted forms: ${forms}`,
    );
  return new InputLayer(positionalAndOptions(op, args, ['shape'], forms));
}
