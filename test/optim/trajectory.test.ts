// Each optimizer and each of its options: 20 steps on the fixed non-convex objective, float64,
// against the independent reference implementations in reference.ts (hand-derived gradient).
import { describe, expect, it } from 'vitest';
import { optim, type Tensor } from '../../src/index.js';
import { closeArrays, freshParams, objectiveGrad, objectiveTensor, THETA0, thetaOf } from './objective.js';
import * as R from './reference.js';

type Make = (params: Tensor[], options: Record<string, unknown>) => optim.Optimizer;
interface Case {
  name: string;
  make: Make;
  ref: (h: Record<string, unknown>) => R.Stepper;
  options: Record<string, unknown>;
}

const mk =
  <T>(C: new (p: Tensor[], o: T) => optim.Optimizer): Make =>
  (p, o) =>
    new C(p, o as T);

const cases: Case[] = [];
function add(name: string, make: Make, ref: Case['ref'], variants: Record<string, unknown>[]): void {
  for (const options of variants) cases.push({ name: `${name} ${JSON.stringify(options)}`, make, ref, options });
}

add('SGD', mk(optim.SGD), R.refSGD, [
  { lr: 0.01 },
  { lr: 0.01, momentum: 0.9 },
  { lr: 0.01, momentum: 0.8, dampening: 0.3 },
  { lr: 0.01, momentum: 0.9, nesterov: true },
  { lr: 0.01, weightDecay: 0.1 },
  { lr: 0.01, momentum: 0.5, weightDecay: 0.05, maximize: true },
  { lr: 0.01, maximize: true },
]);
add('Adagrad', mk(optim.Adagrad), R.refAdagrad, [
  { lr: 0.1 },
  { lr: 0.1, lrDecay: 0.05 },
  { lr: 0.1, weightDecay: 0.1 },
  { lr: 0.1, initialAccumulatorValue: 0.5 },
  { lr: 0.1, eps: 0.3 },
  { lr: 0.1, maximize: true },
]);
add('RMSprop', mk(optim.RMSprop), R.refRMSprop, [
  { lr: 0.01 },
  { lr: 0.01, alpha: 0.9 },
  { lr: 0.01, eps: 0.1 },
  { lr: 0.01, weightDecay: 0.1 },
  { lr: 0.005, momentum: 0.7 },
  { lr: 0.01, centered: true },
  { lr: 0.005, centered: true, momentum: 0.5 },
  { lr: 0.01, maximize: true },
]);
add('Adam', mk(optim.Adam), (h) => R.refAdam(h), [
  { lr: 0.05 },
  { lr: 0.05, betas: [0.8, 0.99] },
  { lr: 0.05, eps: 0.1 },
  { lr: 0.05, weightDecay: 0.1 },
  { lr: 0.05, amsgrad: true },
  { lr: 0.05, weightDecay: 0.2, decoupledWeightDecay: true },
  { lr: 0.05, maximize: true, amsgrad: true },
]);
add('AdamW', mk(optim.AdamW), (h) => R.refAdam(h, true), [
  { lr: 0.05 },
  { lr: 0.05, weightDecay: 0.3 },
  { lr: 0.05, weightDecay: 0.1, amsgrad: true, betas: [0.85, 0.95] },
  { lr: 0.05, maximize: true },
]);
add('Adadelta', mk(optim.Adadelta), R.refAdadelta, [{}, { lr: 0.5, rho: 0.8 }, { eps: 1e-3 }, { weightDecay: 0.1 }, { maximize: true }]);
add('Adamax', mk(optim.Adamax), R.refAdamax, [
  { lr: 0.05 },
  { lr: 0.05, betas: [0.7, 0.9] },
  { lr: 0.05, eps: 0.2 },
  { lr: 0.05, weightDecay: 0.1 },
  { lr: 0.05, maximize: true },
]);
add('NAdam', mk(optim.NAdam), R.refNAdam, [
  { lr: 0.05 },
  { lr: 0.05, momentumDecay: 0.05 },
  { lr: 0.05, betas: [0.8, 0.99], eps: 0.01 },
  { lr: 0.05, weightDecay: 0.1 },
  { lr: 0.05, weightDecay: 0.2, decoupledWeightDecay: true },
  { lr: 0.05, maximize: true },
]);
add('RAdam', mk(optim.RAdam), R.refRAdam, [
  { lr: 0.05 },
  { lr: 0.05, betas: [0.8, 0.99] },
  { lr: 0.05, eps: 0.01 },
  { lr: 0.05, weightDecay: 0.1 },
  { lr: 0.05, weightDecay: 0.2, decoupledWeightDecay: true },
  { lr: 0.05, maximize: true },
]);

describe('optimizer trajectories against the published algorithms (float64, 20 steps)', () => {
  it.each(cases)('$name', ({ make, ref, options }) => {
    const { x, b } = freshParams();
    const opt = make([x, b], options);
    const sign = options['maximize'] ? -1 : 1;
    const reference = ref(options);
    const theta = THETA0.slice();
    for (let step = 1; step <= 20; step++) {
      opt.zeroGrad();
      objectiveTensor(x, b).mul(sign).backward();
      opt.step();
      reference(
        theta,
        objectiveGrad(theta).map((g) => sign * g),
      );
      expect(closeArrays(thetaOf(x, b), theta, 1e-12, `step ${step}`)).toBeNull();
    }
    // The run must actually move: a no-op optimizer would pass the comparison only if the reference also stood still.
    expect(closeArrays(theta, THETA0, 1e-3, 'moved')).not.toBeNull();
  });
});

describe('LBFGS trajectory against the two-loop recursion (fixed steps, float64)', () => {
  const variants: Record<string, unknown>[] = [
    { lr: 0.2, maxIter: 1 },
    { lr: 0.2, maxIter: 5 },
    { lr: 0.2, maxIter: 1, historySize: 3 },
  ];
  it.each(variants)('%o', (options) => {
    const { x, b } = freshParams();
    const opt = new optim.LBFGS([x, b], { ...options, toleranceGrad: 0, toleranceChange: 0 });
    const closure = (): Tensor => {
      opt.zeroGrad();
      const l = objectiveTensor(x, b);
      l.backward();
      return l;
    };
    const reference = R.refLBFGS(options);
    const theta = THETA0.slice();
    const perCall = options['maxIter'] as number;
    for (let call = 1; call <= 20 / perCall; call++) {
      opt.step(closure);
      for (let k = 0; k < perCall; k++) reference(theta, objectiveGrad(theta));
      expect(closeArrays(thetaOf(x, b), theta, 1e-12, `after ${call * perCall} iterations`)).toBeNull();
    }
    expect(closeArrays(theta, THETA0, 1e-3, 'moved')).not.toBeNull();
  });
});
