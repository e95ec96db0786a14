/**
 * Loading whole models saved by `Sequential.save` / `ModelCheckpoint`: `loadModel` and `modelFromConfig`.
 * @module
 */
import { bool, checkArity, isPlainObject, parseOptions, type Check } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { loadSafetensors } from '../io/safetensors.js';
import { defineOwn, describeFileValue, ownEntry, parseFileJson } from '../io/untrusted.js';
import { layerFactory, type Layer, type LayerFactory } from './layer-base.js';
import { Activation, Dense, Dropout, Flatten, type ActivationOptions, type DenseOptions, type DropoutOptions } from './layers-core.js';
import { MAX_CONFIG_DEPTH, checkConfigAgainstTensors, checkConfigStructure, type CheckedLayer } from './load-checks.js';
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
    throw new ArgumentTypeError(
      `${op}: ${key} must be an object of layer factories by class name, { Name: (config) => layer }, got ${describeValue(v)}`,
    );
  }
  return v as Record<string, LayerFactory>;
};

const LOAD_SPEC = { customObjects: customObjectsCheck, compile: bool };

/** The built-in layers by class name (a table without a prototype: a file's `constructor` finds nothing). */
const BUILTIN: Record<string, LayerFactory> = Object.assign(Object.create(null) as Record<string, LayerFactory>, {
  Dense: (c: Record<string, unknown>) => new Dense(options(c) as unknown as DenseOptions),
  Activation: (c: Record<string, unknown>) => new Activation(options(c) as unknown as ActivationOptions),
  Dropout: (c: Record<string, unknown>) => new Dropout(options(c) as unknown as DropoutOptions),
  Flatten: (c: Record<string, unknown>) => new Flatten(options(c)),
  Conv2D: (c: Record<string, unknown>) => new Conv2D(options(c) as unknown as Conv2DOptions),
  MaxPooling2D: (c: Record<string, unknown>) => new MaxPooling2D(options(c)),
  AveragePooling2D: (c: Record<string, unknown>) => new AveragePooling2D(options(c)),
  GlobalAveragePooling2D: (c: Record<string, unknown>) => new GlobalAveragePooling2D(options(c)),
  BatchNormalization: (c: Record<string, unknown>) => new BatchNormalization(options(c)),
  LayerNormalization: (c: Record<string, unknown>) => new LayerNormalization(options(c)),
  Embedding: (c: Record<string, unknown>) => new Embedding(options(c) as unknown as EmbeddingOptions),
  LSTM: (c: Record<string, unknown>) => new LSTM(options(c) as unknown as RecurrentOptions),
  GRU: (c: Record<string, unknown>) => new GRU(options(c) as unknown as RecurrentOptions),
  Reshape: (c: Record<string, unknown>) => new Reshape(options(c) as unknown as ReshapeOptions),
  InputLayer: (c: Record<string, unknown>) => new InputLayer(options(c)),
});

/**
 * The factory for a layer entry, looked up by own property only (custom objects first, then the
 * registry, then the built-in layers), or undefined. `builtIn` says whether it is a built-in one.
 */
function findFactory(layer: CheckedLayer, custom: Record<string, LayerFactory>): { factory: LayerFactory; builtIn: boolean } | undefined {
  const name = layer.className;
  const wrapped = name === 'ModuleLayer' ? layer.config['module'] : undefined;
  const own = ownEntry(custom, name) ?? (typeof wrapped === 'string' ? ownEntry(custom, wrapped) : undefined) ?? layerFactory(name);
  if (own !== undefined) return { factory: own, builtIn: false };
  const builtIn = ownEntry(BUILTIN, name);
  return builtIn === undefined ? undefined : { factory: builtIn, builtIn: true };
}

/** Rebuilds the layers of a checked config (see {@link modelFromConfig}). */
function buildModel(
  name: unknown,
  layers: readonly CheckedLayer[],
  factories: readonly LayerFactory[],
  compile: unknown,
  doCompile: boolean,
): Sequential {
  const built: Layer[] = layers.map((lc, i) => factories[i]!({ ...lc.config }));
  const model = new Sequential(built, { name: typeof name === 'string' ? name : 'sequential' });
  if (doCompile && compile !== undefined) model.compile(compile as CompileOptions);
  return model;
}

/** A class name from a file, shortened for a message. */
function clip(name: string): string {
  return name.length <= 80 ? name : `${name.slice(0, 79)}…`;
}

/** The factory of every layer, or a ValueError naming the first layer that has none. */
function factoriesFor(
  layers: readonly CheckedLayer[],
  custom: Record<string, LayerFactory>,
): { factory: LayerFactory; builtIn: boolean }[] {
  return layers.map((lc, i) => {
    const found = findFactory(lc, custom);
    if (found !== undefined) return found;
    const wrapped = lc.className === 'ModuleLayer' ? lc.config['module'] : undefined;
    const wanted = typeof wrapped === 'string' ? clip(wrapped) : wrapped !== undefined ? describeFileValue(wrapped) : clip(lc.className);
    const what = wrapped !== undefined ? `a ModuleLayer wrapping ${wanted}` : `a layer of class '${wanted}'`;
    throw new ValueError(
      `loadModel: layer ${i} is ${what}, which cannot be rebuilt from JSON; pass a factory in customObjects: { '${wanted}': (config) => layer }, or register it with keras.registerLayer`,
    );
  });
}

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
  const opts = parseOptions('keras.modelFromConfig', options, LOAD_SPEC, {
    ...KERAS_KEYS,
    forms: 'modelFromConfig(config, { customObjects, compile })',
  });
  if (config === null || typeof config !== 'object' || config.className !== 'Sequential' || !Array.isArray(config.layers)) {
    throw new ValueError(
      `modelFromConfig: expected a Sequential model config { className: 'Sequential', layers: [...] }, got ${describeValue(config)}`,
    );
  }
  const layers = checkConfigStructure(config, 'modelFromConfig');
  const factories = factoriesFor(layers, opts.customObjects ?? {});
  return buildModel(
    config.name,
    layers,
    factories.map((f) => f.factory),
    config.compile,
    opts.compile ?? true,
  );
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
  if (typeof path !== 'string' || path === '')
    throw new ArgumentTypeError(`keras.loadModel: path must be a non-empty string, got ${describeValue(path)}; accepted forms: ${forms}`);
  const opts = parseOptions('keras.loadModel', options, LOAD_SPEC, { ...KERAS_KEYS, forms });
  const { tensors, metadata } = loadSafetensors(path);
  const text = Object.hasOwn(metadata, CONFIG_KEY) ? metadata[CONFIG_KEY] : undefined;
  if (text === undefined) {
    throw new ValueError(
      `loadModel: ${path} has no model config (it holds weights only, e.g. from nn.save or saveWeightsOnly); build the model in code and call model.loadStateDict(nn.load(path))`,
    );
  }
  // Everything is checked before anything is built: the JSON's nesting, the config's structure,
  // each layer's factory, and the built-in layers' weight shapes against the stored tensors.
  const config = parseFileJson(`loadModel: the model config in ${path}`, text, MAX_CONFIG_DEPTH) as ModelConfig;
  const layers = checkConfigStructure(config);
  const factories = factoriesFor(layers, opts.customObjects ?? {});
  const { modelTensors, restore } = splitOptimizerState(tensors, metadata, path);
  checkConfigAgainstTensors(layers, (i) => factories[i]!.builtIn, modelTensors);
  const model = buildModel(
    config.name,
    layers,
    factories.map((f) => f.factory),
    config.compile,
    opts.compile ?? true,
  );
  const state: Record<string, Tensor> = {};
  for (const [k, raw] of Object.entries(modelTensors)) defineOwn(state, k, Tensor._fromData(raw.data, raw.shape.slice(), raw.dtype));
  model.loadStateDict(state);
  restore(model);
  return model;
}
