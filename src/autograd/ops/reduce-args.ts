/**
 * The argument forms of reductions, read as PyTorch reads them: `x.sum()`, `x.sum(dim)`,
 * `x.sum(dim, keepdim)`, `x.sum(dim, { keepdim, dtype })` and `x.sum({ dim, keepdim })`; var/std
 * also take `unbiased` positionally and `correction`.
 * @module
 */
import { bool, checkArity, checkNumber, describe, nullable, num, parseOptions, splitOptions, type OptionSpec } from '../args.js';
import { dtypeOption, type DType } from '../dtype.js';
import { ArgumentTypeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';

/** One dim or several (negative dims count from the end). */
export type Dims = number | readonly number[];

/** Options of a reduction: the dims (null or absent: all) and whether to keep them with size 1. */
export interface ReduceOptions {
  /** The dim or dims to reduce (default all). */
  dim?: Dims | null;
  /** Keep reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/** Options of a reduction that can first convert its input (`sum`, `mean`, `prod`). */
export interface DTypeReduceOptions extends ReduceOptions {
  /** Convert the input to this dtype before reducing, as PyTorch's `dtype=` does. */
  dtype?: DType;
}

/** Options of a reduction along exactly one dim (`argmax`, `max(dim)`). */
export interface DimOptions {
  /** The dim to reduce. */
  dim?: number | null;
  /** Keep the reduced dim with size 1 (default false). */
  keepdim?: boolean;
}

/** Options of `var` and `std`. */
export interface VarOptions extends ReduceOptions {
  /** False divides by N instead of N - 1 (the same as `correction: 0`). */
  unbiased?: boolean;
  /** Divide by `N - correction` (default 1). */
  correction?: number;
}

/** Reduction arguments: `()`, `(dim)`, `(dim, keepdim)`, each with an options object last, or `(options)`. */
export type ReduceArgs<O, D = Dims> =
  | []
  | [options: O | undefined]
  | [dim: D | null | undefined, options?: O]
  | [dim: D | null | undefined, keepdim: boolean | undefined, options?: O];

/** The parsed arguments of a reduction. @internal */
export interface ParsedReduce {
  dim: number | readonly number[] | undefined;
  keepdim: boolean;
  dtype?: DType | undefined;
}

const NO_ARGS: ParsedReduce = Object.freeze({ dim: undefined, keepdim: false });

const intDim = num({ integer: true });

function dimsCheck(op: string, key: string, v: unknown): number | number[] {
  if (typeof v === 'number') return intDim(op, key, v);
  if (Array.isArray(v)) return v.map((d, i) => checkNumber(op, `${key}[${i}]`, d, { integer: true }));
  throw new ArgumentTypeError(`${op}: ${key} must be an integer or an array of integers, got ${describe(v)}`);
}

function oneDimCheck(op: string, key: string, v: unknown): number {
  if (typeof v === 'number') return intDim(op, key, v);
  throw new ArgumentTypeError(
    `${op}: ${key} must be one integer dim, got ${describe(v)}${Array.isArray(v) ? ` (${op} reduces one dim at a time)` : ''}`,
  );
}

const MANY_SPEC = { dim: nullable(dimsCheck), keepdim: bool };
const MANY_DTYPE_SPEC = { ...MANY_SPEC, dtype: dtypeOption };
const ONE_SPEC = { dim: nullable(oneDimCheck), keepdim: bool };

/** Throws for the first argument of a top-level reduction that is not a Tensor. @internal */
export function checkInput(op: string, x: unknown, forms: string): asserts x is Tensor {
  if (!(x instanceof Tensor))
    throw new ArgumentTypeError(`${op}: expected a Tensor as the input, got ${describe(x)}; accepted forms: ${forms}`);
}

function given<T>(op: string, key: string, positional: T | undefined, option: T | undefined): T | undefined {
  if (positional !== undefined && option !== undefined) throw new ValueError(`${op}: ${key} given twice, positionally and in the options`);
  return positional ?? option;
}

function keepdimArg(op: string, v: unknown, forms: string): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  const hint = typeof v === 'number' ? ' (to reduce several dims, pass them as one array: [0, 1])' : '';
  throw new ArgumentTypeError(
    `${op}: keepdim (the argument after dim) must be a boolean, got ${describe(v)}${hint}; accepted forms: ${forms}`,
  );
}

/**
 * Reads `(dim?, keepdim?, options?)` of a reduction. `one` limits dim to one integer; `dtype` also
 * accepts a `dtype` option.
 * @internal
 */
export function reduceArgs(
  op: string,
  args: readonly unknown[],
  forms: string,
  settings: { one?: boolean; dtype?: boolean } = {},
): ParsedReduce {
  if (args.length === 0) return NO_ARGS;
  const [pos, raw] = splitOptions(args);
  checkArity(op, pos, 2, forms);
  const spec: OptionSpec = settings.one ? ONE_SPEC : settings.dtype ? MANY_DTYPE_SPEC : MANY_SPEC;
  const o = parseOptions(op, raw, spec, { forms }) as { dim?: number | number[] | null; keepdim?: boolean; dtype?: DType };
  const p0 = pos[0] === undefined || pos[0] === null ? undefined : (settings.one ? oneDimCheck : dimsCheck)(op, 'dim', pos[0]);
  const dim = given(op, 'dim', p0, o.dim ?? undefined);
  const keepdim = given(op, 'keepdim', keepdimArg(op, pos[1], forms), o.keepdim) ?? false;
  return { dim, keepdim, dtype: o.dtype };
}

/**
 * Reads `(dim, dtype?)` or `({ dim, dtype })` of softmax, logSoftmax and cumsum: one dim, required.
 * @internal
 */
export function dimDTypeArgs(op: string, args: readonly unknown[], forms: string): { dim: number; dtype: DType | undefined } {
  const [pos, raw] = splitOptions(args);
  checkArity(op, pos, 2, forms);
  const o = parseOptions(op, raw, { dim: oneDimCheck, dtype: dtypeOption }, { forms });
  const dim = given(op, 'dim', pos[0] === undefined ? undefined : oneDimCheck(op, 'dim', pos[0]), o.dim);
  if (dim === undefined) throw new ArgumentTypeError(`${op}: dim is required; accepted forms: ${forms}`);
  const dtype = given(op, 'dtype', pos[1] === undefined ? undefined : dtypeOption(op, 'dtype', pos[1]), o.dtype);
  return { dim, dtype };
}

const VAR_SPEC = { ...MANY_SPEC, unbiased: bool, correction: num({ min: 0 }) };

/**
 * Reads var/std arguments as PyTorch does: `()`, `(unbiased)`, `(dim)`, `(dim, unbiased)`,
 * `(dim, unbiased, keepdim)`, each with `{ dim, unbiased, correction, keepdim }` last.
 * @internal
 */
export function varArgs(op: string, args: readonly unknown[], forms: string): ParsedReduce & { correction: number } {
  if (args.length === 0) return { dim: undefined, keepdim: false, correction: 1 };
  const [pos, raw] = splitOptions(args);
  checkArity(op, pos, 3, forms);
  const o = parseOptions(op, raw, VAR_SPEC, { forms });
  let p0: number | number[] | undefined;
  let unbiasedPos: unknown;
  if (typeof pos[0] === 'boolean') {
    if (pos.length > 1) throw new ArgumentTypeError(`${op}: after unbiased, give the rest as options; accepted forms: ${forms}`);
    unbiasedPos = pos[0];
  } else {
    p0 = pos[0] === undefined || pos[0] === null ? undefined : dimsCheck(op, 'dim', pos[0]);
    unbiasedPos = pos[1];
  }
  if (unbiasedPos !== undefined && typeof unbiasedPos !== 'boolean') {
    throw new ArgumentTypeError(
      `${op}: unbiased (the argument after dim) must be a boolean, got ${describe(unbiasedPos)}; accepted forms: ${forms}`,
    );
  }
  const dim = given(op, 'dim', p0, o.dim ?? undefined);
  const unbiased = given(op, 'unbiased', unbiasedPos, o.unbiased);
  const keepdim = given(op, 'keepdim', keepdimArg(op, pos[2], forms), o.keepdim) ?? false;
  if (unbiased !== undefined && o.correction !== undefined) throw new ValueError(`${op}: give unbiased or correction, not both`);
  return { dim, keepdim, correction: o.correction ?? (unbiased === false ? 0 : 1) };
}
