/**
 * Stochastic gradient descent, with momentum, dampening, Nesterov momentum and weight decay.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { bool, num } from '../autograd/args.js';
import { ValueError } from '../autograd/errors.js';
import { buf, forEachGrad, stateBuffer, stateOf } from './state.js';
import { FloatLoop } from '../kernels/float-loop.js';
import type { FloatArray } from '../kernels/typed-array.js';
import { Optimizer, type Closure, type OptimizerOptions, type ParamsInput } from './optimizer.js';
import { checkGroupOptions, nonNegative, readOptimizerArgs, type OptimizerArgs, type OptimizerCallOptions } from './options.js';
import { sgdUpdateKernel } from '../kernels/runtime/index.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Momentum factor μ (default 0: plain gradient descent). */
  momentum: number;
  /** Dampening τ of the momentum (default 0). */
  dampening: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Use Nesterov momentum (needs momentum > 0 and dampening 0; default false). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** The options of {@link SGD}, each with its check. @internal */
export const SGD_SPEC = {
  lr: nonNegative,
  momentum: nonNegative,
  dampening: num(),
  weightDecay: nonNegative,
  nesterov: bool,
  maximize: bool,
};

/** SGD's positional hyperparameters after `params`, in PyTorch's order. */
export type SGDPositional = [lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean];

/** Hyperparameters of {@link sgdUpdate}. @internal */
export interface SGDHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * One SGD update of `p` in place (see {@link SGD} for the algorithm). `momentumBuf` is null without
 * momentum; `first` is true on the buffer's first step (it is then set to the gradient).
 * Runs the loop compiled for the parameter's dtype and the variant (`SGD_LOOPS`), without branches
 * inside: a shared loop (both dtypes, or a `nesterov ? … : …` per element) runs measurably slower.
 * Float32 parameters take the WebAssembly SIMD path (the runtime's `sgdUpdateKernel`, computed in float32) when it
 * is available, from a few dozen elements, except on the momentum buffer's first step.
 * @internal
 */
export function sgdUpdate(p: FloatArray, g: FloatArray, momentumBuf: FloatArray | null, first: boolean, hp: SGDHyper): void {
  const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = hp;
  const sign = hp.maximize ? -1 : 1;
  const keep = 1 - dampening;
  if (sgdUpdateKernel(p, g, momentumBuf, first, nesterov, sign, wd, lr, mu, keep)) return;
  if (momentumBuf === null) SGD_LOOPS.plain.for(p)(p, g, sign, wd, lr);
  else if (first) SGD_LOOPS.firstMomentum.for(p)(p, g, momentumBuf, nesterov, sign, wd, lr, mu);
  else if (nesterov) SGD_LOOPS.nesterov.for(p)(p, g, momentumBuf, sign, wd, lr, mu, keep);
  else SGD_LOOPS.momentum.for(p)(p, g, momentumBuf, sign, wd, lr, mu, keep);
}

type PlainLoop = (p: FloatArray, g: FloatArray, sign: number, wd: number, lr: number) => void;
type FirstMomentumLoop = (
  p: FloatArray,
  g: FloatArray,
  b: FloatArray,
  nesterov: boolean,
  sign: number,
  wd: number,
  lr: number,
  mu: number,
) => void;
type MomentumLoop = (p: FloatArray, g: FloatArray, b: FloatArray, sign: number, wd: number, lr: number, mu: number, keep: number) => void;

/** The step every variant starts with: the direction d ← sign·g + λθ. */
const DIRECTION = 'sign * g[i] + wd * p[i]';

/**
 * SGD's update loops, one per variant, each compiled per dtype:
 * d ← sign·g + λθ;  with momentum: b ← (first ? d : μb + (1−τ)d), d ← (nesterov ? d + μb : b);  θ ← θ − γd.
 * @internal
 */
const SGD_LOOPS = {
  /** Without momentum. */
  plain: new FloatLoop<PlainLoop>({
    name: 'sgd',
    params: ['p', 'g', 'sign', 'wd', 'lr'],
    body: `const d = ${DIRECTION}; p[i] = p[i] - lr * d;`,
  }),
  /** The momentum buffer's first step (b ← d), with or without Nesterov. */
  firstMomentum: new FloatLoop<FirstMomentumLoop>({
    name: 'sgdFirstMomentum',
    params: ['p', 'g', 'b', 'nesterov', 'sign', 'wd', 'lr', 'mu'],
    body: `let d = ${DIRECTION}; b[i] = d; d = nesterov ? d + mu * d : d; p[i] = p[i] - lr * d;`,
  }),
  /** Momentum after the first step. */
  momentum: new FloatLoop<MomentumLoop>({
    name: 'sgdMomentum',
    params: ['p', 'g', 'b', 'sign', 'wd', 'lr', 'mu', 'keep'],
    body: `const d = ${DIRECTION}; const bi = mu * b[i] + keep * d; b[i] = bi; p[i] = p[i] - lr * bi;`,
  }),
  /** Nesterov momentum after the first step. */
  nesterov: new FloatLoop<MomentumLoop>({
    name: 'sgdNesterov',
    params: ['p', 'g', 'b', 'sign', 'wd', 'lr', 'mu', 'keep'],
    body: `const d = ${DIRECTION}; const bi = mu * b[i] + keep * d; b[i] = bi; p[i] = p[i] - lr * (d + mu * bi);`,
  }),
};

/**
 * Stochastic gradient descent (optionally with momentum), as in PyTorch's `torch.optim.SGD`.
 * Full-batch gradient descent is this optimizer applied to the loss over the whole dataset;
 * "Momentum" is SGD with `momentum > 0`; Nesterov's accelerated gradient is `nesterov: true`.
 *
 * ```text
 * input: γ (lr), θ0 (params), f(θ) (objective), λ (weightDecay), μ (momentum), τ (dampening), nesterov, maximize
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   if λ ≠ 0: g_t ← g_t + λ θ_{t-1}
 *   if μ ≠ 0:
 *     if t > 1: b_t ← μ b_{t-1} + (1 - τ) g_t   else: b_t ← g_t
 *     if nesterov: g_t ← g_t + μ b_t            else: g_t ← b_t
 *   θ_t ← θ_{t-1} - γ g_t
 * ```
 * State per parameter: `momentumBuffer` (a tensor, or null without momentum).
 * @example
 * ```ts
 * const w = randn([3], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 100; i++) { opt.zeroGrad(); w.sub(1).pow(2).sum().backward(); opt.step(); }
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `SGD(params, lr, momentum,
   * dampening, weight_decay, nesterov)`, optionally followed by an options object:
   * `new SGD(params, 0.1)`, `new SGD(params, 0.1, 0.9)`, `new SGD(params, 0.1, { momentum: 0.9, nesterov: true })`.
   */
  constructor(params: ParamsInput<SGDOptions>, ...args: OptimizerArgs<SGDPositional, SGDOptions>);
  /**
   * Creates the optimizer from an options object: `new SGD(params, { lr: 0.1, momentum: 0.9 })`.
   * Missing options take the defaults (lr 1e-3, which PyTorch requires you to give).
   */
  constructor(params: ParamsInput<SGDOptions>, options?: OptimizerCallOptions<SGDOptions>);
  constructor(params: ParamsInput<SGDOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('SGD', args, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov'], SGD_SPEC);
    super('SGD', params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...given });
  }

  /** @internal */
  protected override optionSpec(): typeof SGD_SPEC {
    return SGD_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: SGDOptions): void {
    checkGroupOptions('SGD', SGD_SPEC, o);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ValueError(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${o.momentum} and dampening ${o.dampening}`);
    }
  }

  /**
   * One SGD step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    noGrad(() => {
      for (const group of this.paramGroups) {
        forEachGrad('SGD', group.params, (p, pd, gd) => {
          if (group.momentum === 0) {
            sgdUpdate(pd, gd, null, false, group);
            return;
          }
          const s = this.state.get(p);
          const first = s === undefined || s['momentumBuffer'] == null;
          const state = stateOf(this.state, p, () => ({ momentumBuffer: null }));
          if (first) state['momentumBuffer'] = stateBuffer(p);
          sgdUpdate(pd, gd, buf(state, 'momentumBuffer'), first, group);
        });
      }
    });
    return loss;
  }
}
