// The module database: one entry per layer/loss of nn part A, with seeded sample inputs (float64),
// which inputs are differentiable, and the errors that bad inputs must raise. Generic tests in
// module-db.test.ts run gradcheck (inputs and parameters), float32-vs-float64 agreement and the errors.
import { DTypeError, Generator, IndexError, ShapeError, Tensor, ValueError, nn, tensor, zeros } from '../../src/index.js';
import { awayFromZero, ints, rnd } from './helpers.js';

type ErrorClass = new (...args: never[]) => Error;

export interface ErrorCase {
  /** What is wrong. */
  what: string;
  /** Builds the module (default: the entry's make); may itself throw the error. */
  make?: (g: Generator) => nn.Module;
  /** The bad inputs. */
  inputs?: (g: Generator) => Tensor[];
  error: ErrorClass;
  match: RegExp;
}

export interface ModuleEntry {
  name: string;
  /** The class names this entry covers (for the meta-test). */
  covers: string[];
  make: (g: Generator) => nn.Module;
  /** Sample inputs, float64 (int32 for indices). */
  inputs: (g: Generator) => Tensor[];
  /** Indices of the inputs that gradcheck differentiates. */
  diff: number[];
  errors?: ErrorCase[];
}

const int = (values: number[]): Tensor => tensor(values, { dtype: 'int32' });

/** Magnitudes in [0.05, 0.4] ∪ [0.6, 1] with random signs: away from 0 and from ±0.5. */
function awayFromHalf(shape: number[], g: Generator): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = g.random() < 0.5 ? 0.05 + 0.35 * g.random() : 0.6 + 0.4 * g.random();
    d[i] = g.random() < 0.5 ? -m : m;
  }
  return tensor(d, { dtype: 'float64' }).reshape(shape);
}

/** Dropout whose mask generator is re-seeded before every forward, so the function is deterministic. */
class SeededDropout extends nn.Module<[Tensor], Tensor> {
  private readonly gen = new Generator(7);
  drop = new nn.Dropout(0.4, { generator: this.gen });
  forward(x: Tensor): Tensor {
    this.gen.manualSeed(7);
    return this.drop.call(x);
  }
}

/** Activations PyTorch also runs on integer tensors (relu, sigmoid, tanh, hardtanh). */
const INT_OK = new Set(['ReLU', 'Sigmoid', 'Tanh', 'Hardtanh']);

const act = (name: string, make: () => nn.Module, inputs?: ((g: Generator) => Tensor[]) | null, extra: ErrorCase[] = []): ModuleEntry => ({
  name,
  covers: [name],
  make,
  inputs: inputs ?? ((g) => [rnd([3, 4], g, { lo: -2, hi: 2 })]),
  diff: [0],
  errors: [...(INT_OK.has(name) ? [] : [{ what: 'int32 input', inputs: () => [int([1, 2])], error: DTypeError, match: /must be float32 or float64, got int32/ }]), ...extra],
});

const kink = (g: Generator): Tensor[] => [awayFromZero([3, 4], g, 0.1, 2)];

export const layerEntries: ModuleEntry[] = [
  {
    name: 'Linear', covers: ['Linear'], make: (g) => new nn.Linear(3, 2, { generator: g }), inputs: (g) => [rnd([4, 3], g)], diff: [0],
    errors: [
      { what: 'wrong inFeatures', inputs: (g) => [rnd([2, 5], g)], error: ShapeError, match: /linear: input of shape \[2, 5\] does not end in inFeatures=3/ },
      { what: 'int input', inputs: () => [int([1, 2, 3])], error: DTypeError, match: /linear: input must be float32 or float64, got int32/ },
      { what: 'negative size', make: () => new nn.Linear(-1, 2), error: ValueError, match: /Linear: inFeatures must be >= 0, got -1/ },
    ],
  },
  { name: 'Linear (no bias, 3-d input)', covers: [], make: (g) => new nn.Linear(3, 2, { bias: false, generator: g }), inputs: (g) => [rnd([2, 2, 3], g)], diff: [0] },
  {
    name: 'Bilinear', covers: ['Bilinear'], make: (g) => new nn.Bilinear(2, 3, 2, { generator: g }), inputs: (g) => [rnd([3, 2], g), rnd([3, 3], g)], diff: [0, 1],
    errors: [{ what: 'leading dims differ', inputs: (g) => [rnd([3, 2], g), rnd([4, 3], g)], error: ShapeError, match: /bilinear: inputs \[3, 2\] and \[4, 3\] do not fit weight \[2, 2, 3\]/ }],
  },
  {
    name: 'Embedding', covers: ['Embedding'], make: (g) => new nn.Embedding(5, 3, { generator: g }), inputs: () => [int([0, 1, 4, 1, 2, 0]).reshape([2, 3])], diff: [],
    errors: [
      { what: 'index out of range', inputs: () => [int([0, 7])], error: IndexError, match: /embedding: index 7 is out of range for 5 embeddings/ },
      { what: 'float indices', inputs: () => [tensor([0, 1])], error: DTypeError, match: /embedding: indices must be int32, got float32/ },
      { what: 'bad paddingIdx', make: () => new nn.Embedding(5, 3, { paddingIdx: 5 }), error: IndexError, match: /paddingIdx 5 is out of range for 5 embeddings/ },
    ],
  },
  {
    name: 'Dropout', covers: ['Dropout'], make: () => new SeededDropout(), inputs: (g) => [rnd([4, 5], g)], diff: [0],
    errors: [{ what: 'p > 1', make: () => new nn.Dropout(1.5), error: ValueError, match: /Dropout: p must be >= 0 and <= 1, got 1.5/ }],
  },
  { name: 'Flatten', covers: ['Flatten'], make: () => new nn.Flatten(), inputs: (g) => [rnd([2, 3, 2], g)], diff: [0] },
  {
    name: 'Unflatten', covers: ['Unflatten'], make: () => new nn.Unflatten(1, [2, -1]), inputs: (g) => [rnd([2, 6], g)], diff: [0],
    errors: [{ what: 'sizes do not divide', make: () => new nn.Unflatten(1, [4, 2]), inputs: (g) => [rnd([2, 6], g)], error: ShapeError, match: /Unflatten: cannot unflatten dim 1 of size 6 \(input \[2, 6\]\) into \[4, 2\]/ }],
  },
  { name: 'Identity', covers: ['Identity'], make: () => new nn.Identity(), inputs: (g) => [rnd([3], g)], diff: [0] },
  {
    name: 'Sequential(Linear, Tanh, Linear)', covers: ['Sequential'],
    make: (g) => new nn.Sequential(new nn.Linear(3, 4, { generator: g }), new nn.Tanh(), new nn.Linear(4, 2, { generator: g })), inputs: (g) => [rnd([2, 3], g)], diff: [0],
  },
  act('ReLU', () => new nn.ReLU(), kink),
  act('Sigmoid', () => new nn.Sigmoid()),
  act('Tanh', () => new nn.Tanh()),
  act('LeakyReLU', () => new nn.LeakyReLU(0.2), kink),
  act('ELU', () => new nn.ELU(1.5), kink),
  act('GELU', () => new nn.GELU()),
  { ...act('GELU', () => new nn.GELU({ approximate: 'tanh' })), name: 'GELU (tanh)', covers: [] },
  act('SiLU', () => new nn.SiLU()),
  act('Softplus', () => new nn.Softplus({ beta: 2, threshold: 3 }), (g) => [awayFromZero([3, 4], g, 0, 1.3)]),
  act('Mish', () => new nn.Mish()),
  act('Hardtanh', () => new nn.Hardtanh(-0.5, 0.5), (g) => [awayFromHalf([3, 4], g)], [
    { what: 'max ≤ min', make: () => new nn.Hardtanh(1, -1), error: ValueError, match: /Hardtanh: maxVal \(-1\) must be greater than minVal \(1\)/ },
  ]),
  act('Softmax', () => new nn.Softmax(1), null, [
    { what: 'dim out of range', make: () => new nn.Softmax(2), inputs: (g) => [rnd([2, 3], g)], error: IndexError, match: /dim 2 out of range for a 2-d tensor/ },
  ]),
  act('LogSoftmax', () => new nn.LogSoftmax(1)),
  act('Heaviside', () => new nn.Heaviside(0.5), kink),
  act('Step', () => new nn.Step(), kink),
];

const shapeErr = (loss: string): ErrorCase => ({
  what: 'target shape', inputs: (g) => [rnd([2, 3], g), rnd([3], g)], error: ShapeError, match: new RegExp(`${loss}: target shape \\[3\\] does not match input shape \\[2, 3\\]`),
});
const dtypeErr = (loss: string): ErrorCase => ({
  what: 'int target', inputs: (g) => [rnd([2], g), int([1, 0])], error: DTypeError, match: new RegExp(`${loss}: target must be float32 or float64, got int32`),
});

export const lossEntries: ModuleEntry[] = [
  { name: 'MSELoss', covers: ['MSELoss'], make: () => new nn.MSELoss(), inputs: (g) => [rnd([2, 3], g), rnd([2, 3], g)], diff: [0, 1], errors: [shapeErr('mseLoss'), dtypeErr('mseLoss')] },
  { name: 'MSELoss (none)', covers: [], make: () => new nn.MSELoss({ reduction: 'none' }), inputs: (g) => [rnd([2, 3], g), rnd([2, 3], g)], diff: [0, 1] },
  {
    name: 'L1Loss', covers: ['L1Loss'], make: () => new nn.L1Loss({ reduction: 'sum' }), diff: [0, 1],
    inputs: (g) => { const x = rnd([2, 3], g); return [x, x.add(awayFromZero([2, 3], g))]; }, errors: [shapeErr('l1Loss'), dtypeErr('l1Loss')],
  },
  {
    name: 'HuberLoss', covers: ['HuberLoss'], make: () => new nn.HuberLoss({ delta: 0.5 }), diff: [0, 1],
    inputs: (g) => { const x = rnd([2, 3], g); return [x, x.add(awayFromHalf([2, 3], g))]; },
    errors: [shapeErr('huberLoss'), { what: 'delta 0', make: () => new nn.HuberLoss({ delta: 0 }), inputs: (g) => [rnd([2], g), rnd([2], g)], error: ValueError, match: /HuberLoss: delta must be > 0, got 0/ }],
  },
  {
    name: 'SmoothL1Loss', covers: ['SmoothL1Loss'], make: () => new nn.SmoothL1Loss({ beta: 0.5 }), diff: [0, 1],
    inputs: (g) => { const x = rnd([2, 3], g); return [x, x.add(awayFromHalf([2, 3], g))]; }, errors: [shapeErr('smoothL1Loss')],
  },
  {
    name: 'BCELoss', covers: ['BCELoss'], make: (g) => new nn.BCELoss({ weight: rnd([3], g, { lo: 0.5, hi: 2, dtype: 'float32' }) }), diff: [0, 1],
    inputs: (g) => [rnd([2, 3], g, { lo: 0.05, hi: 0.95 }), rnd([2, 3], g, { lo: 0, hi: 1 })],
    errors: [
      shapeErr('binaryCrossEntropy'),
      { what: 'input > 1', make: () => new nn.BCELoss(), inputs: () => [tensor([0.5, 1.5]), tensor([1, 0])], error: ValueError, match: /binaryCrossEntropy: all elements of input should be between 0 and 1, found 1.5 at flat index 1/ },
    ],
  },
  {
    name: 'BCEWithLogitsLoss', covers: ['BCEWithLogitsLoss'], diff: [0, 1],
    make: (g) => new nn.BCEWithLogitsLoss({ weight: rnd([2, 1], g, { lo: 0.5, hi: 2, dtype: 'float32' }), posWeight: rnd([3], g, { lo: 0.5, hi: 3, dtype: 'float32' }) }),
    inputs: (g) => [rnd([2, 3], g, { lo: -4, hi: 4 }), rnd([2, 3], g, { lo: 0, hi: 1 })],
    errors: [shapeErr('binaryCrossEntropyWithLogits'), { what: 'posWeight does not broadcast', make: () => new nn.BCEWithLogitsLoss({ posWeight: zeros([4]) }), inputs: (g) => [rnd([2, 3], g), rnd([2, 3], g)], error: ShapeError, match: /posWeight of shape \[4\] does not broadcast to input shape \[2, 3\]/ }],
  },
  {
    name: 'CrossEntropyLoss', covers: ['CrossEntropyLoss'], diff: [0],
    make: (g) => new nn.CrossEntropyLoss({ weight: rnd([4], g, { lo: 0.5, hi: 2, dtype: 'float32' }), labelSmoothing: 0.2 }),
    inputs: (g) => [rnd([5, 4], g, { lo: -2, hi: 2 }), int([0, 3, -100, 2, 3])],
    errors: [
      { what: 'class out of range', inputs: (g) => [rnd([2, 4], g), int([1, 5])], error: IndexError, match: /crossEntropy: target 5 is out of bounds for 4 classes/ },
      { what: 'float class targets', inputs: (g) => [rnd([2, 4], g), tensor([1, 2])], error: DTypeError, match: /crossEntropy: class-index targets must be int32, got float32/ },
      { what: 'target shape', inputs: (g) => [rnd([2, 4], g), int([1, 2, 3])], error: ShapeError, match: /crossEntropy: class-index target of shape \[3\] does not fit input \[2, 4\]: expected \[2\]/ },
      { what: 'labelSmoothing 2', make: () => new nn.CrossEntropyLoss({ labelSmoothing: 2 }), inputs: (g) => [rnd([2, 4], g), int([1, 2])], error: ValueError, match: /CrossEntropyLoss: labelSmoothing must be >= 0 and <= 1, got 2/ },
    ],
  },
  { name: 'CrossEntropyLoss (probabilities)', covers: [], diff: [0, 1], make: () => new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }), inputs: (g) => [rnd([3, 4], g), rnd([3, 4], g, { lo: 0, hi: 1 }).softmax(1)] },
  { name: 'CrossEntropyLoss (K-dim, none)', covers: [], diff: [0], make: () => new nn.CrossEntropyLoss({ reduction: 'none' }), inputs: (g) => [rnd([2, 3, 2, 2], g), ints([2, 2, 2], g, 0, 3)] },
  {
    name: 'NLLLoss', covers: ['NLLLoss'], diff: [0], make: (g) => new nn.NLLLoss({ weight: rnd([3], g, { lo: 0.5, hi: 2, dtype: 'float32' }), ignoreIndex: 1 }),
    inputs: (g) => [rnd([4, 3], g), int([0, 1, 2, 2])],
    errors: [{ what: 'weight shape', make: () => new nn.NLLLoss({ weight: zeros([5]) }), inputs: (g) => [rnd([2, 3], g), int([0, 1])], error: ShapeError, match: /nllLoss: weight must have shape \[3\] \(one per class\), got \[5\]/ }],
  },
  {
    name: 'KLDivLoss', covers: ['KLDivLoss'], diff: [0, 1], make: () => new nn.KLDivLoss({ reduction: 'batchmean' }), inputs: (g) => [rnd([3, 4], g).logSoftmax(1), rnd([3, 4], g, { lo: 0.1, hi: 1 })],
    errors: [{ what: 'bad reduction', make: () => new nn.KLDivLoss({ reduction: 'avg' as 'mean' }), error: ValueError, match: /KLDivLoss: reduction must be one of 'mean', 'sum', 'none', 'batchmean', got 'avg'/ }],
  },
  { name: 'KLDivLoss (logTarget)', covers: [], diff: [0, 1], make: () => new nn.KLDivLoss({ logTarget: true }), inputs: (g) => [rnd([3, 4], g), rnd([3, 4], g)] },
  {
    name: 'CosineEmbeddingLoss', covers: ['CosineEmbeddingLoss'], diff: [0, 1], make: () => new nn.CosineEmbeddingLoss(),
    inputs: (g) => {
      const a = rnd([4, 3], g);
      const sign = tensor([1, -1, 1, -1], { dtype: 'float64' }).unsqueeze(1);
      return [a, a.mul(sign).add(rnd([4, 3], g, { lo: -0.3, hi: 0.3 })), tensor([1, -1, -1, 1], { dtype: 'float64' })];
    },
    errors: [{ what: 'target 0', inputs: (g) => [rnd([2, 3], g), rnd([2, 3], g), tensor([1, 0])], error: ValueError, match: /cosineEmbeddingLoss: target values must be 1 or -1, found 0 at flat index 1/ }],
  },
  {
    name: 'MarginRankingLoss', covers: ['MarginRankingLoss'], diff: [0, 1], make: () => new nn.MarginRankingLoss({ margin: 0.1 }),
    inputs: (g) => { const a = rnd([5], g); return [a, a.add(awayFromZero([5], g, 0.3, 1)), tensor([1, -1, 1, -1, -1], { dtype: 'float64' })]; },
    errors: [{ what: 'shape mismatch', inputs: (g) => [rnd([3], g), rnd([2], g), tensor([1, 1, 1])], error: ShapeError, match: /marginRankingLoss: input2 shape \[2\] does not match input shape \[3\]/ }],
  },
];

export const allEntries: ModuleEntry[] = [...layerEntries, ...lossEntries];
