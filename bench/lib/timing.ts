/**
 * Timing for the benchmark: warm up, calibrate how many calls make one sample, then take the
 * median of repeated samples, within a time budget per case.
 * @module
 */

/** One timed call: sync, or async for peers whose results are lazy (jax-js). */
export type Runner = () => unknown;

/** How long to warm up and how many samples to take for one case. */
export interface TimingOptions {
  /** Warm-up time in milliseconds (at least one call is always made). */
  warmupMs: number;
  /** A sample repeats the call until it lasts at least this long (milliseconds). */
  minSampleMs: number;
  /** Samples wanted; fewer (but at least `minSamples`) when the budget runs out. */
  samples: number;
  /** At least this many samples, whatever the budget. */
  minSamples: number;
  /** Time budget for all samples of one case, in milliseconds. */
  budgetMs: number;
  /** Hard cap on warm-up plus samples (milliseconds); at least one sample is always taken. */
  maxTotalMs: number;
}

/** What a timed case measured: seconds per call (median and spread) and how it was sampled. */
export interface Timing {
  /** Median seconds per call. */
  median: number;
  /** Fastest sample, seconds per call. */
  min: number;
  /** Slowest sample, seconds per call. */
  max: number;
  /** Number of samples taken. */
  samples: number;
  /** Calls per sample. */
  reps: number;
  /** True when one call took longer than the whole cap and was timed once, cold (no warm-up). */
  single?: boolean;
}

/**
 * The timing options of a full run and of a `--quick` run.
 * @example
 * ```ts
 * const opts = timingPresets(true).default;
 * ```
 */
export function timingPresets(quick: boolean): { default: TimingOptions; slow: TimingOptions } {
  return quick
    ? {
        default: { warmupMs: 150, minSampleMs: 25, samples: 7, minSamples: 3, budgetMs: 700, maxTotalMs: 4000 },
        slow: { warmupMs: 300, minSampleMs: 50, samples: 5, minSamples: 3, budgetMs: 1500, maxTotalMs: 6000 },
      }
    : {
        default: { warmupMs: 400, minSampleMs: 60, samples: 15, minSamples: 5, budgetMs: 2000, maxTotalMs: 10_000 },
        slow: { warmupMs: 800, minSampleMs: 150, samples: 9, minSamples: 3, budgetMs: 4000, maxTotalMs: 12_000 },
      };
}

function isPromise(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Runs `fn` `reps` times (awaiting it when it returns a promise) and returns elapsed ms. */
async function runReps(fn: Runner, reps: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const r = fn();
    if (isPromise(r)) await r;
  }
  return performance.now() - t0;
}

/**
 * Times `fn`: warm-up, calibration of calls per sample, then the median of samples.
 * `firstCallMs` is how long a first call (the correctness check) took, if one was made: when it
 * exceeds `maxTotalMs`, that call is the single sample.
 * @example
 * ```ts
 * const t = await timeIt(() => a.matmul(b), timingPresets(false).default);
 * console.log(t.median * 1e3, 'ms per call');
 * ```
 */
export async function timeIt(fn: Runner, opts: TimingOptions, firstCallMs = 0): Promise<Timing> {
  if (firstCallMs > opts.maxTotalMs) {
    const s = firstCallMs / 1000;
    return { median: s, min: s, max: s, samples: 1, reps: 1, single: true };
  }
  // Warm-up: our own calls until warmupMs has passed (at least one, so calibration never rests
  // on a cold first call), but stop early once the first call plus warm-up use a third of the cap.
  let warmCalls = 0;
  let perCall = firstCallMs;
  const warmStart = performance.now();
  for (;;) {
    const elapsed = performance.now() - warmStart;
    if (warmCalls > 0 && (elapsed >= opts.warmupMs || elapsed + firstCallMs >= opts.maxTotalMs / 3)) break;
    if (warmCalls === 0 && firstCallMs >= opts.maxTotalMs / 3) break;
    perCall = await runReps(fn, 1);
    if (++warmCalls >= 100_000) break;
  }
  // Calibrate: enough calls for one sample to last minSampleMs.
  let reps = Math.max(1, Math.ceil(opts.minSampleMs / Math.max(perCall, 1e-3)));
  if (perCall < opts.minSampleMs / 8) {
    const probe = await runReps(fn, reps);
    reps = Math.max(1, Math.ceil((reps * opts.minSampleMs) / Math.max(probe, 1e-3)));
  }
  const times: number[] = [];
  const start = performance.now();
  while (times.length < opts.samples) {
    const ms = await runReps(fn, reps);
    times.push(ms / reps / 1000);
    const now = performance.now();
    if (times.length >= opts.minSamples && now - start > opts.budgetMs) break;
    if (now - warmStart + firstCallMs > opts.maxTotalMs) break;
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  const median = times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { median, min: times[0]!, max: times[times.length - 1]!, samples: times.length, reps };
}

/** Calls that make the cold figure. */
export const COLD_CALLS = 10;

/**
 * The cold figure of a fresh process: times the first `calls` calls one by one (stopping early
 * once they have taken `capMs` in all, after at least one) and returns their mean in seconds,
 * how many were made, the first and last calls' results (the first training loss, say) and times (ms).
 * @example
 * ```ts
 * const { mean } = await coldCalls(() => a.matmul(b), 10, 8000);
 * ```
 */
export async function coldCalls<T>(
  fn: () => T | Promise<T>,
  calls: number,
  capMs: number,
): Promise<{ mean: number; calls: number; first: T; last: T; firstMs: number; lastMs: number }> {
  let total = 0;
  let first!: T;
  let last!: T;
  let firstMs = 0;
  let lastMs = 0;
  let made = 0;
  while (made < calls) {
    const t0 = performance.now();
    const r = await fn();
    const ms = performance.now() - t0;
    if (made === 0) {
      first = r;
      firstMs = ms;
    }
    last = r;
    lastMs = ms;
    total += ms;
    made++;
    if (total >= capMs) break;
  }
  return { mean: total / made / 1000, calls: made, first, last, firstMs, lastMs };
}
