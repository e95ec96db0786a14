/**
 * Adadelta: step sizes from running averages of squared gradients and squared updates.
 * @module
 */
import type { Tensor } from '../autograd/tensor.js';
import { bool } from '../autograd/args.js';
import { buf, stateBuffer, stepEach } from './state.js';
import type { FloatArray } from '../kernels/typed-array.js';
import {
  checkGroupOptions,
  closedUnitInterval,
  nonNegative,
  readOptimizerArgs,
  type OptimizerArgs,
  type OptimizerCallOptions,
} from './options.js';
import { Optimizer, type Closure, type OptimizerOptions, type ParamsInput } from './optimizer.js';

/** Options of {@link Adadelta}. */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Coefficient scaling the delta before it is applied (default 1.0). */
  lr: number;
  /** Decay rate ρ of the running averages (default 0.9). */
  rho: number;
  /** Term added inside the square roots for stability (default 1e-6). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** The options of {@link Adadelta}, each with its check. @internal */
const ADADELTA_SPEC = { lr: nonNegative, rho: closedUnitInterval, eps: nonNegative, weightDecay: nonNegative, maximize: bool };

/** Adadelta's positional hyperparameters after `params`, in PyTorch's order. */
export type AdadeltaPositional = [lr: number, rho: number, eps: number, weightDecay: number];

/** Hyperparameters of `adadeltaUpdate`. @internal */
interface AdadeltaHyper {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/** One Adadelta update of `p` in place; see {@link Adadelta}. @internal */
function adadeltaUpdate(p: FloatArray, g: FloatArray, squareAvg: FloatArray, accDelta: FloatArray, hp: AdadeltaHyper): void {
  const { lr, rho, eps, weightDecay: wd } = hp;
  const sign = hp.maximize ? -1 : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * g[i]! + wd * p[i]!;
    const v = rho * squareAvg[i]! + (1 - rho) * gi * gi;
    squareAvg[i] = v;
    const dx = (Math.sqrt(accDelta[i]! + eps) / Math.sqrt(v + eps)) * gi;
    accDelta[i] = rho * accDelta[i]! + (1 - rho) * dx * dx;
    p[i] = p[i]! - lr * dx;
  }
}

/**
 * Adadelta (Zeiler, 2012), as in PyTorch's `torch.optim.Adadelta`.
 *
 * ```text
 * input: γ (lr), θ0, f(θ), ρ (rho), λ (weightDecay), ε (eps), maximize
 * v_0 ← 0 (square avg), u_0 ← 0 (accumulated delta)
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   if λ ≠ 0: g_t ← g_t + λ θ_{t-1}
 *   v_t ← ρ v_{t-1} + (1 - ρ) g_t²
 *   Δx_t ← (√(u_{t-1} + ε) / √(v_t + ε)) g_t
 *   u_t ← ρ u_{t-1} + (1 - ρ) Δx_t²
 *   θ_t ← θ_{t-1} - γ Δx_t
 * ```
 * State per parameter: `step`, `squareAvg`, `accDelta`.
 * @example
 * ```ts
 * const opt = new Adadelta([w]);
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `Adadelta(params, lr, rho, eps, weight_decay)`, optionally
   * followed by an options object: `new Adadelta(params, 1.0, 0.95)`, `new Adadelta(params, 1.0, { weightDecay: 1e-4 })`.
   */
  constructor(params: ParamsInput<AdadeltaOptions>, ...args: OptimizerArgs<AdadeltaPositional, AdadeltaOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<AdadeltaOptions>, options?: OptimizerCallOptions<AdadeltaOptions>);
  constructor(params: ParamsInput<AdadeltaOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('Adadelta', args, ['lr', 'rho', 'eps', 'weightDecay'], ADADELTA_SPEC);
    super('Adadelta', params, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false, ...given });
  }

  /** @internal */
  protected override optionSpec(): typeof ADADELTA_SPEC {
    return ADADELTA_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: AdadeltaOptions): void {
    checkGroupOptions('Adadelta', ADADELTA_SPEC, o);
  }

  /**
   * One Adadelta step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    stepEach(
      this,
      (p) => ({ step: 0, squareAvg: stateBuffer(p), accDelta: stateBuffer(p) }),
      (group, s, _t, pd, gd) => {
        adadeltaUpdate(pd, gd, buf(s, 'squareAvg'), buf(s, 'accDelta'), group);
      },
    );
    return loss;
  }
}
