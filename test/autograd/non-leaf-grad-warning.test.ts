/**
 * Reading `.grad` of a non-leaf that did not call retainGrad() warns once, like PyTorch's UserWarning;
 * leaves and retained tensors never warn. (Its own file: the warning is once per process.)
 */
import { describe, expect, it, vi } from 'vitest';
import { ArgumentTypeError, tensor } from '../../src/index.js';

describe('.grad of a non-leaf', () => {
  it('warns once with a clear message; leaves and retained tensors do not warn', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const x = tensor([1, 2], { requiresGrad: true });
      const kept = x.mul(2).retainGrad();
      const y = kept.mul(3);
      y.sum().backward();
      expect(x.grad!.toArray()).toEqual([6, 6]);
      expect(kept.grad!.toArray()).toEqual([3, 3]);
      expect(spy).not.toHaveBeenCalled();
      expect(y.grad).toBeNull();
      expect(y.grad).toBeNull();
      expect(spy).toHaveBeenCalledTimes(1);
      const [message, options] = spy.mock.calls[0]!;
      expect(String(message)).toMatch(/\.grad of a tensor that is not a leaf.*retainGrad\(\)/);
      expect(options).toMatchObject({ type: 'UserWarning' });
    } finally {
      spy.mockRestore();
    }
  });

  it('assigning .grad takes a Tensor or null', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.grad = tensor([1, 1]);
    x.grad = null;
    expect(() => {
      x.grad = [1, 1] as never;
    }).toThrow(ArgumentTypeError);
  });
});
