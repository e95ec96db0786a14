/**
 * A caching allocator for large float buffers: memory the library knows is dead is kept and handed
 * out again instead of being left to the garbage collector.
 *
 * Why: a fresh multi-megabyte typed array comes from the C allocator, which takes it from the OS
 * (mmap) and gives it back on free (munmap), so every first write to each 4 KiB page of a new
 * output takes a page fault. For a 4 MiB output (2²⁰ float32) that costs more than the kernel
 * itself (docs/performance.md, "Storage and memory reuse"). A buffer handed out again has its
 * pages mapped already.
 *
 * What: {@link allocateFloat} hands out a typed array backed by a whole ArrayBuffer of its own
 * (never a view into a shared slab, so no other object can reach the memory through the buffer),
 * from the free list of that byte size when one is there. {@link releaseFloat} puts one back; it
 * accepts only buffers this pool handed out, whole, once, and while the free bytes stay under the
 * limit ({@link setPoolLimit}); anything else is left to the garbage collector. The pool never
 * decides by itself that a buffer is dead: its callers do, under the ownership rule written in
 * docs/performance.md. Below {@link POOL_MIN_BYTES} nothing is pooled (V8's own young-generation
 * allocation is cheaper there).
 *
 * Every hand-out gets a serial number ({@link poolSerial}, {@link bornAfter}), so a caller can
 * tell whether a buffer was handed out after a point in time (the engine: during this backward).
 * @module
 */
import type { FloatArray } from '../typed-array.js';

/** The float element types the pool serves. @internal */
export type PoolDType = 'float32' | 'float64';

/** Buffers smaller than this many bytes are never pooled. @internal */
export const POOL_MIN_BYTES = 1 << 16;

/** Default cap on the bytes the free lists hold. @internal */
export const POOL_DEFAULT_LIMIT = 64 << 20;

/** Node's uninitialized allocation (outside Node, a zero-filled array of its own). */
const unsafeAlloc =
  (globalThis as { Buffer?: { allocUnsafeSlow(this: void, n: number): Uint8Array } }).Buffer?.allocUnsafeSlow ??
  // Stryker disable next-line ArrowFunction: unreachable in Node (the fallback where Buffer is missing)
  ((n: number): Uint8Array => new Uint8Array(n));

/** Free buffers by byte length, most recently released last. */
const free = new Map<number, ArrayBuffer[]>();
/** Buffers currently on a free list (a second release of one is refused). */
const onFreeList = new WeakSet<ArrayBuffer>();
/** The serial of the latest hand-out of each buffer this pool made. */
const born = new WeakMap<ArrayBuffer, number>();

let serial = 0;
let freeBytes = 0;
let limit = POOL_DEFAULT_LIMIT;
let poison = false;
const counters = { allocations: 0, reused: 0, released: 0, refused: 0 };

function view(dtype: PoolDType, buffer: ArrayBuffer, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(buffer, 0, n) : new Float64Array(buffer, 0, n);
}

/**
 * A typed array of `n` elements of `dtype` that owns its whole ArrayBuffer. `zeroed` false leaves
 * the contents unspecified (a reused buffer keeps old values; a fresh one from Node's
 * `allocUnsafeSlow` is uninitialized): only for a kernel that writes every element before anyone
 * reads one. Small sizes are plain fresh arrays (zero-filled).
 * @example
 * ```ts
 * const a = allocateFloat('float32', 1 << 20, true); // 4 MiB of zeros, maybe a reused buffer
 * ```
 * @internal
 */
export function allocateFloat(dtype: PoolDType, n: number, zeroed: boolean): FloatArray {
  const bytes = n * (dtype === 'float32' ? 4 : 8);
  if (bytes < POOL_MIN_BYTES) return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  counters.allocations++;
  const list = free.get(bytes);
  let buffer = list?.pop();
  if (buffer !== undefined) {
    onFreeList.delete(buffer);
    freeBytes -= bytes;
    counters.reused++;
    born.set(buffer, ++serial);
    const out = view(dtype, buffer, n);
    if (zeroed) out.fill(0);
    return out;
  }
  // Stryker disable next-line ConditionalExpression: two implementations of one result (`true`: a zero-filled buffer where an unfilled one was asked for)
  if (zeroed) {
    buffer = new ArrayBuffer(bytes);
  } else {
    // allocUnsafeSlow never slices a shared pool: the Uint8Array spans its own buffer.
    buffer = unsafeAlloc(bytes).buffer as ArrayBuffer;
  }
  born.set(buffer, ++serial);
  return view(dtype, buffer, n);
}

/**
 * Gives `array`'s memory back for reuse. The caller promises that nothing reachable by anyone
 * (user code, a tensor, a view, a hook, a saved tensor) reads or writes the buffer any more.
 * Returns false, keeping nothing, for an array the pool did not hand out, a view of part of a
 * buffer, a buffer already released, or when the free lists are at their limit.
 * @example
 * ```ts
 * const tmp = allocateFloat('float32', 1 << 20, false);
 * // ... use tmp, drop every reference to it ...
 * releaseFloat(tmp); // the next allocateFloat of 4 MiB gets this buffer back
 * ```
 * @internal
 */
export function releaseFloat(array: FloatArray): boolean {
  // byteLength first: `.buffer` of a small on-heap typed array would move it off-heap.
  // Stryker disable next-line ConditionalExpression,BlockStatement: two implementations of one result (`false`: a small array fails the born check below too; this test only avoids moving it off-heap)
  if (array.byteLength < POOL_MIN_BYTES) {
    counters.refused++;
    return false;
  }
  const buffer = array.buffer as ArrayBuffer;
  const bytes = buffer.byteLength;
  // (A view at a byte offset is shorter than its buffer: the length check refuses it.)
  if (!born.has(buffer) || onFreeList.has(buffer) || array.byteLength !== bytes || freeBytes + bytes > limit) {
    counters.refused++;
    return false;
  }
  let list = free.get(bytes);
  if (list === undefined) free.set(bytes, (list = []));
  if (poison) new Uint8Array(buffer).fill(0xff); // all-ones bytes read as NaN in float32 and float64
  list.push(buffer);
  onFreeList.add(buffer);
  freeBytes += bytes;
  counters.released++;
  return true;
}

/**
 * The serial number of the latest hand-out so far (see {@link bornAfter}).
 * @example
 * ```ts
 * const start = poolSerial();
 * const a = allocateFloat('float32', 1 << 20, false);
 * bornAfter(a, start); // true
 * ```
 * @internal
 */
export function poolSerial(): number {
  return serial;
}

/**
 * True when `array`'s buffer was handed out by this pool after serial `start` (and is not on a
 * free list now): memory that did not exist, for anyone, at that point.
 * @example
 * ```ts
 * bornAfter(new Float32Array(1 << 20), 0); // false: not from the pool
 * ```
 * @internal
 */
export function bornAfter(array: FloatArray, start: number): boolean {
  // Stryker disable next-line ConditionalExpression: two implementations of one result (`false`: a small array is never in `born` either; this test only avoids moving it off-heap)
  if (array.byteLength < POOL_MIN_BYTES) return false;
  const s = born.get(array.buffer as ArrayBuffer) ?? -Infinity;
  return s > start && !onFreeList.has(array.buffer as ArrayBuffer);
}

/**
 * Sets the cap on the bytes kept on the free lists (0 turns reuse off) and drops what is over it;
 * `null` restores {@link POOL_DEFAULT_LIMIT}. For tests and tuning.
 * @example
 * ```ts
 * setPoolLimit(0);    // every release is refused: buffers go to the garbage collector
 * setPoolLimit(null); // the default again
 * ```
 * @internal
 */
export function setPoolLimit(bytes: number | null): void {
  limit = bytes === null ? POOL_DEFAULT_LIMIT : Math.max(0, bytes);
  for (const [size, list] of free) {
    while (freeBytes > limit && list.length > 0) {
      onFreeList.delete(list.shift()!);
      freeBytes -= size;
    }
    // Stryker disable next-line ConditionalExpression: two implementations of one result (`false`: an empty free list kept in the map hands out nothing, like a missing one)
    if (list.length === 0) free.delete(size);
  }
}

/**
 * Test switch: with `true`, every accepted release overwrites the buffer with NaN at once, so a
 * tensor that still uses released memory reads NaN whatever is allocated next.
 * @example
 * ```ts
 * setPoolPoison(true);
 * ```
 * @internal
 */
export function setPoolPoison(on: boolean): void {
  poison = on;
}

/**
 * What the pool did so far: large allocations, how many of them reused a buffer, releases
 * accepted and refused, and the bytes on the free lists now. For tests and measurements.
 * @example
 * ```ts
 * const { reused, allocations } = poolStats();
 * ```
 * @internal
 */
export function poolStats(): { allocations: number; reused: number; released: number; refused: number; freeBytes: number } {
  return { ...counters, freeBytes };
}
