/** Options meta-test entries for the autograd exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the autograd area. */
export const table: OptionsTable = {
  'autograd.grad': (tg, o) => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    return tg.autograd.grad(x.mul(x).sum(), x, o as never);
  },
  'autograd.gradcheck': (tg, o) => tg.autograd.gradcheck((t) => t.mul(2), [tg.tensor([1], { dtype: 'float64', requiresGrad: true })], o as never),
  'autograd.gradgradcheck': (tg, o) => tg.autograd.gradgradcheck((t) => t.mul(t), [tg.tensor([1], { dtype: 'float64', requiresGrad: true })], o as never),
  'autograd.Function': { none: 'subclassed; apply passes its arguments to your forward' },
  'autograd.FunctionCtx': { none: 'made by Function.apply and handed to forward/backward' },
  'autograd.detectAnomaly': { none: 'takes the function to run' },
  'autograd.noGrad': { none: 'takes the function to run (an object is a typed error)' },
  'autograd.enableGrad': { none: 'takes the function to run (an object is a typed error)' },
  'autograd.setGradEnabled': { none: 'takes a boolean (an object is a typed error)' },
  'autograd.isGradEnabled': { none: 'takes no arguments' },
};
