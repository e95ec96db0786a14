// PyTorch's call forms of the schedulers: positional arguments in PyTorch's order, an options
// object, or both, give the same schedule, checked against PyTorch's closed forms.
import { describe, expect, it } from 'vitest';
import { optim, zeros, ArgumentTypeError, NotImplementedError, ValueError } from '../../src/index.js';

type Any = any;
const S = optim.lrScheduler;
const base = 0.1;
const sgd = () => new optim.SGD([zeros([1], { requiresGrad: true })], base, 0.9);

/** The lr of epochs 0..n-1. */
function sequence(make: (opt: optim.SGD) => { step(): void }, n: number): number[] {
  const opt = sgd();
  const sched = make(opt);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(opt.paramGroups[0]!.lr);
    opt.step();
    sched.step();
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_v, i) => i);

interface Case {
  name: string;
  forms: ((opt: optim.SGD) => { step(): void })[];
  closed: (epoch: number) => number;
  n: number;
}

const cases: Case[] = [
  {
    name: 'StepLR(opt, stepSize, gamma)',
    forms: [(o) => new S.StepLR(o, 3, 0.5), (o) => new S.StepLR(o, { stepSize: 3, gamma: 0.5 }), (o) => new S.StepLR(o, 3, { gamma: 0.5 })],
    closed: (e) => base * 0.5 ** Math.floor(e / 3),
    n: 10,
  },
  {
    name: 'MultiStepLR(opt, milestones, gamma)',
    forms: [(o) => new S.MultiStepLR(o, [2, 5], 0.3), (o) => new S.MultiStepLR(o, { milestones: [2, 5], gamma: 0.3 })],
    closed: (e) => base * 0.3 ** [2, 5].filter((m) => m <= e).length,
    n: 8,
  },
  {
    name: 'ExponentialLR(opt, gamma)',
    forms: [(o) => new S.ExponentialLR(o, 0.8), (o) => new S.ExponentialLR(o, { gamma: 0.8 })],
    closed: (e) => base * 0.8 ** e,
    n: 6,
  },
  {
    name: 'LinearLR(opt, startFactor, endFactor, totalIters)',
    forms: [
      (o) => new S.LinearLR(o, 0.2, 0.9, 4),
      (o) => new S.LinearLR(o, { startFactor: 0.2, endFactor: 0.9, totalIters: 4 }),
      (o) => new S.LinearLR(o, 0.2, { endFactor: 0.9, totalIters: 4 }),
    ],
    closed: (e) => base * (0.2 + ((0.9 - 0.2) * Math.min(e, 4)) / 4),
    n: 7,
  },
  {
    name: 'LambdaLR(opt, lrLambda)',
    forms: [(o) => new S.LambdaLR(o, (e: number) => 1 / (e + 1)), (o) => new S.LambdaLR(o, { lrLambda: (e: number) => 1 / (e + 1) })],
    closed: (e) => base / (e + 1),
    n: 5,
  },
  {
    name: 'CosineAnnealingLR(opt, tMax, etaMin)',
    forms: [
      (o) => new S.CosineAnnealingLR(o, 8, 0.01),
      (o) => new S.CosineAnnealingLR(o, { tMax: 8, etaMin: 0.01 }),
      (o) => new S.CosineAnnealingLR(o, 8, { etaMin: 0.01 }),
    ],
    closed: (e) => 0.01 + ((base - 0.01) * (1 + Math.cos((Math.PI * e) / 8))) / 2,
    n: 9,
  },
  {
    name: 'CosineAnnealingWarmRestarts(opt, t0, tMult, etaMin)',
    forms: [(o) => new S.CosineAnnealingWarmRestarts(o, 4, 1, 0.01), (o) => new S.CosineAnnealingWarmRestarts(o, { t0: 4, etaMin: 0.01 })],
    closed: (e) => 0.01 + ((base - 0.01) * (1 + Math.cos((Math.PI * (e % 4)) / 4))) / 2,
    n: 10,
  },
  {
    name: 'CyclicLR(opt, baseLr, maxLr, stepSizeUp) triangular',
    forms: [
      (o) => new S.CyclicLR(o, 0.01, 0.1, 3),
      (o) => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3 }),
      (o) => new S.CyclicLR(o, 0.01, 0.1, { stepSizeUp: 3 }),
    ],
    // PyTorch's closed form: x = |e/s - 2c + 1| with c = ⌊1 + e/(2s)⌋; lr = base + (max - base)·max(0, 1 - x).
    closed: (e) => {
      const c = Math.floor(1 + e / 6);
      const x = Math.abs(e / 3 - 2 * c + 1);
      return 0.01 + (0.1 - 0.01) * Math.max(0, 1 - x);
    },
    n: 12,
  },
  {
    name: 'ConstantLR(opt, factor, totalIters)',
    forms: [(o) => new S.ConstantLR(o, 0.5, 3), (o) => new S.ConstantLR(o, { factor: 0.5, totalIters: 3 })],
    closed: (e) => base * (e < 3 ? 0.5 : 1),
    n: 6,
  },
  {
    name: 'MultiplicativeLR(opt, lrLambda)',
    forms: [(o) => new S.MultiplicativeLR(o, () => 0.9), (o) => new S.MultiplicativeLR(o, { lrLambda: () => 0.9 })],
    closed: (e) => base * 0.9 ** e,
    n: 5,
  },
  {
    name: 'PolynomialLR(opt, totalIters, power)',
    forms: [(o) => new S.PolynomialLR(o, 4, 2), (o) => new S.PolynomialLR(o, { totalIters: 4, power: 2 })],
    closed: (e) => base * (1 - Math.min(e, 4) / 4) ** 2,
    n: 6,
  },
];

describe('scheduler call forms', () => {
  it.each(cases)('$name', ({ forms, closed, n }) => {
    const want = range(n).map(closed);
    for (const make of forms) sequence(make, n).forEach((lr, i) => expect(lr).toBeCloseTo(want[i]!, 12));
  });

  it('OneCycleLR(opt, maxLr, totalSteps) and its epochs × stepsPerEpoch form', () => {
    const a = sequence((o) => new S.OneCycleLR(o, 0.5, 10), 10);
    const b = sequence((o) => new S.OneCycleLR(o, 0.5, null, 2, 5), 10);
    const c = sequence((o) => new S.OneCycleLR(o, { maxLr: 0.5, epochs: 2, stepsPerEpoch: 5 }), 10);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // Starts at maxLr / divFactor, peaks at maxLr at step pctStart·total - 1 = 2, ends at initial / finalDivFactor.
    expect(a[0]).toBeCloseTo(0.5 / 25, 12);
    expect(a[2]).toBeCloseTo(0.5, 12);
    expect(a[9]).toBeCloseTo(0.5 / 25 / 1e4, 12);
  });

  it('ReduceLROnPlateau(opt, mode, factor, patience, ...) mixed with options', () => {
    const run = (make: (o: optim.SGD) => optim.lrScheduler.ReduceLROnPlateau) => {
      const opt = sgd();
      const sched = make(opt);
      return [5, 4, 4, 4, 4, 4].map((m) => (sched.step(m), opt.paramGroups[0]!.lr));
    };
    // Improvement at 4, then bad epochs 1, 2 (≤ patience 1 after the first): reduce by 0.5 at the 2nd bad epoch, cooldown 0.
    const want = [0.1, 0.1, 0.1, 0.05, 0.05, 0.025];
    for (const make of [
      (o: optim.SGD) => new S.ReduceLROnPlateau(o, 'min', 0.5, 1),
      (o: optim.SGD) => new S.ReduceLROnPlateau(o, 'min', { factor: 0.5, patience: 1 }),
      (o: optim.SGD) => new S.ReduceLROnPlateau(o, { mode: 'min', factor: 0.5, patience: 1 }),
      (o: optim.SGD) => new S.ReduceLROnPlateau(o, 'min', 0.5, 1, 1e-4, 'rel', 0, 0, 1e-8),
    ])
      run(make).forEach((lr, i) => expect(lr).toBeCloseTo(want[i]!, 12));
    const mixed = new S.ReduceLROnPlateau(sgd(), 'min', { patience: 2 });
    expect([mixed.mode, mixed.patience, mixed.factor]).toEqual(['min', 2, 0.1]);
  });

  it('SequentialLR(opt, schedulers, milestones) positionally or as options', () => {
    const make = (options: boolean) => (o: optim.SGD) => {
      const warm = new S.LinearLR(o, 0.5, 1, 2);
      const decay = new S.ExponentialLR(o, 0.5);
      return options ? new S.SequentialLR(o, { schedulers: [warm, decay], milestones: [2] }) : new S.SequentialLR(o, [warm, decay], [2]);
    };
    const want = [0.05, 0.075, 0.1, 0.05, 0.025];
    for (const opts of [false, true]) sequence(make(opts), 5).forEach((lr, i) => expect(lr).toBeCloseTo(want[i]!, 12));
  });

  it('ChainedScheduler([a, b]) multiplies the chained schedules', () => {
    // ConstantLR(0.1, 2) × ExponentialLR(0.9): base · (e < 2 ? 0.1 : 1) · 0.9^e.
    const got = sequence((o) => new S.ChainedScheduler([new S.ConstantLR(o, 0.1, 2), new S.ExponentialLR(o, 0.9)]), 5);
    got.forEach((lr, i) => expect(lr).toBeCloseTo(base * (i < 2 ? 0.1 : 1) * 0.9 ** i, 12));
    expect(() => new (S.ChainedScheduler as Any)(new S.ExponentialLR(sgd(), 0.9))).toThrow(ArgumentTypeError);
    expect(() => new S.ChainedScheduler([new S.ExponentialLR(sgd(), 0.9), new S.ExponentialLR(sgd(), 0.9)])).toThrow(/different optimizer/);
  });

  it('rejects what PyTorch spells differently, misses, or tapegrad does not implement', () => {
    expect(() => new S.StepLR(sgd(), { step_size: 3 } as Any)).toThrow(/did you mean 'stepSize'/);
    expect(() => new (S.StepLR as Any)(sgd())).toThrow(ArgumentTypeError);
    expect(() => new S.StepLR(sgd(), 3, 0.5, { gamma: 0.5 } as Any)).toThrow(/got 'gamma' twice/);
    expect(() => new S.ExponentialLR(sgd(), 0.9, -1, true)).toThrow(NotImplementedError);
    expect(() => new S.CosineAnnealingLR(sgd(), { T_max: 5 } as Any)).toThrow(ValueError);
    expect(() => new S.CyclicLR(sgd(), 0.01, 0.1, { mode: 'exp_range' })).not.toThrow();
    expect(() => new S.CyclicLR(sgd(), [0.01, 0.02], 0.1)).toThrow(/baseLr has 2 values but the optimizer has 1 parameter groups/);
    expect(() => new S.OneCycleLR(sgd(), 0.1, { total_steps: 10 } as Any)).toThrow(/did you mean 'totalSteps'/);
    expect(() => new S.ReduceLROnPlateau(sgd(), 'min', { min_lr: 1e-5 } as Any)).toThrow(/did you mean 'minLr'/);
    expect(() => new S.ReduceLROnPlateau(sgd(), 'lowest' as Any)).toThrow(/mode must be one of 'min', 'max', got 'lowest'/);
    expect(() => new S.StepLR(null as Any, 3)).toThrow(ArgumentTypeError);
  });

  it("step(epoch) jumps as PyTorch's deprecated form does; SequentialLR.step takes no epoch", () => {
    const opt = sgd();
    const s = new S.ExponentialLR(opt, 0.5);
    s.step(3);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(base * 0.125, 12);
    const o2 = sgd();
    const wr = new S.CosineAnnealingWarmRestarts(o2, 4, 1, 0);
    wr.step(5.5); // a fractional epoch: T_cur = 1.5 of a period of 4
    expect(o2.paramGroups[0]!.lr).toBeCloseTo((base * (1 + Math.cos((Math.PI * 1.5) / 4))) / 2, 12);
    const o3 = sgd();
    const seq = new S.SequentialLR(o3, [new S.ExponentialLR(o3, 0.5)], []);
    expect(() => (seq.step as Any)(3)).toThrow(/SequentialLR\.step: too many arguments/);
  });
});
