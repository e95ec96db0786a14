// Invalid hyperparameters and parameters: a ValueError (an ArgumentTypeError for a wrong type) naming the optimizer, the option and the value.
import { describe, expect, it } from 'vitest';
import { optim, tensor, zeros, ArgumentTypeError, ValueError, type Tensor } from '../../src/index.js';

type Ctor = new (params: Tensor[], options: Record<string, unknown>) => optim.Optimizer;
const C = (c: unknown): Ctor => c as Ctor;

const invalid: [string, Ctor, Record<string, unknown>, typeof ValueError | typeof ArgumentTypeError, RegExp][] = [
  ['SGD', C(optim.SGD), { lr: -0.1 }, ValueError, /^SGD: lr must be >= 0, got -0\.1$/],
  ['SGD', C(optim.SGD), { lr: NaN }, ValueError, /^SGD: lr must be a finite number, got NaN$/],
  ['SGD', C(optim.SGD), { momentum: -0.5 }, ValueError, /^SGD: momentum must be >= 0, got -0\.5$/],
  ['SGD', C(optim.SGD), { weightDecay: -1 }, ValueError, /^SGD: weightDecay must be >= 0, got -1$/],
  [
    'SGD',
    C(optim.SGD),
    { nesterov: true },
    ValueError,
    /^SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0$/,
  ],
  [
    'SGD',
    C(optim.SGD),
    { nesterov: true, momentum: 0.9, dampening: 0.1 },
    ValueError,
    /^SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0\.9 and dampening 0\.1$/,
  ],
  ['SGD', C(optim.SGD), { dampening: Infinity }, ValueError, /^SGD: dampening must be a finite number, got Infinity$/],
  ['SGD', C(optim.SGD), { maximize: 'yes' }, ArgumentTypeError, /^SGD: maximize must be a boolean, got 'yes'$/],
  ['Adagrad', C(optim.Adagrad), { lr: -1 }, ValueError, /^Adagrad: lr must be >= 0, got -1$/],
  ['Adagrad', C(optim.Adagrad), { lrDecay: -1 }, ValueError, /^Adagrad: lrDecay must be >= 0, got -1$/],
  ['Adagrad', C(optim.Adagrad), { weightDecay: -1 }, ValueError, /^Adagrad: weightDecay must be >= 0, got -1$/],
  ['Adagrad', C(optim.Adagrad), { initialAccumulatorValue: -1 }, ValueError, /^Adagrad: initialAccumulatorValue must be >= 0, got -1$/],
  ['Adagrad', C(optim.Adagrad), { eps: -1 }, ValueError, /^Adagrad: eps must be >= 0, got -1$/],
  ['RMSprop', C(optim.RMSprop), { lr: -1 }, ValueError, /^RMSprop: lr must be >= 0, got -1$/],
  ['RMSprop', C(optim.RMSprop), { alpha: 1.5 }, ValueError, /^RMSprop: alpha must be >= 0 and <= 1, got 1\.5$/],
  ['RMSprop', C(optim.RMSprop), { eps: -1 }, ValueError, /^RMSprop: eps must be >= 0, got -1$/],
  ['RMSprop', C(optim.RMSprop), { momentum: -1 }, ValueError, /^RMSprop: momentum must be >= 0, got -1$/],
  ['RMSprop', C(optim.RMSprop), { weightDecay: -1 }, ValueError, /^RMSprop: weightDecay must be >= 0, got -1$/],
  ['RMSprop', C(optim.RMSprop), { centered: 1 }, ArgumentTypeError, /^RMSprop: centered must be a boolean, got 1$/],
  ['Adam', C(optim.Adam), { lr: -1e-3 }, ValueError, /^Adam: lr must be >= 0, got -0\.001$/],
  ['Adam', C(optim.Adam), { betas: [1, 0.999] }, ValueError, /^Adam: betas\[0\] must be >= 0 and < 1, got 1$/],
  ['Adam', C(optim.Adam), { betas: [0.9, -0.1] }, ValueError, /^Adam: betas\[1\] must be >= 0 and < 1, got -0\.1$/],
  ['Adam', C(optim.Adam), { betas: [0.9] }, ValueError, /^Adam: betas must have 2 items, got 1$/],
  ['Adam', C(optim.Adam), { eps: -1 }, ValueError, /^Adam: eps must be >= 0, got -1$/],
  ['Adam', C(optim.Adam), { weightDecay: -1 }, ValueError, /^Adam: weightDecay must be >= 0, got -1$/],
  ['Adam', C(optim.Adam), { amsgrad: 'no' }, ArgumentTypeError, /^Adam: amsgrad must be a boolean, got 'no'$/],
  ['AdamW', C(optim.AdamW), { betas: [0.9, 1] }, ValueError, /^AdamW: betas\[1\] must be >= 0 and < 1, got 1$/],
  ['AdamW', C(optim.AdamW), { weightDecay: -0.01 }, ValueError, /^AdamW: weightDecay must be >= 0, got -0\.01$/],
  ['Adadelta', C(optim.Adadelta), { lr: -1 }, ValueError, /^Adadelta: lr must be >= 0, got -1$/],
  ['Adadelta', C(optim.Adadelta), { rho: 1.1 }, ValueError, /^Adadelta: rho must be >= 0 and <= 1, got 1\.1$/],
  ['Adadelta', C(optim.Adadelta), { eps: -1 }, ValueError, /^Adadelta: eps must be >= 0, got -1$/],
  ['Adadelta', C(optim.Adadelta), { weightDecay: -1 }, ValueError, /^Adadelta: weightDecay must be >= 0, got -1$/],
  ['Adamax', C(optim.Adamax), { betas: [-0.1, 0.9] }, ValueError, /^Adamax: betas\[0\] must be >= 0 and < 1, got -0\.1$/],
  ['Adamax', C(optim.Adamax), { eps: -1 }, ValueError, /^Adamax: eps must be >= 0, got -1$/],
  ['Adamax', C(optim.Adamax), { lr: -1 }, ValueError, /^Adamax: lr must be >= 0, got -1$/],
  ['NAdam', C(optim.NAdam), { momentumDecay: -1 }, ValueError, /^NAdam: momentumDecay must be >= 0, got -1$/],
  ['NAdam', C(optim.NAdam), { betas: [0.9, 1.5] }, ValueError, /^NAdam: betas\[1\] must be >= 0 and < 1, got 1\.5$/],
  ['NAdam', C(optim.NAdam), { weightDecay: -1 }, ValueError, /^NAdam: weightDecay must be >= 0, got -1$/],
  ['RAdam', C(optim.RAdam), { betas: [1.2, 0.9] }, ValueError, /^RAdam: betas\[0\] must be >= 0 and < 1, got 1\.2$/],
  ['RAdam', C(optim.RAdam), { lr: -1 }, ValueError, /^RAdam: lr must be >= 0, got -1$/],
  ['RAdam', C(optim.RAdam), { eps: -1 }, ValueError, /^RAdam: eps must be >= 0, got -1$/],
  ['LBFGS', C(optim.LBFGS), { lr: -1 }, ValueError, /^LBFGS: lr must be >= 0, got -1$/],
  ['LBFGS', C(optim.LBFGS), { maxIter: 0 }, ValueError, /^LBFGS: maxIter must be >= 1, got 0$/],
  ['LBFGS', C(optim.LBFGS), { maxEval: 2.5 }, ValueError, /^LBFGS: maxEval must be an integer, got 2\.5$/],
  ['LBFGS', C(optim.LBFGS), { historySize: 0 }, ValueError, /^LBFGS: historySize must be >= 1, got 0$/],
  ['LBFGS', C(optim.LBFGS), { toleranceGrad: -1 }, ValueError, /^LBFGS: toleranceGrad must be >= 0, got -1$/],
  ['LBFGS', C(optim.LBFGS), { toleranceChange: -1 }, ValueError, /^LBFGS: toleranceChange must be >= 0, got -1$/],
  [
    'LBFGS',
    C(optim.LBFGS),
    { lineSearchFn: 'armijo' },
    ValueError,
    /^LBFGS: lineSearchFn must be 'strongWolfe' \(or PyTorch's 'strong_wolfe'\) or null, got 'armijo'$/,
  ],
];

describe('invalid hyperparameters', () => {
  it.each(invalid)('%s %o', (_name, Ctor, options, errorClass, message) => {
    const w = zeros([2], { requiresGrad: true });
    let caught: unknown;
    try {
      new Ctor([w], options);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(errorClass);
    expect((caught as Error).message).toMatch(message);
  });

  it('validates per-group options too', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => new optim.Adam([{ params: [w], betas: [0.9, 1] }], { lr: 0.1 })).toThrow(
      /^Adam \(parameter group 0\): betas\[1\] must be >= 0 and < 1, got 1$/,
    );
    const opt = new optim.SGD([w], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [zeros([1], { requiresGrad: true })], lr: -2 })).toThrow(
      /^SGD.addParamGroup: lr must be >= 0, got -2$/,
    );
  });
});

describe('invalid parameters', () => {
  const w = (): Tensor => zeros([2], { requiresGrad: true });
  it.each([
    ['an empty list', () => new optim.SGD([], { lr: 0.1 }), /SGD: got an empty parameter list/],
    ['a non-leaf tensor', () => new optim.SGD([w().mul(2)], { lr: 0.1 }), /SGD: can't optimize a non-leaf tensor/],
    [
      'an int tensor',
      () => new optim.Adam([tensor([1, 2], { dtype: 'int32' })]),
      /Adam: can only optimize float tensors, params\[0\] has dtype int32/,
    ],
    [
      'a repeated tensor',
      () => {
        const p = w();
        return new optim.SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 });
      },
      /SGD: some parameters appear in more than one parameter group/,
    ],
    [
      'tensors mixed with groups',
      () => new optim.SGD([w(), { params: [w()] }] as unknown as Tensor[], { lr: 0.1 }),
      /SGD: params mixes tensors and parameter groups/,
    ],
    ['an empty group', () => new optim.SGD([{ params: [] }], { lr: 0.1 }), /SGD: a parameter group has an empty parameter list/],
    [
      'a non-tensor',
      () => new optim.SGD([{ params: [3 as unknown as Tensor] }], { lr: 0.1 }),
      /SGD: params\[0\] is not a Tensor \(got number 3\)/,
    ],
    [
      'LBFGS with two groups',
      () => new optim.LBFGS([{ params: [w()] }, { params: [w()] }]),
      /LBFGS: doesn't support per-parameter options/,
    ],
  ] as const)('%s', (_what, make, message) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });

  it('rejects params of the wrong type with an ArgumentTypeError and a hint', () => {
    expect(() => new optim.SGD(w() as unknown as Tensor[], { lr: 0.1 })).toThrow(ArgumentTypeError);
    expect(() => new optim.SGD(w() as unknown as Tensor[], { lr: 0.1 })).toThrow(
      /SGD: params must be an iterable of tensors or of parameter groups.*got a Tensor of shape \[2\] \(float32\); pass \[tensor\]/,
    );
    const model = { parameters: () => [w()] };
    expect(() => new optim.Adam(model as unknown as Tensor[])).toThrow(/got an object \{ parameters \}; pass model\.parameters\(\)/);
  });

  it('LBFGS.step needs a closure; addParamGroup is refused', () => {
    const opt = new optim.LBFGS([w()]);
    expect(() => opt.step()).toThrow(ValueError);
    expect(() => opt.step()).toThrow(/LBFGS.step: a closure/);
    expect(() => opt.addParamGroup({ params: [w()] })).toThrow(/LBFGS: doesn't support per-parameter options/);
  });
});
