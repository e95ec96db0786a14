/**
 * A/B timing of the LSTM and attention training paths, old and new in the same process,
 * interleaved: each round runs a block of training steps with one path, then a block with the
 * other (the order alternates per round), and records process CPU time per step
 * (`process.cpuUsage`, user + system, all threads). Prints the median per path and the ratios.
 *
 *   npx tsx scripts/perf-rnn-attn.ts [--rounds=12] [--steps=5] [--threads=1] [--only=lstm,gru,attn]
 *
 * Workloads (issue 12; the GRU with the LSTM's sizes as an extra): LSTM in 32, hidden 128, 32 steps, batch 32, batch first, last hidden state
 * → linear 128→10, cross-entropy, Adam; pre-LN encoder block, batch 16, 64×128, 4 heads, MLP
 * 128→256→128, mean over the sequence → linear 128→10, cross-entropy, Adam.
 * @module
 */
import { Generator, Tensor, nn, optim, randint, randn, setNumThreads } from '../src/index.js';
import { attentionPaths } from '../src/nn/functional/attention.js';
import { rnnPaths } from '../src/nn/functional/rnn.js';
import { RULES } from '../src/autograd/primitives.js';
import { mul, sub } from '../src/autograd/ops/elementwise.js';
import { sumSpec } from '../src/autograd/ops/reduce.js';
import { loadavg } from 'node:os';

// The old softmax backward (four ops), swapped in for the "old" runs of the attention workload.
const fusedSoftmaxBackward = RULES.softmax.backward!;
const compositeSoftmaxBackward: typeof fusedSoftmaxBackward = (g, n, { dim }) => {
  const [out] = n.savedTensors() as [Tensor];
  return [mul(out, sub(g, sumSpec(mul(g, out), { dims: [dim], keepdim: true })))];
};

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const rounds = Number(arg('rounds', '12'));
const steps = Number(arg('steps', '5'));
setNumThreads(Number(arg('threads', '1')));
const only = arg('only', 'lstm,gru,attn').split(',');

interface Workload {
  name: string;
  step: () => number;
  setPath: (fused: boolean) => void;
}

function lstmWorkload(): Workload {
  const g = new Generator(0);
  const lstm = new nn.LSTM(32, 128, { batchFirst: true, generator: g });
  const head = new nn.Linear(128, 10, { generator: g });
  const opt = new optim.Adam([...lstm.parameters(), ...head.parameters()], { lr: 1e-3 });
  const x = randn([32, 32, 32], { generator: g });
  const y = randint(0, 10, [32], { generator: g });
  const lossFn = new nn.CrossEntropyLoss();
  return {
    name: 'lstm (in 32, hidden 128, T 32, batch 32)',
    setPath: (fused) => {
      rnnPaths.fusedLstm = fused;
    },
    step: () => {
      opt.zeroGrad();
      const { hN } = lstm.forward(x);
      const loss = lossFn.forward(head.forward(hN.select(0, 0)), y);
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}

function gruWorkload(): Workload {
  const g = new Generator(2);
  const gru = new nn.GRU(32, 128, { batchFirst: true, generator: g });
  const head = new nn.Linear(128, 10, { generator: g });
  const opt = new optim.Adam([...gru.parameters(), ...head.parameters()], { lr: 1e-3 });
  const x = randn([32, 32, 32], { generator: g });
  const y = randint(0, 10, [32], { generator: g });
  const lossFn = new nn.CrossEntropyLoss();
  return {
    name: 'gru (in 32, hidden 128, T 32, batch 32)',
    setPath: (fused) => {
      rnnPaths.fusedGru = fused;
    },
    step: () => {
      opt.zeroGrad();
      const { hN } = gru.forward(x);
      const loss = lossFn.forward(head.forward(hN.select(0, 0)), y);
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}

function attnWorkload(): Workload {
  const g = new Generator(1);
  const e = 128;
  const ln1 = new nn.LayerNorm(e);
  const mha = new nn.MultiheadAttention(e, 4, { batchFirst: true, generator: g });
  const ln2 = new nn.LayerNorm(e);
  const fc1 = new nn.Linear(e, 256, { generator: g });
  const fc2 = new nn.Linear(256, e, { generator: g });
  const head = new nn.Linear(e, 10, { generator: g });
  const params = [ln1, mha, ln2, fc1, fc2, head].flatMap((m) => [...m.parameters()]);
  const opt = new optim.Adam(params, { lr: 1e-3 });
  const x = randn([16, 64, e], { generator: g });
  const y = randint(0, 10, [16], { generator: g });
  const lossFn = new nn.CrossEntropyLoss();
  return {
    name: 'attn (pre-LN block, batch 16, 64×128, 4 heads)',
    setPath: (fused) => {
      attentionPaths.batchedHeads = fused;
      RULES.softmax.backward = fused ? fusedSoftmaxBackward : compositeSoftmaxBackward;
    },
    step: () => {
      opt.zeroGrad();
      const a = ln1.forward(x);
      const h1 = x.add(mha.forward(a, a, a, { needWeights: false }).output);
      const h2 = h1.add(fc2.forward(fc1.forward(ln2.forward(h1)).relu()));
      const loss = lossFn.forward(head.forward(h2.mean(1)), y);
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

console.log(
  `load average at start: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}; rounds ${rounds} × ${steps} steps per path; threads ${arg('threads', '1')}`,
);
for (const make of [lstmWorkload, gruWorkload, attnWorkload]) {
  const w = make();
  if (!only.some((o) => w.name.startsWith(o))) continue;
  // Both paths give the same first loss (same weights, same batch) before anything is timed.
  const fresh = make();
  fresh.setPath(false);
  const oldLoss = fresh.step();
  const fresh2 = make();
  fresh2.setPath(true);
  const newLoss = fresh2.step();
  // Warm-up both paths.
  for (const p of [false, true, false, true]) {
    w.setPath(p);
    w.step();
  }
  const per: Record<'old' | 'new', number[]> = { old: [], new: [] };
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order: ('old' | 'new')[] = r % 2 ? ['new', 'old'] : ['old', 'new'];
    const got: Record<string, number> = {};
    for (const p of order) {
      w.setPath(p === 'new');
      const t0 = cpuMs();
      for (let s = 0; s < steps; s++) w.step();
      got[p] = (cpuMs() - t0) / steps;
      per[p].push(got[p]!);
    }
    ratios.push(got.old! / got.new!);
  }
  w.setPath(true);
  const mo = median(per.old);
  const mn = median(per.new);
  console.log(`${w.name}: first loss old ${oldLoss.toFixed(6)} new ${newLoss.toFixed(6)}`);
  console.log(
    `  CPU ms/step median: old ${mo.toFixed(2)}, new ${mn.toFixed(2)}; old/new of medians ${(mo / mn).toFixed(2)}×, median of per-round ratios ${median(ratios).toFixed(2)}× (range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
  );
}
console.log(
  `load average at end: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
