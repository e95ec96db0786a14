/**
 * The WebAssembly GEMM driver's choices that the value tests cannot see (each survived a mutation
 * run of `kernels/wasm/gemm-wasm.ts`, see docs/contributing.md): when a product is split over
 * threads and how (the work threshold, the number of parts, rows or columns, units of whole
 * panels, the smallest block), which instance computes a product that is not split, what the
 * thread policy is told, how much memory a product takes, and the guards (empty products, a
 * layout past 2 GiB, a pool that cannot start or broke, the shared streaming kernels' refusals).
 * Every instance is made inside a test: Stryker attributes construction only to the test running.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CTRL_BYTES, GemmPool, Job, MAX_UNITS, MAX_WORKERS } from '../../src/kernels/threads/pool.js';
import { DEFAULT_TILES } from '../../src/kernels/wasm/gemm-module.js';
import { SHARED_MAX_PAGES, WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';

/** The fields of an instance the tests look at. */
interface Internals {
  pool: GemmPool | null;
  poolFailed: boolean;
  single: WasmGemm | null;
  streamModule: object | null;
  streamFns: unknown;
  memory: { buffer: ArrayBufferLike };
}
const inner = (g: WasmGemm): Internals => g as unknown as Internals;

/** Rows of op(A) per register tile, and columns of op(B) (float32), of the default tiles. */
const MR = 4;
const NR32 = 8;
/** Smallest block of C in multiply-adds a thread takes (MIN_WORK_PER_BLOCK of the driver). */
const MIN_BLOCK_WORK = 1 << 18;
/** The 2 GiB the module addresses. */
const MAX_BYTES = (SHARED_MAX_PAGES - 1) * 65536;

/** Small-integer operands: every product below is exact, so results compare with `toEqual`. */
function operands(m: number, n: number, k: number, T: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array) {
  const a = new T(m * k);
  const b = new T(k * n);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7) % 13) - 6;
  for (let i = 0; i < b.length; i++) b[i] = ((i * 5) % 11) - 5;
  const want = new T(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      want[i * n + j] = s;
    }
  }
  return { a, b, want };
}

/** C = A·B (row-major, no offsets) on `g`, checked against the naive product. */
function product(g: WasmGemm, m: number, n: number, k: number, T: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array): void {
  const { a, b, want } = operands(m, n, k, T);
  const c = new T(m * n);
  expect(g.gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false)).toBe(true);
  expect(Array.from(c)).toEqual(Array.from(want));
}

/** {@link product} on a pool whose workers have all left their last job (so all can take this one). */
function idleProduct(
  g: WasmGemm,
  m: number,
  n: number,
  k: number,
  T: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array,
): void {
  inner(g).pool!.waitIdle();
  product(g, m, n, k, T);
}

/** A two- (or more-) thread instance whose workers have all started, every split allowed. */
async function threaded(threads = 2, minWork = 1 << 12): Promise<WasmGemm> {
  const g = new WasmGemm(undefined, undefined, threads);
  g.minWorkPerThread = minWork;
  g.adaptiveThreads = false;
  product(g, 64, 64, 64); // starts the pool
  for (let i = 0; i < 400 && inner(g).pool!.started < threads - 1; i++) await new Promise((r) => setTimeout(r, 25));
  expect(inner(g).pool!.started).toBe(threads - 1);
  return g;
}

const open: WasmGemm[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const g of open.splice(0)) await g.close();
});

describe('the WebAssembly GEMM: construction', () => {
  it('one thread: a private memory and no streaming kernels; several: a shared memory, the kernels and a pool of threads − 1', async () => {
    const one = new WasmGemm();
    expect(inner(one).memory.buffer instanceof SharedArrayBuffer).toBe(false);
    expect(inner(one).streamModule).toBe(null);
    expect(one.sharedStream(CTRL_BYTES + 64)).toBe(null);
    expect(one.adaptiveThreads).toBe(true);
    product(one, 9, 13, 7);
    const g = new WasmGemm(undefined, undefined, 2);
    open.push(g);
    expect(inner(g).memory.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(inner(g).streamModule).not.toBe(null);
    const s = g.sharedStream(CTRL_BYTES + 64);
    expect(s).not.toBe(null);
    expect(s!.f32.buffer).toBe(inner(g).memory.buffer);
    expect(s!.fns).toHaveLength(4);
    expect(inner(g).pool!.size).toBe(1);
    const three = new WasmGemm(undefined, undefined, 3);
    open.push(three);
    expect(three.sharedStream(CTRL_BYTES + 64)).not.toBe(null);
    expect(inner(three).pool!.size).toBe(2);
  });

  it('the blocking is the instance’s own copy', () => {
    const blocking = { f32: { mc: 8, kc: 5, nc: 16 }, f64: { mc: 4, kc: 3, nc: 8 } };
    const g = new WasmGemm(undefined, blocking);
    blocking.f32.mc = 0;
    expect(g.blocking.f32).toEqual({ mc: 8, kc: 5, nc: 16 });
    product(g, 21, 19, 11);
    product(g, 9, 10, 7, Float64Array);
  });

  it('blockings that are not whole tiles are rounded down to whole tiles: every transpose, overwrite and accumulate', () => {
    const g = new WasmGemm(undefined, { f32: { mc: 5, kc: 3, nc: 13 }, f64: { mc: 7, kc: 4, nc: 6 } });
    for (const T of [Float32Array, Float64Array] as const) {
      const [m, n, k] = [23, 29, 11];
      const { a, b, want } = operands(m, n, k, T);
      const at = new T(m * k);
      const bt = new T(k * n);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p]!;
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = b[p * n + j]!;
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const c = new T(m * n);
        expect(g.gemm(tA, tB, m, n, k, tA ? at : a, 0, tB ? bt : b, 0, c, 0, false)).toBe(true);
        expect(Array.from(c)).toEqual(Array.from(want));
        c.fill(1);
        expect(g.gemm(tA, tB, m, n, k, tA ? at : a, 0, tB ? bt : b, 0, c, 0, true)).toBe(true);
        expect(Array.from(c)).toEqual(Array.from(want, (v) => v + 1));
      }
    }
  });

  it('takes the prebuilt modules (nothing generated) for one thread and for several', async () => {
    vi.resetModules();
    const { moduleCacheCounts } = await import('../../src/kernels/wasm/module-cache.js');
    const fresh = await import('../../src/kernels/wasm/gemm-wasm.js');
    const { cachedModule } = await import('../../src/kernels/wasm/module-cache.js');
    const before = moduleCacheCounts.generated;
    const one = new fresh.WasmGemm();
    const g = new fresh.WasmGemm(undefined, undefined, 2);
    expect(moduleCacheCounts.generated).toBe(before);
    // The one-thread instance takes the private variant the warm-up compiles (no second compile).
    const tiles = { f32: DEFAULT_TILES.f32, f64: DEFAULT_TILES.f64 };
    const privateVariant = cachedModule('gemm', tiles, { initial: 1 }, () => {
      throw new Error('not prebuilt');
    });
    expect((one as unknown as { module: object }).module).toBe(privateVariant);
    // The default blocking of a freshly loaded module, on both element types.
    product(one, 37, 41, 300);
    product(one, 37, 41, 300, Float64Array);
    await g.close();
  });
});

describe('the WebAssembly GEMM: guards', () => {
  it('an empty product returns true (done: nothing to do), C untouched; k = 0 zeroes C', () => {
    const g = new WasmGemm();
    const c = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect(g.gemm(false, false, 0, 3, 2, new Float32Array(6), 0, new Float32Array(6), 0, c, 0, false)).toBe(true);
    expect(g.gemm(false, false, 2, 0, 2, new Float32Array(6), 0, new Float32Array(6), 0, c, 0, false)).toBe(true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(g.gemm(false, false, 2, 2, 0, new Float32Array(6), 0, new Float32Array(6), 0, c, 1, false)).toBe(true);
    expect(Array.from(c)).toEqual([1, 0, 0, 0, 0, 6]);
  });

  it('a layout past 2 GiB returns false before touching anything (the caller falls back)', () => {
    const g = new WasmGemm();
    const bytes = inner(g).memory.buffer.byteLength;
    const tiny = new Float32Array(1);
    // C alone is 24000² · 4 bytes, past 2 GiB; the operands are never read.
    expect(g.gemm(false, false, 24000, 24000, 1, tiny, 0, tiny, 0, tiny, 0, false)).toBe(false);
    expect(inner(g).memory.buffer.byteLength).toBe(bytes);
    product(g, 5, 6, 7);
  });

  it('the shared streaming kernels: none past 2 GiB, without the kernels, or once the pool failed', () => {
    const g = new WasmGemm(undefined, undefined, 2);
    open.push(g);
    expect(g.sharedStream(MAX_BYTES + 16)).toBe(null);
    expect(inner(g).pool).toBe(null);
    const noKernels = new WasmGemm(undefined, undefined, 2);
    open.push(noKernels);
    inner(noKernels).streamFns = null;
    expect(noKernels.sharedStream(CTRL_BYTES + 64)).toBe(null);
    const failed = new WasmGemm(undefined, undefined, 2);
    inner(failed).poolFailed = true;
    expect(failed.sharedStream(CTRL_BYTES + 64)).toBe(null);
    expect(inner(failed).pool).toBe(null);
  });

  it('a pool that cannot start: large products on the calling thread, no second attempt', () => {
    // More workers than a pool holds: the pool's constructor throws before starting any.
    const g = new WasmGemm(undefined, undefined, MAX_WORKERS + 2);
    g.minWorkPerThread = 1 << 10;
    product(g, 64, 64, 64);
    expect(g.threadsFailed).toBe(true);
    expect(inner(g).pool).toBe(null);
    product(g, 64, 32, 64);
    expect(g.sharedStream(CTRL_BYTES + 64)).toBe(null);
  });

  it('a pool marked failed is not started again; a broken one is dropped and closed', async () => {
    const g = new WasmGemm(undefined, undefined, 2);
    g.minWorkPerThread = 1 << 10;
    inner(g).poolFailed = true;
    product(g, 64, 64, 64);
    expect(inner(g).pool).toBe(null);
    const h = await threaded();
    const pool = inner(h).pool!;
    const close = vi.spyOn(pool, 'close');
    vi.spyOn(pool, 'broken', 'get').mockReturnValue(true);
    const run = vi.spyOn(GemmPool.prototype, 'run');
    product(h, 64, 64, 64);
    expect(run).not.toHaveBeenCalled();
    expect(close).toHaveBeenCalledTimes(1);
    expect(h.threadsFailed).toBe(true);
    expect(inner(h).pool).toBe(null);
    vi.restoreAllMocks();
    await pool.close();
  });

  it('close() stops the workers', async () => {
    const g = await threaded();
    const close = vi.spyOn(GemmPool.prototype, 'close');
    await g.close();
    expect(close).toHaveBeenCalledTimes(1);
    expect(inner(g).pool).toBe(null);
  });
});

describe('the WebAssembly GEMM: when a product is split', () => {
  it('below the work threshold: no pool started, computed by the private one-thread instance (the same one each time)', () => {
    const g = new WasmGemm(undefined, undefined, 2);
    open.push(g);
    g.minWorkPerThread = 1 << 20;
    const calls = vi.spyOn(WasmGemm.prototype, 'gemm');
    product(g, 32, 32, 32);
    expect(inner(g).pool).toBe(null);
    expect(calls).toHaveBeenCalledTimes(2);
    const single = inner(g).single;
    expect(single).not.toBe(null);
    expect(calls.mock.contexts[1]).toBe(single);
    product(g, 16, 8, 4);
    expect(inner(g).single).toBe(single);
  });

  it('exactly at twice the work per thread it splits, one multiply-add less it does not', async () => {
    const g = await threaded();
    open.push(g);
    const run = vi.spyOn(GemmPool.prototype, 'run');
    const w = 64 * 64 * 64;
    g.minWorkPerThread = w / 2;
    idleProduct(g, 64, 64, 64);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]![1]).toHaveLength(2);
    g.minWorkPerThread = w / 2 + 1;
    idleProduct(g, 64, 64, 64);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('three threads, work for two: two parts (one worker posted, two packing buffers)', async () => {
    const g = await threaded(3);
    open.push(g);
    const run = vi.spyOn(GemmPool.prototype, 'run');
    g.minWorkPerThread = (64 * 64 * 64) / 2;
    idleProduct(g, 64, 64, 64);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]![1]).toHaveLength(2);
    expect(inner(g).pool!.lastJob.posted).toBe(1);
    g.minWorkPerThread = (64 * 64 * 64) / 3;
    idleProduct(g, 64, 64, 64);
    expect(run.mock.calls[1]![1]).toHaveLength(3);
    expect(inner(g).pool!.lastJob.posted).toBe(2);
  });

  it('a product of one panel each way is not split, whatever its depth', async () => {
    const g = await threaded();
    open.push(g);
    g.minWorkPerThread = 1;
    const run = vi.spyOn(GemmPool.prototype, 'run');
    idleProduct(g, MR, NR32, 4096);
    expect(run).not.toHaveBeenCalled();
  });

  it('tall products are split by rows of MR, wide ones by columns of NR; the smallest block has MIN_WORK_PER_BLOCK', async () => {
    const g = await threaded();
    open.push(g);
    g.minWorkPerThread = 1;
    const pool = inner(g).pool!;
    const check = (m: number, n: number, k: number, units: number, unitWork: number): void => {
      idleProduct(g, m, n, k);
      expect(pool.lastJob.units).toBe(units);
      const minUnits = pool.ctrl[Job.minUnits]!;
      expect(minUnits).toBeGreaterThanOrEqual(1);
      expect(minUnits * unitWork).toBeGreaterThanOrEqual(Math.min(MIN_BLOCK_WORK, units * unitWork));
      if (minUnits > 1) expect((minUnits - 1) * unitWork).toBeLessThan(MIN_BLOCK_WORK);
    };
    check(256, 8, 64, 256 / MR, MR * 8 * 64); // tall
    check(8, 512, 64, 512 / NR32, NR32 * 8 * 64); // wide
    check(18, 9, 3, 5, MR * 9 * 3); // rows padded to 20: 5 panels of 4 rows
    check(3, 70, 5, 9, NR32 * 3 * 5); // columns padded to 72
    check(40, 72, 16, 10, MR * 72 * 16); // by rows, op(B) packed whole wider than op(A)
    // More panels than a job counts: groups of whole panels.
    const panels = 4 * MAX_UNITS + 8;
    const group = Math.ceil(panels / MAX_UNITS);
    idleProduct(g, panels * MR, 1, 2);
    expect(pool.lastJob.units).toBe(Math.ceil(panels / group));
  });

  it('a split product of a fresh instance grows the shared memory for all its packing, and later products read through the new views', async () => {
    const g = await threaded();
    open.push(g);
    g.minWorkPerThread = 1;
    const run = vi.spyOn(GemmPool.prototype, 'run');
    const before = inner(g).memory.buffer.byteLength;
    // By rows: op(B) packed whole (k · n · 8 bytes = 2 MiB) after C, A and B.
    idleProduct(g, 256, 256, 1024, Float64Array);
    // By columns: op(A) packed whole, in two KC-deep blocks.
    idleProduct(g, 8, 1024, 300, Float64Array);
    expect(run).toHaveBeenCalledTimes(2);
    expect(inner(g).memory.buffer.byteLength).toBeGreaterThan(before);
    idleProduct(g, 40, 24, 30);
    idleProduct(g, 130, 3, 17, Float64Array);
  });

  it('memory grows to what a product needs, not more than a page past it', () => {
    const g = new WasmGemm();
    const m = 256;
    const E = 8;
    // C, A, B, control block and the packing blocks (MC × KC and KC × NC of the default blocking).
    const need = CTRL_BYTES + 3 * m * m * E + (128 * 256 + 256 * 1024) * E + 4 * 16;
    product(g, m, m, m, Float64Array);
    const bytes = inner(g).memory.buffer.byteLength;
    expect(bytes).toBeGreaterThanOrEqual(3 * m * m * E);
    expect(bytes).toBeLessThanOrEqual(need + 65536);
    product(g, 3, 5, 7);
  });
});

describe('the WebAssembly GEMM: what the thread policy is told', () => {
  it('a split: its units, the workers’ units, the parts and the cost per multiply-add', async () => {
    const g = await threaded();
    open.push(g);
    g.minWorkPerThread = 1 << 12;
    const record = vi.spyOn(g.threadPolicy, 'record');
    const t0 = performance.now();
    idleProduct(g, 96, 64, 80);
    const elapsed = performance.now() - t0;
    expect(record).toHaveBeenCalledTimes(1);
    const r = record.mock.calls[0]![0];
    const job = inner(g).pool!.lastJob;
    expect(r).toEqual({ units: job.units, workerUnits: job.workerUnits, parts: 2, cost: r.cost });
    expect(job.units).toBe(96 / MR);
    expect(r.cost).toBeGreaterThan(0);
    expect(r.cost).toBeLessThanOrEqual(elapsed / (96 * 64 * 80));
  });

  it('a large product the policy keeps on one thread: computed unsplit and timed; a small one: not timed', async () => {
    const g = new WasmGemm(undefined, undefined, 2);
    open.push(g);
    g.minWorkPerThread = 1 << 12;
    product(g, 64, 64, 64); // starts the pool
    for (let i = 0; i < 400 && inner(g).pool!.started < 1; i++) await new Promise((r) => setTimeout(r, 25));
    vi.spyOn(g.threadPolicy, 'shouldSplit').mockReturnValue(false);
    const single = vi.spyOn(g.threadPolicy, 'recordSingle');
    const record = vi.spyOn(g.threadPolicy, 'record');
    const run = vi.spyOn(GemmPool.prototype, 'run');
    const t0 = performance.now();
    product(g, 96, 64, 80);
    const elapsed = performance.now() - t0;
    expect(run).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
    expect(single).toHaveBeenCalledTimes(1);
    const cost = single.mock.calls[0]![0];
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(elapsed / (96 * 64 * 80));
    product(g, 8, 8, 8);
    expect(single).toHaveBeenCalledTimes(1);
    expect(record).not.toHaveBeenCalled();
  });
});
