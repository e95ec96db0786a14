/**
 * ReduceLROnPlateau: lowers the lr when a monitored metric stops improving.
 * @module
 */
import { Tensor } from '../../autograd/tensor.js';
import { ValueError } from '../../autograd/errors.js';
import { checkOpt, copyPlain, type AnyOptimizer, type SchedulerStateDict } from './base.js';

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
}

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

  /** Creates the scheduler (it does not change the lr until a plateau). */
  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const name = 'ReduceLROnPlateau';
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new ValueError(`${name}: the first argument must be an optimizer`);
    }
    this.optimizer = optimizer;
    this.mode = options.mode ?? 'min';
    checkOpt(this.mode === 'min' || this.mode === 'max', name, 'mode', this.mode, "must be 'min' or 'max'");
    this.factor = options.factor ?? 0.1;
    checkOpt(this.factor >= 0 && this.factor < 1, name, 'factor', this.factor, 'must be in [0, 1)');
    this.patience = options.patience ?? 10;
    checkOpt(Number.isInteger(this.patience) && this.patience >= 0, name, 'patience', this.patience, 'must be an integer >= 0');
    this.threshold = options.threshold ?? 1e-4;
    checkOpt(this.threshold >= 0, name, 'threshold', this.threshold, 'must be >= 0');
    this.thresholdMode = options.thresholdMode ?? 'rel';
    checkOpt(this.thresholdMode === 'rel' || this.thresholdMode === 'abs', name, 'thresholdMode', this.thresholdMode, "must be 'rel' or 'abs'");
    this.cooldown = options.cooldown ?? 0;
    checkOpt(Number.isInteger(this.cooldown) && this.cooldown >= 0, name, 'cooldown', this.cooldown, 'must be an integer >= 0');
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    this.minLrs = typeof minLr === 'number' ? new Array<number>(n).fill(minLr) : minLr.slice();
    checkOpt(this.minLrs.length === n && this.minLrs.every((x) => x >= 0), name, 'minLr', minLr, `must be a number >= 0 or ${n} of them, one per group`);
    this.eps = options.eps ?? 1e-8;
    checkOpt(this.eps >= 0, name, 'eps', this.eps, 'must be >= 0');
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
   * @example
   * ```ts
   * sched.step(valLoss);
   * ```
   */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new ValueError(`ReduceLROnPlateau.step: the metric must be a number or a one-element tensor, got ${typeof metric}`);
    this.lastEpoch++;
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
