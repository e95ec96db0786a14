/**
 * The `autograd` namespace: functional gradients, custom Functions, gradient checking and anomaly detection.
 * @module
 */
export { grad, type BackwardOptions, type GradOptions } from './engine.js';
export { Function, FunctionCtx } from './function.js';
export { gradcheck, gradgradcheck, GradcheckError, type GradcheckOptions, type GradcheckFn } from './gradcheck.js';
export { detectAnomaly } from './anomaly.js';
export { GradFn } from './grad-fn.js';
export * as functional from './functional/index.js';
export { toDot, toMermaid, type GraphOptions, type ParamNames, type NamedParameters } from './graph.js';
export { noGrad, enableGrad, setGradEnabled, isGradEnabled } from './grad-mode.js';
