import { describe, expect, it } from 'vitest';
import {
  Generator,
  ShapeError,
  ValueError,
  DTypeError,
  Tensor,
  autograd,
  nn,
  stack,
  cat,
  zeros,
  manualSeed,
  noGrad,
} from '../../src/index.js';
import { rnd, flat, expectClose } from './helpers.js';

type Params = Record<string, Tensor>;

function params(m: nn.Module): Params {
  return Object.fromEntries(m.namedParameters());
}

/** Gate block `i` (of height h) of a stacked weight or bias. */
const gate = (t: Tensor, i: number, h: number): Tensor => t.narrow(0, i * h, h);
const lin = (x: Tensor, w: Tensor, b: Tensor): Tensor => x.matmul(w.T).add(b);

/** One LSTM step written out from the equations (gate order i, f, g, o). */
function lstmStep(x: Tensor, h: Tensor, c: Tensor, p: Params, sfx: string, H: number): [Tensor, Tensor] {
  const pre = (k: number): Tensor =>
    lin(x, gate(p[`weight_ih${sfx}`]!, k, H), gate(p[`bias_ih${sfx}`]!, k, H)).add(
      lin(h, gate(p[`weight_hh${sfx}`]!, k, H), gate(p[`bias_hh${sfx}`]!, k, H)),
    );
  const i = pre(0).sigmoid();
  const f = pre(1).sigmoid();
  const g = pre(2).tanh();
  const o = pre(3).sigmoid();
  const c2 = f.mul(c).add(i.mul(g));
  return [o.mul(c2.tanh()), c2];
}

/** One GRU step written out from the equations (gate order r, z, n; r multiplies W_hn·h + b_hn). */
function gruStep(x: Tensor, h: Tensor, p: Params, sfx: string, H: number): Tensor {
  const wi = (k: number): Tensor => lin(x, gate(p[`weight_ih${sfx}`]!, k, H), gate(p[`bias_ih${sfx}`]!, k, H));
  const wh = (k: number): Tensor => lin(h, gate(p[`weight_hh${sfx}`]!, k, H), gate(p[`bias_hh${sfx}`]!, k, H));
  const r = wi(0).add(wh(0)).sigmoid();
  const z = wi(1).add(wh(1)).sigmoid();
  const n = wi(2)
    .add(r.mul(wh(2)))
    .tanh();
  return z.neg().add(1).mul(n).add(z.mul(h));
}

/** Runs a layer stack over xs [T, N, in] with a per-step function, in both directions when asked. */
function reference(
  xs: Tensor,
  layers: number,
  dirs: number,
  H: number,
  step: (x: Tensor, s: Tensor[], sfx: string) => Tensor[],
  init: (i: number) => Tensor[],
): { out: Tensor; finals: Tensor[][] } {
  let input = xs;
  const finals: Tensor[][] = [];
  for (let l = 0; l < layers; l++) {
    const outs: Tensor[] = [];
    for (let d = 0; d < dirs; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      let s = init(l * dirs + d);
      const hs: Tensor[] = new Array(xs.shape[0]);
      const order = [...Array(xs.shape[0]).keys()];
      if (d === 1) order.reverse();
      for (const t of order) {
        s = step(input.select(0, t), s, sfx);
        hs[t] = s[0]!;
      }
      outs.push(stack(hs, 0));
      finals.push(s);
    }
    input = dirs === 1 ? outs[0]! : cat(outs, -1);
  }
  void H;
  return { out: input, finals };
}

describe('LSTM', () => {
  it('matches a step-by-step composition of the LSTM equations (2 layers, bidirectional, given h0/c0)', () => {
    const g = new Generator(1);
    const H = 3;
    const lstm = new nn.LSTM(2, H, { numLayers: 2, bidirectional: true, generator: g }).double();
    const p = params(lstm);
    const xs = rnd([4, 2, 2], g);
    const h0 = rnd([4, 2, H], g);
    const c0 = rnd([4, 2, H], g);
    const { output, hN, cN } = lstm.call(xs, [h0, c0]);
    const ref = reference(
      xs,
      2,
      2,
      H,
      (x, [h, c], sfx) => lstmStep(x, h!, c!, p, sfx, H),
      (i) => [h0.select(0, i), c0.select(0, i)],
    );
    expect(output.shape).toEqual([4, 2, 2 * H]);
    expectClose(output, flat(ref.out));
    expectClose(
      hN,
      flat(
        stack(
          ref.finals.map((s) => s[0]!),
          0,
        ),
      ),
    );
    expectClose(
      cN,
      flat(
        stack(
          ref.finals.map((s) => s[1]!),
          0,
        ),
      ),
    );
  });

  it('batchFirst and unbatched inputs give the same numbers as the default layout; zeros initial state', () => {
    const g = new Generator(2);
    const lstm = new nn.LSTM(3, 2, { generator: g }).double();
    const xs = rnd([5, 2, 3], g);
    const a = lstm.call(xs);
    const bf = new nn.LSTM(3, 2, { batchFirst: true }).double();
    bf.loadStateDict(lstm.stateDict());
    const b = bf.call(xs.transpose(0, 1));
    expectClose(b.output.transpose(0, 1), flat(a.output));
    const u = lstm.call(xs.select(1, 1));
    expect(u.output.shape).toEqual([5, 2]);
    expect(u.hN.shape).toEqual([1, 2]);
    expectClose(u.output, flat(a.output.select(1, 1)));
    const p = params(lstm);
    const z = zeros([2, 2], { dtype: 'float64' });
    const ref = reference(
      xs,
      1,
      1,
      2,
      (x, [h, c], sfx) => lstmStep(x, h!, c!, p, sfx, 2),
      () => [z, z],
    );
    expectClose(a.output, flat(ref.out));
  });

  it('gradcheck over the input, the initial state and every parameter', () => {
    const g = new Generator(3);
    const lstm = new nn.LSTM(2, 2, { bidirectional: true, generator: g }).double();
    const xs = rnd([3, 1, 2], g, { requiresGrad: true });
    const h0 = rnd([2, 1, 2], g, { requiresGrad: true });
    const c0 = rnd([2, 1, 2], g, { requiresGrad: true });
    const ps = lstm.parameters();
    expect(
      autograd.gradcheck(
        (x, h, c) => {
          const r = lstm.call(x, [h, c]);
          return [r.output, r.cN];
        },
        [xs, h0, c0, ...ps],
      ),
    ).toBe(true);
  });

  it('parameter names, shapes and PyTorch init bounds ±1/sqrt(hidden)', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, generator: new Generator(4) });
    const shapes = Object.fromEntries(lstm.namedParameters().map(([n, p]) => [n, p.shape]));
    expect(Object.keys(shapes)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_ih_l0_reverse',
      'weight_hh_l0_reverse',
      'bias_ih_l0_reverse',
      'bias_hh_l0_reverse',
      'weight_ih_l1',
      'weight_hh_l1',
      'bias_ih_l1',
      'bias_hh_l1',
      'weight_ih_l1_reverse',
      'weight_hh_l1_reverse',
      'bias_ih_l1_reverse',
      'bias_hh_l1_reverse',
    ]);
    expect(shapes.weight_ih_l0).toEqual([16, 3]);
    expect(shapes.weight_ih_l1).toEqual([16, 8]);
    expect(shapes.weight_hh_l1_reverse).toEqual([16, 4]);
    const all = lstm.parameters().flatMap((p) => flat(p));
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...all.map(Math.abs))).toBeGreaterThan(0.45);
    expect(new nn.LSTM(3, 4, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_hh_l0']);
  });

  it('dropout between layers only in training mode', () => {
    const lstm = new nn.LSTM(2, 3, { numLayers: 2, dropout: 0.5, generator: new Generator(5) }).double();
    const xs = rnd([4, 2, 2], new Generator(6));
    const a = lstm.call(xs).output;
    const b = lstm.call(xs).output;
    expect(flat(a)).not.toEqual(flat(b)); // different masks
    lstm.eval();
    expectClose(lstm.call(xs).output, flat(lstm.call(xs).output));
    const single = new nn.LSTM(2, 3, { numLayers: 1, dropout: 0.5 }).double();
    expectClose(single.call(xs).output, flat(single.call(xs).output)); // no layer after the last: no dropout
  });

  it('errors name the layer and the shapes', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.call(zeros([5, 2, 2]))).toThrow(
      /LSTM: expected the input's last dim to be inputSize=3, got input of shape \[5, 2, 2\]/,
    );
    expect(() => lstm.call(zeros([5, 2, 3]), [zeros([1, 2, 4]), zeros([2, 2, 4])])).toThrow(/LSTM: expected h0 of shape \[2, 2, 4\]/);
    expect(() => lstm.call(zeros([5, 2, 3]), [zeros([2, 2, 4]), zeros([2, 3, 4])])).toThrow(ShapeError);
    expect(() => lstm.call(zeros([5]))).toThrow(/LSTM: expected a 3-d input \[T, N, inputSize\]/);
    expect(() => lstm.call(zeros([5, 2, 3], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => new nn.LSTM(3, 0)).toThrow(/LSTM: hiddenSize must be >= 1, got 0/);
    expect(() => new nn.LSTM(3, 2, { dropout: 1.5 })).toThrow(ValueError);
  });
});

describe('GRU and RNN', () => {
  it('GRU matches a step-by-step composition of its equations', () => {
    const g = new Generator(7);
    const gru = new nn.GRU(2, 3, { numLayers: 2, bidirectional: true, generator: g }).double();
    const p = params(gru);
    const xs = rnd([3, 2, 2], g);
    const h0 = rnd([4, 2, 3], g);
    const { output, hN } = gru.call(xs, h0);
    const ref = reference(
      xs,
      2,
      2,
      3,
      (x, [h], sfx) => [gruStep(x, h!, p, sfx, 3)],
      (i) => [h0.select(0, i)],
    );
    expectClose(output, flat(ref.out));
    expectClose(
      hN,
      flat(
        stack(
          ref.finals.map((s) => s[0]!),
          0,
        ),
      ),
    );
  });

  it('RNN tanh and relu match h = act(W_ih x + b_ih + W_hh h + b_hh)', () => {
    for (const nonlinearity of ['tanh', 'relu'] as const) {
      const g = new Generator(8);
      const rnn = new nn.RNN(2, 3, { nonlinearity, batchFirst: true, generator: g }).double();
      const p = params(rnn);
      const xs = rnd([2, 4, 2], g);
      const { output, hN } = rnn.call(xs);
      let h = zeros([2, 3], { dtype: 'float64' });
      const hs: Tensor[] = [];
      for (let t = 0; t < 4; t++) {
        const pre = lin(xs.select(1, t), p.weight_ih_l0!, p.bias_ih_l0!).add(lin(h, p.weight_hh_l0!, p.bias_hh_l0!));
        h = nonlinearity === 'tanh' ? pre.tanh() : pre.relu();
        hs.push(h);
      }
      expectClose(output, flat(stack(hs, 1)));
      expectClose(hN, flat(h));
    }
  });

  it('gradcheck GRU and RNN over inputs and parameters', () => {
    const g = new Generator(9);
    const gru = new nn.GRU(2, 2, { numLayers: 2, generator: g }).double();
    const xs = rnd([3, 2, 2], g, { requiresGrad: true });
    expect(autograd.gradcheck((x) => gru.call(x).output, [xs, ...gru.parameters()])).toBe(true);
    const rnn = new nn.RNN(2, 2, { generator: g }).double();
    const h0 = rnd([1, 2, 2], g, { requiresGrad: true });
    expect(autograd.gradcheck((x, h) => rnn.call(x, h).hN, [xs, h0, ...rnn.parameters()])).toBe(true);
  });

  it('errors', () => {
    expect(() => new nn.RNN(2, 3, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(
      /RNN: nonlinearity must be one of 'tanh', 'relu', got 'sigmoid'/,
    );
    expect(() => new nn.GRU(2, 3).call(zeros([4, 2, 2]), zeros([1, 3, 3]))).toThrow(/GRU: expected h0 of shape \[1, 2, 3\]/);
  });
});

describe('cells', () => {
  it('LSTMCell, GRUCell and RNNCell equal one step of the equations; unbatched inputs', () => {
    const g = new Generator(10);
    const x = rnd([2, 3], g);
    const h = rnd([2, 4], g);
    const c = rnd([2, 4], g);
    const lc = new nn.LSTMCell(3, 4, { generator: g }).double();
    const p = params(lc);
    const alias = { weight_ih_x: p.weight_ih!, weight_hh_x: p.weight_hh!, bias_ih_x: p.bias_ih!, bias_hh_x: p.bias_hh! };
    const [h2, c2] = lstmStep(x, h, c, alias, '_x', 4);
    const out = lc.call(x, [h, c]);
    expectClose(out.h, flat(h2));
    expectClose(out.c, flat(c2));
    const u = lc.call(x.select(0, 0), [h.select(0, 0), c.select(0, 0)]);
    expectClose(u.h, flat(h2.select(0, 0)));
    const gc = new nn.GRUCell(3, 4, { generator: g }).double();
    const q = params(gc);
    expectClose(
      gc.call(x, h),
      flat(gruStep(x, h, { weight_ih_x: q.weight_ih!, weight_hh_x: q.weight_hh!, bias_ih_x: q.bias_ih!, bias_hh_x: q.bias_hh! }, '_x', 4)),
    );
    const rc = new nn.RNNCell(3, 4, { generator: g, nonlinearity: 'relu' }).double();
    const r = params(rc);
    expectClose(rc.call(x), flat(lin(x, r.weight_ih!, r.bias_ih!).add(r.bias_hh!).relu()));
  });

  it('gradcheck cells; errors', () => {
    const g = new Generator(11);
    const cell = new nn.LSTMCell(2, 2, { generator: g }).double();
    const x = rnd([2, 2], g, { requiresGrad: true });
    const h = rnd([2, 2], g, { requiresGrad: true });
    expect(autograd.gradcheck((a, b) => cell.call(a, [b, b]).c, [x, h, ...cell.parameters()])).toBe(true);
    expect(() => cell.call(zeros([2, 3]))).toThrow(/LSTMCell: expected input of shape \[N, 2\]/);
    expect(() => new nn.GRUCell(2, 3).call(zeros([2, 2]), zeros([2, 4]))).toThrow(
      /GRUCell: expected hidden state of shape \[2, 3\], got \[2, 4\]/,
    );
  });
});

describe('LSTM end to end', () => {
  it('learns to output the sign of the first input of a sequence (BCE below 0.1)', () => {
    manualSeed(0);
    const g = new Generator(12);
    const T = 6;
    const N = 32;
    const lstm = new nn.LSTM(1, 8, { generator: g });
    const head = new nn.Linear(8, 1, { generator: g });
    const xs = rnd([T, N, 1], g, { dtype: 'float32' });
    const y = xs.select(0, 0).gt(0).float(); // [N, 1]
    const ps = [...lstm.parameters(), ...head.parameters()];
    // Adam, written out.
    const m = ps.map((p) => zeros(p.shape));
    const v = ps.map((p) => zeros(p.shape));
    const lr = 0.03,
      b1 = 0.9,
      b2 = 0.999;
    let loss = Infinity;
    for (let step = 1; step <= 150; step++) {
      const logits = head.call(lstm.call(xs).hN.select(0, 0));
      const l = nn.F.binaryCrossEntropyWithLogits(logits, y);
      loss = l.item();
      for (const p of ps) p.grad = null;
      l.backward();
      noGrad(() =>
        ps.forEach((p, i) => {
          m[i] = m[i]!.mul(b1).add(p.grad!.mul(1 - b1));
          v[i] = v[i]!.mul(b2).add(p.grad!.mul(p.grad!).mul(1 - b2));
          const mh = m[i].div(1 - b1 ** step);
          const vh = v[i].div(1 - b2 ** step);
          p.sub_(mh.div(vh.sqrt().add(1e-8)).mul(lr));
        }),
      );
    }
    expect(loss).toBeLessThan(0.1);
  });
});
