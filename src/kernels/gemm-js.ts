/**
 * Plain-JavaScript GEMM: the reference kernel and the fallback of {@link gemm}.
 *
 * Cache-blocked (KC × NC panels of op(B), MC × KC blocks of op(A)), with both operands
 * packed into Float64Array panels (MR rows of op(A) / NR columns of op(B) interleaved per k),
 * so that the four (transA, transB) combinations run the same 4×4 register-tiled inner loop
 * at the same speed. Accumulation is in double precision for both element types.
 *
 * @module
 */
import type { FloatArray } from './typed-array.js';

/** Width of a packed panel (4, as the unrolled copy in packPanels): MR rows of op(A), NR columns of op(B). */
const PANEL = 4;
const MR = PANEL;
const NR = PANEL;
const KC = 256;
const MC = 96;
const NC = 2048;

const packedA = new Float64Array(MC * KC);
// Stryker disable next-line ArithmeticOperator: only the initial size of the packed op(B) buffer, which grows to what each product needs
let packedB = new Float64Array(KC * 64);

/**
 * Packs `count` lines of `kc` elements, element p of line l being `src[base + l*ls + p*ps]`, into
 * `dst` as ceil(count/PANEL) panels, each kc × PANEL (line l of the panel at offset p*PANEL + l),
 * zero-padding the last panel. The rows of an mc × kc block of op(A) and the columns of a kc × nc
 * block of op(B) are both packed this way.
 */
function packPanels(dst: Float64Array, src: FloatArray, base: number, ls: number, ps: number, count: number, kc: number): void {
  let d = 0;
  // Stryker disable next-line EqualityOperator: loop bound one past the end: l0 = count (a multiple of PANEL) packs an empty panel of zeros after the packed ones, which no tile reads
  for (let l0 = 0; l0 < count; l0 += PANEL) {
    // Stryker disable next-line ArithmeticOperator: lines too large only fills the zero padding of the last panel with other values, which reach only the accumulators of rows or columns past the edge, never stored
    const lines = count - l0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result: the unrolled and the general copy pack the same panel, but for the padding of a partial last panel, which reaches only accumulators that are never stored
    if (lines >= PANEL) {
      const s0 = base + l0 * ls;
      const s1 = s0 + ls;
      const s2 = s1 + ls;
      const s3 = s2 + ls;
      for (let p = 0, o = 0; p < kc; p++, o += ps) {
        dst[d] = src[s0 + o]!;
        dst[d + 1] = src[s1 + o]!;
        dst[d + 2] = src[s2 + o]!;
        dst[d + 3] = src[s3 + o]!;
        d += PANEL;
      }
    } else {
      // Stryker disable next-line EqualityOperator: loop bound one past the end: the general copy only packs the last panel, so one more row lands after the packed data (or past the buffer), never read
      for (let p = 0; p < kc; p++) {
        // Stryker disable next-line EqualityOperator,ConditionalExpression: l <= PANEL writes an element that the next row overwrites (or past the panel); l <= lines and true fill the padding with other values, which reach only accumulators that are never stored
        for (let l = 0; l < PANEL; l++) dst[d + l] = l < lines ? src[base + (l0 + l) * ls + p * ps]! : 0;
        d += PANEL;
      }
    }
  }
}

/**
 * Multiplies the packed mc × kc block of op(A) by the packed kc × nc block of op(B) into C
 * (row stride ldc, starting at c0), adding to C when `beta` is true and overwriting it otherwise.
 */
function macroKernel(mc: number, nc: number, kc: number, c: FloatArray, c0: number, ldc: number, beta: boolean): void {
  const pa = packedA;
  const pb = packedB;
  // Stryker disable next-line EqualityOperator: loop bound one past the end: j0 = nc gives a tile of cols = 0, which stores nothing
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const bBase = j0 * kc;
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result: at nc - j0 = NR both branches give NR
    const cols = nc - j0 < NR ? nc - j0 : NR;
    // Stryker disable next-line EqualityOperator: loop bound one past the end: i0 = mc gives a tile of rows = 0, which stores nothing
    for (let i0 = 0; i0 < mc; i0 += MR) {
      let ia = i0 * kc;
      let ib = bBase;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      const end = ia + kc * MR;
      while (ia < end) {
        const a0 = pa[ia]!,
          a1 = pa[ia + 1]!,
          a2 = pa[ia + 2]!,
          a3 = pa[ia + 3]!;
        const b0 = pb[ib]!,
          b1 = pb[ib + 1]!,
          b2 = pb[ib + 2]!,
          b3 = pb[ib + 3]!;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
        ia += MR;
        ib += NR;
      }
      // Stryker disable next-line EqualityOperator: a tie that cannot change the result: at mc - i0 = MR both branches give MR
      const rows = mc - i0 < MR ? mc - i0 : MR;
      let ci = c0 + i0 * ldc + j0;
      // Stryker disable next-line ConditionalExpression: two implementations of one result: false stores a full tile through the general edge loop (same values)
      if (rows === MR && cols === NR) {
        if (beta) {
          c[ci]! += c00;
          c[ci + 1]! += c01;
          c[ci + 2]! += c02;
          c[ci + 3]! += c03;
          ci += ldc;
          c[ci]! += c10;
          c[ci + 1]! += c11;
          c[ci + 2]! += c12;
          c[ci + 3]! += c13;
          ci += ldc;
          c[ci]! += c20;
          c[ci + 1]! += c21;
          c[ci + 2]! += c22;
          c[ci + 3]! += c23;
          ci += ldc;
          c[ci]! += c30;
          c[ci + 1]! += c31;
          c[ci + 2]! += c32;
          c[ci + 3]! += c33;
        } else {
          c[ci] = c00;
          c[ci + 1] = c01;
          c[ci + 2] = c02;
          c[ci + 3] = c03;
          ci += ldc;
          c[ci] = c10;
          c[ci + 1] = c11;
          c[ci + 2] = c12;
          c[ci + 3] = c13;
          ci += ldc;
          c[ci] = c20;
          c[ci + 1] = c21;
          c[ci + 2] = c22;
          c[ci + 3] = c23;
          ci += ldc;
          c[ci] = c30;
          c[ci + 1] = c31;
          c[ci + 2] = c32;
          c[ci + 3] = c33;
        }
      } else {
        edge[0] = c00;
        edge[1] = c01;
        edge[2] = c02;
        edge[3] = c03;
        edge[4] = c10;
        edge[5] = c11;
        edge[6] = c12;
        edge[7] = c13;
        edge[8] = c20;
        edge[9] = c21;
        edge[10] = c22;
        edge[11] = c23;
        edge[12] = c30;
        edge[13] = c31;
        edge[14] = c32;
        edge[15] = c33;
        for (let r = 0; r < rows; r++, ci += ldc) {
          for (let j = 0; j < cols; j++) c[ci + j] = beta ? c[ci + j]! + edge[r * NR + j]! : edge[r * NR + j]!;
        }
      }
    }
  }
}

const edge = new Float64Array(MR * NR);

/**
 * The JavaScript GEMM kernel; same contract as {@link gemm}:
 * C = op(A)·op(B), or C += op(A)·op(B) when `accumulate` is true.
 */
export function gemmJS(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  accumulate: boolean,
): void {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: two implementations of one result: without the early return an empty m or n runs loops that store nothing (and k = 0 fills an empty range)
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    return;
  }
  // Strides of op(A) (m×k) and op(B) (k×n) in elements.
  const aRs = transA ? 1 : k,
    aCs = transA ? m : 1;
  const bRs = transB ? 1 : n,
    bCs = transB ? k : 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: only the size of the packed op(B) buffer, which every mutant keeps at least min(n, NC) columns wide (more only costs memory)
  const ncMax = n < NC ? n : NC;
  // Stryker disable next-line ArithmeticOperator: ncMax * NR only over-allocates the packed op(B) buffer; the mutants that make it too small are killed (gemm-js-blocking.test.ts, fresh module)
  const needB = KC * (Math.ceil(ncMax / NR) * NR);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result: true and <= allocate a fresh buffer of the same size (same values); false, never growing it, is killed (gemm-js-blocking.test.ts, fresh module)
  if (packedB.length < needB) packedB = new Float64Array(needB);
  // Stryker disable next-line EqualityOperator: loop bound one past the end: jc = n gives a panel of nc = 0, which stores nothing
  for (let jc = 0; jc < n; jc += NC) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result: at n - jc = NC both branches give NC
    const nc = n - jc < NC ? n - jc : NC;
    // Stryker disable next-line EqualityOperator: loop bound one past the end: pc = k gives a block of kc = 0, which adds +0 to C (no value changes: C holds no -0 after the first block, whose sums start at +0)
    for (let pc = 0; pc < k; pc += KC) {
      // Stryker disable next-line EqualityOperator: a tie that cannot change the result: at k - pc = KC both branches give KC
      const kc = k - pc < KC ? k - pc : KC;
      packPanels(packedB, b, bOff + pc * bRs + jc * bCs, bCs, bRs, nc, kc);
      const beta = accumulate || pc > 0;
      // Stryker disable next-line EqualityOperator: loop bound one past the end: ic = m gives a block of mc = 0, which stores nothing
      for (let ic = 0; ic < m; ic += MC) {
        // Stryker disable next-line EqualityOperator: a tie that cannot change the result: at m - ic = MC both branches give MC
        const mc = m - ic < MC ? m - ic : MC;
        packPanels(packedA, a, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc);
        macroKernel(mc, nc, kc, c, cOff + ic * n + jc, n, beta);
      }
    }
  }
}
