/**
 * Driver of the WebAssembly sliding-window kernels (`conv-module.ts`): float32 im2col / col2im
 * over runs of image planes copied through the module's own memory. The JS loops do the same
 * element by element at a few nanoseconds each; the wasm loops copy stride-1 rows four floats at
 * a time, and the copies in and out are bulk `TypedArray.set` calls.
 *
 * @module
 */
import type { ConvGeometry } from '../conv.js';
import { TAP_ENTRY_BYTES } from './conv-module.js';
import { convInstance, type ConvInstance } from '../runtime/instances.js';
import { wasmWanted } from '../runtime/settings.js';
import { CONV_WASM_MIN_ELEMENTS } from '../runtime/thresholds.js';

/** Bytes of the planes processed per call (input and output together), unless one plane is larger. */
const CHUNK_BYTES = 1 << 22;
/** Largest memory the kernels grow to; larger planes run the JS loops. */
const MAX_BYTES = 1 << 28;
/** Bytes reserved for the tap table at address 0. */
const TABLE_SLOT = 1 << 16;

/** Grows the memory to at least `bytes` and refreshes the views. */
function reserve(s: ConvInstance, bytes: number): void {
  const have = s.memory.buffer.byteLength;
  // Stryker disable next-line EqualityOperator: a tie that cannot change the result (growing by 0 pages)
  if (have >= bytes) return;
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (a larger memory than needed)
  s.memory.grow(Math.ceil((bytes - have) / 65536));
  s.f32 = new Float32Array(s.memory.buffer as ArrayBuffer);
  s.i32 = new Int32Array(s.memory.buffer as ArrayBuffer);
}

/** First index in [0, out) whose position `idx·stride + shift` is ≥ 0. */
function firstInside(shift: number, stride: number, out: number): number {
  // Stryker disable next-line EqualityOperator: a tie that cannot change the result (shift 0 gives index 0 either way)
  return shift >= 0 ? 0 : Math.min(out, Math.ceil(-shift / stride));
}

/** One past the last index in [lo, out) whose position `idx·stride + shift` is < size. */
function endInside(shift: number, stride: number, size: number, lo: number, out: number): number {
  return Math.max(lo, Math.min(out, Math.ceil((size - shift) / stride)));
}

/** Writes the tap table of `g` at address 0 (see conv-module.ts). */
function writeTaps(s: ConvInstance, g: ConvGeometry): void {
  const { h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g;
  let e = 0;
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a tap row after the kh·kw entries the kernel reads)
  for (let i = 0; i < kh; i++) {
    const rowShift = i * dh - ph;
    const ohLo = firstInside(rowShift, sh, outH);
    const ohHi = endInside(rowShift, sh, h, ohLo, outH);
    for (let j = 0; j < kw; j++) {
      const colShift = j * dw - pw;
      const owLo = firstInside(colShift, sw, outW);
      const owHi = endInside(colShift, sw, w, owLo, outW);
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: unreachable (the start offset of an empty tap, which the kernel never reads: it runs no row or column of it)
      const inside = ohLo < ohHi && owLo < owHi;
      s.i32[e] = ohLo;
      s.i32[e + 1] = ohHi;
      s.i32[e + 2] = owLo * 4;
      s.i32[e + 3] = owHi * 4;
      s.i32[e + 4] = inside ? ((ohLo * sh + rowShift) * w + owLo * sw + colShift) * 4 : 0;
      e += TAP_ENTRY_BYTES / 4;
    }
  }
}

/** The planes per call and the addresses of the input and output regions, or null when too large. */
function layout(g: ConvGeometry, inPlane: number, outPlane: number): { per: number; inAt: number; outAt: number } | null {
  // Stryker disable next-line EqualityOperator: a tie that cannot occur (20 bytes a tap never make 64 KiB)
  if (g.kh * g.kw * TAP_ENTRY_BYTES > TABLE_SLOT) return null;
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (how many planes go through one call)
  const planeBytes = (inPlane + outPlane) * 4;
  // Stryker disable next-line MethodExpression,ArithmeticOperator: two implementations of one result (how many planes go through one call)
  const per = Math.max(1, Math.min(g.n * g.c, Math.floor(CHUNK_BYTES / planeBytes)));
  const inAt = TABLE_SLOT;
  const outAt = inAt + ((per * inPlane * 4 + 4095) & ~4095);
  // Stryker disable next-line EqualityOperator: two implementations of one result (regions ending exactly at 256 MiB go to the JS loops, which give the same bits as the wasm copies)
  if (outAt + per * outPlane * 4 + 16 > MAX_BYTES) return null;
  return { per, inAt, outAt };
}

function usable(g: ConvGeometry, a: unknown, b: unknown, elements: number): ConvInstance | null {
  if (!wasmWanted(elements, CONV_WASM_MIN_ELEMENTS) || !(a instanceof Float32Array) || !(b instanceof Float32Array)) return null;
  return convInstance();
}

/**
 * {@link im2col} of float32 arrays through the wasm kernel; returns false (doing nothing) when it
 * does not apply (float64, small, too large, or no WebAssembly).
 * @example
 * ```ts
 * if (!im2colWasm(x, 0, cols, g, 0)) im2colJs(x, 0, cols, g, 0);
 * ```
 * @internal
 */
export function im2colWasm(
  x: Float32Array | Float64Array,
  xOff: number,
  out: Float32Array | Float64Array,
  g: ConvGeometry,
  padValue: number,
): boolean {
  const L = g.outH * g.outW;
  const taps = g.kh * g.kw;
  const planes = g.n * g.c;
  const s = usable(g, x, out, planes * taps * L);
  if (s === null) return false;
  const inPlane = g.h * g.w;
  const outPlane = taps * L;
  const at = layout(g, inPlane, outPlane);
  if (at === null) return false;
  const regionsEnd = at.outAt + at.per * outPlane * 4;
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (16 bytes of slack: the kernels' vector loops run only while 16 bytes fit before a row's end)
  reserve(s, regionsEnd + 16);
  writeTaps(s, g);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a call of 0 planes copies and computes nothing)
  for (let p0 = 0; p0 < planes; p0 += at.per) {
    const np = Math.min(at.per, planes - p0);
    s.f32.set(x.subarray(xOff + p0 * inPlane, xOff + (p0 + np) * inPlane), at.inAt >> 2);
    s.im2col(at.inAt, at.outAt, np, inPlane * 4, taps, 0, g.outH, g.outW, g.sh * g.w * 4, g.sw * 4, padValue);
    out.set(s.f32.subarray(at.outAt >> 2, (at.outAt >> 2) + np * outPlane), p0 * outPlane);
  }
  return true;
}

/**
 * {@link col2im} of float32 arrays through the wasm kernel (adding into `out`, as the JS loop);
 * returns false (doing nothing) when it does not apply.
 * @example
 * ```ts
 * if (!col2imWasm(cols, 0, img, g)) col2imJs(cols, 0, img, g);
 * ```
 * @internal
 */
export function col2imWasm(cols: Float32Array | Float64Array, colsOff: number, out: Float32Array | Float64Array, g: ConvGeometry): boolean {
  const L = g.outH * g.outW;
  const taps = g.kh * g.kw;
  const planes = g.n * g.c;
  const s = usable(g, cols, out, planes * taps * L);
  if (s === null) return false;
  const imgPlane = g.h * g.w;
  const colPlane = taps * L;
  // The columns go in the first region, the image in the second.
  const at = layout(g, colPlane, imgPlane);
  if (at === null) return false;
  const regionsEnd = at.outAt + at.per * imgPlane * 4;
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (16 bytes of slack: the kernels' vector loops run only while 16 bytes fit before a row's end)
  reserve(s, regionsEnd + 16);
  writeTaps(s, g);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a call of 0 planes copies and computes nothing)
  for (let p0 = 0; p0 < planes; p0 += at.per) {
    const np = Math.min(at.per, planes - p0);
    s.f32.set(cols.subarray(colsOff + p0 * colPlane, colsOff + (p0 + np) * colPlane), at.inAt >> 2);
    s.f32.set(out.subarray(p0 * imgPlane, (p0 + np) * imgPlane), at.outAt >> 2);
    s.col2im(at.inAt, at.outAt, np, imgPlane * 4, taps, 0, g.outH, g.outW, g.sh * g.w * 4, g.sw * 4);
    out.set(s.f32.subarray(at.outAt >> 2, (at.outAt >> 2) + np * imgPlane), p0 * imgPlane);
  }
  return true;
}
