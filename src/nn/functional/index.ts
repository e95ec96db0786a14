/**
 * `nn.functional` (also `nn.F`): stateless versions of the layers, activations and losses.
 * @module
 */
export { relu, sigmoid, tanh, leakyRelu, elu, gelu, silu, softplus, mish, hardtanh, softmax, logSoftmax, heaviside, step } from './activation.js';
export { linear, bilinear } from './linear.js';
export { embedding, type EmbeddingOptions } from './embedding.js';
export { dropout, type DropoutOptions } from './dropout.js';
export {
  mseLoss, l1Loss, huberLoss, smoothL1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits, nllLoss, crossEntropy, klDiv,
  cosineEmbeddingLoss, marginRankingLoss, type Reduction, type LossOptions, type NLLOptions, type CrossEntropyOptions, type KLDivOptions,
} from './loss.js';
