/**
 * `testing`: property tests of differentiable functions (custom autograd Functions, composite
 * ops) the way tapegrad tests its own ops. Arbitraries of shapes and tensors, a seeded generator,
 * and {@link gradcheckProperty}, which runs gradcheck, the createGraph comparison and the
 * mixed-inputs check on many random samples. No dependencies: nothing here needs fast-check.
 * @module
 */
export { Random } from './random.js';
export { Arbitrary, constant, constantFrom, floats, integers, oneOf, tuple, type Generated } from './arbitrary.js';
export {
  broadcastShapes,
  broadcastTensors,
  shapes,
  tensors,
  values,
  type EdgeValue,
  type ShapeOptions,
  type TensorOptions,
  type ValueOptions,
} from './tensors.js';
export {
  checkCreateGraph,
  checkMixedInputs,
  gradcheckProperty,
  type GradcheckPropertyOptions,
  type PropertyReport,
  type Tolerance,
} from './property.js';
