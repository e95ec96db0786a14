/**
 * The sliding-window primitives (unfold / fold, what F.conv2d, F.maxPool2d, F.unfold, ... are
 * made of) in ONNX: unfold is Pad + one Gather of precomputed positions; fold is a
 * ScatterElements(add) of the columns into a zero image, then a Slice that drops the padding.
 * The batch dim stays free (Reshape copies it with 0).
 * @module
 */
import type { PrimAttrs } from '../autograd/primitives.js';
import type { Value } from './graph.js';
import type { ConvertContext } from './prims.js';

type Window = PrimAttrs['fold'];

/** The padded image size and the padding after the image, for the windows `s` describes. */
function padded(s: Window): { hp: number; wp: number; afterH: number; afterW: number } {
  const needH = (s.outH - 1) * s.sh + (s.kh - 1) * s.dh + 1;
  const needW = (s.outW - 1) * s.sw + (s.kw - 1) * s.dw + 1;
  const hp = Math.max(s.ph + s.h, needH);
  const wp = Math.max(s.pw + s.w, needW);
  return { hp, wp, afterH: hp - s.ph - s.h, afterW: wp - s.pw - s.w };
}

/** Flat positions in the padded image of every tap (row-major kh·kw) of every window (row-major outH·outW). */
function tapPositions(s: Window, wp: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.kh; i++) {
    for (let j = 0; j < s.kw; j++) {
      for (let oy = 0; oy < s.outH; oy++) {
        for (let ox = 0; ox < s.outW; ox++) out.push((oy * s.sh + i * s.dh) * wp + ox * s.sw + j * s.dw);
      }
    }
  }
  return out;
}

/** unfold: [N, C, h, w] → [N, C·kh·kw, outH·outW]; taps in the padding read `padValue`. @internal */
export function unfoldToOnnx(c: ConvertContext): Value {
  const s = c.ev.attrs as PrimAttrs['unfold'];
  const x = c.ev.inputs[0]!;
  const g = c.g;
  const ch = x.shape[1]!;
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const { wp, afterH, afterW } = padded(s);
  let image = c.ins[0]!.name;
  if (s.ph + s.pw + afterH + afterW > 0) {
    image = g.op('Pad', [image, g.int64s([0, 0, s.ph, s.pw, 0, 0, afterH, afterW]), g.scalar(s.padValue, dtype)]);
  }
  const flat = g.op('Reshape', [image, g.int64s([0, 0, -1])]);
  const taps = g.int64s(tapPositions(s, wp), [s.kh * s.kw, s.outH * s.outW]);
  const gathered = g.op('Gather', [flat, taps], { axis: { int: 2 } }); // [N, C, kh·kw, L]
  const y = g.op('Reshape', [gathered, g.int64s([0, ch * s.kh * s.kw, s.outH * s.outW])]);
  return { name: y, batchAxis: c.ins[0]!.batchAxis };
}

/** fold: [N, C·kh·kw, outH·outW] → [N, C, h, w], summing the taps that land on one pixel. @internal */
export function foldToOnnx(c: ConvertContext): Value {
  const s = c.ev.attrs as Window;
  const cols = c.ev.inputs[0]!;
  const g = c.g;
  const ch = cols.shape[1]! / (s.kh * s.kw);
  const { hp, wp } = padded(s);
  const type = cols.dtype === 'float64' ? 'float64' : 'float32';
  const count = s.kh * s.kw * s.outH * s.outW;
  const src = g.op('Reshape', [c.ins[0]!.name, g.int64s([0, ch, count])]);
  const srcShape = g.op('Shape', [src]);
  const zerosShape = g.op('Concat', [g.op('Slice', [srcShape, g.int64s([0]), g.int64s([1])]), g.int64s([ch, hp * wp])], {
    axis: { int: 0 },
  });
  const zero = new Uint8Array(type === 'float64' ? new Float64Array(1).buffer : new Float32Array(1).buffer);
  const zeros = g.op('ConstantOfShape', [zerosShape], { value: { tensor: { name: 'value', dims: [1], type, raw: zero } } });
  const index = g.op('Expand', [g.int64s(tapPositions(s, wp), [1, 1, count]), srcShape]);
  const summed = g.op('ScatterElements', [zeros, index, src], { axis: { int: 2 }, reduction: { string: 'add' } });
  const image = g.op('Reshape', [summed, g.int64s([0, ch, hp, wp])]);
  const y = g.op('Slice', [image, g.int64s([s.ph, s.pw]), g.int64s([s.ph + s.h, s.pw + s.w]), g.int64s([2, 3])]);
  return { name: y, batchAxis: c.ins[0]!.batchAxis };
}
