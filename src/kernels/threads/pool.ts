/**
 * A tiny pool of `worker_threads` that run the generated `gemm_<t>` driver on a shared
 * WebAssembly memory, synchronously from the caller's point of view.
 *
 * A job splits C into chunks (row panels, or column panels when C is wide); the caller and
 * the workers take chunks from an atomic counter, so a worker that is descheduled (the
 * machine is shared) only delays the chunk it holds. After its own chunks the caller takes
 * back a job no worker has claimed yet, and otherwise blocks in `Atomics.wait`.
 * Workers are `unref()`ed so they never keep the process alive.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { WasmMemory } from '../wasm/wasm-api.js';

/** Bytes reserved at address 0 of the shared memory for the job block and worker slots. */
export const CTRL_BYTES = 4096;

/** Word indices of the job block (Int32 words at address 0). */
export const Job = {
  counter: 0, fn: 1, m: 2, n: 3, k: 4, aBase: 5, aI: 6, aP: 7, pbAll: 8, ldpb: 9, ready: 10,
  cBase: 11, ldc: 12, beta0: 13, MC: 14, KC: 15, NC: 16, byRows: 17, unit: 18, E: 19,
  chunkUnits: 20, nChunks: 21, units: 22,
} as const;

const SLOT0 = 32;
const SLOT_INTS = 4; // [state, pa, unused, unused]
const MAX_WORKERS = (CTRL_BYTES / 4 - SLOT0) / SLOT_INTS;

const IDLE = 0;
const POSTED = 1;
const RUNNING = 2;
const DONE = 3;
const FAILED = 4;

/**
 * The chunk loop, shared verbatim by the caller and the worker source. op(B) is packed once,
 * whole, by the caller (J.ready turns 1 when it is); each chunk packs only its rows of op(A).
 */
const RUN_CHUNKS = `function runChunks(ctrl, drive, pa) {
  const J = ${JSON.stringify(Job)};
  // op(B) is being packed by the caller: spin briefly, then sleep until it is ready.
  for (let spin = 0; Atomics.load(ctrl, J.ready) === 0; spin++) {
    if (spin >= 4096) Atomics.wait(ctrl, J.ready, 0);
  }
  const m = ctrl[J.m], n = ctrl[J.n], k = ctrl[J.k], aI = ctrl[J.aI], aP = ctrl[J.aP];
  const pbAll = ctrl[J.pbAll], ldpb = ctrl[J.ldpb], ldc = ctrl[J.ldc], beta0 = ctrl[J.beta0];
  const MC = ctrl[J.MC], KC = ctrl[J.KC], NC = ctrl[J.NC], unit = ctrl[J.unit], E = ctrl[J.E];
  const per = ctrl[J.chunkUnits], nChunks = ctrl[J.nChunks], units = ctrl[J.units];
  for (;;) {
    const ch = Atomics.add(ctrl, J.counter, 1);
    if (ch >= nChunks) return;
    const u0 = ch * per, u1 = Math.min(units, u0 + per);
    if (ctrl[J.byRows]) {
      const i0 = u0 * unit, i1 = Math.min(m, u1 * unit);
      drive(i1 - i0, n, k, ctrl[J.aBase] + i0 * aI, aI, aP, pbAll, ldpb, 0, ctrl[J.cBase] + i0 * ldc, ldc, beta0, pa, MC, KC, NC);
    } else {
      const j0 = u0 * unit, j1 = Math.min(n, u1 * unit);
      drive(m, j1 - j0, k, ctrl[J.aBase], aI, aP, pbAll, ldpb, j0, ctrl[J.cBase] + j0 * E, ldc, beta0, pa, MC, KC, NC);
    }
  }
}`;

/** The worker body (plain JavaScript, evaluated as a CommonJS script). */
const WORKER_SOURCE = `'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, slot, spinMs } = workerData;
const inst = new WebAssembly.Instance(module, { env: { memory } });
const fns = [inst.exports.gemmpb_f32, inst.exports.gemmpb_f64];
const ctrl = new Int32Array(memory.buffer, 0, ${CTRL_BYTES / 4});
const s = ${SLOT0} + slot * ${SLOT_INTS};
${RUN_CHUNKS}
for (;;) {
  let st;
  // Spin for spinMs after a job (the next product often follows within microseconds), then sleep.
  const t0 = performance.now();
  for (let i = 1; (st = Atomics.load(ctrl, s)) !== ${POSTED}; i++) {
    if ((i & 255) === 0 && performance.now() - t0 > spinMs) {
      while ((st = Atomics.load(ctrl, s)) !== ${POSTED}) Atomics.wait(ctrl, s, st);
      break;
    }
  }
  if (Atomics.compareExchange(ctrl, s, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
  let state = ${DONE};
  try {
    runChunks(ctrl, fns[ctrl[${Job.fn}]], ctrl[s + 1]);
  } catch (e) {
    state = ${FAILED};
  }
  Atomics.store(ctrl, s, state);
  Atomics.notify(ctrl, s);
}
`;

type Drive = (...args: number[]) => void;
const runChunks = new Function(`${RUN_CHUNKS}; return runChunks;`)() as (
  ctrl: Int32Array, drive: Drive, pa: number) => void;

/** Worker threads sharing one WebAssembly memory and module. */
export class GemmPool {
  private readonly workers: Worker[] = [];
  /** The control words (job block + worker slots) at address 0 of the shared memory. */
  readonly ctrl: Int32Array;

  /**
   * @param module - the compiled GEMM module (it must import a shared memory).
   * @param memory - the shared memory.
   * @param size - number of workers to start.
   * @param spinMs - how long an idle worker polls for the next job before it sleeps.
   */
  constructor(module: object, memory: WasmMemory, size: number, spinMs = 0) {
    if (size > MAX_WORKERS) throw new Error(`GemmPool: at most ${MAX_WORKERS} workers`);
    this.ctrl = new Int32Array(memory.buffer, 0, CTRL_BYTES / 4);
    for (let slot = 0; slot < size; slot++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, slot, spinMs } });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs the job already written in the job block (see {@link Job}; the counter and the ready
   * flag are reset here) on the calling thread and the workers; `pas[t]` is the op(A) packing
   * buffer of participant t (0 = the caller). The workers are woken first, then `prepare`
   * (packing op(B)) runs on the calling thread while they start up, then everyone takes
   * chunks. Returns when every chunk is done.
   */
  run(drive: Drive, pas: readonly number[], prepare: () => void): void {
    const ctrl = this.ctrl;
    const helpers = Math.min(this.workers.length, pas.length - 1);
    Atomics.store(ctrl, Job.counter, 0);
    Atomics.store(ctrl, Job.ready, 0);
    for (let w = 0; w < helpers; w++) {
      const s = SLOT0 + w * SLOT_INTS;
      ctrl[s + 1] = pas[w + 1]!;
      Atomics.store(ctrl, s, POSTED);
      Atomics.notify(ctrl, s, 1);
    }
    let failed = false;
    try {
      try {
        prepare();
      } finally {
        Atomics.store(ctrl, Job.ready, 1);
        Atomics.notify(ctrl, Job.ready);
      }
      runChunks(ctrl, drive, pas[0]!);
    } finally {
      for (let w = 0; w < helpers; w++) {
        const s = SLOT0 + w * SLOT_INTS;
        // Take the job back if this worker has not claimed it yet.
        if (Atomics.compareExchange(ctrl, s, POSTED, IDLE) === POSTED) continue;
        let st = Atomics.load(ctrl, s);
        while (st === RUNNING) {
          Atomics.wait(ctrl, s, RUNNING);
          st = Atomics.load(ctrl, s);
        }
        if (st === FAILED) failed = true;
        Atomics.store(ctrl, s, IDLE);
      }
    }
    if (failed) throw new Error('GEMM worker failed');
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
