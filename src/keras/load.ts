/**
 * Loading whole models saved by `Sequential.save` / `ModelCheckpoint`: `loadModel` and `modelFromConfig`.
 * @module
 */
import { bool, checkArity, isPlainObject, parseOptions, type Check } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { loadSafetensors } from '../io/safetensors.js';
import { layerFactory, type Layer, type LayerFactory } from './layer.js';
import { Activation, Dense, Dropout, Flatten, type ActivationOptions, type DenseOptions, type DropoutOptions } from './layers.js';
import { Conv2D, type Conv2DOptions } from './layers-conv.js';
import { BatchNormalization, LayerNormalization } from './layers-norm.js';
import { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D } from './layers-pool.js';
import { Embedding, GRU, LSTM, type EmbeddingOptions, type RecurrentOptions } from './layers-recurrent.js';
import { InputLayer, Reshape, type ReshapeOptions } from './layers-shape.js';
import { KERAS_KEYS, describeValue } from './names.js';
import { CONFIG_KEY, splitOptimizerState, type ModelConfig } from './saving.js';
import { Sequential, type CompileOptions } from './sequential.js';

function options(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  if (out['name'] === '') delete out['name'];
  return out;
}

/** A table of layer factories by class name. */
const customObjectsCheck: Check<Record<string, LayerFactory>> = (op, key, v) => {
  if (!isPlainObject(v) || !Object.values(v).every((f) => typeof f === 'function')) {
    throw new ArgumentTypeError(`${op}: ${key} must be an object of layer factories by class name, { Name: (config) => layer }, got ${describeValue(v)}`);
  }
  return v as Record<string, LayerFactory>;
};

const LOAD_SPEC = { customObjects: customObjectsCheck, compile: bool };

const BUILTIN: Record<string, LayerFactory> = {
  Dense: (c) => new Dense(options(c) as unknown as DenseOptions),
  Activation: (c) => new Activation(options(c) as unknown as ActivationOptions),
  Dropout: (c) => new Dropout(options(c) as unknown as DropoutOptions),
  Flatten: (c) => new Flatten(options(c)),
  Conv2D: (c) => new Conv2D(options(c) as unknown as Conv2DOptions),
  MaxPooling2D: (c) => new MaxPooling2D(options(c)),
  AveragePooling2D: (c) => new AveragePooling2D(options(c)),
  GlobalAveragePooling2D: (c) => new GlobalAveragePooling2D(options(c)),
  BatchNormalization: (c) => new BatchNormalization(options(c)),
  LayerNormalization: (c) => new LayerNormalization(options(c)),
  Embedding: (c) => new Embedding(options(c) as unknown as EmbeddingOptions),
  LSTM: (c) => new LSTM(options(c) as unknown as RecurrentOptions),
  GRU: (c) => new GRU(options(c) as unknown as RecurrentOptions),
  Reshape: (c) => new Reshape(options(c) as unknown as ReshapeOptions),
  InputLayer: (c) => new InputLayer(options(c)),
};

/** Options of {@link loadModel} and {@link modelFromConfig}. */
export interface LoadModelOptions {
  /** Factories for layer classes that are not built in, by class name (for a ModuleLayer: by the wrapped module's class name). */
  customObjects?: Record<string, LayerFactory>;
  /** Compile the model with the saved compile options, when the file has them (default true). */
  compile?: boolean;
}

/**
 * Rebuilds a model (untrained weights) from {@link ModelConfig}.
 * @example
 * ```ts
 * const copy = keras.modelFromConfig(model.getConfig());
 * ```
 */
export function modelFromConfig(config: ModelConfig, options: LoadModelOptions = {}): Sequential {
  const opts = parseOptions('keras.modelFromConfig', options, LOAD_SPEC, { ...KERAS_KEYS, forms: 'modelFromConfig(config, { customObjects, compile })' });
  if (config === null || typeof config !== 'object' || config.className !== 'Sequential' || !Array.isArray(config.layers)) {
    throw new ValueError(`modelFromConfig: expected a Sequential model config { className: 'Sequential', layers: [...] }, got ${describeValue(config)}`);
  }
  const custom = opts.customObjects ?? {};
  const layers: Layer[] = config.layers.map((lc, i) => {
    const name = lc?.className;
    const wrapped = name === 'ModuleLayer' ? String(lc.config?.['module'] ?? '') : null;
    const factory = custom[name] ?? (wrapped !== null ? custom[wrapped] : undefined) ?? layerFactory(name) ?? BUILTIN[name];
    if (factory === undefined) {
      const what = wrapped !== null ? `a ModuleLayer wrapping ${wrapped}` : `a layer of class '${String(name)}'`;
      throw new ValueError(`loadModel: layer ${i} is ${what}, which cannot be rebuilt from JSON; pass a factory in customObjects: { '${wrapped ?? name}': (config) => layer }, or register it with keras.registerLayer`);
    }
    return factory({ ...lc.config });
  });
  const model = new Sequential(layers, { name: config.name ?? 'sequential' });
  if ((opts.compile ?? true) && config.compile !== undefined) model.compile(config.compile as CompileOptions);
  return model;
}

/**
 * Loads a model saved with `model.save(path)` (or `ModelCheckpoint`): rebuilds it from the config in
 * the file's metadata, loads the weights, and compiles it when the compile options were saved by
 * name. When the file was saved with `{ includeOptimizer: true }`, the optimizer's state is restored
 * too (unless `compile: false`); otherwise training resumes with a fresh optimizer.
 * @example
 * ```ts
 * model.save('mnist.safetensors');
 * const again = keras.loadModel('mnist.safetensors');
 * ```
 */
export function loadModel(path: string, options: LoadModelOptions = {}): Sequential {
  const forms = 'loadModel(path, { customObjects, compile })';
  checkArity('keras.loadModel', arguments, 2, forms);
  if (typeof path !== 'string' || path === '') throw new ArgumentTypeError(`keras.loadModel: path must be a non-empty string, got ${describeValue(path)}; accepted forms: ${forms}`);
  const opts = parseOptions('keras.loadModel', options, LOAD_SPEC, { ...KERAS_KEYS, forms });
  const { tensors, metadata } = loadSafetensors(path);
  const text = metadata[CONFIG_KEY];
  if (text === undefined) {
    throw new ValueError(`loadModel: ${path} has no model config (it holds weights only, e.g. from nn.save or saveWeightsOnly); build the model in code and call model.loadStateDict(nn.load(path))`);
  }
  let config: ModelConfig;
  try {
    config = JSON.parse(text) as ModelConfig;
  } catch (e) {
    throw new ValueError(`loadModel: the model config in ${path} is not valid JSON (${(e as Error).message})`);
  }
  const model = modelFromConfig(config, { ...opts });
  const { modelTensors, restore } = splitOptimizerState(tensors, metadata, path);
  const state: Record<string, Tensor> = {};
  for (const [k, raw] of Object.entries(modelTensors)) state[k] = Tensor._fromData(raw.data, raw.shape.slice(), raw.dtype);
  model.loadStateDict(state);
  restore(model);
  return model;
}
