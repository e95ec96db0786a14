/**
 * floor, ceil, trunc and round. Their gradient is zero (PyTorch's convention), and they keep the
 * input's dtype (an int32 tensor comes back as a copy).
 * @module
 */
import { checkArity, num, parseOptions } from '../args.js';
import { run } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { tensorArg } from './checks.js';

/**
 * The largest integer not above each element.
 * @example
 * ```ts
 * floor(tensor([-0.5, 1.5])); // tensor([-1, 1])
 * ```
 */
export function floor(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('floor', arguments, 1, 'floor(x)');
  return run('floor', [tensorArg('floor', 'x', x, 'floor(x)')], null);
}

/**
 * The smallest integer not below each element.
 * @example
 * ```ts
 * ceil(tensor([-0.5, 1.5])); // tensor([-0, 2])
 * ```
 */
export function ceil(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('ceil', arguments, 1, 'ceil(x)');
  return run('ceil', [tensorArg('ceil', 'x', x, 'ceil(x)')], null);
}

/**
 * Each element rounded toward zero; its gradient is zero, as in PyTorch.
 * @example
 * ```ts
 * trunc(tensor([-1.7, 1.7])); // tensor([-1, 1])
 * ```
 */
export function trunc(x: Tensor): Tensor {
  if (arguments.length > 1) checkArity('trunc', arguments, 1, 'trunc(x)');
  return run('trunc', [tensorArg('trunc', 'x', x, 'trunc(x)')], null);
}

/** Options of {@link round}. */
export interface RoundOptions {
  /** Decimal places to keep (negative: round to tens, hundreds, ...). Default 0. */
  decimals?: number;
}

const ROUND_FORMS = 'round(x), round(x, { decimals })';

/**
 * Each element rounded to the nearest integer, ties to even (`round(2.5) = 2`), like PyTorch;
 * with `decimals`, to that many decimal places.
 * @example
 * ```ts
 * round(tensor([0.5, 1.5, 2.5])); // tensor([0, 2, 2])
 * round(tensor([1.234]), { decimals: 2 }); // tensor([1.23])
 * ```
 */
export function round(x: Tensor, options?: RoundOptions): Tensor {
  if (arguments.length > 2) checkArity('round', arguments, 2, ROUND_FORMS);
  const t = tensorArg('round', 'x', x, ROUND_FORMS);
  const o =
    options === undefined
      ? {}
      : parseOptions('round', options, { decimals: num({ integer: true, min: -300, max: 300 }) }, { forms: ROUND_FORMS });
  return run('round', [t], { decimals: o.decimals ?? 0 });
}
