/**
 * Driver of the streaming WebAssembly SIMD128 float32 elementwise kernels (`stream-module.ts`).
 *
 * Tensor storage stays in plain JS ArrayBuffers (wasm memory cannot be freed automatically inside
 * a synchronous training loop), so the driver streams: it copies a chunk of each input into a
 * scratch region of the module's own (non-shared) memory, runs the f32x4 loop over it in place,
 * and copies the chunk out into the output array. Chunks of {@link CHUNK} elements keep the
 * scratch region in L1/L2, so a pass costs about one read of the input and one write of the output.
 *
 * Every entry point returns false, doing nothing, when WebAssembly SIMD is unavailable (no `WA`,
 * or the module fails to compile); the caller then runs its JS loop. Whether to call them at all
 * (backend, sizes, dtype, layout, threads) is decided by the elementwise family's entry,
 * `runtime/elementwise.ts`; the module instance comes from `runtime/instances.ts`.
 *
 * A unary call asked to split runs over the threads of the runtime's worker pool (see
 * {@link splitUnary}): the workers run the same kernel code on the GEMM's shared memory.
 * @module
 */
import { streamInstance, threadedGemm, type StreamInstance } from '../runtime/instances.js';
import { STREAM_CHUNK } from '../runtime/thresholds.js';
import { CTRL_BYTES } from '../threads/pool.js';
import { SHARED_STREAM_KERNELS } from './gemm-wasm.js';

/** The unary kernels of the module. @internal */
export type StreamUnary = 'exp' | 'sigmoid' | 'tanh' | 'relu';
/** The binary kernels of the module. @internal */
export type StreamBinary = 'add' | 'sub' | 'mul' | 'div';

type Fn = (...args: number[]) => void;

/**
 * Elements per chunk (`STREAM_CHUNK` in `runtime/thresholds.ts`, where its reason is given).
 * @internal
 */
export const CHUNK = STREAM_CHUNK;

/** Bytes of one scratch region (one chunk). @internal */
export const REGION = CHUNK * 4;
/*
 * The private scratch (runtime's STREAM_SCRATCH_BYTES) holds up to three regions (inputs and
 * output), each placed per call half a page off the JS array it is copied from or to
 * ({@link offPage}). A copy whose source and destination have the same address modulo 4 KiB runs
 * many times slower (4K aliasing in the CPU's memory disambiguation); with fixed regions, views
 * 512 elements into a page-aligned array hit it. The figures are in docs/performance.md.
 */

/** The scratch region after `cursor` for copies to or from `arr[off...]`. @internal */
export function place(cursor: number, arr: Float32Array, off: number): number {
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (any place in the page after `cursor` keeps the regions apart; the shift only avoids 4K aliasing, a matter of speed)
  return offPage(cursor, arr.byteOffset + off * 4, 2048);
}

/**
 * The calling thread's share of a split call relative to one worker's: it also copies the
 * workers' parts in and out of the shared memory, so it keeps less.
 * @internal
 */
const SPLIT_CALLER_WEIGHT = 0.9;

/**
 * Bytes per chunk of a worker's part (small, so that nobody waits long on the last one): the
 * caller takes the chunks the worker has not reached when its own part is done.
 */
const SPLIT_CHUNK_BYTES = 1 << 16;

let callerWeight = SPLIT_CALLER_WEIGHT;

/**
 * Test and tuning switch: the caller's weight in a split call; `null` restores the default.
 * @example
 * ```ts
 * setSplitCallerWeight(0); // the workers take every part
 * ```
 * @internal
 */
// Stryker disable next-line BlockStatement: two implementations of one result (split points: each part starts where the previous one ends and the last ends at n, so any split gives the same bits)
export function setSplitCallerWeight(w: number | null): void {
  // Stryker disable next-line LogicalOperator: two implementations of one result (split points: each part starts where the previous one ends and the last ends at n, so any split gives the same bits)
  callerWeight = w ?? SPLIT_CALLER_WEIGHT;
}

/**
 * Whether the streaming kernels are available (WebAssembly SIMD compiled).
 * @example
 * ```ts
 * if (streamAvailable()) console.log('wasm SIMD elementwise kernels on');
 * ```
 * @internal
 */
export function streamAvailable(): boolean {
  // Stryker disable next-line ConditionalExpression: unreachable in Node, which has WebAssembly SIMD
  return streamInstance() !== null;
}

/**
 * out[outOff + i] = op(a[aOff + i]) for i in [0, n) through the wasm kernel `op`; returns false
 * (doing nothing) when the kernels are unavailable. `out` and `a` may alias exactly. With `split`,
 * the call is divided between the calling thread and the worker pool when the runtime has one
 * (same bits either way).
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * streamUnary('exp', out, new Float32Array([0, 1]), 2, 0, 0); // out = [1, 2.7182817]
 * ```
 * @internal
 */
export function streamUnary(
  op: StreamUnary,
  out: Float32Array,
  a: Float32Array,
  n: number,
  aOff: number,
  outOff: number,
  // Stryker disable next-line BooleanLiteral: two implementations of one result (split or not, the same bits by design)
  split = false,
): boolean {
  const s = streamInstance();
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable in Node, which has WebAssembly SIMD
  if (s === null) return false;
  // Stryker disable next-line ConditionalExpression: two implementations of one result (split or not, the same bits by design)
  if (split && splitUnary(op, s, out, a, n, aOff, outOff)) return true;
  unaryChunks(s.f32, s.fns[op]!, out, a, n, aOff, outOff);
  return true;
}

/** The chunked loop of {@link streamUnary} on the calling thread's private module. */
function unaryChunks(M: Float32Array, fn: Fn, out: Float32Array, a: Float32Array, n: number, aOff: number, outOff: number): void {
  const A = place(0, a, aOff);
  const O = place(A + REGION, out, outOff);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a last chunk of length 0 copies and computes nothing)
  for (let off = 0; off < n; off += CHUNK) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (n − off = CHUNK gives len = CHUNK either way)
    const len = n - off < CHUNK ? n - off : CHUNK;
    M.set(a.subarray(aOff + off, aOff + off + len), A >> 2);
    fn(A, O, ((len + 3) & ~3) * 4);
    out.set(M.subarray(O >> 2, (O >> 2) + len), outOff + off);
  }
}

/**
 * The first byte address ≥ `cursor` that is `shift` bytes past `addr` modulo 4 KiB. The workers'
 * input regions sit a quarter page past the JS input, their output regions three quarters past
 * the JS output: no 4K aliasing in the copies, nor between the kernel's loads and stores when
 * input and output arrays have the same alignment (assuming large JS array buffers are
 * page-aligned, like the scratch regions above). `shift` is a multiple of 64, so a region and its
 * JS array are also aligned alike within a cache line: copies between addresses 12 bytes apart
 * modulo 16 ran several times slower (docs/performance.md).
 */
function offPage(cursor: number, addr: number, shift: number): number {
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (any place in the page after `cursor` keeps the regions apart; the shift only avoids 4K aliasing, a matter of speed)
  return cursor + (((addr & 4095) + shift - (cursor & 4095)) & 4095);
}

/**
 * Splits `out = op(a)` over the calling thread and the GEMM pool's idle workers: the workers'
 * parts (the tail of the range) are copied into the shared memory and posted one by one, the
 * caller streams its part (the head) through its private module as for an unsplit call, then
 * runs itself any chunk no worker has claimed yet, waits for the chunks in progress, and copies
 * the workers' outputs out. Returns false (doing nothing) when there is no threaded GEMM instance
 * or no idle worker. The GEMM instance's stream policy may keep the call on the calling thread
 * (timed, like a product kept on one thread). Each part goes through the same kernel code, so
 * the result is bit-identical to the unsplit call.
 */
function splitUnary(
  op: StreamUnary,
  s: StreamInstance,
  out: Float32Array,
  a: Float32Array,
  n: number,
  aOff: number,
  outOff: number,
): boolean {
  const g = threadedGemm();
  if (g === null) return false;
  const t0 = performance.now();
  if (g.adaptiveThreads && !g.streamPolicy.shouldSplit()) {
    unaryChunks(s.f32, s.fns[op]!, out, a, n, aOff, outOff);
    g.streamPolicy.recordSingle((performance.now() - t0) / n);
    return true;
  }
  const pool = g.sharedStream(CTRL_BYTES)?.pool;
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (the pool reserves at most its threads − 1 workers)
  const h = pool === undefined ? 0 : pool.reserve(g.threads - 1);
  if (h === 0) return false;
  // Parts start at whole cache lines of `a` (16 elements), so the shared regions are 16-aligned
  // too when `a`'s elements are.
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (split points: each part starts where the previous one ends and the last ends at n, so any split gives the same bits)
  const cut = (x: number): number => Math.min(n, Math.max(0, Math.round((aOff + x) / 16) * 16 - aOff));
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (split points: each part starts where the previous one ends and the last ends at n, so any split gives the same bits)
  const nc = cut((n * callerWeight) / (callerWeight + h));
  // parts[4w..4w+3] = [start, length, src byte address, dst byte address] of worker w.
  const parts: number[] = [];
  let cursor = CTRL_BYTES;
  // Stryker disable next-line EqualityOperator: loop bound one past the end (an extra empty part [n, n) that is never posted)
  for (let w = 0, start = nc; w < h; w++) {
    // Stryker disable next-line ArithmeticOperator,ConditionalExpression: two implementations of one result (split points: each part starts where the previous one ends and the last ends at n, so any split gives the same bits; every part ending at n leaves the first worker all of them, the others empty and not posted; the `false` side is killed)
    const end = w === h - 1 ? n : cut(nc + ((n - nc) * (w + 1)) / h);
    // Stryker disable next-line ArithmeticOperator: two implementations of one result (a region longer than its part, `end + start`, only takes memory)
    const regionLen = end - start;
    const bytes = ((regionLen + 3) & ~3) * 4;
    // Stryker disable next-line ArithmeticOperator: two implementations of one result (any place in the page after `cursor` keeps the regions apart; the shift only avoids 4K aliasing, a matter of speed)
    const src = offPage(cursor, a.byteOffset + (aOff + start) * 4, 1024);
    // Stryker disable next-line ArithmeticOperator: two implementations of one result (any place in the page after `cursor` keeps the regions apart; the shift only avoids 4K aliasing, a matter of speed)
    const dst = offPage(src + bytes, out.byteOffset + (outOff + start) * 4, 3072);
    parts.push(start, end - start, src, dst);
    cursor = dst + bytes;
    start = end;
  }
  const sh = g.sharedStream(cursor);
  if (sh === null) return false;
  const M = sh.f32;
  const k = SHARED_STREAM_KERNELS.indexOf(op);
  // The parts that are not empty, each posted to the next reserved worker.
  const posted: number[] = [];
  for (let w = 0; w < h; w++) {
    const start = parts[4 * w]!,
      len = parts[4 * w + 1]!,
      src = parts[4 * w + 2]!;
    // Stryker disable next-line ConditionalExpression: two implementations of one result (an empty part posted: the worker computes nothing)
    if (len === 0) continue;
    M.set(a.subarray(aOff + start, aOff + start + len), src >> 2);
    sh.pool.postCall(posted.length, k, src, parts[4 * w + 3]!, ((len + 3) & ~3) * 4, SPLIT_CHUNK_BYTES);
    posted.push(w);
  }
  try {
    unaryChunks(s.f32, s.fns[op]!, out, a, nc, aOff, outOff);
  } finally {
    sh.pool.finishCalls(posted.length, sh.fns);
  }
  for (const w of posted) {
    const start = parts[4 * w]!,
      len = parts[4 * w + 1]!,
      dst = parts[4 * w + 3]!;
    out.set(M.subarray(dst >> 2, (dst >> 2) + len), outOff + start);
  }
  if (posted.length > 0) {
    const r = sh.pool.lastJob;
    g.streamPolicy.record({ units: r.units, workerUnits: r.workerUnits, parts: posted.length + 1, cost: (performance.now() - t0) / n });
  }
  return true;
}

/**
 * out[outOff + i] = a[aOff + i] op b[bOff + i] for i in [0, n) through the wasm kernel; returns
 * false when the kernels are unavailable. Bit-identical to the float64 JS loop rounded to float32.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * streamBinary('add', out, new Float32Array([1, 2]), 0, new Float32Array([3, 4]), 0, 2, 0); // [4, 6]
 * ```
 * @internal
 */
export function streamBinary(
  op: StreamBinary,
  out: Float32Array,
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  n: number,
  outOff: number,
): boolean {
  const s = streamInstance();
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable in Node, which has WebAssembly SIMD
  if (s === null) return false;
  const M = s.f32;
  const fn = s.fns[op]!;
  const A = place(0, a, aOff);
  const B = place(A + REGION, b, bOff);
  const O = place(B + REGION, out, outOff);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a last chunk of length 0 copies and computes nothing)
  for (let off = 0; off < n; off += CHUNK) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (n − off = CHUNK gives len = CHUNK either way)
    const len = n - off < CHUNK ? n - off : CHUNK;
    M.set(a.subarray(aOff + off, aOff + off + len), A >> 2);
    M.set(b.subarray(bOff + off, bOff + off + len), B >> 2);
    fn(A, B, O, ((len + 3) & ~3) * 4);
    out.set(M.subarray(O >> 2, (O >> 2) + len), outOff + off);
  }
  return true;
}

/**
 * out[outOff + i] = a[aOff + i] op s (or s op a[aOff + i] when `scalarFirst`) for i in [0, n),
 * with `s` a float32 value; returns false when the kernels are unavailable.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * streamScalar('sub', out, new Float32Array([1, 2]), 0, 0.5, true, 2, 0); // 0.5 - x: [-0.5, -1.5]
 * ```
 * @internal
 */
export function streamScalar(
  op: StreamBinary,
  out: Float32Array,
  a: Float32Array,
  aOff: number,
  s: number,
  scalarFirst: boolean,
  n: number,
  outOff: number,
): boolean {
  const st = streamInstance();
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable in Node, which has WebAssembly SIMD
  if (st === null) return false;
  const M = st.f32;
  const fn = st.fns[scalarFirst && (op === 'sub' || op === 'div') ? `r${op}_s` : `${op}_s`]!;
  const A = place(0, a, aOff);
  const O = place(A + REGION, out, outOff);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a last chunk of length 0 copies and computes nothing)
  for (let off = 0; off < n; off += CHUNK) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (n − off = CHUNK gives len = CHUNK either way)
    const len = n - off < CHUNK ? n - off : CHUNK;
    M.set(a.subarray(aOff + off, aOff + off + len), A >> 2);
    fn(A, s, O, ((len + 3) & ~3) * 4);
    out.set(M.subarray(O >> 2, (O >> 2) + len), outOff + off);
  }
  return true;
}
