// The fused recurrences (lstmSequence, gruSequence) against the composite per-step path they
// replace: same weights, outputs and every gradient equal to float64 rounding, also second order
// (createGraph). One table drives both modes.
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, Tensor, autograd, nn } from '../../src/index.js';
import { rnnPaths } from '../../src/nn/functional/rnn.js';
import { relErr, rnd } from './helpers.js';

interface Case {
  name: string;
  layers: number;
  bidirectional: boolean;
  bias: boolean;
  batchFirst: boolean;
  shape: number[];
  withState: boolean;
}

const CASES: Case[] = [
  {
    name: 'one layer, batch first (the benchmark layout)',
    layers: 1,
    bidirectional: false,
    bias: true,
    batchFirst: true,
    shape: [3, 5, 4],
    withState: false,
  },
  {
    name: 'two layers, bidirectional, no bias, given initial states',
    layers: 2,
    bidirectional: true,
    bias: false,
    batchFirst: false,
    shape: [4, 2, 3],
    withState: true,
  },
  { name: 'unbatched input', layers: 1, bidirectional: true, bias: true, batchFirst: false, shape: [6, 3], withState: false },
];

/** What differs between the two recurrences. */
interface Mode {
  name: 'LSTM' | 'GRU';
  prim: string;
  setFused(on: boolean): void;
  make(inputSize: number, hidden: number, options: Record<string, unknown>): nn.LSTM | nn.GRU;
  /** The outputs to compare (output, hN and for the LSTM cN), with initial states when given. */
  forward(m: nn.LSTM | nn.GRU, x: Tensor, states: Tensor[] | null): Tensor[];
  /** Initial states per call: [h0] or [h0, c0]. */
  stateCount: number;
}

const MODES: Mode[] = [
  {
    name: 'LSTM',
    prim: 'lstmSequence',
    setFused: (on) => {
      rnnPaths.fusedLstm = on;
    },
    make: (i, h, o) => new nn.LSTM(i, h, o),
    forward: (m, x, s) => {
      const r = s ? (m as nn.LSTM).forward(x, [s[0]!, s[1]!]) : (m as nn.LSTM).forward(x);
      return [r.output, r.hN, r.cN];
    },
    stateCount: 2,
  },
  {
    name: 'GRU',
    prim: 'gruSequence',
    setFused: (on) => {
      rnnPaths.fusedGru = on;
    },
    make: (i, h, o) => new nn.GRU(i, h, o),
    forward: (m, x, s) => {
      const r = s ? (m as nn.GRU).forward(x, s[0]) : (m as nn.GRU).forward(x);
      return [r.output, r.hN];
    },
    stateCount: 1,
  },
];

/** Outputs and the gradients of a weighted sum of them w.r.t. the input, states and parameters. */
function run(mode: Mode, c: Case, fused: boolean, order: 1 | 2): Tensor[] {
  mode.setFused(fused);
  const g = new Generator(7);
  const m = mode.make(c.shape[c.shape.length - 1]!, 5, {
    numLayers: c.layers,
    bidirectional: c.bidirectional,
    bias: c.bias,
    batchFirst: c.batchFirst,
    dtype: 'float64',
    generator: g,
  });
  const x = rnd(c.shape, g, { requiresGrad: true });
  const d = c.bidirectional ? 2 : 1;
  const stateShape = c.shape.length === 3 ? [c.layers * d, c.shape[c.batchFirst ? 0 : 1]!, 5] : [c.layers * d, 5];
  const states = Array.from({ length: mode.stateCount }, () => rnd(stateShape, g, { requiresGrad: true }));
  const outs = mode.forward(m, x, c.withState ? states : null);
  const loss = outs.reduce((acc: Tensor, t) => acc.add(t.mul(rnd([...t.shape], g)).sum()), outs[0]!.sum().mul(0));
  const inputs = [x, ...(c.withState ? states : []), ...m.parameters()];
  const grads = autograd.grad(loss, inputs, { createGraph: order === 2 }) as Tensor[];
  if (order === 1) return [...outs, ...grads];
  // Second order: the gradient of a weighted sum of the first gradients.
  const second = grads.reduce((acc: Tensor, t) => acc.add(t.mul(t).sum()), grads[0]!.sum().mul(0));
  return autograd.grad(second, inputs) as Tensor[];
}

/** The name of every node reachable from `t` (to see which path ran). */
function nodeNames(t: Tensor): Set<string> {
  const seen = new Set<string>();
  const stack = [t.gradFn];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || seen.has(n.op)) continue;
    seen.add(n.op);
    stack.push(...n.nextFunctions.map(([f]) => f));
  }
  return seen;
}

for (const mode of MODES) {
  describe(`nn.${mode.name} fused recurrence`, () => {
    afterEach(() => mode.setFused(true));

    it(`runs ${mode.prim} when fused and per-step sigmoid/tanh otherwise`, () => {
      const g = new Generator(1);
      const m = mode.make(3, 4, { generator: g });
      const x = rnd([2, 2, 3], g, { dtype: 'float32', requiresGrad: true });
      expect(nodeNames(mode.forward(m, x, null)[0]!).has(mode.prim)).toBe(true);
      mode.setFused(false);
      const names = nodeNames(mode.forward(m, x, null)[0]!);
      expect(names.has(mode.prim)).toBe(false);
      expect(names.has('sigmoid')).toBe(true);
    });

    for (const c of CASES) {
      it(`${c.name}: outputs and all gradients equal the composite path (float64, 1e-12 relative)`, () => {
        const fused = run(mode, c, true, 1);
        const composite = run(mode, c, false, 1);
        expect(fused.length).toBe(composite.length);
        for (let i = 0; i < fused.length; i++) expect(relErr(fused[i]!, composite[i]!), `tensor ${i}`).toBeLessThanOrEqual(1e-12);
      });

      it(`${c.name}: second-order gradients (createGraph) equal the composite path`, () => {
        const fused = run(mode, c, true, 2);
        const composite = run(mode, c, false, 2);
        for (let i = 0; i < fused.length; i++) expect(relErr(fused[i]!, composite[i]!), `tensor ${i}`).toBeLessThanOrEqual(1e-11);
      });
    }

    it('float32 agrees with the composite path to float32 rounding', () => {
      const g = new Generator(3);
      const m = mode.make(8, 16, { batchFirst: true, generator: g });
      const x = rnd([4, 12, 8], g, { dtype: 'float32' });
      const grads = (fused: boolean): Tensor[] => {
        mode.setFused(fused);
        const [out, hN] = mode.forward(m, x, null);
        const loss = out!.sum().add(hN!.pow(2).sum());
        return [out!, ...(autograd.grad(loss, m.parameters()) as Tensor[])];
      };
      const a = grads(true);
      const b = grads(false);
      for (let i = 0; i < a.length; i++) expect(relErr(a[i]!, b[i]!), `tensor ${i}`).toBeLessThanOrEqual(2e-5);
    });
  });
}
