/**
 * The OpInfo database: every entry file under entries/, the map from primitives to the entries that
 * exercise them (a mapped type over the primitive union, so a new primitive without coverage fails
 * `tsc`), and the tables the meta-test uses to check that every exported op has an entry.
 *
 * To add a family: write `entries/<family>.ts` exporting an `AnyOpInfo[]` and spread it into `OPS`
 * below.
 * @module
 */
import type { Prim } from '../../src/autograd/primitives.js';
import { activationEntries } from './entries/activation.js';
import { comparisonEntries } from './entries/comparison.js';
import { dtypeEntries } from './entries/dtype.js';
import { elementwiseEntries } from './entries/elementwise.js';
import { inplaceEntries } from './entries/inplace.js';
import { reduceEntries } from './entries/reduce.js';
import { convEntries } from './entries/conv.js';
import { shapeEntries } from './entries/shape.js';
import { indexingEntries } from './entries/indexing.js';
import { linalgEntries } from './entries/linalg.js';
import { creationEntries } from './entries/creation.js';
import { fusedEntries } from './entries/fused.js';
import { indexExprEntries } from './entries/index-expr.js';
import { einsumEntries } from './entries/einsum.js';
import { orderingEntries } from './entries/ordering.js';
import { rearrangeEntries } from './entries/rearrange.js';
import { lstmEntries } from './entries/lstm.js';
import { gruEntries } from './entries/gru.js';
import { layerNormEntries } from './entries/layer-norm.js';
import { withEdges } from './entries/edges.js';
import type { AnyOpInfo } from './types.js';

/** Every entry, with its edge samples and closed-form gradients attached. Names are unique (checked by the meta-test). @internal */
export const OPS: AnyOpInfo[] = withEdges([
  ...elementwiseEntries,
  ...activationEntries,
  ...comparisonEntries,
  ...dtypeEntries,
  ...inplaceEntries,
  ...reduceEntries,
  ...shapeEntries,
  ...indexingEntries,
  ...linalgEntries,
  ...creationEntries,
  ...convEntries,
  ...fusedEntries,
  ...indexExprEntries,
  ...einsumEntries,
  ...orderingEntries,
  ...rearrangeEntries,
  ...lstmEntries,
  ...gruEntries,
  ...layerNormEntries,
]);

/**
 * For each primitive, the entries that run it. Internal primitives are listed with the public ops
 * that reach them (cast via toDType, copy via clone/contiguous, sliceScatter via slice's backward,
 * indexAdd via indexSelect's backward).
 * @internal
 */
export const primCoverage: { [P in Prim]: string[] } = {
  neg: ['neg'],
  abs: ['abs'],
  sign: ['sign'],
  relu: ['relu'],
  exp: ['exp'],
  log: ['log'],
  log1p: ['log1p'],
  expm1: ['expm1'],
  sqrt: ['sqrt'],
  rsqrt: ['rsqrt'],
  reciprocal: ['reciprocal'],
  sin: ['sin'],
  cos: ['cos'],
  tanh: ['tanh'],
  sigmoid: ['sigmoid'],
  erf: ['erf', 'gelu'],
  add: ['add'],
  sub: ['sub'],
  mul: ['mul'],
  div: ['div'],
  pow: ['pow'],
  maximum: ['maximum'],
  minimum: ['minimum'],
  eq: ['eq'],
  ne: ['ne'],
  lt: ['lt'],
  le: ['le'],
  gt: ['gt'],
  ge: ['ge'],
  isnan: ['isnan'],
  isfinite: ['isfinite'],
  logicalNot: ['logicalNot'],
  where: ['where', 'maskedFill', 'clamp'],
  cast: ['toDType'],
  sum: ['sum'],
  prod: ['prod'],
  amax: ['amax'],
  amin: ['amin'],
  argmax: ['argmax'],
  argmin: ['argmin'],
  any: ['any'],
  all: ['all'],
  softmax: ['softmax'],
  logSoftmax: ['logSoftmax'],
  cumsum: ['cumsum'],
  reshape: ['reshape', 'view'],
  permute: ['permute'],
  expand: ['expand'],
  slice: ['slice'],
  sliceScatter: ['sliceScatter', 'slice'],
  copy: ['clone', 'contiguous'],
  cat: ['cat'],
  indexSelect: ['indexSelect'],
  indexAdd: ['indexAdd', 'indexSelect'],
  gather: ['gather'],
  scatterAdd: ['scatterAdd'],
  scatter: ['scatter'],
  matmul: ['matmul'],
  floor: ['floor'],
  ceil: ['ceil'],
  trunc: ['trunc'],
  round: ['round'],
  unfold: ['nn.functional.unfold', 'nn.functional.conv2d', 'nn.functional.maxPool2d', 'nn.functional.avgPool2d'],
  fold: ['nn.functional.fold'],
  crossEntropyIndices: ['nn.functional.crossEntropy'],
  crossEntropyIndicesBackward: ['nn.functional.crossEntropy'],
  lstmSequence: ['nn.functional.lstmSequence'],
  gruSequence: ['nn.functional.gruSequence'],
  softmaxBackward: ['softmax'],
  layerNorm: ['nn.functional.layerNorm'],
};

/**
 * Methods of Tensor that are not ops (no values computed), so need no entry.
 * @internal
 */
export const NON_OP_METHODS: ReadonlySet<string> = new Set([
  'constructor',
  // properties and metadata
  'ndim',
  'numel',
  'size',
  'stride',
  'isContiguous',
  'requiresGrad',
  'isLeaf',
  'gradFn',
  'grad',
  // data access and printing
  'item',
  'toArray',
  'dataSync',
  'toString',
  // autograd plumbing (tested in test/autograd)
  'backward',
  'detach',
  'requiresGrad_',
  'retainGrad',
  'registerHook',
  '_gradEdge',
]);

/**
 * Methods covered by an entry of another name: in-place forms by the out-of-place entry's
 * `inplace`, dtype shorthands by `toDType`, and methods whose function has another name.
 * @internal
 */
export const METHOD_ALIASES: Readonly<Record<string, string>> = {
  add_: 'add',
  sub_: 'sub',
  mul_: 'mul',
  div_: 'div',
  clamp_: 'clamp',
  maskedFill_: 'maskedFill',
  relu_: 'relu',
  sigmoid_: 'sigmoid',
  tanh_: 'tanh',
  leakyRelu_: 'leakyRelu',
  elu_: 'elu',
  to: 'toDType',
  float: 'toDType',
  double: 'toDType',
  int: 'toDType',
  bool: 'toDType',
  var: 'variance',
  broadcastTo: 'expand',
  max: 'Tensor.max',
  min: 'Tensor.min',
  T: 'Tensor.T',
  mT: 'Tensor.mT',
};

/**
 * Exports of src/index.ts that are not ops: classes, namespaces, generators, grad-mode switches and
 * helpers.
 * @internal
 */
export const NON_OP_EXPORTS: ReadonlySet<string> = new Set([
  'Tensor',
  'Generator',
  'defaultGenerator',
  'manualSeed',
  'autograd',
  'noGrad',
  'enableGrad',
  'setGradEnabled',
  'isGradEnabled',
  // the kernel runtime's settings: thread count and backend
  'setNumThreads',
  'getNumThreads',
  'setBackend',
  'getBackend',
  // error classes and the shape formatter used in their messages
  'TapegradError',
  'ShapeError',
  'DTypeError',
  'AutogradError',
  'IndexError',
  'ValueError',
  'NotImplementedError',
  'FormatError',
  'fmtShape',
]);

/** The entry named `name`, if any. @internal */
export function findOp(name: string): AnyOpInfo | undefined {
  return OPS.find((o) => o.name === name);
}
