/**
 * Driver of the WebAssembly SIMD128 GEMM: copies A and B into wasm memory, calls the
 * generated blocked driver `gemm_<t>` (KC × NC panels of op(B), MC × KC blocks of op(A)),
 * and copies C back. Large products are split across worker threads on a shared memory (see
 * GemmPool): the operand every block of C needs is packed once, whole, and the threads share
 * out blocks of C, each packing its own part of the other operand.
 *
 * @module
 */
import type { FloatArray } from '../typed-array.js';
import { ThreadPolicy } from '../runtime/thread-policy.js';
import { GEMM_MIN_WORK_PER_THREAD } from '../runtime/thresholds.js';
import { CTRL_BYTES, GemmPool, Job, MAX_UNITS, type CallFn } from '../threads/pool.js';
import { buildGemmModule, DEFAULT_TILES, type GemmModuleOptions } from './gemm-module.js';
import { cachedModule } from './module-cache.js';
import { buildStreamModule } from './stream-module.js';
import { WA, type WasmMemory } from './wasm-api.js';

type Driver = (...args: number[]) => void;

interface GemmExports {
  gemm_f32: Driver;
  gemm_f64: Driver;
  packA_f32: Driver;
  packA_f64: Driver;
  packB_f32: Driver;
  packB_f64: Driver;
  expandRows: (base: number, rows: number, rowBytes: number, ldBytes: number) => void;
  compactRows: (base: number, rows: number, rowBytes: number, ldBytes: number) => void;
}

/** Cache-blocking parameters of one element type. */
interface Blocking {
  /** Rows of op(A) packed per block. */
  mc: number;
  /** Depth (k) of one block. */
  kc: number;
  /** Columns of op(B) packed per block. */
  nc: number;
}

/** Blocking used unless overridden (other blockings measured no faster; docs/performance.md). */
const DEFAULT_BLOCKING: { f32: Blocking; f64: Blocking } = {
  f32: { mc: 128, kc: 256, nc: 1024 },
  f64: { mc: 128, kc: 256, nc: 1024 },
};

/**
 * How long an idle worker keeps polling for the next job before it sleeps in `Atomics.wait`
 * (waking a sleeping thread is slow, slower on a busy machine).
 */
const WORKER_SPIN_MS = 0;

/**
 * Smallest block of C (in multiply-adds) a thread takes at a time: towards the end of a job
 * the blocks shrink down to this, so nobody waits long on the last one.
 */
const MIN_WORK_PER_BLOCK = 1 << 18;

const PAGE = 65536;
/** Loop counters and addresses are compared as signed i32 in places: stay below 2 GiB. */
const MAX_BYTES = 0x7fff0000;
/**
 * Maximum pages of the shared memory (the shared module variant's import declares it).
 * @internal
 */
export const SHARED_MAX_PAGES = MAX_BYTES / PAGE + 1;

/**
 * The streaming kernels the pool's workers can run on the shared memory, in the index order of
 * {@link GemmPool.postCall} (each `(src, dst, bytes)`, see `stream-module.ts`).
 * @internal
 */
export const SHARED_STREAM_KERNELS = ['exp', 'sigmoid', 'tanh', 'relu'] as const;

/**
 * What the split elementwise kernels (`stream.ts`) borrow from a threaded GEMM instance: its
 * pool, a float32 view of its shared memory (free from byte {@link CTRL_BYTES} on, between
 * products) and the streaming kernels instantiated on it for the calling thread.
 * @internal
 */
interface SharedStream {
  /** The worker pool (started on first use). */
  pool: GemmPool;
  /** The whole shared memory as float32. */
  f32: Float32Array;
  /** The calling thread's instance of {@link SHARED_STREAM_KERNELS}, in the same order. */
  fns: ReadonlyArray<CallFn>;
}

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}

/**
 * One instance of the wasm GEMM: a module instance with its own memory (shared, with a
 * pool of `threads - 1` workers, when `threads > 1`). Not re-entrant.
 */
export class WasmGemm {
  private readonly memory: WasmMemory;
  private readonly module: object;
  private readonly ex: GemmExports;
  private f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private readonly tiles: GemmModuleOptions;
  private pool: GemmPool | null = null;
  /** Set once the pool could not start or broke: everything then runs on the calling thread. */
  private poolFailed = false;
  /** With threads > 1: a 1-thread instance on a private memory for the products not split. */
  private single: WasmGemm | null = null;
  /** With threads > 1: the streaming kernels compiled for the shared memory (null if that failed). */
  private streamModule: object | null = null;
  private streamFns: SharedStream['fns'] | null = null;
  /** Blocking parameters per element type (may be tuned). */
  blocking: { f32: Blocking; f64: Blocking };
  /** Minimum multiply-adds per thread before a product is split (the runtime's threshold; tests lower it). */
  minWorkPerThread = GEMM_MIN_WORK_PER_THREAD;
  /** How long (ms) an idle worker polls for the next job before it sleeps (read when the pool starts). */
  spinMs = WORKER_SPIN_MS;
  /** Threads (the calling one included) used for large products. */
  readonly threads: number;
  /**
   * When products are split: after a split that did not pay off (the other cores busy), the
   * next ones run on one thread for a while (see `runtime/thread-policy.ts`).
   */
  readonly threadPolicy = new ThreadPolicy();
  /**
   * The same rule for the streaming kernels' split calls (`wasm/stream.ts`), timed per element:
   * their cost is not comparable with a product's.
   */
  readonly streamPolicy = new ThreadPolicy();
  /** Whether the thread policies may keep large products or calls on one thread (tests turn it off). */
  adaptiveThreads = true;

  /**
   * @param tiles - tile shapes of the generated kernels.
   * @param blocking - cache-blocking parameters.
   * @param threads - threads for large products; > 1 needs a shared memory and starts workers lazily.
   */
  constructor(tiles: Omit<GemmModuleOptions, 'sharedMaxPages'> = DEFAULT_TILES, blocking = DEFAULT_BLOCKING, threads = 1) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable in Node, which has WebAssembly
    if (WA === undefined) throw new Error('WebAssembly is not available');
    this.threads = Math.max(1, Math.floor(threads));
    const shared = this.threads > 1;
    this.tiles = shared ? { ...tiles, sharedMaxPages: SHARED_MAX_PAGES } : tiles;
    this.blocking = { f32: { ...blocking.f32 }, f64: { ...blocking.f64 } };
    this.memory = shared ? new WA.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true }) : new WA.Memory({ initial: 16 });
    const memoryImport = shared ? { initial: 1, maximum: SHARED_MAX_PAGES, shared: true } : { initial: 1 };
    const tileParams = { f32: tiles.f32, f64: tiles.f64 };
    // Stryker disable next-line ArrowFunction: unreachable (the bytes are prebuilt under this key, which module-cache.test.ts checks; the builder never runs)
    this.module = cachedModule('gemm', tileParams, memoryImport, () => buildGemmModule(tileParams));
    const inst = new WA.Instance(this.module, { env: { memory: this.memory } });
    this.ex = inst.exports as GemmExports;
    if (shared) {
      try {
        // Stryker disable next-line ArrowFunction: unreachable (the bytes are prebuilt under this key; the builder never runs)
        this.streamModule = cachedModule('stream', {}, memoryImport, () => buildStreamModule());
        const sx = new WA.Instance(this.streamModule, { env: { memory: this.memory } }).exports as Record<
          string,
          SharedStream['fns'][number]
        >;
        this.streamFns = SHARED_STREAM_KERNELS.map((name) => sx[name]!);
        // Stryker disable next-line BlockStatement: unreachable (the prebuilt streaming module compiles and instantiates on the shared memory in Node)
      } catch {
        this.streamModule = null;
      }
    }
    this.refreshViews();
  }

  /**
   * The pool and shared memory for a split elementwise kernel whose regions end below byte
   * `end`; null when this instance has no workers or no streaming kernels, or `end` is too large.
   * @internal
   */
  sharedStream(end: number): SharedStream | null {
    // (A one-thread instance has no streaming kernels: streamFns is null.)
    if (this.streamFns === null) return null;
    // Stryker disable next-line EqualityOperator: two implementations of one result (a call ending exactly at 2 GiB runs unsplit instead: the split is bit-identical)
    if (end > MAX_BYTES) return null;
    const pool = this.usablePool();
    if (pool === null) return null;
    this.ensure(end);
    return { pool, f32: this.f32, fns: this.streamFns };
  }

  private refreshViews(): void {
    const buf = this.memory.buffer;
    // A grown memory has a new buffer object and a new length (a private one's old buffer is
    // detached, length 0): either test alone sees it; refreshing an unchanged view is only slower.
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: two implementations of one result (see above; the "never refresh" mutant is killed by every product)
    if (this.f32.buffer !== buf || this.f32.length * 4 !== buf.byteLength) {
      this.f32 = new Float32Array(buf);
      this.f64 = new Float64Array(buf);
    }
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    // Stryker disable next-line EqualityOperator: two implementations of one result (growing by zero pages)
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.refreshViews();
  }

  /** Stops the worker threads, if any were started (they never keep the process alive anyway). */
  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    if (p) await p.close();
  }

  /**
   * Same contract as {@link gemm}; Float32Array and Float64Array both supported.
   * Returns false (doing nothing) when the operands would not fit in the 2 GiB the module
   * addresses, so the caller can fall back to the JS kernel.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: FloatArray,
    aOff: number,
    b: FloatArray,
    bOff: number,
    c: FloatArray,
    cOff: number,
    accumulate: boolean,
  ): boolean {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: two implementations of one result (the general path writes nothing into an empty C)
    if (m <= 0 || n <= 0) return true;
    if (k <= 0) {
      if (!accumulate) c.fill(0, cOff, cOff + m * n);
      return true;
    }
    const is32 = a instanceof Float32Array;
    const E = is32 ? 4 : 8;
    const tile = is32 ? this.tiles.f32 : this.tiles.f64;
    const MR = tile.mr;
    const NR = tile.nv * (is32 ? 4 : 2);
    const blk = is32 ? this.blocking.f32 : this.blocking.f64;
    // Whole tiles per block: a block edge inside a tile would make two blocks write its rows.
    // (Smaller blocks, down to one tile, only partition C differently: the same bits.)
    // Stryker disable next-line ArithmeticOperator: two implementations of one result (`blk.mc * MR` makes blocks of one tile)
    const mcRem = blk.mc % MR;
    // Stryker disable next-line ArithmeticOperator: two implementations of one result (`blk.nc * NR` makes blocks of one tile)
    const ncRem = blk.nc % NR;
    // Stryker disable next-line MethodExpression: two implementations of one result (`Math.min` makes blocks of one tile)
    const MC = Math.max(MR, blk.mc - mcRem);
    const KC = blk.kc;
    // Stryker disable next-line MethodExpression: two implementations of one result (`Math.min` makes blocks of one tile)
    const NC = Math.max(NR, blk.nc - ncRem);
    const nPad = roundUp(n, NR);
    const mPad = roundUp(m, MR);
    const work = m * n * k;
    let parts = 1;
    const minWork = this.minWorkPerThread;
    /** Set when the product would be split but no worker has started yet (a fresh process). */
    let workersStarting = false;
    /** Set when the thread policy keeps a product large enough to split on one thread. */
    let policyKeptOnOne = false;
    const t0 = performance.now();
    if (this.threads > 1 && work >= 2 * minWork) {
      const pool = this.usablePool();
      if (pool !== null) {
        // Workers still starting up take no share: the first products of a process do not
        // wait for a thread that is being created.
        const started = pool.started;
        // Stryker disable next-line ConditionalExpression,BooleanLiteral: two implementations of one result (with no worker started the policy branch reserves none: one part, on the private memory instead of the shared one)
        if (started === 0) workersStarting = true;
        else if (!this.adaptiveThreads || this.threadPolicy.shouldSplit()) {
          // Workers still leaving a job they picked up too late are not given this one.
          parts = 1 + pool.reserve(Math.min(this.threads, started + 1, Math.floor(work / minWork)) - 1);
        } else {
          // Kept on one thread by the thread policy: on the private memory below, like a product
          // too small to split (copies into a shared memory are slower), and timed.
          policyKeptOnOne = true;
        }
      }
    }
    // Split C by rows when there are enough MR-row panels, else by columns, in blocks of
    // whole panels handed out dynamically (see GemmPool).
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (as many row panels as column panels: the same number of units either way)
    const byRows = mPad / MR >= nPad / NR;
    // Units of whole panels; several panels each past the pool's limit on units in a job.
    const panels = byRows ? mPad / MR : nPad / NR;
    const group = Math.ceil(panels / MAX_UNITS);
    const units = Math.ceil(panels / group);
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (`parts = units` when they are equal)
    if (parts > units) parts = units;
    if (parts === 1 && this.threads > 1 && !workersStarting) {
      // Copies into and out of a shared memory are slower: small products, whose
      // copies are a large part of the time, run on a private one. (Large products while the
      // workers start run here on the shared one: its module is compiled and warm already.)
      if (this.single === null) {
        this.single = new WasmGemm({ f32: this.tiles.f32, f64: this.tiles.f64 }, this.blocking, 1);
        this.single.blocking = this.blocking;
      }
      const done = this.single.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
      if (policyKeptOnOne) this.threadPolicy.recordSingle((performance.now() - t0) / work);
      return done;
    }
    // Memory layout (bytes, 16-aligned regions): [control][C padded][A][B][packing]. Packing:
    // one op(B) block (KC × NC) and one op(A) block (MC × KC); on several threads, the operand
    // every block of C needs packed whole (op(B) k × nPad, or op(A) mPad × k) and one block of
    // the other per thread.
    const cBase = CTRL_BYTES;
    const aBase = roundUp(cBase + mPad * nPad * E, 16);
    const bBase = roundUp(aBase + m * k * E, 16);
    // Packing blocks of op(A) and op(B): at most one block deep and wide.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result (every variant sizes the block for at least what it holds: memory only)
    const kcMax = k < KC ? k : KC;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result (every variant sizes the block for at least what it holds: memory only)
    const aBlock = roundUp(roundUp(m < MC ? m : MC, MR) * kcMax * E, 16);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result (every variant sizes the block for at least what it holds: memory only)
    const bBlock = roundUp(kcMax * roundUp(n < NC ? n : NC, NR) * E, 16);
    const packBase = roundUp(bBase + k * n * E, 16);
    const wholeBytes = roundUp((byRows ? k * nPad : mPad * k) * E, 16);
    const threadBytes = byRows ? aBlock : bBlock;
    // One part packs a block of each operand; a split one packs one operand whole and a block of the
    // other per thread. (Reserving the whole operand for one part too only takes memory.)
    // Stryker disable next-line ConditionalExpression: two implementations of one result (see above; the `true` side, no whole operand for a split, is killed)
    const shared = parts === 1 ? 0 : wholeBytes;
    // Stryker disable next-line ConditionalExpression: two implementations of one result (both blocks per thread of a split only take memory; the `false` side, one block for one part, is killed)
    const own = parts === 1 ? aBlock + bBlock : threadBytes;
    const end = packBase + shared + parts * own;
    if (end > MAX_BYTES) return false;
    this.ensure(end);
    const view = is32 ? this.f32 : this.f64;
    const ex = this.ex;
    // Byte strides of op(A) (i along m, p along k) and op(B) (p along k, j along n).
    const aI = (transA ? 1 : k) * E,
      aP = (transA ? m : 1) * E;
    const bP = (transB ? 1 : n) * E,
      bJ = (transB ? k : 1) * E;
    const ldc = nPad * E;
    const beta0 = accumulate ? 1 : 0;
    if (parts === 1) {
      this.copyIn(view, a, aOff, aBase, m * k, b, bOff, bBase, k * n, accumulate ? c : null, cOff, cBase, m, n, nPad);
      (is32 ? ex.gemm_f32 : ex.gemm_f64)(
        m,
        n,
        k,
        aBase,
        aI,
        aP,
        0,
        0,
        0,
        bBase,
        bP,
        bJ,
        0,
        0,
        0,
        cBase,
        ldc,
        beta0,
        packBase,
        packBase + aBlock,
        MC,
        KC,
        NC,
      );
    } else {
      const pool = this.usablePool()!;
      const J = pool.ctrl;
      const unit = (byRows ? MR : NR) * group;
      J[Job.fn] = is32 ? 0 : 1;
      J[Job.m] = m;
      J[Job.n] = n;
      J[Job.k] = k;
      J[Job.aBase] = aBase;
      J[Job.aI] = aI;
      J[Job.aP] = aP;
      J[Job.bBase] = bBase;
      J[Job.bP] = bP;
      J[Job.bJ] = bJ;
      J[Job.cBase] = cBase;
      J[Job.ldc] = ldc;
      J[Job.beta0] = beta0;
      J[Job.MC] = MC;
      J[Job.KC] = KC;
      J[Job.NC] = NC;
      J[Job.byRows] = byRows ? 1 : 0;
      J[Job.unit] = unit;
      J[Job.E] = E;
      J[Job.units] = units;
      J[Job.minUnits] = Math.max(1, Math.ceil(MIN_WORK_PER_BLOCK / (unit * (byRows ? n : m) * k)));
      J[Job.parts] = parts;
      J[Job.paAll] = byRows ? 0 : packBase;
      J[Job.ldpa] = mPad * E;
      J[Job.pbAll] = byRows ? packBase : 0;
      J[Job.ldpb] = nPad * E;
      const bufs: number[] = [];
      for (let t = 0; t < parts; t++) bufs.push(packBase + shared + t * own);
      const fns = is32 ? ([ex.packA_f32, ex.packB_f32, ex.gemm_f32] as const) : ([ex.packA_f64, ex.packB_f64, ex.gemm_f64] as const);
      // The workers are woken first: they start up while the operands are copied in.
      pool.run(fns, bufs, () => {
        this.copyIn(view, a, aOff, aBase, m * k, b, bOff, bBase, k * n, accumulate ? c : null, cOff, cBase, m, n, nPad);
      });
    }
    // Stryker disable next-line ConditionalExpression: two implementations of one result (compacting rows whose strides are equal moves nothing)
    if (nPad !== n) ex.compactRows(cBase, m, n * E, nPad * E);
    c.set(view.subarray(cBase / E, cBase / E + m * n), cOff);
    if (parts > 1) {
      const r = this.pool!.lastJob;
      this.threadPolicy.record({ units: r.units, workerUnits: r.workerUnits, parts, cost: (performance.now() - t0) / work });
    }
    return true;
  }

  /** Copies A and B (and C when accumulating, spread to the padded row stride) into wasm memory. */
  private copyIn(
    view: FloatArray,
    a: FloatArray,
    aOff: number,
    aBase: number,
    aLen: number,
    b: FloatArray,
    bOff: number,
    bBase: number,
    bLen: number,
    c: FloatArray | null,
    cOff: number,
    cBase: number,
    m: number,
    n: number,
    nPad: number,
  ): void {
    const E = view.BYTES_PER_ELEMENT;
    view.set(a.subarray(aOff, aOff + aLen), aBase / E);
    view.set(b.subarray(bOff, bOff + bLen), bBase / E);
    if (c !== null) {
      view.set(c.subarray(cOff, cOff + m * n), cBase / E);
      // Stryker disable next-line ConditionalExpression: two implementations of one result (spreading rows to an equal stride moves nothing)
      if (nPad !== n) this.ex.expandRows(cBase, m, n * E, nPad * E);
    }
  }

  /**
   * The worker pool, started on first use; null when workers cannot be started (no
   * `worker_threads` permission, say) or one has failed: the products then run on one thread.
   */
  private usablePool(): GemmPool | null {
    if (this.poolFailed) return null;
    if (this.pool === null) {
      // Stryker disable next-line ConditionalExpression: two implementations of one result (the workers skip a null call module as they skip none; no call is posted without the kernels)
      const call = this.streamModule === null ? undefined : { module: this.streamModule, names: SHARED_STREAM_KERNELS };
      try {
        this.pool = new GemmPool(this.module, this.memory, this.threads - 1, this.spinMs, call);
      } catch {
        this.poolFailed = true;
        return null;
      }
    }
    if (this.pool.broken) {
      this.poolFailed = true;
      void this.pool.close();
      this.pool = null;
      return null;
    }
    return this.pool;
  }

  /**
   * Whether large products run on one thread because the worker pool could not start or broke.
   * @internal
   */
  get threadsFailed(): boolean {
    return this.poolFailed;
  }
}
