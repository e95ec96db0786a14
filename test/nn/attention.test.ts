import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, ValueError, DTypeError, Tensor, autograd, nn, tensor, zeros } from '../../src/index.js';
import { scaledDotProductAttention } from '../../src/nn/functional/attention.js';
import { rnd, flat, expectClose } from './helpers.js';

/**
 * Naive attention for one (batch, head) slice in float64 loops. `mask(i, j)` returns an additive
 * value (0, a float, or -Infinity).
 */
function naiveAttention(
  q: number[][],
  k: number[][],
  v: number[][],
  scale: number,
  mask: (i: number, j: number) => number,
): { out: number[][]; w: number[][] } {
  const out: number[][] = [];
  const w: number[][] = [];
  for (let i = 0; i < q.length; i++) {
    const s = k.map((kj, j) => q[i]!.reduce((acc, qe, e) => acc + qe * kj[e]!, 0) * scale + mask(i, j));
    const m = Math.max(...s);
    const ex = s.map((x) => Math.exp(x - m));
    const z = ex.reduce((a, b) => a + b, 0);
    const p = ex.map((x) => x / z);
    w.push(p);
    out.push(v[0]!.map((_, e) => p.reduce((acc, pj, j) => acc + pj * v[j]![e]!, 0)));
  }
  return { out, w };
}

const mat = (t: Tensor): number[][] => t.toArray() as number[][];

describe('scaledDotProductAttention', () => {
  it('matches naive loops without mask, with a bool mask, a float mask, causal, and a custom scale', () => {
    const g = new Generator(1);
    const q = rnd([2, 3, 4], g);
    const k = rnd([2, 5, 4], g);
    const v = rnd([2, 5, 2], g);
    const boolMask = tensor([
      [true, false, true, true, false],
      [false, true, true, false, true],
      [true, true, true, true, true],
    ]);
    const floatMask = rnd([3, 5], g);
    const cases: [Record<string, unknown>, (i: number, j: number) => number, number][] = [
      [{}, () => 0, 0.5],
      [{ attnMask: boolMask }, (i, j) => ((boolMask.toArray() as boolean[][])[i]![j] ? 0 : -Infinity), 0.5],
      [{ attnMask: floatMask }, (i, j) => mat(floatMask)[i]![j]!, 0.5],
      [{ isCausal: true }, (i, j) => (j <= i ? 0 : -Infinity), 0.5],
      [{ scale: 0.3 }, () => 0, 0.3],
    ];
    for (const [opts, mask, scale] of cases) {
      const out = scaledDotProductAttention(q, k, v, opts);
      expect(out.shape).toEqual([2, 3, 2]);
      const ref = [0, 1].flatMap((b) =>
        naiveAttention(mat(q.select(0, b)), mat(k.select(0, b)), mat(v.select(0, b)), scale, mask).out.flat(),
      );
      expectClose(out, ref);
    }
  });

  it('broadcasts batch dims and differentiates (gradcheck, gradgradcheck)', () => {
    const g = new Generator(2);
    const q = rnd([2, 1, 2, 3], g, { requiresGrad: true });
    const k = rnd([1, 2, 3, 3], g, { requiresGrad: true });
    const v = rnd([1, 2, 3, 2], g, { requiresGrad: true });
    expect(scaledDotProductAttention(q, k, v).shape).toEqual([2, 2, 2, 2]);
    expect(autograd.gradcheck((a, b, c) => scaledDotProductAttention(a, b, c, { isCausal: true }), [q, k, v])).toBe(true);
    expect(
      autograd.gradgradcheck(
        (a, b) => scaledDotProductAttention(a, b, b),
        [rnd([1, 2, 2], g, { requiresGrad: true }), rnd([1, 2, 2], g, { requiresGrad: true })],
      ),
    ).toBe(true);
  });

  it('dropout with p = 1 zeroes the output; seeded dropout is reproducible', () => {
    const g = new Generator(3);
    const q = rnd([2, 3], g);
    expect(flat(scaledDotProductAttention(q, q, q, { dropoutP: 1 }))).toEqual([0, 0, 0, 0, 0, 0]);
    const a = scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: new Generator(9) });
    const b = scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: new Generator(9) });
    expect(flat(a)).toEqual(flat(b));
  });

  it('errors', () => {
    const q = zeros([2, 3, 4]);
    expect(() => scaledDotProductAttention(q, zeros([2, 5, 3]), zeros([2, 5, 4]))).toThrow(
      /scaledDotProductAttention: query \[2, 3, 4\] and key \[2, 5, 3\] must have the same last dim/,
    );
    expect(() => scaledDotProductAttention(q, zeros([2, 5, 4]), zeros([2, 6, 4]))).toThrow(ShapeError);
    expect(() => scaledDotProductAttention(q, q, q, { isCausal: true, attnMask: zeros([3, 3]) })).toThrow(ValueError);
    expect(() => scaledDotProductAttention(q, q, q, { attnMask: zeros([3, 3], { dtype: 'int32' }) })).toThrow(DTypeError);
    expect(() => scaledDotProductAttention(q, q, q, { dropoutP: 2 })).toThrow(ValueError);
  });
});

/** MHA written by hand: project with slices of inProjWeight, split heads, attend per head with loops, concat, outProj. */
function manualMha(
  mha: nn.MultiheadAttention,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: (n: number, i: number, j: number) => number,
): { out: Tensor; w: Tensor } {
  const E = mha.embedDim;
  const H = mha.numHeads;
  const hd = E / H;
  const W = mha.inProjWeight!;
  const B = mha.inProjBias!;
  const proj = (x: Tensor, i: number): Tensor => x.matmul(W.narrow(0, i * E, E).T).add(B.narrow(0, i * E, E));
  // Layout [L, N, E].
  const qp = proj(q, 0),
    kp = proj(k, 1),
    vp = proj(v, 2);
  const [L, N] = q.shape as [number, number];
  const rows: number[][][] = []; // [N][L][E]
  const weights: number[][][] = []; // [N][L][S], averaged over heads
  for (let n = 0; n < N; n++) {
    const ctx = Array.from({ length: L }, () => new Array<number>(E).fill(0));
    const wsum = Array.from({ length: L }, () => new Array<number>(k.shape[0]!).fill(0));
    for (let h = 0; h < H; h++) {
      const slice = (t: Tensor): number[][] => mat(t.select(1, n).narrow(1, h * hd, hd));
      const r = naiveAttention(slice(qp), slice(kp), slice(vp), 1 / Math.sqrt(hd), (i, j) => mask(n, i, j));
      r.out.forEach((row, i) => row.forEach((x, e) => (ctx[i]![h * hd + e] = x)));
      r.w.forEach((row, i) => row.forEach((x, j) => (wsum[i]![j]! += x / H)));
    }
    rows.push(ctx);
    weights.push(wsum);
  }
  const ctxT = tensor(rows, { dtype: 'float64' }).transpose(0, 1); // [L, N, E]
  const out = ctxT.matmul(mha.outProj.weight.T).add(mha.outProj.bias!);
  return { out, w: tensor(weights, { dtype: 'float64' }) };
}

describe('MultiheadAttention', () => {
  it('matches a manual composition, with key padding and attention masks (true = blocked)', () => {
    const g = new Generator(4);
    const mha = new nn.MultiheadAttention(4, 2, { generator: g }).double();
    // PyTorch inits in-projection biases to zero; give them values so they are tested.
    mha.inProjBias!.data = rnd([12], g);
    mha.outProj.bias!.data = rnd([4], g);
    const q = rnd([3, 2, 4], g),
      k = rnd([5, 2, 4], g),
      v = rnd([5, 2, 4], g);
    const kpm = tensor([
      [false, false, true, false, true],
      [false, false, false, false, false],
    ]);
    const am = tensor([
      [false, true, false, false, false],
      [false, false, false, false, false],
      [true, false, false, false, false],
    ]);
    const blocked = (n: number, i: number, j: number): number =>
      (kpm.toArray() as boolean[][])[n]![j] || (am.toArray() as boolean[][])[i]![j] ? -Infinity : 0;
    const got = mha.call(q, k, v, { keyPaddingMask: kpm, attnMask: am });
    const ref = manualMha(mha, q, k, v, blocked);
    expect(got.output.shape).toEqual([3, 2, 4]);
    expectClose(got.output, flat(ref.out));
    expect(got.weights!.shape).toEqual([2, 3, 5]);
    expectClose(got.weights!, flat(ref.w));
    const none = manualMha(mha, q, k, v, () => 0);
    expectClose(mha.call(q, k, v).output, flat(none.out));
    const perHead = mha.call(q, k, v, { averageAttnWeights: false }).weights!;
    expect(perHead.shape).toEqual([2, 2, 3, 5]);
    expectClose(perHead.mean(1), flat(none.w));
    expect(mha.call(q, k, v, { needWeights: false }).weights).toBeNull();
  });

  it('batchFirst, unbatched inputs and float masks agree with the default layout', () => {
    const g = new Generator(5);
    const mha = new nn.MultiheadAttention(4, 1, { generator: g }).double();
    const bf = new nn.MultiheadAttention(4, 1, { batchFirst: true }).double();
    bf.loadStateDict(mha.stateDict());
    const q = rnd([3, 2, 4], g),
      k = rnd([2, 2, 4], g);
    const a = mha.call(q, k, k);
    expectClose(bf.call(q.transpose(0, 1), k.transpose(0, 1), k.transpose(0, 1)).output.transpose(0, 1), flat(a.output));
    const u = mha.call(q.select(1, 0), k.select(1, 0), k.select(1, 0));
    expect(u.output.shape).toEqual([3, 4]);
    expect(u.weights!.shape).toEqual([3, 2]);
    expectClose(u.output, flat(a.output.select(1, 0)));
    const fm = rnd([3, 2], g);
    const ref = manualMha(mha, q, k, k, (_n, i, j) => mat(fm)[i]![j]!);
    expectClose(mha.call(q, k, k, { attnMask: fm }).output, flat(ref.out));
  });

  it('parameter layout as PyTorch; separate projections when kdim/vdim differ', () => {
    const mha = new nn.MultiheadAttention(6, 3);
    expect(mha.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'in_proj_weight:18x6',
      'in_proj_bias:18',
      'out_proj.weight:6x6',
      'out_proj.bias:6',
    ]);
    expect(flat(mha.inProjBias!).every((x) => x === 0)).toBe(true);
    const bound = Math.sqrt(6 / (18 + 6)); // xavier uniform on [3E, E]
    expect(Math.max(...flat(mha.inProjWeight!).map(Math.abs))).toBeLessThanOrEqual(bound);
    const kv = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 5, bias: false }).double();
    expect(kv.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'q_proj_weight:4x4',
      'k_proj_weight:4x3',
      'v_proj_weight:4x5',
      'out_proj.weight:4x4',
    ]);
    const g = new Generator(6);
    expect(kv.call(rnd([2, 1, 4], g), rnd([3, 1, 3], g), rnd([3, 1, 5], g)).output.shape).toEqual([2, 1, 4]);
  });

  it('gradcheck over inputs and parameters', () => {
    const g = new Generator(7);
    const mha = new nn.MultiheadAttention(4, 2, { generator: g, kdim: 2 }).double();
    const q = rnd([2, 1, 4], g, { requiresGrad: true });
    const k = rnd([3, 1, 2], g, { requiresGrad: true });
    const v = rnd([3, 1, 4], g, { requiresGrad: true });
    expect(autograd.gradcheck((a, b, c) => mha.call(a, b, c).output, [q, k, v, ...mha.parameters()])).toBe(true);
  });

  it('dropout on the weights only in training mode', () => {
    const g = new Generator(8);
    const mha = new nn.MultiheadAttention(4, 2, { dropout: 0.5, generator: g }).double();
    const x = rnd([3, 1, 4], g);
    expect(flat(mha.call(x, x, x).weights!)).not.toEqual(flat(mha.call(x, x, x).weights!));
    mha.eval();
    expect(flat(mha.call(x, x, x).weights!)).toEqual(flat(mha.call(x, x, x).weights!));
  });

  it('errors name the layer and the shapes', () => {
    expect(() => new nn.MultiheadAttention(5, 2)).toThrow(/MultiheadAttention: embedDim 5 must be divisible by numHeads 2/);
    const mha = new nn.MultiheadAttention(4, 2);
    const q = zeros([3, 2, 4]);
    expect(() => mha.call(q, zeros([5, 2, 3]), zeros([5, 2, 4]))).toThrow(
      /MultiheadAttention: expected query \[L, N, 4\], key \[S, N, 4\] and value \[S, N, 4\], got \[3, 2, 4\], \[5, 2, 3\] and \[5, 2, 4\]/,
    );
    expect(() => mha.call(q, q, q, { attnMask: zeros([3, 4]) })).toThrow(/attnMask must have shape \[3, 3\] or \[4, 3, 3\]/);
    expect(() => mha.call(q, q, q, { keyPaddingMask: zeros([3, 3]) })).toThrow(/keyPaddingMask must have shape \[2, 3\]/);
    expect(() => mha.call(zeros([4]), zeros([4]), zeros([4]))).toThrow(ShapeError);
  });
});
