/**
 * A tensor's elements as JS values: `item` (one number) and `toNested` (nested arrays), behind
 * `Tensor.item()`, `Tensor.toArray()` and number conversion.
 * @module
 */
import { dtypeOfArray } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import type { NestedArray, Tensor } from '../tensor.js';
import { contiguousData } from './shape.js';

/**
 * The value of a one-element tensor.
 * @example
 * ```ts
 * item(tensor([[3]])); // 3
 * ```
 */
export function item(x: Tensor): number {
  if (x.numel() !== 1) throw new ValueError(`item: only a one-element tensor can be converted to a number, got shape ${fmtShape(x.shape)}`);
  return x._storage.data[x._offset]!;
}

/** Nested JS arrays of the elements. @internal */
export function toNested(x: Tensor): NestedArray {
  const data = contiguousData(x);
  const isBool = dtypeOfArray(data) === 'bool';
  const conv = (v: number): number | boolean => (isBool ? v !== 0 : v);
  if (x.ndim === 0) return conv(data[0]!);
  let pos = 0;
  const build = (d: number): NestedArray[] => {
    const n = x.shape[d]!;
    const out = new Array<NestedArray>(n);
    for (let i = 0; i < n; i++) out[i] = d === x.ndim - 1 ? conv(data[pos++]!) : build(d + 1);
    return out;
  };
  return build(0);
}
