/**
 * Learning-rate schedulers with PyTorch semantics: constructing one sets each group's `initialLr`
 * and the lr of epoch 0; call `step()` once per epoch (per batch for OneCycleLR and CyclicLR).
 * @module
 */
export { LRScheduler, type SchedulerStateDict, type AnyOptimizer } from './base.js';
export {
  StepLR,
  MultiStepLR,
  ExponentialLR,
  LinearLR,
  LambdaLR,
  type StepLROptions,
  type MultiStepLROptions,
  type ExponentialLROptions,
  type LinearLROptions,
  type LambdaLROptions,
  type LrLambda,
  type SchedulerCommonOptions,
} from './basic.js';
export {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingLROptions,
  type CosineAnnealingWarmRestartsOptions,
} from './cosine.js';
export {
  OneCycleLR,
  CyclicLR,
  type OneCycleLROptions,
  type CyclicLROptions,
  type OneCycleLRPositional,
  type CyclicLRPositional,
} from './cyclic.js';
export { SequentialLR, ChainedScheduler, type SequentialLROptions } from './sequential.js';
export {
  ConstantLR,
  MultiplicativeLR,
  PolynomialLR,
  type ConstantLROptions,
  type MultiplicativeLROptions,
  type PolynomialLROptions,
} from './factor.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauPositional } from './plateau.js';
