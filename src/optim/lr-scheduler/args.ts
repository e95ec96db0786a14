/**
 * How schedulers read their arguments: PyTorch's positional arguments in PyTorch's order, an
 * options object, or both (`new ReduceLROnPlateau(opt, 'min', { patience: 2 })`), checked against
 * one spec per scheduler.
 * @module
 */
import { describe, notImplemented, num, parsePositional, suggest, type Check, type OptionSpec, type Parsed } from '../../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../../autograd/errors.js';

/** The arguments every epoch-based scheduler ends with, in PyTorch: `last_epoch` and `verbose`. @internal */
const SCHEDULER_COMMON = {
  lastEpoch: num({ integer: true, min: -1 }),
  verbose: notImplemented([false], 'schedulers do not print; read getLastLr() after step()'),
};

/** An integer >= 1 (a period, a step count). @internal */
export const positiveInt: Check<number> = num({ integer: true, min: 1 });

/** A number >= 0 (a factor, an lr). @internal */
export const nonNegative: Check<number> = num({ min: 0 });

/**
 * A number >= 0, or an array of them (one per parameter group); the count is checked by the
 * scheduler, which knows the groups. @internal
 */
export const perGroupNumber: Check<number | number[]> = (op, key, v) => {
  if (typeof v === 'number') return nonNegative(op, key, v);
  if (Array.isArray(v)) return v.map((x, i) => nonNegative(op, `${key}[${i}]`, x));
  throw new ArgumentTypeError(`${op}: ${key} must be a number >= 0 or an array of them, one per parameter group, got ${describe(v)}`);
};

/**
 * One of `values`, also accepting PyTorch's snake_case spelling of each (`'exp_range'` for
 * `'expRange'`), returned in tapegrad's spelling. @internal
 */
export function choice<const T extends string>(values: readonly T[], aliases: Readonly<Record<string, T>> = {}): Check<T> {
  return (op, key, v) => {
    if ((values as readonly unknown[]).includes(v)) return v as T;
    if (typeof v === 'string' && Object.hasOwn(aliases, v)) return aliases[v]!;
    const guess = typeof v === 'string' ? suggest(v, values) : undefined;
    throw new ValueError(
      `${op}: ${key} must be one of ${values.map((x) => `'${x}'`).join(', ')}, got ${describe(v)}${guess ? `: did you mean '${guess}'?` : ''}`,
    );
  };
}

/**
 * Reads a scheduler's arguments after the optimizer: positional values named by `positional`
 * (PyTorch's order; `lastEpoch` and `verbose` are appended unless `positional` places them), then
 * an optional options object, checked against `spec` plus `lastEpoch` and `verbose`. Throws when a
 * name of `required` is missing. `verbose` (only false is accepted) is dropped.
 * @internal
 */
export function readSchedulerArgs<S extends OptionSpec>(
  name: string,
  args: readonly unknown[],
  positional: readonly string[],
  spec: S,
  required: readonly string[] = [],
): Parsed<S & typeof SCHEDULER_COMMON> {
  const names = positional.includes('verbose') ? positional : [...positional, 'lastEpoch', 'verbose'];
  const full = { ...spec, ...SCHEDULER_COMMON };
  const lead = required.length > 0 ? `${required.join(', ')}, ` : '';
  const forms = `new ${name}(optimizer, ${names.join(', ')}) with any leading part in PyTorch's order, or new ${name}(optimizer, ${lead}{ ${Object.keys(
    full,
  )
    .filter((k) => !required.includes(k))
    .join(', ')} })`;
  const parsed = parsePositional(name, args, names as (keyof S & string)[], full, { forms }) as Record<string, unknown>;
  for (const key of required) {
    if (parsed[key] === undefined) throw new ArgumentTypeError(`${name}: missing the required argument ${key}; accepted forms: ${forms}`);
  }
  delete parsed['verbose'];
  return parsed as Parsed<S & typeof SCHEDULER_COMMON>;
}

/** Throws unless `optimizer` is an optimizer (an object with `paramGroups`), naming the scheduler. @internal */
export function checkOptimizer(name: string, optimizer: unknown): void {
  const groups = (optimizer as { paramGroups?: unknown } | null)?.paramGroups;
  if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(groups)) {
    throw new ArgumentTypeError(
      `${name}: the first argument must be an optimizer (such as new optim.SGD(params, 0.1)), got ${describe(optimizer)}`,
    );
  }
}

/** Throws a ValueError unless a per-group list has one value per parameter group. @internal */
export function perGroup(name: string, key: string, value: number | readonly number[], groups: number): number[] {
  const out = typeof value === 'number' ? new Array<number>(groups).fill(value) : value.slice();
  if (out.length !== groups)
    throw new ValueError(`${name}: ${key} has ${out.length} values but the optimizer has ${groups} parameter groups`);
  return out;
}

/** A multiplier of the base lr as a function of the epoch (LambdaLR, MultiplicativeLR). */
export type LrLambda = (epoch: number) => number;

/** One function of the epoch, or an array of them (one per parameter group). @internal */
export const lrLambdas: Check<LrLambda | LrLambda[]> = (op, key, v) => {
  if (typeof v === 'function') return v as LrLambda;
  if (Array.isArray(v) && v.every((f) => typeof f === 'function')) return v.slice() as LrLambda[];
  throw new ArgumentTypeError(
    `${op}: ${key} must be a function of the epoch or an array of them, one per parameter group, got ${describe(v)}`,
  );
};

/** One lambda per group: the single function repeated, or the array after checking its length. @internal */
export function lambdasPerGroup(name: string, given: LrLambda | readonly LrLambda[], groups: number): LrLambda[] {
  if (!Array.isArray(given)) return new Array<LrLambda>(groups).fill(given as LrLambda);
  if (given.length !== groups) {
    throw new ValueError(
      `${name}: lrLambda has ${given.length} functions but the optimizer has ${groups} parameter groups; give one function or one per group`,
    );
  }
  return (given as readonly LrLambda[]).slice();
}
