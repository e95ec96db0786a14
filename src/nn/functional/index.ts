/**
 * `nn.functional` (also `nn.F`): stateless versions of the layers, activations and losses.
 * @module
 */
export {
  relu,
  sigmoid,
  tanh,
  leakyRelu,
  elu,
  gelu,
  silu,
  softplus,
  mish,
  hardtanh,
  softmax,
  logSoftmax,
  heaviside,
  step,
} from './activation.js';
export { linear, bilinear } from './linear.js';
export { embedding, type EmbeddingOptions } from './embedding.js';
export { oneHot } from './one-hot.js';
export { dropout, type DropoutOptions } from './dropout.js';
export {
  mseLoss,
  l1Loss,
  huberLoss,
  smoothL1Loss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  nllLoss,
  crossEntropy,
  klDiv,
  cosineEmbeddingLoss,
  marginRankingLoss,
  type Reduction,
  type LossOptions,
  type NLLOptions,
  type CrossEntropyOptions,
  type KLDivOptions,
} from './loss.js';
export {
  conv1d,
  conv2d,
  convTranspose2d,
  unfold,
  fold,
  type Size2,
  type ConvPadding,
  type Conv1dOptions,
  type Conv2dOptions,
  type ConvTranspose2dOptions,
  type UnfoldOptions,
} from './conv.js';
export {
  maxPool2d,
  maxPool2dWithIndices,
  avgPool2d,
  adaptiveAvgPool2d,
  type MaxPool2dOptions,
  type AvgPool2dOptions,
  type MaxPoolWithIndices,
} from './pool.js';
export { batchNorm, layerNorm, groupNorm, rmsNorm, type BatchNormOptions, type NormOptions, type RmsNormOptions } from './norm.js';
export { scaledDotProductAttention, type SdpaOptions, type MhaForwardOptions, type MhaOutput } from './attention.js';
export type { RnnOutput, RnnMode, CellWeights } from './rnn.js';
