// A matmul operand stored transposed (`w.T`, `k.mT`) gets its gradient in its own layout, so the
// gradient that reaches the leaf through the transpose is contiguous (no copy at accumulation).
// Values against naive float64 loops; first and second derivatives through gradcheck/gradgradcheck.
import { describe, expect, it } from 'vitest';
import { autograd, tensor, type Tensor } from '../../src/index.js';

/** Deterministic values of size ~1. */
function vals(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + seed) + 0.1 * seed);
}

function leaf(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(vals(n, seed), { dtype: 'float64', requiresGrad: true }).reshape(shape).detach().requiresGrad_();
}

/** Records whether the gradient arriving at `t` is contiguous. */
function watch(t: Tensor): { contiguous: boolean | null } {
  const seen = { contiguous: null as boolean | null };
  t.registerHook((g) => {
    seen.contiguous = g._contiguous;
    return undefined;
  });
  return seen;
}

function close(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(expected[i]!)));
}

describe('matmul gradients of transposed operands', () => {
  it('x · wᵀ (linear): w.grad arrives contiguous and equals Σ_n c[n,o]·x[n,i]; x.grad = Σ_o c[n,o]·w[o,i]', () => {
    const [N, I, O] = [5, 3, 4];
    const x = leaf([N, I], 1);
    const w = leaf([O, I], 2);
    const c = vals(N * O, 3);
    const seenW = watch(w);
    x.matmul(w.T)
      .mul(tensor(c, { dtype: 'float64' }).reshape([N, O]))
      .sum()
      .backward();
    expect(seenW.contiguous).toBe(true);
    const xv = vals(N * I, 1),
      wv = vals(O * I, 2);
    const gw: number[] = [],
      gx: number[] = [];
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++) {
        let s = 0;
        for (let n = 0; n < N; n++) s += c[n * O + o]! * xv[n * I + i]!;
        gw.push(s);
      }
    for (let n = 0; n < N; n++)
      for (let i = 0; i < I; i++) {
        let s = 0;
        for (let o = 0; o < O; o++) s += c[n * O + o]! * wv[o * I + i]!;
        gx.push(s);
      }
    close(w.grad!.dataSync(), gw);
    close(x.grad!.dataSync(), gx);
  });

  it('aᵀ · b: a.grad arrives contiguous and equals Σ_n b[k,n]·c[m,n] at [k, m]', () => {
    const [K, M, N] = [4, 3, 2];
    const a = leaf([K, M], 4);
    const b = leaf([K, N], 5);
    const c = vals(M * N, 6);
    const seenA = watch(a);
    a.mT
      .matmul(b)
      .mul(tensor(c, { dtype: 'float64' }).reshape([M, N]))
      .sum()
      .backward();
    expect(seenA.contiguous).toBe(true);
    const bv = vals(K * N, 5);
    const ga: number[] = [];
    for (let k = 0; k < K; k++)
      for (let m = 0; m < M; m++) {
        let s = 0;
        for (let n = 0; n < N; n++) s += bv[k * N + n]! * c[m * N + n]!;
        ga.push(s);
      }
    close(a.grad!.dataSync(), ga);
  });

  it('batched q · kᵀ: k.grad arrives contiguous and equals Σ_t c[b,t,s]·q[b,t,d]', () => {
    const [B, T, S, D] = [2, 3, 4, 2];
    const q = leaf([B, T, D], 7);
    const k = leaf([B, S, D], 8);
    const c = vals(B * T * S, 9);
    const seenK = watch(k);
    q.matmul(k.mT)
      .mul(tensor(c, { dtype: 'float64' }).reshape([B, T, S]))
      .sum()
      .backward();
    expect(seenK.contiguous).toBe(true);
    const qv = vals(B * T * D, 7);
    const gk: number[] = [];
    for (let b = 0; b < B; b++)
      for (let s = 0; s < S; s++)
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let t = 0; t < T; t++) acc += c[(b * T + t) * S + s]! * qv[(b * T + t) * D + d]!;
          gk.push(acc);
        }
    close(k.grad!.dataSync(), gk);
  });

  it('a transposed operand broadcast over a batch still sums its gradient over the batch', () => {
    const [B, N, I, O] = [3, 2, 3, 2];
    const x = leaf([B, N, I], 10);
    const w = leaf([O, I], 11);
    x.matmul(w.T).sum().backward();
    const xv = vals(B * N * I, 10);
    const gw: number[] = [];
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++) {
        let s = 0;
        for (let r = 0; r < B * N; r++) s += xv[r * I + i]!;
        gw.push(s);
      }
    close(w.grad!.dataSync(), gw);
  });

  it('first and second derivatives of x · wᵀ and aᵀ · bᵀ pass gradcheck and gradgradcheck', () => {
    const x = leaf([3, 4], 12),
      w = leaf([2, 4], 13);
    expect(autograd.gradcheck((p, q) => p.matmul(q.T), [x, w])).toBe(true);
    expect(autograd.gradgradcheck((p, q) => p.matmul(q.T), [x, w])).toBe(true);
    const a = leaf([4, 3], 14),
      b = leaf([2, 4], 15);
    expect(autograd.gradcheck((p, q) => p.mT.matmul(q.mT), [a, b])).toBe(true);
    expect(autograd.gradgradcheck((p, q) => p.mT.matmul(q.mT), [a, b])).toBe(true);
  });
});
