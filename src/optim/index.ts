/**
 * Optimizers (SGD, Adam, ...), learning-rate schedulers and gradient clipping, with PyTorch semantics.
 * @module
 */
export {
  Optimizer,
  type OptimizerOptions,
  type StateValue,
  type ParamState,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type Closure,
  type OptimizerStateDict,
  type ZeroGradOptions,
} from './optimizer.js';
export { type OptimizerArgs, type OptimizerCallOptions, type PositionalArgs, type Prefixes } from './options.js';
export { SGD, type SGDOptions, type SGDPositional } from './sgd.js';
export { Adagrad, type AdagradOptions, type AdagradPositional } from './adagrad.js';
export { RMSprop, type RMSpropOptions, type RMSpropPositional } from './rmsprop.js';
export { Adam, AdamW, type AdamOptions, type AdamPositional } from './adam.js';
export { Adadelta, type AdadeltaOptions, type AdadeltaPositional } from './adadelta.js';
export {
  Adamax,
  NAdam,
  RAdam,
  type AdamaxOptions,
  type NAdamOptions,
  type RAdamOptions,
  type AdamaxPositional,
  type NAdamPositional,
} from './adam-variants.js';
export { LBFGS, type LBFGSOptions, type LBFGSPositional, type LBFGSCallOptions } from './lbfgs.js';
export * as lrScheduler from './lr-scheduler/index.js';
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from '../nn/utils.js';
