/**
 * The fallback to one thread when the second core is busy: a worker that never picks a product
 * up, or one that stops while it holds a block (simulated by the pool's test hook, so the checks
 * need no clock), costs the caller at most one small block, the result stays bit-identical to
 * the one-thread product, and the thread policy runs the next products on one thread, then
 * probes the split again.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BACKOFF, MIN_BACKOFF, SINGLE_PROBE, ThreadPolicy, WINDOW, workersTookPart } from '../../src/kernels/runtime/thread-policy.js';
import { GemmPool, MAX_UNITS } from '../../src/kernels/threads/pool.js';
import { WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';

describe('the split rule', () => {
  it('the workers took part when they took at least a quarter of their fair share of the units', () => {
    expect(workersTookPart({ units: 64, workerUnits: 32, parts: 2, cost: 1 })).toBe(true);
    expect(workersTookPart({ units: 64, workerUnits: 8, parts: 2, cost: 1 })).toBe(true);
    expect(workersTookPart({ units: 64, workerUnits: 64, parts: 2, cost: 1 })).toBe(true);
    expect(workersTookPart({ units: 64, workerUnits: 7, parts: 2, cost: 1 })).toBe(false);
    expect(workersTookPart({ units: 64, workerUnits: 0, parts: 2, cost: 1 })).toBe(false);
    // Four threads: the workers' fair share is 3/4 of the units.
    expect(workersTookPart({ units: 100, workerUnits: 19, parts: 4, cost: 1 })).toBe(true);
    expect(workersTookPart({ units: 100, workerUnits: 18, parts: 4, cost: 1 })).toBe(false);
  });

  /** Counts the products kept on one thread until the next split, timing each at `cost`. */
  const oneThreadRun = (p: ThreadPolicy, cost = 1): number => {
    let n = 0;
    while (!p.shouldSplit()) {
      p.recordSingle(cost);
      n++;
    }
    return n;
  };

  it('falls back to one thread after a split whose worker was absent, probes again, and backs off further', () => {
    const p = new ThreadPolicy();
    // One thread timed WINDOW times already (a fresh policy alternates first, see below).
    for (let i = 0; i < WINDOW; i++) p.recordSingle(1);
    const absent = { units: 64, workerUnits: 0, parts: 2, cost: 0.5 };
    const good = { units: 64, workerUnits: 30, parts: 2, cost: 0.5 };
    expect(p.shouldSplit()).toBe(true);
    p.record(good);
    expect(p.shouldSplit()).toBe(true);
    p.record(absent);
    expect(p.fallingBack).toBe(true);
    expect(oneThreadRun(p)).toBe(MIN_BACKOFF);
    p.record(absent);
    expect(oneThreadRun(p)).toBe(2 * MIN_BACKOFF);
    p.record(absent);
    expect(oneThreadRun(p)).toBe(4 * MIN_BACKOFF);
    for (let i = 0; i < 20; i++) {
      p.record(absent);
      oneThreadRun(p);
    }
    p.record(absent);
    expect(oneThreadRun(p)).toBe(MAX_BACKOFF);
    // A probe that pays off (cheaper than one thread, the worker took part): split again at once,
    // and the next fallback is short again.
    p.record(good);
    expect(p.fallingBack).toBe(false);
    expect(p.shouldSplit()).toBe(true);
    p.record(absent);
    expect(oneThreadRun(p)).toBe(MIN_BACKOFF);
    expect(p.splits).toBe(27);
    expect(p.paidOff).toBe(2);
  });

  it('falls back when splitting is measured slower than one thread, by the median of the last few of each', () => {
    const p = new ThreadPolicy();
    const split = (cost: number): void => {
      expect(p.shouldSplit()).toBe(true);
      p.record({ units: 64, workerUnits: 32, parts: 2, cost });
    };
    const single = (cost: number): void => {
      expect(p.shouldSplit()).toBe(false);
      p.recordSingle(cost);
    };
    // A fresh policy alternates until one thread has WINDOW timings: split, one thread, split, ...
    expect(WINDOW).toBe(3);
    split(1);
    single(2);
    split(1);
    single(2);
    split(1);
    single(2);
    expect(p.fallingBack).toBe(false);
    // Then splits that pay off go on; every SINGLE_PROBE-th product runs on one thread, to time it.
    for (let i = 0; i < SINGLE_PROBE; i++) split(1);
    single(2);
    // Splitting becomes slower than one thread: once the median of the last three splits is
    // (3 > 2), back to one thread.
    split(3);
    expect(p.fallingBack).toBe(false);
    split(3);
    expect(p.fallingBack).toBe(true);
    expect(oneThreadRun(p, 2)).toBe(MIN_BACKOFF);
    // One fast probe is not enough against two slow ones (median of the last WINDOW = 3); a
    // split slower than one thread does not lengthen the one-thread run...
    split(1);
    expect(p.fallingBack).toBe(true);
    expect(oneThreadRun(p, 2)).toBe(MIN_BACKOFF);
    // ... two fast probes are.
    split(1);
    expect(p.fallingBack).toBe(false);
    split(1);
    expect(p.fallingBack).toBe(false);
    // A worker that does not take part still backs off, doubling.
    p.record({ units: 64, workerUnits: 0, parts: 2, cost: 1 });
    expect(oneThreadRun(p, 2)).toBe(MIN_BACKOFF);
    p.record({ units: 64, workerUnits: 0, parts: 2, cost: 1 });
    expect(oneThreadRun(p, 2)).toBe(2 * MIN_BACKOFF);
  });
});

describe('a descheduled worker (test hook)', () => {
  const n = 256;
  const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) - 6);
  const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) - 5);
  let want = new Float32Array(0);
  const g = new WasmGemm(undefined, undefined, 2);
  const pool = (): GemmPool => (g as unknown as { pool: GemmPool }).pool;
  const product = (): Float32Array => {
    const c = new Float32Array(n * n);
    expect(g.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false)).toBe(true);
    return c;
  };

  beforeAll(async () => {
    const one = new WasmGemm();
    want = new Float32Array(n * n);
    one.gemm(false, false, n, n, n, a, 0, b, 0, want, 0, false);
    // Small integers: the product is exact, so the one-thread result can be checked by hand.
    for (const [i, j] of [
      [0, 0],
      [7, 200],
      [255, 255],
      [128, 3],
    ] as const) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p]! * b[p * n + j]!;
      expect(want[i * n + j]).toBe(s);
    }
    product(); // starts the pool
    for (let i = 0; i < 400 && pool().started === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(pool().started).toBe(1);
  });
  afterAll(async () => {
    pool().setTestMode('normal');
    await g.close();
  });

  it('a worker that never picks the product up: the caller computes it all, then products stay on one thread, then a probe', () => {
    pool().setTestMode('absent');
    g.adaptiveThreads = true;
    const before = g.threadPolicy.splits;
    // The policy may be backing off already (this machine may be busy): run until a split happens.
    let c = product();
    for (let i = 0; i < 2 * MAX_BACKOFF && g.threadPolicy.splits === before; i++) c = product();
    expect(g.threadPolicy.splits).toBe(before + 1);
    expect(c).toEqual(want);
    const job = pool().lastJob;
    expect(job.posted).toBe(1);
    expect(job.pickedUp).toBe(0);
    expect(job.workerUnits).toBe(0);
    expect(job.units).toBe(n / 4);
    expect(g.threadPolicy.fallingBack).toBe(true);
    // The next products run on one thread: no split, same bits.
    const backoff = g.threadPolicy.backoff / 2;
    expect(backoff).toBeGreaterThanOrEqual(MIN_BACKOFF);
    for (let i = 0; i < backoff; i++) expect(product()).toEqual(want);
    expect(g.threadPolicy.splits).toBe(before + 1);
    expect(g.threadPolicy.fallingBack).toBe(false);
    // Then one is split again as a probe.
    expect(product()).toEqual(want);
    expect(g.threadPolicy.splits).toBe(before + 2);
  });

  it('a worker that stops while it holds a block: it holds at most 1/16 of the product, the caller takes the rest', () => {
    pool().setTestMode('late');
    g.adaptiveThreads = false;
    for (let rep = 0; rep < 5; rep++) {
      const splits = g.threadPolicy.splits;
      expect(product()).toEqual(want);
      const job = pool().lastJob;
      expect(job.units).toBe(n / 4);
      expect(job.pickedUp).toBe(1);
      // The worker claimed exactly one block before it stopped: at most units / 16 panels.
      expect(job.workerUnits).toBeGreaterThanOrEqual(1);
      expect(job.workerUnits).toBeLessThanOrEqual(job.units / 16);
      // The policy saw that the worker did not take part (less than a quarter of its half).
      expect(g.threadPolicy.splits).toBe(splits + 1);
      expect(g.threadPolicy.fallingBack).toBe(true);
    }
  });

  it('a worker that picks a product up and stalls before claiming a block: nobody waits for it, and it gets no job until it has left', () => {
    pool().waitIdle();
    pool().setTestMode('stalled');
    g.adaptiveThreads = false;
    const run = vi.spyOn(GemmPool.prototype, 'run');
    try {
      // The caller computes every block and returns while the worker still holds the product
      // (before, it slept until the worker ran again: with this hook, forever).
      expect(product()).toEqual(want);
      expect(pool().lastJob).toMatchObject({ units: n / 4, posted: 1, pickedUp: 1, workerUnits: 0, waitedFor: 0 });
      expect(run).toHaveBeenCalledTimes(1);
      // Still stalled: the next products are not split (no idle worker) and come out the same.
      for (let rep = 0; rep < 3; rep++) expect(product()).toEqual(want);
      expect(run).toHaveBeenCalledTimes(1);
      // The worker runs again: its product is over, it claims nothing and becomes idle; products
      // right after it wakes, and once it is idle, are bit-identical to one thread.
      pool().setTestMode('normal');
      expect(product()).toEqual(want);
      pool().waitIdle();
      expect(product()).toEqual(want);
      expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(pool().lastJob.posted).toBe(1);
    } finally {
      pool().setTestMode('normal');
      run.mockRestore();
    }
  });

  it('healthy workers again: products are split and bit-identical to one thread', () => {
    pool().setTestMode('normal');
    g.adaptiveThreads = false;
    const run = vi.spyOn(GemmPool.prototype, 'run');
    try {
      for (let rep = 0; rep < 5; rep++) {
        pool().waitIdle();
        expect(product()).toEqual(want);
        expect(run).toHaveBeenCalledTimes(rep + 1);
        expect(pool().lastJob.posted).toBe(1);
      }
    } finally {
      run.mockRestore();
    }
  });

  it('a product of more panels than a job counts (MAX_UNITS): panels are grouped, the result is exact', () => {
    pool().waitIdle();
    g.adaptiveThreads = false;
    // [m, 8]·[8, 1] with m past 8 · MAX_UNITS rows: more row panels than the counter holds.
    const m = 8 * (MAX_UNITS + 100),
      k = 8;
    const x = Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 13) - 6);
    const y = Float32Array.from({ length: k }, (_, i) => i - 3);
    const c = new Float32Array(m);
    const run = vi.spyOn(GemmPool.prototype, 'run');
    try {
      expect(g.gemm(false, false, m, 1, k, x, 0, y, 0, c, 0, false)).toBe(true);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      run.mockRestore();
    }
    expect(pool().lastJob.units).toBeLessThanOrEqual(MAX_UNITS);
    for (let i = 0; i < m; i += 997) {
      let s = 0;
      for (let p = 0; p < k; p++) s += x[i * k + p]! * y[p]!;
      expect(c[i]).toBe(s);
    }
    let s = 0;
    for (let p = 0; p < k; p++) s += x[(m - 1) * k + p]! * y[p]!;
    expect(c[m - 1]).toBe(s);
  });
});
