/**
 * tapegrad: reverse-mode autograd tensors, nn, optim and a Keras-style API for Node.js.
 * @module
 */
export { Tensor, type TensorLike, type KeepDim, type NestedArray, type ValuesIndices } from './autograd/tensor.js';
export type { GradHook } from './autograd/node.js';
export type { DType, TypedArray, FloatDType } from './autograd/dtype.js';
export * from './autograd/errors.js';
export { FormatError } from './io/format-error.js';
export { Generator, manualSeed, defaultGenerator } from './autograd/random.js';
export { noGrad, enableGrad, setGradEnabled, isGradEnabled } from './autograd/grad-mode.js';
export * from './autograd/ops/creation.js';
export * from './autograd/ops/creation-random.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logicalAnd,
  logicalNot,
  isnan,
  isfinite,
  neg,
  abs,
  sign,
  exp,
  log,
  log1p,
  expm1,
  sqrt,
  rsqrt,
  reciprocal,
  sin,
  cos,
  tanh,
  sigmoid,
  erf,
  relu,
  where,
  toDType,
} from './autograd/ops/elementwise.js';
export * from './autograd/ops/activation.js';
export {
  sum,
  mean,
  prod,
  amax,
  amin,
  argmax,
  argmin,
  max,
  min,
  maxDim,
  minDim,
  variance,
  std,
  logsumexp,
  norm,
  softmax,
  logSoftmax,
  cumsum,
  any,
  all,
  type DTypeReduceOptions,
  type DimOptions,
  type Dims,
  type ReduceArgs,
  type ReduceOptions,
  type VarOptions,
  type VarArgs,
  type NormArgs,
  type NormOptions,
} from './autograd/ops/reduce.js';
export {
  view,
  reshape,
  flatten,
  squeeze,
  unsqueeze,
  permute,
  transpose,
  expand,
  slice,
  narrow,
  select,
  contiguous,
  clone,
  split,
  chunk,
  unbind,
  cat,
  stack,
} from './autograd/ops/shape.js';
export { indexSelect, indexAdd, gather, scatter, scatterAdd, maskedFill, maskedSelect } from './autograd/ops/indexing.js';
export { matmul, mm, bmm, dot, outer } from './autograd/ops/linalg.js';
export {
  index,
  indexPut,
  indexPut_,
  setIndex,
  nonzero,
  type IndexItem,
  type IndexPutOptions,
  type NonzeroOptions,
} from './autograd/ops/index-expr.js';
export { einsum } from './autograd/ops/einsum.js';
export { sort, argsort, topk, cumprod, type SortOptions, type TopkOptions } from './autograd/ops/ordering.js';
export { repeat, tile, flip, roll, t } from './autograd/ops/rearrange.js';
export { tril, triu, diag } from './autograd/ops/triangular.js';
export { floor, ceil, trunc, round, type RoundOptions } from './autograd/ops/rounding.js';
export * as autograd from './autograd/index.js';
export * as testing from './testing/index.js';
export { setNumThreads, getNumThreads, setBackend, getBackend } from './autograd/threads.js';
export * as data from './data/index.js';
export * as optim from './optim/index.js';
export * as nn from './nn/index.js';
export * as training from './training/index.js';
export * as keras from './keras/index.js';
export * as onnx from './onnx/index.js';
export * as io from './io/index.js';
