// Convergence: Rosenbrock (from the classic start (-1.2, 1)) and a noisy quadratic with seeded
// gradient noise reach a stated tolerance with each optimizer at sensible hyperparameters.
// Also: the L-BFGS strong-Wolfe line search accepts steps satisfying the strong Wolfe conditions.
import { describe, expect, it } from 'vitest';
import { Generator, optim, tensor, type Tensor } from '../../src/index.js';

const rosenbrock = (p: Tensor): Tensor => {
  const x = p.select(0, 0);
  const y = p.select(0, 1);
  return x
    .neg()
    .add(1)
    .pow(2)
    .add(y.sub(x.mul(x)).pow(2).mul(100));
};
const rosenValue = ([x, y]: number[]): number => (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2;
const rosenGrad = ([x, y]: number[]): number[] => [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)];

type Make = (p: Tensor[]) => optim.Optimizer;

// Extras: clip the gradient norm to 1 before each step, or decay the lr exponentially after it.
interface Extra {
  clip?: boolean;
  decay?: number;
}
const clip1: Extra = { clip: true };

describe('Rosenbrock from (-1.2, 1): distance to (1, 1) within the stated tolerance', () => {
  const cases: [string, Make, number, number, Extra | null][] = [
    ['SGD (gradient descent, lr 2e-3)', (p) => new optim.SGD(p, { lr: 2e-3 }), 3000, 0.15, null],
    ['SGD momentum 0.9', (p) => new optim.SGD(p, { lr: 1e-3, momentum: 0.9 }), 2000, 1e-3, null],
    ['SGD nesterov', (p) => new optim.SGD(p, { lr: 1e-3, momentum: 0.9, nesterov: true }), 2000, 1e-3, null],
    ['Adagrad with gradient clipping', (p) => new optim.Adagrad(p, { lr: 0.5 }), 2000, 0.05, clip1],
    ['RMSprop momentum 0.9', (p) => new optim.RMSprop(p, { lr: 1e-3, momentum: 0.9 }), 2000, 1e-3, null],
    ['Adam', (p) => new optim.Adam(p, { lr: 0.05 }), 2000, 1e-3, null],
    ['Adam amsgrad', (p) => new optim.Adam(p, { lr: 0.1, amsgrad: true }), 2000, 1e-3, null],
    ['AdamW', (p) => new optim.AdamW(p, { lr: 0.1, weightDecay: 0 }), 2000, 1e-2, null],
    ['Adadelta with exponential lr decay', (p) => new optim.Adadelta(p, { lr: 3 }), 2000, 0.2, { decay: 0.998 }],
    ['Adamax', (p) => new optim.Adamax(p, { lr: 0.1 }), 3000, 1e-2, null],
    ['NAdam', (p) => new optim.NAdam(p, { lr: 0.02 }), 3000, 0.05, null],
    ['RAdam with gradient clipping', (p) => new optim.RAdam(p, { lr: 0.05 }), 2000, 0.05, clip1],
  ];
  it.each(cases)('%s', (_name, make, steps, tol, extra) => {
    const p = tensor([-1.2, 1], { dtype: 'float64', requiresGrad: true });
    const opt = make([p]);
    const sched = extra?.decay ? new optim.lrScheduler.ExponentialLR(opt, extra.decay) : null;
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      rosenbrock(p).backward();
      if (extra?.clip) optim.clipGradNorm_([p], 1);
      opt.step();
      sched?.step();
    }
    const [x, y] = p.toArray() as number[];
    expect(Math.hypot(x! - 1, y! - 1)).toBeLessThan(tol);
  });

  it('LBFGS with strong Wolfe line search: loss below 1e-8 within 10 steps', () => {
    const p = tensor([-1.2, 1], { dtype: 'float64', requiresGrad: true });
    const opt = new optim.LBFGS([p], { lineSearchFn: 'strongWolfe' });
    const closure = (): Tensor => {
      opt.zeroGrad();
      const l = rosenbrock(p);
      l.backward();
      return l;
    };
    for (let i = 0; i < 10; i++) opt.step(closure);
    expect(rosenValue(p.toArray() as number[])).toBeLessThan(1e-8);
    expect(opt.state.get(p)!['funcEvals']).toBeGreaterThan(10);
  });
});

describe('noisy quadratic: mean distance to the minimum over the last 50 steps below 0.05', () => {
  // f(x) = ½ Σ a_i (x_i - c_i)², gradients perturbed by seeded N(0, 0.1²) noise through a linear term;
  // the lr drops tenfold at steps 600 and 1000 (MultiStepLR), as one would train with noise.
  const a = [1, 2, 4, 0.5, 3, 1.5, 2.5, 1, 0.8, 3.5];
  const c = [1, -2, 0.5, 3, -1, 2, 0, -0.5, 1.5, -3];
  const cases: [string, Make][] = [
    ['SGD', (p) => new optim.SGD(p, { lr: 0.05 })],
    ['SGD momentum', (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9 })],
    ['Adagrad', (p) => new optim.Adagrad(p, { lr: 0.5 })],
    ['RMSprop', (p) => new optim.RMSprop(p, { lr: 0.01 })],
    ['Adam', (p) => new optim.Adam(p, { lr: 0.05 })],
    ['AdamW', (p) => new optim.AdamW(p, { lr: 0.05, weightDecay: 1e-4 })],
    ['Adadelta', (p) => new optim.Adadelta(p, { lr: 10 })],
    ['Adamax', (p) => new optim.Adamax(p, { lr: 0.02 })],
    ['NAdam', (p) => new optim.NAdam(p, { lr: 0.02 })],
    ['RAdam', (p) => new optim.RAdam(p, { lr: 0.1 })],
  ];
  it.each(cases)('%s', (_name, make) => {
    const gen = new Generator(42);
    const A = tensor(a, { dtype: 'float64' });
    const Cc = tensor(c, { dtype: 'float64' });
    const x = tensor(new Array(10).fill(0), { dtype: 'float64', requiresGrad: true });
    const opt = make([x]);
    const sched = new optim.lrScheduler.MultiStepLR(opt, [600, 1000], { gamma: 0.1 });
    let dist = 0;
    const steps = 1200;
    for (let i = 0; i < steps; i++) {
      const noise = tensor(
        a.map(() => 0.1 * gen.normal()),
        { dtype: 'float64' },
      );
      opt.zeroGrad();
      x.sub(Cc).pow(2).mul(A).sum().mul(0.5).add(x.mul(noise).sum()).backward();
      opt.step();
      sched.step();
      if (i >= steps - 50) {
        const xs = x.toArray() as number[];
        dist += Math.sqrt(xs.reduce((s, v, k) => s + (v - c[k]!) ** 2, 0)) / 50;
      }
    }
    expect(dist).toBeLessThan(0.05);
  });
});

describe('LBFGS strong-Wolfe steps', () => {
  it('every accepted step satisfies sufficient decrease and the curvature condition', () => {
    const p = tensor([-1.2, 1], { dtype: 'float64', requiresGrad: true });
    const opt = new optim.LBFGS([p], { lineSearchFn: 'strongWolfe', maxIter: 1, toleranceChange: 0, toleranceGrad: 0 });
    const closure = (): Tensor => {
      opt.zeroGrad();
      const l = rosenbrock(p);
      l.backward();
      return l;
    };
    let checked = 0;
    for (let k = 0; k < 25; k++) {
      const before = p.toArray() as number[];
      const f0 = rosenValue(before);
      const g0 = rosenGrad(before);
      if (f0 < 1e-14) break;
      opt.step(closure);
      const s = opt.state.get(p)!;
      const d = (s['d'] as Tensor).toArray() as number[];
      const t = s['t'] as number;
      const after = p.toArray() as number[];
      // The parameters moved by exactly t·d.
      expect(after[0]).toBeCloseTo(before[0]! + t * d[0]!, 12);
      expect(after[1]).toBeCloseTo(before[1]! + t * d[1]!, 12);
      const gtd0 = g0[0]! * d[0]! + g0[1]! * d[1]!;
      const g1 = rosenGrad(after);
      const gtd1 = g1[0]! * d[0]! + g1[1]! * d[1]!;
      expect(gtd0).toBeLessThan(0);
      expect(rosenValue(after)).toBeLessThanOrEqual(f0 + 1e-4 * t * gtd0 + 1e-15);
      expect(Math.abs(gtd1)).toBeLessThanOrEqual(0.9 * Math.abs(gtd0) + 1e-15);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});
