/**
 * The fused LSTM recurrence of one layer and direction (the `lstmSequence` primitive), used by
 * the recurrent layers.
 * @module
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { run } from '../tape.js';
import type { Tensor } from '../tensor.js';

/**
 * Runs an LSTM over precomputed gate inputs `gis` [T, N, 4H] (x·W_ihᵀ + b_ih + b_hh for every
 * step) with hidden weight `wHh` [4H, H] from the states `h0`, `c0` [N, H], in PyTorch's gate order
 * i, f, g, o; steps run from T − 1 down to 0 when `reverse`. Returns [T + 1, N, H]: the hidden
 * state at each time index, then the final cell state.
 * @example
 * ```ts
 * const out = lstmSequence(randn([5, 2, 12]), randn([12, 3]), zeros([2, 3]), zeros([2, 3]), false);
 * out.shape; // [6, 2, 3]: out[0..4] the hidden states, out[5] the last cell state
 * ```
 * @internal
 */
export function lstmSequence(gis: Tensor, wHh: Tensor, h0: Tensor, c0: Tensor, reverse: boolean): Tensor {
  const op = 'lstmSequence';
  if (gis.ndim !== 3 || gis.shape[2]! % 4 !== 0)
    throw new ShapeError(`${op}: expected gate inputs of shape [T, N, 4H], got ${fmtShape(gis.shape)}`);
  const [, n, h4] = gis.shape as [number, number, number];
  const h = h4 / 4;
  const fits = (t: Tensor, a: number, b: number): boolean => t.ndim === 2 && t.shape[0] === a && t.shape[1] === b;
  if (!fits(wHh, h4, h) || !fits(h0, n, h) || !fits(c0, n, h)) {
    throw new ShapeError(
      `${op}: gate inputs ${fmtShape(gis.shape)} need wHh [${h4}, ${h}] and states [${n}, ${h}], got ${fmtShape(wHh.shape)}, ${fmtShape(h0.shape)} and ${fmtShape(c0.shape)}`,
    );
  }
  for (const t of [gis, wHh, h0, c0]) {
    if (t.dtype !== gis.dtype || (t.dtype !== 'float32' && t.dtype !== 'float64')) {
      throw new DTypeError(
        `${op}: expected float32 or float64 tensors of one dtype, got ${[gis, wHh, h0, c0].map((x) => x.dtype).join(', ')}`,
      );
    }
  }
  return run('lstmSequence', [gis, wHh, h0, c0], { reverse });
}
