// The layerNorm primitive keeps each forward's row statistics keyed on its attribute object. A
// replay that runs the primitive again with the same object (the per-element fallback of the
// batching interpreter does) must not hand the first node the second call's statistics: its
// backward then recomputes them from its own saved input.
import { describe, expect, it } from 'vitest';
import { run } from '../../src/autograd/tape.js';
import { tensor, zeros, type Tensor } from '../../src/index.js';

const spec = (): { size: number; eps: number; weight: boolean; bias: boolean } => ({ size: 3, eps: 1e-5, weight: false, bias: false });
const placeholder = zeros([0], { dtype: 'float64' });
const g = tensor(
  [
    [1, -2, 0.5],
    [3, 0, -1],
  ],
  { dtype: 'float64' },
);

function inputGrad(x: Tensor, attrs: ReturnType<typeof spec>, replayWith?: Tensor): number[] {
  const leaf = x.detach().requiresGrad_(true);
  const y = run('layerNorm', [leaf, placeholder, placeholder], attrs);
  if (replayWith !== undefined) run('layerNorm', [replayWith, placeholder, placeholder], attrs);
  y.backward(g);
  return Array.from(leaf.grad!.dataSync());
}

describe('layerNorm row statistics', () => {
  it('a second call with the same attributes leaves the first node its own statistics', () => {
    const x = tensor(
      [
        [1, 2, 4],
        [0, -3, 5],
      ],
      { dtype: 'float64' },
    );
    const other = tensor(
      [
        [10, -20, 40],
        [7, 7.5, 9],
      ],
      { dtype: 'float64' },
    );
    const want = inputGrad(x, spec());
    expect(want.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    const got = inputGrad(x, spec(), other);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
  });
});
