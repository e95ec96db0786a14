// Mutation-testing companions of the fused layerNorm (kernels/layer-norm.ts, prims/layer-norm.ts):
// cases the OpInfo samples and the PyTorch fixtures do not reach. See docs/contributing.md,
// "Mutation testing".
import { describe, expect, it } from 'vitest';
import { nn, tensor } from '../../src/index.js';

const TOP = 2 ** 52;

describe('layerNorm row statistics at the edge of float64', () => {
  it('rows whose sum rounds: the variance correction (Σc² − (Σc)²/n) gives the exact variance', () => {
    // Integers just above 2^52 are exact, but their sum is not (its ulp is 2 or 4), so the first
    // mean is off by a whole unit and the deviations from it do not sum to 0. The exact means
    // (2^52 + 2 in both rows) and biased variances (2/3 and 2) are written out: y = (x − mean)/√(var + eps).
    const x = tensor(
      [
        [TOP + 1, TOP + 2, TOP + 3],
        [TOP, TOP + 3, TOP + 3],
      ],
      { dtype: 'float64' },
    );
    const y = Array.from(nn.F.layerNorm(x, [3]).dataSync());
    const a = 1 / Math.sqrt(2 / 3 + 1e-5);
    const b = 1 / Math.sqrt(2 + 1e-5);
    const want = [-a, 0, a, -2 * b, b, b];
    y.forEach((v, i) => expect(Math.abs(v - want[i]!), `element ${i}: ${v} vs ${want[i]}`).toBeLessThan(1e-12));
  });

  it('the input gradient of such rows uses the same statistics', () => {
    // Σ y·g with g = [1, 0, 0]: dx = rstd·(e₀ − 1/n − x̂₀·x̂/n), x̂ = (x − mean)·rstd, at the exact statistics.
    const x = tensor([TOP + 1, TOP + 2, TOP + 3], { dtype: 'float64' }).requiresGrad_(true);
    nn.F.layerNorm(x, [3]).backward(tensor([1, 0, 0], { dtype: 'float64' }));
    const s = 1 / Math.sqrt(2 / 3 + 1e-5);
    const xhat = [-s, 0, s];
    const want = xhat.map((h, j) => s * ((j === 0 ? 1 : 0) - 1 / 3 - (xhat[0]! * h) / 3));
    Array.from(x.grad!.dataSync()).forEach((v, i) => expect(Math.abs(v - want[i]!), `element ${i}`).toBeLessThan(1e-12));
  });
});
