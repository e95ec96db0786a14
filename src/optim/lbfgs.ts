/**
 * L-BFGS: a quasi-Newton method that re-evaluates the objective through a closure.
 * @module
 */
import { ValueError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { contiguousData } from '../autograd/ops/shape.js';
import { Tensor } from '../autograd/tensor.js';
import { describe, nullable, suggest, type Check } from '../autograd/args.js';
import { withDenseParam } from './state.js';
import { checkGroupOptions, nonNegative, positiveInteger, readOptimizerArgs, type OptimizerArgs } from './options.js';
import { strongWolfe } from './line-search.js';
import { Optimizer, type Closure, type OptimizerOptions, type ParamsInput } from './optimizer.js';

/** Options of {@link LBFGS}. */
export interface LBFGSOptions extends OptimizerOptions {
  /** Learning rate: the step length along the search direction (default 1). */
  lr: number;
  /** Maximal number of iterations per `step()` (default 20). */
  maxIter: number;
  /** Maximal number of closure evaluations per `step()` (default `floor(maxIter * 5 / 4)`). */
  maxEval: number;
  /** Stop when the largest gradient entry is at most this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the step or the loss changes by less than this (default 1e-9). */
  toleranceChange: number;
  /** Number of curvature pairs kept (default 100). */
  historySize: number;
  /** `'strongWolfe'` for a line search, or null for fixed steps of `lr` (default null). */
  lineSearchFn: 'strongWolfe' | null;
}

/** `'strongWolfe'` (PyTorch spells it `'strong_wolfe'`, also accepted) or null. */
const lineSearch: Check<'strongWolfe' | null> = (op, key, v) => {
  if (v === null) return null;
  if (v === 'strongWolfe' || v === 'strong_wolfe') return 'strongWolfe';
  const guess = typeof v === 'string' && suggest(v, ['strongWolfe']) !== undefined ? ": did you mean 'strongWolfe'?" : '';
  throw new ValueError(`${op}: ${key} must be 'strongWolfe' (or PyTorch's 'strong_wolfe') or null, got ${describe(v)}${guess}`);
};

/** The options of {@link LBFGS}, each with its check. @internal */
const LBFGS_SPEC = {
  lr: nonNegative,
  maxIter: positiveInteger,
  maxEval: nullable(positiveInteger),
  toleranceGrad: nonNegative,
  toleranceChange: nonNegative,
  historySize: positiveInteger,
  lineSearchFn: lineSearch,
};

/** L-BFGS's positional hyperparameters after `params`, in PyTorch's order (`maxEval` null: `maxIter · 5/4`). */
export type LBFGSPositional = [
  lr: number,
  maxIter: number,
  maxEval: number | null,
  toleranceGrad: number,
  toleranceChange: number,
  historySize: number,
  lineSearchFn: 'strongWolfe' | 'strong_wolfe' | null,
];

/** The options object of {@link LBFGS}: `maxEval` may be null (its default), `lineSearchFn` PyTorch's `'strong_wolfe'`. */
export type LBFGSCallOptions = Partial<Omit<LBFGSOptions, 'maxEval' | 'lineSearchFn'>> & {
  /** Most closure evaluations per step; null gives the default `maxIter · 5/4`. */
  maxEval?: number | null;
  /** `'strongWolfe'` (or `'strong_wolfe'`) for a line search, or null. */
  lineSearchFn?: 'strongWolfe' | 'strong_wolfe' | null;
};

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

const vec = (a: Float64Array): Tensor => Tensor._fromData(a, [a.length], 'float64');
// State loaded for float32 parameters has float32 buffers: widen them back to the float64 the math uses.
const arr = (t: unknown): Float64Array => {
  const data = (t as Tensor)._storage.data;
  return data instanceof Float64Array ? data : Float64Array.from(data);
};

/**
 * The L-BFGS direction `-H g` by the two-loop recursion over the stored pairs
 * (`s` = steps, `y` = gradient changes, `ro` = 1 / yᵀs), with initial scaling `hDiag`.
 * @internal
 */
function lbfgsDirection(
  g: Float64Array,
  s: readonly Float64Array[],
  y: readonly Float64Array[],
  ro: readonly number[],
  hDiag: number,
): Float64Array {
  const k = s.length;
  const n = g.length;
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = -g[i]!;
  const al = new Array<number>(k);
  for (let j = k - 1; j >= 0; j--) {
    const a = dot(s[j]!, q) * ro[j]!;
    al[j] = a;
    const yj = y[j]!;
    for (let i = 0; i < n; i++) q[i] = q[i]! - a * yj[i]!;
  }
  for (let i = 0; i < n; i++) q[i] = q[i]! * hDiag;
  for (let j = 0; j < k; j++) {
    const be = dot(y[j]!, q) * ro[j]!;
    const sj = s[j]!;
    const c = al[j]! - be;
    for (let i = 0; i < n; i++) q[i] = q[i]! + c * sj[i]!;
  }
  return q;
}

/**
 * L-BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.5), as in PyTorch's `torch.optim.LBFGS`.
 * `step(closure)` runs up to `maxIter` iterations; the closure must clear the gradients, compute the
 * loss, call `backward()` and return the loss. All parameters form one group.
 *
 * ```text
 * input: closure f, lr γ, history m, tolerances
 * g ← ∇f(θ);  if max|g| ≤ toleranceGrad: stop
 * repeat up to maxIter times:
 *   if first iteration: d ← -g, H_diag ← 1
 *   else:
 *     y ← g - g_prev;  s ← t d_prev
 *     if yᵀs > 1e-10: push (s, y, ρ = 1/yᵀs) keeping the last m pairs;  H_diag ← yᵀs / yᵀy
 *     d ← -H g by the two-loop recursion:
 *       q ← -g;  for i = k..1: α_i ← ρ_i s_iᵀq;  q ← q - α_i y_i
 *       r ← H_diag q;  for i = 1..k: β ← ρ_i y_iᵀr;  r ← r + (α_i - β) s_i
 *       d ← r
 *   t ← min(1, 1/‖g‖₁) γ on the very first iteration, else γ
 *   if gᵀd > -toleranceChange: stop
 *   strongWolfe: t ← a step satisfying the strong Wolfe conditions from t;  θ ← θ + t d
 *   else:        θ ← θ + t d;  re-evaluate f and g (except on the last iteration)
 *   stop if max|g| ≤ toleranceGrad, max|t d| ≤ toleranceChange, |f - f_prev| < toleranceChange, or maxEval is reached
 * ```
 * State (kept on the first parameter): `funcEvals`, `nIter`, `d`, `t`, `oldDirs`, `oldStps`, `ro`, `hDiag`, `prevFlatGrad`, `prevLoss`.
 * @example
 * ```ts
 * const x = tensor([-1.5, 2], { dtype: 'float64', requiresGrad: true });
 * const opt = new LBFGS([x], { lineSearchFn: 'strongWolfe' });
 * const closure = () => { opt.zeroGrad(); const l = rosenbrock(x); l.backward(); return l; };
 * for (let i = 0; i < 10; i++) opt.step(closure);
 * ```
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  /**
   * Creates the optimizer from PyTorch's positional arguments, `LBFGS(params, lr, max_iter, max_eval,
   * tolerance_grad, tolerance_change, history_size, line_search_fn)`, optionally followed by an
   * options object: `new LBFGS(params, 1, 50)`, `new LBFGS(params, 1, { lineSearchFn: 'strong_wolfe' })`.
   */
  constructor(params: ParamsInput<LBFGSOptions>, ...args: OptimizerArgs<LBFGSPositional, LBFGSCallOptions>);
  /** Creates the optimizer from an options object. Missing options take PyTorch's defaults. */
  constructor(params: ParamsInput<LBFGSOptions>, options?: LBFGSCallOptions);
  constructor(params: ParamsInput<LBFGSOptions>, ...args: unknown[]) {
    const given = readOptimizerArgs(
      'LBFGS',
      args,
      ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'],
      LBFGS_SPEC,
      false,
    );
    const maxIter = (given['maxIter'] as number | undefined) ?? 20;
    if (given['maxEval'] === null) delete given['maxEval'];
    super('LBFGS', params, {
      lr: 1,
      maxIter,
      maxEval: Math.floor((maxIter * 5) / 4),
      toleranceGrad: 1e-7,
      toleranceChange: 1e-9,
      historySize: 100,
      lineSearchFn: null,
      ...given,
    });
    if (this.paramGroups.length !== 1) {
      throw new ValueError(`LBFGS: doesn't support per-parameter options (parameter groups); got ${this.paramGroups.length} groups`);
    }
  }

  /** @internal */
  protected override optionSpec(): typeof LBFGS_SPEC {
    return LBFGS_SPEC;
  }

  /** @internal */
  protected override validateOptions(o: LBFGSOptions): void {
    checkGroupOptions('LBFGS', { ...LBFGS_SPEC, maxEval: positiveInteger }, o);
  }

  /**
   * Rejects a second parameter group: L-BFGS works on all parameters as one vector.
   * @example
   * ```ts
   * opt.addParamGroup({ params: [b] }); // throws ValueError
   * ```
   */
  override addParamGroup(group: Parameters<Optimizer<LBFGSOptions>['addParamGroup']>[0]): void {
    if (this.paramGroups.length > 0)
      throw new ValueError("LBFGS: doesn't support per-parameter options (parameter groups); it already has one group");
    super.addParamGroup(group);
  }

  /** The flat history vectors stay float64 whatever the parameters' dtype. @internal */
  protected override stateDType(): undefined {
    return undefined;
  }

  private get params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  private numel(): number {
    let n = 0;
    for (const p of this.params) n += p.numel();
    return n;
  }

  /** The gradients of all parameters as one float64 vector (zeros where grad is null). */
  private gatherFlatGrad(): Float64Array {
    const out = new Float64Array(this.numel());
    let off = 0;
    for (const p of this.params) {
      const n = p.numel();
      if (p.grad !== null) out.set(contiguousData(p.grad), off);
      off += n;
    }
    return out;
  }

  /** θ ← θ + t d, parameter by parameter. */
  private addToParams(t: number, d: Float64Array): void {
    let off = 0;
    for (const p of this.params) {
      const start = off;
      withDenseParam(p, (pd) => {
        for (let i = 0; i < pd.length; i++) pd[i] = pd[i]! + t * d[start + i]!;
      });
      off += p.numel();
    }
  }

  private cloneParams(): Float64Array {
    const out = new Float64Array(this.numel());
    let off = 0;
    for (const p of this.params) {
      out.set(contiguousData(p), off);
      off += p.numel();
    }
    return out;
  }

  private setParams(x: Float64Array): void {
    let off = 0;
    for (const p of this.params) {
      const start = off;
      withDenseParam(p, (pd) => {
        for (let i = 0; i < pd.length; i++) pd[i] = x[start + i]!;
      });
      off += p.numel();
    }
  }

  private evaluate(closure: Closure): number {
    const v = this.evalClosure(closure)!;
    return typeof v === 'number' ? v : v.item();
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations; `closure` is required. Returns the loss from the first closure call.
   * @example
   * ```ts
   * opt.step(() => { opt.zeroGrad(); const l = loss(); l.backward(); return l; });
   * ```
   */
  step(closure?: Closure): Tensor | number | undefined {
    if (closure === undefined)
      throw new ValueError('LBFGS.step: a closure that re-evaluates the loss (zeroGrad, forward, backward, return loss) is required');
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = group;
    const state = this.state.get(this.params[0]!) ?? { funcEvals: 0, nIter: 0 };
    this.state.set(this.params[0]!, state);

    const origLoss = this.evalClosure(closure)!;
    let loss = typeof origLoss === 'number' ? origLoss : origLoss.item();
    let currentEvals = 1;
    state['funcEvals'] = (state['funcEvals'] as number) + 1;
    let flatGrad = this.gatherFlatGrad();
    if (maxAbs(flatGrad) <= toleranceGrad) return origLoss;

    let d = state['d'] instanceof Tensor ? arr(state['d']) : new Float64Array(0);
    let t = (state['t'] as number | undefined) ?? lr;
    const oldDirs = ((state['oldDirs'] as Tensor[] | undefined) ?? []).map(arr);
    const oldStps = ((state['oldStps'] as Tensor[] | undefined) ?? []).map(arr);
    const ro = ((state['ro'] as number[] | undefined) ?? []).slice();
    let hDiag = (state['hDiag'] as number | undefined) ?? 1;
    let prevFlatGrad = state['prevFlatGrad'] instanceof Tensor ? arr(state['prevFlatGrad']) : null;
    let prevLoss = (state['prevLoss'] as number | undefined) ?? loss;

    noGrad(() => {
      let nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        state['nIter'] = (state['nIter'] as number) + 1;
        if (state['nIter'] === 1) {
          d = new Float64Array(flatGrad.length);
          for (let i = 0; i < d.length; i++) d[i] = -flatGrad[i]!;
          oldDirs.length = 0;
          oldStps.length = 0;
          ro.length = 0;
          hDiag = 1;
        } else {
          const y = new Float64Array(flatGrad.length);
          const s = new Float64Array(flatGrad.length);
          for (let i = 0; i < y.length; i++) {
            y[i] = flatGrad[i]! - prevFlatGrad![i]!;
            s[i] = d[i]! * t;
          }
          const ys = dot(y, s);
          if (ys > 1e-10) {
            if (oldDirs.length === historySize) {
              oldDirs.shift();
              oldStps.shift();
              ro.shift();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(1 / ys);
            hDiag = ys / dot(y, y);
          }
          d = lbfgsDirection(flatGrad, oldStps, oldDirs, ro, hDiag);
        }
        prevFlatGrad = flatGrad.slice();
        prevLoss = loss;

        if (state['nIter'] === 1) {
          let l1 = 0;
          for (let i = 0; i < flatGrad.length; i++) l1 += Math.abs(flatGrad[i]!);
          t = Math.min(1, 1 / l1) * lr;
        } else {
          t = lr;
        }
        const gtd = dot(flatGrad, d);
        if (gtd > -toleranceChange) break;

        let lsEvals = 0;
        let optCond = false;
        if (lineSearchFn === 'strongWolfe') {
          const x0 = this.cloneParams();
          const dir = d;
          const result = strongWolfe(
            (step) => {
              this.addToParams(step, dir);
              const f = this.evaluate(closure);
              const g = this.gatherFlatGrad();
              this.setParams(x0);
              return { loss: f, grad: g };
            },
            d,
            t,
            loss,
            flatGrad,
            gtd,
            1e-4,
            0.9,
            toleranceChange,
          );
          ({ loss, grad: flatGrad, t, evals: lsEvals } = result);
          this.addToParams(t, d);
          optCond = maxAbs(flatGrad) <= toleranceGrad;
        } else {
          this.addToParams(t, d);
          if (nIter !== maxIter) {
            loss = this.evaluate(closure);
            flatGrad = this.gatherFlatGrad();
            optCond = maxAbs(flatGrad) <= toleranceGrad;
            lsEvals = 1;
          }
        }
        currentEvals += lsEvals;
        state['funcEvals'] = (state['funcEvals'] as number) + lsEvals;

        if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
        if (maxAbs(d) * Math.abs(t) <= toleranceChange) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }
    });

    state['d'] = vec(d);
    state['t'] = t;
    state['oldDirs'] = oldDirs.map(vec);
    state['oldStps'] = oldStps.map(vec);
    state['ro'] = ro;
    state['hDiag'] = hDiag;
    state['prevFlatGrad'] = prevFlatGrad === null ? null : vec(prevFlatGrad);
    state['prevLoss'] = prevLoss;
    return origLoss;
  }
}
