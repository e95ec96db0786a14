/**
 * OpInfo entry of the fused LSTM recurrence `lstmSequence(gis, wHh, h0, c0, reverse)` (the
 * primitive behind nn.LSTM). gradgradcheck differentiates its createGraph backward (Tensor ops).
 * The reference is a float64 loop over the LSTM equations, independent of src/.
 * @module
 */
import * as fc from 'fast-check';
import { DTypeError, ShapeError } from '../../../src/autograd/errors.js';
import { zeros } from '../../../src/index.js';
import { lstmSequence } from '../../../src/autograd/ops/lstm.js';
import { floatInput } from '../arb.js';
import { ref } from '../ref.js';
import { opInfo, type AnyOpInfo, type Ref } from '../types.js';

interface LstmArgs {
  reverse: boolean;
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** The LSTM equations (gate order i, f, g, o) step by step in float64: [T + 1, N, H]. */
function lstmRef([gis, w, h0, c0]: Ref[], { reverse }: LstmArgs): Ref {
  const [t, n, h4] = gis!.shape as [number, number, number];
  const hs = h4 / 4;
  const out = new Float64Array((t + 1) * n * hs);
  let h = Array.from(h0!.data);
  let c = Array.from(c0!.data);
  for (let k = 0; k < t; k++) {
    const s = reverse ? t - 1 - k : k;
    const h2 = new Array<number>(n * hs);
    const c2 = new Array<number>(n * hs);
    for (let b = 0; b < n; b++) {
      const pre = (gate: number, j: number): number => {
        const row = gate * hs + j;
        let v = gis!.data[(s * n + b) * h4 + row]!;
        for (let q = 0; q < hs; q++) v += h[b * hs + q]! * w!.data[row * hs + q]!;
        return v;
      };
      for (let j = 0; j < hs; j++) {
        const cv = sig(pre(1, j)) * c[b * hs + j]! + sig(pre(0, j)) * Math.tanh(pre(2, j));
        c2[b * hs + j] = cv;
        h2[b * hs + j] = sig(pre(3, j)) * Math.tanh(cv);
      }
    }
    h = h2;
    c = c2;
    out.set(h, s * n * hs);
  }
  out.set(c, t * n * hs);
  return ref([t + 1, n, hs], out, gis!.dtype);
}

/** The recurrent family. @internal */
export const lstmEntries: AnyOpInfo[] = [
  opInfo<LstmArgs>({
    name: 'nn.functional.lstmSequence',
    op: ([gis, w, h0, c0], { reverse }) => lstmSequence(gis!, w!, h0!, c0!, reverse),
    sample: fc
      .record({
        t: fc.integer({ min: 1, max: 3 }),
        n: fc.integer({ min: 1, max: 2 }),
        h: fc.integer({ min: 1, max: 2 }),
        reverse: fc.boolean(),
      })
      .chain(({ t, n, h, reverse }) =>
        fc.record({
          inputs: fc.tuple(
            floatInput([t, n, 4 * h], { min: -2, max: 2 }),
            floatInput([4 * h, h], { min: -1, max: 1 }),
            floatInput([n, h], { min: -1, max: 1 }),
            floatInput([n, h], { min: -1, max: 1 }),
          ),
          args: fc.constant({ reverse }),
        }),
      ),
    reference: lstmRef,
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'a hidden weight of the wrong shape',
        call: () => lstmSequence(zeros([3, 2, 8]), zeros([8, 3]), zeros([2, 2]), zeros([2, 2]), false),
        error: ShapeError,
        message: /^lstmSequence: gate inputs \[3, 2, 8\] need wHh \[8, 2\] and states \[2, 2\], got \[8, 3\]/,
      },
      {
        name: 'mixed dtypes',
        call: () => lstmSequence(zeros([3, 2, 8]), zeros([8, 2], { dtype: 'float64' }), zeros([2, 2]), zeros([2, 2]), false),
        error: DTypeError,
        message: /^lstmSequence: expected float32 or float64 tensors of one dtype, got float32, float64, float32, float32/,
      },
    ],
  }),
];
