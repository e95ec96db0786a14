/**
 * Step-wise and multiplicative schedules: StepLR, MultiStepLR, ExponentialLR, LinearLR, LambdaLR.
 * @module
 */
import { arrayOf, num } from '../../autograd/args.js';
import type { PositionalArgs } from '../options.js';
import { lambdasPerGroup, lrLambdas, nonNegative, positiveInt, readSchedulerArgs, type LrLambda } from './args.js';
import { LRScheduler, type AnyOptimizer } from './base.js';

/** The options every epoch-based scheduler takes: `lastEpoch`, and PyTorch's `verbose` (only false). */
export interface SchedulerCommonOptions {
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
  /** PyTorch prints each change when true; tapegrad accepts only false (read `getLastLr()`). */
  verbose?: boolean;
}

/** The trailing positional arguments of every epoch-based scheduler, as in PyTorch. */
type Tail = [lastEpoch: number, verbose: boolean];

/** Options of {@link StepLR} (and of {@link MultiStepLR}, without `stepSize`). */
export interface StepLROptions extends SchedulerCommonOptions {
  /** Epochs between decays (PyTorch's `step_size`; also the second positional argument). */
  stepSize?: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions extends SchedulerCommonOptions {
  /** The epochs at which the lr decays (also the second positional argument). */
  milestones?: readonly number[];
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
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

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's `StepLR(optimizer,
   * step_size, gamma, last_epoch)`: `new StepLR(opt, 30)`, `new StepLR(opt, 30, 0.5)`,
   * `new StepLR(opt, 30, { gamma: 0.5 })` or `new StepLR(opt, { stepSize: 30, gamma: 0.5 })`.
   */
  constructor(optimizer: AnyOptimizer, ...args: PositionalArgs<[stepSize: number, gamma: number, ...Tail], StepLROptions>) {
    const o = readSchedulerArgs('StepLR', args, ['stepSize', 'gamma'], { stepSize: positiveInt, gamma: nonNegative }, ['stepSize']);
    super('StepLR', optimizer, o.lastEpoch);
    this.stepSize = o.stepSize!;
    this.gamma = o.gamma ?? 0.1;
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

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's `MultiStepLR(optimizer,
   * milestones, gamma, last_epoch)`: `new MultiStepLR(opt, [30, 80], 0.1)` or `new MultiStepLR(opt, [30, 80], { gamma: 0.1 })`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<[milestones: readonly number[], gamma: number, ...Tail], MultiStepLROptions>
  ) {
    const spec = { milestones: arrayOf(num({ integer: true, min: 0 })), gamma: nonNegative };
    const o = readSchedulerArgs('MultiStepLR', args, ['milestones', 'gamma'], spec, ['milestones']);
    super('MultiStepLR', optimizer, o.lastEpoch);
    this.milestones = o.milestones!.slice().sort((a, b) => a - b);
    this.gamma = o.gamma ?? 0.1;
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
export interface ExponentialLROptions extends SchedulerCommonOptions {
  /** The decay factor per epoch (also the second positional argument). */
  gamma?: number;
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

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's `ExponentialLR(optimizer,
   * gamma, last_epoch)`: `new ExponentialLR(opt, 0.95)` or `new ExponentialLR(opt, { gamma: 0.95 })`.
   */
  constructor(optimizer: AnyOptimizer, ...args: PositionalArgs<[gamma: number, ...Tail], ExponentialLROptions>) {
    const o = readSchedulerArgs('ExponentialLR', args, ['gamma'], { gamma: nonNegative }, ['gamma']);
    super('ExponentialLR', optimizer, o.lastEpoch);
    this.gamma = o.gamma!;
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
export interface LinearLROptions extends SchedulerCommonOptions {
  /** The factor applied at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** The factor reached at `totalIters`, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor changes linearly (default 5). */
  totalIters?: number;
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

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's `LinearLR(optimizer,
   * start_factor, end_factor, total_iters, last_epoch)`: `new LinearLR(opt, 0.1, 1, 5)` or
   * `new LinearLR(opt, { startFactor: 0.1, totalIters: 5 })`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<[startFactor: number, endFactor: number, totalIters: number, ...Tail], LinearLROptions>
  ) {
    const spec = { startFactor: num({ min: 0, minExclusive: true, max: 1 }), endFactor: num({ min: 0, max: 1 }), totalIters: positiveInt };
    const o = readSchedulerArgs('LinearLR', args, ['startFactor', 'endFactor', 'totalIters'], spec);
    super('LinearLR', optimizer, o.lastEpoch);
    this.startFactor = o.startFactor ?? 1 / 3;
    this.endFactor = o.endFactor ?? 1;
    this.totalIters = o.totalIters ?? 5;
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

export type { LrLambda } from './args.js';

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions extends SchedulerCommonOptions {
  /** One function, or one per parameter group (also the second positional argument). */
  lrLambda?: LrLambda | readonly LrLambda[];
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

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's `LambdaLR(optimizer,
   * lr_lambda, last_epoch)`: `new LambdaLR(opt, (e) => 0.95 ** e)` or `new LambdaLR(opt, { lrLambda })`.
   */
  constructor(optimizer: AnyOptimizer, ...args: PositionalArgs<[lrLambda: LrLambda | readonly LrLambda[], ...Tail], LambdaLROptions>) {
    const o = readSchedulerArgs('LambdaLR', args, ['lrLambda'], { lrLambda: lrLambdas }, ['lrLambda']);
    super('LambdaLR', optimizer, o.lastEpoch);
    this.lrLambdas = lambdasPerGroup('LambdaLR', o.lrLambda!, optimizer.paramGroups.length);
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
