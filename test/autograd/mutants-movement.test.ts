// Views made by reshape (prims/movement.ts, viewStrides), for the mutation run: empty shapes,
// trailing and leading size-1 dims, and the strides of the view (PyTorch's `stride()` values).
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

describe('reshape views', () => {
  it('an empty tensor reshaped to another empty shape', () => {
    expect(tg.zeros([0, 3]).reshape([3, 0]).shape).toEqual([3, 0]);
    expect(tg.zeros([2, 0, 3]).reshape([0, 6]).shape).toEqual([0, 6]);
  });

  it('size-1 dims added at the end, the front and between', () => {
    expect(tg.arange(3).reshape([3, 1]).toArray()).toEqual([[0], [1], [2]]);
    expect(tg.arange(3).reshape([1, 3, 1]).toArray()).toEqual([[[0], [1], [2]]]);
    expect(tg.arange(6).reshape([2, 1, 3]).toArray()).toEqual([[[0, 1, 2]], [[3, 4, 5]]]);
  });

  it('the strides of a view are those of a contiguous tensor of the new shape (torch: (2, 1), (6, 3, 1), (3, 1, 1))', () => {
    expect(tg.arange(6).reshape([2, 3]).reshape([3, 2]).stride()).toEqual([2, 1]);
    expect(tg.arange(6).reshape([6]).reshape([1, 2, 3]).stride()).toEqual([6, 3, 1]);
    expect(tg.arange(6).reshape([2, 3]).reshape([2, 3, 1]).stride()).toEqual([3, 1, 1]);
  });
});
