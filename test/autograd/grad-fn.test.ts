/**
 * `tensor.gradFn` as an object like PyTorch's `grad_fn`: names, `nextFunctions` down to the
 * leaves' AccumulateGrad, saved shapes, and identity. Expectations follow PyTorch's graph for the same
 * code (PyTorch's names carry an overload number: MulBackward0).
 */
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { autograd, tensor, type Tensor } from '../../src/index.js';

describe('gradFn', () => {
  it('is null for leaves and for tensors outside the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.gradFn).toBeNull();
    expect(tensor([1, 2]).mul(2).gradFn).toBeNull();
  });

  it('names the op like PyTorch and walks nextFunctions to the leaves', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const w = tensor([1, 0, -1], { requiresGrad: true });
    const c = tensor([2, 2, 2]); // needs no gradient
    const y = x.mul(w).add(c).sum();
    const sum = y.gradFn!;
    expect(sum).toBeInstanceOf(autograd.GradFn);
    expect(sum.name).toBe('SumBackward');
    expect(sum.op).toBe('sum');
    const [[add, addNr]] = sum.nextFunctions as [[autograd.GradFn, number]];
    expect(add.name).toBe('AddBackward');
    expect(addNr).toBe(0);
    // add(mul, c): c needs no gradient, so its entry is [null, 0] as in PyTorch.
    const [[mul], [none, noneNr]] = add.nextFunctions as [[autograd.GradFn | null, number], [autograd.GradFn | null, number]];
    expect(none).toBeNull();
    expect(noneNr).toBe(0);
    expect(mul!.name).toBe('MulBackward');
    const leaves = mul!.nextFunctions.map(([fn]) => fn!);
    expect(leaves.map((f) => f.name)).toEqual(['AccumulateGrad', 'AccumulateGrad']);
    expect(leaves[0]!.variable).toBe(x);
    expect(leaves[1]!.variable).toBe(w);
    expect(leaves[0]!.nextFunctions).toEqual([]);
    expect(mul!.variable).toBeNull();
  });

  it('is the same object each time, so nodes compare with ===', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    const y = h.mul(h);
    expect(h.gradFn).toBe(h.gradFn);
    const [[a], [b]] = y.gradFn!.nextFunctions as [[autograd.GradFn | null, number], [autograd.GradFn | null, number]];
    expect(a).toBe(h.gradFn);
    expect(b).toBe(a);
  });

  it('reports the shapes it saved, and null once backward freed them', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const w = tensor([1, 0, -1], { requiresGrad: true });
    const m = x.mul(w); // mul saves both inputs (PyTorch: _saved_self, _saved_other)
    expect(m.gradFn!.savedShapes).toEqual([[2, 3], [3]]);
    expect(m.gradFn!.inputShapes).toEqual([[2, 3], [3]]);
    const e = w.exp(); // exp saves its result (PyTorch: _saved_result)
    expect(e.gradFn!.savedShapes).toEqual([[3]]);
    const s = m.sum(); // sum saves nothing
    expect(s.gradFn!.savedShapes).toEqual([]);
    s.backward();
    expect(m.gradFn!.savedShapes).toBeNull();
  });

  it('prints as its name in template literals, String() and inspect, and in the tensor', () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    expect(`${y.gradFn}`).toBe('MulBackward');
    expect(String(y.gradFn)).toBe('MulBackward');
    expect(inspect(y.gradFn)).toBe('<MulBackward>');
    expect(String(y)).toBe('tensor([2., 4.], gradFn=<MulBackward>)');
  });

  it('names custom Functions <Name>Backward and in-place results by the in-place op', () => {
    class Square extends autograd.Function {
      static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.mul(x);
      }
      static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor {
        return g.mul(ctx.savedTensors[0]!).mul(2);
      }
    }
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = Square.apply(x);
    expect(y.gradFn!.name).toBe('SquareBackward');
    expect(y.gradFn!.savedShapes).toEqual([[3]]);
    expect(y.gradFn!.nextFunctions[0]![0]!.variable).toBe(x);
    const z = x.mul(1);
    z.mul_(3);
    expect(z.gradFn!.name).toBe('MulBackward');
  });
});
