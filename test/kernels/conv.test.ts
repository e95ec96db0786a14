import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { col2im, im2col, type ConvGeometry } from '../../src/kernels/conv.js';
import { setKernelBackend as setConvBackend } from '../../src/kernels/runtime/settings.js';

/** Same value, same sign of zero, or both NaN. */
const same = (a: number, b: number): boolean => Object.is(a, b) || (a !== a && b !== b);

/** The image element read by window position (oh, ow) and tap (i, j), or -1 in the padding. */
function tapIndex(g: ConvGeometry, plane: number, i: number, j: number, oh: number, ow: number): number {
  const ih = oh * g.sh - g.ph + i * g.dh;
  const iw = ow * g.sw - g.pw + j * g.dw;
  if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) return -1;
  return (plane * g.h + ih) * g.w + iw;
}

/** Calls `visit(k, t)` for every column element k in order, with its image index t (-1: padding). */
function eachTap(g: ConvGeometry, visit: (k: number, t: number) => void): void {
  let k = 0;
  for (let plane = 0; plane < g.n * g.c; plane++)
    for (let i = 0; i < g.kh; i++)
      for (let j = 0; j < g.kw; j++)
        for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) visit(k++, tapIndex(g, plane, i, j, oh, ow));
}

/** Naive im2col: one element at a time from the definition (channel-major rows, as PyTorch's unfold). */
function refIm2col(x: Float32Array, g: ConvGeometry, pad: number): Float32Array {
  const out = new Float32Array(g.n * g.c * g.kh * g.kw * g.outH * g.outW);
  eachTap(g, (k, t) => {
    out[k] = t < 0 ? pad : x[t]!;
  });
  return out;
}

/** Naive col2im: the adjoint, each column added (rounded to float32) into its image element. */
function refCol2im(cols: Float32Array, g: ConvGeometry, start: Float32Array): Float32Array {
  const img = Float32Array.from(start);
  eachTap(g, (k, t) => {
    if (t >= 0) img[t] = img[t]! + cols[k]!;
  });
  return img;
}

function randomArray(len: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const a = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    a[i] = state / 2 ** 31 - 1;
  }
  return a;
}

function firstMismatch(got: Float32Array, want: Float32Array): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (let i = 0; i < got.length; i++) if (!same(got[i]!, want[i]!)) return `at ${i}: ${got[i]} vs ${want[i]}`;
  return null;
}

/** Random geometries with small channel counts: strides, dilations, leading and trailing padding. */
const geometry = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    c: fc.integer({ min: 1, max: 4 }),
    h: fc.integer({ min: 1, max: 13 }),
    w: fc.integer({ min: 1, max: 13 }),
    kh: fc.integer({ min: 1, max: 5 }),
    kw: fc.integer({ min: 1, max: 5 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    dh: fc.integer({ min: 1, max: 3 }),
    dw: fc.integer({ min: 1, max: 3 }),
    ph: fc.integer({ min: 0, max: 3 }),
    pw: fc.integer({ min: 0, max: 3 }),
    extraH: fc.integer({ min: 0, max: 3 }),
    extraW: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ extraH, extraW, ...g }) => ({
    ...g,
    outH: Math.floor((g.h + g.ph + extraH - g.dh * (g.kh - 1) - 1) / g.sh) + 1,
    outW: Math.floor((g.w + g.pw + extraW - g.dw * (g.kw - 1) - 1) / g.sw) + 1,
  }))
  .filter((g) => g.outH >= 1 && g.outW >= 1);

const BACKENDS = ['wasm', 'js', 'auto'] as const;

afterEach(() => setConvBackend('auto'));

describe('im2col / col2im against a naive reference', () => {
  for (const backend of BACKENDS) {
    it(`im2col (${backend}) equals the definition on random geometries`, () => {
      setConvBackend(backend);
      fc.assert(
        fc.property(geometry, fc.constantFrom(0, -Infinity, 1.5), fc.integer({ min: 0, max: 5 }), (g, pad, xOff) => {
          const x = randomArray(xOff + g.n * g.c * g.h * g.w, g.h * 31 + g.w);
          const want = refIm2col(x.subarray(xOff), g, pad);
          const got = new Float32Array(want.length).fill(7);
          im2col(x, xOff, got, g, pad);
          expect(firstMismatch(got, want)).toBeNull();
        }),
        { numRuns: 150 },
      );
    });

    it(`col2im (${backend}) equals the adjoint's definition on random geometries, adding into the output`, () => {
      setConvBackend(backend);
      fc.assert(
        fc.property(geometry, fc.integer({ min: 0, max: 5 }), fc.boolean(), (g, colsOff, zero) => {
          const len = g.n * g.c * g.kh * g.kw * g.outH * g.outW;
          const cols = randomArray(colsOff + len, len);
          const start = zero ? new Float32Array(g.n * g.c * g.h * g.w) : randomArray(g.n * g.c * g.h * g.w, 99);
          const want = refCol2im(cols.subarray(colsOff), g, start);
          const got = Float32Array.from(start);
          col2im(cols, colsOff, got, g);
          expect(firstMismatch(got, want)).toBeNull();
        }),
        { numRuns: 150 },
      );
    });
  }

  it('keeps NaN, infinities and signed zeros of the image bit for bit', () => {
    setConvBackend('wasm');
    const g: ConvGeometry = { n: 1, c: 2, h: 5, w: 9, kh: 2, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, outH: 5, outW: 9 };
    const x = randomArray(90, 5);
    x.set([NaN, -0, Infinity, -Infinity, 0], 10);
    const got = new Float32Array(g.c * 6 * 45);
    im2col(x, 0, got, g, -Infinity);
    expect(firstMismatch(got, refIm2col(x, g, -Infinity))).toBeNull();
  });

  // The CNN benchmark's shapes: the batch spans several chunks of the wasm kernels' memory.
  const large: [string, ConvGeometry][] = [
    [
      'conv 1→8 5×5 pad 2 on 28×28',
      { n: 64, c: 1, h: 28, w: 28, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2, dh: 1, dw: 1, outH: 28, outW: 28 },
    ],
    ['conv 8→16 5×5 on 14×14', { n: 64, c: 8, h: 14, w: 14, kh: 5, kw: 5, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, outH: 10, outW: 10 }],
    ['max pool 2 on 28×28', { n: 512, c: 1, h: 28, w: 28, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, outH: 14, outW: 14 }],
  ];
  for (const [name, g] of large) {
    it(`im2col and col2im of ${name} equal the definitions (default backend)`, () => {
      const x = randomArray(g.n * g.c * g.h * g.w, 3);
      const want = refIm2col(x, g, 0);
      const cols = new Float32Array(want.length);
      im2col(x, 0, cols, g, 0);
      expect(firstMismatch(cols, want)).toBeNull();
      const img = new Float32Array(x.length);
      col2im(cols, 0, img, g);
      expect(firstMismatch(img, refCol2im(cols, g, new Float32Array(x.length)))).toBeNull();
    });
  }

  it('runs float64 arrays through the JS loops with the same values', () => {
    const g: ConvGeometry = { n: 2, c: 3, h: 12, w: 12, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, outH: 12, outW: 12 };
    const x32 = randomArray(g.n * g.c * g.h * g.w, 8);
    const cols = new Float64Array(g.n * g.c * 9 * 144);
    im2col(Float64Array.from(x32), 0, cols, g, 0);
    expect(firstMismatch(Float32Array.from(cols), refIm2col(x32, g, 0))).toBeNull();
  });
});
