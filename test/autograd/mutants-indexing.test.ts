// Tests written to kill mutants that survived `npm run test:mutation` (docs/contributing.md,
// "Mutation testing") in the indexing primitives.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

describe('scatter replaces, scatterAdd adds', () => {
  // A nonzero self, so that writing and adding differ (into zeros they agree).
  const self = (): tg.Tensor =>
    tg.tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64' },
    );
  const index = tg.tensor([[0], [2]], { dtype: 'int32' });
  const src = tg.tensor([[10], [20]], { dtype: 'float64' });

  it('scatter writes src over the indexed elements of a nonzero self', () => {
    // torch: [[10, 2, 3], [4, 5, 20]]
    expect(tg.scatter(self(), 1, index, src).toArray()).toEqual([
      [10, 2, 3],
      [4, 5, 20],
    ]);
    expect(self().scatter(1, index, 7).toArray()).toEqual([
      [7, 2, 3],
      [4, 5, 7],
    ]);
  });

  it('scatterAdd adds src to them', () => {
    // torch: [[11, 2, 3], [4, 5, 26]]
    expect(tg.scatterAdd(self(), 1, index, src).toArray()).toEqual([
      [11, 2, 3],
      [4, 5, 26],
    ]);
  });
});
