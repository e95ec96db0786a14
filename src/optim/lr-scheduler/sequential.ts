/**
 * SequentialLR: hands the schedule over from one scheduler to the next at milestone epochs
 * (the usual warm-up then decay); ChainedScheduler: steps several schedulers together.
 * @module
 */
import { ArgumentTypeError, ValueError } from '../../autograd/errors.js';
import { any, checkArity, describe } from '../../autograd/args.js';
import type { PositionalArgs } from '../options.js';
import { readSchedulerArgs } from './args.js';
import { copyPlain, LRScheduler, type AnyOptimizer, type SchedulerStateDict } from './base.js';
import type { SchedulerCommonOptions } from './basic.js';

/** Options of {@link SequentialLR}. */
export interface SequentialLROptions extends SchedulerCommonOptions {
  /** The schedulers, in order (also the second positional argument). */
  schedulers?: readonly LRScheduler[];
  /** The epochs at which the next scheduler takes over (also the third positional argument). */
  milestones?: readonly number[];
}

/**
 * Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` (restarted from its epoch 0)
 * until `milestones[1]`, and so on. All schedulers must drive the same optimizer.
 * @example
 * ```ts
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new CosineAnnealingLR(opt, 95);
 * const sched = new SequentialLR(opt, [warmup, decay], [5]);
 * ```
 */
export class SequentialLR extends LRScheduler {
  /** The schedulers, in order. */
  readonly schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over. */
  readonly milestones: number[];

  /**
   * Creates the scheduler and restarts the first sub-scheduler at epoch 0. Called as PyTorch's
   * `SequentialLR(optimizer, schedulers, milestones, last_epoch)`: `new SequentialLR(opt, [warmup, decay], [5])`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<
      [schedulers: readonly LRScheduler[], milestones: readonly number[], lastEpoch: number, verbose: boolean],
      SequentialLROptions
    >
  ) {
    const o = readSchedulerArgs('SequentialLR', args, ['schedulers', 'milestones'], { schedulers: any, milestones: any }, [
      'schedulers',
      'milestones',
    ]);
    super('SequentialLR', optimizer, o.lastEpoch);
    const schedulers = o.schedulers as readonly LRScheduler[];
    const milestones = o.milestones as readonly number[];
    if (!Array.isArray(schedulers) || schedulers.length < 1) throw new ValueError('SequentialLR: expects at least one scheduler');
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`SequentialLR: schedulers[${i}] is not an epoch-based LRScheduler`);
      if (s.optimizer !== optimizer) throw new ValueError(`SequentialLR: schedulers[${i}] drives a different optimizer than the one given`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new ValueError(
        `SequentialLR: expects ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${Array.isArray(milestones) ? milestones.length : String(milestones)}`,
      );
    }
    milestones.forEach((m, i) => {
      if (!Number.isInteger(m) || m < 1 || (i > 0 && m <= milestones[i - 1]!)) {
        throw new ValueError(`SequentialLR: invalid milestones [${milestones.join(', ')}] (must be increasing integers >= 1)`);
      }
    });
    this.schedulers = (schedulers as readonly LRScheduler[]).slice();
    this.milestones = (milestones as readonly number[]).slice();
    this.lastEpoch = this.lastEpoch + 1;
    // Undo the initial steps the sub-schedulers made, then restart the first one.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr!;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    (this.schedulers[0] as unknown as { initialStep(): void }).initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  /** @internal */
  protected getLr(): number[] {
    return this.getLastLr();
  }

  /**
   * Moves to the next epoch; at a milestone the next scheduler starts from its epoch 0.
   * @example
   * ```ts
   * sched.step();
   * ```
   */
  override step(...args: never[]): void {
    checkArity('SequentialLR.step', args, 0, 'SequentialLR.step() (it takes no epoch, as in PyTorch)');
    this.lastEpoch++;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= this.lastEpoch) idx++;
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s._stepTo(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  /**
   * The state of this scheduler and of each sub-scheduler.
   * @example
   * ```ts
   * const saved = sched.stateDict();
   * ```
   */
  override stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer' && k !== 'schedulers') out[k] = copyPlain(v);
    out['schedulers'] = this.schedulers.map((s) => s.stateDict());
    return out;
  }

  /**
   * Restores a state returned by {@link SequentialLR.stateDict}, including the sub-schedulers'.
   * @example
   * ```ts
   * sched.loadStateDict(saved);
   * ```
   */
  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { schedulers, ...rest } = stateDict;
    super.loadStateDict(rest);
    if (Array.isArray(schedulers)) schedulers.forEach((sd, i) => this.schedulers[i]?.loadStateDict(sd as SchedulerStateDict));
  }
}

/**
 * Steps several schedulers of one optimizer together, so their effects multiply (the chainable
 * forms), as PyTorch's `ChainedScheduler`.
 * @example
 * ```ts
 * const sched = new ChainedScheduler([new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)]);
 * sched.step();
 * ```
 */
export class ChainedScheduler {
  /** The optimizer of every chained scheduler. */
  readonly optimizer: AnyOptimizer;
  /** The chained schedulers, stepped in order. */
  readonly schedulers: LRScheduler[];
  private lastLr: number[];

  /** Chains `schedulers`, which must all drive the same optimizer: `new ChainedScheduler([a, b])`. */
  constructor(schedulers: readonly LRScheduler[], ...rest: never[]) {
    checkArity('ChainedScheduler', [schedulers, ...rest], 1, 'new ChainedScheduler([scheduler1, scheduler2, ...])');
    if (!Array.isArray(schedulers) || schedulers.length < 1) {
      throw new ArgumentTypeError(`ChainedScheduler: expected a non-empty array of schedulers, got ${describe(schedulers)}`);
    }
    (schedulers as readonly unknown[]).forEach((s, i) => {
      if (!(s instanceof LRScheduler))
        throw new ArgumentTypeError(`ChainedScheduler: schedulers[${i}] is not an epoch-based LRScheduler (got ${describe(s)})`);
      if (s.optimizer !== (schedulers as readonly LRScheduler[])[0]!.optimizer)
        throw new ValueError(`ChainedScheduler: schedulers[${i}] drives a different optimizer than schedulers[0]`);
    });
    this.schedulers = (schedulers as readonly LRScheduler[]).slice();
    this.optimizer = this.schedulers[0]!.optimizer;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * Steps every chained scheduler once.
   * @example
   * ```ts
   * opt.step(); sched.step();
   * ```
   */
  step(...args: never[]): void {
    checkArity('ChainedScheduler.step', args, 0, 'ChainedScheduler.step() (it takes no epoch, as in PyTorch)');
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * The learning rates after the last step, one per group.
   * @example
   * ```ts
   * sched.getLastLr(); // [0.081]
   * ```
   */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /**
   * The state of each chained scheduler.
   * @example
   * ```ts
   * const saved = sched.stateDict();
   * ```
   */
  stateDict(): SchedulerStateDict {
    return { lastLr: this.lastLr.slice(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /**
   * Restores a state returned by {@link ChainedScheduler.stateDict}.
   * @example
   * ```ts
   * sched.loadStateDict(saved);
   * ```
   */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const { schedulers, lastLr } = stateDict;
    if (Array.isArray(lastLr)) this.lastLr = (lastLr as number[]).slice();
    if (Array.isArray(schedulers)) schedulers.forEach((sd, i) => this.schedulers[i]?.loadStateDict(sd as SchedulerStateDict));
  }
}
