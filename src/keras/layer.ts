/**
 * The Keras `Layer` base class (an `nn.Module` that knows its input and output shapes and can
 * describe itself as JSON for `save`/`loadModel`), the `ModuleLayer` wrapper and the layer registry.
 * @module
 */
import { ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../autograd/ops/creation.js';
import type { Tensor } from '../autograd/tensor.js';
import { Module } from '../nn/module.js';
import { describeValue } from './names.js';

/** Options every layer accepts. */
export interface LayerOptions {
  /** The layer's name in `summary()` (default: `dense`, `dense_1`, ... given by the model). */
  name?: string;
  /** The shape of one sample (without the batch dim); only needed on the first layer of a model. */
  inputShape?: readonly number[];
  /** Shorthand for `inputShape: [inputDim]`. */
  inputDim?: number;
}

/** A layer's JSON description: its class name and constructor options. */
export interface LayerConfig {
  /** The registered class name (`Dense`, `Dropout`, ...). */
  className: string;
  /** The options that rebuild the layer (JSON values only). */
  config: Record<string, unknown>;
}

/** Checks a shape option: positive integers. @internal */
export function checkShapeOption(op: string, name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((s) => !Number.isInteger(s) || (s as number) < 1)) {
    throw new ValueError(`${op}: ${name} must be an array of positive integers, got ${Array.isArray(shape) ? fmtShape(shape as number[]) : describeValue(shape)}`);
  }
  return (shape as number[]).slice();
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

  /** Reads the common options. */
  constructor(options: LayerOptions = {}) {
    super();
    const op = `${this.constructor.name}`;
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ValueError(`${op}: name must be a non-empty string, got ${describeValue(options.name)}`);
    }
    this.name = options.name ?? '';
    if (options.inputDim !== undefined && options.inputShape !== undefined) {
      throw new ValueError(`${op}: give inputDim or inputShape, not both`);
    }
    if (options.inputDim !== undefined) this.inputShape = checkShapeOption(op, 'inputDim', [options.inputDim]);
    else if (options.inputShape !== undefined) this.inputShape = checkShapeOption(op, 'inputShape', options.inputShape);
    else this.inputShape = null;
  }

  /** Creates the weights for inputs of `inputShape` (one sample, no batch dim). Subclasses extend it. */
  build(inputShape: readonly number[]): void {
    this.inputShape = inputShape.slice();
    this.built = true;
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
  /** The wrapped module. */
  readonly module: Module;

  /** Wraps `module`. */
  constructor(module: Module, options: LayerOptions = {}) {
    super(options);
    if (!(module instanceof Module)) throw new ValueError(`ModuleLayer: expected an nn.Module, got ${describeValue(module)}`);
    this.module = module;
    this.built = true;
  }

  /** Runs the wrapped module. */
  forward(x: Tensor): Tensor {
    const out = this.module.call(x);
    if (out === null || typeof out !== 'object' || !('shape' in (out as object))) {
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
  if (typeof className !== 'string' || className === '') throw new ValueError(`registerLayer: className must be a non-empty string, got ${describeValue(className)}`);
  if (typeof factory !== 'function') throw new ValueError(`registerLayer: the factory for '${className}' must be a function, got ${describeValue(factory)}`);
  REGISTRY.set(className, factory);
}

/** The factory registered for `className`, if any. @internal */
export function layerFactory(className: string): LayerFactory | undefined {
  return REGISTRY.get(className);
}
