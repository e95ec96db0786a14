/**
 * Factor schedules: ConstantLR, MultiplicativeLR and PolynomialLR.
 * @module
 */
import { num } from '../../autograd/args.js';
import type { PositionalArgs } from '../options.js';
import { lambdasPerGroup, lrLambdas, positiveInt, readSchedulerArgs, type LrLambda } from './args.js';
import { LRScheduler, type AnyOptimizer } from './base.js';
import type { SchedulerCommonOptions } from './basic.js';

/** Options of {@link ConstantLR}. */
export interface ConstantLROptions extends SchedulerCommonOptions {
  /** The factor applied until `totalIters`, in (0, 1] (default 1/3). */
  factor?: number;
  /** Epochs during which the factor applies (default 5). */
  totalIters?: number;
}

/**
 * Scales the lr by a constant `factor` until epoch `totalIters`, then restores it:
 * `lr = baseLr · (epoch < totalIters ? factor : 1)`.
 * @example
 * ```ts
 * const warmup = new ConstantLR(opt, 0.5, 4); // half the lr for 4 epochs
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** The factor applied before `totalIters`. */
  readonly factor: number;
  /** The epoch at which the full lr returns. */
  readonly totalIters: number;

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's `ConstantLR(optimizer,
   * factor, total_iters, last_epoch)`: `new ConstantLR(opt, 0.5, 4)` or `new ConstantLR(opt, { factor: 0.5 })`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<[factor: number, totalIters: number, lastEpoch: number, verbose: boolean], ConstantLROptions>
  ) {
    // PyTorch allows factor 0, which divides by zero when the lr is restored; it is rejected here.
    const spec = { factor: num({ min: 0, minExclusive: true, max: 1 }), totalIters: positiveInt };
    const o = readSchedulerArgs('ConstantLR', args, ['factor', 'totalIters'], spec);
    super('ConstantLR', optimizer, o.lastEpoch);
    this.factor = o.factor ?? 1 / 3;
    this.totalIters = o.totalIters ?? 5;
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    const t = this.lastEpoch;
    if (t === 0) return this.groups.map((g) => g.lr * this.factor);
    if (t !== this.totalIters) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 / this.factor));
  }

  /** @internal */
  protected override closedFormLr(): number[] {
    const f = this.lastEpoch >= this.totalIters ? 1 : this.factor;
    return this.baseLrs.map((lr) => lr * f);
  }
}

/** Options of {@link MultiplicativeLR}. */
export interface MultiplicativeLROptions extends SchedulerCommonOptions {
  /** One function, or one per parameter group (also the second positional argument). */
  lrLambda?: LrLambda | readonly LrLambda[];
}

/**
 * Multiplies the lr by `lrLambda(epoch)` at every epoch after the first:
 * `lr_e = lr_{e-1} · lrLambda(e)`. The functions are not part of the state dict.
 * @example
 * ```ts
 * const sched = new MultiplicativeLR(opt, () => 0.95);
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** One multiplier function per group. */
  readonly lrLambdas: LrLambda[];

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's
   * `MultiplicativeLR(optimizer, lr_lambda, last_epoch)`: `new MultiplicativeLR(opt, () => 0.95)`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<[lrLambda: LrLambda | readonly LrLambda[], lastEpoch: number, verbose: boolean], MultiplicativeLROptions>
  ) {
    const o = readSchedulerArgs('MultiplicativeLR', args, ['lrLambda'], { lrLambda: lrLambdas }, ['lrLambda']);
    super('MultiplicativeLR', optimizer, o.lastEpoch);
    this.lrLambdas = lambdasPerGroup('MultiplicativeLR', o.lrLambda!, optimizer.paramGroups.length);
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    if (this.lastEpoch <= 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
  }

  /** @internal */
  protected override excludedKeys(): string[] {
    return ['lrLambdas'];
  }
}

/** Options of {@link PolynomialLR}. */
export interface PolynomialLROptions extends SchedulerCommonOptions {
  /** Epochs over which the lr decays to 0 (default 5). */
  totalIters?: number;
  /** The power of the polynomial (default 1: linear). */
  power?: number;
}

/**
 * Decays the lr to 0 over `totalIters` epochs along a polynomial:
 * `lr = baseLr · (1 - min(epoch, totalIters) / totalIters)^power`.
 * @example
 * ```ts
 * const sched = new PolynomialLR(opt, 100, 2);
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /** Epochs of the decay. */
  readonly totalIters: number;
  /** The power of the polynomial. */
  readonly power: number;

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's `PolynomialLR(optimizer,
   * total_iters, power, last_epoch)`: `new PolynomialLR(opt, 100, 2)` or `new PolynomialLR(opt, { totalIters: 100 })`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<[totalIters: number, power: number, lastEpoch: number, verbose: boolean], PolynomialLROptions>
  ) {
    const o = readSchedulerArgs('PolynomialLR', args, ['totalIters', 'power'], { totalIters: positiveInt, power: num() });
    super('PolynomialLR', optimizer, o.lastEpoch);
    this.totalIters = o.totalIters ?? 5;
    this.power = o.power ?? 1;
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    const t = this.lastEpoch;
    const n = this.totalIters;
    if (t === 0 || t > n) return this.groups.map((g) => g.lr);
    const decay = Math.pow((1 - t / n) / (1 - (t - 1) / n), this.power);
    return this.groups.map((g) => g.lr * decay);
  }

  /** @internal */
  protected override closedFormLr(): number[] {
    const f = Math.pow(1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters, this.power);
    return this.baseLrs.map((lr) => lr * f);
  }
}
