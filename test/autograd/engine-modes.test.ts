/**
 * Grad mode (noGrad / enableGrad / setGradEnabled), detach, requiresGrad_, retainGrad and hooks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AutogradError, enableGrad, isGradEnabled, noGrad, setGradEnabled, tensor, type Tensor } from '../../src/index.js';
import { expectClose, expectThrows, vals } from './engine-test-helpers.js';

afterEach(() => setGradEnabled(true));

describe('grad mode', () => {
  it('is on by default; noGrad turns it off and restores it', () => {
    expect(isGradEnabled()).toBe(true);
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(2);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expectClose(y, [2, 4]);
  });

  it('nests: enableGrad inside noGrad records, and each scope restores the outer mode', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seen: boolean[] = [];
    const inner = noGrad(() => {
      seen.push(isGradEnabled());
      const r = enableGrad(() => {
        seen.push(isGradEnabled());
        const z = noGrad(() => {
          seen.push(isGradEnabled());
          return x.mul(5);
        });
        expect(z.requiresGrad).toBe(false);
        seen.push(isGradEnabled());
        return x.mul(3);
      });
      seen.push(isGradEnabled());
      return r;
    });
    seen.push(isGradEnabled());
    expect(seen).toEqual([false, true, false, true, false, true]);
    expect(inner.requiresGrad).toBe(true);
    inner.sum().backward();
    expectClose(x.grad, [3, 3]);
  });

  it('restores the mode when the callback throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    setGradEnabled(false);
    expect(() =>
      enableGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(false);
  });

  it('setGradEnabled(false) stops recording until turned back on', () => {
    const x = tensor([1], { requiresGrad: true });
    setGradEnabled(false);
    expect(isGradEnabled()).toBe(false);
    expect(x.mul(2).requiresGrad).toBe(false);
    setGradEnabled(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it('noGrad returns the callback value', () => {
    expect(noGrad(() => 42)).toBe(42);
    expect(enableGrad(() => 'ok')).toBe('ok');
  });
});

describe('detach and requiresGrad_', () => {
  it('detach shares storage, does not require grad and blocks the gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d._storage).toBe(x._storage);
    // y = x * stopgrad(x): dy/dx = stopgrad(x)
    x.mul(d).sum().backward();
    expectClose(x.grad, [1, 2, 3]);
    noGrad(() => d.mul_(10));
    expectClose(x, [10, 20, 30]);
  });

  it('detach of a non-leaf cuts the graph', () => {
    const x = tensor([2], { requiresGrad: true });
    const h = x.mul(x).detach(); // constant 4
    const y = h.mul(x); // dy/dx = 4
    y.sum().backward();
    expectClose(x.grad, [4]);
  });

  it('requiresGrad_ turns tracking on and off for leaves and returns the tensor', () => {
    const x = tensor([1, 2]);
    expect(x.requiresGrad_()).toBe(x);
    expect(x.requiresGrad).toBe(true);
    x.requiresGrad_(false);
    expect(x.requiresGrad).toBe(false);
    expect(x.mul(2).requiresGrad).toBe(false);
  });

  it('requiresGrad_(false) on a non-leaf is an AutogradError pointing to detach()', () => {
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expectThrows(() => y.requiresGrad_(false), AutogradError, /non-leaf/, /detach/);
  });
});

describe('retainGrad', () => {
  it('stores .grad on a non-leaf tensor', () => {
    const x = tensor([1, -2], { requiresGrad: true });
    const y = x.mul(3);
    y.retainGrad();
    y.mul(y).sum().backward(); // d/dy = 2y = 6x; d/dx = 18x
    expectClose(y.grad, [6, -12]);
    expectClose(x.grad, [18, -36]);
  });

  it('non-leaves without retainGrad keep grad null', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = x.mul(3);
    y.sum().backward();
    expect(y.grad).toBeNull();
  });

  it('on a tensor that does not require grad is an AutogradError', () => {
    expectThrows(() => tensor([1]).retainGrad(), AutogradError, /does not require grad/);
  });
});

describe('registerHook', () => {
  it('on a leaf: sees the gradient and may replace it', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const seen: number[][] = [];
    x.registerHook((g) => {
      seen.push(vals(g));
    });
    x.registerHook((g) => g.mul(10));
    x.mul(x).sum().backward();
    expect(seen).toEqual([[2, 4, 6]]);
    expectClose(x.grad, [20, 40, 60]);
  });

  it('on a non-leaf: the replacement flows on to the inputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.registerHook((g) => g.add(1)); // dL/dy becomes 1 + 1 = 2
    y.sum().backward();
    expectClose(x.grad, [6, 6]);
  });

  it('hooks run in registration order, each on the previous result', () => {
    const x = tensor([1], { requiresGrad: true });
    x.registerHook((g) => g.add(1));
    x.registerHook((g) => g.mul(3));
    x.mul(2).sum().backward(); // (2 + 1) * 3
    expectClose(x.grad, [9]);
  });

  it('the returned remover removes the hook', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let calls = 0;
    const remove = x.registerHook((g: Tensor) => {
      calls++;
      return g.mul(0);
    });
    x.sum().backward();
    expectClose(x.grad, [0, 0]);
    remove();
    remove(); // idempotent
    x.sum().backward();
    expectClose(x.grad, [1, 1]);
    expect(calls).toBe(1);
  });

  it('on a tensor that does not require grad is an AutogradError', () => {
    expectThrows(() => tensor([1]).registerHook(() => undefined), AutogradError, /registerHook/);
  });
});
