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
 * After its own blocks the caller takes back a job no worker has picked up yet and waits only
 * for the blocks workers hold (polling briefly, then in `Atomics.wait`), never for a worker that
 * picked the job up but has not claimed a block: the counter carries the job's generation, so
 * such a worker, when it runs at last, finds its job over and claims nothing (it is not given
 * another job before it is idle again). How the job was shared out is left in
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
export const CTRL_BYTES = 8192;

/**
 * Word indices of the job block (Int32 words at address 0): the operands' layout in wasm
 * memory (byte addresses and strides, see `gemm_<t>`), the blocking, how C is split
 * (`byRows`, `unit` rows or columns per panel, `units` panels, `minUnits` per block, `parts`
 * threads), where the shared operand is packed (`paAll` or `pbAll`, the other is 0), the
 * `ready` flag, the units completed (`done`) and whether a block failed (`failed`). The
 * `counter` holds the job's generation above {@link GEN_SHIFT} and the next unclaimed unit below.
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
  done: 28,
  failed: 29,
} as const;

/** The job counter's low bits count units; the bits above hold the job's generation. */
const GEN_SHIFT = 16;
/** The most units one GEMM job may have (callers make the units larger past this). */
export const MAX_UNITS = (1 << GEN_SHIFT) - 1;
/**
 * Generations wrap at 32768 (the counter stays a positive int32): a worker would have to sleep
 * through 32767 jobs of at least a few milliseconds each to be misled.
 */
const GEN_MASK = 0x7fff;

/** Word counting the workers that have instantiated their modules and entered their loop. */
const STARTED = 30;
/** Test hook words: the mode ({@link WorkerTestMode}), and the late worker's flag and gate. */
const TEST_MODE = 31;
const LATE_CLAIMED = 32;
const LATE_GATE = 33;
/** The first worker slot (a cache line of its own, as every slot). */
const SLOT0 = 48;
/**
 * Words of a worker slot: [state, kind, packing buffer (GEMM); for a call: export index, src,
 * dst, bytes, chunk bytes, next chunk; the GEMM job's generation; chunks done].
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
/** The generation of the GEMM job posted to the worker. */
const GEN = 9;
/** Chunks of the call completed (by the worker or the caller). */
const DONE_CHUNKS = 10;
/** Job kinds: a share of the GEMM in the job block, or one call of a second module's export. */
const KIND_GEMM = 0;
const KIND_CALL = 1;
/** The most workers one pool can have (with the caller, 63 threads). */
export const MAX_WORKERS = 62;
// Stryker disable next-line StringLiteral: error message text of a check on constants that cannot fail
if (SLOT0 + MAX_WORKERS * SLOT_INTS > CTRL_BYTES / 4) throw new Error('GemmPool: the worker slots do not fit in the control block');

/** How long a worker polls for the operands to be ready before it sleeps (ms). */
const READY_POLL_MS = 0.3;
/** How long the caller polls for the workers' last blocks before it sleeps (ms). */
const DONE_POLL_MS = 0.05;

/**
 * A worker's claims are at most this fraction of the job's units (and at least its minimum
 * block), so a worker descheduled in the middle of one holds a small part of the product.
 */
const WORKER_BLOCK_DIVISOR = 16;

/**
 * Test hook: how the workers behave. 'normal'; 'absent' (they ignore posts, as a worker that
 * is never scheduled); 'late' (a worker stops after claiming its first block of a product until
 * the caller has taken all the others, as a worker descheduled while holding a block);
 * 'stalled' (a worker picks a job up, then stops before claiming anything until the mode
 * changes, as a worker descheduled right after it woke).
 * @internal
 */
export type WorkerTestMode = 'normal' | 'absent' | 'late' | 'stalled';
const TEST_ABSENT = 1;
const TEST_LATE = 2;
const TEST_STALLED = 3;

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
const RUN_JOB = `function runJob(ctrl, f, caller, buf, gen) {
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
    // (a poller on an oversubscribed machine takes the core the others need). A worker whose
    // job is over already (it woke late) leaves at once.
    const t0 = performance.now();
    for (let i = 1; Atomics.load(ctrl, J.ready) === 0; i++) {
      if ((i & 255) !== 0) continue;
      if (Atomics.load(ctrl, J.counter) >>> ${GEN_SHIFT} !== gen) return 0;
      if (performance.now() - t0 > ${READY_POLL_MS}) Atomics.wait(ctrl, J.ready, 0);
    }
  }
  const drive = f[2];
  // A worker takes small blocks only: if it is descheduled while it holds one, the caller, who
  // has taken everything else meanwhile, waits for little work.
  const cap = caller ? units : Math.max(minUnits, Math.ceil(units / ${WORKER_BLOCK_DIVISOR}));
  const mode = Atomics.load(ctrl, ${TEST_MODE});
  const late = mode === ${TEST_LATE};
  // Test modes: the caller lets the worker claim its block, or stall, first.
  if (caller && (late || mode === ${TEST_STALLED})) Atomics.wait(ctrl, ${LATE_CLAIMED}, 0, 10000);
  let took = 0;
  for (;;) {
    // A claim succeeds only while the counter still holds this job's generation: the job's
    // parameters read above are then this job's, and the caller waits for the block.
    const c = Atomics.load(ctrl, J.counter);
    if (c >>> ${GEN_SHIFT} !== gen) return took;
    const u0 = c & ${MAX_UNITS};
    if (u0 >= units) return took;
    const size = Math.min(units - u0, cap, Math.max(minUnits, Math.ceil((units - u0) / twoP)));
    if (Atomics.compareExchange(ctrl, J.counter, c, c + size) !== c) continue;
    if (!caller && late && took === 0) {
      Atomics.store(ctrl, ${LATE_CLAIMED}, 1);
      Atomics.notify(ctrl, ${LATE_CLAIMED});
      Atomics.wait(ctrl, ${LATE_GATE}, 0);
    }
    took += size;
    const x0 = u0 * unit;
    try {
      if (byRows) {
        drive(Math.min(m, x0 + size * unit) - x0, n, k, aBase + x0 * aI, aI, aP, 0, 0, 0, bBase, bP, bJ, pbAll, ldpb, 0,
          cBase + x0 * ldc, ldc, beta0, buf, 0, MC, KC, NC);
      } else {
        drive(m, Math.min(n, x0 + size * unit) - x0, k, aBase, aI, aP, paAll, ldpa, 0, bBase + x0 * bJ, bP, bJ, 0, 0, x0,
          cBase + x0 * E, ldc, beta0, 0, buf, MC, KC, NC);
      }
    } catch (e) {
      Atomics.store(ctrl, J.failed, 1);
      throw e;
    } finally {
      // A failed block counts as done too: the caller must not wait for it forever.
      Atomics.add(ctrl, J.done, size);
      Atomics.notify(ctrl, J.done);
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
  for (let o; (o = Atomics.add(ctrl, s + ${NEXT}, 1) * cb) < bytes; took++) {
    try {
      f(src + o, dst + o, Math.min(cb, bytes - o));
    } catch (e) {
      Atomics.store(ctrl, ${Job.failed}, 1);
      throw e;
    } finally {
      Atomics.add(ctrl, s + ${DONE_CHUNKS}, 1);
      Atomics.notify(ctrl, s + ${DONE_CHUNKS});
    }
  }
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
  if (Atomics.load(ctrl, ${TEST_MODE}) === ${TEST_STALLED}) {
    Atomics.store(ctrl, ${LATE_CLAIMED}, 1);
    Atomics.notify(ctrl, ${LATE_CLAIMED});
    Atomics.wait(ctrl, ${TEST_MODE}, ${TEST_STALLED}, 20000);
  }
  let state = ${DONE};
  try {
    if (ctrl[s + ${KIND}] === ${KIND_CALL}) runChunks(ctrl, s, calls[ctrl[s + ${FN}]]);
    else runJob(ctrl, fns[ctrl[${Job.fn}]], false, ctrl[s + ${BUF}], ctrl[s + ${GEN}]);
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
const runJob = new Function(`${RUN_JOB}; return runJob;`)() as (
  ctrl: Int32Array,
  f: JobFns,
  caller: boolean,
  buf: number,
  gen: number,
) => number;

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
  /** Times the caller had to sleep, after its own work, for units the workers held. */
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
  // Stryker disable next-line ObjectLiteral: unreachable: every job writes all five fields (run or finishCalls, and settle) before anyone reads the report
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
      // Stryker disable next-line BooleanLiteral: unreachable: the constructor rethrows, so nobody holds the pool whose exit listeners the flag silences
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
    const code = { normal: 0, absent: TEST_ABSENT, late: TEST_LATE, stalled: TEST_STALLED }[mode];
    Atomics.store(this.ctrl, TEST_MODE, code);
    Atomics.notify(this.ctrl, TEST_MODE);
  }

  /**
   * Test hook: blocks until no worker is still leaving a job it picked up (so the next job finds
   * them all idle).
   * @internal
   */
  waitIdle(): void {
    // Stryker disable next-line EqualityOperator: w <= length: loop bound one past the end: the slot after the last worker's is never written (IDLE), so the extra pass waits for nothing
    for (let w = 0; w < this.workers.length; w++) {
      const s = SLOT0 + w * SLOT_INTS;
      for (let st = Atomics.load(this.ctrl, s); st === RUNNING; st = Atomics.load(this.ctrl, s)) Atomics.wait(this.ctrl, s, st, 100);
    }
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
    // Stryker disable next-line StringLiteral: error message text, for an 'error' event without an error, which the worker source never raises
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
   * Chooses up to `max` idle workers for the next job ({@link GemmPool.run} or
   * {@link GemmPool.postCall}) and returns how many there are. A worker still leaving a job it
   * picked up too late to take part in is not idle: the next job runs without it.
   */
  reserve(max: number): number {
    const ctrl = this.ctrl;
    const reserved = this.reserved;
    reserved.length = 0;
    for (let w = 0; w < this.workers.length && reserved.length < max; w++) {
      const s = SLOT0 + w * SLOT_INTS;
      const st = Atomics.load(ctrl, s);
      // A failed job was reported by the `failed` word when it ended; the worker is idle again.
      if (st === DONE || st === FAILED) Atomics.store(ctrl, s, IDLE);
      else if (st !== IDLE) continue;
      reserved.push(s);
    }
    return reserved.length;
  }

  /** The slots of the workers chosen by the last {@link GemmPool.reserve}. */
  // Stryker disable next-line ArrayDeclaration: unreachable: reserve() empties the list before run() or finishCalls() reads it, and run() posts to at most bufs.length - 1 of it
  private readonly reserved: number[] = [];
  /** The generation of the last GEMM job (see {@link Job}). */
  private gen = 0;

  /**
   * Runs the job already written in the job block (see {@link Job}; the counter and the ready
   * flag are set here) on the calling thread and the reserved workers (at most
   * `bufs.length - 1` of them); `bufs[t]` is the packing buffer of participant t (0 = the
   * caller). The workers are woken first, then `copyIn` (copying the operands into the shared
   * memory) runs on the calling thread while they start up. Returns when C is complete: after the
   * blocks the workers claimed, not waiting for a worker that has claimed none.
   */
  run(f: JobFns, bufs: readonly number[], copyIn: () => void): void {
    const ctrl = this.ctrl;
    const units = ctrl[Job.units]!;
    if (units > MAX_UNITS) throw new RangeError(`GemmPool: at most ${MAX_UNITS} units in a job, got ${units}`);
    // Stryker disable next-line ArithmeticOperator: two implementations of one result: generations counting down differ from the last one as surely as generations counting up
    const gen = (this.gen = (this.gen + 1) & GEN_MASK);
    Atomics.store(ctrl, Job.done, 0);
    Atomics.store(ctrl, Job.failed, 0);
    Atomics.store(ctrl, Job.ready, 0);
    Atomics.store(ctrl, LATE_CLAIMED, 0);
    Atomics.store(ctrl, LATE_GATE, 0);
    // The job's parameters are written: from here on a worker of this generation may claim units.
    Atomics.store(ctrl, Job.counter, gen << GEN_SHIFT);
    const posted = Math.min(this.reserved.length, bufs.length - 1);
    for (let i = 0; i < posted; i++) {
      const s = this.reserved[i]!;
      ctrl[s + KIND] = KIND_GEMM;
      ctrl[s + BUF] = bufs[i + 1]!;
      ctrl[s + GEN] = gen;
      Atomics.store(ctrl, s, POSTED);
      Atomics.notify(ctrl, s, 1);
    }
    let callerTook = 0;
    let claimed = 0;
    // Stryker disable next-line BooleanLiteral: the initial value is always overwritten in the finally block before it is read
    let slept = false;
    try {
      copyIn();
      callerTook = runJob(ctrl, f, true, bufs[0]!, gen);
    } finally {
      // Close the job (no claims after this, also on an error), release whoever waits for the
      // operands, and wait for the blocks claimed.
      claimed = Math.min(units, Atomics.exchange(ctrl, Job.counter, (gen << GEN_SHIFT) | MAX_UNITS) & MAX_UNITS);
      Atomics.store(ctrl, Job.ready, 1);
      Atomics.notify(ctrl, Job.ready);
      Atomics.store(ctrl, LATE_GATE, 1);
      Atomics.notify(ctrl, LATE_GATE);
      slept = this.waitFor(Job.done, claimed);
      this.settle(posted);
    }
    const report = this.lastJob;
    report.units = units;
    report.workerUnits = claimed - callerTook;
    report.waitedFor = slept ? 1 : 0;
    if (Atomics.exchange(ctrl, Job.failed, 0) !== 0) throw new Error('GEMM worker failed');
  }

  /**
   * Posts to the `i`-th worker of the last {@link GemmPool.reserve} the kernel `names[fn]` over
   * [src, src + bytes) → [dst, dst + bytes), in chunks of `chunkBytes` (bytes and chunkBytes
   * multiples of what the kernel needs); {@link GemmPool.finishCalls} completes it.
   */
  postCall(i: number, fn: number, src: number, dst: number, bytes: number, chunkBytes: number): void {
    const ctrl = this.ctrl;
    const s = this.reserved[i]!;
    ctrl[s + KIND] = KIND_CALL;
    ctrl[s + FN] = fn;
    ctrl[s + SRC] = src;
    ctrl[s + DST] = dst;
    ctrl[s + BYTES] = bytes;
    ctrl[s + CHUNK] = chunkBytes;
    ctrl[s + NEXT] = 0;
    ctrl[s + DONE_CHUNKS] = 0;
    Atomics.store(ctrl, s, POSTED);
    Atomics.notify(ctrl, s, 1);
  }

  /**
   * Completes the calls posted to the first `h` reserved workers: the calling thread runs the
   * chunks no worker has taken yet through `fns[fn]` (its own instance of the second module on
   * the shared memory), then waits for the chunks in progress. Throws if a chunk failed.
   */
  finishCalls(h: number, fns: ReadonlyArray<CallFn>): void {
    const ctrl = this.ctrl;
    let units = 0;
    let callerTook = 0;
    let slept = 0;
    try {
      // Stryker disable next-line EqualityOperator: i <= h: the extra slot is a reserved worker given no call (its chunk counter is past its chunks) or past the list (undefined words: no chunk runs; the stray increment lands on the job counter of a finished GEMM job, which the next job rewrites)
      for (let i = 0; i < h; i++) {
        const s = this.reserved[i]!;
        callerTook += runChunks(ctrl, s, fns[ctrl[s + FN]!]!);
      }
    } finally {
      for (let i = 0; i < h; i++) {
        const s = this.reserved[i]!;
        const chunks = Math.ceil(ctrl[s + BYTES]! / ctrl[s + CHUNK]!);
        // Close the call (also after an error: no chunk is claimed after this) and wait for the
        // chunks claimed, each counted when done.
        const claimed = Math.min(chunks, Atomics.exchange(ctrl, s + NEXT, chunks));
        if (this.waitFor(s + DONE_CHUNKS, claimed)) slept++;
        units += claimed;
      }
      this.settle(h);
    }
    const report = this.lastJob;
    report.units = units;
    report.workerUnits = units - callerTook;
    report.waitedFor = slept;
    if (Atomics.exchange(ctrl, Job.failed, 0) !== 0) throw new Error('GemmPool: a worker failed in a kernel call');
  }

  /**
   * Polls until control word `index` reaches `target` (the units or chunks claimed, each counted
   * when done), then sleeps in `Atomics.wait` if that takes longer than a block should; returns
   * whether it slept.
   */
  private waitFor(index: number, target: number): boolean {
    const ctrl = this.ctrl;
    let slept = false;
    const t0 = performance.now();
    // Stryker disable next-line UpdateOperator: a polling budget: counting down reaches a multiple of 64 as often, so only when the caller stops polling and sleeps changes
    for (let i = 1, d = 0; (d = Atomics.load(ctrl, index)) < target; i++) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: a polling budget: when the caller stops polling and sleeps (Atomics.wait returns when the done count changes, so it waits for the same blocks either way); only the timing changes
      if ((i & 63) === 0 && performance.now() - t0 > DONE_POLL_MS) {
        slept = true;
        Atomics.wait(ctrl, index, d);
      }
    }
    return slept;
  }

  /**
   * Ends the job for the first `h` reserved workers: takes back the posts no worker has picked
   * up yet; the others stay busy until their worker leaves the job (see {@link GemmPool.reserve}).
   */
  private settle(h: number): void {
    const ctrl = this.ctrl;
    const report = this.lastJob;
    report.posted = h;
    report.pickedUp = 0;
    for (let i = 0; i < h; i++) {
      if (Atomics.compareExchange(ctrl, this.reserved[i]!, POSTED, IDLE) !== POSTED) report.pickedUp++;
    }
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
