/**
 * The fused GRU recurrence of one layer and direction (the `gruSequence` primitive), used by the
 * recurrent layers.
 * @module
 */
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { run } from '../tape.js';
import type { Tensor } from '../tensor.js';

/**
 * Runs a GRU over precomputed input projections `gis` [T, N, 3H] (x·W_ihᵀ + b_ih for every step)
 * with hidden weight `wHh` [3H, H] and bias `bHh` [3H] from the state `h0` [N, H], in PyTorch's
 * gate order r, z, n; steps run from T − 1 down to 0 when `reverse`. Returns the hidden state at
 * each time index, [T, N, H].
 * @example
 * ```ts
 * gruSequence(randn([5, 2, 9]), randn([9, 3]), zeros([9]), zeros([2, 3]), false).shape; // [5, 2, 3]
 * ```
 * @internal
 */
export function gruSequence(gis: Tensor, wHh: Tensor, bHh: Tensor, h0: Tensor, reverse: boolean): Tensor {
  const op = 'gruSequence';
  if (gis.ndim !== 3 || gis.shape[2]! % 3 !== 0)
    throw new ShapeError(`${op}: expected gate inputs of shape [T, N, 3H], got ${fmtShape(gis.shape)}`);
  const [, n, h3] = gis.shape as [number, number, number];
  const h = h3 / 3;
  const fits = (t: Tensor, shape: number[]): boolean => t.ndim === shape.length && shape.every((v, i) => t.shape[i] === v);
  if (!fits(wHh, [h3, h]) || !fits(bHh, [h3]) || !fits(h0, [n, h])) {
    throw new ShapeError(
      `${op}: gate inputs ${fmtShape(gis.shape)} need wHh [${h3}, ${h}], bHh [${h3}] and h0 [${n}, ${h}], got ${fmtShape(wHh.shape)}, ${fmtShape(bHh.shape)} and ${fmtShape(h0.shape)}`,
    );
  }
  for (const t of [gis, wHh, bHh, h0]) {
    if (t.dtype !== gis.dtype || (t.dtype !== 'float32' && t.dtype !== 'float64')) {
      throw new DTypeError(
        `${op}: expected float32 or float64 tensors of one dtype, got ${[gis, wHh, bHh, h0].map((x) => x.dtype).join(', ')}`,
      );
    }
  }
  return run('gruSequence', [gis, wHh, bHh, h0], { reverse });
}
