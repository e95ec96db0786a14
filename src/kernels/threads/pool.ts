/**
 * A tiny pool of `worker_threads` that compute one GEMM together on a shared WebAssembly
 * memory, synchronously from the caller's point of view.
 *
 * The caller wakes the workers, copies the operands into the shared memory and packs, whole,
 * the operand every block of C needs (op(B) when C is split into row panels, op(A) when it is
 * split into column panels), meanwhile the workers start up. Then everyone takes blocks of C
 * from an atomic counter, packing its own part of the other operand: large blocks first,
 * smaller ones towards the end (guided scheduling); a worker never takes more than 1/16 of the
 * product at a time, so a worker that starts late or is descheduled (the machine may be shared)
 * holds little that the caller must wait on: everything not yet claimed the caller takes itself.
 * After its own blocks the caller takes back a job no worker has picked up yet, and otherwise
 * polls briefly, then blocks in `Atomics.wait`. How the job was shared out is left in
 * {@link GemmPool.lastJob} for the runtime's thread policy (`runtime/thread-policy.ts`).
 * Workers are `unref()`ed so they never keep the process alive.
 *
 * The same workers also run a kernel of a second module on the shared memory (the streaming
 * elementwise kernels, see `wasm/stream.ts`): a job of kind 'call' names an export
 * `(src, dst, bytes)` and a byte range in the worker's slot ({@link GemmPool.postCall}), taken
 * in chunks from a counter the caller also takes from once its own work is done, so a worker
 * that wakes late or is descheduled leaves at most one chunk to wait for.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { WasmMemory } from '../wasm/wasm-api.js';

/** Bytes reserved at address 0 of the shared memory for the job block and worker slots. */
export const CTRL_BYTES = 4096;

/**
 * Word indices of the job block (Int32 words at address 0): the operands' layout in wasm
 * memory (byte addresses and strides, see `gemm_<t>`), the blocking, how C is split
 * (`byRows`, `unit` rows or columns per panel, `units` panels, `minUnits` per block, `parts`
 * threads), where the shared operand is packed (`paAll` or `pbAll`, the other is 0) and the
 * `ready` flag.
 */
export const Job = {
  counter: 0,
  fn: 1,
  m: 2,
  n: 3,
  k: 4,
  aBase: 5,
  aI: 6,
  aP: 7,
  bBase: 8,
  bP: 9,
  bJ: 10,
  cBase: 11,
  ldc: 12,
  beta0: 13,
  MC: 14,
  KC: 15,
  NC: 16,
  byRows: 17,
  unit: 18,
  E: 19,
  units: 20,
  minUnits: 21,
  parts: 22,
  paAll: 23,
  ldpa: 24,
  pbAll: 25,
  ldpb: 26,
  ready: 27,
} as const;

/** Word counting the workers that have instantiated their modules and entered their loop. */
const STARTED = 28;
/** Test hook words: the mode ({@link WorkerTestMode}), and the late worker's flag and gate. */
const TEST_MODE = 29;
const LATE_CLAIMED = 30;
const LATE_GATE = 31;
const SLOT0 = 32;
/**
 * Words of a worker slot: [state, kind, packing buffer (GEMM); for a call: export index, src,
 * dst, bytes, chunk bytes, next chunk].
 */
const SLOT_INTS = 16;
const KIND = 1;
const BUF = 2;
const FN = 3;
const SRC = 4;
const DST = 5;
const BYTES = 6;
const CHUNK = 7;
const NEXT = 8;
/** Units (GEMM) or chunks (call) the worker took in its last job. */
const TOOK = 9;
/** Job kinds: a share of the GEMM in the job block, or one call of a second module's export. */
const KIND_GEMM = 0;
const KIND_CALL = 1;
/** The most workers one pool can have (the slots that fit in the control block). */
export const MAX_WORKERS = (CTRL_BYTES / 4 - SLOT0) / SLOT_INTS;

/** How long a worker polls for the operands to be ready before it sleeps (ms). */
const READY_POLL_MS = 0.3;
/** How long the caller polls for a worker's last block before it sleeps (ms). */
const DONE_POLL_MS = 0.05;

/**
 * A worker's claims are at most this fraction of the job's units (and at least its minimum
 * block), so a worker descheduled in the middle of one holds a small part of the product.
 */
const WORKER_BLOCK_DIVISOR = 16;

/**
 * Test hook: how the workers behave. 'normal'; 'absent' (they ignore posts, as a worker that
 * is never scheduled); 'late' (a worker stops after claiming its first block of a product until
 * the caller has taken all the others, as a worker descheduled while holding a block).
 * @internal
 */
export type WorkerTestMode = 'normal' | 'absent' | 'late';
const TEST_ABSENT = 1;
const TEST_LATE = 2;

const IDLE = 0;
const POSTED = 1;
const RUNNING = 2;
const DONE = 3;
const FAILED = 4;

/**
 * The job's code, shared verbatim by the caller and the worker source. `f` holds one element
 * type's exports [packA, packB, gemm]; `buf` is the thread's packing buffer for its part of
 * the operand that is not shared.
 */
const RUN_JOB = `function runJob(ctrl, f, caller, buf) {
  const J = ${JSON.stringify(Job)};
  const m = ctrl[J.m], n = ctrl[J.n], k = ctrl[J.k], aBase = ctrl[J.aBase], aI = ctrl[J.aI], aP = ctrl[J.aP];
  const bBase = ctrl[J.bBase], bP = ctrl[J.bP], bJ = ctrl[J.bJ], paAll = ctrl[J.paAll], ldpa = ctrl[J.ldpa];
  const pbAll = ctrl[J.pbAll], ldpb = ctrl[J.ldpb], cBase = ctrl[J.cBase], ldc = ctrl[J.ldc];
  const beta0 = ctrl[J.beta0], MC = ctrl[J.MC], KC = ctrl[J.KC], NC = ctrl[J.NC], unit = ctrl[J.unit];
  const E = ctrl[J.E], units = ctrl[J.units], minUnits = ctrl[J.minUnits], twoP = 2 * ctrl[J.parts];
  const byRows = ctrl[J.byRows] !== 0;
  if (caller) {
    // Pack the operand every block needs, whole: op(B) for row blocks, op(A) for column blocks.
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      if (byRows) f[1](bBase + pc * bP, bJ, bP, n, kc, pbAll + pc * ldpb);
      else f[0](aBase + pc * aP, aI, aP, m, kc, paAll + pc * ldpa);
    }
    Atomics.store(ctrl, J.ready, 1);
    Atomics.notify(ctrl, J.ready);
  } else {
    // The caller is copying and packing (tens of µs): poll, and sleep if that takes longer
    // (a poller on an oversubscribed machine takes the core the others need).
    const t0 = performance.now();
    for (let i = 1; Atomics.load(ctrl, J.ready) === 0; i++) {
      if ((i & 255) === 0 && performance.now() - t0 > ${READY_POLL_MS}) Atomics.wait(ctrl, J.ready, 0);
    }
  }
  const drive = f[2];
  // A worker takes small blocks only: if it is descheduled while it holds one, the caller, who
  // has taken everything else meanwhile, waits for little work.
  const cap = caller ? units : Math.max(minUnits, Math.ceil(units / ${WORKER_BLOCK_DIVISOR}));
  const late = Atomics.load(ctrl, ${TEST_MODE}) === ${TEST_LATE};
  if (caller && late) Atomics.wait(ctrl, ${LATE_CLAIMED}, 0, 10000);
  let took = 0;
  for (;;) {
    const u0 = Atomics.load(ctrl, J.counter);
    if (u0 >= units) return took;
    const size = Math.min(units - u0, cap, Math.max(minUnits, Math.ceil((units - u0) / twoP)));
    if (Atomics.compareExchange(ctrl, J.counter, u0, u0 + size) !== u0) continue;
    if (!caller && late && took === 0) {
      Atomics.store(ctrl, ${LATE_CLAIMED}, 1);
      Atomics.notify(ctrl, ${LATE_CLAIMED});
      Atomics.wait(ctrl, ${LATE_GATE}, 0);
    }
    took += size;
    const x0 = u0 * unit;
    if (byRows) {
      drive(Math.min(m, x0 + size * unit) - x0, n, k, aBase + x0 * aI, aI, aP, 0, 0, 0, bBase, bP, bJ, pbAll, ldpb, 0,
        cBase + x0 * ldc, ldc, beta0, buf, 0, MC, KC, NC);
    } else {
      drive(m, Math.min(n, x0 + size * unit) - x0, k, aBase, aI, aP, paAll, ldpa, 0, bBase + x0 * bJ, bP, bJ, 0, 0, x0,
        cBase + x0 * E, ldc, beta0, 0, buf, MC, KC, NC);
    }
  }
}`;

/**
 * Runs the chunks of the call in slot `s` that nobody has taken yet through `f(src, dst, bytes)`;
 * shared verbatim by the caller and the worker source.
 */
const RUN_CHUNKS = `function runChunks(ctrl, s, f) {
  const src = ctrl[s + ${SRC}], dst = ctrl[s + ${DST}], bytes = ctrl[s + ${BYTES}], cb = ctrl[s + ${CHUNK}];
  let took = 0;
  for (let o; (o = Atomics.add(ctrl, s + ${NEXT}, 1) * cb) < bytes; took++) f(src + o, dst + o, Math.min(cb, bytes - o));
  return took;
}`;

/**
 * The worker body (plain JavaScript). Node evaluates it as a CommonJS script or, when the process
 * runs with \`--input-type=module\`, as an ES module: it uses neither \`require\` nor \`import\`
 * statements, only a dynamic \`import()\`, which both accept.
 */
const WORKER_SOURCE = `'use strict';
import('node:worker_threads').then(({ workerData }) => {
const { module, memory, slot, spinMs, callModule, callNames } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const callEx = callModule ? new WebAssembly.Instance(callModule, { env: { memory } }).exports : {};
const calls = (callNames || []).map((name) => callEx[name]);
const fns = [[ex.packA_f32, ex.packB_f32, ex.gemm_f32], [ex.packA_f64, ex.packB_f64, ex.gemm_f64]];
const ctrl = new Int32Array(memory.buffer, 0, ${CTRL_BYTES / 4});
const s = ${SLOT0} + slot * ${SLOT_INTS};
Atomics.add(ctrl, ${STARTED}, 1);
${RUN_JOB}
${RUN_CHUNKS}
for (;;) {
  let st;
  // Spin for spinMs after a job (the next product may follow within microseconds), then sleep.
  const t0 = performance.now();
  for (let i = 1; (st = Atomics.load(ctrl, s)) !== ${POSTED}; i++) {
    if ((i & 255) === 0 && performance.now() - t0 > spinMs) {
      while ((st = Atomics.load(ctrl, s)) !== ${POSTED}) Atomics.wait(ctrl, s, st);
      break;
    }
  }
  if (Atomics.load(ctrl, ${TEST_MODE}) === ${TEST_ABSENT}) {
    Atomics.wait(ctrl, ${TEST_MODE}, ${TEST_ABSENT});
    continue;
  }
  if (Atomics.compareExchange(ctrl, s, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
  let state = ${DONE};
  try {
    ctrl[s + ${TOOK}] = ctrl[s + ${KIND}] === ${KIND_CALL} ? runChunks(ctrl, s, calls[ctrl[s + ${FN}]])
      : runJob(ctrl, fns[ctrl[${Job.fn}]], false, ctrl[s + ${BUF}]);
  } catch (e) {
    state = ${FAILED};
  }
  Atomics.store(ctrl, s, state);
  Atomics.notify(ctrl, s);
}
});
`;

/** One element type's exports, in the order the job code expects: packA, packB, gemm. */
type JobFns = readonly [(...args: number[]) => void, (...args: number[]) => void, (...args: number[]) => void];

// The same source runs in the workers; compiled here from that one text so both sides share it.
// eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- see above
const runJob = new Function(`${RUN_JOB}; return runJob;`)() as (ctrl: Int32Array, f: JobFns, caller: boolean, buf: number) => number;

/** A kernel `(src, dst, bytes)` of the second module. */
export type CallFn = (src: number, dst: number, bytes: number) => void;

// eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- as runJob
const runChunks = new Function(`${RUN_CHUNKS}; return runChunks;`)() as (ctrl: Int32Array, s: number, f: CallFn) => number;

/**
 * A second module the workers instantiate on the shared memory, and the exports (by name) that
 * {@link GemmPool.postCall} calls by index.
 */
interface CallModule {
  /** The compiled module (it must import the shared memory as `env.memory`). */
  module: object;
  /** Exports callable as `(i32, i32, i32) => void`, in index order. */
  names: readonly string[];
}

/**
 * What happened in the pool's last job: how the work was shared out and whether the caller had
 * to wait for a worker. The runtime's thread policy reads it after every split product.
 * @internal
 */
export interface JobReport {
  /** Units (GEMM panels) or chunks (calls) in the job. */
  units: number;
  /** How many of them the workers took. */
  workerUnits: number;
  /** Workers posted to. */
  posted: number;
  /** Workers that picked the job up (the others' posts were taken back). */
  pickedUp: number;
  /** Workers the caller had to sleep for, after its own work, while they finished a unit. */
  waitedFor: number;
}

/** Worker threads sharing one WebAssembly memory and module. */
export class GemmPool {
  private readonly workers: Worker[] = [];
  /** The error of the first worker that failed or exited, else null. */
  private failure: unknown = null;
  /** Set by {@link GemmPool.close}: workers exiting then are not failures. */
  private closing = false;
  /** The control words (job block + worker slots) at address 0 of the shared memory. */
  readonly ctrl: Int32Array;
  /** How the last job went (see {@link JobReport}); rewritten by every job. */
  readonly lastJob: JobReport = { units: 0, workerUnits: 0, posted: 0, pickedUp: 0, waitedFor: 0 };

  /**
   * @param module - the compiled GEMM module (it must import a shared memory).
   * @param memory - the shared memory.
   * @param size - number of workers to start.
   * @param spinMs - how long an idle worker polls for the next job before it sleeps.
   * @param call - a second module for {@link GemmPool.postCall} jobs.
   */
  constructor(module: object, memory: WasmMemory, size: number, spinMs = 0, call?: CallModule) {
    if (size > MAX_WORKERS) throw new RangeError(`GemmPool: at most ${MAX_WORKERS} workers, got ${size}`);
    this.ctrl = new Int32Array(memory.buffer, 0, CTRL_BYTES / 4);
    Atomics.store(this.ctrl, STARTED, 0);
    Atomics.store(this.ctrl, TEST_MODE, 0);
    try {
      for (let slot = 0; slot < size; slot++) {
        // Throws synchronously where threads are not allowed (Node's permission model without
        // --allow-worker): the caller then runs on one thread.
        const w = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory, slot, spinMs, callModule: call?.module, callNames: call?.names },
        });
        // A worker that fails outside a job (at start-up, say) must not take the process down:
        // the pool is marked broken and its owner stops using it. Jobs posted to a dead worker
        // are never claimed, so the caller takes them back and computes them itself.
        w.on('error', (e: unknown) => this.markBroken(e));
        w.on('exit', (code: number) => {
          if (!this.closing) this.markBroken(new Error(`GemmPool: worker exited with code ${code}`));
        });
        w.unref();
        this.workers.push(w);
      }
    } catch (e) {
      this.closing = true;
      for (const w of this.workers) void w.terminate();
      this.workers.length = 0;
      throw e;
    }
  }

  /**
   * Test hook: makes the workers behave as if descheduled (see {@link WorkerTestMode}).
   * @internal
   */
  setTestMode(mode: WorkerTestMode): void {
    Atomics.store(this.ctrl, TEST_MODE, mode === 'absent' ? TEST_ABSENT : mode === 'late' ? TEST_LATE : 0);
    Atomics.notify(this.ctrl, TEST_MODE);
  }

  /** Set when a worker failed or exited: the pool must not be given more work. */
  get broken(): boolean {
    return this.failure !== null;
  }

  /** What broke the pool, if it is broken. */
  get brokenBy(): unknown {
    return this.failure;
  }

  private markBroken(e: unknown): void {
    if (this.failure === null) this.failure = e ?? new Error('GemmPool: worker failed');
  }

  /**
   * How many workers have started (instantiated their modules and can take jobs). Until the
   * first has, a job posted would be done by the caller alone anyway, after waking nobody.
   */
  get started(): number {
    return Atomics.load(this.ctrl, STARTED);
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs the job already written in the job block (see {@link Job}; the counter and the ready
   * flag are reset here) on the calling thread and `bufs.length - 1` workers (at most
   * {@link GemmPool.size}); `bufs[t]` is the packing buffer of participant t (0 = the caller).
   * The workers are woken first, then `copyIn` (copying the operands into the shared memory)
   * runs on the calling thread while they start up. Returns when C is complete.
   */
  run(f: JobFns, bufs: readonly number[], copyIn: () => void): void {
    const ctrl = this.ctrl;
    const h = Math.min(this.workers.length, bufs.length - 1);
    Atomics.store(ctrl, Job.counter, 0);
    Atomics.store(ctrl, Job.ready, 0);
    Atomics.store(ctrl, LATE_CLAIMED, 0);
    Atomics.store(ctrl, LATE_GATE, 0);
    for (let w = 0; w < h; w++) {
      const s = SLOT0 + w * SLOT_INTS;
      ctrl[s + KIND] = KIND_GEMM;
      ctrl[s + BUF] = bufs[w + 1]!;
      Atomics.store(ctrl, s, POSTED);
      Atomics.notify(ctrl, s, 1);
    }
    let failed = false;
    try {
      try {
        copyIn();
      } catch (e) {
        // Release the workers with nothing to do.
        Atomics.store(ctrl, Job.counter, ctrl[Job.units]!);
        Atomics.store(ctrl, Job.ready, 1);
        Atomics.notify(ctrl, Job.ready);
        throw e;
      }
      runJob(ctrl, f, true, bufs[0]!);
    } finally {
      Atomics.store(ctrl, LATE_GATE, 1);
      Atomics.notify(ctrl, LATE_GATE);
      failed = this.collect(h);
    }
    this.lastJob.units = ctrl[Job.units]!;
    if (failed) throw new Error('GEMM worker failed');
  }

  /**
   * Posts to worker `w` (0 ≤ w < {@link GemmPool.size}, idle) the kernel `names[fn]` over
   * [src, src + bytes) → [dst, dst + bytes), in chunks of `chunkBytes` (bytes and chunkBytes
   * multiples of what the kernel needs); {@link GemmPool.finishCalls} completes it.
   */
  postCall(w: number, fn: number, src: number, dst: number, bytes: number, chunkBytes: number): void {
    const ctrl = this.ctrl;
    const s = SLOT0 + w * SLOT_INTS;
    ctrl[s + KIND] = KIND_CALL;
    ctrl[s + FN] = fn;
    ctrl[s + SRC] = src;
    ctrl[s + DST] = dst;
    ctrl[s + BYTES] = bytes;
    ctrl[s + CHUNK] = chunkBytes;
    ctrl[s + NEXT] = 0;
    Atomics.store(ctrl, s, POSTED);
    Atomics.notify(ctrl, s, 1);
  }

  /**
   * Completes the calls posted to workers [0, h): the calling thread runs the chunks no worker
   * has taken yet through `fns[fn]` (its own instance of the second module on the shared
   * memory), then waits for the chunks in progress. Throws if a worker failed.
   */
  finishCalls(h: number, fns: ReadonlyArray<CallFn>): void {
    const ctrl = this.ctrl;
    let failed = false;
    try {
      for (let w = 0; w < h; w++) {
        const s = SLOT0 + w * SLOT_INTS;
        runChunks(ctrl, s, fns[ctrl[s + FN]!]!);
      }
    } finally {
      failed = this.collect(h);
    }
    let units = 0;
    for (let w = 0; w < h; w++) {
      const s = SLOT0 + w * SLOT_INTS;
      units += Math.ceil(ctrl[s + BYTES]! / ctrl[s + CHUNK]!);
    }
    this.lastJob.units = units;
    if (failed) throw new Error('GemmPool: a worker failed in a kernel call');
  }

  /**
   * Waits until workers [0, h) are idle again, taking back the jobs they have not claimed yet;
   * returns whether one failed.
   */
  private collect(h: number): boolean {
    const ctrl = this.ctrl;
    const report = this.lastJob;
    report.posted = h;
    report.pickedUp = 0;
    report.workerUnits = 0;
    report.waitedFor = 0;
    let failed = false;
    for (let w = 0; w < h; w++) {
      const s = SLOT0 + w * SLOT_INTS;
      // Take the job back if this worker has not claimed it yet.
      if (Atomics.compareExchange(ctrl, s, POSTED, IDLE) === POSTED) continue;
      report.pickedUp++;
      let slept = false;
      // The worker is finishing its last block (≤ ~20 µs): poll (a wake-up from Atomics.wait
      // takes tens of µs), and sleep if it takes longer: a descheduled worker needs the core.
      let st = Atomics.load(ctrl, s);
      const t0 = performance.now();
      for (let i = 1; st === RUNNING; i++) {
        if ((i & 63) === 0 && performance.now() - t0 > DONE_POLL_MS) {
          slept = true;
          Atomics.wait(ctrl, s, RUNNING);
        }
        st = Atomics.load(ctrl, s);
      }
      if (slept) report.waitedFor++;
      if (st === FAILED) failed = true;
      else report.workerUnits += ctrl[s + TOOK]!;
      Atomics.store(ctrl, s, IDLE);
    }
    return failed;
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
