// Multi-head attention's batch-first path (one QKV GEMM for self-attention, heads as views)
// against the earlier path: same module, outputs, weights and every gradient equal in float64.
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, Tensor, autograd, nn, tensor } from '../../src/index.js';
import { attentionPaths } from '../../src/nn/functional/attention.js';
import { relErr, rnd } from './helpers.js';

interface Case {
  name: string;
  batchFirst: boolean;
  shape: number[];
  self: boolean;
  kdim?: number;
  mask: boolean;
}

const CASES: Case[] = [
  { name: 'self-attention, batch first (the benchmark layout)', batchFirst: true, shape: [3, 5, 8], self: true, mask: false },
  { name: 'self-attention, sequence first, with masks', batchFirst: false, shape: [5, 3, 8], self: true, mask: true },
  { name: 'separate query, key and value', batchFirst: true, shape: [2, 4, 8], self: false, mask: false },
  { name: 'separate q/k/v projections (kdim)', batchFirst: true, shape: [2, 4, 8], self: false, kdim: 6, mask: false },
  { name: 'unbatched self-attention', batchFirst: false, shape: [4, 8], self: true, mask: false },
];

function run(c: Case, fast: boolean): Tensor[] {
  attentionPaths.batchedHeads = fast;
  const g = new Generator(11);
  const mha = new nn.MultiheadAttention(8, 2, {
    batchFirst: c.batchFirst,
    dtype: 'float64',
    generator: g,
    ...(c.kdim ? { kdim: c.kdim, vdim: c.kdim } : {}),
  });
  const q = rnd(c.shape, g, { requiresGrad: true });
  const kvShape = c.kdim ? [...c.shape.slice(0, -1), c.kdim] : c.shape;
  const k = c.self ? q : rnd(kvShape, g, { requiresGrad: true });
  const v = c.self ? q : rnd(kvShape, g, { requiresGrad: true });
  const len = c.shape[c.batchFirst ? 1 : 0]!;
  const opts = c.mask
    ? {
        attnMask: rnd([len, len], g),
        keyPaddingMask: tensor(
          [
            [false, false, true, false, false],
            [false, false, false, false, false],
            [true, false, false, false, false],
          ].map((r) => r.slice(0, len)),
        ),
      }
    : {};
  const { output, weights } = mha.forward(q, k, v, { ...opts, averageAttnWeights: false });
  const loss = output
    .mul(rnd([...output.shape], g))
    .sum()
    .add(weights!.mul(rnd([...weights!.shape], g)).sum());
  const inputs = [...new Set([q, k, v])];
  return [output, weights!, ...(autograd.grad(loss, [...inputs, ...mha.parameters()]) as Tensor[])];
}

describe('nn.MultiheadAttention batch-first path', () => {
  afterEach(() => {
    attentionPaths.batchedHeads = true;
  });
  for (const c of CASES) {
    it(`${c.name}: output, weights and all gradients equal the earlier path (float64, 1e-12 relative)`, () => {
      const a = run(c, true);
      const b = run(c, false);
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) expect(relErr(a[i]!, b[i]!), `tensor ${i}`).toBeLessThanOrEqual(1e-12);
    });
  }
});
