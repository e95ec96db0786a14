import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShapeError, DTypeError, ValueError, Tensor, tensor, autograd } from '../../src/index.js';
import { conv1d, conv2d, convTranspose2d, fold, unfold } from '../../src/nn/functional/conv.js';
import { expectClose, flat, rndSeed as rnd } from './helpers.js';

interface Geo {
  sh: number;
  sw: number;
  pt: number;
  pb: number;
  pl: number;
  pr: number;
  dh: number;
  dw: number;
  groups: number;
}

/** Naive direct convolution: 7 nested loops over n, o, oh, ow, c, i, j in float64. */
function naiveConv2d(
  x: number[],
  xs: number[],
  w: number[],
  ws: number[],
  b: number[] | null,
  g: Geo,
): { out: Float64Array; shape: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, Cg, KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + g.pt + g.pb - g.dh * (KH - 1) - 1) / g.sh) + 1;
  const OW = Math.floor((W + g.pl + g.pr - g.dw * (KW - 1) - 1) / g.sw) + 1;
  const out = new Float64Array(N * O * OH * OW);
  const Og = O / g.groups;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let acc = b ? b[o]! : 0;
          const grp = Math.floor(o / Og);
          for (let cl = 0; cl < Cg; cl++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const ih = oh * g.sh - g.pt + i * g.dh;
                const iw = ow * g.sw - g.pl + j * g.dw;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                const c = grp * Cg + cl;
                acc += x[((n * C + c) * H + ih) * W + iw]! * w[((o * Cg + cl) * KH + i) * KW + j]!;
              }
          out[((n * O + o) * OH + oh) * OW + ow] = acc;
        }
  return { out, shape: [N, O, OH, OW] };
}

/** Naive transposed convolution: scatter every input pixel times the kernel into the output. */
function naiveConvT2d(
  x: number[],
  xs: number[],
  w: number[],
  ws: number[],
  s: number[],
  p: number[],
  op: number[],
  d: number[],
  groups: number,
): { out: Float64Array; shape: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [, Og, KH, KW] = ws as [number, number, number, number];
  const O = Og * groups;
  const Cg = C / groups;
  const OH = (H - 1) * s[0]! - 2 * p[0]! + d[0]! * (KH - 1) + op[0]! + 1;
  const OW = (W - 1) * s[1]! - 2 * p[1]! + d[1]! * (KW - 1) + op[1]! + 1;
  const out = new Float64Array(N * O * OH * OW);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let ih = 0; ih < H; ih++)
        for (let iw = 0; iw < W; iw++)
          for (let ol = 0; ol < Og; ol++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const oh = ih * s[0]! - p[0]! + i * d[0]!;
                const ow = iw * s[1]! - p[1]! + j * d[1]!;
                if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
                const o = Math.floor(c / Cg) * Og + ol;
                out[((n * O + o) * OH + oh) * OW + ow]! += x[((n * C + c) * H + ih) * W + iw]! * w[((c * Og + ol) * KH + i) * KW + j]!;
              }
  return { out, shape: [N, O, OH, OW] };
}

describe('conv2d', () => {
  it('matches a naive 7-loop reference over strides, padding, dilation, groups (property)', () => {
    const arb = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        groups: fc.integer({ min: 1, max: 2 }),
        cg: fc.integer({ min: 1, max: 2 }),
        og: fc.integer({ min: 1, max: 2 }),
        h: fc.integer({ min: 3, max: 7 }),
        w: fc.integer({ min: 3, max: 7 }),
        kh: fc.integer({ min: 1, max: 3 }),
        kw: fc.integer({ min: 1, max: 3 }),
        sh: fc.integer({ min: 1, max: 3 }),
        sw: fc.integer({ min: 1, max: 2 }),
        ph: fc.integer({ min: 0, max: 2 }),
        pw: fc.integer({ min: 0, max: 1 }),
        dh: fc.integer({ min: 1, max: 2 }),
        dw: fc.integer({ min: 1, max: 2 }),
        bias: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1000 }),
      })
      .filter((r) => r.h + 2 * r.ph >= r.dh * (r.kh - 1) + 1 && r.w + 2 * r.pw >= r.dw * (r.kw - 1) + 1);
    fc.assert(
      fc.property(arb, (r) => {
        const C = r.cg * r.groups;
        const O = r.og * r.groups;
        const x = rnd([r.n, C, r.h, r.w], r.seed);
        const w = rnd([O, r.cg, r.kh, r.kw], r.seed + 1);
        const b = r.bias ? rnd([O], r.seed + 2) : null;
        const got = conv2d(x, w, b, { stride: [r.sh, r.sw], padding: [r.ph, r.pw], dilation: [r.dh, r.dw], groups: r.groups });
        const ref = naiveConv2d(flat(x), x.shape as number[], flat(w), w.shape as number[], b && flat(b), {
          sh: r.sh,
          sw: r.sw,
          pt: r.ph,
          pb: r.ph,
          pl: r.pw,
          pr: r.pw,
          dh: r.dh,
          dw: r.dw,
          groups: r.groups,
        });
        expect(got.shape).toEqual(ref.shape);
        expectClose(got, ref.out);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it("padding 'same' keeps the size and pads even kernels more on the bottom/right, like PyTorch", () => {
    const x = rnd([1, 2, 5, 6], 3);
    for (const [kh, kw, dh, dw] of [
      [3, 3, 1, 1],
      [2, 4, 1, 1],
      [2, 2, 2, 3],
      [4, 1, 1, 1],
    ] as const) {
      const w = rnd([3, 2, kh, kw], 4);
      const got = conv2d(x, w, null, { padding: 'same', dilation: [dh, dw] });
      const th = dh * (kh - 1);
      const tw = dw * (kw - 1);
      const ref = naiveConv2d(flat(x), [1, 2, 5, 6], flat(w), [3, 2, kh, kw], null, {
        sh: 1,
        sw: 1,
        pt: Math.floor(th / 2),
        pb: th - Math.floor(th / 2),
        pl: Math.floor(tw / 2),
        pr: tw - Math.floor(tw / 2),
        dh,
        dw,
        groups: 1,
      });
      expect(got.shape).toEqual([1, 3, 5, 6]);
      expectClose(got, ref.out);
    }
    expect(conv2d(x, rnd([1, 2, 3, 3], 1), null, { padding: 'valid' }).shape).toEqual([1, 1, 3, 4]);
  });

  it('hand-computed 3x3 example with a 2x2 kernel', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const w = tensor([
      [
        [
          [1, 0],
          [0, -1],
        ],
      ],
    ]);
    // out[i][j] = x[i][j] - x[i+1][j+1] = -4 everywhere; bias 0.5.
    expect(conv2d(x, w, tensor([0.5])).toArray()).toEqual([
      [
        [
          [-3.5, -3.5],
          [-3.5, -3.5],
        ],
      ],
    ]);
  });

  it('accepts unbatched [C, H, W] input and float32', () => {
    const x = rnd([2, 4, 4], 5).float();
    const w = rnd([3, 2, 3, 3], 6).float();
    const got = conv2d(x, w, null, { padding: 1 });
    expect(got.shape).toEqual([3, 4, 4]);
    expect(got.dtype).toBe('float32');
    const ref = naiveConv2d(flat(x), [1, 2, 4, 4], flat(w), [3, 2, 3, 3], null, {
      sh: 1,
      sw: 1,
      pt: 1,
      pb: 1,
      pl: 1,
      pr: 1,
      dh: 1,
      dw: 1,
      groups: 1,
    });
    expectClose(got, ref.out, 1e-5);
  });

  it('gradcheck and gradgradcheck over input, weight and bias', () => {
    const x = rnd([2, 2, 4, 3], 7, true);
    const w = rnd([2, 1, 2, 2], 8, true);
    const b = rnd([2], 9, true);
    const f = (a: Tensor, k: Tensor, c: Tensor): Tensor =>
      conv2d(a, k, c, { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 });
    expect(autograd.gradcheck(f, [x, w, b])).toBe(true);
    const x2 = rnd([1, 1, 3, 3], 10, true);
    const w2 = rnd([1, 1, 2, 2], 11, true);
    expect(autograd.gradgradcheck((a, k) => conv2d(a, k, null, { padding: 1 }), [x2, w2])).toBe(true);
  });

  it('raises clear errors', () => {
    const x = rnd([1, 3, 5, 5], 1);
    expect(() => conv2d(x, rnd([4, 2, 3, 3], 2))).toThrow(ShapeError);
    expect(() => conv2d(x, rnd([4, 2, 3, 3], 2))).toThrow(
      /conv2d: expected the input to have 2 channels \(weight \[4, 2, 3, 3\], groups 1\), but got 3 channels \(input \[1, 3, 5, 5\]\)/,
    );
    expect(() => conv2d(x, rnd([1, 3, 7, 7], 2))).toThrow(
      /conv2d: the kernel \(size 7, dilation 1, so 7 wide\) is larger than the padded input height 5/,
    );
    expect(() => conv2d(x, rnd([1, 3, 3, 3], 2), null, { dilation: 3 })).toThrow(ShapeError);
    expect(() => conv2d(x, rnd([4, 1, 3, 3], 2), null, { groups: 2 })).toThrow(/groups 2 must divide both the 3 input channels/);
    expect(() => conv2d(x, rnd([4, 3, 3, 3], 2), rnd([3], 3))).toThrow(/bias must have shape \[4\]/);
    expect(() => conv2d(x, rnd([4, 3, 3, 3], 2), null, { stride: 2, padding: 'same' })).toThrow(ValueError);
    expect(() => conv2d(x, rnd([4, 3, 3, 3], 2), null, { stride: 0 })).toThrow(/stride must be >= 1/);
    expect(() => conv2d(x, rnd([4, 3, 3, 3], 2).float())).toThrow(DTypeError);
    expect(() => conv2d(tensor([[1, 2]], { dtype: 'float64' }), rnd([1, 1, 1, 1], 2))).toThrow(/conv2d: expected a 4-d input/);
    expect(() => conv2d(x.int(), rnd([1, 3, 1, 1], 2).int())).toThrow(DTypeError);
  });
});

describe('conv1d', () => {
  it('matches the naive reference through a height-1 conv2d', () => {
    const x = rnd([2, 4, 9], 12);
    const w = rnd([6, 2, 3], 13);
    const b = rnd([6], 14);
    const got = conv1d(x, w, b, { stride: 2, padding: 2, dilation: 2, groups: 2 });
    const ref = naiveConv2d(flat(x), [2, 4, 1, 9], flat(w), [6, 2, 1, 3], flat(b), {
      sh: 1,
      sw: 2,
      pt: 0,
      pb: 0,
      pl: 2,
      pr: 2,
      dh: 1,
      dw: 2,
      groups: 2,
    });
    expect(got.shape).toEqual([2, 6, ref.shape[3]]);
    expectClose(got, ref.out);
    expect(conv1d(rnd([4, 9], 1), rnd([3, 4, 4], 2), null, { padding: 'same' }).shape).toEqual([3, 9]);
  });

  it('gradcheck and errors', () => {
    const x = rnd([1, 2, 5], 15, true);
    const w = rnd([3, 2, 2], 16, true);
    expect(autograd.gradcheck((a, k) => conv1d(a, k, null, { padding: 'same' }), [x, w])).toBe(true);
    expect(() => conv1d(rnd([1, 2, 5], 1), rnd([3, 4, 2], 2))).toThrow(
      /conv1d: expected the input to have 4 channels \(weight \[3, 4, 2\], groups 1\), but got 2 channels \(input \[1, 2, 5\]\)/,
    );
    expect(() => conv1d(rnd([1, 2, 2], 1), rnd([3, 2, 4], 2))).toThrow(/conv1d: the kernel .* larger than the padded input length 2/);
    expect(() => conv1d(rnd([1, 2, 2, 2], 1), rnd([3, 2, 4], 2))).toThrow(/conv1d: expected a 3-d input/);
  });
});

describe('convTranspose2d', () => {
  it('is the adjoint of conv2d: <conv(x), y> = <x, convT(y)>', () => {
    fc.assert(
      fc.property(
        fc.record({
          s: fc.integer({ min: 1, max: 3 }),
          p: fc.integer({ min: 0, max: 1 }),
          d: fc.integer({ min: 1, max: 2 }),
          k: fc.integer({ min: 1, max: 3 }),
          groups: fc.integer({ min: 1, max: 2 }),
          h: fc.integer({ min: 4, max: 7 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        (r) => {
          const C = 2 * r.groups;
          const O = r.groups;
          const x = rnd([2, C, r.h, r.h + 1], r.seed);
          const w = rnd([O, C / r.groups, r.k, r.k], r.seed + 1);
          const opts = { stride: r.s, padding: r.p, dilation: r.d, groups: r.groups };
          const cx = conv2d(x, w, null, opts);
          const y = rnd(cx.shape as number[], r.seed + 2);
          // conv2d's input size is recovered by outputPadding = the remainder the strided conv dropped.
          const oph = (r.h + 2 * r.p - r.d * (r.k - 1) - 1) % r.s;
          const opw = (r.h + 1 + 2 * r.p - r.d * (r.k - 1) - 1) % r.s;
          const ty = convTranspose2d(y, w, null, { ...opts, outputPadding: [oph, opw] });
          expect(ty.shape).toEqual(x.shape);
          const lhs = cx.mul(y).sum().item();
          const rhs = x.mul(ty).sum().item();
          expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * (1 + Math.abs(lhs)));
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('matches a naive scatter reference', () => {
    const cases = [
      { xs: [1, 2, 3, 3], ws: [2, 3, 3, 3], s: [2, 2], p: [1, 0], op: [1, 0], d: [1, 1], g: 1 },
      { xs: [2, 4, 2, 3], ws: [4, 1, 2, 3], s: [1, 2], p: [0, 1], op: [0, 1], d: [2, 1], g: 2 },
    ];
    for (const c of cases) {
      const x = rnd(c.xs, 20);
      const w = rnd(c.ws, 21);
      const b = rnd([c.ws[1]! * c.g], 22);
      const got = convTranspose2d(x, w, b, {
        stride: c.s as [number, number],
        padding: c.p as [number, number],
        outputPadding: c.op as [number, number],
        dilation: c.d as [number, number],
        groups: c.g,
      });
      const ref = naiveConvT2d(flat(x), c.xs, flat(w), c.ws, c.s, c.p, c.op, c.d, c.g);
      const O = ref.shape[1]!;
      const plane = ref.shape[2]! * ref.shape[3]!;
      const bias = flat(b);
      for (let i = 0; i < ref.out.length; i++) ref.out[i]! += bias[Math.floor(i / plane) % O]!;
      expect(got.shape).toEqual(ref.shape);
      expectClose(got, ref.out);
    }
  });

  it('gradcheck and errors', () => {
    const x = rnd([1, 2, 2, 3], 23, true);
    const w = rnd([2, 2, 2, 2], 24, true);
    const b = rnd([2], 25, true);
    expect(autograd.gradcheck((a, k, c) => convTranspose2d(a, k, c, { stride: 2, padding: 1, outputPadding: 1 }), [x, w, b])).toBe(true);
    expect(() => convTranspose2d(rnd([1, 3, 2, 2], 1), rnd([2, 2, 2, 2], 2))).toThrow(
      /convTranspose2d: expected the input to have 2 channels/,
    );
    expect(() => convTranspose2d(rnd([1, 2, 2, 2], 1), rnd([2, 2, 2, 2], 2), null, { stride: 2, outputPadding: 2 })).toThrow(ValueError);
    expect(() => convTranspose2d(rnd([1, 2, 1, 1], 1), rnd([2, 2, 1, 1], 2), null, { padding: 1 })).toThrow(ShapeError);
  });
});

describe('unfold / fold', () => {
  it('unfold matches a direct patch extraction; fold is its adjoint', () => {
    const x = rnd([2, 2, 5, 4], 30);
    const cols = unfold(x, [2, 3], { stride: [2, 1], padding: [1, 1], dilation: [1, 1] });
    // Reference: patch (oh, ow), row (c, i, j) = x[c, oh*2 - 1 + i, ow - 1 + j] or 0.
    const OH = Math.floor((5 + 2 - 2) / 2) + 1;
    const OW = Math.floor((4 + 2 - 3) / 1) + 1;
    const xv = flat(x);
    const ref = new Float64Array(2 * 12 * OH * OW);
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 2; c++)
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 3; j++)
            for (let oh = 0; oh < OH; oh++)
              for (let ow = 0; ow < OW; ow++) {
                const ih = oh * 2 - 1 + i;
                const iw = ow - 1 + j;
                const v = ih >= 0 && ih < 5 && iw >= 0 && iw < 4 ? xv[((n * 2 + c) * 5 + ih) * 4 + iw]! : 0;
                ref[((n * 12 + (c * 2 + i) * 3 + j) * OH + oh) * OW + ow] = v;
              }
    expect(cols.shape).toEqual([2, 12, OH * OW]);
    expectClose(cols, ref);
    const y = rnd([2, 12, OH * OW], 31);
    const folded = fold(y, [5, 4], [2, 3], { stride: [2, 1], padding: 1 });
    expect(Math.abs(cols.mul(y).sum().item() - x.mul(folded).sum().item())).toBeLessThan(1e-10);
  });

  it('fold of ones counts the windows covering each pixel', () => {
    const counts = fold(tensor(new Float64Array(9).fill(1), { dtype: 'float64' }).reshape([1, 1, 9]), [3, 3], 1, {});
    expect(counts.toArray()).toEqual([
      [
        [
          [1, 1, 1],
          [1, 1, 1],
          [1, 1, 1],
        ],
      ],
    ]);
    const c2 = fold(tensor(new Float64Array(4 * 4).fill(1), { dtype: 'float64' }).reshape([4, 4]), [3, 3], 2);
    expect(c2.toArray()).toEqual([
      [
        [1, 2, 1],
        [2, 4, 2],
        [1, 2, 1],
      ],
    ]);
  });

  it("gradcheck / gradgradcheck (unfold and fold are each other's backward)", () => {
    const x = rnd([1, 1, 3, 4], 32, true);
    expect(autograd.gradgradcheck((a) => unfold(a, 2, { padding: 1, stride: [1, 2] }), [x])).toBe(true);
    const y = rnd([1, 4, 6], 33, true);
    expect(autograd.gradgradcheck((a) => fold(a, [3, 4], 2, { stride: 1 }), [y])).toBe(true);
  });

  it('errors name the op and the shapes', () => {
    expect(() => fold(rnd([1, 5, 6], 1), [3, 4], 2)).toThrow(/fold: the input's dim 1 \(5, shape \[1, 5, 6\]\) must be divisible/);
    expect(() => fold(rnd([1, 4, 5], 1), [3, 4], 2)).toThrow(/fold: the input's 5 blocks .* do not match the 2·3 = 6 blocks/);
    expect(() => unfold(rnd([1, 1, 2, 2], 1), 3)).toThrow(ShapeError);
    expect(() => unfold(rnd([1, 1, 2, 2], 1), [1, 2, 3] as unknown as [number, number])).toThrow(ValueError);
  });
});
