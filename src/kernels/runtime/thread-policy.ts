/**
 * When a large product is split over the worker threads, and when it runs on the calling thread
 * alone because the other cores are busy.
 *
 * The rule, applied after every split product: the split **did not pay off** when the workers
 * took less than a quarter of their fair share of the units (`units · (threads − 1) / threads`:
 * a worker that never woke, or woke too late to matter), or when splitting is measured slower
 * than one thread: the median time per multiply-add of the last {@link WINDOW} split products
 * exceeds that of the last {@link WINDOW} products run on one thread instead. Then the next
 * products large enough to split run on one thread (each timed), and one is split again as a
 * probe: after {@link MIN_BACKOFF} products when the split was slower (timings are noisy on a
 * loaded machine, and on an oversubscribed one a split can win by getting two threads' share
 * of the cores, so both paths are kept measured); after {@link ThreadPolicy.backoff} when the
 * workers did not take part, which doubles at each such probe (up to {@link MAX_BACKOFF}). A
 * split that pays off resets it to {@link MIN_BACKOFF}. While splits pay off, every
 * {@link SINGLE_PROBE}-th product runs on one thread to keep that time current. A fresh policy
 * alternates (split, one thread, split, ...) until one thread has {@link WINDOW} timings, so a
 * short script whose second core is busy stops splitting after a few products.
 *
 * @module
 */

/** Products run on one thread after the first split that did not pay off. @internal */
export const MIN_BACKOFF = 8;
/** The longest run of one-thread products between two probes. @internal */
export const MAX_BACKOFF = 512;
/** Samples per path whose median is compared. @internal */
export const WINDOW = 3;
/** While splits pay off, one product in this many runs on one thread, to time it. @internal */
export const SINGLE_PROBE = 16;

/**
 * How one split product went (the fields of the pool's `JobReport` the rule reads, and its time).
 * @internal
 */
export interface SplitOutcome {
  /** Units of work in the product. */
  units: number;
  /** Units the workers took. */
  workerUnits: number;
  /** Threads the product was split over, the caller included. */
  parts: number;
  /** Wall time of the whole product divided by its multiply-adds (any unit, the same for both paths). */
  cost: number;
}

/**
 * Whether the workers were there at all: they took at least a quarter of their fair share.
 * @example
 * ```ts
 * workersTookPart({ units: 64, workerUnits: 30, parts: 2, cost: 1 }); // true
 * workersTookPart({ units: 64, workerUnits: 0, parts: 2, cost: 1 }); // false: the worker never came
 * ```
 * @internal
 */
export function workersTookPart(o: SplitOutcome): boolean {
  return 4 * o.workerUnits * o.parts >= o.units * (o.parts - 1);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * The adaptive part of the thread setting: one per threaded GEMM instance.
 * @example
 * ```ts
 * const p = new ThreadPolicy();
 * if (p.shouldSplit()) {
 *   // ... run the product split, then:
 *   p.record({ units: 64, workerUnits: 2, parts: 2, cost: 1.0 });
 * }
 * p.shouldSplit(); // false for the next MIN_BACKOFF products (each then timed with recordSingle)
 * ```
 * @internal
 */
export class ThreadPolicy {
  /** Products still to run on one thread before the next probe. */
  private skip = 0;
  /** Splits since the last product run on one thread. */
  private sinceSingle = 0;
  private readonly splitCosts: number[] = [];
  private readonly singleCosts: number[] = [];
  /** The run of one-thread products after the next split whose workers do not take part. */
  backoff = MIN_BACKOFF;
  /** Splits made and splits that paid off (diagnostics). */
  splits = 0;
  paidOff = 0;

  /** Whether the next product large enough to split should be split; counts it otherwise. */
  shouldSplit(): boolean {
    if (this.skip > 0) {
      this.skip--;
      return false;
    }
    // Until one thread has been timed WINDOW times, every other product runs on one thread, so
    // that a split slower than one thread is seen within the first few products of a process.
    if (this.singleCosts.length < WINDOW && this.splitCosts.length > this.singleCosts.length) return false;
    if (this.sinceSingle >= SINGLE_PROBE) {
      this.sinceSingle = 0;
      return false;
    }
    return true;
  }

  /** Records the cost of a product large enough to split that ran on one thread. */
  recordSingle(cost: number): void {
    this.sinceSingle = 0;
    push(this.singleCosts, cost);
  }

  /** Records how a split product went and sets the following products' course. */
  record(o: SplitOutcome): void {
    this.splits++;
    this.sinceSingle++;
    push(this.splitCosts, o.cost);
    if (!workersTookPart(o)) {
      this.skip = this.backoff;
      this.backoff = Math.min(MAX_BACKOFF, 2 * this.backoff);
      return;
    }
    this.backoff = MIN_BACKOFF;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result (the median of no one-thread sample is undefined, and `x > undefined` is false too)
    const timedSingle = this.singleCosts.length > 0;
    if (timedSingle && median(this.splitCosts) > median(this.singleCosts)) {
      this.skip = MIN_BACKOFF;
      return;
    }
    this.paidOff++;
  }

  /** Whether the products are on one thread now because the last split did not pay off. */
  get fallingBack(): boolean {
    return this.skip > 0;
  }
}

function push(window: number[], x: number): void {
  window.push(x);
  if (window.length > WINDOW) window.shift();
}
