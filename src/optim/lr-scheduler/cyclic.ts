/**
 * Cyclical schedules stepped per batch: OneCycleLR and CyclicLR, optionally cycling momentum inversely.
 * @module
 */
import { bool, fn, nullable, num } from '../../autograd/args.js';
import { ValueError } from '../../autograd/errors.js';
import type { ParamGroup, OptimizerOptions } from '../optimizer.js';
import type { PositionalArgs } from '../options.js';
import { checkOptimizer, choice, perGroup, perGroupNumber, positiveInt, readSchedulerArgs } from './args.js';
import { LRScheduler, type AnyOptimizer } from './base.js';
import type { SchedulerCommonOptions } from './basic.js';

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
export interface OneCycleLROptions extends SchedulerCommonOptions {
  /** The peak lr, or one per group (also the second positional argument). */
  maxLr?: number | readonly number[];
  /** Total number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  /** Number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given). */
  epochs?: number | null;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number | null;
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
}

const ONE_CYCLE_SPEC = {
  maxLr: perGroupNumber,
  totalSteps: nullable(positiveInt),
  epochs: nullable(positiveInt),
  stepsPerEpoch: nullable(positiveInt),
  pctStart: num({ min: 0, max: 1 }),
  annealStrategy: choice(['cos', 'linear'] as const),
  cycleMomentum: bool,
  baseMomentum: num(),
  maxMomentum: num(),
  divFactor: num({ min: 0, minExclusive: true }),
  finalDivFactor: num({ min: 0, minExclusive: true }),
  threePhase: bool,
};
const ONE_CYCLE_POSITIONAL = [
  'maxLr',
  'totalSteps',
  'epochs',
  'stepsPerEpoch',
  'pctStart',
  'annealStrategy',
  'cycleMomentum',
  'baseMomentum',
  'maxMomentum',
  'divFactor',
  'finalDivFactor',
  'threePhase',
];

/** OneCycleLR's positional arguments after the optimizer, in PyTorch's order. */
export type OneCycleLRPositional = [
  maxLr: number | readonly number[],
  totalSteps: number | null,
  epochs: number | null,
  stepsPerEpoch: number | null,
  pctStart: number,
  annealStrategy: 'cos' | 'linear',
  cycleMomentum: boolean,
  baseMomentum: number,
  maxMomentum: number,
  divFactor: number,
  finalDivFactor: number,
  threePhase: boolean,
  lastEpoch: number,
  verbose: boolean,
];

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

  /**
   * Creates the scheduler and applies the lr of step 0. Called as PyTorch's `OneCycleLR(optimizer,
   * max_lr, total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy, ...)`:
   * `new OneCycleLR(opt, 0.1, 1000)`, `new OneCycleLR(opt, 0.1, null, 10, 100)` or
   * `new OneCycleLR(opt, 0.1, { epochs: 10, stepsPerEpoch: 100 })`.
   */
  constructor(optimizer: AnyOptimizer, ...args: PositionalArgs<OneCycleLRPositional, OneCycleLROptions>) {
    const name = 'OneCycleLR';
    checkOptimizer(name, optimizer);
    const options = readSchedulerArgs(name, args, [...ONE_CYCLE_POSITIONAL, 'lastEpoch', 'verbose'], ONE_CYCLE_SPEC, ['maxLr']);
    const groups = optimizer.paramGroups;
    let total: number;
    if (options.totalSteps != null) {
      total = options.totalSteps;
    } else if (options.epochs != null && options.stepsPerEpoch != null) {
      total = options.epochs * options.stepsPerEpoch;
    } else {
      throw new ValueError(`${name}: give totalSteps, or epochs and stepsPerEpoch`);
    }
    const pct = options.pctStart ?? 0.3;
    const anneal = options.annealStrategy ?? 'cos';
    const maxLrs = perGroup(name, 'maxLr', options.maxLr!, groups.length);
    const div = options.divFactor ?? 25;
    const finalDiv = options.finalDivFactor ?? 1e4;
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
export interface CyclicLROptions extends SchedulerCommonOptions {
  /** The lower lr, or one per group (also the second positional argument). */
  baseLr?: number | readonly number[];
  /** The upper lr, or one per group (also the third positional argument). */
  maxLr?: number | readonly number[];
  /** Steps in the increasing half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Steps in the decreasing half (default: `stepSizeUp`). */
  stepSizeDown?: number | null;
  /** `'triangular'` (default), `'triangular2'` (amplitude halves each cycle) or `'expRange'` (PyTorch's `'exp_range'`, also accepted: scaled by gamma^step). */
  mode?: 'triangular' | 'triangular2' | 'expRange' | 'exp_range';
  /** The base of `'expRange'` (default 1). */
  gamma?: number;
  /** A custom amplitude scale, replacing `mode` (not saved in the state dict). */
  scaleFn?: ((x: number) => number) | null;
  /** Whether `scaleFn` takes the cycle number (`'cycle'`, default) or the step (`'iterations'`). */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum (or β1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr, or one per group (default 0.8). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the base lr (default 0.9). */
  maxMomentum?: number | readonly number[];
}

const CYCLIC_SPEC = {
  baseLr: perGroupNumber,
  maxLr: perGroupNumber,
  stepSizeUp: num({ min: 0, minExclusive: true }),
  stepSizeDown: nullable(num({ min: 0, minExclusive: true })),
  mode: choice(['triangular', 'triangular2', 'expRange'] as const, { exp_range: 'expRange' }),
  gamma: num(),
  scaleFn: nullable(fn),
  scaleMode: choice(['cycle', 'iterations'] as const),
  cycleMomentum: bool,
  baseMomentum: perGroupNumber,
  maxMomentum: perGroupNumber,
};
const CYCLIC_POSITIONAL = [
  'baseLr',
  'maxLr',
  'stepSizeUp',
  'stepSizeDown',
  'mode',
  'gamma',
  'scaleFn',
  'scaleMode',
  'cycleMomentum',
  'baseMomentum',
  'maxMomentum',
];

/** CyclicLR's positional arguments after the optimizer, in PyTorch's order. */
export type CyclicLRPositional = [
  baseLr: number | readonly number[],
  maxLr: number | readonly number[],
  stepSizeUp: number,
  stepSizeDown: number | null,
  mode: 'triangular' | 'triangular2' | 'expRange' | 'exp_range',
  gamma: number,
  scaleFn: ((x: number) => number) | null,
  scaleMode: 'cycle' | 'iterations',
  cycleMomentum: boolean,
  baseMomentum: number | readonly number[],
  maxMomentum: number | readonly number[],
  lastEpoch: number,
  verbose: boolean,
];

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

  /**
   * Creates the scheduler and applies the lr of step 0. Called as PyTorch's `CyclicLR(optimizer,
   * base_lr, max_lr, step_size_up, step_size_down, mode, gamma, scale_fn, scale_mode, ...)`:
   * `new CyclicLR(opt, 0.001, 0.1, 200)` or `new CyclicLR(opt, 0.001, 0.1, { stepSizeUp: 200, mode: 'triangular2' })`.
   */
  constructor(optimizer: AnyOptimizer, ...args: PositionalArgs<CyclicLRPositional, CyclicLROptions>) {
    const name = 'CyclicLR';
    checkOptimizer(name, optimizer);
    const options = readSchedulerArgs(name, args, [...CYCLIC_POSITIONAL, 'lastEpoch', 'verbose'], CYCLIC_SPEC, ['baseLr', 'maxLr']);
    const groups = optimizer.paramGroups;
    const baseLrs = perGroup(name, 'baseLr', options.baseLr!, groups.length);
    const lastEpoch = options.lastEpoch ?? -1;
    if (lastEpoch === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]!));
    const up = options.stepSizeUp ?? 2000;
    const down = options.stepSizeDown ?? up;
    const mode = options.mode ?? 'triangular';
    const cycle = options.cycleMomentum ?? true;
    const kind = cycle ? momentumKind(name, optimizer) : 'momentum';
    const baseMs = perGroup(name, 'baseMomentum', options.baseMomentum ?? 0.8, groups.length);
    const maxMs = perGroup(name, 'maxMomentum', options.maxMomentum ?? 0.9, groups.length);
    if (cycle && lastEpoch === -1) {
      groups.forEach((g, i) => {
        setMomentum(g, kind, maxMs[i]!);
        g['maxMomentum'] = maxMs[i];
        g['baseMomentum'] = baseMs[i];
      });
    }
    super(name, optimizer, lastEpoch);
    this.baseLrs = baseLrs;
    this.maxLrs = perGroup(name, 'maxLr', options.maxLr!, groups.length);
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = mode;
    this.gamma = options.gamma ?? 1;
    this.customScale = (options.scaleFn as ((x: number) => number) | null | undefined) ?? null;
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
