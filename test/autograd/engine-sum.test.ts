import { describe, expect, it } from 'vitest';
import { autograd, tensor, type Tensor } from '../../src/index.js';
import { returningGrad } from './engine-test-helpers.js';

// The engine sums the gradients reaching one node; from the third on it adds into its own sum in
// place. These tests check the sums and that no tensor anyone else holds is modified.
describe('summing the gradients of a node', () => {
  it('sums many gradients into a leaf used by many ops (float32 and float64)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const w = tensor([0.5, -2], { requiresGrad: true, dtype });
      let y = tensor([0, 0], { dtype });
      for (let k = 1; k <= 6; k++) y = y.add(w.mul(k));
      y.sum().backward();
      expect(w.grad!.toArray()).toEqual([21, 21]);
    }
  });

  it('leaves the caller gradient and a retained gradient untouched when they are summed', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const s = x.add(x).retainGrad();
    const z = s.add(x);
    const G = tensor([3, 5]);
    z.backward(G);
    // add hands G itself to s and to x; s passes it on twice more to x.
    expect(x.grad!.toArray()).toEqual([9, 15]);
    expect(G.toArray()).toEqual([3, 5]);
    expect(s.grad!.toArray()).toEqual([3, 5]);
  });

  it('leaves gradients a hook saw untouched', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seen: Tensor[] = [];
    const a = x.mul(1);
    const b = x.mul(1);
    const c = x.mul(1);
    for (const t of [a, b, c]) t.registerHook((g) => void seen.push(g));
    a.add(b)
      .add(c)
      .backward(tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([3, 30]);
    expect(seen.map((g) => g.toArray())).toEqual([
      [1, 10],
      [1, 10],
      [1, 10],
    ]);
  });

  it('leaves tensors returned by a custom Function backward untouched', () => {
    const kept = tensor([4, 4]);
    const Keep = returningGrad(kept);
    const x = tensor([1, 2], { requiresGrad: true });
    const y = Keep.apply(x).add(Keep.apply(x)).add(Keep.apply(x));
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([12, 12]);
    expect(kept.toArray()).toEqual([4, 4]);
  });

  it('records the sum under createGraph (second derivative of a leaf used three times)', () => {
    const x = tensor([2], { requiresGrad: true });
    // y = x·x + x·x + x·x = 3x², dy/dx = 6x, d²y/dx² = 6.
    const y = x.mul(x).add(x.mul(x)).add(x.mul(x));
    const [g] = autograd.grad([y.sum()], [x], { createGraph: true });
    expect(g!.toArray()).toEqual([12]);
    const [h] = autograd.grad([g!.sum()], [x]);
    expect(h!.toArray()).toEqual([6]);
  });
});
