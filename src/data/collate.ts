/**
 * The default collate function: turns a list of items into one batch, recursively.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { stack } from '../autograd/ops/shape.js';
import { Tensor } from '../autograd/tensor.js';

/**
 * The batch type {@link defaultCollate} makes from items of type `T`: tensors, numbers and
 * booleans become one tensor, strings a string array, and arrays and objects keep their structure
 * with each field collated.
 * @example
 * ```ts
 * type B = data.Collated<{ image: Tensor; label: number }>; // { image: Tensor; label: Tensor }
 * ```
 */
export type Collated<T> = T extends Tensor | number | boolean
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

function where(path: string): string {
  return path === '' ? '' : ` at ${path}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return 'Tensor';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function collateAt(items: readonly unknown[], path: string): unknown {
  const first = items[0];
  const kind = kindOf(first);
  for (let i = 1; i < items.length; i++) {
    const k = kindOf(items[i]);
    if (k !== kind) throw new ValueError(`defaultCollate: item 0 is a ${kind} but item ${i} is a ${k}${where(path)}`);
  }
  if (first instanceof Tensor) {
    const ts = items as readonly Tensor[];
    for (let i = 1; i < ts.length; i++) {
      const a = first.shape;
      const b = ts[i]!.shape;
      if (a.length !== b.length || a.some((d, j) => d !== b[j])) {
        throw new ShapeError(
          `defaultCollate: cannot stack item 0 of shape ${fmtShape(a)} with item ${i} of shape ${fmtShape(b)}${where(path)}`,
        );
      }
    }
    return stack(ts, 0);
  }
  if (kind === 'number') {
    const out = new Float32Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = items[i] as number;
    return Tensor._fromData(out, [items.length], 'float32');
  }
  if (kind === 'boolean') {
    const out = new Uint8Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = items[i] ? 1 : 0;
    return Tensor._fromData(out, [items.length], 'bool');
  }
  if (kind === 'string') return items.slice();
  if (Array.isArray(first)) {
    const n = first.length;
    items.forEach((it, i) => {
      if ((it as unknown[]).length !== n) {
        throw new ValueError(`defaultCollate: item 0 has ${n} elements but item ${i} has ${(it as unknown[]).length}${where(path)}`);
      }
    });
    const out: unknown[] = [];
    for (let j = 0; j < n; j++)
      out.push(
        collateAt(
          items.map((it) => (it as unknown[])[j]),
          `${path}[${j}]`,
        ),
      );
    return out;
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    items.forEach((it, i) => {
      const other = Object.keys(it as object);
      if (other.length !== keys.length || keys.some((k) => !Object.prototype.hasOwnProperty.call(it, k))) {
        throw new ValueError(`defaultCollate: item 0 has keys {${keys.join(', ')}} but item ${i} has {${other.join(', ')}}${where(path)}`);
      }
    });
    const out: Record<string, unknown> = {};
    for (const k of keys)
      out[k] = collateAt(
        items.map((it) => (it as Record<string, unknown>)[k]),
        path === '' ? k : `${path}.${k}`,
      );
    return out;
  }
  throw new ValueError(
    `defaultCollate: cannot collate a ${kind}${where(path)}; supported: Tensor, number, boolean, string, arrays and plain objects of them`,
  );
}

/**
 * Combines a list of items into one batch, as PyTorch's `default_collate` does: tensors are
 * stacked along a new dim 0 (keeping their dtype), JS numbers become a float32 tensor (JS numbers
 * carry no int/float distinction; return int32 0-d tensors from `get` for class labels), booleans
 * a bool tensor, strings a string array, and arrays and plain objects are collated field by field.
 * @throws {@link ShapeError} for tensors of different shapes; {@link ValueError} for mismatched
 * structure or an unsupported value (the message gives the path, e.g. `at image` or `at [1]`).
 * @example
 * ```ts
 * const batch = data.defaultCollate([
 *   { x: tensor([1, 2]), y: 0 },
 *   { x: tensor([3, 4]), y: 1 },
 * ]); // { x: Tensor [2, 2], y: Tensor [2] float32 }
 * ```
 */
export function defaultCollate<T>(items: readonly T[]): Collated<T> {
  if (!Array.isArray(items) || items.length === 0) throw new ValueError('defaultCollate: expected a non-empty array of items');
  return collateAt(items, '') as Collated<T>;
}
