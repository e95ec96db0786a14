/**
 * `jacobian` and `hessian` with `vectorize: true`: closed forms (the Jacobian of x ↦ Ax is A, the
 * Hessian of xᵀAx is A + Aᵀ, the softmax Jacobian is diag(s) − s sᵀ) at every chunk size, the
 * result structure and createGraph, strict mode, what cannot be batched, and bad options.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { autograd, manualSeed, nn, randn, type Tensor } from '../../src/index.js';
import { Function, type FunctionCtx } from '../../src/autograd/function.js';
import { evaluateBatched, recordTrace } from '../../src/autograd/functional/batching.js';
import { tensor } from '../../src/index.js';
import { RUNS, expectValues, f64, valuesOf } from './functional-helpers.js';

const F = autograd.functional;
/** Chunk sizes: one row, two (dividing neither 3 nor 5 rows), exactly the rows, more than the rows, all at once. */
const CHUNKS = [1, 2, 3, 1000, null] as const;
const STRATEGIES = ['reverse-mode', 'forward-mode'] as const;

/** A matrix of `rows`×`cols` values as nested arrays and as a flat list. */
const matrix = (rows: number, cols: number): fc.Arbitrary<number[][]> =>
  fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: cols, maxLength: cols }), {
    minLength: rows,
    maxLength: rows,
  });

describe('vectorized jacobian: closed forms', () => {
  it('of x ↦ Ax is A, at every chunk size and in both strategies', () => {
    fc.assert(
      fc.property(matrix(3, 5), valuesOf([5]), (A, x) => {
        const At = f64(A.flat(), [3, 5]);
        for (const strategy of STRATEGIES) {
          for (const chunkSize of CHUNKS) {
            const J = F.jacobian((u) => At.matmul(u), f64(x, [5]), { vectorize: true, chunkSize, strategy });
            expectValues(J, [3, 5], A.flat(), 1e-12, 1e-12);
          }
        }
      }),
      RUNS,
    );
  });

  it('of softmax is diag(s) − s sᵀ', () => {
    fc.assert(
      fc.property(valuesOf([4]), (x) => {
        const e = x.map(Math.exp);
        const total = e.reduce((a, b) => a + b, 0);
        const s = e.map((v) => v / total);
        const want = s.flatMap((si, i) => s.map((sj, j) => (i === j ? si : 0) - si * sj));
        for (const strategy of STRATEGIES) {
          for (const chunkSize of CHUNKS) {
            expectValues(
              F.jacobian((u) => u.softmax(0), f64(x, [4]), { vectorize: true, chunkSize, strategy }),
              [4, 4],
              want,
              1e-12,
              1e-10,
            );
          }
        }
      }),
      RUNS,
    );
  });

  it('of a matrix function keeps the shape O ++ I: d(XW)/dX for X [2, 3], W [3, 2]', () => {
    const W = [
      [1, -2],
      [0.5, 3],
      [4, -1],
    ];
    const X = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    // ∂(XW)[i, j]/∂X[k, l] = [i = k] · W[l, j].
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) for (let l = 0; l < 3; l++) want.push(i === k ? W[l]![j]! : 0);
    for (const chunkSize of CHUNKS) {
      expectValues(
        F.jacobian((u) => u.matmul(f64(W.flat(), [3, 2])), X, { vectorize: true, chunkSize }),
        [2, 2, 2, 3],
        want,
        1e-12,
        0,
      );
    }
  });

  it('of several inputs and outputs has the [output][input] structure: f(a, b) = [a·b, Σa²]', () => {
    const a = f64([1, 2], [2]);
    const b = f64([3, -1], [2]);
    const J = F.jacobian((u, v) => [u.mul(v), u.pow(2).sum()], [a, b], { vectorize: true, chunkSize: 1 });
    expectValues(J[0]![0]!, [2, 2], [3, 0, 0, -1]); // diag(b)
    expectValues(J[0]![1]!, [2, 2], [1, 0, 0, 2]); // diag(a)
    expectValues(J[1]![0]!, [2], [2, 4]); // 2a
    expectValues(J[1]![1]!, [2], [0, 0]);
  });

  it('handles 0-d and empty inputs and outputs', () => {
    expectValues(
      F.jacobian((u) => u.pow(3), f64([2], []), { vectorize: true }),
      [],
      [12],
    );
    expectValues(
      F.jacobian((u) => u.sum(), f64([], [0]), { vectorize: true, strategy: 'forward-mode' }),
      [0],
      [],
    );
    expectValues(
      F.jacobian((u) => u.mul(2).narrow(0, 0, 0), f64([1, 2], [2]), { vectorize: true }),
      [0, 2],
      [],
    );
  });
});

describe('vectorized hessian: closed forms', () => {
  it('of xᵀAx is A + Aᵀ, at every chunk size and outer strategy', () => {
    fc.assert(
      fc.property(matrix(4, 4), valuesOf([4]), (A, x) => {
        const At = f64(A.flat(), [4, 4]);
        const want = A.flatMap((row, i) => row.map((v, j) => v + A[j]![i]!));
        for (const outerJacobianStrategy of STRATEGIES) {
          for (const chunkSize of CHUNKS) {
            const H = F.hessian((u) => u.dot(At.matmul(u)), f64(x, [4]), { vectorize: true, chunkSize, outerJacobianStrategy });
            expectValues(H, [4, 4], want, 1e-12, 1e-12);
          }
        }
      }),
      RUNS,
    );
  });

  it('of Σ log(1 + eˣ) (softplus) is diag(σ(x)(1 − σ(x)))', () => {
    const x = [-1.5, 0.25, 2];
    const sig = x.map((v) => 1 / (1 + Math.exp(-v)));
    const want = x.flatMap((_v, i) => x.map((_w, j) => (i === j ? sig[i]! * (1 - sig[i]!) : 0)));
    expectValues(
      F.hessian((u) => u.exp().log1p().sum(), f64(x, [3]), { vectorize: true, chunkSize: 2 }),
      [3, 3],
      want,
      1e-12,
      1e-10,
    );
  });
});

describe('vectorized jacobian of whole models equals row by row', () => {
  const models: [string, () => (t: Tensor) => Tensor, number[]][] = [
    [
      'MLP with softmax',
      () => {
        const m = new nn.Sequential(new nn.Linear(5, 7), new nn.Tanh(), new nn.Linear(7, 3), new nn.Softmax(-1)).double();
        return (t) => m.forward(t);
      },
      [2, 5],
    ],
    [
      'LSTM (a fused kernel, batched per row)',
      () => {
        const m = new nn.LSTM(3, 4).double();
        return (t) => m.forward(t).output;
      },
      [2, 1, 3],
    ],
    [
      'conv, ReLU, max-pool, linear',
      () => {
        const m = new nn.Sequential(
          new nn.Conv2d(2, 3, 3, { padding: 1 }),
          new nn.ReLU(),
          new nn.MaxPool2d(2),
          new nn.Flatten(),
          new nn.Linear(12, 2),
        ).double();
        return (t) => m.forward(t);
      },
      [1, 2, 4, 4],
    ],
    [
      'multi-head self-attention',
      () => {
        const m = new nn.MultiheadAttention(4, 2).double();
        return (t) => m.forward(t, t, t).output;
      },
      [3, 1, 4],
    ],
    [
      'layer norm and GELU',
      () => {
        const m = new nn.Sequential(new nn.LayerNorm(6), new nn.GELU()).double();
        return (t) => m.forward(t);
      },
      [2, 6],
    ],
  ];
  it.each(models)('%s', (_name, build, shape) => {
    manualSeed(3);
    const f = build();
    const x = randn(shape, { dtype: 'float64' });
    const rows = F.jacobian(f, x);
    for (const strategy of STRATEGIES) {
      const J = F.jacobian(f, x, { vectorize: true, chunkSize: 5, strategy });
      expectValues(J, rows.shape.slice(), Array.from(rows.dataSync(), Number), 1e-13, 1e-10);
    }
  });
});

describe('vectorized jacobian: createGraph and strict', () => {
  it('createGraph: true gives a differentiable Jacobian: Σ ∂(x³)/∂x = Σ 3x², whose gradient is 6x', () => {
    for (const strategy of STRATEGIES) {
      const x = f64([1, -2, 0.5], [3]).requiresGrad_(true);
      const J = F.jacobian((u) => u.pow(3), x, { vectorize: true, createGraph: true, strategy, chunkSize: 2 });
      expect(J.requiresGrad).toBe(true);
      J.sum().backward();
      expectValues(x.grad!, [3], [6, -12, 3], 1e-12, 1e-12);
    }
  });

  it('createGraph: true on the hessian gives third derivatives: ∂/∂x Σ H(Σx⁴) = 24x', () => {
    const x = f64([1, -2], [2]).requiresGrad_(true);
    const H = F.hessian((u) => u.pow(4).sum(), x, { vectorize: true, createGraph: true });
    H.sum().backward();
    expectValues(x.grad!, [2], [24, -48], 1e-12, 1e-12);
  });

  it('without createGraph the result is detached', () => {
    const x = f64([1, 2], [2]).requiresGrad_(true);
    expect(F.jacobian((u) => u.pow(2), x, { vectorize: true }).requiresGrad).toBe(false);
  });

  it('strict mode rejects an input the output does not depend on, as row by row does; otherwise a zero block', () => {
    const a = f64([1, 2], [2]);
    const b = f64([3], [1]);
    for (const strategy of STRATEGIES) {
      expect(() => F.jacobian((u, _v) => u.mul(2), [a, b], { vectorize: true, strict: true, strategy })).toThrow(
        expect.objectContaining({ name: 'AutogradError' }),
      );
      const J = F.jacobian((u, _v) => u.mul(2), [a, b], { vectorize: true, strategy });
      expectValues(J[1]!, [2, 1], [0, 0]);
    }
  });
});

class Square extends Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x);
  }

  static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x!).mul(2)];
  }
}

describe('batched replay keeps the unbatched dtypes', () => {
  it('a 0-d float64 operand that gains the batch dim does not promote a float32 result', () => {
    const x = tensor([1.5, -2], { dtype: 'float32' });
    const s = tensor(0.1, { dtype: 'float64' });
    const trace = recordTrace([s], ([t]) => [x.add(t!)]);
    const [out] = evaluateBatched('test', trace, [tensor([0.1, 0.2, 0.3], { dtype: 'float64' })], 3);
    expect(out!.dtype).toBe('float32');
    // Each element is rounded once to float32, as x.add(0-d float64) rounds it.
    const want = [0.1, 0.2, 0.3].flatMap((v) => [1.5, -2].map((e) => Math.fround(e + v)));
    expect(Array.from(out!.dataSync())).toEqual(want);
  });
});

describe('vectorized jacobian: gradient hooks', () => {
  it('a hook returning a replacement applies to every row: normalising the gradient gives rows A_i / |A_i|', () => {
    const A = [
      [3, 4, 0],
      [1, -2, 2],
    ];
    const want = A.flatMap((row) => row.map((v) => v / Math.hypot(...row)));
    for (const vectorize of [false, true]) {
      const J = F.jacobian(
        (u) => {
          const y = u.mul(1);
          y.registerHook((g) => g.div(g.pow(2).sum().sqrt()));
          return f64(A.flat(), [2, 3]).matmul(y);
        },
        f64([1, 2, 3], [3]),
        { vectorize },
      );
      expectValues(J, [2, 3], want, 1e-12, 1e-12);
    }
  });
});

describe('vectorized jacobian: what it refuses', () => {
  it('a custom Function (user backward code) is a NotImplementedError; vectorize: false computes it', () => {
    const x = f64([1, 3], [2]);
    expect(() => F.jacobian((u) => Square.apply(u), x, { vectorize: true })).toThrow(
      /vectorize: true cannot batch the backward of the custom Function 'Square'/,
    );
    expectValues(
      F.jacobian((u) => Square.apply(u), x),
      [2, 2],
      [2, 0, 0, 6],
    );
  });

  it('rejects bad chunk sizes and a chunk size without vectorize', () => {
    const x = f64([1, 2], [2]);
    const f = (u: Tensor): Tensor => u.mul(2);
    expect(() => F.jacobian(f, x, { vectorize: true, chunkSize: 0 })).toThrow(
      expect.objectContaining({ name: 'ValueError', message: expect.stringContaining('chunkSize must be >= 1, got 0') }),
    );
    expect(() => F.jacobian(f, x, { vectorize: true, chunkSize: 1.5 })).toThrow(
      expect.objectContaining({ name: 'ValueError', message: expect.stringContaining('chunkSize must be an integer') }),
    );
    expect(() => F.jacobian(f, x, { vectorize: true, chunkSize: '2' as unknown as number })).toThrow(
      expect.objectContaining({ name: 'ArgumentTypeError' }),
    );
    expect(() => F.jacobian(f, x, { chunkSize: 2 })).toThrow(
      expect.objectContaining({ name: 'ValueError', message: expect.stringContaining('chunkSize = 2 needs vectorize: true') }),
    );
    expect(() => F.hessian((u) => u.pow(2).sum(), x, { vectorize: false, chunkSize: 1 })).toThrow(
      expect.objectContaining({ name: 'ValueError', message: expect.stringContaining('hessian: chunkSize = 1 needs vectorize: true') }),
    );
    // null is PyTorch's None: all rows at once, and the same as leaving it out.
    expectValues(F.jacobian(f, x, { chunkSize: null }), [2, 2], [2, 0, 0, 2]);
  });

  it('takes vectorize positionally, as PyTorch does (createGraph, strict, vectorize, strategy)', () => {
    expectValues(
      F.jacobian((u) => u.pow(2), f64([1, 2], [2]), false, false, true, 'forward-mode'),
      [2, 2],
      [2, 0, 0, 4],
    );
    expectValues(
      F.hessian((u) => u.pow(3).sum(), f64([1, 2], [2]), false, false, true),
      [2, 2],
      [6, 0, 0, 12],
    );
  });
});
