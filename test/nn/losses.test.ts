// Losses against independent float64 references written with plain loops and closed forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, nn, tensor } from '../../src/index.js';
import { expectClose, flat, rnd } from './helpers.js';

const F = nn.F;
type Red = 'mean' | 'sum' | 'none';

/** log-softmax of one row, in float64 with plain loops. */
function logSoftmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  const lse = m + Math.log(s);
  return row.map((v) => v - lse);
}

/** Reference cross-entropy for [N, C] logits with class-index targets, following PyTorch's documented formula. */
function refCrossEntropy(
  x: number[][],
  t: number[],
  opts: { weight?: number[]; ignoreIndex?: number; eps?: number; reduction: Red },
): number[] {
  const C = x[0]!.length;
  const ignore = opts.ignoreIndex ?? -100;
  const eps = opts.eps ?? 0;
  const w = (c: number): number => (opts.weight ? opts.weight[c]! : 1);
  const nll: number[] = [];
  const smooth: number[] = [];
  let denom = 0;
  x.forEach((row, i) => {
    const lp = logSoftmaxRow(row);
    if (t[i] === ignore) {
      nll.push(0);
      smooth.push(0);
      return;
    }
    nll.push(-w(t[i]!) * lp[t[i]!]!);
    let s = 0;
    for (let c = 0; c < C; c++) s -= w(c) * lp[c]!;
    smooth.push(s);
    denom += w(t[i]!);
  });
  const per = nll.map((v, i) => (1 - eps) * v + (eps / C) * smooth[i]!);
  if (opts.reduction === 'none') return per;
  const total = per.reduce((a, b) => a + b, 0);
  return [opts.reduction === 'sum' ? total : total / denom];
}

function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

describe('crossEntropy', () => {
  it('hand-computed values', () => {
    expectClose(F.crossEntropy(tensor([[0, 0]], { dtype: 'float64' }), tensor([1], { dtype: 'int32' })), Math.log(2));
    // logits [1, 2, 3], target 2: log(e + e² + e³) − 3
    expectClose(
      F.crossEntropy(tensor([1, 2, 3], { dtype: 'float64' }), tensor(2, { dtype: 'int32' })),
      Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3,
    );
  });

  it('matches the loop reference (weights, ignoreIndex, label smoothing, every reduction)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        fc.constantFrom(0, 0.1, 0.35),
        fc.constantFrom<Red>('mean', 'sum', 'none'),
        (n, c, seed, weighted, eps, reduction) => {
          const g = new Generator(seed);
          const x = rnd([n, c], g, { lo: -3, hi: 3 });
          const t = Array.from({ length: n }, (_, i) => (i > 0 && g.random() < 0.25 ? -100 : g.randint(0, c)));
          const weight = weighted ? Array.from({ length: c }, () => 0.5 + g.random()) : undefined;
          const got = F.crossEntropy(x, tensor(t, { dtype: 'int32' }), {
            weight: weight ? tensor(weight, { dtype: 'float64' }) : null,
            labelSmoothing: eps,
            reduction,
          });
          expectClose(got, refCrossEntropy(rows(x), t, { weight, eps, reduction }), 1e-10);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('K-dim inputs [N, C, d] equal the flattened [N·d, C] problem', () => {
    const g = new Generator(3);
    const x = rnd([2, 3, 4], g);
    const t = [0, 2, 1, 1, 2, 2, 0, 1];
    const got = F.crossEntropy(x, tensor(t, { dtype: 'int32' }).reshape([2, 4]), { reduction: 'none' });
    const xr = rows(x.permute(0, 2, 1).reshape([8, 3]));
    expectClose(got, refCrossEntropy(xr, t, { reduction: 'none' }));
    expect(got.shape).toEqual([2, 4]);
  });

  it('probability targets: −Σ w_c t′_c logp_c, mean over the batch', () => {
    const g = new Generator(5);
    const x = rnd([3, 4], g);
    const p = rnd([3, 4], g, { lo: 0, hi: 1 });
    const w = [0.5, 1, 1.5, 2];
    const eps = 0.2;
    const got = F.crossEntropy(x, p, { weight: tensor(w, { dtype: 'float64' }), labelSmoothing: eps });
    let total = 0;
    rows(x).forEach((row, i) => {
      const lp = logSoftmaxRow(row);
      const pr = rows(p)[i]!;
      for (let c = 0; c < 4; c++) total -= w[c]! * lp[c]! * ((1 - eps) * pr[c]! + eps / 4);
    });
    expectClose(got, total / 3);
  });

  it('gradient is (softmax − onehot) / N', () => {
    const g = new Generator(9);
    const x = rnd([4, 3], g, { requiresGrad: true });
    const t = [2, 0, 1, 1];
    F.crossEntropy(x, tensor(t, { dtype: 'int32' })).backward();
    const expected = rows(x.detach()).flatMap((row, i) => logSoftmaxRow(row).map((l, c) => (Math.exp(l) - (c === t[i] ? 1 : 0)) / 4));
    expectClose(x.grad!, expected);
  });

  it('is finite with finite gradients at logits ±1000', () => {
    const x = tensor(
      [
        [1000, -1000, 0],
        [-1000, 1000, 1000],
      ],
      { dtype: 'float32', requiresGrad: true },
    );
    const loss = F.crossEntropy(x, tensor([1, 0], { dtype: 'int32' }));
    loss.backward();
    expectClose(loss, (2000 + 2000 + Math.log(2)) / 2, 1e-6);
    expect(flat(x.grad!).every(Number.isFinite)).toBe(true);
  });

  it('all targets ignored gives NaN with mean (as PyTorch) and 0 with sum', () => {
    const x = tensor([[1, 2]], { dtype: 'float64' });
    const t = tensor([-100], { dtype: 'int32' });
    expect(Number.isNaN(F.crossEntropy(x, t).item())).toBe(true);
    expect(F.crossEntropy(x, t, { reduction: 'sum' }).item()).toBe(0);
  });
});

describe('nllLoss', () => {
  it('weighted mean divides by the sum of target weights', () => {
    const lp = tensor(
      [
        [-0.1, -2.3, -3],
        [-1, -0.5, -2],
        [-0.2, -0.4, -0.6],
      ],
      { dtype: 'float64' },
    );
    const got = F.nllLoss(lp, tensor([0, 2, 1], { dtype: 'int32' }), { weight: tensor([1, 2, 3], { dtype: 'float64' }) });
    expectClose(got, (1 * 0.1 + 3 * 2 + 2 * 0.4) / (1 + 3 + 2));
  });
});

describe('binary cross-entropy', () => {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));

  it('withLogits equals sigmoid + BCE where both are stable (weight, posWeight)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom<Red>('mean', 'sum', 'none'), (seed, reduction) => {
        const g = new Generator(seed);
        const x = rnd([3, 2], g, { lo: -5, hi: 5 });
        const y = rnd([3, 2], g, { lo: 0, hi: 1 });
        const w = rnd([3, 1], g, { lo: 0.5, hi: 2 });
        const pw = rnd([2], g, { lo: 0.5, hi: 3 });
        const got = F.binaryCrossEntropyWithLogits(x, y, { weight: w, posWeight: pw, reduction });
        const xs = flat(x),
          ys = flat(y),
          ws = flat(w),
          pws = flat(pw);
        const per = xs.map(
          (v, i) => -ws[Math.floor(i / 2)]! * (pws[i % 2]! * ys[i]! * Math.log(sig(v)) + (1 - ys[i]!) * Math.log(1 - sig(v))),
        );
        const total = per.reduce((a, b) => a + b, 0);
        expectClose(got, reduction === 'none' ? per : reduction === 'sum' ? total : total / 6, 1e-9);
        // Without posWeight it also equals the probability form of tapegrad itself.
        const viaProbs = F.binaryCrossEntropy(x.sigmoid(), y, { reduction });
        expectClose(F.binaryCrossEntropyWithLogits(x, y, { reduction }), flat(viaProbs), 1e-9);
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it('withLogits is exact and finite at logits ±1000, gradient σ(x) − y', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([1000, -1000, 1000, -1000, 0], { dtype, requiresGrad: true });
      const y = tensor([1, 0, 0, 1, 1], { dtype });
      const loss = F.binaryCrossEntropyWithLogits(x, y, { reduction: 'sum' });
      loss.backward();
      expectClose(loss, 2000 + Math.log(2), 1e-6);
      expectClose(x.grad!, [0, 0, 1, -1, -0.5], 1e-6);
    }
  });

  it('BCE clamps the log at −100 and keeps gradients finite', () => {
    const p = tensor([0, 1, 0.5], { dtype: 'float64', requiresGrad: true });
    const loss = F.binaryCrossEntropy(p, tensor([1, 0, 1], { dtype: 'float64' }), { reduction: 'none' });
    expectClose(loss, [100, 100, Math.log(2)]);
    loss.sum().backward();
    expect(flat(p.grad!).every(Number.isFinite)).toBe(true);
    expectClose([flat(p.grad!)[2]!], [-2]); // d/dp −log p = −1/p
  });
});

describe('regression losses', () => {
  const pairs = (seed: number): [Tensor, Tensor, number[]] => {
    const g = new Generator(seed);
    const a = rnd([2, 3], g, { lo: -3, hi: 3 });
    const b = rnd([2, 3], g, { lo: -3, hi: 3 });
    return [a, b, flat(a).map((v, i) => v - flat(b)[i]!)];
  };
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

  it('MSE, L1, Huber, SmoothL1 against loops', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.1, max: 2, noNaN: true }), (seed, k) => {
        const [a, b, d] = pairs(seed);
        expectClose(F.mseLoss(a, b), mean(d.map((v) => v * v)));
        expectClose(
          F.l1Loss(a, b, { reduction: 'sum' }),
          d.reduce((s, v) => s + Math.abs(v), 0),
        );
        expectClose(
          F.huberLoss(a, b, { delta: k, reduction: 'none' }),
          d.map((v) => (Math.abs(v) < k ? 0.5 * v * v : k * (Math.abs(v) - 0.5 * k))),
        );
        expectClose(F.smoothL1Loss(a, b, { beta: k }), mean(d.map((v) => (Math.abs(v) < k ? (0.5 * v * v) / k : Math.abs(v) - 0.5 * k))));
      }),
      { seed: 42, numRuns: 25 },
    );
  });

  it('SmoothL1 with beta 0 is L1', () => {
    const [a, b, d] = pairs(1);
    expectClose(F.smoothL1Loss(a, b, { beta: 0 }), mean(d.map(Math.abs)));
  });
});

describe('other losses', () => {
  it('klDiv: target·(log target − input), zero targets contribute 0; batchmean and logTarget', () => {
    const input = tensor(
      [
        [-1, -2],
        [-0.5, -3],
      ],
      { dtype: 'float64' },
    );
    const target = tensor(
      [
        [0.3, 0],
        [0.6, 0.4],
      ],
      { dtype: 'float64' },
    );
    const terms = [0.3 * (Math.log(0.3) + 1), 0, 0.6 * (Math.log(0.6) + 0.5), 0.4 * (Math.log(0.4) + 3)];
    const sum = terms.reduce((a, b) => a + b, 0);
    expectClose(F.klDiv(input, target, { reduction: 'none' }), terms);
    expectClose(F.klDiv(input, target), sum / 4);
    expectClose(F.klDiv(input, target, { reduction: 'batchmean' }), sum / 2);
    const lt = tensor(
      [
        [-1.2, -0.4],
        [-2, -0.1],
      ],
      { dtype: 'float64' },
    );
    const ltTerms = flat(lt).map((v, i) => Math.exp(v) * (v - flat(input)[i]!));
    expectClose(
      F.klDiv(input, lt, { logTarget: true, reduction: 'sum' }),
      ltTerms.reduce((a, b) => a + b, 0),
    );
  });

  it('cosineEmbeddingLoss against a loop', () => {
    const a = [
      [1, 2, 3],
      [0.5, -1, 2],
      [3, 0, -1],
    ];
    const b = [
      [2, 1, 0],
      [-1, 2, 0.5],
      [3, 0.1, -1],
    ];
    const y = [1, -1, -1];
    const margin = 0.1;
    const per = a.map((u, i) => {
      const v = b[i]!;
      const dot = u.reduce((s, x, j) => s + x * v[j]!, 0);
      const nu = u.reduce((s, x) => s + x * x, 0) + 1e-12;
      const nv = v.reduce((s, x) => s + x * x, 0) + 1e-12;
      const cos = dot / Math.sqrt(nu * nv);
      return y[i] === 1 ? 1 - cos : Math.max(0, cos - margin);
    });
    const got = F.cosineEmbeddingLoss(tensor(a, { dtype: 'float64' }), tensor(b, { dtype: 'float64' }), tensor(y, { dtype: 'int32' }), {
      margin,
      reduction: 'none',
    });
    expectClose(got, per);
  });

  it('marginRankingLoss hand value', () => {
    // max(0, −1·(1−2) + 0.5) = 1.5; max(0, −1·(2−1) + 0.5) = 0; max(0, 1·(3−1) + 0.5) = 2.5
    const got = F.marginRankingLoss(tensor([1, 2, 3]), tensor([2, 1, 1]), tensor([1, 1, -1]), { margin: 0.5, reduction: 'none' });
    expectClose(got, [1.5, 0, 2.5], 1e-6);
  });

  it('loss modules hold their options and weights as buffers', () => {
    const ce = new nn.CrossEntropyLoss({ weight: tensor([1, 2]), ignoreIndex: 3 });
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    ce.double();
    expect(ce.weight!.dtype).toBe('float64');
    expect(ce.toString()).toBe("CrossEntropyLoss(reduction='mean')");
    expect(() => new nn.MSELoss({ reduction: 'avg' as 'mean' })).toThrow(
      /MSELoss: reduction must be one of 'mean', 'sum', 'none', got 'avg'/,
    );
  });
});
