// The matmul primitive's layout choices (src/autograd/prims/linalg.ts), which the value tests of
// the OpInfo harness cannot see: a row-major, transposed or batch-broadcast operand goes to GEMM
// without a copy (counted by the buffer pool, which every large output passes through); a gradient
// is row-major unless its operand is stored transposed; batched products run GEMM once per batch
// position (at sizes where the WebAssembly GEMM copies C back, one call too many would write past
// the output). Expected values from naive float64 loops written here.
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import { POOL_MIN_BYTES, poolStats } from '../../src/kernels/memory/pool.js';

/** Deterministic values of size ~1. */
function vals(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + seed) + 0.1 * seed);
}

function mat(shape: number[], seed: number, requiresGrad = false): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = tensor(vals(n, seed), { dtype: 'float64' }).reshape(shape).detach();
  return requiresGrad ? t.requiresGrad_() : t;
}

/** How many pool-sized arrays `f` allocates. */
function allocations(f: () => unknown): number {
  const before = poolStats().allocations;
  f();
  return poolStats().allocations - before;
}

/** The gradient's contiguity as it reaches `t` (a leaf or an intermediate operand). */
function watch(t: Tensor): { contiguous: boolean | null } {
  const seen = { contiguous: null as boolean | null };
  t.registerHook((g) => {
    seen.contiguous = g._contiguous;
    return undefined;
  });
  return seen;
}

/** The element of `t` at `index`, read through its offset and strides. */
function at(t: Tensor, ...index: number[]): number {
  let off = t._offset;
  for (let d = 0; d < index.length; d++) off += index[d]! * t._strides[d]!;
  return t._storage.data[off]!;
}

function close(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-11 * (1 + Math.abs(expected[i]!)));
}

describe('matmul passes operands GEMM can read to it as they are', () => {
  // A square float64 matrix whose every copy goes through the pool.
  const S = Math.ceil(Math.sqrt(POOL_MIN_BYTES / 8));

  it('row-major, transposed and batch-broadcast operands: only the output is allocated', () => {
    const x = mat([S, S], 1);
    const w = mat([S, S], 2);
    const xb = mat([3, S, S], 3);
    expect(allocations(() => x.matmul(w))).toBe(1);
    expect(allocations(() => x.matmul(w.T))).toBe(1);
    expect(allocations(() => x.T.matmul(w.T))).toBe(1);
    // w broadcast over the batch (stride 0): row-major in its last two dims, no copy of the 3 repeats.
    expect(allocations(() => xb.matmul(w))).toBe(1);
    expect(allocations(() => xb.matmul(w.T))).toBe(1);
    expect(allocations(() => xb.mT.matmul(w))).toBe(1);
  });

  it('an operand in neither layout (every second column) is copied once', () => {
    const wide = mat([S, 2 * S], 4);
    const w = mat([S, S], 5);
    const every2nd = wide.slice(1, 0, null, 2);
    expect(allocations(() => every2nd.matmul(w))).toBe(2);
  });
});

describe('matmul gradients are row-major unless the operand is stored transposed', () => {
  it('x · w, both row-major (2-d and batched): both gradients arrive contiguous', () => {
    for (const [xs, ws] of [
      [
        [3, 4],
        [4, 5],
      ],
      [
        [2, 3, 4],
        [2, 4, 5],
      ],
    ] as const) {
      const x = mat([...xs], 1, true);
      const w = mat([...ws], 2, true);
      const seenX = watch(x);
      const seenW = watch(w);
      x.matmul(w).sum().backward();
      expect(seenX.contiguous).toBe(true);
      expect(seenW.contiguous).toBe(true);
    }
  });

  it('an operand in neither layout (every second column) gets a row-major gradient, with the right values', () => {
    const [M, K, N] = [3, 4, 5];
    const wide = mat([M, 2 * K], 6, true);
    const w = mat([K, N], 7, true);
    const x = wide.slice(1, 0, null, 2);
    const seenX = watch(x);
    x.matmul(w).sum().backward();
    expect(seenX.contiguous).toBe(true);
    // d/dx Σ x·w = 1 · wᵀ: row m of the gradient is the row sums of w, at the even columns of wide.
    const expected: number[] = [];
    for (let m = 0; m < M; m++)
      for (let c = 0; c < 2 * K; c++) {
        let s = 0;
        if (c % 2 === 0) for (let n = 0; n < N; n++) s += at(w, c / 2, n);
        expected.push(s);
      }
    close(wide.grad!.dataSync(), expected);
  });
  it('a batch-broadcast operand (stride 0, transposed or not) gets a row-major gradient: expand sums it over the batch', () => {
    for (const transposed of [false, true]) {
      const x = mat([3, 2, 4], 1, true);
      const w = mat(transposed ? [5, 4] : [4, 5], 2, true);
      const wb = (transposed ? w.T : w).expand([3, 4, 5]);
      const seen = watch(wb);
      x.matmul(wb).sum().backward();
      expect(seen.contiguous).toBe(true);
    }
  });

  it('a transposed operand with a size-1 batch dim of stride 0 is not broadcast: its gradient comes in its own layout', () => {
    const x = mat([1, 2, 4], 1, true);
    const w = mat([5, 4], 2, true);
    const w1 = w.T.expand([1, 4, 5]);
    const seen = { transposedDense: null as boolean | null };
    w1.registerHook((g) => {
      seen.transposedDense = g.mT._contiguous && !g._contiguous;
      return undefined;
    });
    x.matmul(w1).sum().backward();
    expect(seen.transposedDense).toBe(true);
  });
});

describe('batched matmul runs GEMM once per batch position', () => {
  it('[B, M, K] · [K, N] (broadcast) and [B, M, K] · [B, K, N] past the WebAssembly threshold: values and gradients', () => {
    const [B, M, K, N] = [3, 9, 10, 11];
    for (const shared of [true, false]) {
      const a = mat([B, M, K], 8, true);
      const b = mat(shared ? [K, N] : [B, K, N], 9, true);
      const c = mat([B, M, N], 10);
      const out = a.matmul(b);
      out.mul(c).sum().backward();
      const bAt = (i: number, k: number, n: number): number => (shared ? at(b, k, n) : at(b, i, k, n));
      const want: number[] = [];
      const ga: number[] = [];
      const gb = new Array<number>(b.numel()).fill(0);
      for (let i = 0; i < B; i++)
        for (let m = 0; m < M; m++)
          for (let n = 0; n < N; n++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += at(a, i, m, k) * bAt(i, k, n);
            want.push(s);
          }
      for (let i = 0; i < B; i++)
        for (let m = 0; m < M; m++)
          for (let k = 0; k < K; k++) {
            let s = 0;
            for (let n = 0; n < N; n++) s += at(c, i, m, n) * bAt(i, k, n);
            ga.push(s);
          }
      for (let i = 0; i < B; i++)
        for (let k = 0; k < K; k++)
          for (let n = 0; n < N; n++) {
            let s = 0;
            for (let m = 0; m < M; m++) s += at(a, i, m, k) * at(c, i, m, n);
            gb[(shared ? 0 : i * K * N) + k * N + n]! += s;
          }
      close(out.dataSync(), want);
      close(a.grad!.dataSync(), ga);
      close(b.grad!.dataSync(), gb);
    }
  });
});
