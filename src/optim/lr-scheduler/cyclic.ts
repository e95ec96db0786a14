/**
 * Cyclical schedules stepped per batch: OneCycleLR and CyclicLR, optionally cycling momentum inversely.
 * @module
 */
import { ValueError } from '../../autograd/errors.js';
import type { ParamGroup, OptimizerOptions } from '../optimizer.js';
import { checkOpt, LRScheduler, type AnyOptimizer } from './base.js';

/** True when the groups carry Adam-style `betas` (momentum is β1), false for `momentum`; throws if neither. @internal */
function momentumKind(name: string, optimizer: AnyOptimizer): 'betas' | 'momentum' {
  const d = optimizer.defaults as unknown as Record<string, unknown>;
  if ('betas' in d) return 'betas';
  if ('momentum' in d) return 'momentum';
  throw new ValueError(`${name}: optimizer ${optimizer.name} has neither 'momentum' nor 'betas', so cycleMomentum must be false`);
}

function setMomentum(group: ParamGroup<OptimizerOptions>, kind: 'betas' | 'momentum', value: number): void {
  if (kind === 'betas') {
    const betas = group['betas'] as [number, number];
    group['betas'] = [value, betas[1]];
  } else {
    group['momentum'] = value;
  }
}

/** Options of {@link OneCycleLR}. */
export interface OneCycleLROptions {
  /** Total number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given). */
  epochs?: number;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or β1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum, reached at the peak lr (default 0.85). */
  baseMomentum?: number;
  /** Highest momentum, at the start and the end (default 0.95). */
  maxMomentum?: number;
  /** The initial lr is `maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** The final lr is `initialLr / finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Use a third phase that anneals from the initial lr to the final one (default false). */
  threePhase?: boolean;
  /** The index of the last step when resuming (default -1: start). */
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (Smith & Topin, 2018): the lr rises from `maxLr / divFactor` to `maxLr` over
 * `pctStart` of the steps, then anneals to `initialLr / finalDivFactor`; momentum moves the other way.
 * Call `step()` after every batch.
 * @example
 * ```ts
 * const sched = new OneCycleLR(opt, 0.1, { epochs: 10, stepsPerEpoch: loader.length });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Total number of steps. */
  readonly totalSteps: number;
  /** The phases of the cycle. @internal */
  readonly phases: Phase[];
  /** `'cos'` or `'linear'`. */
  readonly annealStrategy: 'cos' | 'linear';
  /** Whether momentum is cycled. */
  readonly cycleMomentum: boolean;
  /** Whether momentum lives in `betas[0]` (Adam) rather than `momentum` (SGD). @internal */
  readonly useBeta1: boolean;

  /** Creates the scheduler and applies the lr of step 0. */
  constructor(optimizer: AnyOptimizer, maxLr: number | readonly number[], options: OneCycleLROptions = {}) {
    const name = 'OneCycleLR';
    const groups = optimizer.paramGroups;
    let total: number;
    if (options.totalSteps !== undefined) {
      checkOpt(Number.isInteger(options.totalSteps) && options.totalSteps >= 1, name, 'totalSteps', options.totalSteps, 'must be an integer >= 1');
      total = options.totalSteps;
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      checkOpt(Number.isInteger(options.epochs) && options.epochs >= 1, name, 'epochs', options.epochs, 'must be an integer >= 1');
      checkOpt(Number.isInteger(options.stepsPerEpoch) && options.stepsPerEpoch >= 1, name, 'stepsPerEpoch', options.stepsPerEpoch, 'must be an integer >= 1');
      total = options.epochs * options.stepsPerEpoch;
    } else {
      throw new ValueError(`${name}: give totalSteps, or epochs and stepsPerEpoch`);
    }
    const pct = options.pctStart ?? 0.3;
    checkOpt(pct >= 0 && pct <= 1, name, 'pctStart', pct, 'must be in [0, 1]');
    const anneal = options.annealStrategy ?? 'cos';
    checkOpt(anneal === 'cos' || anneal === 'linear', name, 'annealStrategy', anneal, "must be 'cos' or 'linear'");
    const maxLrs = typeof maxLr === 'number' ? groups.map(() => maxLr) : maxLr.slice();
    checkOpt(maxLrs.length === groups.length && maxLrs.every((x) => x >= 0), name, 'maxLr', maxLr, `must be a number >= 0 or ${groups.length} of them, one per group`);
    const div = options.divFactor ?? 25;
    const finalDiv = options.finalDivFactor ?? 1e4;
    checkOpt(div > 0, name, 'divFactor', div, 'must be > 0');
    checkOpt(finalDiv > 0, name, 'finalDivFactor', finalDiv, 'must be > 0');
    const cycle = options.cycleMomentum ?? true;
    const kind = cycle ? momentumKind(name, optimizer) : 'momentum';
    const baseM = options.baseMomentum ?? 0.85;
    const maxM = options.maxMomentum ?? 0.95;
    const lastEpoch = options.lastEpoch ?? -1;
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / div;
        g.lr = g.initialLr;
        g['maxLr'] = maxLrs[i];
        g['minLr'] = g.initialLr / finalDiv;
        if (cycle) {
          setMomentum(g, kind, maxM);
          g['maxMomentum'] = maxM;
          g['baseMomentum'] = baseM;
        }
      });
    }
    super(name, optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = kind === 'betas';
    this.phases = options.threePhase
      ? [
          { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pct * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.annealStrategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  /** @internal */
  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(`OneCycleLR: tried to step ${stepNum} times; the cycle has totalSteps = ${this.totalSteps}`);
    }
    return this.groups.map((g) => {
      let startStep = 0;
      let lr = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i]!;
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (ph.endStep - startStep);
          lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) {
            const m = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
            setMomentum(g, this.useBeta1 ? 'betas' : 'momentum', m);
          }
          break;
        }
        startStep = ph.endStep;
      }
      return lr;
    });
  }
}

/** Options of {@link CyclicLR}. */
export interface CyclicLROptions {
  /** Steps in the increasing half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Steps in the decreasing half (default: `stepSizeUp`). */
  stepSizeDown?: number;
  /** `'triangular'` (default), `'triangular2'` (amplitude halves each cycle) or `'expRange'` (scaled by gamma^step). */
  mode?: 'triangular' | 'triangular2' | 'expRange';
  /** The base of `'expRange'` (default 1). */
  gamma?: number;
  /** A custom amplitude scale, replacing `mode` (not saved in the state dict). */
  scaleFn?: (x: number) => number;
  /** Whether `scaleFn` takes the cycle number (`'cycle'`, default) or the step (`'iterations'`). */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum (or β1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr (default 0.8). */
  baseMomentum?: number;
  /** Momentum at the base lr (default 0.9). */
  maxMomentum?: number;
  /** The index of the last step when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Cyclical learning rates (Smith, 2017): the lr moves between `baseLr` and `maxLr` in triangles of
 * `stepSizeUp + stepSizeDown` steps, the amplitude scaled per `mode`. Call `step()` after every batch.
 * @example
 * ```ts
 * const sched = new CyclicLR(opt, 0.001, 0.1, { stepSizeUp: 200, mode: 'triangular2' });
 * ```
 */
export class CyclicLR extends LRScheduler {
  /** The upper lr of each group. */
  readonly maxLrs: number[];
  /** Steps per cycle. */
  readonly totalSize: number;
  /** Fraction of the cycle spent increasing. */
  readonly stepRatio: number;
  /** The amplitude mode. */
  readonly mode: 'triangular' | 'triangular2' | 'expRange';
  /** The base of `'expRange'`. */
  readonly gamma: number;
  /** What the scale function takes. */
  readonly scaleMode: 'cycle' | 'iterations';
  /** Whether momentum is cycled. */
  readonly cycleMomentum: boolean;
  /** Whether momentum lives in `betas[0]`. @internal */
  readonly useBeta1: boolean;
  /** The momenta at the peak lr. */
  readonly baseMomentums: number[];
  /** The momenta at the base lr. */
  readonly maxMomentums: number[];
  private readonly customScale: ((x: number) => number) | null;

  /** Creates the scheduler and applies the lr of step 0. */
  constructor(optimizer: AnyOptimizer, baseLr: number | readonly number[], maxLr: number | readonly number[], options: CyclicLROptions = {}) {
    const name = 'CyclicLR';
    const groups = optimizer.paramGroups;
    const perGroup = (v: number | readonly number[], what: string): number[] => {
      const out = typeof v === 'number' ? groups.map(() => v) : v.slice();
      checkOpt(out.length === groups.length && out.every((x) => x >= 0), name, what, v, `must be a number >= 0 or ${groups.length} of them, one per group`);
      return out;
    };
    const baseLrs = perGroup(baseLr, 'baseLr');
    const lastEpoch = options.lastEpoch ?? -1;
    if (lastEpoch === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]!));
    const up = options.stepSizeUp ?? 2000;
    const down = options.stepSizeDown ?? up;
    checkOpt(up > 0, name, 'stepSizeUp', up, 'must be > 0');
    checkOpt(down > 0, name, 'stepSizeDown', down, 'must be > 0');
    const mode = options.mode ?? 'triangular';
    checkOpt(['triangular', 'triangular2', 'expRange'].includes(mode), name, 'mode', mode, "must be 'triangular', 'triangular2' or 'expRange'");
    const cycle = options.cycleMomentum ?? true;
    const kind = cycle ? momentumKind(name, optimizer) : 'momentum';
    const baseMs = perGroup(options.baseMomentum ?? 0.8, 'baseMomentum');
    const maxMs = perGroup(options.maxMomentum ?? 0.9, 'maxMomentum');
    if (cycle && lastEpoch === -1) {
      groups.forEach((g, i) => {
        setMomentum(g, kind, maxMs[i]!);
        g['maxMomentum'] = maxMs[i];
        g['baseMomentum'] = baseMs[i];
      });
    }
    super(name, optimizer, lastEpoch);
    this.baseLrs = baseLrs;
    this.maxLrs = perGroup(maxLr, 'maxLr');
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = mode;
    this.gamma = options.gamma ?? 1;
    this.customScale = options.scaleFn ?? null;
    this.scaleMode = options.scaleFn ? (options.scaleMode ?? 'cycle') : mode === 'expRange' ? 'iterations' : 'cycle';
    this.cycleMomentum = cycle;
    this.useBeta1 = kind === 'betas';
    this.baseMomentums = baseMs;
    this.maxMomentums = maxMs;
    this.initialStep();
  }

  private scale(x: number): number {
    if (this.customScale) return this.customScale(x);
    if (this.mode === 'triangular') return 1;
    if (this.mode === 'triangular2') return 1 / Math.pow(2, x - 1);
    return Math.pow(this.gamma, x);
  }

  /** @internal */
  protected getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const factor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const s = this.scale(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    if (this.cycleMomentum) {
      this.groups.forEach((g, i) => {
        const m = this.maxMomentums[i]! - (this.maxMomentums[i]! - this.baseMomentums[i]!) * factor * s;
        setMomentum(g, this.useBeta1 ? 'betas' : 'momentum', m);
      });
    }
    return this.baseLrs.map((lr, i) => lr + (this.maxLrs[i]! - lr) * factor * s);
  }

  /** @internal */
  protected override excludedKeys(): string[] {
    return ['customScale'];
  }
}
