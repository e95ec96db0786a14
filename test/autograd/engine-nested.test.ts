/**
 * A backward started while another one runs: from a tensor hook, from a custom Function's
 * backward, from a closure inside either, with graphs that share nodes with the running one and
 * reach a node by several paths. Every expected value is worked out by hand in a comment; a
 * nested run that let a second gradient overwrite the first, or that disturbed the outer run's
 * bookkeeping of a shared node, gives other numbers.
 */
import { describe, expect, it } from 'vitest';
import { autograd, enableGrad, tensor, type Tensor } from '../../src/index.js';
import type { FunctionCtx } from '../../src/autograd/function.js';

const f64 = (data: number[]): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });
const values = (t: Tensor | null): number[] => Array.from(t!.dataSync());

describe('autograd.grad inside a tensor hook of a running backward', () => {
  it('shares a node with two paths in both runs, and neither run disturbs the other', () => {
    const x = f64([1, 2, 3]);
    const y = x.mul(x); // shared node: the outer graph reaches it by two paths, the inner one by two edges
    const a = y.mul(2);
    const b = y.mul(3);
    let inner: Tensor | null = null;
    a.registerHook(() => {
      // d/dx Σ y² = 2y · 2x = 4x³
      inner = enableGrad(() => autograd.grad([y.mul(y).sum()], [x], { retainGraph: true })[0]!);
    });
    a.sum().add(b.sum()).backward();
    expect(values(inner)).toEqual([4, 32, 108]);
    // d/dx (2 Σ y + 3 Σ y) = 5 · 2x = 10x
    expect(values(x.grad)).toEqual([10, 20, 30]);
  });

  it('a hook whose nested backward() accumulates into the same leaf adds to the outer gradient and to the one already there', () => {
    const x = f64([1, -2]);
    x.mul(5).sum().backward(); // x.grad = 5 before the two runs below
    const y = x.mul(3);
    const z = y.mul(y); // 9x²
    z.registerHook(() => {
      // nested: d/dx Σ (x·x + x) = 2x + 1, into x.grad
      enableGrad(() => x.mul(x).add(x).sum().backward());
    });
    z.sum().add(y.sum()).backward();
    // outer: d/dx (Σ 9x² + Σ 3x) = 18x + 3; plus the nested 2x + 1 and the earlier 5: 20x + 9
    expect(values(x.grad)).toEqual([29, -31]);
  });

  it('a hook computing a second derivative (createGraph) inside the outer backward', () => {
    const x = f64([0.5, 2]);
    const y = x.pow(3);
    let hessianDiag: Tensor | null = null;
    y.registerHook((g) => {
      hessianDiag = enableGrad(() => {
        const [dx] = autograd.grad([x.pow(3).sum()], [x], { createGraph: true }); // 3x²
        return autograd.grad([dx!.sum()], [x])[0]!; // 6x
      });
      return g.mul(2);
    });
    y.sum().backward();
    expect(values(hessianDiag)).toEqual([3, 12]);
    // the hook doubles the incoming gradient: 2 · 3x²
    expect(values(x.grad)).toEqual([1.5, 24]);
  });
});

/** sin(x) whose backward differentiates sin again with autograd.grad on a fresh graph. */
class SinByGrad extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.sin();
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
    const [x] = ctx.savedTensors;
    return enableGrad(() => {
      const xx = x!.detach().requiresGrad_(true);
      // Two paths into xx inside the nested run: sin(xx) = 0.5 sin(xx) + 0.5 sin(xx).
      const s = xx.sin();
      const y = s.mul(0.5).add(s.mul(0.5));
      return autograd.grad([y], [xx], { gradOutputs: [g] }) as Tensor[];
    });
  }
}

/** x² whose backward calls backward() on a closure's graph and returns what reached the closure's leaf. */
class SquareByBackward extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    const leaf = x!.detach().requiresGrad_(true);
    enableGrad(() => {
      const u = leaf.mul(leaf); // two edges into the leaf's accumulator
      u.backward(g);
    });
    return leaf.grad!;
  }
}

describe('a custom Function whose backward runs a backward of its own', () => {
  it('autograd.grad inside backward, the Function reached by two paths', () => {
    const x = f64([0, 1, -0.5]);
    const z = SinByGrad.apply(x);
    // L = Σ z² + 2 Σ z + Σ x²: dL/dx = (2 sin x + 2) cos x + 2x
    z.mul(z).sum().add(z.sum().mul(2)).add(x.mul(x).sum()).backward();
    const expected = [0, 1, -0.5].map((v) => (2 * Math.sin(v) + 2) * Math.cos(v) + 2 * v);
    values(x.grad).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
  });

  it('backward() on a closure graph inside backward, two Functions on one leaf', () => {
    const x = f64([1, 2, -3]);
    const p = SquareByBackward.apply(x);
    const q = SquareByBackward.apply(x.mul(2)); // 4x²
    // L = Σ p·3 + Σ q: dL/dx = 6x + 8x = 14x
    p.mul(3).sum().add(q.sum()).backward();
    expect(values(x.grad)).toEqual([14, 28, -42]);
  });

  it('nests two levels deep (a Function inside the graph a Function backward differentiates)', () => {
    class Outer extends autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.sin().mul(x.sin());
      }
      static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
        const [x] = ctx.savedTensors;
        return enableGrad(() => {
          const xx = x!.detach().requiresGrad_(true);
          const s = SinByGrad.apply(xx); // level 2: its backward runs autograd.grad too
          return autograd.grad([s.mul(s)], [xx], { gradOutputs: [g] }) as Tensor[];
        });
      }
    }
    const x = f64([0.3, -1.2]);
    // d/dx sin² x = 2 sin x cos x, twice (two paths): 4 sin x cos x
    const y = Outer.apply(x);
    y.sum().add(y.sum()).backward();
    const expected = [0.3, -1.2].map((v) => 4 * Math.sin(v) * Math.cos(v));
    values(x.grad).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
  });
});

describe('a nested run on a graph that shares nodes with the outer one', () => {
  it('a hook walking the same intermediate the outer run has a pending gradient for', () => {
    const x = f64([2, -1]);
    const h = x.exp(); // shared: pending in the outer run when the hook fires
    const left = h.mul(h); // e^{2x}
    const right = h.mul(4);
    let nested: Tensor | null = null;
    right.registerHook(() => {
      // d/dx Σ (h + h·h) = e^x + 2e^{2x}, through h's node again (retained)
      nested = enableGrad(() => autograd.grad([h.add(h.mul(h)).sum()], [x], { retainGraph: true })[0]!);
    });
    left.sum().add(right.sum()).backward();
    const ex = [2, -1].map(Math.exp);
    values(nested).forEach((v, i) => expect(v).toBeCloseTo(ex[i]! + 2 * ex[i]! ** 2, 12));
    // outer: d/dx (Σ e^{2x} + 4 Σ e^x) = 2e^{2x} + 4e^x
    values(x.grad).forEach((v, i) => expect(v).toBeCloseTo(2 * ex[i]! ** 2 + 4 * ex[i]!, 12));
  });
});
