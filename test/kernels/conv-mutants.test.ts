// im2col / col2im (src/kernels/conv.ts) against the definition in the module's doc, written out
// naively here: output position (oh, ow) and tap (i, j) read image row oh·sh − ph + i·dh and column
// ow·sw − pw + j·dw; taps outside the image read padValue (im2col) or are dropped (col2im, which
// adds into a zero image). Every geometry runs with n = 2 batches, c = 2 channels, a nonzero offset
// into the source and a nonzero padValue, so a wrong batch, channel, offset or pad shows.
import { describe, expect, it } from 'vitest';
import { col2im, im2col, type ConvGeometry } from '../../src/kernels/conv.js';

function naiveIm2col(x: Float64Array, off: number, g: ConvGeometry, pad: number): Float64Array {
  const out = new Float64Array(g.n * g.c * g.kh * g.kw * g.outH * g.outW);
  let k = 0;
  for (let b = 0; b < g.n; b++)
    for (let ch = 0; ch < g.c; ch++)
      for (let i = 0; i < g.kh; i++)
        for (let j = 0; j < g.kw; j++) {
          for (let oh = 0; oh < g.outH; oh++)
            for (let ow = 0; ow < g.outW; ow++) {
              const r = oh * g.sh - g.ph + i * g.dh;
              const q = ow * g.sw - g.pw + j * g.dw;
              out[k++] = r >= 0 && r < g.h && q >= 0 && q < g.w ? x[off + ((b * g.c + ch) * g.h + r) * g.w + q]! : pad;
            }
        }
  return out;
}

function naiveCol2im(cols: Float64Array, off: number, g: ConvGeometry): Float64Array {
  const out = new Float64Array(g.n * g.c * g.h * g.w);
  let k = off;
  for (let b = 0; b < g.n; b++)
    for (let ch = 0; ch < g.c; ch++)
      for (let i = 0; i < g.kh; i++)
        for (let j = 0; j < g.kw; j++) {
          for (let oh = 0; oh < g.outH; oh++)
            for (let ow = 0; ow < g.outW; ow++) {
              const r = oh * g.sh - g.ph + i * g.dh;
              const q = ow * g.sw - g.pw + j * g.dw;
              const v = cols[k++]!;
              if (r >= 0 && r < g.h && q >= 0 && q < g.w) {
                const p = ((b * g.c + ch) * g.h + r) * g.w + q;
                out[p] = out[p]! + v;
              }
            }
        }
  return out;
}

// Geometries: [h, w, kh, kw, sh, sw, ph, pw, dh, dw, extraOutH, extraOutW]; outH/outW are PyTorch's
// floor formula plus the extra positions (ceil mode or 'same' padding add trailing windows).
const GEOMETRIES: number[][] = [
  [4, 5, 2, 3, 1, 1, 0, 0, 1, 1, 0, 0],
  [5, 4, 3, 2, 2, 1, 1, 0, 1, 1, 0, 0],
  [5, 6, 3, 3, 2, 3, 1, 2, 1, 1, 0, 1],
  [6, 7, 2, 3, 1, 2, 0, 1, 2, 2, 0, 0],
  [3, 3, 3, 3, 1, 1, 2, 2, 1, 1, 0, 0], // every window mostly padding
  [4, 4, 2, 2, 3, 3, 0, 0, 1, 1, 1, 1], // ceil mode: a window past the end
  [2, 7, 1, 4, 1, 3, 0, 3, 1, 2, 0, 1],
  [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0],
];

function geometryOf(row: number[]): ConvGeometry {
  const [h, w, kh, kw, sh, sw, ph, pw, dh, dw, eh, ew] = row as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const outH = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1 + eh;
  const outW = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1 + ew;
  return { n: 2, c: 2, h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW };
}

describe('im2col and col2im against their definition', () => {
  for (const row of GEOMETRIES) {
    const g = geometryOf(row);
    it(`h ${g.h} w ${g.w} k ${g.kh}×${g.kw} stride ${g.sh},${g.sw} pad ${g.ph},${g.pw} dilation ${g.dh},${g.dw} out ${g.outH}×${g.outW}`, () => {
      const off = 3;
      const x = new Float64Array(off + g.n * g.c * g.h * g.w + 2).map((_, i) => (i < off ? -1000 - i : i * 1.5 - 7));
      const cols = new Float64Array(g.n * g.c * g.kh * g.kw * g.outH * g.outW).fill(12345);
      im2col(x, off, cols, g, -9);
      expect(Array.from(cols)).toEqual(Array.from(naiveIm2col(x, off, g, -9)));

      const src = new Float64Array(off + cols.length).map((_, i) => (i < off ? 1e9 : ((i * 7) % 11) - 5));
      const img = new Float64Array(g.n * g.c * g.h * g.w);
      col2im(src, off, img, g);
      expect(Array.from(img)).toEqual(Array.from(naiveCol2im(src, off, g)));
    });
  }
  it('col2im adds into the image it is given (the caller zero-fills it)', () => {
    const g = geometryOf([3, 3, 2, 2, 1, 1, 0, 0, 1, 1, 0, 0]);
    const src = new Float64Array(g.n * g.c * g.kh * g.kw * g.outH * g.outW).fill(1);
    const img = new Float64Array(g.n * g.c * g.h * g.w).fill(10);
    col2im(src, 0, img, g);
    const want = naiveCol2im(src, 0, g).map((v) => v + 10);
    expect(Array.from(img)).toEqual(Array.from(want));
  });
});
