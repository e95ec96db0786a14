/**
 * The `nn` namespace: modules, parameters, layers, activations, losses, initialisation and checkpoints.
 * @module
 */
export {
  Module,
  LoadStateDictError,
  type ForwardHook,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  type NamedOptions,
} from './module.js';
export { Parameter } from './parameter.js';
export { Sequential, ModuleList, ModuleDict, Identity } from './containers.js';
export { Linear, type LayerOptions } from './layers/linear.js';
export { Bilinear } from './layers/bilinear.js';
export { Embedding, type EmbeddingLayerOptions } from './layers/embedding.js';
export { Dropout } from './layers/dropout.js';
export { Flatten, Unflatten } from './layers/flatten.js';
export {
  ReLU,
  Sigmoid,
  Tanh,
  LeakyReLU,
  ELU,
  GELU,
  SiLU,
  Softplus,
  Mish,
  Hardtanh,
  Softmax,
  LogSoftmax,
  Heaviside,
  Step,
  type InplaceOptions,
} from './layers/activation.js';
export {
  Loss,
  MSELoss,
  L1Loss,
  HuberLoss,
  SmoothL1Loss,
  BCELoss,
  BCEWithLogitsLoss,
  NLLLoss,
  CrossEntropyLoss,
  KLDivLoss,
  CosineEmbeddingLoss,
  MarginRankingLoss,
} from './losses.js';
export {
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  type Conv1dLayerOptions,
  type Conv2dLayerOptions,
  type ConvTranspose2dLayerOptions,
  type PaddingMode,
} from './layers/conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './layers/pool.js';
export {
  BatchNormBase,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  GroupNorm,
  RMSNorm,
  type BatchNormLayerOptions,
  type LayerNormOptions,
  type RmsNormLayerOptions,
  type GroupNormOptions,
} from './layers/norm.js';
export {
  RNNCellBase,
  RNNCell,
  LSTMCell,
  GRUCell,
  RNNBase,
  RNN,
  LSTM,
  GRU,
  type RnnLayerOptions,
  type RnnOptions,
  type RnnResult,
  type LstmResult,
  type LstmCellState,
} from './layers/rnn.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MhaForwardArgs } from './layers/attention.js';
export * as functional from './functional/index.js';
export * as F from './functional/index.js';
export * as init from './init.js';
export { save, load, toBytes, fromBytes } from './serialization.js';
export * as utils from './utils.js';
export {
  summary,
  type SummaryOptions,
  type SummaryStream,
  type SummaryColumn,
  type ModelSummary,
  type SummaryLayer,
  type Trainable,
} from './summary.js';
