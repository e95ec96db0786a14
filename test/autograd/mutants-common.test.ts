// Tests written to kill mutants that survived `npm run test:mutation` (docs/contributing.md,
// "Mutation testing"), for the helpers shared by the primitive families.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { broadcastOperand } from '../../src/autograd/prims/common.js';

describe('broadcastOperand', () => {
  it('gives one stride per output dim: 0 on leading and size-1 dims, the own stride elsewhere', () => {
    // x is [3, 1] (strides [1, 1]) broadcast to [2, 3, 4]: dim 0 is new, dim 2 is size 1 in x.
    const x = tensor([[1], [2], [3]]);
    const op = broadcastOperand(x, [2, 3, 4]);
    // toEqual also compares lengths: a loop that runs one dim too far adds a trailing entry.
    expect(op.strides).toEqual([0, 1, 0]);
    expect(op.offset).toBe(0);
    expect(op.data).toBe(x._storage.data);
  });

  it('keeps the offset and strides of a view', () => {
    const base = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const view = base.transpose(0, 1).narrow(0, 1, 2); // [2, 2], strides [1, 3], offset 1
    expect(broadcastOperand(view, [2, 2]).strides).toEqual([1, 3]);
    expect(broadcastOperand(view, [2, 2]).offset).toBe(1);
  });
});
