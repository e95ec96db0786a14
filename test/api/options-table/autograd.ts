/** Options meta-test entries for the autograd exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the autograd area. */
export const table: OptionsTable = {
  'autograd.GradFn': { none: 'not constructed by users: tensor.gradFn returns one' },
  'autograd.functional.vjp': (tg, o) => tg.autograd.functional.vjp((x) => x.sum(), tg.ones([2]), undefined, o),
  'autograd.functional.jvp': (tg, o) => tg.autograd.functional.jvp((x) => x.mul(2), tg.ones([2]), tg.ones([2]), o),
  'autograd.functional.vhp': (tg, o) => tg.autograd.functional.vhp((x) => x.pow(2).sum(), tg.ones([2]), tg.ones([2]), o),
  'autograd.functional.hvp': (tg, o) => tg.autograd.functional.hvp((x) => x.pow(2).sum(), tg.ones([2]), tg.ones([2]), o),
  'autograd.functional.jacobian': (tg, o) => tg.autograd.functional.jacobian((x) => x.mul(2), tg.ones([2]), o),
  'autograd.functional.hessian': (tg, o) => tg.autograd.functional.hessian((x) => x.pow(2).sum(), tg.ones([2]), o),
  'autograd.toDot': (tg, o) => tg.autograd.toDot(tg.ones([2], { requiresGrad: true }).sum(), o),
  'autograd.toMermaid': (tg, o) => tg.autograd.toMermaid(tg.ones([2], { requiresGrad: true }).sum(), o),
};
