// PyTorch's call forms of the optimizers: positional hyperparameters in PyTorch's order, an options
// object, or both, give the same groups; one step of each is checked against the update rule
// written out by hand for w = [1, 2], loss = sum(w²) (gradient 2w).
import { describe, expect, it } from 'vitest';
import { optim, tensor, zeros, ArgumentTypeError, NotImplementedError, ValueError, type Tensor } from '../../src/index.js';

type Any = any;

function oneStep(make: (params: Tensor[]) => optim.Optimizer, steps = 1): number[] {
  const w = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
  const opt = make([w]);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    w.pow(2).sum().backward();
    opt.step();
  }
  return w.toArray() as number[];
}

const w0 = [1, 2];
const g0 = w0.map((x) => 2 * x);

interface Form {
  name: string;
  positional: (p: Tensor[]) => optim.Optimizer;
  options: (p: Tensor[]) => optim.Optimizer;
  group: Record<string, unknown>;
  expected: number[];
  steps?: number;
}

const forms: Form[] = [
  {
    name: 'SGD(params, lr, momentum, dampening, weightDecay, nesterov)',
    positional: (p) => new optim.SGD(p, 0.1, 0.9, 0.5, 0.1, false),
    options: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.1, nesterov: false }),
    group: { lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.1, nesterov: false, maximize: false },
    // First step: the buffer is the decayed gradient itself (no dampening): w - lr·(g + λw).
    expected: w0.map((w, i) => w - 0.1 * (g0[i]! + 0.1 * w)),
  },
  {
    name: 'Adam(params, lr, betas, eps, weightDecay, amsgrad)',
    positional: (p) => new optim.Adam(p, 0.1, [0.8, 0.9], 1e-3, 0.1, true),
    options: (p) => new optim.Adam(p, { lr: 0.1, betas: [0.8, 0.9], eps: 1e-3, weightDecay: 0.1, amsgrad: true }),
    group: { lr: 0.1, betas: [0.8, 0.9], eps: 1e-3, weightDecay: 0.1, amsgrad: true },
    // First step: m̂ = g', v̂ = g'², g' = g + λw: w - lr·g'/(|g'| + eps).
    expected: w0.map((w, i) => {
      const g = g0[i]! + 0.1 * w;
      return w - (0.1 * g) / (Math.abs(g) + 1e-3);
    }),
  },
  {
    name: 'AdamW(params, lr, betas, eps, weightDecay)',
    positional: (p) => new optim.AdamW(p, 0.1, [0.8, 0.9], 1e-3, 0.5),
    options: (p) => new optim.AdamW(p, { lr: 0.1, betas: [0.8, 0.9], eps: 1e-3, weightDecay: 0.5 }),
    group: { lr: 0.1, betas: [0.8, 0.9], eps: 1e-3, weightDecay: 0.5, amsgrad: false },
    expected: w0.map((w, i) => w * (1 - 0.1 * 0.5) - (0.1 * g0[i]!) / (Math.abs(g0[i]!) + 1e-3)),
  },
  {
    name: 'RMSprop(params, lr, alpha, eps, weightDecay, momentum, centered)',
    positional: (p) => new optim.RMSprop(p, 0.01, 0.9, 1e-3, 0, 0, false),
    options: (p) => new optim.RMSprop(p, { lr: 0.01, alpha: 0.9, eps: 1e-3 }),
    group: { lr: 0.01, alpha: 0.9, eps: 1e-3, weightDecay: 0, momentum: 0, centered: false },
    // v = (1 - α)g²: w - lr·g/(√v + eps).
    expected: w0.map((w, i) => w - (0.01 * g0[i]!) / (Math.sqrt(0.1 * g0[i]! ** 2) + 1e-3)),
  },
  {
    name: 'Adagrad(params, lr, lrDecay, weightDecay, initialAccumulatorValue, eps), two steps',
    positional: (p) => new optim.Adagrad(p, 0.1, 0.5, 0, 0.25, 1e-3),
    options: (p) => new optim.Adagrad(p, { lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 0.25, eps: 1e-3 }),
    group: { lr: 0.1, lrDecay: 0.5, weightDecay: 0, initialAccumulatorValue: 0.25, eps: 1e-3 },
    steps: 2,
    // step t: clr = lr / (1 + (t - 1)·lrDecay); sum += g²; w -= clr·g/(√sum + eps).
    expected: w0.map((w) => {
      let sum = 0.25;
      for (let t = 1; t <= 2; t++) {
        const g = 2 * w;
        sum += g * g;
        w -= ((0.1 / (1 + (t - 1) * 0.5)) * g) / (Math.sqrt(sum) + 1e-3);
      }
      return w;
    }),
  },
  {
    name: 'Adadelta(params, lr, rho, eps, weightDecay)',
    positional: (p) => new optim.Adadelta(p, 0.5, 0.5, 1e-2, 0),
    options: (p) => new optim.Adadelta(p, { lr: 0.5, rho: 0.5, eps: 1e-2 }),
    group: { lr: 0.5, rho: 0.5, eps: 1e-2, weightDecay: 0 },
    // v = (1 - ρ)g²; Δ = √(0 + eps)/√(v + eps)·g; w - lr·Δ.
    expected: w0.map((w, i) => w - 0.5 * (Math.sqrt(1e-2) / Math.sqrt(0.5 * g0[i]! ** 2 + 1e-2)) * g0[i]!),
  },
  {
    name: 'Adamax(params, lr, betas, eps, weightDecay)',
    positional: (p) => new optim.Adamax(p, 0.1, [0.5, 0.99], 1e-3, 0),
    options: (p) => new optim.Adamax(p, { lr: 0.1, betas: [0.5, 0.99], eps: 1e-3 }),
    group: { lr: 0.1, betas: [0.5, 0.99], eps: 1e-3, weightDecay: 0 },
    // m = (1 - β1)g, u = |g| + eps: w - lr·m/((1 - β1)·u).
    expected: w0.map((w, i) => w - (0.1 * 0.5 * g0[i]!) / (0.5 * (Math.abs(g0[i]!) + 1e-3))),
  },
  {
    name: 'RAdam(params, lr, betas, eps, weightDecay)',
    positional: (p) => new optim.RAdam(p, 0.1, [0.9, 0.999], 1e-8, 0),
    options: (p) => new optim.RAdam(p, { lr: 0.1 }),
    group: { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 },
    // ρ_1 = 1 ≤ 5: the unrectified step w - lr·m̂ with m̂ = g.
    expected: w0.map((w, i) => w - 0.1 * g0[i]!),
  },
  {
    name: 'NAdam(params, lr, betas, eps, weightDecay, momentumDecay)',
    positional: (p) => new optim.NAdam(p, 0.1, [0.9, 0.999], 1e-8, 0, 0.004),
    options: (p) => new optim.NAdam(p, { lr: 0.1, momentumDecay: 0.004 }),
    group: { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 0.004 },
    // μ_t = β1(1 - 0.5·0.96^(tψ)); w - lr(1 - μ1)g/((1 - μ1)(√v̂ + eps)) - lr·μ2·m/((1 - μ1μ2)(√v̂ + eps)), v̂ = g².
    expected: w0.map((w, i) => {
      const g = g0[i]!;
      const mu1 = 0.9 * (1 - 0.5 * 0.96 ** 0.004);
      const mu2 = 0.9 * (1 - 0.5 * 0.96 ** 0.008);
      const denom = Math.abs(g) + 1e-8;
      return w - (0.1 * (1 - mu1) * g) / ((1 - mu1) * denom) - (0.1 * mu2 * 0.1 * g) / ((1 - mu1 * mu2) * denom);
    }),
  },
];

describe('optimizer call forms', () => {
  it.each(forms)('$name', ({ positional, options, group, expected, steps }) => {
    const groupOf = (o: optim.Optimizer): Record<string, unknown> => {
      const { params: _p, ...rest } = o.paramGroups[0] as Any;
      return rest;
    };
    const a = groupOf(positional([zeros([1], { requiresGrad: true })]));
    const b = groupOf(options([zeros([1], { requiresGrad: true })]));
    expect(a).toEqual(b);
    expect(a).toMatchObject(group);
    const w = oneStep(positional, steps);
    w.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 12));
    expect(oneStep(options, steps)).toEqual(w);
  });

  it('mixes positional hyperparameters with an options object', () => {
    const g = new optim.SGD([zeros([1], { requiresGrad: true })], 0.1, 0.9, { nesterov: true, maximize: true }).paramGroups[0]!;
    expect([g.lr, g.momentum, g.nesterov, g.maximize]).toEqual([0.1, 0.9, true, true]);
  });

  it('takes undefined positionally as "not given"', () => {
    const g = new optim.Adam([zeros([1], { requiresGrad: true })], undefined as Any, [0.5, 0.5]).paramGroups[0]!;
    expect([g.lr, g.betas]).toEqual([1e-3, [0.5, 0.5]]);
  });

  it('LBFGS takes all its PyTorch arguments positionally, maxEval null as its default', () => {
    const g = new optim.LBFGS([zeros([1], { requiresGrad: true })], 0.5, 8, null, 1e-5, 1e-7, 4, 'strong_wolfe').paramGroups[0]!;
    expect([g.lr, g.maxIter, g.maxEval, g.toleranceGrad, g.toleranceChange, g.historySize, g.lineSearchFn]).toEqual([
      0.5,
      8,
      10,
      1e-5,
      1e-7,
      4,
      'strongWolfe',
    ]);
  });

  it('rejects snake_case keys, typos, a key given twice and extra positional arguments', () => {
    const p = () => [zeros([1], { requiresGrad: true })];
    expect(() => new optim.RMSprop(p(), { weight_decay: 0.1 } as Any)).toThrow(ValueError);
    expect(() => new optim.RMSprop(p(), { weight_decay: 0.1 } as Any)).toThrow(/did you mean 'weightDecay'/);
    expect(() => new optim.Adagrad(p(), { lr_decay: 0.1 } as Any)).toThrow(/did you mean 'lrDecay'/);
    expect(() => new optim.Adam(p(), { bettas: [0.9, 0.99] } as Any)).toThrow(/did you mean 'betas'/);
    expect(() => new optim.Adam(p(), 0.1, { lr: 0.1 } as Any)).toThrow(ArgumentTypeError);
    expect(() => new (optim.RMSprop as Any)(p(), 0.1, 0.9, 1e-8, 0, 0, false, null)).toThrow(/too many arguments/);
    expect(() => new (optim.LBFGS as Any)(p(), { foreach: true })).toThrow(/unknown option 'foreach'/);
  });

  it('accepts foreach; differentiable, capturable and fused only at their defaults', () => {
    const p = () => [zeros([1], { requiresGrad: true })];
    expect(() => new optim.SGD(p(), 0.1, { foreach: false, differentiable: false })).not.toThrow();
    expect(() => new optim.Adam(p(), { capturable: false, fused: null })).not.toThrow();
    expect(() => new optim.SGD(p(), 0.1, { differentiable: true })).toThrow(NotImplementedError);
    expect(() => new optim.AdamW(p(), { capturable: true })).toThrow(NotImplementedError);
    expect(new optim.Adam(p(), { foreach: true }).paramGroups[0]).not.toHaveProperty('foreach');
  });

  it('checks parameter groups and addParamGroup with the same spec', () => {
    const p = () => zeros([1], { requiresGrad: true });
    expect(() => new optim.Adam([{ params: [p()], amsgrad: 'yes' } as Any])).toThrow(ArgumentTypeError);
    const opt = new optim.Adam([p()], 0.1);
    opt.addParamGroup({ params: [p()], betas: [0.5, 0.6] });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, betas: [0.5, 0.6] });
    expect(() => opt.addParamGroup({ params: [p()], beta: [0.5, 0.6] } as Any)).toThrow(/did you mean 'betas'/);
    expect(() => opt.addParamGroup({ params: 3 } as Any)).toThrow(ArgumentTypeError);
  });

  it('zeroGrad takes setToNone positionally or as an option', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([w], 0.1);
    w.sum().backward();
    opt.zeroGrad(false);
    expect(w.grad?.toArray()).toEqual([0, 0]);
    opt.zeroGrad({ setToNone: true });
    expect(w.grad).toBeNull();
    expect(() => opt.zeroGrad({ setToNone: 'no' } as Any)).toThrow(ArgumentTypeError);
  });
});
