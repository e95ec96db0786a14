/**
 * Saving whole models: the weights go into a safetensors file (through `nn.save`, written
 * atomically) and the model's JSON config into the file's metadata, so `loadModel(path)` rebuilds it.
 * @module
 */
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { save as saveState } from '../nn/serialization.js';
import { Optimizer } from '../optim/index.js';
import { layerClassName, type LayerConfig } from './layer.js';
import { Loss, type LossName } from './losses.js';
import type { MetricName } from './metrics.js';
import { describeValue } from './names.js';
import { KerasOptimizer, type OptimizerName } from './optimizers.js';
import type { Sequential } from './sequential.js';

/** The metadata key that holds the model config in a saved file. @internal */
export const CONFIG_KEY = 'tapegrad.keras.config';

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
    const optimizer = c.optimizer instanceof KerasOptimizer ? c.optimizer.getConfig() : (c.optimizer as OptimizerName | Record<string, unknown>);
    const lossConfig = c.loss.getConfig();
    const loss = Object.keys(lossConfig).length === 1 ? c.loss.name : lossConfig;
    config.compile = { optimizer, loss, metrics: c.metrics as MetricName[] };
  }
  return config;
}

/** Implements `Sequential.save`. @internal */
export function saveModel(model: Sequential, path: string): void {
  if (typeof path !== 'string' || path === '') throw new ArgumentTypeError(`Sequential.save: path must be a non-empty string, got ${describeValue(path)}; accepted forms: model.save(path)`);
  if (!model.built) throw new ValueError('Sequential.save: the model is not built yet, so it has no weights; fit it or give the first layer inputDim/inputShape');
  saveState(model.stateDict(), path, { [CONFIG_KEY]: JSON.stringify(modelConfig(model)) });
}

