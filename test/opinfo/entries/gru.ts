/**
 * OpInfo entry of the fused GRU recurrence `gruSequence(gis, wHh, bHh, h0, reverse)` (the primitive
 * behind nn.GRU). gradgradcheck differentiates its createGraph backward (Tensor ops). The reference
 * is a float64 loop over the GRU equations, independent of src/.
 * @module
 */
import * as fc from 'fast-check';
import { ShapeError } from '../../../src/autograd/errors.js';
import { zeros } from '../../../src/index.js';
import { gruSequence } from '../../../src/autograd/ops/gru.js';
import { floatInput } from '../arb.js';
import { ref } from '../ref.js';
import { opInfo, type AnyOpInfo, type Ref } from '../types.js';

interface GruArgs {
  reverse: boolean;
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** The GRU equations (r, z, n; n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn))) step by step: [T, N, H]. */
function gruRef([gis, w, b, h0]: Ref[], { reverse }: GruArgs): Ref {
  const [t, n, h3] = gis!.shape as [number, number, number];
  const hs = h3 / 3;
  const out = new Float64Array(t * n * hs);
  let h = Array.from(h0!.data);
  for (let k = 0; k < t; k++) {
    const s = reverse ? t - 1 - k : k;
    const h2 = new Array<number>(n * hs);
    for (let bi = 0; bi < n; bi++) {
      const hh = (row: number): number => {
        let v = b!.data[row]!;
        for (let q = 0; q < hs; q++) v += h[bi * hs + q]! * w!.data[row * hs + q]!;
        return v;
      };
      const gi = (row: number): number => gis!.data[(s * n + bi) * h3 + row]!;
      for (let j = 0; j < hs; j++) {
        const r = sig(gi(j) + hh(j));
        const z = sig(gi(hs + j) + hh(hs + j));
        const nv = Math.tanh(gi(2 * hs + j) + r * hh(2 * hs + j));
        h2[bi * hs + j] = (1 - z) * nv + z * h[bi * hs + j]!;
      }
    }
    h = h2;
    out.set(h, s * n * hs);
  }
  return ref([t, n, hs], out, gis!.dtype);
}

/** The GRU family. @internal */
export const gruEntries: AnyOpInfo[] = [
  opInfo<GruArgs>({
    name: 'nn.functional.gruSequence',
    op: ([gis, w, b, h0], { reverse }) => gruSequence(gis!, w!, b!, h0!, reverse),
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
            floatInput([t, n, 3 * h], { min: -2, max: 2 }),
            floatInput([3 * h, h], { min: -1, max: 1 }),
            floatInput([3 * h], { min: -1, max: 1 }),
            floatInput([n, h], { min: -1, max: 1 }),
          ),
          args: fc.constant({ reverse }),
        }),
      ),
    reference: gruRef,
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'a bias of the wrong shape',
        call: () => gruSequence(zeros([3, 2, 6]), zeros([6, 2]), zeros([5]), zeros([2, 2]), false),
        error: ShapeError,
        message: /^gruSequence: gate inputs \[3, 2, 6\] need wHh \[6, 2\], bHh \[6\] and h0 \[2, 2\], got \[6, 2\], \[5\] and \[2, 2\]/,
      },
    ],
  }),
];
