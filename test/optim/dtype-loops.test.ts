// Adam/AdamW and SGD run one update loop per dtype and variant (float32 / float64, AMSGrad, momentum,
// Nesterov, the momentum buffer's first step). Each variant, in each dtype, against the independent
// float64 references of reference.ts, fed the same gradients (rounded to float32 for float32
// parameters). Float64 must match to 1e-12; float32 to float32 precision, since the parameter and
// the state are stored rounded. One optimizer holds a float32 and a float64 parameter, so every step
// also switches between the loops.
import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { closeArrays } from './objective.js';
import * as R from './reference.js';

const N32 = 48;
const N64 = 40;

/** A deterministic gradient for entry i at step t, of size ~1 (varying signs and magnitudes). */
function gradAt(i: number, t: number): number {
  return Math.sin(0.37 * i + 1.1 * t) * (1 + (i % 5)) + 0.25 * Math.cos(0.9 * t - 0.2 * i);
}

function start(n: number, shift: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.cos(0.5 * i + shift) * 2);
}

interface Case {
  name: string;
  make: (p: Tensor[], o: Record<string, unknown>) => optim.Optimizer;
  ref: (h: Record<string, unknown>) => R.Stepper;
  options: Record<string, unknown>;
}
const cases: Case[] = [];
const adam = (p: Tensor[], o: Record<string, unknown>): optim.Optimizer => new optim.Adam(p, o);
const adamW = (p: Tensor[], o: Record<string, unknown>): optim.Optimizer => new optim.AdamW(p, o);
const sgd = (p: Tensor[], o: Record<string, unknown>): optim.Optimizer => new optim.SGD(p, o);
for (const options of [
  { lr: 0.05 },
  { lr: 0.05, amsgrad: true, betas: [0.8, 0.95] },
  { lr: 0.05, weightDecay: 0.1, maximize: true },
  { lr: 0.05, weightDecay: 0.2, decoupledWeightDecay: true, amsgrad: true },
])
  cases.push({ name: `Adam ${JSON.stringify(options)}`, make: adam, ref: (h) => R.refAdam(h), options });
cases.push({
  name: 'AdamW {"lr":0.05,"weightDecay":0.3}',
  make: adamW,
  ref: (h) => R.refAdam(h, true),
  options: { lr: 0.05, weightDecay: 0.3 },
});
for (const options of [
  { lr: 0.02 },
  { lr: 0.02, weightDecay: 0.1, maximize: true },
  { lr: 0.02, momentum: 0.9 },
  { lr: 0.02, momentum: 0.8, dampening: 0.3, weightDecay: 0.05 },
  { lr: 0.02, momentum: 0.9, nesterov: true },
  { lr: 0.02, momentum: 0.7, nesterov: true, maximize: true },
])
  cases.push({ name: `SGD ${JSON.stringify(options)}`, make: sgd, ref: R.refSGD, options });

describe('optimizer update loops per dtype (float32 and float64 parameters in one optimizer, 15 steps)', () => {
  it.each(cases)('$name', ({ make, ref, options }) => {
    const p32 = tensor(start(N32, 0.3), { dtype: 'float32', requiresGrad: true });
    const p64 = tensor(start(N64, 1.7), { dtype: 'float64', requiresGrad: true });
    const opt = make([p32, p64], options);
    const ref32 = ref(options);
    const ref64 = ref(options);
    const theta32 = Array.from(p32.dataSync()); // the float32-rounded start
    const theta64 = start(N64, 1.7);
    for (let t = 1; t <= 15; t++) {
      const g32 = Array.from({ length: N32 }, (_, i) => Math.fround(gradAt(i, t)));
      const g64 = Array.from({ length: N64 }, (_, i) => gradAt(i + 100, t));
      p32.grad = tensor(g32, { dtype: 'float32' });
      p64.grad = tensor(g64, { dtype: 'float64' });
      opt.step();
      ref32(theta32, g32);
      ref64(theta64, g64);
      expect(closeArrays(Array.from(p64.dataSync()), theta64, 1e-12, `float64, step ${t}`)).toBeNull();
      expect(closeArrays(Array.from(p32.dataSync()), theta32, 2e-6, `float32, step ${t}`)).toBeNull();
    }
    // Both parameters moved (a skipped update would leave one at its start).
    expect(closeArrays(Array.from(p32.dataSync()), start(N32, 0.3), 1e-2, 'float32 moved')).not.toBeNull();
    expect(closeArrays(Array.from(p64.dataSync()), start(N64, 1.7), 1e-2, 'float64 moved')).not.toBeNull();
  });
});
