/**
 * Rearranging ops PyTorch users reach for: repeat, tile, flip, roll and t. repeat and tile are an
 * expand of an interleaved view and one reshape (one copy); flip gathers along each dim; roll is
 * a cat of two narrows per dim. All are differentiable through the ops they are built from.
 * @module
 */
import { checkArity, describe, sizesOf } from '../args.js';
import { ArgumentTypeError, ShapeError, fmtShape } from '../errors.js';
import { normDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { indexSelect } from './indexing.js';
import { cat, clone, expand, narrow, reshape, transpose } from './shape.js';
import { tensorArg } from './checks.js';

const REPEAT_FORMS = 'repeat(x, [2, 3]) or x.repeat(2, 3)';

/**
 * `x` tiled `sizes[i]` times along each dim, like `torch.Tensor.repeat`: `sizes` has at least
 * x's number of dims, and extra leading sizes add dims.
 * @example
 * ```ts
 * repeat(tensor([1, 2]), [2, 2]); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 * ```
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  if (arguments.length > 2) checkArity('repeat', arguments, 2, REPEAT_FORMS);
  tensorArg('repeat', 'x', x, REPEAT_FORMS);
  const reps = sizesOf('repeat', [sizes], REPEAT_FORMS);
  reps.forEach((r) => {
    if (!Number.isInteger(r) || r < 0) throw new ArgumentTypeError(`repeat: repeats must be non-negative integers, got ${describe(reps)}`);
  });
  if (reps.length < x.ndim)
    throw new ShapeError(
      `repeat: ${reps.length} repeat sizes for a tensor of ${x.ndim} dims ${fmtShape(x.shape)}; give at least one per dim`,
    );
  const shape = [...Array<number>(reps.length - x.ndim).fill(1), ...x.shape];
  const interleaved = shape.flatMap((s) => [1, s]);
  const expanded = shape.flatMap((s, i) => [reps[i]!, s]);
  return reshape(
    expand(reshape(x, interleaved), expanded),
    shape.map((s, i) => s * reps[i]!),
  );
}

/**
 * `x` tiled like `torch.tile`: as {@link repeat}, but fewer sizes than dims are padded with 1s in front.
 * @example
 * ```ts
 * tile(ones([2, 2]), [3]); // shape [2, 6]
 * ```
 */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  if (arguments.length > 2) checkArity('tile', arguments, 2, 'tile(x, dims)');
  tensorArg('tile', 'x', x, 'tile(x, dims)');
  const reps = sizesOf('tile', [dims], 'tile(x, [2, 3]) or x.tile(2, 3)');
  return repeat(x, [...Array<number>(Math.max(0, x.ndim - reps.length)).fill(1), ...reps]);
}

function dimList(op: string, dims: unknown, ndim: number, forms: string): number[] {
  const list = typeof dims === 'number' ? [dims] : Array.isArray(dims) ? dims : null;
  if (list === null || list.some((d) => typeof d !== 'number'))
    throw new ArgumentTypeError(`${op}: dims must be an integer or an array of integers, got ${describe(dims)}; accepted forms: ${forms}`);
  const out = (list as number[]).map((d) => normDim(op, d, ndim));
  if (new Set(out).size !== out.length) throw new ArgumentTypeError(`${op}: dim ${describe(list)} appears more than once`);
  return out;
}

const FLIP_FORMS = 'flip(x, dims), x.flip(0) or x.flip([0, 1])';

/**
 * `x` with the order of the elements reversed along each of `dims` (a copy, as in PyTorch).
 * @example
 * ```ts
 * flip(tensor([1, 2, 3]), 0); // tensor([3, 2, 1])
 * ```
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  if (arguments.length > 2) checkArity('flip', arguments, 2, FLIP_FORMS);
  tensorArg('flip', 'x', x, FLIP_FORMS);
  let out = x;
  for (const d of dimList('flip', dims, x.ndim, FLIP_FORMS)) {
    if (x.ndim === 0) continue;
    const n = x.shape[d]!;
    out = indexSelect(
      out,
      d,
      Tensor._fromData(
        Int32Array.from({ length: n }, (_, i) => n - 1 - i),
        [n],
        'int32',
      ),
    );
  }
  return out === x ? clone(x) : out;
}

const ROLL_FORMS = 'roll(x, shifts), roll(x, shifts, dims), x.roll(1, 0) or x.roll([1, 2], [0, 1])';

/**
 * `x` shifted cyclically by `shifts` along `dims`; without dims, the flattened tensor is rolled
 * and the shape restored, like `torch.roll`.
 * @example
 * ```ts
 * roll(tensor([1, 2, 3, 4]), 1); // tensor([4, 1, 2, 3])
 * ```
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  if (arguments.length > 3) checkArity('roll', arguments, 3, ROLL_FORMS);
  tensorArg('roll', 'x', x, ROLL_FORMS);
  const s = typeof shifts === 'number' ? [shifts] : Array.isArray(shifts) ? (shifts as unknown[]) : null;
  if (s === null || s.some((v) => typeof v !== 'number' || !Number.isInteger(v)))
    throw new ArgumentTypeError(
      `roll: shifts must be an integer or an array of integers, got ${describe(shifts)}; accepted forms: ${ROLL_FORMS}`,
    );
  const shiftList = s as number[];
  if (dims === undefined) {
    if (shiftList.length !== 1) throw new ArgumentTypeError(`roll: without dims, shifts must be one integer, got ${describe(shifts)}`);
    return reshape(roll(reshape(x, [-1]), shiftList[0]!, 0), x.shape);
  }
  const d = dimList('roll', dims, Math.max(x.ndim, 1), ROLL_FORMS);
  if (d.length !== shiftList.length)
    throw new ArgumentTypeError(`roll: ${shiftList.length} shift(s) but ${d.length} dim(s); give one shift per dim`);
  let out = x;
  d.forEach((dim, i) => {
    if (x.ndim === 0) return;
    const n = out.shape[dim]!;
    const k = n === 0 ? 0 : ((shiftList[i]! % n) + n) % n;
    if (k !== 0) out = cat([narrow(out, dim, n - k, k), narrow(out, dim, 0, n - k)], dim);
  });
  return out === x ? clone(x) : out;
}

/**
 * The transpose of a matrix; a 0-d or 1-d tensor is returned as it is (as PyTorch's `t()`).
 * @example
 * ```ts
 * t(ones([2, 3])).shape; // [3, 2]
 * ```
 */
export function t(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('t', arguments, 1, 't(x) or x.t()');
  tensorArg('t', 'x', x, 't(x) or x.t()');
  if (x.ndim > 2) throw new ShapeError(`t: expects a tensor with at most 2 dims, got shape ${fmtShape(x.shape)}; use transpose or mT`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}
