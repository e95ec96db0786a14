// Tests written to kill mutants that survived `npm run test:mutation` (docs/contributing.md,
// "Mutation testing") in the reduction primitives.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

describe('sums of bool tensors count (int32: PyTorch gives int64, tapegrad has no int64)', () => {
  const b = tg.tensor([
    [true, false, true],
    [true, true, true],
  ]);
  it('sum, sum over a dim, cumsum and prod of bools are int32 counts, not bools', () => {
    // torch: sum() = 5, sum(1) = [2, 3], cumsum(1) = [[1, 1, 2], [1, 2, 3]], prod() = 0, prod(1) = [0, 1]
    const cases: [tg.Tensor, unknown][] = [
      [b.sum(), 5],
      [b.sum(1), [2, 3]],
      [
        tg.cumsum(b, 1),
        [
          [1, 1, 2],
          [1, 2, 3],
        ],
      ],
      [b.prod(), 0],
      [b.prod(1), [0, 1]],
    ];
    for (const [out, want] of cases) {
      expect(out.dtype).toBe('int32');
      expect(out.toArray()).toEqual(want);
    }
  });
});
