/**
 * Saving whole models: the weights go into a safetensors file (through `nn.save`, written
 * atomically) and the model's JSON config into the file's metadata, so `loadModel(path)` rebuilds it.
 * @module
 */
import { bool, parseOptions } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { decodeTree, encodeTree } from '../io/checkpoint.js';
import { FormatError } from '../io/format-error.js';
import type { RawTensor } from '../io/raw-tensor.js';
import { save as saveState } from '../nn/serialization.js';
import { Optimizer } from '../optim/index.js';
import { layerClassName, type LayerConfig } from './layer-base.js';
import { Loss, type LossName } from './losses.js';
import type { MetricName } from './metrics.js';
import { describeValue } from './names.js';
import { KerasOptimizer, type OptimizerName } from './optimizers.js';
import type { Sequential } from './sequential.js';

/** The metadata key that holds the model config in a saved file. @internal */
export const CONFIG_KEY = 'tapegrad.keras.config';

/** The metadata key that holds the optimizer's state (without its tensors) in a saved file. @internal */
const OPTIMIZER_KEY = 'tapegrad.keras.optimizer';

/** The key prefix of the optimizer's tensors in a saved file (`optimizer.state.0.expAvg`). @internal */
const OPTIMIZER_PREFIX = 'optimizer.';

/** Options of `Sequential.save`. */
export interface SaveOptions {
  /**
   * Also save the optimizer's state (Adam's moments, step counts, learning rates), so the model that
   * `loadModel` rebuilds resumes training where it stopped (default false, as Keras'
   * `include_optimizer` is true only for its own format). Needs an optimizer given by name at compile.
   */
  includeOptimizer?: boolean;
}

/** A model's JSON description, stored in the metadata of files written by `save`. */
export interface ModelConfig {
  /** Always `Sequential`. */
  className: 'Sequential';
  /** The format version (1). */
  version: number;
  /** The model's name. */
  name: string;
  /** Each layer's class name and options. */
  layers: LayerConfig[];
  /** The compile options, when they were all given by name. */
  compile?: CompileConfig;
}

/** Compile options stored in a {@link ModelConfig}. */
export interface CompileConfig {
  /** The optimizer's name, or its name with options. */
  optimizer: OptimizerName | Record<string, unknown>;
  /** The loss name, or its name with options (`{ name, fromLogits }`). */
  loss: LossName | Record<string, unknown>;
  /** The metric names. */
  metrics: MetricName[];
}

/** Implements `Sequential.getConfig`. @internal */
export function modelConfig(model: Sequential): ModelConfig {
  const config: ModelConfig = {
    className: 'Sequential',
    version: 1,
    name: model.name,
    layers: model.layers.map((l) => ({ className: layerClassName(l), config: l.getConfig() })),
  };
  const c = model._compiled;
  if (c !== null && !(c.optimizer instanceof Optimizer) && c.loss instanceof Loss && c.metrics.every((m) => typeof m === 'string')) {
    const optimizer =
      c.optimizer instanceof KerasOptimizer ? c.optimizer.getConfig() : (c.optimizer as OptimizerName | Record<string, unknown>);
    const lossConfig = c.loss.getConfig();
    const loss = Object.keys(lossConfig).length === 1 ? c.loss.name : lossConfig;
    config.compile = { optimizer, loss, metrics: c.metrics as MetricName[] };
  }
  return config;
}

/** Implements `Sequential.save`. @internal */
export function saveModel(model: Sequential, path: string, options: SaveOptions = {}): void {
  if (typeof path !== 'string' || path === '')
    throw new ArgumentTypeError(
      `Sequential.save: path must be a non-empty string, got ${describeValue(path)}; accepted forms: model.save(path, { includeOptimizer })`,
    );
  const o = parseOptions('Sequential.save', options, { includeOptimizer: bool }, { forms: 'save(path, { includeOptimizer })' });
  if (!model.built)
    throw new ValueError(
      'Sequential.save: the model is not built yet, so it has no weights; fit it or give the first layer inputDim/inputShape',
    );
  const config = modelConfig(model);
  const state: Record<string, Tensor> = model.stateDict();
  const metadata: Record<string, string> = { [CONFIG_KEY]: JSON.stringify(config) };
  if (o.includeOptimizer === true) {
    const optimizer = model.optimizer;
    if (config.compile === undefined || optimizer === null) {
      throw new ValueError(
        'Sequential.save: includeOptimizer needs a model compiled with an optimizer given by name (so loadModel can rebuild it) and built; for an Optimizer instance use io.saveCheckpoint({ model, optimizer }, path)',
      );
    }
    const { tree, tensors } = encodeTree(optimizer, OPTIMIZER_PREFIX.slice(0, -1));
    for (const [k, t] of Object.entries(tensors)) {
      if (Object.hasOwn(state, k)) throw new ValueError(`Sequential.save: the model already has a tensor named '${k.slice(0, 80)}'`);
      state[k] = t;
    }
    metadata[OPTIMIZER_KEY] = JSON.stringify(tree);
  }
  saveState(state, path, metadata);
}

/**
 * Splits the tensors of a saved file into the model's and the optimizer's (when the file holds an
 * optimizer state) and returns a function that restores the optimizer of the loaded model. @internal
 */
export function splitOptimizerState(
  tensors: Record<string, RawTensor>,
  metadata: Record<string, string>,
  path: string,
): {
  modelTensors: Record<string, RawTensor>;
  restore: (model: Sequential) => void;
} {
  const text = metadata[OPTIMIZER_KEY];
  if (text === undefined) return { modelTensors: tensors, restore: () => undefined };
  const modelTensors: Record<string, RawTensor> = {};
  const optimizerTensors: Record<string, RawTensor> = {};
  for (const [k, raw] of Object.entries(tensors)) {
    Object.defineProperty(k.startsWith(OPTIMIZER_PREFIX) ? optimizerTensors : modelTensors, k, {
      value: raw,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    modelTensors,
    restore: (model) => {
      if (model.optimizer === null) return; // loaded with compile: false: the optimizer state is not used
      let tree: unknown;
      try {
        tree = JSON.parse(text);
      } catch (e) {
        throw new FormatError(
          `loadModel: the optimizer state in ${path.slice(0, 200)} is not valid JSON (${(e as Error).message.slice(0, 100)})`,
        );
      }
      model.optimizer.loadStateDict(decodeTree(tree, optimizerTensors) as never);
    },
  };
}
