/**
 * In-place ops and the version counter, the iterative engine on a very long chain, and detectAnomaly.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, autograd, noGrad, tensor, zeros } from '../../src/index.js';
import { expectClose, expectThrows } from './engine-test-helpers.js';

describe('in-place ops and autograd', () => {
  it('modifying a saved tensor then calling backward names the op and both versions', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(1);
    const y = h.mul(h).sum(); // mul saves h (version 0)
    h.mul_(2); // version 1
    expectThrows(() => y.backward(), AutogradError, /^mul:/, /modified by an in-place operation/, /version is now 1/, /it was 0/);
  });

  it('several in-place ops are counted', () => {
    const w = tensor([1, 2, 3]);
    const x = tensor([1, 1, 1], { requiresGrad: true });
    const y = x.mul(w).sum(); // saves w
    w.add_(1);
    w.zero_();
    w.fill_(2);
    expectThrows(() => y.backward(), AutogradError, /version is now 3/, /it was 0/);
  });

  it('in-place on a leaf that requires grad outside noGrad is an AutogradError', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectThrows(() => x.add_(1), AutogradError, /add_/, /leaf/, /noGrad/);
    expectThrows(() => x.mul_(2), AutogradError, /mul_/);
    expectThrows(() => x.zero_(), AutogradError, /zero_|fill_/);
    expectThrows(() => x.uniform_(), AutogradError, /uniform_/);
    expectClose(x, [1, 2]);
  });

  it('inside noGrad it is fine (an optimizer step)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(x).sum().backward();
    noGrad(() => x.sub_(x.grad!, { alpha: 0.5 })); // x - 0.5 * 2x = 0
    expectClose(x, [0, 0]);
    expect(x.isLeaf).toBe(true);
    expect(x.requiresGrad).toBe(true);
    noGrad(() => x.fill_(3));
    expectClose(x, [3, 3]);
  });

  it('in-place on a non-leaf that requires grad gives the right gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(2);
    y.add_(1);
    expect(y.isLeaf).toBe(false);
    expectClose(y, [3, 5, 7]);
    y.sum().backward();
    expectClose(x.grad, [2, 2, 2]);
  });

  it('a chain of in-place ops on a non-leaf composes: ((2x) * x + 1) * 3', () => {
    const x = tensor([1, -2], { requiresGrad: true });
    const y = x.mul(2);
    y.mul_(x);
    y.add_(1);
    y.mul_(3);
    expectClose(y, [9, 27]);
    y.sum().backward(); // d/dx 6x^2 + 3 = 12x
    expectClose(x.grad, [12, -24]);
  });

  it('mul_/div_/clamp_ by constants on a non-leaf keep their own backward valid', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const a = x.mul(2);
    a.mul_(3);
    a.sum().backward();
    expectClose(x.grad, [6, 6]);

    const x2 = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
    const b = x2.mul(3);
    b.div_(4);
    b.sum().backward();
    expectClose(x2.grad, [0.75, 0.75], 1e-12);

    const x3 = tensor([1, 2, -1], { requiresGrad: true });
    const c = x3.mul(2); // [2, 4, -2]
    c.clamp_(0, 3); // [2, 3, 0]: only the first is inside the range
    expectClose(c, [2, 3, 0]);
    c.sum().backward();
    expectClose(x3.grad, [2, 0, 0]);
  });

  it('y.mul_(y) uses the value of y before the write', () => {
    const x = tensor([1, -3], { requiresGrad: true });
    const y = x.mul(2);
    y.mul_(y); // 4x^2
    expectClose(y, [4, 36]);
    y.sum().backward(); // 8x
    expectClose(x.grad, [8, -24]);
  });

  it("buf.mul_(w) with w requiring grad saves the old buf for w's gradient", () => {
    const w = tensor([2, 5], { requiresGrad: true });
    const buf = tensor([3, 4]);
    buf.mul_(w); // d(buf_old * w)/dw = buf_old
    expectClose(buf, [6, 20]);
    buf.sum().backward();
    expectClose(w.grad, [3, 4]);
  });

  it('a tensor that does not require grad becomes part of the graph through an in-place op', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const buf = zeros([2]);
    buf.add_(x.mul(x)); // buf = x^2
    expect(buf.requiresGrad).toBe(true);
    buf.sum().backward();
    expectClose(x.grad, [2, 4]);
  });

  it('a version bump through a view is seen by the saved base tensor', () => {
    const w = tensor([
      [1, 2],
      [3, 4],
    ]);
    const x = tensor(
      [
        [1, 1],
        [1, 1],
      ],
      { requiresGrad: true },
    );
    const y = x.mul(w).sum(); // saves w
    const row = w.select(0, 1);
    row.mul_(0); // writes through the view into w's storage
    expectClose(w, [1, 2, 0, 0]);
    expectThrows(() => y.backward(), AutogradError, /version/);
  });
});

describe('iterative engine', () => {
  it('backpropagates through a chain of 100 000 ops without a stack overflow', () => {
    const x = tensor([1.5], { requiresGrad: true, dtype: 'float64' });
    const c = 1 + 1e-6;
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(c);
    y.sum().backward();
    // dy/dx = c^100000 = exp(100000 * log1p(1e-6))
    expectClose(x.grad, [Math.exp(100_000 * Math.log1p(1e-6))], 0, 1e-9);
    expectClose(y, [1.5 * Math.exp(100_000 * Math.log1p(1e-6))], 0, 1e-9);
  });
});

describe('detectAnomaly', () => {
  it('a NaN in backward throws naming the op and where it was created in this file', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const err = expectThrows(
      () =>
        autograd.detectAnomaly(() => {
          // sqrt'(0) = inf, times the incoming 0 from mul(0) is NaN
          const y = x.sqrt().mul(0).sum();
          y.backward();
        }),
      AutogradError,
      /detectAnomaly/,
      /'sqrt'/,
      /NaN/,
      /engine-inplace\.test\.ts/,
    );
    expect(err.message).toMatch(/engine-inplace\.test\.ts:\d+/);
  });

  it('without detectAnomaly the same backward silently yields NaN', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    x.sqrt().mul(0).sum().backward();
    expect(Number.isNaN(x.grad!.dataSync()[0])).toBe(true);
  });

  it('returns the callback value and is off afterwards', () => {
    expect(autograd.detectAnomaly(() => 7)).toBe(7);
    const x = tensor([0], { requiresGrad: true });
    expect(() => x.sqrt().mul(0).sum().backward()).not.toThrow();
  });
});
