/**
 * Step-wise and multiplicative schedules: StepLR, MultiStepLR, ExponentialLR, LinearLR, LambdaLR.
 * @module
 */
import { checkOpt, LRScheduler, type AnyOptimizer } from './base.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

function checkGamma(name: string, gamma: number): void {
  checkOpt(Number.isFinite(gamma) && gamma >= 0, name, 'gamma', gamma, 'must be a finite number >= 0');
}

/**
 * Multiplies the lr by `gamma` every `stepSize` epochs: `lr = baseLr · gamma^⌊epoch / stepSize⌋`.
 * @example
 * ```ts
 * const sched = new StepLR(opt, 30, { gamma: 0.1 }); // 0.1 for 30 epochs, 0.01 for 30, ...
 * ```
 */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  readonly stepSize: number;
  /** The decay factor. */
  readonly gamma: number;

  /** Creates the scheduler and applies the lr of epoch 0. */
  constructor(optimizer: AnyOptimizer, stepSize: number, options: StepLROptions = {}) {
    super('StepLR', optimizer, options.lastEpoch);
    checkOpt(Number.isInteger(stepSize) && stepSize >= 1, 'StepLR', 'stepSize', stepSize, 'must be an integer >= 1');
    this.stepSize = stepSize;
    this.gamma = options.gamma ?? 0.1;
    checkGamma('StepLR', this.gamma);
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.groups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }

  /** @internal */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * Math.pow(this.gamma, Math.floor(this.lastEpoch / this.stepSize)));
  }
}

/**
 * Multiplies the lr by `gamma` at each milestone epoch: `lr = baseLr · gamma^(number of milestones ≤ epoch)`.
 * @example
 * ```ts
 * const sched = new MultiStepLR(opt, [30, 80], { gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** The epochs at which the lr decays (sorted; a repeated milestone decays several times). */
  readonly milestones: number[];
  /** The decay factor. */
  readonly gamma: number;

  /** Creates the scheduler and applies the lr of epoch 0. */
  constructor(optimizer: AnyOptimizer, milestones: readonly number[], options: StepLROptions = {}) {
    super('MultiStepLR', optimizer, options.lastEpoch);
    checkOpt(Array.isArray(milestones) && milestones.every((m) => Number.isInteger(m) && m >= 0), 'MultiStepLR', 'milestones', milestones, 'must be integers >= 0');
    this.milestones = milestones.slice().sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    checkGamma('MultiStepLR', this.gamma);
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    let hits = 0;
    for (const m of this.milestones) if (m === this.lastEpoch) hits++;
    return this.groups.map((g) => g.lr * Math.pow(this.gamma, hits));
  }

  /** @internal */
  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const m of this.milestones) if (m <= this.lastEpoch) passed++;
    return this.baseLrs.map((lr) => lr * Math.pow(this.gamma, passed));
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Multiplies the lr by `gamma` every epoch: `lr = baseLr · gamma^epoch`.
 * @example
 * ```ts
 * const sched = new ExponentialLR(opt, 0.95);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** The decay factor per epoch. */
  readonly gamma: number;

  /** Creates the scheduler and applies the lr of epoch 0. */
  constructor(optimizer: AnyOptimizer, gamma: number, options: ExponentialLROptions = {}) {
    super('ExponentialLR', optimizer, options.lastEpoch);
    checkGamma('ExponentialLR', gamma);
    this.gamma = gamma;
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    return this.groups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }

  /** @internal */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * Math.pow(this.gamma, this.lastEpoch));
  }
}

/** Options of {@link LinearLR}. */
export interface LinearLROptions {
  /** The factor applied at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** The factor reached at `totalIters`, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor changes linearly (default 5). */
  totalIters?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Scales the lr by a factor going linearly from `startFactor` to `endFactor` over `totalIters`
 * epochs, then constant: `lr = baseLr · (start + (end - start) · min(epoch, totalIters) / totalIters)`.
 * A linear warm-up is `new LinearLR(opt, { startFactor: 0.1, totalIters: 5 })`.
 * @example
 * ```ts
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The factor at epoch 0. */
  readonly startFactor: number;
  /** The factor from `totalIters` on. */
  readonly endFactor: number;
  /** Length of the linear ramp in epochs. */
  readonly totalIters: number;

  /** Creates the scheduler and applies the lr of epoch 0. */
  constructor(optimizer: AnyOptimizer, options: LinearLROptions = {}) {
    super('LinearLR', optimizer, options.lastEpoch);
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    checkOpt(this.startFactor > 0 && this.startFactor <= 1, 'LinearLR', 'startFactor', this.startFactor, 'must be in (0, 1]');
    checkOpt(this.endFactor >= 0 && this.endFactor <= 1, 'LinearLR', 'endFactor', this.endFactor, 'must be in [0, 1]');
    checkOpt(Number.isInteger(this.totalIters) && this.totalIters >= 1, 'LinearLR', 'totalIters', this.totalIters, 'must be an integer >= 1');
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    if (t === 0) return this.groups.map((g) => g.lr * s);
    if (t > n) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  /** @internal */
  protected override closedFormLr(): number[] {
    const f = this.startFactor + ((this.endFactor - this.startFactor) * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters;
    return this.baseLrs.map((lr) => lr * f);
  }
}

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions {
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Sets the lr to `baseLr · lrLambda(epoch)`, with one function for all groups or one per group.
 * The functions are not part of the state dict: pass them again when resuming.
 * @example
 * ```ts
 * const sched = new LambdaLR(opt, (epoch) => 0.95 ** epoch);
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** One multiplier function per group. */
  readonly lrLambdas: ((epoch: number) => number)[];

  /** Creates the scheduler and applies the lr of epoch 0. */
  constructor(optimizer: AnyOptimizer, lrLambda: ((epoch: number) => number) | readonly ((epoch: number) => number)[], options: LambdaLROptions = {}) {
    super('LambdaLR', optimizer, options.lastEpoch);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda)) {
      checkOpt(lrLambda.length === n && lrLambda.every((f) => typeof f === 'function'), 'LambdaLR', 'lrLambda', `an array of ${lrLambda.length}`, `must be one function or ${n} functions, one per parameter group`);
      this.lrLambdas = lrLambda.slice();
    } else {
      checkOpt(typeof lrLambda === 'function', 'LambdaLR', 'lrLambda', typeof lrLambda, 'must be a function of the epoch');
      this.lrLambdas = new Array(n).fill(lrLambda);
    }
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }

  /** @internal */
  protected override excludedKeys(): string[] {
    return ['lrLambdas'];
  }
}
