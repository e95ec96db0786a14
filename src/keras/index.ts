/**
 * The Keras-style API: `Sequential` with `add`, `compile`, `fit`, `evaluate`, `predict`, `summary`,
 * `save`; layers (`Dense`, `Activation`, `Dropout`, `Flatten`, `Conv2D`, pooling, normalisation,
 * `Embedding`, `LSTM`, `GRU`, `Reshape`, `Input`, `ModuleLayer` for any `nn.Module`);
 * name tables for optimizers, losses, metrics, activations and initializers; loss and optimizer
 * objects (`keras.losses`, `keras.optimizers`); callbacks; progress output. Options are camelCase,
 * and Keras' snake_case spellings (`input_dim`, `batch_size`, `from_logits`) are read as the same
 * options. See docs/keras.md.
 * @example
 * ```ts
 * import { keras } from 'tapegrad';
 * const model = new keras.Sequential();
 * model.add(new keras.Dense({ units: 10, activation: 'relu', inputDim: 784 }));
 * model.add(new keras.Dense({ units: 10, activation: 'softmax' }));
 * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
 * ```
 * @module
 */
export { Sequential, type CompileOptions } from './sequential.js';
export type { SnakeCase } from './names.js';
export type { FitOptions } from './training.js';
export type { EvaluateOptions, PredictOptions } from './evaluation.js';
export type { DataSource, ClassWeight } from './batches.js';
export { Layer, ModuleLayer, registerLayer, type LayerOptions, type LayerConfig, type LayerFactory } from './layer-base.js';
export { Dense, Activation, Dropout, Flatten, type DenseOptions, type ActivationOptions, type DropoutOptions } from './layers-core.js';
export { Conv2D, type Conv2DOptions } from './layers-conv.js';
export {
  MaxPooling2D,
  AveragePooling2D,
  GlobalAveragePooling2D,
  Pooling2D,
  type Pooling2DOptions,
  type GlobalPoolingOptions,
} from './layers-pool.js';
export { BatchNormalization, LayerNormalization, type BatchNormalizationOptions, type LayerNormalizationOptions } from './layers-norm.js';
export { Embedding, LSTM, GRU, Recurrent, type EmbeddingOptions, type RecurrentOptions } from './layers-recurrent.js';
export { Reshape, InputLayer, Input, type ReshapeOptions, type InputOptions } from './layers-shape.js';
export type { DataFormat, KerasPadding } from './spatial.js';
export type { BatchResult, TrainOnBatchOptions, TestOnBatchOptions } from './batch-steps.js';
export { activationName, getActivation, type ActivationName, type ActivationSpec } from './activations.js';
export { initialize, initializerName, type InitializerName, type InitializerIdentifier } from './initializers.js';
export {
  lossName,
  computeLoss,
  Loss,
  type LossName,
  type LossIdentifier,
  type LossFunction,
  type LossSpec,
  type LossInput,
  type LossConfigObject,
  type ComputeLossOptions,
} from './losses.js';
export * as losses from './loss-objects.js';
export * as optimizers from './optimizer-objects.js';
export type { MetricName, MetricFunction, MetricSpec, MetricObject } from './metrics.js';
export * as metrics from './metric-objects.js';
export {
  optimizerName,
  makeOptimizer,
  KerasOptimizer,
  type OptimizerName,
  type OptimizerIdentifier,
  type OptimizerSpec,
  type OptimizerConfig,
  type OptimizerOptions,
} from './optimizers.js';
export { Callback, History, TerminateOnNaN, type Logs, type TrainingParams, type CallbackHooks, type CallbackLike } from './callbacks.js';
export {
  EarlyStopping,
  ReduceLROnPlateau,
  ModelCheckpoint,
  type EarlyStoppingOptions,
  type ReduceLROnPlateauOptions,
  type ModelCheckpointOptions,
  type MonitorMode,
} from './callbacks-monitor.js';
export { LearningRateScheduler, CSVLogger, LambdaCallback, type CSVLoggerOptions } from './callbacks-schedule.js';
export { MetricsLogger } from './callbacks-metrics.js';
export { ProgressLogger, type OutputStream, type ProgressOptions } from './progress.js';
export type { SummaryOptions } from './summary.js';
export type { ModelConfig, CompileConfig, SaveOptions } from './saving.js';
export { loadModel, modelFromConfig, type LoadModelOptions } from './load.js';
