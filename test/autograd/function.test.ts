/**
 * Custom autograd Functions (ctx.saveForBackward, savedTensors, needsInputGrad, non-tensor
 * arguments, identity outputs, wrong gradient counts) and gradcheck / gradgradcheck on them.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, ShapeError, Tensor, ValueError, autograd, noGrad, tensor } from '../../src/index.js';
import type { FunctionCtx } from '../../src/autograd/function.js';
import { expectClose, expectThrows } from './engine-test-helpers.js';

/** y = x^3 with a hand-written backward 3x^2 (twice differentiable since it is written in Tensor ops). */
class Cube extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x!.mul(x!)).mul(3)];
  }
}

/** y = k * x + b with a JS-number k: one gradient per forward argument, null for the number. */
class ScaleShift extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, k: number, b: Tensor): Tensor {
    ctx.data['k'] = k;
    return x.mul(k).add(b);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const k = ctx.data['k'] as number;
    return [ctx.needsInputGrad[0] ? g.mul(k) : null, null, ctx.needsInputGrad[2] ? g : null];
  }
}

describe('custom autograd.Function', () => {
  it('forward runs without recording; backward gives the hand-written gradient', () => {
    const x = tensor([1, -2, 0.5], { requiresGrad: true });
    const y = Cube.apply(x);
    expectClose(y, [1, -8, 0.125]);
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn!.name).toBe('CubeBackward'); // PyTorch names a custom Function's node CubeBackward too
    y.sum().backward();
    expectClose(x.grad, [3, 12, 0.75]);
  });

  it('composes with built-in ops on both sides', () => {
    const x = tensor([2], { requiresGrad: true, dtype: 'float64' });
    // z = sin(x)^3 * 2  -> dz/dx = 6 sin^2(x) cos(x)
    Cube.apply(x.sin()).mul(2).sum().backward();
    expectClose(x.grad, [6 * Math.sin(2) ** 2 * Math.cos(2)], 1e-12, 1e-12);
  });

  it('non-tensor arguments: the gradient list lines up with all forward arguments', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const b = tensor([10, 20], { requiresGrad: true });
    const y = ScaleShift.apply(x, 4, b);
    expectClose(y, [14, 28]);
    y.mul(tensor([1, -1]))
      .sum()
      .backward();
    expectClose(x.grad, [4, -4]);
    expectClose(b.grad, [1, -1]);
  });

  it('ctx.needsInputGrad marks exactly the tensor arguments that require grad', () => {
    let seen: boolean[] = [];
    class Probe extends autograd.Function {
      static override forward(ctx: FunctionCtx, a: Tensor, n: number, b: Tensor): Tensor {
        seen = ctx.needsInputGrad.slice();
        void n;
        return a.add(b);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
        return [g, null, ctx.needsInputGrad[2] ? g : null];
      }
    }
    const a = tensor([1], { requiresGrad: true });
    const y = Probe.apply(a, 3, tensor([2]));
    expect(seen).toEqual([true, false, false]);
    y.sum().backward();
    expectClose(a.grad, [1]);
  });

  it('savedTensors detects an in-place change after forward', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(1);
    const y = Cube.apply(h);
    h.add_(1);
    expectThrows(() => y.sum().backward(), AutogradError, /Cube/, /version/);
  });

  it('returning an input unchanged gives a new non-leaf and leaves the input a leaf', () => {
    class Ident extends autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x;
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
        return [g.mul(2)]; // a deliberately scaled straight-through gradient
      }
    }
    const x = tensor([1, 2], { requiresGrad: true });
    const y = Ident.apply(x);
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    expectClose(y, [1, 2]);
    y.sum().backward();
    expectClose(x.grad, [2, 2]);
  });

  it('a single tensor (not an array) is accepted as the only gradient', () => {
    class Double extends autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        return g.mul(2);
      }
    }
    const x = tensor([3], { requiresGrad: true });
    Double.apply(x).sum().backward();
    expectClose(x.grad, [2]);
  });

  it('the wrong number of gradients is an AutogradError naming both counts', () => {
    class Wrong extends autograd.Function {
      static override forward(_ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
        return a.mul(b);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
        return [g, g, g];
      }
    }
    const a = tensor([1], { requiresGrad: true });
    const y = Wrong.apply(a, tensor([2], { requiresGrad: true }));
    expectThrows(() => y.sum().backward(), AutogradError, /Wrong\.backward returned 3 gradients/, /2 arguments/);
  });

  it('a gradient of the wrong shape is rejected naming both shapes', () => {
    class BadShape extends autograd.Function {
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.sum();
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
        return [g]; // should have been expanded to x's shape
      }
    }
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expectThrows(() => BadShape.apply(x).backward(), ShapeError, /BadShape/, /shape \[\]/, /\[3\]/);
  });

  it('forward returning a non-tensor is a ValueError', () => {
    class NotTensor extends autograd.Function {
      static override forward(): Tensor {
        return 3 as unknown as Tensor;
      }
    }
    expectThrows(() => NotTensor.apply(tensor([1], { requiresGrad: true })), ValueError, /NotTensor\.forward must return a Tensor/);
  });

  it('without anything requiring grad (or under noGrad) nothing is recorded', () => {
    expect(Cube.apply(tensor([2])).requiresGrad).toBe(false);
    const x = tensor([2], { requiresGrad: true });
    expect(noGrad(() => Cube.apply(x)).requiresGrad).toBe(false);
  });
});

describe('gradcheck and gradgradcheck', () => {
  const x64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64', requiresGrad: true });

  it('passes on a correct custom Function (first and second order)', () => {
    expect(autograd.gradcheck((x) => Cube.apply(x), [x64([0.3, -1.2, 2])])).toBe(true);
    expect(autograd.gradgradcheck((x) => Cube.apply(x), [x64([0.3, -1.2, 2])])).toBe(true);
    expect(autograd.gradcheck((x, b) => ScaleShift.apply(x, -1.5, b), [x64([1, 2]), x64([0.5, 0.25])])).toBe(true);
  });

  it('reports the worst element of a deliberately wrong backward', () => {
    class Wrong extends autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.mul(x); // derivative 2x
      }
      static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
        const [x] = ctx.savedTensors;
        return [g.mul(x!).mul(tensor([2, 2, 3], { dtype: 'float64' }))]; // element 2 is wrong: 3x
      }
    }
    const x = x64([1, 2, 4]);
    // element 2: analytic 3 * 4 = 12, numeric 2 * 4 = 8
    const err = expectThrows(
      () => autograd.gradcheck((t) => Wrong.apply(t), [x]),
      autograd.GradcheckError,
      /output 0 element 2/,
      /input 0 element 2/,
      /is 12 by backward/,
      /but (7\.9999\d*|8(\.0+\d*)?) by finite differences/,
    );
    expect(err).toBeInstanceOf(Error);
    expect(autograd.gradcheck((t) => Wrong.apply(t), [x], { raiseException: false })).toBe(false);
  });

  it('gradgradcheck catches a first derivative that is right only at first order', () => {
    // backward uses a detached input: first derivative right, second derivative (6x) lost.
    class Detached extends autograd.Function {
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.mul(x).mul(x);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
        const [x] = ctx.savedTensors;
        return [g.mul(x!.detach().pow(2)).mul(3)];
      }
    }
    const x = x64([0.5, 1.5]);
    expect(autograd.gradcheck((t) => Detached.apply(t), [x])).toBe(true);
    expectThrows(() => autograd.gradgradcheck((t) => Detached.apply(t), [x]), autograd.GradcheckError, /input 0/);
  });

  it('float32 inputs are a ValueError asking for float64', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectThrows(() => autograd.gradcheck((t) => t.mul(2), [x]), ValueError, /input 0 is float32/, /double/);
  });
});
