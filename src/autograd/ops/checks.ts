/**
 * Checks of positional arguments shared by the ops: a Tensor operand, an integer dim, a dim given
 * positionally or as `{ dim }`. Each error names the op and the accepted form.
 * @module
 */
import { describe, isPlainObject, parseOptions } from '../args.js';
import { ArgumentTypeError } from '../errors.js';
import { Tensor } from '../tensor.js';

/** `v` when it is a Tensor, else an ArgumentTypeError naming `op`, the argument and the form. @internal */
export function tensorArg(op: string, name: string, v: unknown, forms?: string): Tensor {
  if (v instanceof Tensor) return v;
  const hint =
    typeof v === 'number'
      ? ` (for a number, use tensor(${v}) or the elementwise ops)`
      : Array.isArray(v)
        ? ' (wrap an array with tensor(...))'
        : '';
  throw new ArgumentTypeError(`${op}: ${name} must be a Tensor, got ${describe(v)}${hint}${forms ? `; accepted forms: ${forms}` : ''}`);
}

/** `v` when it is a number (its range is checked where it is used), else an ArgumentTypeError. @internal */
export function intArg(op: string, name: string, v: unknown, forms?: string): number {
  if (typeof v === 'number') return v;
  throw new ArgumentTypeError(`${op}: ${name} must be an integer, got ${describe(v)}${forms ? `; accepted forms: ${forms}` : ''}`);
}

/** A trailing `dim` given as a number or as `{ dim }` (PyTorch's keyword form); `fallback` when absent. @internal */
export function dimArg(op: string, v: unknown, fallback: number, forms: string): number {
  if (v === undefined) return fallback;
  if (isPlainObject(v)) {
    const o = parseOptions(op, v, { dim: (o2, k, d) => intArg(o2, k, d, forms) }, { forms });
    return o.dim ?? fallback;
  }
  return intArg(op, 'dim', v, forms);
}
