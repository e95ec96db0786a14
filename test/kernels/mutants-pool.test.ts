/**
 * The buffer pool's bookkeeping (kernels/memory/pool.ts), checked where a slip would hand out
 * memory twice, lose released buffers, or pool what it should not: the size threshold exactly,
 * several buffers of one size, trimming to a limit over several sizes, the counters, and the
 * contents of an unfilled reuse (old values, NaN when poisoned).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  allocateFloat,
  bornAfter,
  poolSerial,
  poolStats,
  POOL_MIN_BYTES,
  releaseFloat,
  setPoolLimit,
  setPoolPoison,
} from '../../src/kernels/memory/pool.js';

/** Float32 elements of buffers of sizes no other test in this file uses. */
const S = POOL_MIN_BYTES / 4 + 4_321;

beforeEach(() => {
  // An empty pool: what other tests released is dropped.
  setPoolLimit(0);
  setPoolLimit(null);
});
afterEach(() => {
  setPoolLimit(null);
  setPoolPoison(false);
});

describe('the size threshold', () => {
  it('pools a buffer of exactly POOL_MIN_BYTES, not one a float smaller', () => {
    const exact = allocateFloat('float32', POOL_MIN_BYTES / 4, false);
    expect(exact.byteLength).toBe(POOL_MIN_BYTES);
    const start = poolSerial();
    const again = allocateFloat('float32', POOL_MIN_BYTES / 4, false);
    expect(bornAfter(again, start)).toBe(true);
    expect(releaseFloat(exact)).toBe(true);
    expect(allocateFloat('float64', POOL_MIN_BYTES / 8, true).buffer).toBe(exact.buffer);
    const below = allocateFloat('float32', POOL_MIN_BYTES / 4 - 1, false);
    expect(releaseFloat(below)).toBe(false);
    expect(bornAfter(below, start)).toBe(false);
    expect(bornAfter(new Float32Array(4), -1)).toBe(false);
  });
});

describe('several buffers of one size', () => {
  it('keeps every released buffer: two released, two handed out again, the third is fresh', () => {
    const a = allocateFloat('float32', S, false);
    const b = allocateFloat('float32', S, false);
    expect(releaseFloat(a)).toBe(true);
    expect(releaseFloat(b)).toBe(true);
    expect(poolStats().freeBytes).toBe(2 * S * 4);
    const x = allocateFloat('float32', S, false);
    const y = allocateFloat('float32', S, false);
    expect(new Set([x.buffer, y.buffer])).toEqual(new Set([a.buffer, b.buffer]));
    expect(poolStats().freeBytes).toBe(0);
    const z = allocateFloat('float32', S, false);
    expect(z.buffer).not.toBe(a.buffer);
    expect(z.buffer).not.toBe(b.buffer);
  });

  it('an unfilled reuse keeps the old values; a zero-filled one is zeros; a poisoned release reads NaN', () => {
    const a = allocateFloat('float32', S, false);
    a.fill(3);
    releaseFloat(a);
    const kept = allocateFloat('float32', S, false);
    expect(kept.buffer).toBe(a.buffer);
    expect(kept[0]).toBe(3);
    expect(kept[S - 1]).toBe(3);
    releaseFloat(kept);
    const zeroed = allocateFloat('float32', S, true);
    expect(zeroed.buffer).toBe(a.buffer);
    expect(zeroed.every((v) => v === 0)).toBe(true);
    zeroed.fill(5);
    setPoolPoison(true);
    releaseFloat(zeroed);
    const poisoned = allocateFloat('float32', S, false);
    expect(poisoned.buffer).toBe(a.buffer);
    expect(Number.isNaN(poisoned[0]!)).toBe(true);
    expect(Number.isNaN(poisoned[S - 1]!)).toBe(true);
  });
});

describe('setPoolLimit', () => {
  it('drops exactly what is over the limit, and keeps the rest usable', () => {
    const a = allocateFloat('float32', S, false);
    const b = allocateFloat('float32', S, false);
    releaseFloat(a);
    releaseFloat(b);
    setPoolLimit(S * 4);
    expect(poolStats().freeBytes).toBe(S * 4);
    const kept = allocateFloat('float32', S, false);
    expect([a.buffer, b.buffer]).toContain(kept.buffer);
    expect(poolStats().freeBytes).toBe(0);
  });

  it('a limit over what is kept changes nothing: the free buffers are still handed out', () => {
    const a = allocateFloat('float32', S, false);
    releaseFloat(a);
    setPoolLimit(1 << 30);
    expect(poolStats().freeBytes).toBe(S * 4);
    expect(allocateFloat('float32', S, false).buffer).toBe(a.buffer);
  });

  it('trims free lists of several sizes to zero: no free bytes left, nothing handed out again', () => {
    const small = allocateFloat('float32', S, false);
    const large = allocateFloat('float32', 2 * S, false);
    const larger = allocateFloat('float32', 3 * S, false);
    releaseFloat(small);
    releaseFloat(large);
    releaseFloat(larger);
    expect(poolStats().freeBytes).toBe(6 * S * 4);
    setPoolLimit(0);
    expect(poolStats().freeBytes).toBe(0);
    setPoolLimit(null);
    expect(allocateFloat('float32', S, false).buffer).not.toBe(small.buffer);
    expect(allocateFloat('float32', 2 * S, false).buffer).not.toBe(large.buffer);
    expect(allocateFloat('float32', 3 * S, false).buffer).not.toBe(larger.buffer);
  });

  it('trims the first size, then only as much of the next as needed', () => {
    const a = allocateFloat('float32', S, false);
    const b = allocateFloat('float32', 2 * S, false);
    const c = allocateFloat('float32', 2 * S, false);
    releaseFloat(a);
    releaseFloat(b);
    releaseFloat(c);
    setPoolLimit(2 * S * 4);
    expect(poolStats().freeBytes).toBe(2 * S * 4);
    const reused = allocateFloat('float32', 2 * S, false);
    expect([b.buffer, c.buffer]).toContain(reused.buffer);
    expect(allocateFloat('float32', S, false).buffer).not.toBe(a.buffer);
  });
});

describe('the counters', () => {
  it('count large allocations, reuses, accepted and refused releases', () => {
    const s0 = poolStats();
    const a = allocateFloat('float32', S, false);
    allocateFloat('float32', 16, false); // small: not counted
    expect(releaseFloat(a)).toBe(true);
    expect(releaseFloat(a)).toBe(false); // second release
    expect(releaseFloat(new Float32Array(16))).toBe(false); // small
    allocateFloat('float32', S, false); // reuses a
    const s1 = poolStats();
    expect(s1.allocations - s0.allocations).toBe(2);
    expect(s1.reused - s0.reused).toBe(1);
    expect(s1.released - s0.released).toBe(1);
    expect(s1.refused - s0.refused).toBe(2);
  });
});
