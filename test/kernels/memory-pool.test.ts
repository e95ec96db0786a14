/**
 * The caching allocator (kernels/memory/pool.ts): what it hands out again, what it refuses, and
 * that a zero-filled allocation is zeros even when the memory is reused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  allocateFloat,
  bornAfter,
  poolSerial,
  poolStats,
  POOL_MIN_BYTES,
  releaseFloat,
  setPoolLimit,
} from '../../src/kernels/memory/pool.js';

/** Elements of a float32 buffer above the pooling threshold (with a size no other test uses). */
const N = POOL_MIN_BYTES / 4 + 12_345;

afterEach(() => setPoolLimit(null));

describe('buffer pool', () => {
  it('hands a released buffer out again, for either dtype of the same byte size', () => {
    const a = allocateFloat('float32', 2 * N, false);
    expect(releaseFloat(a)).toBe(true);
    const b = allocateFloat('float64', N, false);
    expect(b.buffer).toBe(a.buffer);
    expect(b).toBeInstanceOf(Float64Array);
    expect(b.length).toBe(N);
  });

  it('zero-fills a reused buffer when asked', () => {
    const a = allocateFloat('float32', N, false);
    a.fill(7);
    releaseFloat(a);
    const b = allocateFloat('float32', N, true);
    expect(b.buffer).toBe(a.buffer);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('refuses arrays it did not hand out, views of part of a buffer, and a second release', () => {
    expect(releaseFloat(new Float32Array(N))).toBe(false);
    const a = allocateFloat('float32', N, false);
    expect(releaseFloat(a.subarray(1))).toBe(false);
    expect(releaseFloat(a.subarray(0, N - 1))).toBe(false);
    expect(releaseFloat(a)).toBe(true);
    expect(releaseFloat(a)).toBe(false);
    // Released once, handed out once: the next allocation of that size is fresh.
    const b = allocateFloat('float32', N, false);
    const c = allocateFloat('float32', N, false);
    expect(b.buffer).toBe(a.buffer);
    expect(c.buffer).not.toBe(a.buffer);
  });

  it('keeps nothing past its limit, and nothing at limit 0', () => {
    const bytes = N * 4;
    setPoolLimit(bytes);
    const a = allocateFloat('float32', N, false);
    const b = allocateFloat('float32', N, false);
    expect(releaseFloat(a)).toBe(true);
    expect(releaseFloat(b)).toBe(false);
    expect(poolStats().freeBytes).toBeLessThanOrEqual(bytes);
    setPoolLimit(0);
    expect(poolStats().freeBytes).toBe(0);
    const c = allocateFloat('float32', N, false);
    expect(c.buffer).not.toBe(a.buffer);
    expect(releaseFloat(c)).toBe(false);
  });

  it('does not pool small arrays', () => {
    const small = allocateFloat('float32', 16, false);
    expect(small.every((v) => v === 0)).toBe(true);
    expect(releaseFloat(small)).toBe(false);
  });

  it('tells buffers handed out after a point from older ones and from free ones', () => {
    const old = allocateFloat('float32', N, false);
    const start = poolSerial();
    const fresh = allocateFloat('float32', N, false);
    expect(bornAfter(old, start)).toBe(false);
    expect(bornAfter(fresh, start)).toBe(true);
    releaseFloat(fresh);
    expect(bornAfter(fresh, start)).toBe(false);
    expect(bornAfter(new Float32Array(N), start)).toBe(false);
    // The same memory handed out again after a new point counts as new there.
    const again = poolSerial();
    const reused = allocateFloat('float32', N, false);
    expect(reused.buffer).toBe(fresh.buffer);
    expect(bornAfter(reused, again)).toBe(true);
  });
});
