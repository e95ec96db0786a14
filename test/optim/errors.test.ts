// Invalid hyperparameters and parameters: a ValueError naming the optimizer, the option and the value.
import { describe, expect, it } from 'vitest';
import { optim, tensor, zeros, ValueError, type Tensor } from '../../src/index.js';

type Ctor = new (params: Tensor[], options: Record<string, unknown>) => optim.Optimizer;
const C = (c: unknown): Ctor => c as Ctor;

const invalid: [string, Ctor, Record<string, unknown>, RegExp][] = [
  ['SGD', C(optim.SGD), { lr: -0.1 }, /^SGD: invalid lr: -0\.1 \(must be >= 0\)/],
  ['SGD', C(optim.SGD), { lr: NaN }, /^SGD: invalid lr: NaN/],
  ['SGD', C(optim.SGD), { momentum: -0.5 }, /^SGD: invalid momentum: -0\.5/],
  ['SGD', C(optim.SGD), { weightDecay: -1 }, /^SGD: invalid weightDecay: -1/],
  ['SGD', C(optim.SGD), { nesterov: true }, /^SGD: invalid momentum: 0 \(nesterov needs momentum > 0\)/],
  ['SGD', C(optim.SGD), { nesterov: true, momentum: 0.9, dampening: 0.1 }, /^SGD: invalid dampening: 0\.1 \(nesterov needs dampening 0\)/],
  ['SGD', C(optim.SGD), { dampening: Infinity }, /^SGD: invalid dampening: Infinity/],
  ['SGD', C(optim.SGD), { maximize: 'yes' }, /^SGD: invalid maximize: yes/],
  ['Adagrad', C(optim.Adagrad), { lr: -1 }, /^Adagrad: invalid lr: -1/],
  ['Adagrad', C(optim.Adagrad), { lrDecay: -1 }, /^Adagrad: invalid lrDecay: -1/],
  ['Adagrad', C(optim.Adagrad), { weightDecay: -1 }, /^Adagrad: invalid weightDecay: -1/],
  ['Adagrad', C(optim.Adagrad), { initialAccumulatorValue: -1 }, /^Adagrad: invalid initialAccumulatorValue: -1/],
  ['Adagrad', C(optim.Adagrad), { eps: -1 }, /^Adagrad: invalid eps: -1/],
  ['RMSprop', C(optim.RMSprop), { lr: -1 }, /^RMSprop: invalid lr: -1/],
  ['RMSprop', C(optim.RMSprop), { alpha: 1.5 }, /^RMSprop: invalid alpha: 1\.5 \(must be in \[0, 1\]\)/],
  ['RMSprop', C(optim.RMSprop), { eps: -1 }, /^RMSprop: invalid eps: -1/],
  ['RMSprop', C(optim.RMSprop), { momentum: -1 }, /^RMSprop: invalid momentum: -1/],
  ['RMSprop', C(optim.RMSprop), { weightDecay: -1 }, /^RMSprop: invalid weightDecay: -1/],
  ['RMSprop', C(optim.RMSprop), { centered: 1 }, /^RMSprop: invalid centered: 1/],
  ['Adam', C(optim.Adam), { lr: -1e-3 }, /^Adam: invalid lr: -0\.001/],
  ['Adam', C(optim.Adam), { betas: [1, 0.999] }, /^Adam: invalid betas\[0\]: 1 \(must be in \[0, 1\)\)/],
  ['Adam', C(optim.Adam), { betas: [0.9, -0.1] }, /^Adam: invalid betas\[1\]: -0\.1/],
  ['Adam', C(optim.Adam), { betas: [0.9] }, /^Adam: invalid betas: \[0\.9\] \(must be a pair/],
  ['Adam', C(optim.Adam), { eps: -1 }, /^Adam: invalid eps: -1/],
  ['Adam', C(optim.Adam), { weightDecay: -1 }, /^Adam: invalid weightDecay: -1/],
  ['Adam', C(optim.Adam), { amsgrad: 'no' }, /^Adam: invalid amsgrad: no/],
  ['AdamW', C(optim.AdamW), { betas: [0.9, 1] }, /^AdamW: invalid betas\[1\]: 1/],
  ['AdamW', C(optim.AdamW), { weightDecay: -0.01 }, /^AdamW: invalid weightDecay: -0\.01/],
  ['Adadelta', C(optim.Adadelta), { lr: -1 }, /^Adadelta: invalid lr: -1/],
  ['Adadelta', C(optim.Adadelta), { rho: 1.1 }, /^Adadelta: invalid rho: 1\.1/],
  ['Adadelta', C(optim.Adadelta), { eps: -1 }, /^Adadelta: invalid eps: -1/],
  ['Adadelta', C(optim.Adadelta), { weightDecay: -1 }, /^Adadelta: invalid weightDecay: -1/],
  ['Adamax', C(optim.Adamax), { betas: [-0.1, 0.9] }, /^Adamax: invalid betas\[0\]: -0\.1/],
  ['Adamax', C(optim.Adamax), { eps: -1 }, /^Adamax: invalid eps: -1/],
  ['Adamax', C(optim.Adamax), { lr: -1 }, /^Adamax: invalid lr: -1/],
  ['NAdam', C(optim.NAdam), { momentumDecay: -1 }, /^NAdam: invalid momentumDecay: -1/],
  ['NAdam', C(optim.NAdam), { betas: [0.9, 1.5] }, /^NAdam: invalid betas\[1\]: 1\.5/],
  ['NAdam', C(optim.NAdam), { weightDecay: -1 }, /^NAdam: invalid weightDecay: -1/],
  ['RAdam', C(optim.RAdam), { betas: [1.2, 0.9] }, /^RAdam: invalid betas\[0\]: 1\.2/],
  ['RAdam', C(optim.RAdam), { lr: -1 }, /^RAdam: invalid lr: -1/],
  ['RAdam', C(optim.RAdam), { eps: -1 }, /^RAdam: invalid eps: -1/],
  ['LBFGS', C(optim.LBFGS), { lr: -1 }, /^LBFGS: invalid lr: -1/],
  ['LBFGS', C(optim.LBFGS), { maxIter: 0 }, /^LBFGS: invalid maxIter: 0 \(must be an integer >= 1\)/],
  ['LBFGS', C(optim.LBFGS), { maxEval: 2.5 }, /^LBFGS: invalid maxEval: 2\.5/],
  ['LBFGS', C(optim.LBFGS), { historySize: 0 }, /^LBFGS: invalid historySize: 0/],
  ['LBFGS', C(optim.LBFGS), { toleranceGrad: -1 }, /^LBFGS: invalid toleranceGrad: -1/],
  ['LBFGS', C(optim.LBFGS), { toleranceChange: -1 }, /^LBFGS: invalid toleranceChange: -1/],
  ['LBFGS', C(optim.LBFGS), { lineSearchFn: 'armijo' }, /^LBFGS: invalid lineSearchFn: armijo \(must be 'strongWolfe' or null\)/],
];

describe('invalid hyperparameters', () => {
  it.each(invalid)('%s %o', (_name, Ctor, options, message) => {
    const w = zeros([2], { requiresGrad: true });
    let caught: unknown;
    try {
      new Ctor([w], options);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValueError);
    expect((caught as Error).message).toMatch(message);
  });

  it('validates per-group options too', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => new optim.Adam([{ params: [w], betas: [0.9, 1] }], { lr: 0.1 })).toThrow(/Adam: invalid betas\[1\]: 1/);
    const opt = new optim.SGD([w], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [zeros([1], { requiresGrad: true })], lr: -2 })).toThrow(/SGD: invalid lr: -2/);
  });
});

describe('invalid parameters', () => {
  const w = (): Tensor => zeros([2], { requiresGrad: true });
  it.each([
    ['an empty list', () => new optim.SGD([], { lr: 0.1 }), /SGD: got an empty parameter list/],
    ['a bare tensor', () => new optim.SGD(w() as unknown as Tensor[], { lr: 0.1 }), /SGD: params must be an iterable of tensors or of parameter groups.*got a Tensor of shape \[2\]/],
    ['a non-leaf tensor', () => new optim.SGD([w().mul(2)], { lr: 0.1 }), /SGD: can't optimize a non-leaf tensor/],
    ['an int tensor', () => new optim.Adam([tensor([1, 2], { dtype: 'int32' })]), /Adam: can only optimize float tensors, params\[0\] has dtype int32/],
    ['a repeated tensor', () => { const p = w(); return new optim.SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 }); }, /SGD: some parameters appear in more than one parameter group/],
    ['tensors mixed with groups', () => new optim.SGD([w(), { params: [w()] }] as unknown as Tensor[], { lr: 0.1 }), /SGD: params mixes tensors and parameter groups/],
    ['an empty group', () => new optim.SGD([{ params: [] }], { lr: 0.1 }), /SGD: a parameter group has an empty parameter list/],
    ['a non-tensor', () => new optim.SGD([{ params: [3 as unknown as Tensor] }], { lr: 0.1 }), /SGD: params\[0\] is not a Tensor \(got number 3\)/],
    ['LBFGS with two groups', () => new optim.LBFGS([{ params: [w()] }, { params: [w()] }]), /LBFGS: doesn't support per-parameter options/],
  ] as const)('%s', (_what, make, message) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });

  it('LBFGS.step needs a closure; addParamGroup is refused', () => {
    const opt = new optim.LBFGS([w()]);
    expect(() => opt.step()).toThrow(ValueError);
    expect(() => opt.step()).toThrow(/LBFGS.step: a closure/);
    expect(() => opt.addParamGroup({ params: [w()] })).toThrow(/LBFGS: doesn't support per-parameter options/);
  });
});
