/**
 * Cosine schedules: CosineAnnealingLR and CosineAnnealingWarmRestarts (SGDR).
 * @module
 */
import { checkOpt, LRScheduler, type AnyOptimizer } from './base.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** The minimal learning rate η_min (default 0). */
  etaMin?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
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

  /** Creates the scheduler and applies the lr of epoch 0. */
  constructor(optimizer: AnyOptimizer, tMax: number, options: CosineAnnealingLROptions = {}) {
    super('CosineAnnealingLR', optimizer, options.lastEpoch);
    checkOpt(Number.isInteger(tMax) && tMax >= 1, 'CosineAnnealingLR', 'tMax', tMax, 'must be an integer >= 1');
    this.tMax = tMax;
    this.etaMin = options.etaMin ?? 0;
    checkOpt(Number.isFinite(this.etaMin), 'CosineAnnealingLR', 'etaMin', this.etaMin, 'must be a finite number');
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
export interface CosineAnnealingWarmRestartsOptions {
  /** Factor by which the period grows after each restart, an integer >= 1 (default 1). */
  tMult?: number;
  /** The minimal learning rate η_min (default 0). */
  etaMin?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
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

  /** Creates the scheduler and applies the lr of epoch 0. */
  constructor(optimizer: AnyOptimizer, t0: number, options: CosineAnnealingWarmRestartsOptions = {}) {
    super('CosineAnnealingWarmRestarts', optimizer, options.lastEpoch);
    checkOpt(Number.isInteger(t0) && t0 >= 1, 'CosineAnnealingWarmRestarts', 't0', t0, 'must be an integer >= 1');
    this.t0 = t0;
    this.tMult = options.tMult ?? 1;
    checkOpt(Number.isInteger(this.tMult) && this.tMult >= 1, 'CosineAnnealingWarmRestarts', 'tMult', this.tMult, 'must be an integer >= 1');
    this.etaMin = options.etaMin ?? 0;
    checkOpt(Number.isFinite(this.etaMin), 'CosineAnnealingWarmRestarts', 'etaMin', this.etaMin, 'must be a finite number');
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
   * Moves to the next epoch, restarting the cosine at the end of a period.
   * @example
   * ```ts
   * sched.step();
   * ```
   */
  override step(): void {
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
