/**
 * The backward engine: accumulation, fan-out, broadcasting, retainGraph, createGraph and the
 * functional autograd.grad. Expected values are hand-computed or closed forms.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, DTypeError, ShapeError, Tensor, autograd, tensor, zeros } from '../../src/index.js';
import { expectClose, expectThrows, vals } from './engine-test-helpers.js';

describe('backward: accumulation and fan-out', () => {
  it('accumulates into .grad across two backward calls', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward(); // d/dx sum(x^2) = 2x
    expectClose(x.grad, [2, 4, 6]);
    x.mul(x).sum().backward();
    expectClose(x.grad, [4, 8, 12]);
  });

  it('sums the gradients of a tensor used several times', () => {
    const x = tensor([0.5, -1, 2], { requiresGrad: true });
    // y = x*x + 3x + x  ->  dy/dx = 2x + 4
    x.mul(x).add(x.mul(3)).add(x).sum().backward();
    expectClose(x.grad, [5, 2, 8]);
  });

  it('sums the gradient over a diamond: both branches from one intermediate', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
    const h = x.exp();
    // y = h * h + h = e^{2x} + e^x  ->  2 e^{2x} + e^x
    h.mul(h).add(h).sum().backward();
    expectClose(x.grad, [2 * Math.exp(2) + Math.exp(1), 2 * Math.exp(4) + Math.exp(2)], 1e-12, 1e-12);
  });

  it('reduces broadcast gradients to each input shape (including a 0-d scalar)', () => {
    const a = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const b = tensor([10, 20, 30], { requiresGrad: true });
    const c = tensor([[1], [2]], { requiresGrad: true });
    const s = tensor(2, { requiresGrad: true });
    // y = sum(a * b * s + c), c broadcast over columns
    a.mul(b).mul(s).add(c).sum().backward();
    expect(a.grad!.shape).toEqual([2, 3]);
    expectClose(a.grad, [20, 40, 60, 20, 40, 60]);
    expect(b.grad!.shape).toEqual([3]);
    expectClose(b.grad, [2 * (1 + 4), 2 * (2 + 5), 2 * (3 + 6)]);
    expect(c.grad!.shape).toEqual([2, 1]);
    expectClose(c.grad, [3, 3]);
    expect(s.grad!.shape).toEqual([]);
    expectClose(s.grad, [10 * 5 + 20 * 7 + 30 * 9]);
  });

  it('takes an explicit gradient for a non-scalar output', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).backward(tensor([1, 0.5, -1]));
    expectClose(x.grad, [2, 2, -6]);
  });

  it('leaves isLeaf/gradFn as expected', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(x.isLeaf).toBe(true);
    expect(x.gradFn).toBeNull();
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn!.name).toBe('MulBackward'); // PyTorch: MulBackward0
    expect(String(y.gradFn)).toBe('MulBackward');
    expect(y.requiresGrad).toBe(true);
    const z = tensor([1, 2]).mul(2);
    expect(z.requiresGrad).toBe(false);
    expect(z.isLeaf).toBe(true);
  });
});

describe('backward: retainGraph', () => {
  it('a second backward without retainGraph throws an AutogradError mentioning retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    expectThrows(() => y.backward(), AutogradError, /retainGraph/, /second time/);
  });

  it('with retainGraph a second backward works and accumulates', () => {
    const x = tensor([0, 1], { requiresGrad: true, dtype: 'float64' });
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    expectClose(x.grad, [1, Math.E], 1e-12, 1e-12);
    y.backward();
    expectClose(x.grad, [2, 2 * Math.E], 1e-12, 1e-12);
  });
});

describe('createGraph: higher-order gradients', () => {
  it('d2/dx2 of x^3 is 6x, and d3/dx3 is 6', () => {
    const x = tensor([1, -2, 0.5], { requiresGrad: true, dtype: 'float64' });
    const y = x.pow(3).sum();
    const [g1] = autograd.grad(y, x, { createGraph: true });
    expectClose(g1!, [3, 12, 0.75], 1e-12);
    expect(g1!.requiresGrad).toBe(true);
    const [g2] = autograd.grad(g1!.sum(), x, { createGraph: true });
    expectClose(g2!, [6, -12, 3], 1e-12);
    const [g3] = autograd.grad(g2!.sum(), x);
    expectClose(g3!, [6, 6, 6], 1e-12);
  });

  it('backward with createGraph leaves a differentiable .grad', () => {
    const x = tensor([2], { requiresGrad: true, dtype: 'float64' });
    x.pow(4).sum().backward(undefined, { createGraph: true }); // 4x^3 = 32
    const g = x.grad!;
    expectClose(g, [32]);
    expect(g.requiresGrad).toBe(true);
    const [h] = autograd.grad(g.sum(), x); // 12x^2 = 48
    expectClose(h!, [48], 1e-12);
  });

  describe('Hessian-vector product on a small tanh MLP', () => {
    // f(x) = sum_k tanh(o_k), o = W2 tanh(W1 x + b1) + b2, x in R^3, hidden 4, outputs 2.
    const W1 = [
      [0.3, -0.5, 0.8],
      [0.1, 0.4, -0.2],
      [-0.7, 0.2, 0.5],
      [0.6, -0.1, 0.3],
    ];
    const b1 = [0.1, -0.2, 0.05, 0];
    const W2 = [
      [0.5, -0.3, 0.9, 0.2],
      [-0.4, 0.7, 0.1, -0.6],
    ];
    const b2 = [0.2, -0.1];

    /** The gradient of f at x, by the chain rule in plain float64 loops. */
    function handGrad(x: number[]): number[] {
      const h = W1.map((row, j) => Math.tanh(row.reduce((s, w, i) => s + w * x[i]!, b1[j]!)));
      const o = W2.map((row, k) => row.reduce((s, w, j) => s + w * h[j]!, b2[k]!));
      const dO = o.map((v) => 1 - Math.tanh(v) ** 2);
      const dH = h.map((hj, j) => (1 - hj * hj) * W2.reduce((s, row, k) => s + row[j]! * dO[k]!, 0));
      return x.map((_, i) => W1.reduce((s, row, j) => s + row[i]! * dH[j]!, 0));
    }

    function f(x: Tensor): Tensor {
      const w1 = tensor(W1, { dtype: 'float64' });
      const w2 = tensor(W2, { dtype: 'float64' });
      const h = w1
        .matmul(x)
        .add(tensor(b1, { dtype: 'float64' }))
        .tanh();
      return w2
        .matmul(h)
        .add(tensor(b2, { dtype: 'float64' }))
        .tanh()
        .sum();
    }

    const x0 = [0.4, -0.3, 0.9];
    const v = [1, -2, 0.5];

    it('the first-order gradient matches the hand-derived chain rule', () => {
      const x = tensor(x0, { dtype: 'float64', requiresGrad: true });
      f(x).backward();
      expectClose(x.grad, handGrad(x0), 1e-12, 1e-10);
    });

    it('H v from double backward matches central differences of the gradient', () => {
      const x = tensor(x0, { dtype: 'float64', requiresGrad: true });
      const [g] = autograd.grad(f(x), x, { createGraph: true });
      const [hv] = autograd.grad(g!.mul(tensor(v, { dtype: 'float64' })).sum(), x);
      const eps = 1e-5;
      const plus = handGrad(x0.map((xi, i) => xi + eps * v[i]!));
      const minus = handGrad(x0.map((xi, i) => xi - eps * v[i]!));
      const fd = plus.map((p, i) => (p - minus[i]!) / (2 * eps));
      expectClose(hv!, fd, 1e-8, 1e-6);
      // H is symmetric: v^T H e_i computed as e_i-products agree with (Hv)_i.
      const hvAlt = x0.map((_, i) => {
        const xi = tensor(x0, { dtype: 'float64', requiresGrad: true });
        const [gi] = autograd.grad(f(xi), xi, { createGraph: true });
        const [row] = autograd.grad(gi!.select(0, i), xi);
        return vals(row!).reduce((s, hij, j) => s + hij * v[j]!, 0);
      });
      expectClose(hv!, hvAlt, 1e-12, 1e-10);
    });
  });
});

describe('autograd.grad', () => {
  it('returns gradients without touching .grad, with gradOutputs for non-scalar outputs', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = tensor([4, 5, 6], { requiresGrad: true });
    const out = x.mul(y); // d/dx = y * v, d/dy = x * v
    const [gx, gy] = autograd.grad([out], [x, y], { gradOutputs: [tensor([1, -1, 2])] });
    expectClose(gx!, [4, -5, 12]);
    expectClose(gy!, [1, -2, 6]);
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
  });

  it('sums contributions of several outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const [g] = autograd.grad([x.mul(3).sum(), x.mul(x).sum()], [x]); // 3 + 2x
    expectClose(g!, [5, 7]);
  });

  it('an unused input throws without allowUnused, and gives null with it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const unused = tensor([[1, 2, 3]], { requiresGrad: true });
    const y = x.mul(2).sum();
    expectThrows(() => autograd.grad(y, [x, unused], { retainGraph: true }), AutogradError, /input 1/, /\[1, 3\]/, /allowUnused/);
    const [gx, gu] = autograd.grad(y, [x, unused], { allowUnused: true });
    expectClose(gx!, [2, 2]);
    expect(gu).toBeNull();
  });

  it('gradient w.r.t. an intermediate (non-leaf) tensor', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    const [gh] = autograd.grad(h.mul(h).sum(), h); // 2h
    expectClose(gh!, [6, 12]);
  });

  it('an input that does not require grad is an AutogradError', () => {
    const x = tensor([1, 2]);
    const y = tensor([1, 2], { requiresGrad: true }).sum();
    expectThrows(() => autograd.grad(y, x), AutogradError, /input 0/, /does not require grad/);
  });

  it('gradOutputs with the wrong count or shape are rejected', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expectThrows(() => autograd.grad([y], [x], { gradOutputs: [] }), AutogradError, /0 gradients for 1 outputs/);
    expectThrows(() => autograd.grad([y], [x], { gradOutputs: [tensor([1, 2, 3])] }), ShapeError, /\[3\]/, /\[2\]/);
  });
});

describe('backward: misuse errors', () => {
  it('non-scalar backward without a gradient names the shape', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    expectThrows(() => x.mul(2).backward(), AutogradError, /\[2, 3\]/, /scalar/);
  });

  it('a gradient of the wrong shape is a ShapeError naming both shapes', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectThrows(() => x.mul(2).backward(tensor([1, 2, 3])), ShapeError, /\[3\]/, /\[2\]/);
  });

  it('backward from an int tensor is a clear AutogradError', () => {
    const y = tensor([1, 2], { dtype: 'int32' }).sum();
    expectThrows(() => y.backward(), AutogradError, /does not require grad/);
  });

  it('backward from a tensor that does not require grad is a clear AutogradError', () => {
    const y = zeros([3]).add(1).sum();
    expectThrows(() => y.backward(), AutogradError, /does not require grad/, /requiresGrad: true/);
  });

  it('requiresGrad on an int or bool tensor is a DTypeError naming the dtype', () => {
    expectThrows(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true }), DTypeError, /int32/);
    expectThrows(() => tensor([true]).requiresGrad_(), DTypeError, /bool/);
    const t = tensor([1], { dtype: 'int32' });
    expectThrows(
      () => {
        t.requiresGrad = true;
      },
      DTypeError,
      /int32/,
    );
    expect(t.requiresGrad).toBe(false);
  });
});
