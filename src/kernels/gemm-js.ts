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
import type { FloatArray } from './gemm.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 96;
const NC = 2048;

let packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * 64);

/**
 * Packs the mc × kc block of op(A) whose element (i, p) is `a[base + i*rs + p*cs]` into
 * `packedA` as ceil(mc/MR) panels, each kc × MR (row i of the panel at offset p*MR + i),
 * zero-padding the last panel.
 */
function packA(a: FloatArray, base: number, rs: number, cs: number, mc: number, kc: number): void {
  const dst = packedA;
  let d = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = mc - i0;
    if (rows >= MR) {
      const r0 = base + i0 * rs;
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      const r3 = r2 + rs;
      for (let p = 0, o = 0; p < kc; p++, o += cs) {
        dst[d] = a[r0 + o];
        dst[d + 1] = a[r1 + o];
        dst[d + 2] = a[r2 + o];
        dst[d + 3] = a[r3 + o];
        d += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) dst[d + r] = r < rows ? a[base + (i0 + r) * rs + p * cs] : 0;
        d += MR;
      }
    }
  }
}

/**
 * Packs the kc × nc block of op(B) whose element (p, j) is `b[base + p*rs + j*cs]` into
 * `packedB` as ceil(nc/NR) panels, each kc × NR, zero-padding the last panel.
 */
function packB(b: FloatArray, base: number, rs: number, cs: number, kc: number, nc: number): void {
  const dst = packedB;
  let d = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = nc - j0;
    if (cols >= NR) {
      const c0 = base + j0 * cs;
      const c1 = c0 + cs;
      const c2 = c1 + cs;
      const c3 = c2 + cs;
      for (let p = 0, o = 0; p < kc; p++, o += rs) {
        dst[d] = b[c0 + o];
        dst[d + 1] = b[c1 + o];
        dst[d + 2] = b[c2 + o];
        dst[d + 3] = b[c3 + o];
        d += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) dst[d + j] = j < cols ? b[base + p * rs + (j0 + j) * cs] : 0;
        d += NR;
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
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const bBase = j0 * kc;
    const cols = nc - j0 < NR ? nc - j0 : NR;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      let ia = i0 * kc;
      let ib = bBase;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      const end = ia + kc * MR;
      while (ia < end) {
        const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
        const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        ia += MR;
        ib += NR;
      }
      const rows = mc - i0 < MR ? mc - i0 : MR;
      let ci = c0 + i0 * ldc + j0;
      if (rows === MR && cols === NR) {
        if (beta) {
          c[ci] += c00; c[ci + 1] += c01; c[ci + 2] += c02; c[ci + 3] += c03; ci += ldc;
          c[ci] += c10; c[ci + 1] += c11; c[ci + 2] += c12; c[ci + 3] += c13; ci += ldc;
          c[ci] += c20; c[ci + 1] += c21; c[ci + 2] += c22; c[ci + 3] += c23; ci += ldc;
          c[ci] += c30; c[ci + 1] += c31; c[ci + 2] += c32; c[ci + 3] += c33;
        } else {
          c[ci] = c00; c[ci + 1] = c01; c[ci + 2] = c02; c[ci + 3] = c03; ci += ldc;
          c[ci] = c10; c[ci + 1] = c11; c[ci + 2] = c12; c[ci + 3] = c13; ci += ldc;
          c[ci] = c20; c[ci + 1] = c21; c[ci + 2] = c22; c[ci + 3] = c23; ci += ldc;
          c[ci] = c30; c[ci + 1] = c31; c[ci + 2] = c32; c[ci + 3] = c33;
        }
      } else {
        edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
        edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
        edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
        edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
        for (let r = 0; r < rows; r++, ci += ldc) {
          for (let j = 0; j < cols; j++) c[ci + j] = beta ? c[ci + j] + edge[r * NR + j] : edge[r * NR + j];
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
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOff: number, b: FloatArray, bOff: number, c: FloatArray, cOff: number, accumulate: boolean,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    return;
  }
  // Strides of op(A) (m×k) and op(B) (k×n) in elements.
  const aRs = transA ? 1 : k, aCs = transA ? m : 1;
  const bRs = transB ? 1 : n, bCs = transB ? k : 1;
  const ncMax = n < NC ? n : NC;
  const needB = KC * (Math.ceil(ncMax / NR) * NR);
  if (packedB.length < needB) packedB = new Float64Array(needB);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = n - jc < NC ? n - jc : NC;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = k - pc < KC ? k - pc : KC;
      packB(b, bOff + pc * bRs + jc * bCs, bRs, bCs, kc, nc);
      const beta = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = m - ic < MC ? m - ic : MC;
        packA(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc);
        macroKernel(mc, nc, kc, c, cOff + ic * n + jc, n, beta);
      }
    }
  }
}
