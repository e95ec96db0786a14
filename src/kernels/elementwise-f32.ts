/**
 * Whole-array float32 kernels for cheap elementwise ops whose template form is slowed by branches.
 *
 * ReLU: `Math.max(a, 0)` (and `a > 0 ? a : 0`) compile to compare-and-branch in V8; on data of
 * random sign the branch mispredicts half the time and the loop runs several times slower than a
 * copy. The
 * kernel here works on the IEEE bits through Int32Array views of the same buffers, without
 * branches: a negative sign bit clears the word to +0, except for NaN (the exponent all ones and a
 * nonzero mantissa), which passes unchanged, as `Math.max(NaN, 0)` and PyTorch's relu give it.
 * From 64 elements on, the WebAssembly SIMD kernel (`x & ~(x ≤ 0)`, same results bit for bit) runs
 * instead, several times faster (figures in docs/performance.md).
 * @module
 */
import { streamUnary } from './wasm/stream.js';

/** Array length from which reluF32 uses the wasm kernel: past the measured crossover, where the wasm call's fixed cost is repaid. */
const STREAM_MIN_RELU = 64;

/**
 * out[outOff + i] = max(a[aOff + i], 0) for i in [0, n), with relu(-0) = +0, relu(-Inf) = 0 and
 * NaN (of either sign bit) kept. `out` and `a` may alias exactly.
 * @example
 * ```ts
 * const out = new Float32Array(3);
 * reluF32(out, new Float32Array([-2, 0.5, NaN]), 3); // out = [0, 0.5, NaN]
 * ```
 */
export function reluF32(out: Float32Array, a: Float32Array, n: number, aOff = 0, outOff = 0): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the WebAssembly stream kernel and the JS loop are bit-identical by design (test/kernels/stream.test.ts): which one runs at or below the threshold is a performance choice
  if (n >= STREAM_MIN_RELU && streamUnary('relu', out, a, n, aOff, outOff)) return;
  const ab = new Int32Array(a.buffer, a.byteOffset, a.length);
  const ob = new Int32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < n; i++) {
    const b = ab[aOff + i]!;
    // All ones when b is a NaN: |b| as bits above the bits of Infinity.
    const nan = (0x7f800000 - (b & 0x7fffffff)) >> 31;
    ob[outOff + i] = b & ~((b >> 31) & ~nan);
  }
}
