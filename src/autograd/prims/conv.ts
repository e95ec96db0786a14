/**
 * Sliding-window primitives: `unfold` (im2col) and `fold` (col2im). Each is the other's adjoint,
 * so each is the other's backward, and every composite built on them (conv2d, convTranspose2d,
 * the pools) is differentiable any number of times.
 * @module
 */
import { col2im, im2col, type ConvArray, type ConvGeometry, type WindowSpec } from '../../kernels/conv.js';
import { rule, type RuleTable } from '../rule.js';
import type { Tensor } from '../tensor.js';
import { copyInto } from './movement.js';
import { empty } from './common.js';
import { foldPrim, unfoldPrim } from '../ops/nn.js';

/** Attributes of the sliding-window primitives. @internal */
// prettier-ignore
export interface ConvAttrs {
  /** [N, C, h, w] → [N, C·kh·kw, outH·outW]; taps in the padding read `padValue`. */
  unfold: WindowSpec & { padValue: number };
  /** [N, C·kh·kw, outH·outW] → [N, C, h, w], summing overlapping taps. */
  fold: WindowSpec;
};

function contiguousOf(x: Tensor): Tensor {
  // Stryker disable next-line ConditionalExpression: → false copies a contiguous input too: same values, one copy more
  if (x._contiguous) return x;
  const copy = empty(x.shape, x.dtype);
  copyInto(copy, x);
  return copy;
}

/** The window fields of `s` alone (an unfold's attrs without `padValue`, a caller's spec without extras). @internal */
export function windowOnly(s: WindowSpec): WindowSpec {
  const { h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = s;
  return { h, w, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW };
}

/** The kernel geometry of `n` images of `c` channels windowed by `s`. */
function geometry(n: number, c: number, s: WindowSpec): ConvGeometry {
  return { n, c, ...windowOnly(s) };
}

/** The sliding-window rule table. @internal */
// prettier-ignore
export const convRules: RuleTable<ConvAttrs> = {
  unfold: rule({
    forward: ([input], s) => {
      const x = contiguousOf(input!);
      const [n, c] = x.shape as [number, number];
      const out = empty([n, c * s.kh * s.kw, s.outH * s.outW], x.dtype);
      im2col(x._storage.data as ConvArray, x._offset, out._storage.data as ConvArray, geometry(n, c, s), s.padValue);
      return out;
    },
    backward: (g, { attrs: s }) => [foldPrim(g, s)],
  }),
  fold: rule({
    forward: ([input], s) => {
      const cols = contiguousOf(input!);
      const [n, ckk] = cols.shape as [number, number];
      const c = ckk / (s.kh * s.kw);
      const out = empty([n, c, s.h, s.w], cols.dtype);
      col2im(cols._storage.data as ConvArray, cols._offset, out._storage.data as ConvArray, geometry(n, c, s));
      return out;
    },
    backward: (g, { attrs: s }) => [unfoldPrim(g, s, 0)],
  }),
};
