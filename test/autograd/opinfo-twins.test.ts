/**
 * Twins: ops that tapegrad computes one way and that can be written another way with other ops
 * (a fused primitive against its composite, a kernel against its definition). Both must give the
 * same values, the same gradients, and the same second derivatives (a Hessian-vector product
 * through `createGraph`), so the recorded composite rules are compared with an independent
 * formula and not only with themselves.
 */
import * as fc from 'fast-check';
import { describe, it } from 'vitest';
import * as T from '../../src/index.js';
import { crossEntropy } from '../../src/nn/functional/loss.js';
import { layerNorm } from '../../src/nn/functional/norm.js';
import { linear } from '../../src/nn/functional/linear.js';
import type { Tensor } from '../../src/autograd/tensor.js';
import { floatInput, intInput, shapeArb } from '../opinfo/arb.js';
import { assertClose, makeTensor, toRef } from '../opinfo/materialize.js';
import { replayHint, runsFor, SEED } from '../opinfo/settings.js';
import type { InputSpec, Tol } from '../opinfo/types.js';

/** Two formulas of one function of the float inputs (int inputs are passed through). */
interface Twin {
  name: string;
  inputs: fc.Arbitrary<InputSpec[]>;
  fused: (xs: Tensor[]) => Tensor;
  composite: (xs: Tensor[]) => Tensor;
}

const TOL: Tol = { atol: 1e-10, rtol: 1e-8 };

const lastDim = shapeArb({ minDims: 1, allowEmpty: false });
const oneInput = (lo = -3, hi = 3, avoid: number[] = []): fc.Arbitrary<InputSpec[]> =>
  shapeArb({ allowEmpty: false }).chain((s) => floatInput(s, { min: lo, max: hi, avoid }).map((x) => [x]));
const lastDimInput = lastDim.chain((s) => floatInput(s, { min: -4, max: 4 }).map((x) => [x]));
const lse = (x: Tensor): Tensor => T.logsumexp(x, -1, { keepdim: true });

const classification = fc
  .record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, c }) => fc.tuple(floatInput([n, c], { min: -4, max: 4 }), intInput([n], 0, c - 1)).map(([x, t]) => [x, t]));

const TWINS: Twin[] = [
  {
    name: 'relu vs maximum(x, 0)',
    inputs: oneInput(-3, 3, [0]),
    fused: ([x]) => T.relu(x!),
    composite: ([x]) => T.maximum(x!, T.zerosLike(x!)),
  },
  {
    name: 'sigmoid vs 1 / (1 + e^-x)',
    inputs: oneInput(-6, 6),
    fused: ([x]) => T.sigmoid(x!),
    composite: ([x]) => T.reciprocal(T.exp(T.neg(x!)).add(1)),
  },
  {
    name: 'tanh vs 2σ(2x) − 1',
    inputs: oneInput(),
    fused: ([x]) => T.tanh(x!),
    composite: ([x]) =>
      T.reciprocal(T.exp(x!.mul(-2)).add(1))
        .mul(2)
        .sub(1),
  },
  {
    name: 'softmax vs exp(x − logsumexp x)',
    inputs: lastDimInput,
    fused: ([x]) => T.softmax(x!, -1),
    composite: ([x]) => T.exp(x!.sub(lse(x!))),
  },
  {
    name: 'logSoftmax vs x − logsumexp x',
    inputs: lastDimInput,
    fused: ([x]) => T.logSoftmax(x!, -1),
    composite: ([x]) => x!.sub(lse(x!)),
  },
  {
    name: 'logsumexp vs log Σ exp',
    inputs: lastDimInput,
    fused: ([x]) => T.logsumexp(x!, -1),
    composite: ([x]) => T.log(T.exp(x!).sum(-1)),
  },
  {
    name: 'crossEntropy fused vs composite (weight 1)',
    inputs: classification,
    fused: ([x, t]) => crossEntropy(x!, t!),
    composite: ([x, t]) => crossEntropy(x!, t!, { weight: T.onesLike(x!.select(0, 0)) }),
  },
  {
    name: 'crossEntropy fused vs −Σ one-hot · logSoftmax',
    inputs: classification,
    fused: ([x, t]) => crossEntropy(x!, t!, { reduction: 'sum' }),
    composite: ([x, t]) => {
      const oneHot = T.eq(t!.unsqueeze(1), T.arange(x!.shape[1]!).int()).double();
      return T.logSoftmax(x!, 1).mul(oneHot).sum().neg();
    },
  },
  {
    name: 'linear (3-d input, flattened GEMM) vs matmul + bias',
    inputs: fc
      .record({
        b: fc.integer({ min: 1, max: 2 }),
        l: fc.integer({ min: 1, max: 3 }),
        i: fc.integer({ min: 1, max: 3 }),
        o: fc.integer({ min: 1, max: 3 }),
      })
      .chain(({ b, l, i, o }) => fc.tuple(floatInput([b, l, i]), floatInput([o, i]), floatInput([o]))),
    fused: ([x, w, b]) => linear(x!, w!, b),
    composite: ([x, w, b]) => T.matmul(x!, w!.transpose(0, 1)).add(b!),
  },
  {
    name: 'layerNorm vs (x − mean) / √(var + eps) · γ + β',
    inputs: fc
      .record({ n: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 2, max: 4 }) })
      .chain(({ n, d }) => fc.tuple(floatInput([n, d]), floatInput([d]), floatInput([d]))),
    fused: ([x, g, b]) => layerNorm(x!, [x!.shape[1]!], { weight: g!, bias: b! }),
    composite: ([x, g, b]) => {
      const m = x!.sum(-1, { keepdim: true }).div(x!.shape[1]!);
      const c = x!.sub(m);
      const v = c.mul(c).sum(-1, { keepdim: true }).div(x!.shape[1]!);
      return c
        .div(T.sqrt(v.add(1e-5)))
        .mul(g!)
        .add(b!);
    },
  },
  {
    name: 'layerNorm over two trailing dims, no γ or β, vs its composite',
    inputs: fc
      .record({ a: fc.integer({ min: 1, max: 2 }), b: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 2, max: 3 }) })
      .chain(({ a, b, c }) => fc.tuple(floatInput([a, b, c]))),
    fused: ([x]) => layerNorm(x!, x!.shape.slice(1), { eps: 0.1 }),
    composite: ([x]) => {
      const m = x!.mean([1, 2], { keepdim: true });
      const c = x!.sub(m);
      return c.mul(T.rsqrt(c.mul(c).mean([1, 2], { keepdim: true }).add(0.1)));
    },
  },
];

function leaves(specs: InputSpec[]): Tensor[] {
  return specs.map((s) => {
    const t = makeTensor(s, s.dtype === 'float' ? 'float64' : s.dtype, false);
    return s.dtype === 'float' ? t.requiresGrad_(true) : t;
  });
}

/** A fixed, non-constant tensor of `t`'s shape (output gradients, directions). */
function wave(t: Tensor, phase: number): Tensor {
  const n = t.numel();
  return T.tensor(
    Array.from({ length: n }, (_, i) => 0.5 + Math.sin(phase + 1.3 * i)),
    { dtype: 'float64' },
  ).reshape([...t.shape]);
}

/** Value, gradient, and Hessian-vector product of Σ g · f(xs) in direction `wave`. */
function derivatives(f: (xs: Tensor[]) => Tensor, specs: InputSpec[]): Tensor[] {
  const xs = leaves(specs);
  const diff = xs.filter((t) => t.requiresGrad);
  const out = f(xs);
  const grads = T.autograd
    .grad([out], diff, { gradOutputs: [wave(out, 1)], createGraph: true, allowUnused: true })
    .map((g, k) => g ?? T.zerosLike(diff[k]!));
  const dot = grads.map((g, k) => g.mul(wave(g, 2 + k)).sum()).reduce((a, b) => a.add(b));
  const hvp = dot.requiresGrad
    ? T.autograd.grad([dot], diff, { allowUnused: true }).map((h, k) => h ?? T.zerosLike(diff[k]!))
    : diff.map((d) => T.zerosLike(d));
  return [out, ...grads.map((g) => g.detach()), ...hvp];
}

describe.each(TWINS.map((t) => [t.name, t] as const))('twins: %s', (_, twin) => {
  it('same values, gradients and second derivatives', () => {
    try {
      fc.assert(
        fc.property(twin.inputs, (specs) => {
          const a = derivatives(twin.fused, specs);
          const b = derivatives(twin.composite, specs);
          const names = ['value', ...specs.flatMap((_s, i) => [`gradient ${i}`]), ...specs.map((_s, i) => `second derivative ${i}`)];
          a.forEach((t, k) => assertClose(t, toRef(b[k]!), TOL, `${twin.name}: ${names[k] ?? k}`));
        }),
        { seed: SEED, numRuns: runsFor(12) },
      );
    } catch (e) {
      if (e instanceof Error) e.message += `\n(${replayHint()})`;
      throw e;
    }
  });
});
