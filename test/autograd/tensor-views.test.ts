/**
 * Views share storage with their base: writes through a view are visible in the base and vice
 * versa, and the version counter is shared. Copies (clone, non-contiguous reshape) do not share.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, noGrad, tensor, type Tensor } from '../../src/index.js';
import { expectThrows, vals } from './engine-test-helpers.js';

const base = (): Tensor =>
  tensor([
    [0, 1, 2],
    [3, 4, 5],
  ]);

describe('views share storage', () => {
  const views: [string, (t: Tensor) => Tensor][] = [
    ['view', (t) => t.view(3, 2)],
    ['reshape (contiguous)', (t) => t.reshape(-1)],
    ['flatten', (t) => t.flatten()],
    ['unsqueeze', (t) => t.unsqueeze(0)],
    ['squeeze', (t) => t.unsqueeze(1).squeeze(1)],
    ['transpose', (t) => t.transpose(0, 1)],
    ['permute', (t) => t.permute(1, 0)],
    ['T', (t) => t.T],
    ['mT', (t) => t.mT],
    ['narrow', (t) => t.narrow(1, 1, 2)],
    ['select', (t) => t.select(0, 1)],
    ['slice', (t) => t.slice(1, 0, null, 2)],
    ['expand', (t) => t.select(0, 0).expand(4, 3)],
    ['chunk', (t) => t.chunk(2, 1)[1]!],
    ['split', (t) => t.split(1, 0)[1]!],
    ['unbind', (t) => t.unbind(1)[2]!],
    ['detach', (t) => t.detach()],
    ['contiguous (already contiguous)', (t) => t.contiguous()],
  ];

  for (const [name, make] of views) {
    it(`${name}: shares the storage and the version counter`, () => {
      const t = base();
      const v = make(t);
      expect(v._storage).toBe(t._storage);
      const before = vals(v);
      t.add_(100); // a write to the base is visible in the view
      expect(vals(v)).toEqual(before.map((x) => x + 100));
      if (name === 'expand') return; // several view elements alias one storage element
      const version = t._storage.version;
      v.mul_(-1); // a write to the view is visible in the base, and bumps the shared counter
      expect(t._storage.version).toBe(version + 1);
      expect(vals(t).filter((x) => x < 0).length).toBe(v.numel());
    });
  }

  it('writes through a non-contiguous view land at the right elements', () => {
    const t = base();
    t.T.select(0, 2).fill_(-1); // column 2 of t
    expect(t.toArray()).toEqual([
      [0, 1, -1],
      [3, 4, -1],
    ]);
    t.slice(1, -2, null).mul_(10); // columns 1 and 2
    expect(t.toArray()).toEqual([
      [0, 10, -10],
      [3, 40, -10],
    ]);
  });

  it('writes through the base are visible in the view', () => {
    const t = base();
    const v = t.transpose(0, 1).narrow(0, 1, 2); // [[1, 4], [2, 5]]
    expect(v.toArray()).toEqual([
      [1, 4],
      [2, 5],
    ]);
    t.copy_(
      tensor([
        [9, 8, 7],
        [6, 5, 4],
      ]),
    );
    expect(v.toArray()).toEqual([
      [8, 5],
      [7, 4],
    ]);
  });

  it('view metadata: strides, offset and contiguity', () => {
    const t = base();
    expect(t.T.stride()).toEqual([1, 3]);
    expect(t.T.isContiguous()).toBe(false);
    expect(t.select(0, 1)._offset).toBe(3);
    expect(t.narrow(1, 1, 2).stride()).toEqual([3, 1]);
    expect(t.slice(1, 0, null, 2).stride()).toEqual([3, 2]);
    expect(t.select(0, 0).expand(4, 3).stride()).toEqual([0, 1]);
  });

  it('clone and reshape of a non-contiguous tensor copy', () => {
    const t = base();
    const c = t.clone();
    expect(c._storage).not.toBe(t._storage);
    c.add_(1);
    expect(vals(t)).toEqual([0, 1, 2, 3, 4, 5]);
    const r = t.T.reshape(6); // needs a copy
    expect(vals(r)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(r._storage).not.toBe(t._storage);
    const k = t.T.contiguous();
    expect(k.isContiguous()).toBe(true);
    expect(k._storage).not.toBe(t._storage);
  });

  it('a saved base is invalidated by an in-place write through its view (shared version counter)', () => {
    const w = tensor([1, 2, 3]);
    const x = tensor([1, 1, 1], { requiresGrad: true });
    const y = x.mul(w).sum();
    noGrad(() => w.narrow(0, 0, 1).fill_(5));
    expectThrows(() => y.backward(), AutogradError, /modified by an in-place operation/);
  });

  it('gradients flow through views back to the base shape', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    // pick x[1, 0:2] via select + narrow, x[:, 2] via T + select
    x.select(0, 1).narrow(0, 0, 2).mul(2).sum().add(x.T.select(0, 2).mul(3).sum()).backward();
    expect(x.grad!.toArray()).toEqual([
      [0, 0, 3],
      [2, 2, 3],
    ]);
  });
});
