/** Options meta-test entries for the autograd exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the autograd area. */
export const table: OptionsTable = {
  'autograd.GradFn': { none: 'not constructed by users: tensor.gradFn returns one' },
  'autograd.functional.vjp': (tg, o) => tg.autograd.functional.vjp((x) => x.sum(), tg.ones([2]), undefined, o),
  'autograd.functional.jvp': (tg, o) => tg.autograd.functional.jvp((x) => x.mul(2), tg.ones([2]), tg.ones([2]), o),
  'autograd.functional.vhp': (tg, o) => tg.autograd.functional.vhp((x) => x.pow(2).sum(), tg.ones([2]), tg.ones([2]), o),
  'autograd.functional.hvp': (tg, o) => tg.autograd.functional.hvp((x) => x.pow(2).sum(), tg.ones([2]), tg.ones([2]), o),
  'autograd.functional.jacobian': (tg, o) => tg.autograd.functional.jacobian((x) => x.mul(2), tg.ones([2]), { vectorize: true, chunkSize: 1, ...o }),
  'autograd.functional.hessian': (tg, o) => tg.autograd.functional.hessian((x) => x.pow(2).sum(), tg.ones([2]), { vectorize: true, chunkSize: 1, ...o }),
  'autograd.toDot': (tg, o) => tg.autograd.toDot(tg.ones([2], { requiresGrad: true }).sum(), o),
  'autograd.toMermaid': (tg, o) => tg.autograd.toMermaid(tg.ones([2], { requiresGrad: true }).sum(), o),
  'autograd.grad': (tg, o) => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    return tg.autograd.grad(x.mul(x).sum(), x, o);
  },
  'autograd.gradcheck': (tg, o) => tg.autograd.gradcheck((t) => t.mul(2), [tg.tensor([1], { dtype: 'float64', requiresGrad: true })], o),
  'autograd.gradgradcheck': (tg, o) => tg.autograd.gradgradcheck((t) => t.mul(t), [tg.tensor([1], { dtype: 'float64', requiresGrad: true })], o),
  'autograd.Function': { none: 'subclassed; apply passes its arguments to your forward' },
  'autograd.FunctionCtx': { none: 'made by Function.apply and handed to forward/backward' },
  'autograd.detectAnomaly': { none: 'takes the function to run' },
  'autograd.noGrad': { none: 'takes the function to run (an object is a typed error)' },
  'autograd.enableGrad': { none: 'takes the function to run (an object is a typed error)' },
  'autograd.setGradEnabled': { none: 'takes a boolean (an object is a typed error)' },
  'autograd.isGradEnabled': { none: 'takes no arguments' },
};
