import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import { returningGrad } from './engine-test-helpers.js';

describe('gradient accumulation owns its storage', () => {
  it('gives two leaves that receive the same gradient tensor separate .grad storage', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    // add's backward hands the same tensor to both inputs.
    a.add(b)
      .mul(tensor([5, 6]))
      .sum()
      .backward();
    a.grad!.mul_(0);
    expect(b.grad!.toArray()).toEqual([5, 6]);
  });

  it('does not alias the gradient passed to backward()', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const g = tensor([7, 8]);
    x.add(1).backward(g);
    g.fill_(0);
    expect(x.grad!.toArray()).toEqual([7, 8]);
  });

  it('does not share storage between a retained non-leaf gradient and a leaf gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.add(0).retainGrad();
    y.mul(tensor([3, 4]))
      .sum()
      .backward();
    x.grad!.mul_(0);
    expect(y.grad!.toArray()).toEqual([3, 4]);
  });

  it('does not share storage with the gradient a hook saw', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let seen: Tensor | null = null;
    x.registerHook((g) => {
      seen = g;
    });
    x.mul(tensor([5, 6]))
      .sum()
      .backward();
    x.grad!.mul_(0);
    expect(seen!.toArray()).toEqual([5, 6]);
  });

  it('accumulates right when the first gradient is a fresh op output that .grad takes over', () => {
    const w = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const x = tensor([
      [1, 0],
      [0, 1],
    ]);
    x.matmul(w).sum().backward();
    expect(w.grad!.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    // Accumulating a second time adds into a new tensor and keeps the values right.
    x.matmul(w).sum().backward();
    expect(w.grad!.toArray()).toEqual([
      [2, 2],
      [2, 2],
    ]);
  });

  it('does not hand a tensor returned by a custom Function backward to .grad without copying', () => {
    const kept = tensor([9, 9]);
    const Keep = returningGrad(kept);
    const x = tensor([1, 2], { requiresGrad: true });
    Keep.apply(x).sum().backward();
    x.grad!.zero_();
    expect(kept.toArray()).toEqual([9, 9]);
  });
});
