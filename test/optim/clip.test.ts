// clipGradNorm_ / clipGradValue_: total norms against naive float64 sums, in-place scaling,
// non-finite norms, shared gradient storage, errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nn, optim, tensor, ValueError, type Tensor } from '../../src/index.js';

const f64 = (v: number[]): Tensor => tensor(v, { dtype: 'float64', requiresGrad: true });

function withGrads(grads: number[][]): Tensor[] {
  return grads.map((g) => {
    const p = f64(g.map(() => 0));
    p.grad = tensor(g, { dtype: 'float64' });
    return p;
  });
}

function naiveNorm(grads: number[][], p: number): number {
  const all = grads.flat();
  if (p === Infinity) return Math.max(0, ...all.map(Math.abs));
  return Math.pow(
    all.reduce((s, x) => s + Math.pow(Math.abs(x), p), 0),
    1 / p,
  );
}

const gradsArb = fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 4,
});

describe('clipGradNorm_', () => {
  it('is exported from optim and from nn.utils', () => {
    expect(optim.clipGradNorm_).toBe(nn.utils.clipGradNorm_);
    expect(optim.clipGradValue_).toBe(nn.utils.clipGradValue_);
  });

  it.each([2, 1, 3, Infinity])('total %s-norm and scaling match the naive computation', (p) => {
    fc.assert(
      fc.property(gradsArb, fc.double({ min: 0.01, max: 100, noNaN: true }), (grads, maxNorm) => {
        const params = withGrads(grads);
        const total = optim.clipGradNorm_(params, maxNorm, p).item();
        const want = naiveNorm(grads, p);
        expect(Math.abs(total - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
        const coef = Math.min(1, maxNorm / (want + 1e-6));
        params.forEach((param, i) => {
          const g = param.grad!.toArray() as number[];
          g.forEach((v, j) => expect(Math.abs(v - grads[i]![j]! * coef)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(grads[i]![j]!))));
        });
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('after clipping, the total norm is maxNorm (hand-computed 3-4-12 example)', () => {
    const params = withGrads([[3, 4], [12]]); // norm 13
    const total = optim.clipGradNorm_(params, 6.5);
    expect(total.item()).toBe(13);
    expect(total.shape).toEqual([]);
    const scale = 6.5 / (13 + 1e-6);
    expect(params[0]!.grad!.toArray()).toEqual([3 * scale, 4 * scale]);
    expect(naiveNorm([params[0]!.grad!.toArray() as number[], params[1]!.grad!.toArray() as number[]], 2)).toBeCloseTo(6.5, 5);
  });

  it('leaves gradients below the limit unchanged and skips null grads', () => {
    const params = withGrads([[0.3, -0.4]]);
    const none = f64([1, 2]);
    const total = optim.clipGradNorm_([...params, none], 1);
    expect(total.item()).toBeCloseTo(0.5, 15);
    expect(params[0]!.grad!.toArray()).toEqual([0.3, -0.4]);
    expect(none.grad).toBeNull();
    expect(optim.clipGradNorm_([none], 1).item()).toBe(0);
  });

  it('reports a non-finite norm, and throws with errorIfNonfinite', () => {
    const inf = withGrads([[1, Infinity]]);
    expect(optim.clipGradNorm_(inf, 1).item()).toBe(Infinity);
    const nan = withGrads([[1, NaN]]);
    expect(optim.clipGradNorm_(nan, 1).item()).toBeNaN();
    const again = withGrads([[NaN]]);
    let caught: unknown;
    try {
      optim.clipGradNorm_(again, 1, 2, { errorIfNonfinite: true });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValueError);
    expect((caught as Error).message).toMatch(/clipGradNorm_: the total norm of order 2 of the gradients is NaN/);
    expect(again[0]!.grad!.toArray()).toEqual([NaN]);
  });

  it('handles norms that would overflow a naive sum of squares', () => {
    const params = withGrads([[3e200, 4e200]]);
    expect(optim.clipGradNorm_(params, 1).item()).toBeCloseTo(5e200, -186);
  });

  it('scales each gradient once even when two parameters share one gradient tensor', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    const c = tensor([3, 4], { dtype: 'float64' });
    a.add(b).mul(c).sum().backward(); // both grads are c, possibly the same tensor
    const total = optim.clipGradNorm_([a, b], 5);
    expect(total.item()).toBeCloseTo(Math.sqrt(2 * 25), 12);
    const s = 5 / (Math.sqrt(50) + 1e-6);
    for (const p of [a, b]) {
      const g = p.grad!.toArray() as number[];
      expect(g[0]).toBeCloseTo(3 * s, 12);
      expect(g[1]).toBeCloseTo(4 * s, 12);
    }
  });

  it('rejects bad arguments', () => {
    const params = withGrads([[1]]);
    expect(() => optim.clipGradNorm_(params, -1)).toThrow(/clipGradNorm_: maxNorm must be a number >= 0, got -1/);
    expect(() => optim.clipGradNorm_(params, 1, 0)).toThrow(/clipGradNorm_: normType must be a number > 0 or Infinity, got 0/);
    expect(() => optim.clipGradNorm_([3 as unknown as Tensor], 1)).toThrow(ValueError);
  });
});

describe('clipGradValue_', () => {
  it('clamps every entry into [-c, c] in place', () => {
    const params = withGrads([[-3, 0.5, 2], [1.5]]);
    const g0 = params[0]!.grad!;
    optim.clipGradValue_(params, 1);
    expect(params[0]!.grad).toBe(g0);
    expect(g0.toArray()).toEqual([-1, 0.5, 1]);
    expect(params[1]!.grad!.toArray()).toEqual([1]);
  });

  it('accepts a single tensor and rejects a negative clip value', () => {
    const [p] = withGrads([[5, -5]]);
    optim.clipGradValue_(p!, 2);
    expect(p!.grad!.toArray()).toEqual([2, -2]);
    expect(() => optim.clipGradValue_(p!, -1)).toThrow(/clipGradValue_: clipValue must be a number >= 0, got -1/);
  });
});
