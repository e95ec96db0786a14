/**
 * Optimizers (SGD, Adam, ...), learning-rate schedulers and gradient clipping, with PyTorch semantics.
 * @module
 */
export {
  Optimizer, type OptimizerOptions, type StateValue, type ParamState, type ParamGroup, type ParamGroupInput, type ParamsInput,
  type Closure, type OptimizerStateDict, type ZeroGradOptions,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adamax, NAdam, RAdam, type AdamaxOptions, type NAdamOptions, type RAdamOptions } from './adam-variants.js';
export { LBFGS, type LBFGSOptions } from './lbfgs.js';
export * as lrScheduler from './lr-scheduler/index.js';
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from '../nn/utils.js';
