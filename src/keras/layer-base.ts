/**
 * The Keras `Layer` base class (an `nn.Module` that knows its input and output shapes and can
 * describe itself as JSON for `save`/`loadModel`), the `ModuleLayer` wrapper and the layer registry.
 * @module
 */
import { arrayOf, bool, checkArity, num, parseOptions, str, type Check } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../autograd/ops/creation.js';
import type { NestedArray, Tensor } from '../autograd/tensor.js';
import { Module } from '../nn/module.js';
import { KERAS_KEYS, describeValue } from './names.js';
import { readWeights, slotsOf, writeWeights } from './weights.js';

/** Options every layer accepts. */
export interface LayerOptions {
  /** The layer's name in `summary()` (default: `dense`, `dense_1`, ... given by the model). */
  name?: string;
  /** The shape of one sample (without the batch dim); only needed on the first layer of a model. */
  inputShape?: readonly number[];
  /** Shorthand for `inputShape: [inputDim]`. */
  inputDim?: number;
  /** False freezes the layer's weights (`requiresGrad` false, counted as non-trainable); default true. */
  trainable?: boolean;
}

const positiveInt = num({ integer: true, min: 1 });

/** The options every layer takes (the checks behind {@link LayerOptions}). @internal */
const LAYER_SPEC = {
  name: ((op, key, v) => {
    const s = str(op, key, v);
    if (s === '') throw new ValueError(`${op}: name must be a non-empty string`);
    return s;
  }) as Check<string>,
  inputShape: arrayOf(positiveInt),
  inputDim: positiveInt,
  trainable: bool,
};

/**
 * Reads a layer's options object against the common keys plus `spec` (camelCase, or Keras'
 * snake_case: `input_dim`, `use_bias`). @internal
 */
export function parseLayerOptions<S extends Record<string, Check<unknown>>>(op: string, options: unknown, spec: S, forms: string) {
  return parseOptions(op, options, { ...LAYER_SPEC, ...spec }, { ...KERAS_KEYS, forms });
}

/** A layer's JSON description: its class name and constructor options. */
export interface LayerConfig {
  /** The registered class name (`Dense`, `Dropout`, ...). */
  className: string;
  /** The options that rebuild the layer (JSON values only). */
  config: Record<string, unknown>;
}

/**
 * Base class of the Keras-style layers: an `nn.Module` (so it trains with any optimizer and saves
 * with `nn.save`) that builds its weights from the input shape on first use, computes its output
 * shape for `summary()`, and describes itself with {@link Layer.getConfig}.
 * @example
 * ```ts
 * class Double extends keras.Layer {
 *   forward(x: Tensor): Tensor { return x.mul(2); }
 *   override computeOutputShape(s: readonly number[]): number[] { return s.slice(); }
 * }
 * ```
 */
export abstract class Layer extends Module<[Tensor], Tensor> {
  /** The layer's name (a model names unnamed layers when they are added). */
  name: string;
  /** The shape of one input sample (no batch dim), when declared or once built. */
  inputShape: number[] | null;
  /** True once the weights exist (after {@link Layer.build}). */
  built = false;
  /** False when the layer's weights are frozen (option `trainable: false`). */
  trainable: boolean;

  /**
   * The class name used by `summary()`, `getConfig()` and `loadModel` (bundlers rename JS classes,
   * so the built-in layers state theirs). A subclass may set its own; otherwise its JS class name is used.
   */
  static className = 'Layer';

  /** Reads the common options (`name`, `inputShape`, `inputDim`, `trainable`; snake_case spellings too). */
  constructor(options: LayerOptions = {}) {
    super();
    const op = layerClassName(this);
    const o = parseOptions(op, options, LAYER_SPEC, { ...KERAS_KEYS, forms: `new ${op}({ name, inputShape, inputDim, trainable })` });
    this.name = o.name ?? '';
    if (o.inputDim !== undefined && o.inputShape !== undefined) {
      throw new ValueError(`${op}: give inputDim or inputShape, not both`);
    }
    if (o.inputDim !== undefined) this.inputShape = [o.inputDim];
    else if (o.inputShape !== undefined) this.inputShape = o.inputShape;
    else this.inputShape = null;
    this.trainable = o.trainable ?? true;
  }

  /** The layer's class name (see {@link Layer.className}). */
  override moduleName(): string {
    return layerClassName(this);
  }

  /**
   * Copies of this layer's weights in Keras' order and layout (Dense `[kernel [in, units], bias]`;
   * see `Sequential.getWeights` for the others); empty before the layer is built.
   * @example
   * ```ts
   * const [kernel, bias] = model.layers[0]!.getWeights();
   * ```
   */
  getWeights(): Tensor[] {
    checkArity(`${this.name || 'Layer'}.getWeights`, arguments, 0, 'layer.getWeights()');
    return readWeights(slotsOf(this));
  }

  /**
   * Sets this layer's weights from a list shaped like {@link Layer.getWeights}'s (tensors or nested
   * number arrays; count and shapes are checked before anything changes).
   * @example
   * ```ts
   * layer.setWeights(layer.getWeights().map((w) => w.mul(0)));
   * ```
   */
  setWeights(weights: readonly (Tensor | NestedArray)[]): void {
    const op = `${this.name || 'Layer'}.setWeights`;
    checkArity(op, arguments, 1, 'layer.setWeights(weights)');
    writeWeights(op, slotsOf(this), weights);
  }

  /** Creates the weights for inputs of `inputShape` (one sample, no batch dim). Subclasses extend it. */
  build(inputShape: readonly number[]): void {
    this.inputShape = inputShape.slice();
    this.built = true;
    if (!this.trainable) for (const p of this.parameters()) p.requiresGrad = false;
  }

  /**
   * The shape of one output sample for `inputShape`. The default runs the layer once on zeros in
   * evaluation mode without recording gradients; layers override it with a formula.
   */
  computeOutputShape(inputShape: readonly number[]): number[] {
    const wasTraining = this.modules().map((m) => m.training);
    this.eval();
    try {
      return noGrad(() => this.call(zeros([1, ...inputShape])).shape.slice(1));
    } finally {
      this.modules().forEach((m, i) => (m.training = wasTraining[i]!));
    }
  }

  /** The layer's options as JSON, enough to rebuild it with {@link registerLayer}'s factory. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name };
    if (this.inputShape !== null) config['inputShape'] = this.inputShape.slice();
    if (!this.trainable) config['trainable'] = false;
    return config;
  }

  /**
   * The name of the layer's last activation when it is one a cross-entropy loss can absorb
   * (`softmax` or `sigmoid`), so training computes the loss from the logits. @internal
   */
  _finalActivation(): string | null {
    return null;
  }

  /** The layer's output before its final activation (see {@link Layer._finalActivation}). @internal */
  _forwardLogits(x: Tensor): Tensor {
    return this.call(x);
  }
}

/**
 * Wraps any `nn.Module` (one tensor in, one tensor out) as a layer of a Keras `Sequential`, e.g. a
 * convolution or an LSTM head. Output shapes are found by running the module once on zeros. It
 * cannot be rebuilt by `loadModel` unless you pass a factory in `customObjects`.
 * @example
 * ```ts
 * const model = new keras.Sequential();
 * model.add(new keras.ModuleLayer(new nn.Sequential(new nn.Identity()), { inputShape: [4] }));
 * ```
 */
export class ModuleLayer extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'ModuleLayer';
  /** The wrapped module. */
  readonly module: Module;

  /** Wraps `module`; `options.module` (as written by `getConfig`) must name the wrapped module's class. */
  constructor(module: Module, options: LayerOptions & { module?: string } = {}) {
    const forms = 'new ModuleLayer(module, { name, inputShape })';
    if (!(module instanceof Module))
      throw new ArgumentTypeError(`ModuleLayer: expected an nn.Module, got ${describeValue(module)}; accepted forms: ${forms}`);
    const o = parseLayerOptions('ModuleLayer', options, { module: str }, forms);
    if (o.module !== undefined && o.module !== module.moduleName()) {
      throw new ValueError(`ModuleLayer: the config names a wrapped ${o.module}, but the module given is a ${module.moduleName()}`);
    }
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.module = module;
    this.built = true;
    if (!this.trainable) for (const p of this.parameters()) p.requiresGrad = false;
  }

  /** Runs the wrapped module. */
  forward(x: Tensor): Tensor {
    const out: unknown = this.module.call(x);
    if (out === null || typeof out !== 'object' || !('shape' in out)) {
      throw new ValueError(`ModuleLayer(${this.module.moduleName()}): the module must return one Tensor, got ${describeValue(out)}`);
    }
    return out as Tensor;
  }

  /** Shows the wrapped module's class. */
  override extraRepr(): string {
    return this.module.moduleName();
  }

  /** Includes the wrapped module's class name (informational: it cannot be rebuilt from JSON). */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), module: this.module.moduleName() };
  }
}

/**
 * A layer's class name: the `className` its own class states, else its JS class name.
 * @internal
 */
export function layerClassName(layer: object): string {
  const ctor = layer.constructor as { className?: unknown; name: string };
  return Object.hasOwn(ctor, 'className') && typeof ctor.className === 'string' ? ctor.className : ctor.name;
}

/** A function that rebuilds a layer from its {@link Layer.getConfig} output. */
export type LayerFactory = (config: Record<string, unknown>) => Layer;

const REGISTRY = new Map<string, LayerFactory>();

/**
 * Registers a layer class under `className`, so `loadModel` can rebuild it from its config.
 * The built-in layers are registered already.
 * @example
 * ```ts
 * keras.registerLayer('Double', (config) => new Double(config));
 * ```
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  checkArity('keras.registerLayer', arguments, 2, "registerLayer('MyLayer', (config) => new MyLayer(config))");
  if (typeof className !== 'string' || className === '')
    throw new ValueError(`registerLayer: className must be a non-empty string, got ${describeValue(className)}`);
  if (typeof factory !== 'function')
    throw new ValueError(`registerLayer: the factory for '${className}' must be a function, got ${describeValue(factory)}`);
  REGISTRY.set(className, factory);
}

/** The factory registered for `className`, if any. @internal */
export function layerFactory(className: string): LayerFactory | undefined {
  return REGISTRY.get(className);
}
