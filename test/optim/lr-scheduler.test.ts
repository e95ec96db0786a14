// Each scheduler's lr sequence (the value after construction, then after each of 30 steps) against
// its closed form written here; plus momentum cycling, state dicts and errors.
import { describe, expect, it } from 'vitest';
import { optim, zeros, ValueError } from '../../src/index.js';

const { lrScheduler: S } = optim;
const param = () => zeros([1], { requiresGrad: true });
const sgd = (lr = 0.1, extra: Partial<optim.SGDOptions> = {}) => new optim.SGD([param()], { lr, ...extra });

/** lrs[e] for e = 0..steps: one reading after construction, then one per step. */
function sequence(sched: { step(): void; getLastLr(): number[] }, opt: optim.Optimizer, steps = 30, group = 0): number[] {
  const out = [opt.paramGroups[group]!.lr];
  expect(sched.getLastLr()[group]).toBe(out[0]);
  for (let i = 0; i < steps; i++) {
    sched.step();
    out.push(opt.paramGroups[group]!.lr);
    expect(sched.getLastLr()[group]).toBe(out[out.length - 1]);
  }
  return out;
}

function expectClose(actual: number[], closed: (e: number) => number): void {
  actual.forEach((lr, e) => {
    const want = closed(e);
    if (!(Math.abs(lr - want) <= 1e-12 * Math.max(1, Math.abs(want)))) throw new Error(`epoch ${e}: lr ${lr}, closed form ${want}`);
  });
}

describe('closed forms over 30 steps', () => {
  it('StepLR', () => {
    const opt = sgd(0.1);
    expectClose(sequence(new S.StepLR(opt, 7, { gamma: 0.5 }), opt), (e) => 0.1 * 0.5 ** Math.floor(e / 7));
  });

  it('MultiStepLR (with a repeated milestone)', () => {
    const opt = sgd(0.2);
    const ms = [5, 12, 12, 20];
    expectClose(
      sequence(new S.MultiStepLR(opt, [20, 12, 5, 12], { gamma: 0.3 }), opt),
      (e) => 0.2 * 0.3 ** ms.filter((m) => m <= e).length,
    );
  });

  it('ExponentialLR', () => {
    const opt = sgd(0.5);
    expectClose(sequence(new S.ExponentialLR(opt, 0.9), opt), (e) => 0.5 * 0.9 ** e);
  });

  it('CosineAnnealingLR (past tMax the cosine continues back up)', () => {
    const opt = sgd(0.1);
    expectClose(
      sequence(new S.CosineAnnealingLR(opt, 10, { etaMin: 0.01 }), opt),
      (e) => 0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * e) / 10))) / 2,
    );
  });

  it.each([1, 2])('CosineAnnealingWarmRestarts tMult=%i', (tMult) => {
    const opt = sgd(0.1);
    const seq = sequence(new S.CosineAnnealingWarmRestarts(opt, 5, { tMult, etaMin: 0.001 }), opt);
    expectClose(seq, (e) => {
      let start = 0;
      let period = 5;
      while (e >= start + period) {
        start += period;
        period *= tMult;
      }
      return 0.001 + ((0.1 - 0.001) * (1 + Math.cos((Math.PI * (e - start)) / period))) / 2;
    });
    // Restarts: the lr jumps back to the base lr (tMult 2: at 5, 15).
    expect(seq[tMult === 1 ? 10 : 15]).toBeCloseTo(0.1, 14);
  });

  it('LinearLR', () => {
    const opt = sgd(0.1);
    expectClose(
      sequence(new S.LinearLR(opt, { startFactor: 0.25, endFactor: 0.9, totalIters: 8 }), opt),
      (e) => 0.1 * (0.25 + (0.65 * Math.min(e, 8)) / 8),
    );
  });

  it('LambdaLR with one function per group', () => {
    const opt = new optim.SGD(
      [
        { params: [param()], lr: 0.1 },
        { params: [param()], lr: 0.3 },
      ],
      { lr: 1 },
    );
    const sched = new S.LambdaLR(opt, [(e) => 1 / (1 + e), (e) => 0.95 ** e]);
    const s0 = sequence(sched, opt, 30, 0);
    expectClose(s0, (e) => 0.1 / (1 + e));
    expect(sched.getLastLr()[1]).toBeCloseTo(0.3 * 0.95 ** 30, 14);
  });

  it('OneCycleLR (cos) with SGD momentum cycling inversely', () => {
    const opt = sgd(0.1, { momentum: 0.9 });
    const sched = new S.OneCycleLR(opt, 1.0, { totalSteps: 30 });
    const lrs = [opt.paramGroups[0]!.lr];
    const moms = [opt.paramGroups[0]!.momentum];
    for (let i = 0; i < 29; i++) {
      sched.step();
      lrs.push(opt.paramGroups[0]!.lr);
      moms.push(opt.paramGroups[0]!.momentum);
    }
    const cosAnneal = (a: number, b: number, p: number): number => b + ((a - b) / 2) * (1 + Math.cos(Math.PI * p));
    const init = 1 / 25,
      min = init / 1e4,
      peak = 0.3 * 30 - 1;
    expectClose(lrs, (s) => (s <= peak ? cosAnneal(init, 1, s / peak) : cosAnneal(1, min, (s - peak) / (29 - peak))));
    expectClose(moms, (s) => (s <= peak ? cosAnneal(0.95, 0.85, s / peak) : cosAnneal(0.85, 0.95, (s - peak) / (29 - peak))));
    expect(lrs[29]).toBeCloseTo(min, 15);
    sched.step(); // step 30 is allowed (as in PyTorch); 31 is not
    expect(() => sched.step()).toThrow(/OneCycleLR: tried to step 31 times; the cycle has totalSteps = 30/);
  });

  it('OneCycleLR (linear, three phases) cycles Adam betas[0]', () => {
    const opt = new optim.Adam([param()], { lr: 1 });
    const sched = new S.OneCycleLR(opt, 0.5, { epochs: 3, stepsPerEpoch: 10, annealStrategy: 'linear', threePhase: true, pctStart: 0.25 });
    const lrs = [opt.paramGroups[0]!.lr];
    const b1 = [opt.paramGroups[0]!.betas[0]];
    for (let i = 0; i < 29; i++) {
      sched.step();
      lrs.push(opt.paramGroups[0]!.lr);
      b1.push(opt.paramGroups[0]!.betas[0]);
    }
    const lin = (a: number, b: number, p: number): number => a + (b - a) * p;
    const init = 0.5 / 25,
      min = init / 1e4,
      e1 = 0.25 * 30 - 1,
      e2 = 2 * 0.25 * 30 - 2;
    expectClose(lrs, (s) =>
      s <= e1 ? lin(init, 0.5, s / e1) : s <= e2 ? lin(0.5, init, (s - e1) / (e2 - e1)) : lin(init, min, (s - e2) / (29 - e2)),
    );
    expectClose(b1, (s) => (s <= e1 ? lin(0.95, 0.85, s / e1) : s <= e2 ? lin(0.85, 0.95, (s - e1) / (e2 - e1)) : 0.95));
    expect(opt.paramGroups[0]!.betas[1]).toBe(0.999);
  });

  it.each(['triangular', 'triangular2', 'expRange'] as const)('CyclicLR %s, with momentum', (mode) => {
    const opt = sgd(0.5, { momentum: 0.5 });
    const sched = new S.CyclicLR(opt, 0.01, 0.1, { stepSizeUp: 4, stepSizeDown: 6, mode, gamma: 0.97 });
    const lrs = [opt.paramGroups[0]!.lr];
    const moms = [opt.paramGroups[0]!.momentum];
    for (let i = 0; i < 30; i++) {
      sched.step();
      lrs.push(opt.paramGroups[0]!.lr);
      moms.push(opt.paramGroups[0]!.momentum);
    }
    const frac = (e: number): number => {
      const p = e % 10;
      return p <= 4 ? p / 4 : (10 - p) / 6;
    };
    const scale = (e: number): number => (mode === 'triangular' ? 1 : mode === 'triangular2' ? 0.5 ** Math.floor(e / 10) : 0.97 ** e);
    expectClose(lrs, (e) => 0.01 + 0.09 * frac(e) * scale(e));
    expectClose(moms, (e) => 0.9 - 0.1 * frac(e) * scale(e));
  });

  it('SequentialLR: linear warm-up then exponential decay', () => {
    const opt = sgd(0.1);
    const warm = new S.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
    const decay = new S.ExponentialLR(opt, 0.9);
    expectClose(sequence(new S.SequentialLR(opt, [warm, decay], [5]), opt), (e) =>
      e < 5 ? 0.1 * (0.1 + (0.9 * e) / 5) : 0.1 * 0.9 ** (e - 5),
    );
  });

  it('SequentialLR: warm-up, constant step, cosine', () => {
    const opt = sgd(0.2);
    const a = new S.LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
    const b = new S.StepLR(opt, 100);
    const c = new S.CosineAnnealingLR(opt, 10);
    expectClose(sequence(new S.SequentialLR(opt, [a, b, c], [4, 10]), opt), (e) =>
      e < 4 ? 0.2 * (0.5 + (0.5 * e) / 4) : e < 10 ? 0.2 : (0.2 * (1 + Math.cos((Math.PI * (e - 10)) / 10))) / 2,
    );
  });
});

describe('ReduceLROnPlateau', () => {
  it('reduces after patience bad epochs, with cooldown (hand-worked sequence)', () => {
    const opt = sgd(1);
    const sched = new S.ReduceLROnPlateau(opt, { patience: 2, factor: 0.5, threshold: 0, cooldown: 1 });
    const metrics = [5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3];
    const lrs = metrics.map((m) => {
      sched.step(m);
      return opt.paramGroups[0]!.lr;
    });
    expect(lrs).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25]);
    expect(sched.getLastLr()).toEqual([0.25]);
  });

  it('mode max with an absolute threshold and a minimal lr', () => {
    const opt = sgd(1);
    const sched = new S.ReduceLROnPlateau(opt, {
      mode: 'max',
      patience: 0,
      factor: 0.1,
      threshold: 0.5,
      thresholdMode: 'abs',
      minLr: 0.05,
    });
    // 1 > -inf: better. 1.4 < 1 + 0.5: bad -> 0.1. 1.6 > 1.5: better. 1.7 bad -> max(0.01, 0.05) = 0.05. 1.8 bad: stays 0.05.
    const lrs = [1, 1.4, 1.6, 1.7, 1.8].map((m) => {
      sched.step(m);
      return opt.paramGroups[0]!.lr;
    });
    expect(lrs).toEqual([1, 0.1, 0.1, 0.05, 0.05]);
  });

  it('rejects bad options', () => {
    expect(() => new S.ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow(/^ReduceLROnPlateau: factor must be >= 0 and < 1, got 1$/);
    expect(() => new S.ReduceLROnPlateau(sgd(), { mode: 'up' as 'min' })).toThrow(ValueError);
    expect(() => new S.ReduceLROnPlateau(sgd(), { minLr: [0.1, 0.2] })).toThrow(/minLr/);
  });
});

describe('scheduler semantics', () => {
  it('sets initialLr on the groups and keeps it across schedulers', () => {
    const opt = sgd(0.1);
    new S.ExponentialLR(opt, 0.5).step();
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
    const second = new S.StepLR(opt, 2);
    expect(second.baseLrs).toEqual([0.1]);
  });

  it('chains multiplicatively like PyTorch when two schedulers drive one optimizer', () => {
    const opt = sgd(1);
    const a = new S.ExponentialLR(opt, 0.9);
    const b = new S.StepLR(opt, 3, { gamma: 0.5 });
    for (let e = 1; e <= 9; e++) {
      a.step();
      b.step();
      expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.9 ** e * 0.5 ** Math.floor(e / 3), 14);
    }
  });

  it('stateDict round trip resumes the sequence (LambdaLR functions are passed again)', () => {
    const mk = () => sgd(0.1, { momentum: 0.9 });
    const optA = mk();
    const a = new S.CosineAnnealingWarmRestarts(optA, 4, { tMult: 2 });
    for (let i = 0; i < 7; i++) a.step();
    const saved = a.stateDict();
    expect(saved['optimizer']).toBeUndefined();
    const optB = mk();
    const b = new S.CosineAnnealingWarmRestarts(optB, 4, { tMult: 2 });
    b.loadStateDict(saved);
    for (let i = 0; i < 10; i++) {
      a.step();
      b.step();
      expect(optB.paramGroups[0]!.lr).toBe(optA.paramGroups[0]!.lr);
    }
    const optL = mk();
    const l = new S.LambdaLR(optL, (e) => 1 / (e + 1));
    expect(Object.keys(l.stateDict())).not.toContain('lrLambdas');
  });

  it('SequentialLR state includes the sub-schedulers', () => {
    const build = () => {
      const opt = sgd(0.1);
      const s = new S.SequentialLR(opt, [new S.LinearLR(opt, { startFactor: 0.2, totalIters: 3 }), new S.ExponentialLR(opt, 0.8)], [3]);
      return { opt, s };
    };
    const A = build();
    for (let i = 0; i < 5; i++) A.s.step();
    const B = build();
    B.s.loadStateDict(A.s.stateDict());
    B.opt.paramGroups[0]!.lr = A.opt.paramGroups[0]!.lr;
    for (let i = 0; i < 5; i++) {
      A.s.step();
      B.s.step();
      expect(B.opt.paramGroups[0]!.lr).toBe(A.opt.paramGroups[0]!.lr);
    }
  });

  it.each([
    ['StepLR stepSize 0', () => new S.StepLR(sgd(), 0), /^StepLR: stepSize must be >= 1, got 0$/],
    ['MultiStepLR negative milestone', () => new S.MultiStepLR(sgd(), [3, -1]), /^MultiStepLR: milestones\[1\] must be >= 0, got -1$/],
    ['ExponentialLR gamma NaN', () => new S.ExponentialLR(sgd(), NaN), /^ExponentialLR: gamma must be a finite number, got NaN$/],
    ['CosineAnnealingLR tMax 0', () => new S.CosineAnnealingLR(sgd(), 0), /^CosineAnnealingLR: tMax must be >= 1, got 0$/],
    [
      'WarmRestarts tMult 1.5',
      () => new S.CosineAnnealingWarmRestarts(sgd(), 5, { tMult: 1.5 }),
      /^CosineAnnealingWarmRestarts: tMult must be an integer, got 1\.5$/,
    ],
    ['LinearLR startFactor 0', () => new S.LinearLR(sgd(), { startFactor: 0 }), /^LinearLR: startFactor must be > 0 and <= 1, got 0$/],
    [
      'LambdaLR wrong count',
      () => new S.LambdaLR(sgd(), [(e: number) => e, (e: number) => e]),
      /^LambdaLR: lrLambda has 2 functions but the optimizer has 1 parameter groups/,
    ],
    ['OneCycleLR no length', () => new S.OneCycleLR(sgd(), 0.1), /OneCycleLR: give totalSteps, or epochs and stepsPerEpoch/],
    [
      'OneCycleLR pctStart 2',
      () => new S.OneCycleLR(sgd(), 0.1, { totalSteps: 10, pctStart: 2 }),
      /^OneCycleLR: pctStart must be >= 0 and <= 1, got 2$/,
    ],
    [
      'OneCycleLR without momentum',
      () => new S.OneCycleLR(new optim.Adagrad([param()]), 0.1, { totalSteps: 10 }),
      /OneCycleLR: optimizer Adagrad has neither 'momentum' nor 'betas'/,
    ],
    [
      'CyclicLR bad mode',
      () => new S.CyclicLR(sgd(), 0.1, 1, { mode: 'sine' as 'triangular' }),
      /^CyclicLR: mode must be one of 'triangular', 'triangular2', 'expRange', got 'sine'/,
    ],
    [
      'SequentialLR milestones',
      () => {
        const o = sgd();
        return new S.SequentialLR(o, [new S.StepLR(o, 2), new S.StepLR(o, 3)], []);
      },
      /SequentialLR: expects 1 milestones for 2 schedulers, got 0/,
    ],
    [
      'SequentialLR other optimizer',
      () => {
        const o = sgd();
        return new S.SequentialLR(o, [new S.StepLR(sgd(), 2)], []);
      },
      /SequentialLR: schedulers\[0\] drives a different optimizer/,
    ],
    ['resume without initialLr', () => new S.StepLR(sgd(), 2, { lastEpoch: 3 }), /StepLR: paramGroups\[0\] has no initialLr/],
  ] as const)('error: %s', (_what, make, message) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });
});
