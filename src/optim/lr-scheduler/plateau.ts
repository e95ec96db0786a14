/**
 * ReduceLROnPlateau: lowers the lr when a monitored metric stops improving.
 * @module
 */
import { checkNumber, describe, notImplemented, num, parsePositional } from '../../autograd/args.js';
import { Tensor } from '../../autograd/tensor.js';
import { ArgumentTypeError } from '../../autograd/errors.js';
import type { PositionalArgs } from '../options.js';
import { checkOptimizer, choice, nonNegative, perGroup, perGroupNumber } from './args.js';
import { copyPlain, type AnyOptimizer, type SchedulerStateDict } from './base.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** `'min'` (default): the metric should decrease; `'max'`: it should increase. */
  mode?: 'min' | 'max';
  /** Factor by which the lr is reduced, < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** The least change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** `'rel'` (default): the threshold is relative to the best value; `'abs'`: absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the lr, one number or one per group (default 0). */
  minLr?: number | readonly number[];
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
  /** PyTorch prints each reduction when true; tapegrad accepts only false (read `getLastLr()`). */
  verbose?: boolean;
}

const PLATEAU_SPEC = {
  mode: choice(['min', 'max'] as const),
  factor: num({ min: 0, max: 1, maxExclusive: true }),
  patience: num({ integer: true, min: 0 }),
  threshold: nonNegative,
  thresholdMode: choice(['rel', 'abs'] as const),
  cooldown: num({ integer: true, min: 0 }),
  minLr: perGroupNumber,
  eps: nonNegative,
  verbose: notImplemented([false], 'schedulers do not print; read getLastLr() after step()'),
};
const PLATEAU_POSITIONAL = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps', 'verbose'] as const;

/** ReduceLROnPlateau's positional arguments after the optimizer, in PyTorch's order. */
export type ReduceLROnPlateauPositional = [
  mode: 'min' | 'max',
  factor: number,
  patience: number,
  threshold: number,
  thresholdMode: 'rel' | 'abs',
  cooldown: number,
  minLr: number | readonly number[],
  eps: number,
  verbose: boolean,
];

/**
 * Multiplies the lr by `factor` when the metric passed to `step(metric)` has not improved for
 * `patience` epochs, as in PyTorch's `ReduceLROnPlateau`.
 * @example
 * ```ts
 * const sched = new ReduceLROnPlateau(opt, { patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(validationLoss()); }
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rates are reduced. */
  readonly optimizer: AnyOptimizer;
  /** `'min'` or `'max'`. */
  readonly mode: 'min' | 'max';
  /** Reduction factor. */
  readonly factor: number;
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** Improvement threshold. */
  readonly threshold: number;
  /** `'rel'` or `'abs'`. */
  readonly thresholdMode: 'rel' | 'abs';
  /** Cooldown epochs after a reduction. */
  readonly cooldown: number;
  /** Lower bound of each group's lr. */
  readonly minLrs: number[];
  /** Minimal reduction. */
  readonly eps: number;
  /** The best metric seen. */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  /** Epochs left in the cooldown. */
  cooldownCounter = 0;
  /** Number of `step()` calls. */
  lastEpoch = 0;
  private lastLr: number[];

  /**
   * Creates the scheduler (it does not change the lr until a plateau). Called as PyTorch's
   * `ReduceLROnPlateau(optimizer, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps)`,
   * any leading part positionally and the rest in an options object:
   * `new ReduceLROnPlateau(opt, 'min', 0.5, 2)`, `new ReduceLROnPlateau(opt, 'min', { patience: 2 })`,
   * `new ReduceLROnPlateau(opt, { factor: 0.5, patience: 2 })`.
   */
  constructor(optimizer: AnyOptimizer, ...args: PositionalArgs<ReduceLROnPlateauPositional, ReduceLROnPlateauOptions>) {
    const name = 'ReduceLROnPlateau';
    checkOptimizer(name, optimizer);
    const forms = `new ${name}(optimizer, ${PLATEAU_POSITIONAL.join(', ')}) with any leading part in PyTorch's order, followed by an options object for the rest, or new ${name}(optimizer, { ${PLATEAU_POSITIONAL.join(', ')} })`;
    const options = parsePositional(name, args, PLATEAU_POSITIONAL, PLATEAU_SPEC, { forms });
    this.optimizer = optimizer;
    this.mode = options.mode ?? 'min';
    this.factor = options.factor ?? 0.1;
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.cooldown = options.cooldown ?? 0;
    this.minLrs = perGroup(name, 'minLr', options.minLr ?? 0, optimizer.paramGroups.length);
    this.eps = options.eps ?? 1e-8;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (1 + threshold) : a > best + threshold;
  }

  /**
   * Records the epoch's metric (a number or a one-element tensor) and reduces the lr after a plateau.
   * PyTorch's deprecated `step(metric, epoch)` also sets the epoch counter.
   * @example
   * ```ts
   * sched.step(valLoss);
   * ```
   */
  step(metric: number | Tensor, epoch?: number): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number')
      throw new ArgumentTypeError(`ReduceLROnPlateau.step: the metric must be a number or a one-element tensor, got ${describe(metric)}`);
    this.lastEpoch =
      epoch === undefined ? this.lastEpoch + 1 : checkNumber('ReduceLROnPlateau.step', 'epoch', epoch, { integer: true, min: 0 });
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.minLrs[i]!);
        if (g.lr - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * The learning rates after the last step, one per group.
   * @example
   * ```ts
   * sched.getLastLr(); // [0.01]
   * ```
   */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /**
   * The scheduler's counters and options, deep-copied.
   * @example
   * ```ts
   * const saved = sched.stateDict();
   * ```
   */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer') out[k] = copyPlain(v);
    return out;
  }

  /**
   * Restores a state returned by {@link ReduceLROnPlateau.stateDict}.
   * @example
   * ```ts
   * sched.loadStateDict(saved);
   * ```
   */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(stateDict)) if (k !== 'optimizer') self[k] = copyPlain(v);
  }
}
