/**
 * Adam and AdamW, sharing one update core (`adamUpdate`).
 * @module
 */
import { bool } from '../autograd/args.js';
import type { Tensor } from '../autograd/tensor.js';
import { buf, stateBuffer, stepEach } from './state.js';
import { FloatLoop, type FloatLoopSource } from '../kernels/float-loop.js';
import type { FloatArray } from '../kernels/typed-array.js';
import { Optimizer, type Closure, type OptimizerOptions, type ParamsInput } from './optimizer.js';
import { betasPair, checkGroupOptions, nonNegative, readOptimizerArgs, type OptimizerArgs, type OptimizerCallOptions } from './options.js';
import { adamUpdateKernel } from '../kernels/runtime/index.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends OptimizerOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Term added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Weight decay λ (Adam default 0, added to the gradient; AdamW default 0.01, decoupled). */
  weightDecay: number;
  /** Use the AMSGrad variant: the maximum of the second moments so far (default false). */
  amsgrad: boolean;
  /** Decay weights directly (`θ ← θ(1 - γλ)`, AdamW) instead of adding `λθ` to the gradient (Adam default false, AdamW true). */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** The options of {@link Adam} and {@link AdamW}, each with its check. @internal */
export const ADAM_SPEC = {
  lr: nonNegative,
  betas: betasPair,
  eps: nonNegative,
  weightDecay: nonNegative,
  amsgrad: bool,
  decoupledWeightDecay: bool,
  maximize: bool,
};

/** Adam's and AdamW's positional hyperparameters after `params`, in PyTorch's order. */
export type AdamPositional = [lr: number, betas: [number, number], eps: number, weightDecay: number, amsgrad: boolean];

const ADAM_POSITIONAL = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'];

/** Hyperparameters of {@link adamUpdate} and of the Adam variants' updates. @internal */
export interface AdamHyper {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  decoupledWeightDecay?: boolean;
  maximize: boolean;
}

/**
 * One Adam/AdamW update of `p` in place at step `t` (1-based); see {@link Adam}. `maxExpAvgSq`
 * is the AMSGrad buffer, or null. Runs the loop compiled for the parameter's dtype and the variant
 * (`ADAM_LOOP` or `ADAM_AMSGRAD_LOOP`), so that each loop's typed-array accesses stay
 * monomorphic and no loop tests AMSGrad per element (a shared loop over both dtypes with the test
 * inside runs markedly slower). Float32 parameters take the WebAssembly SIMD path
 * (the runtime's `adamUpdateKernel`, computed in float32 like PyTorch) when it is available, from a few dozen elements.
 * @internal
 */
export function adamUpdate(
  p: FloatArray,
  g: FloatArray,
  expAvg: FloatArray,
  expAvgSq: FloatArray,
  maxExpAvgSq: FloatArray | null,
  t: number,
  hp: AdamHyper,
): void {
  const { lr, eps } = hp;
  const [b1, b2] = hp.betas;
  const sign = hp.maximize ? -1 : 1;
  const decay = hp.decoupledWeightDecay ? 1 - lr * hp.weightDecay : 1;
  const wd = hp.decoupledWeightDecay ? 0 : hp.weightDecay;
  const stepSize = lr / (1 - Math.pow(b1, t));
  const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
  const s: AdamScalars = { b1, b2, eps, sign, decay, wd, stepSize, bc2Sqrt };
  if (adamUpdateKernel(p, g, expAvg, expAvgSq, maxExpAvgSq, s)) return;
  if (maxExpAvgSq === null) ADAM_LOOP.for(p)(p, g, expAvg, expAvgSq, s);
  else ADAM_AMSGRAD_LOOP.for(p)(p, g, expAvg, expAvgSq, maxExpAvgSq, s);
}

/** The per-step constants of an Adam update. @internal */
interface AdamScalars {
  b1: number;
  b2: number;
  eps: number;
  sign: number;
  decay: number;
  wd: number;
  stepSize: number;
  bc2Sqrt: number;
}

/**
 * The source of Adam's loop, with or without the AMSGrad lines:
 * m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  (AMSGrad: v ← max(vmax, v), vmax ← v);
 * θ ← θ − stepSize·m / (√v · (1/√bc2) + ε), with a multiplication by the per-step reciprocal
 * instead of a second division per element.
 */
function adamLoopSource(amsgrad: boolean): FloatLoopSource {
  return {
    name: amsgrad ? 'adamAmsgrad' : 'adam',
    params: amsgrad ? ['p', 'g', 'expAvg', 'expAvgSq', 'maxExpAvgSq', 's'] : ['p', 'g', 'expAvg', 'expAvgSq', 's'],
    setup: `const { b1, b2, eps, sign, decay, wd, stepSize, bc2Sqrt } = s;
      const c1 = 1 - b1, c2 = 1 - b2, invBc2Sqrt = 1 / bc2Sqrt;`,
    body: `
      const pi = p[i] * decay;
      const gi = sign * g[i] + wd * pi;
      const m = b1 * expAvg[i] + c1 * gi;
      ${amsgrad ? 'let' : 'const'} v = b2 * expAvgSq[i] + c2 * gi * gi;
      expAvg[i] = m;
      expAvgSq[i] = v;
      ${amsgrad ? 'v = Math.max(maxExpAvgSq[i], v); maxExpAvgSq[i] = v;' : ''}
      p[i] = pi - (stepSize * m) / (Math.sqrt(v) * invBc2Sqrt + eps);`,
  };
}

/** Adam's update loop without AMSGrad, per dtype. @internal */
const ADAM_LOOP = new FloatLoop<(p: FloatArray, g: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, s: AdamScalars) => void>(
  adamLoopSource(false),
);

/** Adam's update loop with AMSGrad, per dtype. @internal */
const ADAM_AMSGRAD_LOOP = new FloatLoop<
  (p: FloatArray, g: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray, s: AdamScalars) => void
>(adamLoopSource(true));

/** The step shared by Adam and AdamW. @internal */
function adamStep(opt: Optimizer<AdamOptions>): void {
  stepEach(
    opt,
    (p) => ({ step: 0, expAvg: stateBuffer(p), expAvgSq: stateBuffer(p) }),
    (group, s, t, pd, gd, p) => {
      if (group.amsgrad && !(s['maxExpAvgSq'] instanceof Object)) s['maxExpAvgSq'] = stateBuffer(p);
      adamUpdate(pd, gd, buf(s, 'expAvg'), buf(s, 'expAvgSq'), group.amsgrad ? buf(s, 'maxExpAvgSq') : null, t, group);
    },
  );
}

function validateAdam(name: string, o: AdamOptions): void {
  checkGroupOptions(name, ADAM_SPEC, o);
}

/**
 * Adam (Kingma & Ba, 2014), with the AMSGrad variant (Reddi et al., 2018), as in PyTorch's `torch.optim.Adam`.
 *
 * ```text
 * input: γ (lr), β1, β2 (betas), θ0, f(θ), λ (weightDecay), ε (eps), amsgrad, maximize
 * m_0 ← 0, v_0 ← 0, v^max_0 ← 0
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   if λ ≠ 0: g_t ← g_t + λ θ_{t-1}          (decoupledWeightDecay: θ_{t-1} ← θ_{t-1} - γλ θ_{t-1} instead)
 *   m_t ← β1 m_{t-1} + (1 - β1) g_t
 *   v_t ← β2 v_{t-1} + (1 - β2) g_t²
 *   m̂_t ← m_t / (1 - β1^t)
 *   if amsgrad: v^max_t ← max(v^max_{t-1}, v_t);  v̂_t ← v^max_t / (1 - β2^t)
 *   else:       v̂_t ← v_t / (1 - β2^t)
 *   θ_t ← θ_{t-1} - γ m̂_t / (√v̂_t + ε)
 * ```
 * State per parameter: `step`, `expAvg`, `expAvgSq` and, with amsgrad, `maxExpAvgSq`.
 * @example
 * ```ts
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `Adam(params, lr, betas, eps, weight_decay, amsgrad)`, optionally
   * followed by an options object: `new Adam(params, 1e-3)`, `new Adam(params, 1e-3, [0.9, 0.99])`, `new Adam(params, 1e-3, { weightDecay: 0.1 })`.
   */
  constructor(params: ParamsInput<AdamOptions>, ...args: OptimizerArgs<AdamPositional, AdamOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<AdamOptions>, options?: OptimizerCallOptions<AdamOptions>);
  constructor(params: ParamsInput<AdamOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('Adam', args, ADAM_POSITIONAL, ADAM_SPEC);
    super('Adam', params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      decoupledWeightDecay: false,
      maximize: false,
      ...given,
    });
  }

  /** @internal */
  protected override optionSpec(): typeof ADAM_SPEC {
    return ADAM_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: AdamOptions): void {
    validateAdam('Adam', o);
  }

  /**
   * One Adam step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    adamStep(this);
    return loss;
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, as in PyTorch's `torch.optim.AdamW`.
 * The weights are decayed directly instead of through the gradient, so the decay is not rescaled by
 * the adaptive denominator.
 *
 * ```text
 * input: γ (lr), β1, β2 (betas), θ0, f(θ), λ (weightDecay, default 0.01), ε (eps), amsgrad, maximize
 * for t = 1, 2, ...
 *   g_t ← ∇θ f_t(θ_{t-1});  if maximize: g_t ← -g_t
 *   θ_t ← θ_{t-1} - γ λ θ_{t-1}
 *   m_t ← β1 m_{t-1} + (1 - β1) g_t
 *   v_t ← β2 v_{t-1} + (1 - β2) g_t²
 *   m̂_t ← m_t / (1 - β1^t)
 *   if amsgrad: v^max_t ← max(v^max_{t-1}, v_t);  v̂_t ← v^max_t / (1 - β2^t)
 *   else:       v̂_t ← v_t / (1 - β2^t)
 *   θ_t ← θ_t - γ m̂_t / (√v̂_t + ε)
 * ```
 * State per parameter: `step`, `expAvg`, `expAvgSq` and, with amsgrad, `maxExpAvgSq`.
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 * opt.zeroGrad(); loss().backward(); opt.step();
 * ```
 */
export class AdamW extends Optimizer<AdamOptions> {
  /**
   * Creates the optimizer from PyTorch's positional hyperparameters, `AdamW(params, lr, betas, eps, weight_decay, amsgrad)`, optionally
   * followed by an options object: `new AdamW(params, 1e-3)`, `new AdamW(params, 1e-3, [0.9, 0.99], 1e-8, 0.05)`, `new AdamW(params, 1e-3, { weightDecay: 0.05 })`.
   */
  constructor(params: ParamsInput<AdamOptions>, ...args: OptimizerArgs<AdamPositional, AdamOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<AdamOptions>, options?: OptimizerCallOptions<AdamOptions>);
  constructor(params: ParamsInput<AdamOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs('AdamW', args, ADAM_POSITIONAL, ADAM_SPEC);
    super('AdamW', params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 1e-2,
      amsgrad: false,
      decoupledWeightDecay: true,
      maximize: false,
      ...given,
    });
  }

  /** @internal */
  protected override optionSpec(): typeof ADAM_SPEC {
    return ADAM_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: AdamOptions): void {
    validateAdam('AdamW', o);
  }

  /**
   * One AdamW step over every parameter with a gradient; returns the closure's loss if one is given.
   * @example
   * ```ts
   * opt.step();
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = this.evalClosure(closure);
    adamStep(this);
    return loss;
  }
}
