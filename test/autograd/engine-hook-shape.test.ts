import { describe, expect, it } from 'vitest';
import { autograd, ones, tensor, ShapeError } from '../../src/index.js';

// PyTorch: a hook that returns a gradient of another shape raises
// "hook '<name>' has changed the size of value"; tapegrad raises a ShapeError naming both shapes.
describe('a hook returning a wrongly shaped gradient', () => {
  it('raises a ShapeError on a leaf during backward', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.registerHook(function shrink() {
      return ones([2]);
    });
    const run = () => x.mul(2).sum().backward();
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(/hook 'shrink'.*\[3\].*\[2\]/);
    expect(x.grad).toBeNull();
  });

  it('raises a ShapeError on a non-leaf and in grad(), even for a broadcastable shape', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const y = x.mul(3);
    y.registerHook(() => ones([1, 2]));
    expect(() => y.sum().backward()).toThrow(/\(anonymous\).*\[2, 2\].*\[1, 2\]/);
    const w = tensor([1, 2], { requiresGrad: true });
    w.registerHook(() => ones([]));
    expect(() => autograd.grad([w.mul(2).sum()], [w])).toThrow(ShapeError);
  });

  it('still accepts a replacement of the same shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.registerHook((g) => g.mul(10));
    const [g] = autograd.grad([x.mul(x).sum()], [x]);
    expect(g!.toArray()).toEqual([20, 40]);
  });
});
