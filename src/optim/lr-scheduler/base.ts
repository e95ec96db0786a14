/**
 * The learning-rate scheduler base class, with PyTorch's semantics: constructing a scheduler sets
 * each group's `initialLr` and applies the lr of epoch 0; each `step()` moves one epoch on.
 * @module
 */
import { ValueError } from '../../autograd/errors.js';
import type { Optimizer, OptimizerOptions, ParamGroup } from '../optimizer.js';
import { checkNumber } from '../../autograd/args.js';
import { checkOptimizer } from './args.js';

/**
 * A scheduler's state: its own fields (epoch counter, base lrs, options), without the optimizer or functions.
 * @example
 * ```ts
 * const sd: SchedulerStateDict = scheduler.stateDict();
 * sd['lastEpoch']; // 5
 * ```
 */
export type SchedulerStateDict = Record<string, unknown>;

/** Any optimizer, as a scheduler sees it (groups with an `lr`). */
export type AnyOptimizer = Optimizer<OptimizerOptions>;

/** Deep copy of plain data (numbers, strings, booleans, arrays, plain objects). @internal */
export function copyPlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyPlain) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyPlain(x);
    return out as T;
  }
  return v;
}

/** Throws a ValueError `Scheduler: invalid option: value (rule)` unless `ok`. @internal */
function checkOpt(ok: boolean, scheduler: string, option: string, value: unknown, rule: string): void {
  if (!ok)
    throw new ValueError(`${scheduler}: invalid ${option}: ${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)} (${rule})`);
}

/**
 * Base class of the epoch-based learning-rate schedulers. Subclasses implement `getLr()` in
 * PyTorch's chainable form (from the groups' current lrs) and, where there is one, `closedFormLr()`.
 * @example
 * ```ts
 * const sched = new lrScheduler.StepLR(opt, 30, { gamma: 0.1 });
 * for (let epoch = 0; epoch < 90; epoch++) { train(); sched.step(); }
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates are scheduled. */
  readonly optimizer: AnyOptimizer;
  /** Each group's `initialLr` when the scheduler was created. */
  baseLrs: number[];
  /** The index of the current epoch (0 after construction). */
  lastEpoch: number;
  /** The lrs set by the last step. @internal */
  protected lastLr: number[] = [];
  /** The scheduler's name, for error messages. @internal */
  declare protected readonly schedulerName: string;
  /** Number of `step()` calls, including the one made by the constructor. @internal */
  protected stepCount = 0;

  /** @internal Subclasses call {@link LRScheduler.initialStep} at the end of their constructor. */
  protected constructor(name: string, optimizer: AnyOptimizer, lastEpoch = -1) {
    checkOptimizer(name, optimizer);
    // Not enumerable, so it stays out of the state dict.
    Object.defineProperty(this, 'schedulerName', { value: name, enumerable: false });
    this.optimizer = optimizer;
    checkOpt(Number.isInteger(lastEpoch) && lastEpoch >= -1, name, 'lastEpoch', lastEpoch, 'must be an integer >= -1');
    optimizer.paramGroups.forEach((group, i) => {
      if (lastEpoch === -1) {
        if (group.initialLr === undefined) group.initialLr = group.lr;
      } else if (group.initialLr === undefined) {
        throw new ValueError(`${name}: paramGroups[${i}] has no initialLr, which resuming with lastEpoch = ${lastEpoch} needs`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The groups of the optimizer. @internal */
  protected get groups(): ParamGroup<OptimizerOptions>[] {
    return this.optimizer.paramGroups;
  }

  /** The lrs for `lastEpoch`, computed from the groups' current lrs (chainable form). @internal */
  protected abstract getLr(): number[];

  /** The lrs for `lastEpoch` from the base lrs alone, when the schedule has a closed form. @internal */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Performs the step the constructor makes (epoch -1 to 0). @internal */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Moves to the next epoch and sets the groups' learning rates. Call it after `optimizer.step()`.
   * PyTorch's deprecated `step(epoch)` jumps to `epoch` instead (with the closed form where there is one).
   * @example
   * ```ts
   * opt.step(); sched.step();
   * ```
   */
  step(epoch?: number): void {
    if (epoch !== undefined) {
      this._stepTo(checkNumber(`${this.schedulerName}.step`, 'epoch', epoch, { min: 0 }));
      return;
    }
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /** Jumps to `epoch` using the closed form when there is one (used by SequentialLR). @internal */
  _stepTo(epoch: number): void {
    this.stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr() ?? this.getLr());
  }

  /** Writes lrs into the groups. @internal */
  protected apply(lrs: number[]): void {
    this.groups.forEach((g, i) => (g.lr = lrs[i]!));
    this.lastLr = this.groups.map((g) => g.lr);
  }

  /**
   * The learning rates set by the last step, one per parameter group.
   * @example
   * ```ts
   * sched.getLastLr(); // [0.1]
   * ```
   */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Keys left out of the state dict (functions the user passes again). @internal */
  protected excludedKeys(): string[] {
    return [];
  }

  /**
   * The scheduler's state (everything but the optimizer and user functions), deep-copied.
   * @example
   * ```ts
   * const saved = sched.stateDict(); // later: sched.loadStateDict(saved)
   * ```
   */
  stateDict(): SchedulerStateDict {
    const skip = new Set(['optimizer', ...this.excludedKeys()]);
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (!skip.has(k) && typeof v !== 'function') out[k] = copyPlain(v);
    return out;
  }

  /**
   * Restores a state returned by {@link LRScheduler.stateDict}.
   * @example
   * ```ts
   * sched.loadStateDict(checkpoint.scheduler);
   * ```
   */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(stateDict)) if (k !== 'optimizer') self[k] = copyPlain(v);
  }
}
