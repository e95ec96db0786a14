/**
 * Variants of Adam: Adamax (infinity norm), NAdam (Nesterov momentum) and RAdam (rectified).
 * @module
 */
import type { Tensor } from '../autograd/tensor.js';
import type { AdamHyper } from './adam.js';
import { bool } from '../autograd/args.js';
import { buf, stateBuffer, stepEach } from './state.js';
import type { FloatArray } from '../kernels/typed-array.js';
import { betasPair, checkGroupOptions, nonNegative, readOptimizerArgs, type OptimizerArgs, type OptimizerCallOptions } from './options.js';
import { Optimizer, type Closure, type OptimizerOptions, type ParamsInput } from './optimizer.js';

/** Options of {@link Adamax}. */
export interface AdamaxOptions extends OptimizerOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** [β1, β2] (default [0.9, 0.999]). */
  betas: [number, number];
  /** Term added to the infinity norm for stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@link NAdam} and {@link RAdam}. */
export interface NAdamOptions extends OptimizerOptions {
  /** Learning rate (NAdam default 2e-3, RAdam 1e-3). */
  lr: number;
  /** [β1, β2] (default [0.9, 0.999]). */
  betas: [number, number];
  /** Term added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Weight decay λ (default 0). */
  weightDecay: number;
  /** Decay the weights directly, as AdamW does, instead of adding `λθ` to the gradient (default false). */
  decoupledWeightDecay: boolean;
  /** Momentum decay ψ (NAdam only, default 4e-3). */
  momentumDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@link RAdam}. */
export type RAdamOptions = Omit<NAdamOptions, 'momentumDecay'>;

/** One Adamax update of `p` in place at step `t`; see {@link Adamax}. @internal */
function adamaxUpdate(p: FloatArray, g: FloatArray, expAvg: FloatArray, expInf: FloatArray, t: number, hp: AdamHyper): void {
  const { eps, weightDecay: wd } = hp;
  const [b1, b2] = hp.betas;
  const sign = hp.maximize ? -1 : 1;
  const clr = hp.lr / (1 - Math.pow(b1, t));
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * g[i]! + wd * p[i]!;
    const m = b1 * expAvg[i]! + (1 - b1) * gi;
    const u = Math.max(b2 * expInf[i]!, Math.abs(gi) + eps);
    expAvg[i] = m;
    expInf[i] = u;
    p[i] = p[i]! - (clr * m) / u;
  }
}

/** One NAdam update at step `t`, given μ_t, μ_{t+1} and the product μ_1⋯μ_t; see {@link NAdam}. @internal */
function nadamUpdate(
  p: FloatArray,
  g: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  t: number,
  mu: number,
  muNext: number,
  muProduct: number,
  hp: AdamHyper,
): void {
  const { lr, eps } = hp;
  const [b1, b2] = hp.betas;
  const sign = hp.maximize ? -1 : 1;
  const decay = hp.decoupledWeightDecay ? 1 - lr * hp.weightDecay : 1;
  const wd = hp.decoupledWeightDecay ? 0 : hp.weightDecay;
  const bc2 = 1 - Math.pow(b2, t);
  const cGrad = (lr * (1 - mu)) / (1 - muProduct);
  const cAvg = (lr * muNext) / (1 - muProduct * muNext);
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i]! * decay;
    const gi = sign * g[i]! + wd * pi;
    const m = b1 * expAvg[i]! + (1 - b1) * gi;
    const v = b2 * expAvgSq[i]! + (1 - b2) * gi * gi;
    expAvg[i] = m;
    expAvgSq[i] = v;
    const denom = Math.sqrt(v / bc2) + eps;
    p[i] = pi - (cGrad * gi) / denom - (cAvg * m) / denom;
  }
}

/** One RAdam update of `p` in place at step `t`; see {@link RAdam}. @internal */
function radamUpdate(p: FloatArray, g: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, t: number, hp: AdamHyper): void {
  const { lr, eps } = hp;
  const [b1, b2] = hp.betas;
  const sign = hp.maximize ? -1 : 1;
  const decay = hp.decoupledWeightDecay ? 1 - lr * hp.weightDecay : 1;
  const wd = hp.decoupledWeightDecay ? 0 : hp.weightDecay;
  const bc1 = 1 - Math.pow(b1, t);
  const b2t = Math.pow(b2, t);
  const bc2 = 1 - b2t;
  const rhoInf = 2 / (1 - b2) - 1;
  const rhoT = rhoInf - (2 * t * b2t) / bc2;
  const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
  const sqrtBc2 = Math.sqrt(bc2);
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i]! * decay;
    const gi = sign * g[i]! + wd * pi;
    const m = b1 * expAvg[i]! + (1 - b1) * gi;
    const v = b2 * expAvgSq[i]! + (1 - b2) * gi * gi;
    expAvg[i] = m;
    expAvgSq[i] = v;
    const mHat = m / bc1;
    p[i] = rhoT > 5 ? pi - lr * mHat * rect * (sqrtBc2 / (Math.sqrt(v) + eps)) : pi - lr * mHat;
  }
}

/** The options of {@link Adamax}, each with its check. @internal */
const ADAMAX_SPEC = { lr: nonNegative, betas: betasPair, eps: nonNegative, weightDecay: nonNegative, maximize: bool };

/** The options of {@link RAdam}, each with its check. @internal */
const RADAM_SPEC = { ...ADAMAX_SPEC, decoupledWeightDecay: bool };

/** The options of {@link NAdam}, each with its check. @internal */
const NADAM_SPEC = { ...RADAM_SPEC, momentumDecay: nonNegative };

/** Adamax's and RAdam's positional hyperparameters after `params`, in PyTorch's order. */
export type AdamaxPositional = [lr: number, betas: [number, number], eps: number, weightDecay: number];

/** NAdam's positional hyperparameters after `params`, in PyTorch's order. */
export type NAdamPositional = [lr: number, betas: [number, number], eps: number, weightDecay: number, momentumDecay: number];

const VARIANT_POSITIONAL = ['lr', 'betas', 'eps', 'weightDecay'];

/**
 * Adamax (Kingma & Ba, 2014, section 7): Adam with the infinity norm, as in PyTorch's `torch.optim.Adamax`.
 *
 * ```text
 * input: γ (lr), β1, β2 (betas), θ0, f(θ), λ (weightDecay), ε (eps), maximize
 * m_0 ← 0, u_0 ← 0
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   if λ ≠ 0: g_t ← g_t + λ θ_{t-1}
 *   m_t ← β1 m_{t-1} + (1 - β1) g_t
 *   u_t ← max(β2 u_{t-1}, |g_t| + ε)
 *   θ_t ← θ_{t-1} - γ m_t / ((1 - β1^t) u_t)
 * ```
 * State per parameter: `step`, `expAvg`, `expInf`.
 * @example
 * ```ts
 * const opt = new Adamax([w], { lr: 2e-3 });
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `Adamax(params, lr, betas, eps, weight_decay)`, optionally
   * followed by an options object: `new Adamax(params, 2e-3)`, `new Adamax(params, 2e-3, { weightDecay: 0.01 })`.
   */
  constructor(params: ParamsInput<AdamaxOptions>, ...args: OptimizerArgs<AdamaxPositional, AdamaxOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<AdamaxOptions>, options?: OptimizerCallOptions<AdamaxOptions>);
  constructor(params: ParamsInput<AdamaxOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('Adamax', args, VARIANT_POSITIONAL, ADAMAX_SPEC);
    super('Adamax', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, ...given });
  }

  /** @internal */
  protected override optionSpec(): typeof ADAMAX_SPEC {
    return ADAMAX_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: AdamaxOptions): void {
    checkGroupOptions('Adamax', ADAMAX_SPEC, o);
  }

  /**
   * One Adamax step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    stepEach(
      this,
      (p) => ({ step: 0, expAvg: stateBuffer(p), expInf: stateBuffer(p) }),
      (group, s, t, pd, gd) => {
        adamaxUpdate(pd, gd, buf(s, 'expAvg'), buf(s, 'expInf'), t, group);
      },
    );
    return loss;
  }
}

/**
 * NAdam (Dozat, 2016): Adam with Nesterov momentum and a momentum schedule, as in PyTorch's `torch.optim.NAdam`.
 *
 * ```text
 * input: γ (lr), β1, β2 (betas), θ0, f(θ), λ (weightDecay), ψ (momentumDecay), ε (eps), decoupledWeightDecay, maximize
 * m_0 ← 0, v_0 ← 0
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   θ_t ← θ_{t-1}
 *   if λ ≠ 0: if decoupledWeightDecay: θ_t ← θ_{t-1} - γλ θ_{t-1}  else: g_t ← g_t + λ θ_{t-1}
 *   μ_t ← β1 (1 - ½ · 0.96^(tψ));  μ_{t+1} ← β1 (1 - ½ · 0.96^((t+1)ψ))
 *   m_t ← β1 m_{t-1} + (1 - β1) g_t
 *   v_t ← β2 v_{t-1} + (1 - β2) g_t²
 *   m̂_t ← μ_{t+1} m_t / (1 - ∏_{i=1}^{t+1} μ_i) + (1 - μ_t) g_t / (1 - ∏_{i=1}^{t} μ_i)
 *   v̂_t ← v_t / (1 - β2^t)
 *   θ_t ← θ_t - γ m̂_t / (√v̂_t + ε)
 * ```
 * State per parameter: `step`, `muProduct`, `expAvg`, `expAvgSq`.
 * @example
 * ```ts
 * const opt = new NAdam([w], { lr: 2e-3 });
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class NAdam extends Optimizer<NAdamOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `NAdam(params, lr, betas, eps, weight_decay, momentum_decay)`, optionally
   * followed by an options object: `new NAdam(params, 2e-3)`, `new NAdam(params, 2e-3, [0.9, 0.999], 1e-8, 0, 4e-3)`, `new NAdam(params, 2e-3, { decoupledWeightDecay: true, weightDecay: 0.01 })`.
   */
  constructor(params: ParamsInput<NAdamOptions>, ...args: OptimizerArgs<NAdamPositional, NAdamOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<NAdamOptions>, options?: OptimizerCallOptions<NAdamOptions>);
  constructor(params: ParamsInput<NAdamOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('NAdam', args, [...VARIANT_POSITIONAL, 'momentumDecay'], NADAM_SPEC);
    super('NAdam', params, {
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      momentumDecay: 4e-3,
      decoupledWeightDecay: false,
      maximize: false,
      ...given,
    });
  }

  /** @internal */
  protected override optionSpec(): typeof NADAM_SPEC {
    return NADAM_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: NAdamOptions): void {
    checkGroupOptions('NAdam', NADAM_SPEC, o);
  }

  /**
   * One NAdam step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    stepEach(
      this,
      (p) => ({ step: 0, muProduct: 1, expAvg: stateBuffer(p), expAvgSq: stateBuffer(p) }),
      (group, s, t, pd, gd) => {
        const b1 = group.betas[0];
        const psi = group.momentumDecay;
        const mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
        const muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
        const muProduct = (s['muProduct'] as number) * mu;
        s['muProduct'] = muProduct;
        nadamUpdate(pd, gd, buf(s, 'expAvg'), buf(s, 'expAvgSq'), t, mu, muNext, muProduct, group);
      },
    );
    return loss;
  }
}

/**
 * RAdam (Liu et al., 2019): Adam with a rectified adaptive learning rate, as in PyTorch's `torch.optim.RAdam`.
 *
 * ```text
 * input: γ (lr), β1, β2 (betas), θ0, f(θ), λ (weightDecay), ε (eps), decoupledWeightDecay, maximize
 * m_0 ← 0, v_0 ← 0, ρ_∞ ← 2 / (1 - β2) - 1
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   θ_t ← θ_{t-1}
 *   if λ ≠ 0: if decoupledWeightDecay: θ_t ← θ_{t-1} - γλ θ_{t-1}  else: g_t ← g_t + λ θ_{t-1}
 *   m_t ← β1 m_{t-1} + (1 - β1) g_t
 *   v_t ← β2 v_{t-1} + (1 - β2) g_t²
 *   m̂_t ← m_t / (1 - β1^t)
 *   ρ_t ← ρ_∞ - 2t β2^t / (1 - β2^t)
 *   if ρ_t > 5:
 *     l_t ← √(1 - β2^t) / (√v_t + ε)
 *     r_t ← √((ρ_t - 4)(ρ_t - 2)ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2)ρ_t))
 *     θ_t ← θ_t - γ m̂_t r_t l_t
 *   else:
 *     θ_t ← θ_t - γ m̂_t
 * ```
 * State per parameter: `step`, `expAvg`, `expAvgSq`.
 * @example
 * ```ts
 * const opt = new RAdam([w], { lr: 1e-3 });
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class RAdam extends Optimizer<RAdamOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `RAdam(params, lr, betas, eps, weight_decay)`, optionally
   * followed by an options object: `new RAdam(params, 1e-3)`, `new RAdam(params, 1e-3, { weightDecay: 0.01 })`.
   */
  constructor(params: ParamsInput<RAdamOptions>, ...args: OptimizerArgs<AdamaxPositional, RAdamOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<RAdamOptions>, options?: OptimizerCallOptions<RAdamOptions>);
  constructor(params: ParamsInput<RAdamOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('RAdam', args, VARIANT_POSITIONAL, RADAM_SPEC);
    super('RAdam', params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      decoupledWeightDecay: false,
      maximize: false,
      ...given,
    });
  }

  /** @internal */
  protected override optionSpec(): typeof RADAM_SPEC {
    return RADAM_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: RAdamOptions): void {
    checkGroupOptions('RAdam', RADAM_SPEC, o);
  }

  /**
   * One RAdam step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    stepEach(
      this,
      (p) => ({ step: 0, expAvg: stateBuffer(p), expAvgSq: stateBuffer(p) }),
      (group, s, t, pd, gd) => {
        radamUpdate(pd, gd, buf(s, 'expAvg'), buf(s, 'expAvgSq'), t, group);
      },
    );
    return loss;
  }
}
