/** Options meta-test entries for the core exports (see types.ts). */
import type { OptionsTable } from './types.js';
import type { Lib } from '../wrong-calls/types.js';

const x = (tg: Lib): any => tg.tensor([[1, 2], [3, 4]]);
const f = (tg: Lib, name: string): ((...a: unknown[]) => unknown) => (tg as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
const NUMBERS = 'takes tensors and numbers only; an object where a number goes is a typed error';
const UNARY = 'takes one tensor; an extra argument is an arity error';

/** Entries of the core area. */
export const table: OptionsTable = {
  // classes and helpers
  Tensor: { none: 'not constructed directly (use tensor(), zeros() ...); its methods are listed as Tensor#...' },
  Generator: { none: 'takes a seed number only' },
  manualSeed: { none: 'takes a seed number only' },
  fmtShape: { none: 'formats a shape array for messages' },
  setNumThreads: { none: 'takes a thread count only' },
  getNumThreads: { none: 'takes no arguments' },
  setBackend: { none: 'takes a backend name only' },
  getBackend: { none: 'takes no arguments' },

  // creation
  tensor: (tg, o) => tg.tensor([1, 2], o),
  zeros: (tg, o) => f(tg, 'zeros')(2, 3, o),
  ones: (tg, o) => f(tg, 'ones')([2, 3], o),
  full: (tg, o) => tg.full([2], 1, o),
  arange: (tg, o) => f(tg, 'arange')(0, 5, o),
  linspace: (tg, o) => tg.linspace(0, 1, 5, o),
  eye: (tg, o) => f(tg, 'eye')(3, o),
  rand: (tg, o) => f(tg, 'rand')(2, o),
  randn: (tg, o) => f(tg, 'randn')(2, 2, o),
  randint: (tg, o) => f(tg, 'randint')(0, 5, [3], o),
  zerosLike: (tg, o) => tg.zerosLike(x(tg), o),
  onesLike: (tg, o) => tg.onesLike(x(tg), o),
  fullLike: (tg, o) => tg.fullLike(x(tg), 2, o),
  randLike: (tg, o) => tg.randLike(x(tg), o),
  randnLike: (tg, o) => tg.randnLike(x(tg), o),

  // reductions
  sum: (tg, o) => f(tg, 'sum')(x(tg), 1, o),
  mean: (tg, o) => f(tg, 'mean')(x(tg), o),
  prod: (tg, o) => f(tg, 'prod')(x(tg), 0, true, o),
  amax: (tg, o) => f(tg, 'amax')(x(tg), o),
  amin: (tg, o) => f(tg, 'amin')(x(tg), 1, o),
  argmax: (tg, o) => f(tg, 'argmax')(x(tg), 1, o),
  argmin: (tg, o) => f(tg, 'argmin')(x(tg), o),
  maxDim: (tg, o) => f(tg, 'maxDim')(x(tg), 1, o),
  minDim: (tg, o) => f(tg, 'minDim')(x(tg), 0, o),
  variance: (tg, o) => f(tg, 'variance')(x(tg), 1, o),
  std: (tg, o) => f(tg, 'std')(x(tg), o),
  logsumexp: (tg, o) => f(tg, 'logsumexp')(x(tg), 1, o),
  norm: (tg, o) => f(tg, 'norm')(x(tg), 2, 1, o),
  softmax: (tg, o) => f(tg, 'softmax')(x(tg), 1, o),
  logSoftmax: (tg, o) => f(tg, 'logSoftmax')(x(tg), o),
  cumsum: (tg, o) => f(tg, 'cumsum')(x(tg), 0, o),
  any: (tg, o) => f(tg, 'any')(x(tg), o),
  all: (tg, o) => f(tg, 'all')(x(tg), 1, o),

  // shape ops with a dim that may be given as { dim }
  split: (tg, o) => f(tg, 'split')(x(tg), 1, o),
  chunk: (tg, o) => f(tg, 'chunk')(x(tg), 2, o),
  unbind: (tg, o) => f(tg, 'unbind')(x(tg), o),
  cat: (tg, o) => f(tg, 'cat')([x(tg), x(tg)], o),
  stack: (tg, o) => f(tg, 'stack')([x(tg), x(tg)], o),
  view: { none: 'takes a shape array; sizes are numbers' },
  reshape: { none: 'takes a shape array; sizes are numbers' },
  flatten: { none: 'takes startDim and endDim numbers' },
  squeeze: { none: 'takes an optional dim or array of dims' },
  unsqueeze: { none: 'takes a dim number' },
  permute: { none: 'takes an array of dims' },
  transpose: { none: 'takes two dim numbers' },
  expand: { none: 'takes a size array' },
  slice: { none: 'takes dim, start, end and step numbers' },
  narrow: { none: 'takes dim, start and length numbers' },
  select: { none: 'takes dim and index numbers' },
  contiguous: { none: UNARY },
  clone: { none: UNARY },

  // elementwise and activations
  add: (tg, o) => tg.add(x(tg), 1, o),
  sub: (tg, o) => tg.sub(x(tg), 1, o),
  gelu: (tg, o) => tg.gelu(x(tg), o),
  softplus: (tg, o) => f(tg, 'softplus')(x(tg), o),
  mul: { none: NUMBERS }, div: { none: NUMBERS }, pow: { none: NUMBERS }, maximum: { none: NUMBERS }, minimum: { none: NUMBERS },
  eq: { none: NUMBERS }, ne: { none: NUMBERS }, lt: { none: NUMBERS }, le: { none: NUMBERS }, gt: { none: NUMBERS }, ge: { none: NUMBERS },
  logicalAnd: { none: NUMBERS }, where: { none: NUMBERS }, heaviside: { none: NUMBERS }, clamp: { none: 'takes min and max (numbers, tensors or null)' },
  leakyRelu: { none: 'takes the negative slope as a number' }, elu: { none: 'takes alpha as a number' },
  logicalNot: { none: UNARY }, isnan: { none: UNARY }, isfinite: { none: UNARY }, neg: { none: UNARY }, abs: { none: UNARY }, sign: { none: UNARY },
  exp: { none: UNARY }, log: { none: UNARY }, log1p: { none: UNARY }, expm1: { none: UNARY }, sqrt: { none: UNARY }, rsqrt: { none: UNARY },
  reciprocal: { none: UNARY }, sin: { none: UNARY }, cos: { none: UNARY }, tanh: { none: UNARY }, sigmoid: { none: UNARY }, erf: { none: UNARY },
  relu: { none: UNARY }, silu: { none: UNARY },
  toDType: { none: 'takes a dtype name' },

  // indexing and linear algebra
  indexSelect: { none: 'takes dim and an index tensor' }, indexAdd: { none: 'takes dim, an index tensor and a source tensor' },
  gather: { none: 'takes dim and an index tensor' }, scatter: { none: 'takes dim, an index tensor and a source' },
  scatterAdd: { none: 'takes dim, an index tensor and a source tensor' }, maskedFill: { none: 'takes a mask tensor and a value' },
  maskedSelect: { none: 'takes a mask tensor' },
  matmul: { none: 'takes two tensors' }, mm: { none: 'takes two tensors' }, bmm: { none: 'takes two tensors' }, dot: { none: 'takes two tensors' },
  outer: { none: 'takes two tensors' },
  max: (tg, o) => f(tg, 'max')(x(tg), 1, o),
  min: (tg, o) => f(tg, 'min')(x(tg), 0, true, o),

  // indexing expressions, ordering, rearranging, rounding (issue 14)
  index: { none: 'takes index items (numbers, strings, null, tensors, arrays); an object is a typed error' },
  setIndex: { none: 'takes index items and a value' },
  indexPut: (tg, o) => f(tg, 'indexPut')(x(tg), [0], 1, o),
  indexPut_: (tg, o) => f(tg, 'indexPut_')(x(tg), [0], 1, o),
  nonzero: (tg, o) => f(tg, 'nonzero')(x(tg), o),
  einsum: { none: 'takes an equation string and tensors' },
  sort: (tg, o) => f(tg, 'sort')(x(tg), 1, o),
  argsort: (tg, o) => f(tg, 'argsort')(x(tg), o),
  topk: (tg, o) => f(tg, 'topk')(x(tg), 1, 1, o),
  cumprod: (tg, o) => f(tg, 'cumprod')(x(tg), 1, o),
  round: (tg, o) => f(tg, 'round')(x(tg), o),
  floor: { none: UNARY }, ceil: { none: UNARY }, trunc: { none: UNARY }, t: { none: UNARY },
  repeat: { none: 'takes an array of repeat counts' }, tile: { none: 'takes an array of repeat counts' },
  flip: { none: 'takes a dim or an array of dims' }, roll: { none: 'takes shifts and dims (numbers or arrays)' },
  tril: { none: 'takes a diagonal number' }, triu: { none: 'takes a diagonal number' }, diag: { none: 'takes a diagonal number' },

  // Tensor methods that take options
  'Tensor#sum': (tg, o) => x(tg).sum(1, o),
  'Tensor#max': (tg, o) => x(tg).max(1, o),
  'Tensor#var': (tg, o) => x(tg).var(o),
  'Tensor#norm': (tg, o) => x(tg).norm(o),
  'Tensor#softmax': (tg, o) => x(tg).softmax(1, o),
  'Tensor#split': (tg, o) => x(tg).split(1, o),
  'Tensor#backward': (tg, o) => tg.tensor([1], { requiresGrad: true }).sum().backward(undefined, o),
  'Tensor#add': (tg, o) => x(tg).add(1, o),
  'Tensor#uniform_': (tg, o) => x(tg).uniform_(0, 1, o),
  'Tensor#sort': (tg, o) => x(tg).sort(o),
  'Tensor#topk': (tg, o) => x(tg).topk(1, o),
  'Tensor#indexPut': (tg, o) => x(tg).indexPut([0], 1, o),
  'Tensor#round': (tg, o) => x(tg).round(o),
  'Tensor#nonzero': (tg, o) => x(tg).nonzero(o),
};
