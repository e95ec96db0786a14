/**
 * RMSprop: gradients divided by a running root-mean-square, optionally centered and with momentum.
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
import { rmspropUpdateKernel } from '../kernels/runtime/index.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the running average of squared gradients (default 0.99). */
  alpha: number;
  /** Term added to the denominator for stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** The options of {@link RMSprop}, each with its check. @internal */
const RMSPROP_SPEC = {
  lr: nonNegative,
  alpha: closedUnitInterval,
  eps: nonNegative,
  weightDecay: nonNegative,
  momentum: nonNegative,
  centered: bool,
  maximize: bool,
};

/** RMSprop's positional hyperparameters after `params`, in PyTorch's order. */
export type RMSpropPositional = [lr: number, alpha: number, eps: number, weightDecay: number, momentum: number, centered: boolean];

/** Hyperparameters of {@link rmspropUpdate}. @internal */
export interface RMSpropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  maximize: boolean;
}

/**
 * One RMSprop update of `p` in place; see {@link RMSprop}. `gradAvg` is null unless centered,
 * `momentumBuf` is null without momentum. Float32 parameters take the WebAssembly SIMD path
 * (the runtime's `rmspropUpdateKernel`, computed in float32) when it is available, from a few dozen elements.
 * @internal
 */
export function rmspropUpdate(
  p: FloatArray,
  g: FloatArray,
  squareAvg: FloatArray,
  gradAvg: FloatArray | null,
  momentumBuf: FloatArray | null,
  hp: RMSpropHyper,
): void {
  const { lr, alpha, eps, weightDecay: wd, momentum: mu } = hp;
  const sign = hp.maximize ? -1 : 1;
  if (rmspropUpdateKernel(p, g, squareAvg, gradAvg, momentumBuf, { alpha, eps, wd, sign, lr, mu })) return;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * g[i]! + wd * p[i]!;
    const v = alpha * squareAvg[i]! + (1 - alpha) * gi * gi;
    squareAvg[i] = v;
    let denom: number;
    if (gradAvg !== null) {
      const a = alpha * gradAvg[i]! + (1 - alpha) * gi;
      gradAvg[i] = a;
      denom = Math.sqrt(v - a * a) + eps;
    } else {
      denom = Math.sqrt(v) + eps;
    }
    if (momentumBuf !== null) {
      const b = mu * momentumBuf[i]! + gi / denom;
      momentumBuf[i] = b;
      p[i] = p[i]! - lr * b;
    } else {
      p[i] = p[i]! - (lr * gi) / denom;
    }
  }
}

/**
 * RMSprop (Hinton's lecture notes; centered version from Graves, 2013), as in PyTorch's `torch.optim.RMSprop`.
 *
 * ```text
 * input: α (alpha), γ (lr), θ0, f(θ), λ (weightDecay), μ (momentum), centered, ε (eps), maximize
 * v_0 ← 0, b_0 ← 0, g^ave_0 ← 0
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   if λ ≠ 0: g_t ← g_t + λ θ_{t-1}
 *   v_t ← α v_{t-1} + (1 - α) g_t²
 *   ṽ_t ← v_t
 *   if centered: g^ave_t ← α g^ave_{t-1} + (1 - α) g_t;  ṽ_t ← v_t - (g^ave_t)²
 *   if μ > 0: b_t ← μ b_{t-1} + g_t / (√ṽ_t + ε);  θ_t ← θ_{t-1} - γ b_t
 *   else:     θ_t ← θ_{t-1} - γ g_t / (√ṽ_t + ε)
 * ```
 * State per parameter: `step`, `squareAvg`, and `momentumBuffer` / `gradAvg` when used.
 * @example
 * ```ts
 * const opt = new RMSprop([w], { lr: 1e-3, centered: true });
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered)`, optionally
   * followed by an options object: `new RMSprop(params, 1e-3)`, `new RMSprop(params, 1e-3, 0.9)`, `new RMSprop(params, 1e-3, { centered: true })`.
   */
  constructor(params: ParamsInput<RMSpropOptions>, ...args: OptimizerArgs<RMSpropPositional, RMSpropOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<RMSpropOptions>, options?: OptimizerCallOptions<RMSpropOptions>);
  constructor(params: ParamsInput<RMSpropOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('RMSprop', args, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered'], RMSPROP_SPEC);
    super('RMSprop', params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...given });
  }

  /** @internal */
  protected override optionSpec(): typeof RMSPROP_SPEC {
    return RMSPROP_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: RMSpropOptions): void {
    checkGroupOptions('RMSprop', RMSPROP_SPEC, o);
  }

  /**
   * One RMSprop step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    stepEach(
      this,
      (p) => ({ step: 0, squareAvg: stateBuffer(p) }),
      (group, s, _t, pd, gd, p) => {
        if (group.momentum > 0 && !(s['momentumBuffer'] instanceof Object)) s['momentumBuffer'] = stateBuffer(p);
        if (group.centered && !(s['gradAvg'] instanceof Object)) s['gradAvg'] = stateBuffer(p);
        rmspropUpdate(
          pd,
          gd,
          buf(s, 'squareAvg'),
          group.centered ? buf(s, 'gradAvg') : null,
          group.momentum > 0 ? buf(s, 'momentumBuffer') : null,
          group,
        );
      },
    );
    return loss;
  }
}
