import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  getKernelThreads as getNumThreads,
  setKernelBackend,
  setKernelThreads as setNumThreads,
  setStreamSplit,
  STREAM_SPLIT_MIN,
  unaryF32,
} from '../../src/kernels/runtime/index.js';
import { threadedGemm } from '../../src/kernels/runtime/instances.js';
import { CTRL_BYTES, GemmPool } from '../../src/kernels/threads/pool.js';
import { SHARED_STREAM_KERNELS, WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';
import { type StreamUnary } from '../../src/kernels/wasm/stream.js';
import { tensor } from '../../src/index.js';
import { ulps } from './ulp.js';

/** Word index of worker 0's state in the pool's control block (1 = posted, not yet claimed). */
const SLOT0_STATE = 48;
/** Word index of the flag a worker of the test hooks sets when it holds a job (`LATE_CLAIMED`). */
const LATE_CLAIMED_WORD = 32;

const UNARY: StreamUnary[] = ['exp', 'sigmoid', 'tanh', 'relu'];

/** float64 references rounded once to float32 (independent of src/). */
const REF: Record<StreamUnary, (x: number) => number> = {
  exp: (x) => Math.fround(Math.exp(x)),
  sigmoid: (x) => Math.fround(1 / (1 + Math.exp(-x))),
  tanh: (x) => Math.fround(Math.tanh(x)),
  relu: (x) => (x > 0 ? x : x !== x ? x : 0),
};

/** Deterministic inputs in [-lim, lim] with a few special values mixed in. */
function input(n: number, seed: number, lim = 30): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32) * 2 * lim - lim;
  }
  const specials = [0, -0, NaN, Infinity, -Infinity, 1e-40, -1e-40, 88.8, -104];
  for (let j = 0; j < specials.length && j * 7 < n; j++) a[j * 7] = specials[j]!;
  return a;
}

/** Bitwise equality of two float32 arrays (NaN payloads and signed zeros included). */
function sameBits(x: Float32Array, y: Float32Array): boolean {
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const v = new Uint32Array(y.buffer, y.byteOffset, y.length);
  if (u.length !== v.length) return false;
  for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
  return true;
}

const threads0 = getNumThreads();
// 'wasm': the runtime's unary entry takes the wasm kernel at every length (as the split does).
beforeAll(() => {
  setNumThreads(2);
  setKernelBackend('wasm');
});
afterEach(() => {
  setStreamSplit(null);
  vi.restoreAllMocks();
});
afterAll(() => {
  setNumThreads(threads0);
  setKernelBackend('auto');
});

/**
 * The runtime's threaded instance splits every call it is asked to (its thread policy off), and
 * its worker has left its last call: the next split finds it idle.
 */
function workerReady(): void {
  const g = threadedGemm();
  if (g === null) return;
  g.adaptiveThreads = false;
  g.sharedStream(CTRL_BYTES)?.pool.waitIdle();
}

/** op over a[aOff, aOff + n) into a fresh array of outLen with the output at outOff (sentinel elsewhere). */
function run(op: StreamUnary, a: Float32Array, n: number, aOff: number, outOff: number, outLen: number): Float32Array {
  workerReady();
  const out = new Float32Array(outLen).fill(-7.5);
  unaryF32(op, out, a, n, aOff, outOff);
  return out;
}

describe('stream kernels split over the GEMM pool threads', () => {
  it('the split runs (posts to a worker) and is bit-identical to one thread: random lengths, offsets, all kernels', () => {
    const post = vi.spyOn(GemmPool.prototype, 'postCall');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40000 }),
        fc.integer({ min: 0, max: 37 }),
        fc.integer({ min: 0, max: 37 }),
        fc.constantFrom(...UNARY),
        fc.integer({ min: 0, max: 1e6 }),
        (n, aOff, outOff, op, seed) => {
          const a = input(aOff + n + 3, seed);
          setStreamSplit({ minElements: Infinity });
          const one = run(op, a, n, aOff, outOff, outOff + n + 5);
          const before = post.mock.calls.length;
          setStreamSplit({ minElements: 1 });
          const two = run(op, a, n, aOff, outOff, outOff + n + 5);
          // Parts are cut at multiples of 16 elements: from 64 elements a worker always gets one.
          if (n >= 64) expect(post.mock.calls.length).toBeGreaterThan(before);
          expect(sameBits(one, two)).toBe(true);
          // Nothing outside [outOff, outOff + n) written; within 1 ulp of the float64 reference.
          for (let i = 0; i < outOff; i++) expect(two[i]).toBe(-7.5);
          for (let i = outOff + n; i < two.length; i++) expect(two[i]).toBe(-7.5);
          for (let i = 0; i < n; i += 97) expect(ulps(two[outOff + i]!, REF[op](a[aOff + i]!))).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('caller shares from none to all, lengths 1..9, and the default threshold at 2^20 elements', () => {
    for (const callerWeight of [0, 0.3, 0.9, 5, 1e9]) {
      for (let n = 1; n <= 9; n++) {
        const a = input(n, n);
        setStreamSplit({ minElements: Infinity });
        const one = run('sigmoid', a, n, 0, 0, n);
        setStreamSplit({ minElements: 1, callerWeight });
        expect(sameBits(one, run('sigmoid', a, n, 0, 0, n))).toBe(true);
      }
    }
    setStreamSplit(null);
    const n = 1 << 20;
    expect(n).toBeGreaterThanOrEqual(STREAM_SPLIT_MIN.exp);
    expect(STREAM_SPLIT_MIN.relu).toBe(Infinity);
    const a = input(n, 9, 100);
    const post = vi.spyOn(GemmPool.prototype, 'postCall');
    const out = run('exp', a, n, 0, 0, n);
    expect(post).toHaveBeenCalled();
    for (let i = 0; i < n; i += 1013) expect(ulps(out[i]!, REF.exp(a[i]!))).toBeLessThanOrEqual(1);
  });

  it('in place (out === a, same offset), split: same bits as the one-thread in-place call', () => {
    for (const op of UNARY) {
      const n = 20011;
      const x = input(n + 5, 5);
      const y = x.slice();
      setStreamSplit({ minElements: Infinity });
      unaryF32(op, x, x, n, 5 >> 1, 5 >> 1);
      setStreamSplit({ minElements: 1 });
      workerReady();
      unaryF32(op, y, y, n, 5 >> 1, 5 >> 1);
      expect(sameBits(x, y)).toBe(true);
    }
  });

  it('tensor ops on a view at an offset use the split and match the reference', () => {
    setStreamSplit({ minElements: 1 });
    const src = input(30003, 11, 20);
    const t = tensor(Array.from(src)).narrow(0, 3, 30000);
    const post = vi.spyOn(GemmPool.prototype, 'postCall');
    workerReady();
    const y = t.exp().dataSync() as Float32Array;
    expect(post).toHaveBeenCalled();
    for (let i = 0; i < 30000; i++) expect(ulps(y[i]!, REF.exp(src[i + 3]!))).toBeLessThanOrEqual(1);
  });

  it('falls back to the calling thread with setNumThreads(1): no worker, same bits', () => {
    const a = input(5000, 3);
    setStreamSplit({ minElements: Infinity });
    const one = run('tanh', a, 5000, 0, 0, 5000);
    setStreamSplit({ minElements: 1 });
    setNumThreads(1);
    try {
      const post = vi.spyOn(GemmPool.prototype, 'postCall');
      expect(sameBits(one, run('tanh', a, 5000, 0, 0, 5000))).toBe(true);
      expect(post).not.toHaveBeenCalled();
    } finally {
      setNumThreads(2);
    }
  });
});

describe('GemmPool kernel calls', () => {
  const g = new WasmGemm(undefined, undefined, 2);
  afterAll(async () => {
    await g.close();
  });

  it('chunks no worker takes are run by the caller (pool without workers); a worker that claims a call runs every chunk', async () => {
    const sh = g.sharedStream(1 << 16)!;
    expect(sh).not.toBeNull();
    const k = SHARED_STREAM_KERNELS.indexOf('exp');
    const x = input(40, 4, 20);
    const SRC = 4096,
      DST = 8192;
    const check = (): void => {
      const got = sh.f32.subarray(DST >> 2, (DST >> 2) + 40);
      for (let i = 0; i < 40; i++) expect(ulps(got[i]!, REF.exp(x[i]!))).toBeLessThanOrEqual(1);
    };
    const calls: number[][] = [];
    const recording = sh.fns.map((f) => (src: number, dst: number, bytes: number): void => {
      calls.push([src, dst, bytes]);
      f(src, dst, bytes);
    });
    // A worker that ignores the post: the call is never claimed, so finishCalls runs every chunk
    // (48 B each, 16 B last).
    sh.f32.set(x, SRC >> 2);
    sh.f32.fill(0, DST >> 2, (DST >> 2) + 40);
    sh.pool.waitIdle();
    sh.pool.setTestMode('absent');
    expect(sh.pool.reserve(1)).toBe(1);
    sh.pool.postCall(0, k, SRC, DST, 160, 48);
    sh.pool.finishCalls(1, recording);
    sh.pool.setTestMode('normal');
    expect(sh.pool.lastJob).toMatchObject({ units: 4, workerUnits: 0, posted: 1, pickedUp: 0 });
    expect(calls).toEqual([
      [SRC, DST, 48],
      [SRC + 48, DST + 48, 48],
      [SRC + 96, DST + 96, 48],
      [SRC + 144, DST + 144, 16],
    ]);
    check();
    // A real worker: once it has finished (state DONE = 3) the caller has nothing left to run.
    calls.length = 0;
    sh.f32.fill(0, DST >> 2, (DST >> 2) + 40);
    sh.pool.waitIdle();
    expect(sh.pool.reserve(1)).toBe(1);
    sh.pool.postCall(0, k, SRC, DST, 160, 48);
    const t0 = Date.now();
    while (Atomics.load(sh.pool.ctrl, SLOT0_STATE) !== 3 && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 5));
    sh.pool.finishCalls(1, recording);
    expect(calls).toEqual([]);
    expect(sh.pool.lastJob).toMatchObject({ units: 4, workerUnits: 4, posted: 1, pickedUp: 1 });
    check();
  });

  it('a worker that picks a call up and stalls before its first chunk: the caller runs every chunk and does not wait for it', () => {
    const sh = g.sharedStream(1 << 16)!;
    const k = SHARED_STREAM_KERNELS.indexOf('exp');
    const x = input(40, 6, 20);
    const SRC = 8192 + 4096,
      DST = 8192 + 8192;
    sh.f32.set(x, SRC >> 2);
    sh.f32.fill(0, DST >> 2, (DST >> 2) + 40);
    sh.pool.waitIdle();
    sh.pool.setTestMode('stalled');
    try {
      expect(sh.pool.reserve(1)).toBe(1);
      Atomics.store(sh.pool.ctrl, LATE_CLAIMED_WORD, 0);
      sh.pool.postCall(0, k, SRC, DST, 160, 48);
      // The worker signals once it holds the call; then the caller takes every chunk.
      expect(Atomics.wait(sh.pool.ctrl, LATE_CLAIMED_WORD, 0, 20000)).not.toBe('timed-out');
      sh.pool.finishCalls(1, sh.fns);
      expect(sh.pool.lastJob).toMatchObject({ units: 4, workerUnits: 0, posted: 1, pickedUp: 1, waitedFor: 0 });
      // It is still stalled, so it is not idle for the next call.
      expect(sh.pool.reserve(1)).toBe(0);
    } finally {
      sh.pool.setTestMode('normal');
    }
    const got = sh.f32.subarray(DST >> 2, (DST >> 2) + 40);
    for (let i = 0; i < 40; i++) expect(ulps(got[i]!, REF.exp(x[i]!))).toBeLessThanOrEqual(1);
    sh.pool.waitIdle();
    expect(sh.pool.reserve(1)).toBe(1);
  });

  it('a kernel that traps (out of bounds) makes finishCalls throw', async () => {
    const sh = g.sharedStream(1 << 16)!;
    const k = SHARED_STREAM_KERNELS.indexOf('relu');
    const beyond = sh.f32.byteLength + 4096;
    sh.pool.waitIdle();
    expect(sh.pool.reserve(1)).toBe(1);
    sh.pool.postCall(0, k, beyond, beyond, 64, 64);
    const t0 = Date.now();
    while (Atomics.load(sh.pool.ctrl, SLOT0_STATE) === 1 && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 5));
    expect(() => sh.pool.finishCalls(1, sh.fns)).toThrow(/worker failed in a kernel call|out of bounds/);
  });
});
