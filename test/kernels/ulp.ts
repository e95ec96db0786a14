/**
 * Float32 ulp distance, shared by the kernel accuracy tests.
 */

const bits = new Float32Array(1);
const bitsU = new Uint32Array(bits.buffer);

/** A float32's position on the number line in ulps: consecutive floats differ by 1, ±0 are both 0. */
function ordinal(x: number): number {
  bits[0] = x;
  const b = bitsU[0]!;
  return b >= 0x80000000 ? -(b & 0x7fffffff) : b;
}

/** Distance in float32 ulps between two float32 values (NaN vs NaN is 0, NaN vs a number is Infinity). */
export function ulps(a: number, b: number): number {
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : Infinity;
  return Math.abs(ordinal(a) - ordinal(b));
}
