/**
 * OpInfo entries of the sliding-window family: the primitives unfold (im2col) and fold (col2im) and
 * the composites conv2d, maxPool2d and avgPool2d from nn.functional. References are float64 loops
 * over output positions and kernel taps, independent of src/.
 * @module
 */
import * as fc from 'fast-check';
import { DTypeError, ShapeError, ValueError } from '../../../src/autograd/errors.js';
import { zeros } from '../../../src/index.js';
import { conv2d, fold, unfold } from '../../../src/nn/functional/conv.js';
import { avgPool2d, maxPool2d } from '../../../src/nn/functional/pool.js';
import { floatInput } from '../arb.js';
import { numel, ref } from '../ref.js';
import { opInfo, type AnyOpInfo, type InputSpec } from '../types.js';
import { distinctInput } from './reduce.js';

/** Window geometry of a sample: kernel, stride, padding, dilation per axis. @internal */
export interface Window {
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
}

const outLen = (size: number, k: number, s: number, p: number, d: number): number => Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;

/** A window that fits an h×w image (at least one position per axis). */
function windowArb(h: number, w: number, options: { maxPad?: 'half' | number; dilation?: boolean } = {}): fc.Arbitrary<Window> {
  return fc
    .record({
      k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      s: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      p: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
      d:
        options.dilation === false
          ? fc.constant<[number, number]>([1, 1])
          : fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    })
    .filter((g) => outLen(h, g.k[0], g.s[0], g.p[0], g.d[0]) >= 1 && outLen(w, g.k[1], g.s[1], g.p[1], g.d[1]) >= 1)
    .filter((g) => options.maxPad !== 'half' || (2 * g.p[0] <= g.d[0] * (g.k[0] - 1) + 1 && 2 * g.p[1] <= g.d[1] * (g.k[1] - 1) + 1));
}

/** Image shapes [N, C, H, W] with at most `max` elements. */
function imageArb(maxC: number, max = 18): fc.Arbitrary<[number, number, number, number]> {
  return fc
    .tuple(
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 1, max: maxC }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
    )
    .filter((s) => numel(s) <= max);
}

/**
 * Visits every (n, c, position, tap) of a window over an [N, C, H, W] image; `at` is the flat input
 * index, or -1 for a tap in the padding.
 */
function eachTap(
  shape: number[],
  g: Window,
  visit: (n: number, c: number, oh: number, ow: number, i: number, j: number, at: number) => void,
): [number, number] {
  const [N, C, H, W] = shape as [number, number, number, number];
  const OH = outLen(H, g.k[0], g.s[0], g.p[0], g.d[0]);
  const OW = outLen(W, g.k[1], g.s[1], g.p[1], g.d[1]);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let i = 0; i < g.k[0]; i++)
            for (let j = 0; j < g.k[1]; j++) {
              const ih = oh * g.s[0] - g.p[0] + i * g.d[0];
              const iw = ow * g.s[1] - g.p[1] + j * g.d[1];
              const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
              visit(n, c, oh, ow, i, j, inside ? ((n * C + c) * H + ih) * W + iw : -1);
            }
  return [OH, OW];
}

const opts = (g: Window): { stride: [number, number]; padding: [number, number]; dilation: [number, number] } => ({
  stride: g.s,
  padding: g.p,
  dilation: g.d,
});

const unfoldEntry = opInfo<Window>({
  name: 'nn.functional.unfold',
  op: ([x], g) => unfold(x!, g.k, opts(g)),
  sample: imageArb(2).chain((shape) => fc.record({ inputs: fc.tuple(floatInput(shape)), args: windowArb(shape[2], shape[3]) })),
  reference: ([x], g) => {
    const [N, C] = x!.shape as [number, number];
    const K = g.k[0] * g.k[1];
    const out: number[] = [];
    const [OH, OW] = eachTap(x!.shape, g, () => undefined);
    const L = OH * OW;
    out.length = N * C * K * L;
    out.fill(0);
    eachTap(x!.shape, g, (n, c, oh, ow, i, j, at) => {
      out[((n * C + c) * K + i * g.k[1] + j) * L + oh * OW + ow] = at < 0 ? 0 : x!.data[at]!;
    });
    return ref([N, C * K, L], out);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'a kernel larger than the padded input',
      call: () => unfold(zeros([1, 1, 2, 2]), 3),
      error: ShapeError,
      message: /^unfold: the kernel \(size 3, dilation 1, so 3 wide\) is larger than the padded input height 2/,
    },
    {
      name: 'an int input',
      call: () => unfold(zeros([1, 1, 2, 2], { dtype: 'int32' }), 1),
      error: DTypeError,
      message: /^unfold: input must be float32 or float64, got int32/,
    },
  ],
});

interface FoldArgs extends Window {
  size: [number, number];
}

const foldEntry = opInfo<FoldArgs>({
  name: 'nn.functional.fold',
  op: ([cols], a) => fold(cols!, a.size, a.k, opts(a)),
  sample: fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
    .chain(([c, h, w]) => windowArb(h, w).map((g) => ({ c, g: { ...g, size: [h, w] as [number, number] } })))
    .filter(
      ({ c, g }) =>
        c * g.k[0] * g.k[1] * outLen(g.size[0], g.k[0], g.s[0], g.p[0], g.d[0]) * outLen(g.size[1], g.k[1], g.s[1], g.p[1], g.d[1]) <= 24,
    )
    .chain(({ c, g }) => {
      const L = outLen(g.size[0], g.k[0], g.s[0], g.p[0], g.d[0]) * outLen(g.size[1], g.k[1], g.s[1], g.p[1], g.d[1]);
      return fc.record({ inputs: fc.tuple(floatInput([1, c * g.k[0] * g.k[1], L])), args: fc.constant(g) });
    }),
  reference: ([cols], a) => {
    const C = cols!.shape[1]! / (a.k[0] * a.k[1]);
    const K = a.k[0] * a.k[1];
    const L = cols!.shape[2]!;
    const out = new Float64Array(C * a.size[0] * a.size[1]);
    eachTap([1, C, ...a.size], a, (_n, c, oh, ow, i, j, at) => {
      const OW = L / outLen(a.size[0], a.k[0], a.s[0], a.p[0], a.d[0]);
      if (at >= 0) out[at]! += cols!.data[(c * K + i * a.k[1] + j) * L + oh * OW + ow]!;
    });
    return ref([1, C, ...a.size], out);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'a block count that does not match outputSize',
      call: () => fold(zeros([1, 4, 5]), [3, 4], 2),
      error: ShapeError,
      message: /^fold: the input's 5 blocks/,
    },
  ],
});

interface ConvArgs extends Window {
  groups: number;
  bias: boolean;
}

/** conv2d samples: x [N, C, H, W], weight [O, C/groups, kh, kw], optional bias [O]. */
const convSample = fc
  .record({
    groups: fc.integer({ min: 1, max: 2 }),
    cg: fc.integer({ min: 1, max: 2 }),
    og: fc.integer({ min: 1, max: 2 }),
    n: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 4 }),
    w: fc.integer({ min: 1, max: 4 }),
  })
  .filter((r) => r.n * r.groups * r.cg * r.h * r.w <= 18)
  .chain((r) =>
    fc.record({ g: windowArb(r.h, r.w), bias: fc.boolean() }).chain(({ g, bias }) => {
      const C = r.groups * r.cg;
      const O = r.groups * r.og;
      const inputs: fc.Arbitrary<InputSpec>[] = [floatInput([r.n, C, r.h, r.w]), floatInput([O, r.cg, g.k[0], g.k[1]])];
      if (bias) inputs.push(floatInput([O]));
      return fc.record({ inputs: fc.tuple(...inputs), args: fc.constant<ConvArgs>({ ...g, groups: r.groups, bias }) });
    }),
  );

const conv2dEntry = opInfo<ConvArgs>({
  name: 'nn.functional.conv2d',
  op: ([x, w, b], a) => conv2d(x!, w!, a.bias ? b! : null, { ...opts(a), groups: a.groups }),
  sample: convSample,
  reference: ([x, w, b], a) => {
    const [N, C] = x!.shape as [number, number];
    const [O, Cg] = w!.shape as [number, number];
    const Og = O / a.groups;
    const [OH, OW] = eachTap([N, 1, x!.shape[2]!, x!.shape[3]!], a, () => undefined);
    const out = new Float64Array(N * O * OH * OW);
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++) {
        const grp = Math.floor(o / Og);
        for (let cl = 0; cl < Cg; cl++) {
          const c = grp * Cg + cl;
          // Taps of channel c only: view the image as one channel.
          eachTap([1, 1, x!.shape[2]!, x!.shape[3]!], a, (_n, _c, oh, ow, i, j, at) => {
            if (at < 0) return;
            const xv = x!.data[(n * C + c) * x!.shape[2]! * x!.shape[3]! + at]!;
            out[((n * O + o) * OH + oh) * OW + ow]! += xv * w!.data[((o * Cg + cl) * a.k[0] + i) * a.k[1] + j]!;
          });
        }
        if (a.bias) for (let p = 0; p < OH * OW; p++) out[(n * O + o) * OH * OW + p]! += b!.data[o]!;
      }
    return ref([N, O, OH, OW], out);
  },
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'a channel count that does not match the weight',
      call: () => conv2d(zeros([1, 3, 4, 4]), zeros([2, 2, 3, 3])),
      error: ShapeError,
      message: /^conv2d: expected the input to have 2 channels \(weight \[2, 2, 3, 3\], groups 1\), but got 3 channels/,
    },
    {
      name: 'strided same padding',
      call: () => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 2, padding: 'same' }),
      error: ValueError,
      message: /^conv2d: padding 'same' is not supported for strided convolutions/,
    },
  ],
});

interface PoolArgs extends Window {
  ceil: boolean;
  includePad: boolean;
}

/** Pool samples with distinct values (no ties) and no window that lies wholly in the padding. */
const poolSample = (dilation: boolean): fc.Arbitrary<{ inputs: [InputSpec]; args: PoolArgs }> =>
  imageArb(2, 16)
    .chain((shape) =>
      fc.record({
        inputs: fc.tuple(distinctInput(shape)),
        args: fc
          .record({ g: windowArb(shape[2], shape[3], { maxPad: 'half', dilation }), ceil: fc.boolean(), includePad: fc.boolean() })
          .map(({ g, ceil, includePad }) => ({ ...g, ceil, includePad })),
      }),
    )
    .filter((s) => {
      const x = { shape: s.inputs[0].shape, data: Float64Array.from(s.inputs[0].data) };
      return Math.min(...poolRef(x, s.args, (vals) => vals.length).data) >= 1;
    });

/** Output length with PyTorch's ceil-mode rule (the last window starts inside the input or left padding). */
function poolLen(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const num = size + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(num / s) : Math.floor(num / s)) + 1;
  if (ceil && (o - 1) * s >= size + p) o--;
  return o;
}

function poolRef(
  x: { shape: number[]; data: Float64Array },
  a: PoolArgs,
  reduce: (vals: number[], padded: number) => number,
): ReturnType<typeof ref> {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const OH = poolLen(H, a.k[0], a.s[0], a.p[0], a.d[0], a.ceil);
  const OW = poolLen(W, a.k[1], a.s[1], a.p[1], a.d[1], a.ceil);
  const out: number[] = [];
  for (let nc = 0; nc < N * C; nc++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const vals: number[] = [];
        let padded = 0;
        for (let i = 0; i < a.k[0]; i++)
          for (let j = 0; j < a.k[1]; j++) {
            const ih = oh * a.s[0] - a.p[0] + i * a.d[0];
            const iw = ow * a.s[1] - a.p[1] + j * a.d[1];
            if (ih < H + a.p[0] && iw < W + a.p[1]) padded++;
            if (ih >= 0 && ih < H && iw >= 0 && iw < W) vals.push(x.data[nc * H * W + ih * W + iw]!);
          }
        out.push(reduce(vals, padded));
      }
  return ref([N, C, OH, OW], out);
}

const maxPoolEntry = opInfo<PoolArgs>({
  name: 'nn.functional.maxPool2d',
  op: ([x], a) => maxPool2d(x!, a.k, { ...opts(a), ceilMode: a.ceil }),
  sample: poolSample(true),
  reference: ([x], a) => poolRef(x!, a, (vals) => Math.max(...vals)),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'too much padding',
      call: () => maxPool2d(zeros([1, 1, 4, 4]), 2, { padding: 2 }),
      error: ValueError,
      message: /^maxPool2d: padding should be at most half of the effective kernel size/,
    },
  ],
});

const avgPoolEntry = opInfo<PoolArgs>({
  name: 'nn.functional.avgPool2d',
  op: ([x], a) => avgPool2d(x!, a.k, { stride: a.s, padding: a.p, ceilMode: a.ceil, countIncludePad: a.includePad }),
  sample: poolSample(false),
  reference: ([x], a) => poolRef(x!, a, (vals, padded) => vals.reduce((s, v) => s + v, 0) / (a.includePad ? padded : vals.length)),
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    {
      name: 'a window larger than the input',
      call: () => avgPool2d(zeros([1, 1, 2, 2]), 3),
      error: ShapeError,
      message: /^avgPool2d: the window \(size 3, dilation 1, so 3 wide\) is larger than the padded input height 2/,
    },
  ],
});

/** The sliding-window entries. @internal */
export const convEntries: AnyOpInfo[] = [unfoldEntry, foldEntry, conv2dEntry, maxPoolEntry, avgPoolEntry];
