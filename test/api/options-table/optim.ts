/** Options meta-test entries for the optim exports (see types.ts). */
import type { Lib } from '../wrong-calls/types.js';
import type { OptionsTable } from './types.js';

type Options = any; // the meta-test passes an unknown key on purpose

const param = (tg: Lib) => tg.zeros([2], { requiresGrad: true });
const sgd = (tg: Lib) => new tg.optim.SGD([param(tg)], 0.1, { momentum: 0.9 });
const S = (tg: Lib) => tg.optim.lrScheduler;

/** Entries of the optim area. */
export const table: OptionsTable = {
  'optim.SGD': (tg, o) => new tg.optim.SGD([param(tg)], o),
  'optim.Adam': (tg, o) => new tg.optim.Adam([param(tg)], o),
  'optim.AdamW': (tg, o) => new tg.optim.AdamW([param(tg)], o),
  'optim.Adagrad': (tg, o) => new tg.optim.Adagrad([param(tg)], o),
  'optim.Adadelta': (tg, o) => new tg.optim.Adadelta([param(tg)], o),
  'optim.Adamax': (tg, o) => new tg.optim.Adamax([param(tg)], o),
  'optim.NAdam': (tg, o) => new tg.optim.NAdam([param(tg)], o),
  'optim.RAdam': (tg, o) => new tg.optim.RAdam([param(tg)], o),
  'optim.RMSprop': (tg, o) => new tg.optim.RMSprop([param(tg)], o),
  'optim.LBFGS': (tg, o) => new tg.optim.LBFGS([param(tg)], o),
  // A user's subclass: its parameter groups may only set the keys of its defaults.
  'optim.Optimizer': (tg, o) => {
    class Custom extends tg.optim.Optimizer<{ lr: number }> {
      constructor(params: Options) {
        super('Custom', params, { lr: 0.1 });
      }
      step(): undefined {
        return undefined;
      }
    }
    return new Custom([{ params: [param(tg)], ...o }]);
  },
  'optim.Optimizer#addParamGroup': (tg, o) => sgd(tg).addParamGroup({ params: [param(tg)], ...o }),
  'optim.Optimizer#zeroGrad': (tg, o) => sgd(tg).zeroGrad(o),
  // Parameter groups given to the constructor are checked like addParamGroup.
  'optim.SGD (parameter group)': (tg, o) => new tg.optim.SGD([{ params: [param(tg)], ...o }], 0.1),
  'optim.lrScheduler.LRScheduler': { none: 'the abstract base class; subclasses call its constructor with (name, optimizer, lastEpoch)' },
  'optim.lrScheduler.StepLR': (tg, o) => new (S(tg).StepLR)(sgd(tg), 3, o),
  'optim.lrScheduler.MultiStepLR': (tg, o) => new (S(tg).MultiStepLR)(sgd(tg), [2, 4], o),
  'optim.lrScheduler.ExponentialLR': (tg, o) => new (S(tg).ExponentialLR)(sgd(tg), 0.9, o),
  'optim.lrScheduler.LinearLR': (tg, o) => new (S(tg).LinearLR)(sgd(tg), o),
  'optim.lrScheduler.LambdaLR': (tg, o) => new (S(tg).LambdaLR)(sgd(tg), (e: number) => 0.9 ** e, o),
  'optim.lrScheduler.CosineAnnealingLR': (tg, o) => new (S(tg).CosineAnnealingLR)(sgd(tg), 10, o),
  'optim.lrScheduler.CosineAnnealingWarmRestarts': (tg, o) => new (S(tg).CosineAnnealingWarmRestarts)(sgd(tg), 10, o),
  'optim.lrScheduler.OneCycleLR': (tg, o) => new (S(tg).OneCycleLR)(sgd(tg), 0.1, { totalSteps: 10, ...o }),
  'optim.lrScheduler.CyclicLR': (tg, o) => new (S(tg).CyclicLR)(sgd(tg), 0.01, 0.1, o),
  'optim.lrScheduler.SequentialLR': (tg, o) => {
    const opt = sgd(tg);
    return new (S(tg).SequentialLR)(opt, [new (S(tg).LinearLR)(opt), new (S(tg).StepLR)(opt, 2)], [3], o);
  },
  'optim.lrScheduler.ConstantLR': (tg, o) => new (S(tg).ConstantLR)(sgd(tg), 0.5, o),
  'optim.lrScheduler.MultiplicativeLR': (tg, o) => new (S(tg).MultiplicativeLR)(sgd(tg), () => 0.9, o),
  'optim.lrScheduler.PolynomialLR': (tg, o) => new (S(tg).PolynomialLR)(sgd(tg), 4, o),
  'optim.lrScheduler.ChainedScheduler': { none: "takes one array of schedulers, as PyTorch's ChainedScheduler(schedulers)" },
  'optim.lrScheduler.ReduceLROnPlateau': (tg, o) => new (S(tg).ReduceLROnPlateau)(sgd(tg), o),
};
