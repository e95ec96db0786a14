// Layer behaviour: Linear/Bilinear against loops and PyTorch init bounds, Dropout train/eval and
// scaling, Embedding padding, activations against closed forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, ValueError, manualSeed, nn, ones, tensor, zeros } from '../../src/index.js';
import { expectClose, flat, rnd } from './helpers.js';

describe('Linear', () => {
  it('computes x·Wᵀ + b like a loop, for batched inputs', () => {
    const g = new Generator(1);
    const lin = new nn.Linear(3, 2, { dtype: 'float64', generator: g });
    const x = rnd([2, 2, 3], g);
    const W = lin.weight.toArray() as number[][];
    const b = flat(lin.bias!);
    const xs = flat(x);
    const expected: number[] = [];
    for (let r = 0; r < 4; r++) for (let o = 0; o < 2; o++) expected.push(b[o]! + W[o]!.reduce((s, w, i) => s + w * xs[r * 3 + i]!, 0));
    expectClose(lin.call(x), expected);
    expect(lin.weight.shape).toEqual([2, 3]);
  });

  it('initialises weight and bias within ±1/√inFeatures (kaiming a=√5)', () => {
    manualSeed(0);
    const lin = new nn.Linear(64, 512);
    const bound = 1 / 8;
    const w = flat(lin.weight);
    const b = flat(lin.bias!);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...b.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(new nn.Linear(3, 2, { bias: false }).bias).toBeNull();
  });

  it('is reproducible under manualSeed', () => {
    manualSeed(3);
    const a = new nn.Linear(4, 4).weight.toArray();
    manualSeed(3);
    expect(new nn.Linear(4, 4).weight.toArray()).toEqual(a);
  });
});

describe('Bilinear', () => {
  it('computes x1ᵀ W[k] x2 + b[k] like a loop', () => {
    const g = new Generator(2);
    const bl = new nn.Bilinear(2, 3, 2, { dtype: 'float64', generator: g });
    const x1 = rnd([4, 2], g);
    const x2 = rnd([4, 3], g);
    const W = bl.weight.toArray() as number[][][];
    const b = flat(bl.bias!);
    const a1 = x1.toArray() as number[][];
    const a2 = x2.toArray() as number[][];
    const expected: number[] = [];
    for (let n = 0; n < 4; n++) {
      for (let k = 0; k < 2; k++) {
        let s = b[k]!;
        for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) s += a1[n]![i]! * W[k]![i]![j]! * a2[n]![j]!;
        expected.push(s);
      }
    }
    expectClose(bl.call(x1, x2), expected);
    const bound = 1 / Math.sqrt(2);
    expect(Math.max(...flat(bl.weight).map(Math.abs))).toBeLessThanOrEqual(bound);
  });
});

describe('Dropout', () => {
  it('in training zeroes about p of the elements and scales the rest by 1/(1−p)', () => {
    manualSeed(0);
    const d = new nn.Dropout(0.3);
    const out = flat(d.call(ones([10000])));
    const zerosCount = out.filter((v) => v === 0).length;
    expect(zerosCount / 10000).toBeGreaterThan(0.27);
    expect(zerosCount / 10000).toBeLessThan(0.33);
    const kept = out.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
  });

  it('is the identity in eval mode and for p = 0; p = 1 gives zeros', () => {
    const x = rnd([3, 3], new Generator(0));
    const d = new nn.Dropout(0.5);
    d.eval();
    expect(d.call(x)).toBe(x);
    expect(new nn.Dropout(0).call(x)).toBe(x);
    expect(flat(new nn.Dropout(1).call(x)).every((v) => v === 0)).toBe(true);
  });

  it('masks are reproducible with manualSeed and the gradient uses the same mask', () => {
    manualSeed(5);
    const a = flat(new nn.Dropout(0.5).call(ones([50])));
    manualSeed(5);
    const x = ones([50], { requiresGrad: true });
    const y = new nn.Dropout(0.5).call(x);
    expect(flat(y)).toEqual(a);
    y.sum().backward();
    expect(flat(x.grad!)).toEqual(a);
  });

  it('validates p', () => {
    expect(() => new nn.Dropout(-0.1)).toThrow(ValueError);
    expect(() => nn.F.dropout(ones([2]), { p: Number.NaN })).toThrow(/nn.F.dropout: p must be a finite number, got NaN/);
  });
});

describe('Embedding', () => {
  it('looks up rows; the padding row starts at zero and gets no gradient', () => {
    const emb = new nn.Embedding(4, 2, { paddingIdx: 0 });
    expect(flat(emb.weight.select(0, 0))).toEqual([0, 0]);
    const idx = tensor(
      [
        [0, 2],
        [2, 3],
      ],
      { dtype: 'int32' },
    );
    const out = emb.call(idx);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(out.select(0, 1).select(0, 0).toArray()).toEqual(emb.weight.select(0, 2).toArray());
    out.sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [2, 2],
      [1, 1],
    ]);
  });

  it('a trained padding row still reads its value but stays without gradient', () => {
    const emb = nn.Embedding.fromPretrained(
      tensor([
        [5, 5],
        [1, 2],
      ]),
      { freeze: false, paddingIdx: 0 },
    );
    const out = emb.call(tensor([0, 1, 0], { dtype: 'int32' }));
    expect(out.toArray()).toEqual([
      [5, 5],
      [1, 2],
      [5, 5],
    ]);
    out
      .mul(
        tensor([
          [1, 1],
          [2, 3],
          [1, 1],
        ]),
      )
      .sum()
      .backward();
    expect(emb.weight.grad!.toArray()).toEqual([
      [0, 0],
      [2, 3],
    ]);
    expect(nn.Embedding.fromPretrained(tensor([[1, 2]])).weight.requiresGrad).toBe(false);
  });

  it('maxNorm renormalises the looked-up rows', () => {
    const emb = nn.Embedding.fromPretrained(
      tensor([
        [3, 4],
        [0.3, 0.4],
      ]),
      { maxNorm: 1 },
    );
    emb.call(tensor([0], { dtype: 'int32' }));
    expectClose(emb.weight.select(0, 0), [0.6, 0.8], 1e-5);
    expectClose(emb.weight.select(0, 1), [0.3, 0.4], 1e-7);
  });
});

describe('activations', () => {
  const refs: [string, nn.Module, (v: number) => number][] = [
    ['Sigmoid', new nn.Sigmoid(), (v) => 1 / (1 + Math.exp(-v))],
    ['Tanh', new nn.Tanh(), Math.tanh],
    ['ReLU', new nn.ReLU(), (v) => Math.max(v, 0)],
    ['LeakyReLU', new nn.LeakyReLU(0.2), (v) => (v > 0 ? v : 0.2 * v)],
    ['ELU', new nn.ELU(2), (v) => (v > 0 ? v : 2 * (Math.exp(v) - 1))],
    [
      'GELU(tanh)',
      new nn.GELU({ approximate: 'tanh' }),
      (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
    ],
    ['SiLU', new nn.SiLU(), (v) => v / (1 + Math.exp(-v))],
    ['Softplus', new nn.Softplus({ beta: 2 }), (v) => Math.log1p(Math.exp(2 * v)) / 2],
    ['Mish', new nn.Mish(), (v) => v * Math.tanh(Math.log1p(Math.exp(v)))],
    ['Hardtanh', new nn.Hardtanh(-0.5, 1), (v) => Math.min(1, Math.max(-0.5, v))],
    ['Step', new nn.Step(), (v) => (v > 0 ? 1 : 0)],
  ];
  for (const [name, m, ref] of refs) {
    it(`${name} matches its closed form`, () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 1, maxLength: 8 }), (vals) => {
          expectClose(m.call(tensor(vals, { dtype: 'float64' })), vals.map(ref), 1e-12);
        }),
        { seed: 42, numRuns: 20 },
      );
    });
  }

  it('exact GELU at known points: x·Φ(x)', () => {
    expectClose(new nn.GELU().call(tensor([0, 1, -1], { dtype: 'float64' })), [0, 0.8413447460685429, -0.15865525393145707], 1e-12);
  });

  it('Step and Heaviside have zero gradient', () => {
    const x = tensor([-1, 0.5, 2], { requiresGrad: true });
    new nn.Heaviside(0.5)
      .call(x)
      .mul(tensor([1, 2, 3]))
      .sum()
      .backward();
    expect(flat(x.grad!)).toEqual([0, 0, 0]);
    expect(new nn.Heaviside(0.5).call(tensor([-1, 0, 1])).toArray()).toEqual([0, 0.5, 1]);
  });

  it('Softmax/LogSoftmax along the given dim', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      { dtype: 'float64' },
    );
    const p = new nn.Softmax(1).call(x);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0]! + e[1]! + e[2]!;
    expectClose(p, [...e.map((v) => v / s), 1 / 3, 1 / 3, 1 / 3]);
    expectClose(
      new nn.LogSoftmax(0).call(x),
      flat(x).map((v, i) => v - Math.log(Math.exp(v) + Math.exp(flat(x)[(i + 3) % 6]!))),
    );
  });
});

describe('MLP end to end', () => {
  it('learns XOR with plain SGD (lr 1, 400 steps) to a loss below 0.01 (seed 0)', () => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
    const x = tensor([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = tensor([[0], [1], [1], [0]]);
    const lossFn = new nn.BCEWithLogitsLoss();
    let loss: Tensor = zeros([]);
    for (let step = 0; step < 400; step++) {
      model.zeroGrad();
      loss = lossFn.call(model.call(x), y);
      loss.backward();
      for (const p of model.parameters()) {
        // a hand-written SGD step, outside the tape
        p.data.sub_(p.grad!);
      }
    }
    expect(loss.item()).toBeLessThan(0.01);
    const pred = flat(model.call(x).sigmoid()).map((v) => (v > 0.5 ? 1 : 0));
    expect(pred).toEqual([0, 1, 1, 0]);
  });
});
