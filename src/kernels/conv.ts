/**
 * im2col / col2im kernels for convolution and pooling, on contiguous row-major arrays.
 *
 * The image is [N, C, H, W]; the columns are [N, C·kh·kw, outH·outW] with the row index
 * `(c·kh + i)·kw + j` (channel major, as PyTorch's `unfold`). Output position (oh, ow) and kernel
 * tap (i, j) read image row `oh·sh − padTop + i·dh` and column `ow·sw − padLeft + j·dw`; taps that
 * fall outside the image read `padValue` (im2col) or are dropped (col2im). The caller chooses
 * outH/outW, which is how asymmetric padding ('same', ceil mode) is expressed.
 * @module
 */
import type { FloatArray } from './typed-array.js';
import { col2imWasm, im2colWasm } from './wasm/conv-wasm.js';

/**
 * The conv kernels' arrays: the kernels' one {@link FloatArray} under its old name, kept until its
 * importer (`autograd/prims/conv.ts`) names `FloatArray` itself.
 * @deprecated Use {@link FloatArray}.
 * @internal
 */
export type ConvArray = FloatArray;

/**
 * One image's sliding-window geometry: image size, kernel, stride, leading padding, dilation and
 * the number of window positions (which fixes the trailing padding).
 * @internal
 */
export interface WindowSpec {
  /** Image height and width. */
  h: number;
  w: number;
  /** Kernel height and width. */
  kh: number;
  kw: number;
  /** Strides. */
  sh: number;
  sw: number;
  /** Padding before the first row / column (after is implied by outH / outW). */
  ph: number;
  pw: number;
  /** Dilations. */
  dh: number;
  dw: number;
  /** Number of window positions along each axis. */
  outH: number;
  outW: number;
}

/** The geometry of a sliding-window extraction over a batch: a {@link WindowSpec} with batch size and channels. @internal */
export interface ConvGeometry extends WindowSpec {
  /** Batch size. */
  n: number;
  /** Channels. */
  c: number;
}

/**
 * Copies every window of `x` (from `xOff`) into the columns `out` (contiguous, from 0); taps
 * outside the image get `padValue`. Large float32 extractions run the WebAssembly kernel
 * (`wasm/conv-wasm.ts`), the rest {@link im2colJs}; both write the same values.
 * @example
 * ```ts
 * const g = { n: 1, c: 1, h: 2, w: 2, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, outH: 1, outW: 1 };
 * const cols = new Float32Array(4);
 * im2col(new Float32Array([1, 2, 3, 4]), 0, cols, g, 0); // cols = [1, 2, 3, 4]
 * ```
 * @internal
 */
export function im2col(x: FloatArray, xOff: number, out: FloatArray, g: ConvGeometry, padValue: number): void {
  if (!im2colWasm(x, xOff, out, g, padValue)) im2colJs(x, xOff, out, g, padValue);
}

/**
 * Sums the columns `cols` (from `colsOff`) back into the image `out` (contiguous, zero-filled by
 * the caller): the adjoint of {@link im2col}. Taps outside the image are dropped. Large float32
 * folds run the WebAssembly kernel, the rest {@link col2imJs}; both add in the same order.
 * @example
 * ```ts
 * const g = { n: 1, c: 1, h: 2, w: 2, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, outH: 1, outW: 1 };
 * const img = new Float32Array(4);
 * col2im(new Float32Array([1, 2, 3, 4]), 0, img, g); // img = [1, 2, 3, 4]
 * ```
 * @internal
 */
export function col2im(cols: FloatArray, colsOff: number, out: FloatArray, g: ConvGeometry): void {
  if (!col2imWasm(cols, colsOff, out, g)) col2imJs(cols, colsOff, out, g);
}

/**
 * The JS loops of {@link im2col}.
 * @example
 * ```ts
 * im2colJs(x, 0, cols, g, 0); // as im2col, never through WebAssembly
 * ```
 * @internal
 */
export function im2colJs(x: FloatArray, xOff: number, out: FloatArray, g: ConvGeometry, padValue: number): void {
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g;
  const imgSize = h * w;
  let dst = 0;
  // Stryker disable next-line EqualityOperator: b <= n runs one batch past the end: its writes fall past the end of the typed array (no-ops)
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const base = xOff + (b * c + ch) * imgSize;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const colShift = j * dw - pw;
          // Range of ow whose column index ow·sw + colShift lies in [0, w).
          // Stryker disable next-line EqualityOperator: at colShift = 0 both branches give 0 (Math.ceil(-0 / sw) is 0)
          const owLo = colShift >= 0 ? 0 : Math.min(outW, Math.ceil(-colShift / sw));
          const owHi = Math.max(owLo, Math.min(outW, Math.ceil((w - colShift) / sw)));
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * sh - ph + i * dh;
            if (ih < 0 || ih >= h) {
              // Stryker disable next-line EqualityOperator: ow <= outW also writes the next row's first element, which that row then overwrites (past the end for the last row)
              for (let ow = 0; ow < outW; ow++) out[dst + ow] = padValue;
            } else {
              const row = base + ih * w + colShift;
              // Stryker disable next-line EqualityOperator: ow <= owLo writes padValue at owLo, which the next loop (or the padding loop, when owLo = owHi) overwrites
              for (let ow = 0; ow < owLo; ow++) out[dst + ow] = padValue;
              // Stryker disable next-line EqualityOperator: ow <= owHi writes at owHi, which the padding loop (or the next row) overwrites
              for (let ow = owLo; ow < owHi; ow++) out[dst + ow] = x[row + ow * sw]!;
              // Stryker disable next-line EqualityOperator: ow <= outW also writes the next row's first element, which that row then overwrites (past the end for the last row)
              for (let ow = owHi; ow < outW; ow++) out[dst + ow] = padValue;
            }
            dst += outW;
          }
        }
      }
    }
  }
}

/**
 * The JS loops of {@link col2im}.
 * @example
 * ```ts
 * col2imJs(cols, 0, img, g); // as col2im, never through WebAssembly
 * ```
 * @internal
 */
export function col2imJs(cols: FloatArray, colsOff: number, out: FloatArray, g: ConvGeometry): void {
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g;
  const imgSize = h * w;
  let src = colsOff;
  // Stryker disable next-line EqualityOperator: b <= n runs one batch past the end: its writes fall past the end of the typed array (no-ops)
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (b * c + ch) * imgSize;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const colShift = j * dw - pw;
          // Stryker disable next-line EqualityOperator: at colShift = 0 both branches give 0 (Math.ceil(-0 / sw) is 0)
          const owLo = colShift >= 0 ? 0 : Math.min(outW, Math.ceil(-colShift / sw));
          const owHi = Math.max(owLo, Math.min(outW, Math.ceil((w - colShift) / sw)));
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * sh - ph + i * dh;
            if (ih >= 0 && ih < h) {
              const row = base + ih * w + colShift;
              for (let ow = owLo; ow < owHi; ow++) {
                const p = row + ow * sw;
                out[p] = out[p]! + cols[src + ow]!;
              }
            }
            src += outW;
          }
        }
      }
    }
  }
}
