import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Generator, ShapeError, ValueError, DTypeError, Tensor, tensor, autograd } from '../../src/index.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, maxPool2dWithIndices } from '../../src/nn/functional/pool.js';
import { flat } from './helpers.js';

/** Float64 tensor of distinct values (a random permutation scaled), so max pooling has no ties. */
function distinct(shape: number[], seed: number, requiresGrad = false): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = i / n + (0.1 * g.random()) / n;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.random() * (i + 1));
    [data[i], data[j]] = [data[j]!, data[i]!];
  }
  const t = tensor(data, { dtype: 'float64' }).reshape(shape);
  return requiresGrad ? t.detach().requiresGrad_(true) : t;
}

/** PyTorch's pooling output size (floor or ceil mode). */
function outSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const num = size + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(num / s) : Math.floor(num / s)) + 1;
  if (ceil && (o - 1) * s >= size + p) o--;
  return o;
}

interface P {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  ceil: boolean;
}

/** Naive max pooling with first-max argmax over the window in row-major tap order. */
function naiveMax(x: number[], [N, C, H, W]: number[], p: P): { out: number[]; idx: number[]; shape: number[] } {
  const OH = outSize(H!, p.kh, p.sh, p.ph, p.dh, p.ceil);
  const OW = outSize(W!, p.kw, p.sw, p.pw, p.dw, p.ceil);
  const out: number[] = [];
  const idx: number[] = [];
  for (let nc = 0; nc < N! * C!; nc++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < p.kh; i++)
          for (let j = 0; j < p.kw; j++) {
            const ih = oh * p.sh - p.ph + i * p.dh;
            const iw = ow * p.sw - p.pw + j * p.dw;
            if (ih < 0 || ih >= H! || iw < 0 || iw >= W!) continue;
            const v = x[nc * H! * W! + ih * W! + iw]!;
            if (v > best) {
              best = v;
              at = ih * W! + iw;
            }
          }
        out.push(best);
        idx.push(at);
      }
  return { out, idx, shape: [N!, C!, OH, OW] };
}

/** Naive average pooling with PyTorch's divisor rules. */
function naiveAvg(
  x: number[],
  [N, C, H, W]: number[],
  p: P,
  includePad: boolean,
  override: number | null,
): { out: number[]; shape: number[] } {
  const OH = outSize(H!, p.kh, p.sh, p.ph, 1, p.ceil);
  const OW = outSize(W!, p.kw, p.sw, p.pw, 1, p.ceil);
  const out: number[] = [];
  for (let nc = 0; nc < N! * C!; nc++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        let s = 0;
        let real = 0;
        let padded = 0;
        for (let i = 0; i < p.kh; i++)
          for (let j = 0; j < p.kw; j++) {
            const ih = oh * p.sh - p.ph + i;
            const iw = ow * p.sw - p.pw + j;
            if (ih < H! + p.ph && iw < W! + p.pw) padded++;
            if (ih < 0 || ih >= H! || iw < 0 || iw >= W!) continue;
            s += x[nc * H! * W! + ih * W! + iw]!;
            real++;
          }
        out.push(s / (override ?? (includePad ? padded : real)));
      }
  return { out, shape: [N!, C!, OH, OW] };
}

function close(a: number[], b: number[], tol = 1e-12): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    if (Math.abs(v - b[i]!) > tol) throw new Error(`element ${i}: ${v} vs ${b[i]}`);
  });
}

const poolArb = fc
  .record({
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 2 }),
    ph: fc.integer({ min: 0, max: 1 }),
    pw: fc.integer({ min: 0, max: 1 }),
    dh: fc.integer({ min: 1, max: 2 }),
    dw: fc.integer({ min: 1, max: 2 }),
    ceil: fc.boolean(),
    h: fc.integer({ min: 3, max: 7 }),
    w: fc.integer({ min: 3, max: 6 }),
    seed: fc.integer({ min: 0, max: 999 }),
  })
  .filter(
    (r) =>
      2 * r.ph <= r.dh * (r.kh - 1) + 1 &&
      2 * r.pw <= r.dw * (r.kw - 1) + 1 &&
      r.h + 2 * r.ph >= r.dh * (r.kh - 1) + 1 &&
      r.w + 2 * r.pw >= r.dw * (r.kw - 1) + 1,
  );

describe('maxPool2d', () => {
  it('matches naive loops (values and PyTorch-style flat indices), incl. ceil mode, padding, dilation', () => {
    fc.assert(
      fc.property(poolArb, (r) => {
        const x = distinct([2, 2, r.h, r.w], r.seed);
        const opts = {
          stride: [r.sh, r.sw] as [number, number],
          padding: [r.ph, r.pw] as [number, number],
          dilation: [r.dh, r.dw] as [number, number],
          ceilMode: r.ceil,
        };
        const ref = naiveMax(flat(x), [2, 2, r.h, r.w], r);
        const got = maxPool2d(x, [r.kh, r.kw], opts);
        expect(got.shape).toEqual(ref.shape);
        close(flat(got), ref.out);
        const { values, indices } = maxPool2dWithIndices(x, [r.kh, r.kw], opts);
        close(flat(values), ref.out);
        expect(indices.dtype).toBe('int32');
        expect(flat(indices)).toEqual(ref.idx);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('defaults the stride to the kernel and routes the gradient to the first maximum of each window', () => {
    const x = tensor(
      [
        [
          [
            [1, 3, 3, 0],
            [2, 0, 1, 1],
            [5, 5, 0, 7],
            [5, 1, 2, 0],
          ],
        ],
      ],
      { requiresGrad: true },
    );
    const y = maxPool2d(x, 2);
    expect(y.toArray()).toEqual([
      [
        [
          [3, 3],
          [5, 7],
        ],
      ],
    ]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [
        [
          [0, 1, 1, 0],
          [0, 0, 0, 0],
          [1, 0, 0, 1],
          [0, 0, 0, 0],
        ],
      ],
    ]);
  });

  it('overlapping windows accumulate gradient; gradcheck and gradgradcheck away from ties', () => {
    const x = distinct([1, 2, 4, 5], 3, true);
    expect(autograd.gradcheck((a) => maxPool2d(a, 3, { stride: 1, padding: 1 }), [x])).toBe(true);
    expect(autograd.gradgradcheck((a) => maxPool2d(a, 2, { stride: 1, ceilMode: true }), [x])).toBe(true);
  });

  it('errors', () => {
    const x = distinct([1, 1, 3, 3], 1);
    expect(() => maxPool2d(x, 4)).toThrow(ShapeError);
    expect(() => maxPool2d(x, 4)).toThrow(
      /maxPool2d: the window \(size 4, dilation 1, so 4 wide\) is larger than the padded input height 3 \(input \[1, 1, 3, 3\]/,
    );
    expect(() => maxPool2d(x, 2, { padding: 2 })).toThrow(/maxPool2d: padding should be at most half of the effective kernel size/);
    expect(() => maxPool2d(x.int(), 2)).toThrow(DTypeError);
    expect(() => maxPool2d(tensor([1, 2]), 1)).toThrow(/maxPool2d: expected a 4-d input/);
  });
});

describe('avgPool2d', () => {
  it('matches naive loops with PyTorch divisors (countIncludePad, ceil mode, divisorOverride)', () => {
    fc.assert(
      fc.property(poolArb, fc.boolean(), fc.option(fc.integer({ min: 1, max: 5 })), (r, includePad, override) => {
        const x = distinct([1, 3, r.h, r.w], r.seed);
        const opts = {
          stride: [r.sh, r.sw] as [number, number],
          padding: [r.ph, r.pw] as [number, number],
          ceilMode: r.ceil,
          countIncludePad: includePad,
          divisorOverride: override,
        };
        if (2 * r.ph > r.kh || 2 * r.pw > r.kw) {
          expect(() => avgPool2d(x, [r.kh, r.kw], opts)).toThrow(ValueError);
          return;
        }
        const got = avgPool2d(x, [r.kh, r.kw], opts);
        const ref = naiveAvg(flat(x), [1, 3, r.h, r.w], { ...r, dh: 1, dw: 1 }, includePad, override);
        expect(got.shape).toEqual(ref.shape);
        close(flat(got), ref.out);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('hand-computed: 3x3 input, kernel 2, padding 1, with and without counting padding', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    // Windows start at -1 and 1: the corner window holds only x[0][0] = 1.
    expect(avgPool2d(x, 2, { padding: 1 }).toArray()).toEqual([
      [
        [
          [0.25, 1.25],
          [2.75, 7],
        ],
      ],
    ]);
    expect(avgPool2d(x, 2, { padding: 1, countIncludePad: false }).toArray()).toEqual([
      [
        [
          [1, 2.5],
          [5.5, 7],
        ],
      ],
    ]);
  });

  it('gradcheck and gradgradcheck; errors', () => {
    const x = distinct([1, 1, 4, 3], 5, true);
    expect(autograd.gradgradcheck((a) => avgPool2d(a, 2, { stride: 1, padding: 1, countIncludePad: false }), [x])).toBe(true);
    expect(() => avgPool2d(distinct([1, 1, 2, 2], 1), 2, { divisorOverride: 0 })).toThrow(ValueError);
    expect(() => avgPool2d(distinct([1, 1, 2, 2], 1), 3)).toThrow(/avgPool2d: the window/);
  });
});

describe('adaptiveAvgPool2d', () => {
  it('matches the start/end index formula', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (h, w, oh, ow) => {
          const x = distinct([2, 1, h, w], h * 10 + w);
          const xv = flat(x);
          const got = adaptiveAvgPool2d(x, [oh, ow]);
          expect(got.shape).toEqual([2, 1, oh, ow]);
          const ref: number[] = [];
          for (let n = 0; n < 2; n++)
            for (let i = 0; i < oh; i++)
              for (let j = 0; j < ow; j++) {
                const h0 = Math.floor((i * h) / oh),
                  h1 = Math.ceil(((i + 1) * h) / oh);
                const w0 = Math.floor((j * w) / ow),
                  w1 = Math.ceil(((j + 1) * w) / ow);
                let s = 0;
                for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) s += xv[n * h * w + a * w + b]!;
                ref.push(s / ((h1 - h0) * (w1 - w0)));
              }
          close(flat(got), ref);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('global pooling, null keeps a size, unbatched input, gradcheck, errors', () => {
    const x = tensor([
      [
        [1, 2],
        [3, 6],
      ],
    ]);
    expect(adaptiveAvgPool2d(x, 1).toArray()).toEqual([[[3]]]);
    expect(adaptiveAvgPool2d(distinct([1, 2, 5, 4], 1), [null, 2]).shape).toEqual([1, 2, 5, 2]);
    const y = distinct([1, 1, 5, 3], 2, true);
    expect(autograd.gradcheck((a) => adaptiveAvgPool2d(a, [3, 2]), [y])).toBe(true);
    expect(() => adaptiveAvgPool2d(y, 0)).toThrow(ValueError);
  });
});
