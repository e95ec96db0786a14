/**
 * Adagrad: per-coordinate learning rates from the sum of squared gradients.
 * @module
 */
import type { Tensor } from '../autograd/tensor.js';
import { bool } from '../autograd/args.js';
import { buf, stateBuffer, stateOf, stepEach } from './state.js';
import type { FloatArray } from '../kernels/typed-array.js';
import { checkGroupOptions, nonNegative, readOptimizerArgs, type OptimizerArgs, type OptimizerCallOptions } from './options.js';
import { Optimizer, type Closure, type OptimizerOptions, type ParamState, type ParamsInput } from './optimizer.js';

/** Options of {@link Adagrad}. */
export interface AdagradOptions extends OptimizerOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay η (default 0). */
  lrDecay: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sums (default 0). */
  initialAccumulatorValue: number;
  /** Term added to the denominator for stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** The options of {@link Adagrad}, each with its check. @internal */
const ADAGRAD_SPEC = {
  lr: nonNegative,
  lrDecay: nonNegative,
  weightDecay: nonNegative,
  initialAccumulatorValue: nonNegative,
  eps: nonNegative,
  maximize: bool,
};

/** Adagrad's positional hyperparameters after `params`, in PyTorch's order. */
export type AdagradPositional = [lr: number, lrDecay: number, weightDecay: number, initialAccumulatorValue: number, eps: number];

/** Hyperparameters of `adagradUpdate`. @internal */
interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/** One Adagrad update of `p` in place at step `t` (1-based); see {@link Adagrad}. @internal */
function adagradUpdate(p: FloatArray, g: FloatArray, stateSum: FloatArray, t: number, hp: AdagradHyper): void {
  const clr = hp.lr / (1 + (t - 1) * hp.lrDecay);
  const wd = hp.weightDecay;
  const eps = hp.eps;
  const sign = hp.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * g[i]! + wd * p[i]!;
    const s = stateSum[i]! + gi * gi;
    stateSum[i] = s;
    p[i] = p[i]! - (clr * gi) / (Math.sqrt(s) + eps);
  }
}

/** A parameter's state before its first step: the sums start at `init`. @internal */
function initialState(p: Tensor, init: number): ParamState {
  return { step: 0, sum: stateBuffer(p, init) };
}

/**
 * Adagrad (Duchi, Hazan & Singer, 2011), as in PyTorch's `torch.optim.Adagrad`.
 *
 * ```text
 * input: γ (lr), θ0, f(θ), λ (weightDecay), τ (initialAccumulatorValue), η (lrDecay), ε (eps), maximize
 * state_sum_0 ← τ
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   γ̃ ← γ / (1 + (t - 1) η)
 *   if λ ≠ 0: g_t ← g_t + λ θ_{t-1}
 *   state_sum_t ← state_sum_{t-1} + g_t²
 *   θ_t ← θ_{t-1} - γ̃ g_t / (√state_sum_t + ε)
 * ```
 * State per parameter: `step`, `sum`.
 * @example
 * ```ts
 * const opt = new Adagrad([w], { lr: 0.1 });
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `Adagrad(params, lr, lr_decay, weight_decay, initial_accumulator_value, eps)`, optionally
   * followed by an options object: `new Adagrad(params, 0.1)`, `new Adagrad(params, 0.1, 0.01)`, `new Adagrad(params, 0.1, { eps: 1e-8 })`.
   */
  constructor(params: ParamsInput<AdagradOptions>, ...args: OptimizerArgs<AdagradPositional, AdagradOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<AdagradOptions>, options?: OptimizerCallOptions<AdagradOptions>);
  constructor(params: ParamsInput<AdagradOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('Adagrad', args, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'], ADAGRAD_SPEC);
    super('Adagrad', params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, ...given });
    // PyTorch creates the accumulators eagerly, so they exist (and are saved) before the first step.
    for (const group of this.paramGroups) {
      for (const p of group.params) stateOf(this.state, p, () => initialState(p, group.initialAccumulatorValue));
    }
  }

  /** @internal */
  protected override optionSpec(): typeof ADAGRAD_SPEC {
    return ADAGRAD_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: AdagradOptions): void {
    checkGroupOptions('Adagrad', ADAGRAD_SPEC, o);
  }

  /**
   * One Adagrad step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    stepEach(
      this,
      (p, group) => initialState(p, group.initialAccumulatorValue),
      (group, s, t, pd, gd) => {
        adagradUpdate(pd, gd, buf(s, 'sum'), t, group);
      },
    );
    return loss;
  }
}
