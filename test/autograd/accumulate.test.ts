import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';

describe('gradient accumulation owns its storage', () => {
  it('gives two leaves that receive the same gradient tensor separate .grad storage', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    // add's backward hands the same tensor to both inputs.
    a.add(b).mul(tensor([5, 6])).sum().backward();
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
});
