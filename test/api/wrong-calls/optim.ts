/**
 * The wrong-call corpus for the optim area (see types.ts). Expected values are PyTorch's: derived by
 * hand from the published update rules and schedules (checked against torch 1.13).
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';

type Any = any; // calls a plain-JS user could type, whatever the TypeScript signatures say

/** A float64 parameter [1, 2] and the loss sum(w²) (gradient 2w). */
function quadratic(tg: Lib) {
  const w = tg.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
  const loss = () => w.pow(2).sum();
  return { w, loss };
}

/** `steps` optimizer steps on sum(w²); returns w. */
function run(tg: Lib, make: (params: Any[]) => Any, steps = 1): number[] {
  const { w, loss } = quadratic(tg);
  const opt = make([w]);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
  return w.toArray() as number[];
}

const param = (tg: Lib) => tg.zeros([2], { requiresGrad: true });
const sgd = (tg: Lib) => new tg.optim.SGD([param(tg)], 0.1, 0.9);
const group = (opt: Any) => opt.paramGroups[0];
const S = (tg: Lib): Any => tg.optim.lrScheduler;

/** The lr of epochs 0..n-1 of a scheduler built on a fresh SGD(lr 0.1). */
function lrs(tg: Lib, make: (opt: Any) => Any, n: number): number[] {
  const opt = sgd(tg);
  const sched = make(opt);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(group(opt).lr);
    opt.step();
    sched.step();
  }
  return out;
}

const close = (a: number[], b: number[], digits = 10) => {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(x).toBeCloseTo(b[i]!, digits));
};

/** Calls of the optim area. */
export const calls: WrongCall[] = [
  // ---- optimizers: PyTorch's positional hyperparameters --------------------------------------
  {
    code: 'new optim.SGD(params, 0.1)',
    run: (tg) => run(tg, (p) => new tg.optim.SGD(p, 0.1)),
    expect: { check: (w) => close(w, [0.8, 1.6]) }, // w - 0.1·2w
  },
  {
    code: 'new optim.SGD(params, 0.1, 0.9) // two steps with momentum',
    run: (tg) => run(tg, (p) => new tg.optim.SGD(p, 0.1, 0.9), 2),
    expect: { check: (w) => close(w, [0.46, 0.92]) }, // b1 = 2w0, b2 = 0.9·b1 + 2w1
  },
  {
    code: 'new optim.SGD(params, 0.1, 0.9, 0, 1e-4, true)',
    run: (tg) => group(new tg.optim.SGD([param(tg)], 0.1, 0.9, 0, 1e-4, true)),
    expect: { check: (g) => expect([g.lr, g.momentum, g.dampening, g.weightDecay, g.nesterov]).toEqual([0.1, 0.9, 0, 1e-4, true]) },
  },
  {
    code: 'new optim.SGD(params, 0.1, { momentum: 0.9 })',
    run: (tg) => group(new tg.optim.SGD([param(tg)], 0.1, { momentum: 0.9 })),
    expect: { check: (g) => expect([g.lr, g.momentum]).toEqual([0.1, 0.9]) },
  },
  {
    code: 'new optim.SGD(params, { lr: 0.1, weight_decay: 1e-4 })',
    run: (tg) => new tg.optim.SGD([param(tg)], { lr: 0.1, weight_decay: 1e-4 } as Any),
    expect: { throws: 'ValueError', message: /SGD: unknown option 'weight_decay'.*did you mean 'weightDecay'/ },
  },
  {
    code: 'new optim.SGD(params, { lr: 0.1, momentun: 0.9 })',
    run: (tg) => new tg.optim.SGD([param(tg)], { lr: 0.1, momentun: 0.9 } as Any),
    expect: { throws: 'ValueError', message: /unknown option 'momentun': did you mean 'momentum'/ },
  },
  {
    code: "new optim.SGD(params, '0.1')",
    run: (tg) => new tg.optim.SGD([param(tg)], '0.1' as Any),
    expect: { throws: 'ArgumentTypeError', message: /SGD: lr must be a number, got '0\.1'/ },
  },
  {
    code: 'new optim.SGD(params, -0.1)',
    run: (tg) => new tg.optim.SGD([param(tg)], -0.1),
    expect: { throws: 'ValueError', message: /SGD: lr must be >= 0, got -0\.1/ },
  },
  {
    code: 'new optim.SGD(params, 0.1, { nesterov: true })',
    run: (tg) => new tg.optim.SGD([param(tg)], 0.1, { nesterov: true }),
    expect: { throws: 'ValueError', message: /nesterov needs momentum > 0 and dampening 0/ },
  },
  {
    code: 'new optim.SGD(params, 0.1, 0.9, 0, 0, false, true) // maximize is keyword-only in PyTorch',
    run: (tg) => new (tg.optim.SGD as Any)([param(tg)], 0.1, 0.9, 0, 0, false, true),
    expect: { throws: 'ArgumentTypeError', message: /SGD: too many arguments.*accepted forms: new SGD\(params, lr, momentum/ },
  },
  {
    code: 'new optim.SGD(params, 0.1, { lr: 0.2 })',
    run: (tg) => new tg.optim.SGD([param(tg)], 0.1, { lr: 0.2 }),
    expect: { throws: 'ArgumentTypeError', message: /SGD: got 'lr' twice/ },
  },
  {
    code: 'new optim.Adam(params, { weight_decay: 0.1 })',
    run: (tg) => new tg.optim.Adam([param(tg)], { weight_decay: 0.1 } as Any),
    expect: { throws: 'ValueError', message: /Adam: unknown option 'weight_decay': options are camelCase, did you mean 'weightDecay'/ },
  },
  {
    code: 'new optim.Adam(params, 1e-3, [0.8, 0.99], 1e-6, 0.1, true)',
    run: (tg) => group(new tg.optim.Adam([param(tg)], 1e-3, [0.8, 0.99], 1e-6, 0.1, true)),
    expect: { check: (g) => expect([g.lr, g.betas, g.eps, g.weightDecay, g.amsgrad]).toEqual([1e-3, [0.8, 0.99], 1e-6, 0.1, true]) },
  },
  {
    code: 'new optim.Adam(params, 1e-3, (0.9, 0.999)) // a Python tuple is a comma expression in JS: betas = 0.999',
    run: (tg) => new (tg.optim.Adam as Any)([param(tg)], 1e-3, 0.999),
    expect: { throws: 'ArgumentTypeError', message: /Adam: betas must be an array of 2, got 0\.999/ },
  },
  {
    code: 'new optim.Adam(params, { betas: [0.9, 1.0] })',
    run: (tg) => new tg.optim.Adam([param(tg)], { betas: [0.9, 1.0] }),
    expect: { throws: 'ValueError', message: /Adam: betas\[1\] must be >= 0 and < 1, got 1/ },
  },
  {
    code: "new optim.Adam(params, { amsgrad: 'true' })",
    run: (tg) => new tg.optim.Adam([param(tg)], { amsgrad: 'true' } as Any),
    expect: { throws: 'ArgumentTypeError', message: /Adam: amsgrad must be a boolean, got 'true'/ },
  },
  {
    code: 'new optim.Adam(params, { fused: true })',
    run: (tg) => new tg.optim.Adam([param(tg)], { fused: true }),
    expect: { throws: 'NotImplementedError', message: /Adam: fused = true is not implemented/ },
  },
  {
    code: 'new optim.Adam(params, { foreach: true }) // same update, one implementation',
    run: (tg) => run(tg, (p) => new tg.optim.Adam(p, { lr: 0.1, foreach: true })),
    expect: { check: (w) => close(w, [0.9, 1.9], 8) }, // first Adam step: w - lr·g/(|g| + eps)
  },
  {
    code: 'new optim.AdamW(params, 0.1, [0.9, 0.999], 1e-8, 0.05)',
    run: (tg) => run(tg, (p) => new tg.optim.AdamW(p, 0.1, [0.9, 0.999], 1e-8, 0.05)),
    expect: { check: (w) => close(w, [0.895, 1.89], 8) }, // w(1 - 0.1·0.05) - 0.1·g/(|g| + eps)
  },
  {
    code: 'new optim.RMSprop(params, 0.01, 0.9)',
    run: (tg) => group(new tg.optim.RMSprop([param(tg)], 0.01, 0.9)),
    expect: { check: (g) => expect([g.lr, g.alpha, g.eps]).toEqual([0.01, 0.9, 1e-8]) },
  },
  {
    code: 'new optim.Adagrad(params, 0.1, 0.01)',
    run: (tg) => group(new tg.optim.Adagrad([param(tg)], 0.1, 0.01)),
    expect: { check: (g) => expect([g.lr, g.lrDecay]).toEqual([0.1, 0.01]) },
  },
  {
    code: "new optim.LBFGS(params, 1, 20, null, 1e-7, 1e-9, 100, 'strong_wolfe')",
    run: (tg) => group(new tg.optim.LBFGS([param(tg)], 1, 20, null, 1e-7, 1e-9, 100, 'strong_wolfe')),
    expect: { check: (g) => expect([g.maxIter, g.maxEval, g.lineSearchFn]).toEqual([20, 25, 'strongWolfe']) },
  },
  {
    code: "new optim.LBFGS(params, { line_search_fn: 'strong_wolfe' })",
    run: (tg) => new tg.optim.LBFGS([param(tg)], { line_search_fn: 'strong_wolfe' } as Any),
    expect: { throws: 'ValueError', message: /did you mean 'lineSearchFn'/ },
  },
  {
    code: 'new optim.SGD([{ params: [w] }, { params: [b], weight_decay: 0.1 }], 0.1)',
    run: (tg) => new tg.optim.SGD([{ params: [param(tg)] }, { params: [param(tg)], weight_decay: 0.1 } as Any], 0.1),
    expect: { throws: 'ValueError', message: /SGD \(parameter group 1\): unknown option 'weight_decay'.*'weightDecay'/ },
  },
  {
    code: 'new optim.SGD([{ params: [w], lr: 0.01 }, { params: [b] }], 0.1)',
    run: (tg) => new tg.optim.SGD([{ params: [param(tg)], lr: 0.01 }, { params: [param(tg)] }], 0.1).paramGroups.map((g: Any) => g.lr),
    expect: { check: (l) => expect(l).toEqual([0.01, 0.1]) },
  },
  {
    code: 'opt.addParamGroup({ params: [b], momentun: 0.9 })',
    run: (tg) => sgd(tg).addParamGroup({ params: [param(tg)], momentun: 0.9 } as Any),
    expect: { throws: 'ValueError', message: /SGD\.addParamGroup: unknown option 'momentun': did you mean 'momentum'/ },
  },
  {
    code: 'opt.zeroGrad({ set_to_none: false })',
    run: (tg) => sgd(tg).zeroGrad({ set_to_none: false } as Any),
    expect: { throws: 'ValueError', message: /zeroGrad: unknown option 'set_to_none'.*'setToNone'/ },
  },
  {
    code: 'opt.zeroGrad(false) // PyTorch: set_to_none=False fills the gradients with zeros',
    run: (tg) => {
      const { w, loss } = quadratic(tg);
      const opt = new tg.optim.SGD([w], 0.1);
      loss().backward();
      opt.zeroGrad(false);
      return w.grad?.toArray();
    },
    expect: { check: (g) => expect(g).toEqual([0, 0]) },
  },
  {
    code: 'opt.step(0.1)',
    run: (tg) => sgd(tg).step(0.1 as Any),
    expect: { throws: 'ArgumentTypeError', message: /SGD\.step: the closure must be a function/ },
  },
  // ---- learning-rate schedulers ------------------------------------------------------------
  {
    code: 'new lr_scheduler.StepLR(opt, 3, 0.5)',
    run: (tg) => lrs(tg, (o) => new (S(tg).StepLR)(o, 3, 0.5), 7),
    expect: { check: (l) => close(l, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]) },
  },
  {
    code: 'new lr_scheduler.StepLR(opt, { stepSize: 3 })',
    run: (tg) => lrs(tg, (o) => new (S(tg).StepLR)(o, { stepSize: 3 }), 4),
    expect: { check: (l) => close(l, [0.1, 0.1, 0.1, 0.01]) },
  },
  {
    code: 'new lr_scheduler.StepLR(opt, { step_size: 3 })',
    run: (tg) => new (S(tg).StepLR)(sgd(tg), { step_size: 3 }),
    expect: { throws: 'ValueError', message: /StepLR: unknown option 'step_size': options are camelCase, did you mean 'stepSize'/ },
  },
  {
    code: 'new lr_scheduler.StepLR(opt)',
    run: (tg) => new (S(tg).StepLR)(sgd(tg)),
    expect: { throws: 'ArgumentTypeError', message: /StepLR: missing the required argument stepSize/ },
  },
  {
    code: 'new lr_scheduler.MultiStepLR(opt, [2, 4], 0.5)',
    run: (tg) => lrs(tg, (o) => new (S(tg).MultiStepLR)(o, [2, 4], 0.5), 6),
    expect: { check: (l) => close(l, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]) },
  },
  {
    code: 'new lr_scheduler.ExponentialLR(opt, 0.9)',
    run: (tg) => lrs(tg, (o) => new (S(tg).ExponentialLR)(o, 0.9), 3),
    expect: { check: (l) => close(l, [0.1, 0.09, 0.081]) },
  },
  {
    code: 'new lr_scheduler.CosineAnnealingLR(opt, 10, 0.001)',
    run: (tg) => lrs(tg, (o) => new (S(tg).CosineAnnealingLR)(o, 10, 0.001), 6)[5],
    expect: { check: (lr) => expect(lr).toBeCloseTo(0.0505, 12) }, // 0.001 + 0.099·(1 + cos(π/2))/2
  },
  {
    code: 'new lr_scheduler.CosineAnnealingLR(opt, { T_max: 10 })',
    run: (tg) => new (S(tg).CosineAnnealingLR)(sgd(tg), { T_max: 10 }),
    expect: { throws: 'ValueError', message: /CosineAnnealingLR: unknown option 'T_max': did you mean 'tMax'/ },
  },
  {
    code: 'new lr_scheduler.LinearLR(opt, 0.5, 1, 4)',
    run: (tg) => lrs(tg, (o) => new (S(tg).LinearLR)(o, 0.5, 1, 4), 4),
    expect: { check: (l) => close(l, [0.05, 0.0625, 0.075, 0.0875]) },
  },
  {
    code: "new lr_scheduler.CyclicLR(opt, 0.01, 0.1, 5, null, 'exp_range', 0.9)",
    run: (tg) => lrs(tg, (o) => new (S(tg).CyclicLR)(o, 0.01, 0.1, 5, null, 'exp_range', 0.9), 3),
    expect: { check: (l) => close(l, [0.01, 0.01 + 0.09 * 0.2 * 0.9, 0.01 + 0.09 * 0.4 * 0.81]) }, // base + (max - base)·x·γ^step
  },
  {
    code: 'new lr_scheduler.OneCycleLR(opt, 0.1, 100)',
    run: (tg) => group(new (S(tg).OneCycleLR)(sgd(tg), 0.1, 100).optimizer),
    expect: { check: (g) => close([g.lr, g.momentum], [0.1 / 25, 0.95]) }, // maxLr / divFactor, maxMomentum
  },
  {
    code: 'new lr_scheduler.LambdaLR(opt, { lr_lambda: (e) => 0.9 ** e })',
    run: (tg) => new (S(tg).LambdaLR)(sgd(tg), { lr_lambda: (e: number) => 0.9 ** e }),
    expect: { throws: 'ValueError', message: /LambdaLR: unknown option 'lr_lambda'.*'lrLambda'/ },
  },
  {
    code: "new lr_scheduler.ReduceLROnPlateau(opt, 'min', { patience: 2 })",
    run: (tg) => {
      const opt = sgd(tg);
      const sched = new (S(tg).ReduceLROnPlateau)(opt, 'min', { patience: 2 });
      return [1, 1, 1, 1].map((m) => (sched.step(m), group(opt).lr));
    },
    expect: { check: (l) => close(l, [0.1, 0.1, 0.1, 0.01]) }, // the third epoch without improvement exceeds patience 2
  },
  {
    code: "new lr_scheduler.ReduceLROnPlateau(opt, 'max', 0.5, 0)",
    run: (tg) => {
      const opt = sgd(tg);
      const sched = new (S(tg).ReduceLROnPlateau)(opt, 'max', 0.5, 0);
      return [1, 2, 1].map((m) => (sched.step(m), group(opt).lr));
    },
    expect: { check: (l) => close(l, [0.1, 0.1, 0.05]) },
  },
  {
    code: "new lr_scheduler.ReduceLROnPlateau(opt, { mode: 'minimum' })",
    run: (tg) => new (S(tg).ReduceLROnPlateau)(sgd(tg), { mode: 'minimum' }),
    expect: { throws: 'ValueError', message: /ReduceLROnPlateau: mode must be one of 'min', 'max', got 'minimum'/ },
  },
  {
    code: "new lr_scheduler.ReduceLROnPlateau(opt, 'min', { verbose: true })",
    run: (tg) => new (S(tg).ReduceLROnPlateau)(sgd(tg), 'min', { verbose: true }),
    expect: { throws: 'NotImplementedError', message: /ReduceLROnPlateau: verbose = true is not implemented/ },
  },
  {
    code: "new lr_scheduler.ReduceLROnPlateau('min', opt) // optimizer first",
    run: (tg) => new (S(tg).ReduceLROnPlateau)('min', sgd(tg)),
    expect: { throws: 'ArgumentTypeError', message: /ReduceLROnPlateau: the first argument must be an optimizer/ },
  },
  {
    code: 'new lr_scheduler.ConstantLR(opt, 0.5, 3)',
    run: (tg) => lrs(tg, (o) => new (S(tg).ConstantLR)(o, 0.5, 3), 5),
    expect: { check: (l) => close(l, [0.05, 0.05, 0.05, 0.1, 0.1]) },
  },
  {
    code: 'new lr_scheduler.PolynomialLR(opt, 4, 2.0)',
    run: (tg) => lrs(tg, (o) => new (S(tg).PolynomialLR)(o, 4, 2.0), 5),
    expect: { check: (l) => close(l, [0.1, 0.05625, 0.025, 0.00625, 0]) }, // 0.1·(1 - e/4)²
  },
  {
    code: 'new lr_scheduler.ChainedScheduler([ConstantLR(opt, 0.1, 2), ExponentialLR(opt, 0.9)])',
    run: (tg) => lrs(tg, (o) => new (S(tg).ChainedScheduler)([new (S(tg).ConstantLR)(o, 0.1, 2), new (S(tg).ExponentialLR)(o, 0.9)]), 4),
    expect: { check: (l) => close(l, [0.01, 0.009, 0.081, 0.0729]) },
  },
  {
    code: 'scheduler.step(5) // PyTorch\'s deprecated step(epoch) jumps to that epoch',
    run: (tg) => {
      const opt = sgd(tg);
      new (S(tg).StepLR)(opt, 2, 0.5).step(5);
      return group(opt).lr;
    },
    expect: { check: (lr) => expect(lr).toBeCloseTo(0.025, 12) }, // 0.1·0.5^⌊5/2⌋
  },
];
