/**
 * Adadelta: step sizes from running averages of squared gradients and squared updates.
 * @module
 */
import type { Tensor } from '../autograd/tensor.js';
import { buf, check, checkBool, checkNonNeg, stateBuffer, stepEach, type FloatArray } from './functional.js';
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

/** Hyperparameters of {@link adadeltaUpdate}. @internal */
export interface AdadeltaHyper {
  lr: number; rho: number; eps: number; weightDecay: number; maximize: boolean;
}

/** One Adadelta update of `p` in place; see {@link Adadelta}. @internal */
export function adadeltaUpdate(p: FloatArray, g: FloatArray, squareAvg: FloatArray, accDelta: FloatArray, hp: AdadeltaHyper): void {
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
  /** Creates the optimizer; missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super('Adadelta', params, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false, ...options });
  }

  /** @internal */
  protected override validateOptions(o: AdadeltaOptions): void {
    checkNonNeg('Adadelta', 'lr', o.lr);
    check(typeof o.rho === 'number' && o.rho >= 0 && o.rho <= 1, 'Adadelta', 'rho', o.rho, 'must be in [0, 1]');
    checkNonNeg('Adadelta', 'eps', o.eps);
    checkNonNeg('Adadelta', 'weightDecay', o.weightDecay);
    checkBool('Adadelta', 'maximize', o.maximize);
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
    stepEach(this, (p) => ({ step: 0, squareAvg: stateBuffer(p), accDelta: stateBuffer(p) }), (group, s, _t, pd, gd) => {
      adadeltaUpdate(pd, gd, buf(s, 'squareAvg'), buf(s, 'accDelta'), group);
    });
    return loss;
  }
}
