/**
 * When a large product is split over the worker threads, and when it runs on the calling thread
 * alone because the other cores are busy.
 *
 * The rule, judged after every split product from how its units were shared out (see
 * `JobReport`): the split **paid off** when the workers took at least half of their fair share
 * (`units · (parts − 1) / parts`), the caller took at least half of its own, and the caller did
 * not have to sleep for a worker finishing a block after its own work. Otherwise (a worker
 * woke too late to take much, took nearly everything because the caller was descheduled, or
 * kept the caller waiting) the next {@link ThreadPolicy.backoff} products run on one thread,
 * then one is split again as a probe. Each probe that does not pay off doubles the backoff (up
 * to {@link MAX_BACKOFF}); a split that pays off resets it to {@link MIN_BACKOFF}.
 *
 * @module
 */

/** Products run on one thread after the first split that did not pay off. @internal */
export const MIN_BACKOFF = 8;
/** The longest run of one-thread products between two probes. @internal */
export const MAX_BACKOFF = 512;

/**
 * How one split product was shared out (the fields of the pool's `JobReport` the rule reads).
 * @internal
 */
export interface SplitOutcome {
  /** Units of work in the product. */
  units: number;
  /** Units the workers took. */
  workerUnits: number;
  /** Threads the product was split over, the caller included. */
  parts: number;
  /** Workers the caller had to sleep for after its own work. */
  waitedFor: number;
}

/**
 * Whether a split product paid off under the rule above.
 * @example
 * ```ts
 * splitPaidOff({ units: 64, workerUnits: 30, parts: 2, waitedFor: 0 }); // true
 * splitPaidOff({ units: 64, workerUnits: 0, parts: 2, waitedFor: 0 }); // false: the worker never came
 * ```
 * @internal
 */
export function splitPaidOff(o: SplitOutcome): boolean {
  const workerFair = (o.units * (o.parts - 1)) / o.parts;
  const callerFair = o.units - workerFair;
  return o.waitedFor === 0 && 2 * o.workerUnits >= workerFair && 2 * (o.units - o.workerUnits) >= callerFair;
}

/**
 * The adaptive part of the thread setting: one per threaded GEMM instance.
 * @example
 * ```ts
 * const p = new ThreadPolicy();
 * if (p.shouldSplit()) {
 *   // ... run the product split, then:
 *   p.record({ units: 64, workerUnits: 2, parts: 2, waitedFor: 0 });
 * }
 * p.shouldSplit(); // false for the next MIN_BACKOFF products
 * ```
 * @internal
 */
export class ThreadPolicy {
  /** Products still to run on one thread before the next probe. */
  private skip = 0;
  /** The run of one-thread products after the next split that does not pay off. */
  backoff = MIN_BACKOFF;
  /** Splits made and splits that paid off (diagnostics). */
  splits = 0;
  paidOff = 0;

  /** Whether the next product large enough to split should be split; counts it otherwise. */
  shouldSplit(): boolean {
    if (this.skip === 0) return true;
    this.skip--;
    return false;
  }

  /** Records how a split product went and sets the following products' course. */
  record(o: SplitOutcome): void {
    this.splits++;
    if (splitPaidOff(o)) {
      this.paidOff++;
      this.backoff = MIN_BACKOFF;
      return;
    }
    this.skip = this.backoff;
    this.backoff = Math.min(MAX_BACKOFF, 2 * this.backoff);
  }

  /** Whether the products are on one thread now because the last split did not pay off. */
  get fallingBack(): boolean {
    return this.skip > 0;
  }
}
