/**
 * Mutation-testing companions of the worker pool (kernels/threads/pool.ts): the pool's own
 * bookkeeping on the calling thread, checked on pools whose workers run an empty WebAssembly
 * module (they start, enter their loop and never get a job), so every check reads control words
 * the caller alone writes. The products themselves are in thread-fallback.test.ts,
 * stream-split.test.ts and module-cache.test.ts. See docs/contributing.md, "Mutation testing".
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { GemmPool, Job, MAX_UNITS, MAX_WORKERS } from '../../src/kernels/threads/pool.js';
import { WA, type WasmMemory } from '../../src/kernels/wasm/wasm-api.js';

/** Control words of pool.ts: the started count, the test mode, the first slot, words per slot. */
const STARTED = 30;
const TEST_MODE = 31;
const LATE_CLAIMED = 32;
const SLOT0 = 48;
const SLOT_INTS = 16;
/** Slot states. */
const IDLE = 0;
const POSTED = 1;
const RUNNING = 2;
const DONE = 3;
const FAILED = 4;

/** The smallest module: no imports, no exports (the magic number and version). */
const EMPTY_MODULE = new WA!.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
const sharedMemory = (): WasmMemory => new WA!.Memory({ initial: 1, maximum: 16, shared: true });

const pools: GemmPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

/** A pool of `size` workers on the empty module, once they have all started. */
async function startedPool(size: number, memory = sharedMemory()): Promise<GemmPool> {
  const pool = new GemmPool(EMPTY_MODULE, memory, size);
  pools.push(pool);
  for (let i = 0; i < 800 && pool.started < size; i++) await new Promise((r) => setTimeout(r, 25));
  expect(pool.started).toBe(size);
  return pool;
}

describe('GemmPool construction', () => {
  it('rejects more workers than the control block has slots for, before starting any', () => {
    expect(MAX_WORKERS).toBe(62);
    expect(() => new GemmPool(EMPTY_MODULE, sharedMemory(), MAX_WORKERS + 1)).toThrow(/^GemmPool: at most 62 workers, got 63$/);
    expect(() => new GemmPool(EMPTY_MODULE, sharedMemory(), MAX_WORKERS + 1)).toThrow(RangeError);
  });

  it('resets the started count and the test mode left in a reused memory', () => {
    const memory = sharedMemory();
    const ctrl = new Int32Array(memory.buffer, 0, 64);
    ctrl[STARTED] = 7;
    ctrl[TEST_MODE] = 1;
    const pool = new GemmPool(EMPTY_MODULE, memory, 1);
    pools.push(pool);
    expect(pool.started).toBeLessThanOrEqual(1);
    expect(ctrl[TEST_MODE]).toBe(0);
  });

  it('test modes are written where the workers read them', async () => {
    const pool = await startedPool(1);
    const modes = [
      ['absent', 1],
      ['late', 2],
      ['stalled', 3],
      ['normal', 0],
    ] as const;
    for (const [mode, code] of modes) {
      pool.setTestMode(mode);
      expect(pool.ctrl[TEST_MODE], mode).toBe(code);
    }
  });
});

describe('GemmPool health', () => {
  it('a worker that exits while the pool is open breaks the pool, naming the exit code', async () => {
    const pool = await startedPool(1);
    expect(pool.broken).toBe(false);
    expect(pool.brokenBy).toBeNull();
    await (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0]!.terminate();
    for (let i = 0; i < 200 && !pool.broken; i++) await new Promise((r) => setTimeout(r, 5));
    expect(pool.broken).toBe(true);
    expect(String(pool.brokenBy)).toMatch(/GemmPool: worker exited with code 1/);
  });

  it('keeps the first failure: a worker that fails at start-up, then exits, is broken by the start-up error', async () => {
    // Not a WebAssembly.Module: the worker throws while it starts ('error'), then exits ('exit').
    const pool = new GemmPool({ notAModule: true }, sharedMemory(), 1);
    pools.push(pool);
    for (let i = 0; i < 400 && !pool.broken; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.broken).toBe(true);
    expect(String(pool.brokenBy)).not.toMatch(/exited/);
    expect(String(pool.brokenBy)).toMatch(/WebAssembly|Instance|module/i);
  });

  it('closing is not a failure: the pool is not broken and has no workers after close()', async () => {
    const pool = await startedPool(2);
    expect(pool.size).toBe(2);
    const workers = [...(pool as unknown as { workers: { threadId: number }[] }).workers];
    await pool.close();
    // Terminated: a worker that has exited has thread id -1.
    expect(workers.map((w) => w.threadId)).toEqual([-1, -1]);
    await new Promise((r) => setTimeout(r, 20));
    expect(pool.broken).toBe(false);
    expect(pool.size).toBe(0);
  });
});

describe('GemmPool.reserve', () => {
  const slot = (w: number): number => SLOT0 + w * SLOT_INTS;

  it('takes up to max idle workers, in slot order', async () => {
    const pool = await startedPool(2);
    expect(pool.reserve(0)).toBe(0);
    expect(pool.reserve(1)).toBe(1);
    expect(pool.reserve(2)).toBe(2);
    expect(pool.reserve(5)).toBe(2);
  });

  it('a worker whose job ended (done or failed) is idle again; one still running is skipped', async () => {
    const pool = await startedPool(2);
    const ctrl = pool.ctrl;
    for (const ended of [DONE, FAILED]) {
      Atomics.store(ctrl, slot(0), ended);
      expect(pool.reserve(2)).toBe(2);
      expect(Atomics.load(ctrl, slot(0))).toBe(IDLE);
    }
    Atomics.store(ctrl, slot(0), RUNNING);
    expect(pool.reserve(2)).toBe(1);
    expect(pool.reserve(1)).toBe(1);
    Atomics.store(ctrl, slot(1), RUNNING);
    expect(pool.reserve(2)).toBe(0);
    Atomics.store(ctrl, slot(0), IDLE);
    Atomics.store(ctrl, slot(1), IDLE);
    expect(pool.reserve(2)).toBe(2);
  });
});

describe('GemmPool.run', () => {
  it('rejects a job of more units than the counter holds, before posting it', async () => {
    const pool = await startedPool(1);
    const ctrl = pool.ctrl;
    ctrl[Job.units] = MAX_UNITS + 1;
    const noop = (): void => undefined;
    expect(pool.reserve(1)).toBe(1);
    expect(() => pool.run([noop, noop, noop], [0, 0], noop)).toThrow(/^GemmPool: at most 65535 units in a job, got 65536$/);
    expect(Atomics.load(ctrl, SLOT0)).toBe(IDLE);
  });

  /**
   * A job of `units` units run by the caller alone (no worker posted), whose "kernel" records the
   * units it is given: k = 0 (nothing to pack), one unit per row, one part.
   */
  function callerJob(pool: GemmPool, units: number, drive: (rows: number) => void, bufs: number[] = [0]): void {
    const ctrl = pool.ctrl;
    ctrl[Job.units] = units;
    ctrl[Job.m] = units;
    ctrl[Job.n] = 1;
    ctrl[Job.k] = 0;
    ctrl[Job.byRows] = 1;
    ctrl[Job.unit] = 1;
    ctrl[Job.minUnits] = 1;
    ctrl[Job.parts] = bufs.length;
    ctrl[Job.fn] = 0;
    const noop = (): void => undefined;
    pool.run([noop, noop, (rows: number) => drive(rows)], bufs, noop);
  }

  it('takes a job of exactly MAX_UNITS units, and reports that the caller did every unit without waiting', async () => {
    const pool = await startedPool(1);
    let rows = 0;
    pool.ctrl[Job.failed] = 1; // left over from an earlier job: cleared when the job starts
    expect(pool.reserve(1)).toBe(1); // reserved, but bufs has no buffer for a worker: not posted
    callerJob(pool, MAX_UNITS, (r) => (rows += r));
    expect(rows).toBe(MAX_UNITS);
    expect(pool.lastJob).toEqual({ units: MAX_UNITS, workerUnits: 0, posted: 0, pickedUp: 0, waitedFor: 0 });
  });

  it('a block reported failed (the failed word) makes run throw once the job is over, and only that job', async () => {
    const pool = await startedPool(1);
    let calls = 0;
    expect(() =>
      callerJob(pool, 8, () => {
        calls++;
        pool.ctrl[Job.failed] = 1;
      }),
    ).toThrow(/^GEMM worker failed$/);
    expect(calls).toBeGreaterThan(0);
    expect(pool.lastJob.units).toBe(8);
    callerJob(pool, 8, () => undefined);
  });

  it("a block that throws on the caller's side: run rethrows the error, without waiting for units nobody claimed", async () => {
    const pool = await startedPool(1);
    let calls = 0;
    expect(() =>
      callerJob(pool, 64, () => {
        if (++calls === 2) throw new Error('block 2 failed');
      }),
    ).toThrow(/^block 2 failed$/);
    expect(calls).toBe(2);
    callerJob(pool, 8, () => undefined);
  });

  it('waits for the block a worker claimed: a worker whose block fails (late mode) makes run throw', async () => {
    // The workers run the empty module: the block a worker claims fails (no GEMM export), after
    // the late worker's gate opens, i.e. after the caller has done every other block.
    const pool = await startedPool(1);
    // The worker's last job was a kernel call (of nothing): the GEMM job must reset the job kind.
    expect(pool.reserve(1)).toBe(1);
    pool.postCall(0, 0, 0, 0, 0, 16);
    pool.finishCalls(1, []);
    pool.waitIdle();
    pool.setTestMode('late');
    try {
      expect(pool.reserve(1)).toBe(1);
      expect(() => callerJob(pool, 32, () => undefined, [0, 0])).toThrow(/^GEMM worker failed$/);
      expect(pool.lastJob.posted).toBe(1);
      expect(pool.lastJob.pickedUp).toBe(1);
      expect(pool.lastJob.workerUnits).toBeGreaterThanOrEqual(1);
    } finally {
      pool.setTestMode('normal');
    }
  });
});

describe('GemmPool.waitIdle', () => {
  it('blocks while a worker is still in a job it picked up, until it has left it', async () => {
    // Two workers, the second in the job: waitIdle reads every worker's own slot.
    const pool = await startedPool(2);
    const ctrl = pool.ctrl;
    const s1 = SLOT0 + SLOT_INTS;
    // An empty GEMM job of generation 0 whose operands are ready: the worker claims nothing and leaves.
    ctrl[Job.units] = 0;
    ctrl[Job.counter] = 0;
    ctrl[Job.ready] = 1;
    ctrl[s1 + 1] = 0; // kind: GEMM
    ctrl[s1 + 9] = 0; // generation 0
    ctrl[LATE_CLAIMED] = 0;
    pool.setTestMode('stalled');
    Atomics.store(ctrl, s1, POSTED);
    Atomics.notify(ctrl, s1);
    // The worker has picked the job up (RUNNING) and stalls until the mode changes.
    expect(Atomics.wait(ctrl, LATE_CLAIMED, 0, 20000)).not.toBe('timed-out');
    expect(Atomics.load(ctrl, s1)).toBe(RUNNING);
    // Another thread ends the stall a little later, while this one is blocked in waitIdle.
    const releaser = new Worker(
      `import('node:worker_threads').then(({ workerData }) => {
        const c = new Int32Array(workerData.memory.buffer, 0, 64);
        Atomics.wait(c, 40, 0, 50);
        Atomics.store(c, ${TEST_MODE}, 0);
        Atomics.notify(c, ${TEST_MODE});
      });`,
      { eval: true, workerData: { memory: { buffer: ctrl.buffer } } },
    );
    try {
      pool.waitIdle();
      expect(Atomics.load(ctrl, s1)).toBe(DONE);
      expect(Atomics.load(ctrl, SLOT0)).toBe(IDLE);
    } finally {
      await releaser.terminate();
      pool.setTestMode('normal');
    }
  });
});
