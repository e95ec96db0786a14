/**
 * Cosine schedules: CosineAnnealingLR and CosineAnnealingWarmRestarts (SGDR).
 * @module
 */
import { checkNumber, num } from '../../autograd/args.js';
import type { PositionalArgs } from '../options.js';
import { positiveInt, readSchedulerArgs } from './args.js';
import { LRScheduler, type AnyOptimizer } from './base.js';
import type { SchedulerCommonOptions } from './basic.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends SchedulerCommonOptions {
  /** Half-period of the cosine in epochs (PyTorch's `T_max`; also the second positional argument). */
  tMax?: number;
  /** The minimal learning rate η_min (default 0). */
  etaMin?: number;
}

/**
 * Anneals the lr along a cosine from the base lr down to `etaMin` over `tMax` epochs (and back up
 * over the next `tMax`, as PyTorch does): `lr = η_min + (baseLr - η_min)(1 + cos(π · epoch / tMax)) / 2`.
 * @example
 * ```ts
 * const sched = new CosineAnnealingLR(opt, 100, { etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period of the cosine, in epochs. */
  readonly tMax: number;
  /** The minimal lr. */
  readonly etaMin: number;

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's
   * `CosineAnnealingLR(optimizer, T_max, eta_min, last_epoch)`: `new CosineAnnealingLR(opt, 100, 1e-5)`
   * or `new CosineAnnealingLR(opt, 100, { etaMin: 1e-5 })`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<[tMax: number, etaMin: number, lastEpoch: number, verbose: boolean], CosineAnnealingLROptions>
  ) {
    const o = readSchedulerArgs('CosineAnnealingLR', args, ['tMax', 'etaMin'], { tMax: positiveInt, etaMin: num() }, ['tMax']);
    super('CosineAnnealingLR', optimizer, o.lastEpoch);
    this.tMax = o.tMax!;
    this.etaMin = o.etaMin ?? 0;
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    const { lastEpoch: t, tMax: T, etaMin } = this;
    if (t === 0) return this.groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) return this.closedFormLr();
    if ((t - 1 - T) % (2 * T) === 0) {
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T));
    return this.groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  /** @internal */
  protected override closedFormLr(): number[] {
    const c = (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax)) / 2;
    return this.baseLrs.map((lr) => this.etaMin + (lr - this.etaMin) * c);
  }
}

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions extends SchedulerCommonOptions {
  /** Length of the first period (PyTorch's `T_0`; also the second positional argument). */
  t0?: number;
  /** Factor by which the period grows after each restart, an integer >= 1 (default 1). */
  tMult?: number;
  /** The minimal learning rate η_min (default 0). */
  etaMin?: number;
}

/**
 * SGDR (Loshchilov & Hutter, 2017): cosine annealing from the base lr to `etaMin` over a period of
 * `t0` epochs, then a restart; each period is `tMult` times longer than the last.
 * `lr = η_min + (baseLr - η_min)(1 + cos(π · T_cur / T_i)) / 2`.
 * @example
 * ```ts
 * const sched = new CosineAnnealingWarmRestarts(opt, 10, { tMult: 2 }); // restarts at epochs 10, 30, 70, ...
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Length of the first period. */
  readonly t0: number;
  /** Growth factor of the period. */
  readonly tMult: number;
  /** The minimal lr. */
  readonly etaMin: number;
  /** Length of the current period. */
  tI: number;
  /** Epochs since the last restart. */
  tCur: number;

  /**
   * Creates the scheduler and applies the lr of epoch 0. Called as PyTorch's
   * `CosineAnnealingWarmRestarts(optimizer, T_0, T_mult, eta_min, last_epoch)`:
   * `new CosineAnnealingWarmRestarts(opt, 10, 2)` or `new CosineAnnealingWarmRestarts(opt, 10, { tMult: 2 })`.
   */
  constructor(
    optimizer: AnyOptimizer,
    ...args: PositionalArgs<
      [t0: number, tMult: number, etaMin: number, lastEpoch: number, verbose: boolean],
      CosineAnnealingWarmRestartsOptions
    >
  ) {
    const spec = { t0: positiveInt, tMult: positiveInt, etaMin: num() };
    const o = readSchedulerArgs('CosineAnnealingWarmRestarts', args, ['t0', 'tMult', 'etaMin'], spec, ['t0']);
    super('CosineAnnealingWarmRestarts', optimizer, o.lastEpoch);
    const t0 = o.t0!;
    this.t0 = t0;
    this.tMult = o.tMult ?? 1;
    this.etaMin = o.etaMin ?? 0;
    this.tI = t0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  /** @internal */
  protected getLr(): number[] {
    const c = (1 + Math.cos((Math.PI * this.tCur) / this.tI)) / 2;
    return this.baseLrs.map((lr) => this.etaMin + (lr - this.etaMin) * c);
  }

  /**
   * Moves to the next epoch, restarting the cosine at the end of a period; `step(epoch)` jumps to
   * `epoch`, which may be fractional (`sched.step(epoch + i / iters)` per batch, as in PyTorch).
   * @example
   * ```ts
   * sched.step();
   * ```
   */
  override step(epoch?: number): void {
    if (epoch !== undefined) {
      this._stepTo(checkNumber('CosineAnnealingWarmRestarts.step', 'epoch', epoch, { min: 0 }));
      return;
    }
    if (this.lastEpoch < 0) {
      this._stepTo(0);
      return;
    }
    this.tCur += 1;
    if (this.tCur >= this.tI) {
      this.tCur -= this.tI;
      this.tI *= this.tMult;
    }
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /** @internal */
  override _stepTo(epoch: number): void {
    const { t0, tMult } = this;
    if (epoch >= t0) {
      if (tMult === 1) {
        this.tCur = epoch % t0;
        this.tI = t0;
      } else {
        let n = Math.floor(Math.log((epoch / t0) * (tMult - 1) + 1) / Math.log(tMult));
        // Guard the logarithm's rounding at exact period boundaries.
        while ((t0 * (Math.pow(tMult, n + 1) - 1)) / (tMult - 1) <= epoch) n++;
        while (n > 0 && (t0 * (Math.pow(tMult, n) - 1)) / (tMult - 1) > epoch) n--;
        this.tCur = epoch - (t0 * (Math.pow(tMult, n) - 1)) / (tMult - 1);
        this.tI = t0 * Math.pow(tMult, n);
      }
    } else {
      this.tI = t0;
      this.tCur = epoch;
    }
    this.stepCount++;
    this.lastEpoch = Math.floor(epoch);
    this.apply(this.getLr());
  }
}
