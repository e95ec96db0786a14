/**
 * The core Keras layers: Dense, Activation, Dropout, Flatten.
 * @module
 */
import { bool, checkArity, checkNumber, isPlainObject, num, type Check } from '../autograd/args.js';
import { ArgumentTypeError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { zeros } from '../autograd/ops/creation.js';
import { Generator, defaultGenerator } from '../autograd/random.js';
import type { Tensor } from '../autograd/tensor.js';
import { dropout } from '../nn/functional/dropout.js';
import { Parameter } from '../nn/parameter.js';
import { activationName, getActivation, type ActivationSpec } from './activations.js';
import { initialize, initializerName, type InitializerIdentifier, type InitializerName } from './initializers.js';
import { Layer, parseLayerOptions, type LayerOptions } from './layer-base.js';
import { describeValue } from './names.js';

/** An activation option: a known name, a function, or null (linear). @internal */
export const activationCheck: Check<ActivationSpec | null> = (op, key, v) => {
  if (v === null || typeof v === 'function') return v as ActivationSpec | null;
  if (typeof v !== 'string')
    throw new ArgumentTypeError(
      `${op}: ${key} must be an activation name such as 'relu' or a function (x) => Tensor, got ${describeValue(v)}`,
    );
  activationName(v);
  return v as ActivationSpec;
};

/** An initializer option: a known name. @internal */
export const initializerCheck: Check<InitializerIdentifier> = (op, key, v) => {
  if (typeof v !== 'string')
    throw new ArgumentTypeError(`${op}: ${key} must be an initializer name such as 'glorotUniform', got ${describeValue(v)}`);
  initializerName(v);
  return v as InitializerIdentifier;
};

/**
 * Reads Keras' forms `(first, options?)` and `(options)`: a leading positional value (Dense's
 * `units`, Dropout's `rate`, Activation's `activation`) or everything in one options object. @internal
 */
function leadingAndOptions(op: string, args: readonly unknown[], key: string, forms: string): Record<string, unknown> | undefined {
  checkArity(op, args, 2, forms);
  const [first, options] = args;
  if (isPlainObject(first)) {
    if (args.length > 1) throw new ArgumentTypeError(`${op}: options given twice; accepted forms: ${forms}`);
    return first;
  }
  if (options !== undefined && !isPlainObject(options))
    throw new ArgumentTypeError(`${op}: expected an options object after ${key}, got ${describeValue(options)}; accepted forms: ${forms}`);
  const rest = options;
  if (rest !== undefined && Object.hasOwn(rest, key)) throw new ValueError(`${op}: ${key} given twice, as an argument and in the options`);
  return { ...rest, [key]: first };
}

/** Options of {@link Dense}. */
export interface DenseOptions extends LayerOptions {
  /** Number of outputs. */
  units: number;
  /** Activation applied to the output (default `linear`, i.e. none). */
  activation?: ActivationSpec | null;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default `glorotUniform`, as Keras; PyTorch's Linear uses Kaiming uniform). */
  kernelInitializer?: InitializerIdentifier;
  /** Bias initializer (default `zeros`, as Keras). */
  biasInitializer?: InitializerIdentifier;
}

const DENSE_SPEC = {
  units: num({ integer: true, min: 1 }),
  activation: activationCheck,
  useBias: bool,
  kernelInitializer: initializerCheck,
  biasInitializer: initializerCheck,
};

/** The name an activation is shown and saved under. @internal */
export function activationLabel(spec: ActivationSpec): string {
  return typeof spec === 'function' ? spec.name || 'custom' : activationName(spec);
}

/**
 * A fully connected layer `activation(x · kernel + bias)` with Keras' layout (`kernel` is
 * `[inputDim, units]`) and defaults (Glorot-uniform kernel, zero bias). Its weights are created
 * from `inputDim`/`inputShape` or on the first call.
 * @example
 * ```ts
 * const layer = new keras.Dense({ units: 10, activation: 'relu', inputDim: 784 });
 * layer.call(zeros([32, 784])).shape; // [32, 10]
 * ```
 */
export class Dense extends Layer {
  /** Number of outputs. */
  readonly units: number;
  /** Whether the layer has a bias. */
  readonly useBias: boolean;
  /** The weight matrix `[inputDim, units]` (null until built). */
  kernel: Parameter | null = null;
  /** The bias `[units]` (null until built or when `useBias` is false). */
  bias: Parameter | null = null;
  /** @internal */ declare readonly _activation: (x: Tensor) => Tensor;
  /** @internal */ declare readonly _activationLabel: string;
  /** @internal */ declare readonly _activationSpec: ActivationSpec;
  /** @internal */ declare readonly _kernelInit: InitializerName;
  /** @internal */ declare readonly _biasInit: InitializerName;

  /** The class name in saved configs and summaries. */
  static override className = 'Dense';

  /**
   * Creates the layer from Keras' forms `new Dense(units, options?)` or `new Dense({ units, ... })`
   * (snake_case keys such as `input_dim` and `use_bias` are read too); the weights are built now
   * when `inputDim`/`inputShape` is given.
   */
  constructor(units: number, options?: Omit<DenseOptions, 'units'>);
  constructor(options: DenseOptions);
  constructor(...args: unknown[]) {
    const op = 'Dense';
    const forms = 'new Dense(units, { activation, useBias, inputDim, ... }) or new Dense({ units, activation, ... })';
    const o = parseLayerOptions(op, leadingAndOptions(op, args, 'units', forms), DENSE_SPEC, forms);
    if (o.units === undefined) throw new ValueError(`Dense: units is required; accepted forms: ${forms}`);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.units = o.units;
    this.useBias = o.useBias ?? true;
    const spec = o.activation ?? 'linear';
    const hidden = (name: string, value: unknown): void => {
      Object.defineProperty(this, name, { value, enumerable: false });
    };
    hidden('_activationSpec', spec);
    hidden('_activation', getActivation(spec));
    hidden('_activationLabel', activationLabel(spec));
    hidden('_kernelInit', initializerName(o.kernelInitializer ?? 'glorotUniform'));
    hidden('_biasInit', initializerName(o.biasInitializer ?? 'zeros'));
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Creates `kernel` and `bias` for inputs whose last dim is `inputShape`'s last entry. */
  override build(inputShape: readonly number[]): void {
    if (inputShape.length < 1)
      throw new ShapeError(`Dense '${this.name}': inputs must have at least one feature dim, got sample shape ${fmtShape(inputShape)}`);
    const inDim = inputShape[inputShape.length - 1]!;
    this.kernel = new Parameter(initialize(zeros([inDim, this.units]), this._kernelInit));
    this.bias = this.useBias ? new Parameter(initialize(zeros([this.units]), this._biasInit)) : null;
    super.build(inputShape);
  }

  /** `x · kernel + bias` before the activation. @internal */
  override _forwardLogits(x: Tensor): Tensor {
    if (!this.built) this.build(x.shape.slice(1));
    const kernel = this.kernel!;
    const inDim = kernel.shape[0]!;
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== inDim) {
      throw new ShapeError(
        `Dense '${this.name}': expected inputs of shape [batch, ${inDim}] (last dim ${inDim}), got ${fmtShape(x.shape)}`,
      );
    }
    const y = x.matmul(kernel);
    return this.bias === null ? y : y.add(this.bias);
  }

  /** Applies the layer. */
  forward(x: Tensor): Tensor {
    return this._activation(this._forwardLogits(x));
  }

  /** @internal */
  override _finalActivation(): string | null {
    return this._activationLabel === 'softmax' || this._activationLabel === 'sigmoid' ? this._activationLabel : null;
  }

  /** `[..., units]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  /** Shows units and activation. */
  override extraRepr(): string {
    return `units=${this.units}, activation=${this._activationLabel}${this.useBias ? '' : ', useBias=false'}`;
  }

  /** Units, activation, bias and initializers. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this._activationLabel,
      useBias: this.useBias,
      kernelInitializer: this._kernelInit,
      biasInitializer: this._biasInit,
    };
  }
}

/** Options of {@link Activation}. */
export interface ActivationOptions extends LayerOptions {
  /** The activation name or function. */
  activation: ActivationSpec;
}

/**
 * Applies an activation function as a layer of its own.
 * @example
 * ```ts
 * const act = new keras.Activation('softmax');
 * ```
 */
export class Activation extends Layer {
  /** @internal */ declare readonly _fn: (x: Tensor) => Tensor;
  /** The activation's name (`custom` for a function without a name). */
  readonly activation: string;

  /** The class name in saved configs and summaries. */
  static override className = 'Activation';

  /** Creates the layer: `new Activation('relu', { name })` or `new Activation({ activation, name })`. */
  constructor(activation: ActivationSpec, options?: LayerOptions);
  constructor(options: ActivationOptions);
  constructor(...args: unknown[]) {
    const op = 'Activation';
    const forms = "new Activation('relu', { name }) or new Activation({ activation, name })";
    const o = parseLayerOptions(op, leadingAndOptions(op, args, 'activation', forms), { activation: activationCheck }, forms);
    if (o.activation === undefined) throw new ValueError(`Activation: activation is required; accepted forms: ${forms}`);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    const spec = o.activation ?? 'linear';
    Object.defineProperty(this, '_fn', { value: getActivation(spec), enumerable: false });
    this.activation = activationLabel(spec);
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return this._fn(x);
  }

  /** @internal */
  override _finalActivation(): string | null {
    return this.activation === 'softmax' || this.activation === 'sigmoid' ? this.activation : null;
  }

  /** @internal */
  override _forwardLogits(x: Tensor): Tensor {
    return x;
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return inputShape.slice();
  }

  /** Shows the activation. */
  override extraRepr(): string {
    return this.activation;
  }

  /** The activation name. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

const DROPOUT_SPEC = {
  rate: num({ min: 0, max: 1, maxExclusive: true }),
  seed: ((op, key, v) => checkNumber(op, key, v, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER })) as Check<number>,
};

/** Options of {@link Dropout}. */
export interface DropoutOptions extends LayerOptions {
  /** Fraction of inputs zeroed during training, in [0, 1). */
  rate: number;
  /** Seed of the layer's own generator (default: the global generator). */
  seed?: number;
}

/**
 * Zeroes a fraction `rate` of the inputs during training and scales the rest by `1 / (1 - rate)`;
 * does nothing in evaluation (`evaluate`, `predict`).
 * @example
 * ```ts
 * model.add(new keras.Dropout(0.2));
 * ```
 */
export class Dropout extends Layer {
  /** Fraction of inputs dropped. */
  readonly rate: number;
  /** The seed, when given. */
  readonly seed: number | null;
  /** @internal */ declare readonly _generator: Generator;

  /** The class name in saved configs and summaries. */
  static override className = 'Dropout';

  /** Creates the layer: `new Dropout(0.2, { seed })` or `new Dropout({ rate, seed })`. */
  constructor(rate: number, options?: Omit<DropoutOptions, 'rate'>);
  constructor(options: DropoutOptions);
  constructor(...args: unknown[]) {
    const op = 'Dropout';
    const forms = 'new Dropout(rate, { seed, name }) or new Dropout({ rate, seed, name })';
    const o = parseLayerOptions(op, leadingAndOptions(op, args, 'rate', forms), DROPOUT_SPEC, forms);
    if (o.rate === undefined) throw new ValueError(`Dropout: rate is required; accepted forms: ${forms}`);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.rate = o.rate;
    this.seed = o.seed ?? null;
    Object.defineProperty(this, '_generator', {
      value: o.seed === undefined ? defaultGenerator : new Generator(o.seed),
      enumerable: false,
    });
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Drops inputs in training mode. */
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.rate, training: this.training, generator: this._generator });
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return inputShape.slice();
  }

  /** Shows the rate. */
  override extraRepr(): string {
    return `rate=${this.rate}`;
  }

  /** Rate and seed. */
  override getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== null) c['seed'] = this.seed;
    return c;
  }
}

/**
 * Flattens each sample to one dim: `[batch, a, b, ...]` → `[batch, a·b·...]`.
 * @example
 * ```ts
 * model.add(new keras.Flatten({ inputShape: [28, 28] }));
 * ```
 */
export class Flatten extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'Flatten';

  /** Creates the layer (options: `name`, `inputShape`, `trainable`). */
  constructor(options: LayerOptions = {}) {
    checkArity('Flatten', arguments, 1, 'new Flatten({ name, inputShape })');
    super(options);
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Flattens all dims after the first. */
  forward(x: Tensor): Tensor {
    if (x.ndim < 1) throw new ShapeError(`Flatten '${this.name}': expected a batch of samples, got a 0-d tensor`);
    return x.ndim === 2 ? x : x.flatten(1);
  }

  /** `[product of the sample dims]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [inputShape.reduce((a, b) => a * b, 1)];
  }
}
