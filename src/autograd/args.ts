/**
 * The one argument checker behind every public entry point: options objects are parsed against a
 * spec (unknown keys rejected with the camelCase spelling or a "did you mean"), values are checked
 * by small validators, and messages describe values in a bounded length. An argument is honoured
 * with PyTorch's meaning or rejected with a typed error; it is never ignored.
 * @module
 */
import { ArgumentTypeError, NotImplementedError, ValueError } from './errors.js';

/** Longest text of a described value in an error message. */
const MAX_DESCRIBED = 60;

function shorten(s: string, max = MAX_DESCRIBED): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * A short, bounded description of any value for an error message: `3`, `'adam'`, `[2, 3]`,
 * `an array of 1000000 items`, `a Tensor of shape [2, 3] (float32)`, `an object { lr, momentum }`.
 * @internal
 */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'string':
      return `'${shorten(v)}'`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'symbol':
      return shorten(v.toString());
    case 'function':
      return `a function${v.name ? ` (${shorten(v.name, 40)})` : ''}`;
  }
  if (Array.isArray(v)) {
    if (v.length <= 8 && v.every((x) => typeof x === 'number' || typeof x === 'boolean')) return shorten(`[${v.join(', ')}]`);
    return `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  }
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of ${(v as unknown as { length?: number }).length ?? v.byteLength} elements`;
  const shape = (v as { shape?: unknown }).shape;
  const ctor = (v as { constructor?: { name?: unknown } }).constructor;
  const ctorName = typeof ctor?.name === 'string' ? ctor.name : '';
  if (ctorName === 'Tensor' || ctorName === 'Parameter') {
    const dtype = (v as { dtype?: unknown }).dtype;
    const dims = Array.isArray(shape) ? (shape.length <= 16 ? shape.join(', ') : `${shape.length} dims`) : '?';
    return shorten(`a ${ctorName} of shape [${dims}] (${typeof dtype === 'string' ? dtype : typeof dtype})`, 100);
  }
  if (ctorName && ctorName !== 'Object') return `a ${shorten(ctorName, 40)}`;
  const keys = Object.keys(v);
  return shorten(`an object { ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''} }`);
}

/** True for a plain options object: `{ ... }` or `Object.create(null)`, not an array, Tensor, class instance or function. @internal */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `batch_first` → `batchFirst`. @internal */
export function camelCase(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * The closest of `known` to a mistyped `name` (case-insensitive, snake_case folded), or undefined
 * when none is close: within two edits, or a third of the name's length for long names.
 * @internal
 */
export function suggest(name: string, known: readonly string[]): string | undefined {
  const folded = camelCase(name).toLowerCase();
  let best: string | undefined;
  let bestDist = Infinity;
  for (const k of known) {
    const d = editDistance(folded, k.toLowerCase());
    if (d < bestDist) [best, bestDist] = [k, d];
  }
  return bestDist <= Math.max(2, Math.floor(folded.length / 3)) ? best : undefined;
}

/** Why an option name is not known, with the spelling the caller most likely meant. @internal */
function unknownKeyMessage(op: string, key: string, known: readonly string[], what = 'option'): string {
  const shown = `'${shorten(key, 40)}'`;
  const camel = camelCase(key);
  if (camel !== key && known.includes(camel)) return `${op}: unknown ${what} ${shown}: options are camelCase, did you mean '${camel}'?`;
  const guess = suggest(key, known);
  const list = known.length ? `known ${what}s: ${known.join(', ')}` : `it takes no ${what}s`;
  return `${op}: unknown ${what} ${shown}${guess ? `: did you mean '${guess}'?` : ''} (${list})`;
}

/**
 * Checks one option value and returns it, possibly normalised (for example a dtype alias).
 * Throws a typed error naming `op`, `key` and the value.
 */
export type Check<T> = (op: string, key: string, value: unknown) => T;

/** A spec of options: each key's check. */
export type OptionSpec = Readonly<Record<string, Check<unknown>>>;

/** The parsed options of a spec: every key optional, typed by its check. */
export type Parsed<S extends OptionSpec> = { -readonly [K in keyof S]?: S[K] extends Check<infer T> ? T : never };

/** How {@link parseOptions} reads an options object. */
interface ParseSettings {
  /** How the function may be called, shown when the options are not an object: `zeros(2, 3) or zeros([2, 3], { dtype })`. */
  forms?: string;
  /** Also accept `snake_case` spellings of the keys (Keras configs); a key given both ways is an error. */
  snakeCase?: boolean;
}

/**
 * Parses an options object against `spec`: `undefined` gives `{}`; anything that is not a plain
 * object throws {@link ArgumentTypeError} showing the accepted forms; an unknown key throws
 * {@link ValueError} listing the known keys (with the camelCase spelling of a snake_case key, or a
 * "did you mean"); each present value (not `undefined`) is checked by its spec entry. Keys are read
 * as own properties only.
 * @example
 * ```ts
 * const o = parseOptions('nn.Linear', options, { bias: bool, dtype: floatDType });
 * ```
 * @internal
 */
export function parseOptions<S extends OptionSpec>(op: string, options: unknown, spec: S, settings: ParseSettings = {}): Parsed<S> {
  const out = Object.create(null) as Record<string, unknown>;
  if (options === undefined) return out as Parsed<S>;
  if (!isPlainObject(options)) {
    const forms = settings.forms ? `; accepted forms: ${settings.forms}` : '';
    throw new ArgumentTypeError(`${op}: expected an options object${forms}; got ${describe(options)}`);
  }
  const known = Object.keys(spec);
  for (const rawKey of Object.keys(options)) {
    let key = rawKey;
    if (!Object.hasOwn(spec, key) && settings.snakeCase && Object.hasOwn(spec, camelCase(key))) {
      key = camelCase(key);
      if (Object.hasOwn(options, key)) throw new ValueError(`${op}: option '${key}' given twice, as '${rawKey}' and '${key}'`);
    }
    const check = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (check === undefined) throw new ValueError(unknownKeyMessage(op, rawKey, known));
    const value = options[rawKey];
    if (value !== undefined) out[key] = check(op, key, value);
  }
  return out as Parsed<S>;
}

// ---- value checks ---------------------------------------------------------------------------

function fail(op: string, key: string, expected: string, value: unknown): never {
  throw new ArgumentTypeError(`${op}: ${key} must be ${expected}, got ${describe(value)}`);
}

/** A boolean. @internal */
export const bool: Check<boolean> = (op, key, v) => (typeof v === 'boolean' ? v : fail(op, key, 'a boolean', v));

/** A string. @internal */
export const str: Check<string> = (op, key, v) => (typeof v === 'string' ? v : fail(op, key, 'a string', v));

/** A function. @internal */
export const fn: Check<(...args: never[]) => unknown> = (op, key, v) =>
  typeof v === 'function' ? (v as (...args: never[]) => unknown) : fail(op, key, 'a function', v);

/** Any value: for options whose checking happens where they are used (callbacks, nested configs). @internal */
export const any: Check<unknown> = (_op, _key, v) => v;

/** Bounds of a number check. @internal */
interface NumberBounds {
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  min?: number;
  /** Largest allowed value (inclusive unless `maxExclusive`). */
  max?: number;
  /** Exclude `min` itself. */
  minExclusive?: boolean;
  /** Exclude `max` itself. */
  maxExclusive?: boolean;
  /** Must be an integer. */
  integer?: boolean;
  /** Allow ±Infinity (NaN is never allowed). */
  infinite?: boolean;
}

/** Checks that `v` is a number within `bounds`, naming `op` and `key` otherwise. @internal */
export function checkNumber(op: string, key: string, v: unknown, bounds: NumberBounds = {}): number {
  if (typeof v !== 'number') fail(op, key, bounds.integer ? 'an integer' : 'a number', v);
  if (Number.isNaN(v) || (!bounds.infinite && !Number.isFinite(v))) throw new ValueError(`${op}: ${key} must be a finite number, got ${v}`);
  if (bounds.integer && !Number.isInteger(v)) throw new ValueError(`${op}: ${key} must be an integer, got ${v}`);
  const { min, max } = bounds;
  const low = min !== undefined && (bounds.minExclusive ? v <= min : v < min);
  const high = max !== undefined && (bounds.maxExclusive ? v >= max : v > max);
  if (low || high) {
    const lo = min === undefined ? '' : `${bounds.minExclusive ? '>' : '>='} ${min}`;
    const hi = max === undefined ? '' : `${bounds.maxExclusive ? '<' : '<='} ${max}`;
    throw new ValueError(`${op}: ${key} must be ${[lo, hi].filter(Boolean).join(' and ')}, got ${v}`);
  }
  return v;
}

/** A number check with fixed bounds: `num({ min: 0 })`, `num({ integer: true, min: 1 })`. @internal */
export function num(bounds: NumberBounds = {}): Check<number> {
  return (op, key, v) => checkNumber(op, key, v, bounds);
}

/**
 * A PyTorch option tapegrad does not implement: the values in `accepted` (PyTorch's defaults, whose
 * behaviour is tapegrad's) pass; any other value throws {@link NotImplementedError} naming the
 * option and `why`, so the option is never silently dropped.
 * @example
 * ```ts
 * const spec = { numWorkers: notImplemented([0], 'batches are loaded in the main thread') };
 * ```
 * @internal
 */
export function notImplemented(accepted: readonly unknown[], why: string): Check<unknown> {
  return (op, key, v) => {
    if (accepted.includes(v)) return v;
    const shown = accepted.map(describe).join(' or ');
    throw new NotImplementedError(`${op}: ${key} = ${describe(v)} is not implemented (${why}); only ${shown} is accepted`);
  };
}

/** One of a fixed set of strings (or other primitives). @internal */
export function oneOf<const T extends string | number | boolean>(values: readonly T[]): Check<T> {
  return (op, key, v) => {
    if ((values as readonly unknown[]).includes(v)) return v as T;
    const guess =
      typeof v === 'string'
        ? suggest(
            v,
            values.filter((x): x is T & string => typeof x === 'string'),
          )
        : undefined;
    const shown = values.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ');
    throw new ValueError(`${op}: ${key} must be one of ${shown}, got ${describe(v)}${guess ? `: did you mean '${guess}'?` : ''}`);
  };
}

/** An instance of `cls` (named `what` in messages). @internal */
export function instance<T>(cls: abstract new (...args: never[]) => T, what = cls.name): Check<T> {
  return (op, key, v) => (v instanceof cls ? v : fail(op, key, `a ${what}`, v));
}

/** Either of two checks: the first that accepts; the error names both. @internal */
export function either<A, B>(a: Check<A>, b: Check<B>, expected: string): Check<A | B> {
  return (op, key, v) => {
    try {
      return a(op, key, v);
    } catch {
      try {
        return b(op, key, v);
      } catch {
        return fail(op, key, expected, v);
      }
    }
  };
}

/** `null` or the value `check` accepts. @internal */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (op, key, v) => (v === null ? null : check(op, key, v));
}

/** An array whose items `item` accepts (a tuple length when `length` is given). @internal */
export function arrayOf<T>(item: Check<T>, length?: number): Check<T[]> {
  return (op, key, v) => {
    if (!Array.isArray(v)) return fail(op, key, length === undefined ? 'an array' : `an array of ${length}`, v);
    if (length !== undefined && v.length !== length) throw new ValueError(`${op}: ${key} must have ${length} items, got ${v.length}`);
    return v.map((x, i) => item(op, `${key}[${i}]`, x));
  };
}

/** A number, or a tuple of `n` numbers, each within `bounds` (kernel sizes, strides, paddings). @internal */
export function numOrTuple(n: number, bounds: NumberBounds): Check<number | number[]> {
  const one = num(bounds);
  const many = arrayOf(one, n);
  return (op, key, v) =>
    Array.isArray(v)
      ? many(op, key, v)
      : typeof v === 'number'
        ? one(op, key, v)
        : fail(op, key, `a number or an array of ${n} numbers`, v);
}

// ---- positional arguments -------------------------------------------------------------------

/**
 * `Array.isArray` narrowing to `readonly unknown[]`: the built-in narrows to `any[]`, which would
 * switch off type checking of the value from there on.
 * @internal
 */
export function isArray(v: unknown): v is readonly unknown[] {
  return Array.isArray(v);
}

/**
 * Throws when a function receives more positional arguments than it takes, naming the forms it
 * accepts: `zeros(2, 3, 'float64')` must not silently drop the dtype.
 * @internal
 */
export function checkArity(op: string, args: ArrayLike<unknown>, max: number, forms: string): void {
  if (args.length > max) {
    const extra = Array.prototype.slice
      .call(args, max, max + 3)
      .map(describe)
      .join(', ');
    throw new ArgumentTypeError(
      `${op}: too many arguments (${args.length}, takes at most ${max}; extra: ${extra}${args.length > max + 3 ? ', …' : ''}); accepted forms: ${forms}`,
    );
  }
}

/**
 * Reads PyTorch's size forms: `(2, 3)`, `([2, 3])`, `(5)` or `()`; each size a non-negative
 * integer. Used by creation functions and `reshape`/`view`/`expand`-style methods.
 * @internal
 */
export function sizesOf(op: string, args: readonly unknown[], forms: string): number[] {
  const sizes = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (args.length === 1 && ArrayBuffer.isView(args[0]))
    return Array.from(args[0] as unknown as ArrayLike<number>, (x, i) => checkSize(op, i, x, forms));
  return sizes.map((x, i) => checkSize(op, i, x, forms));
}

function checkSize(op: string, i: number, v: unknown, forms: string): number {
  if (typeof v !== 'number')
    throw new ArgumentTypeError(`${op}: size ${i} must be an integer, got ${describe(v)}; accepted forms: ${forms}`);
  return v;
}

/**
 * Splits a trailing options object off variadic arguments: `(2, 3, { dtype })` gives
 * `[[2, 3], { dtype }]`. Anything else stays positional (and is then checked as such).
 * @internal
 */
export function splitOptions(args: readonly unknown[]): [unknown[], unknown] {
  const last = args[args.length - 1];
  return args.length > 0 && isPlainObject(last) ? [args.slice(0, -1), last] : [args.slice(), undefined];
}

/** Every non-empty prefix of a tuple, and the empty tuple: `[a, b]` gives `[] | [a] | [a, b]`. */
export type Prefixes<T extends unknown[]> = T extends [...infer Head, unknown] ? Prefixes<Head> | T : [];

/**
 * A PyTorch call's arguments in JavaScript: any leading part of the positional arguments `P` (in
 * PyTorch's order), optionally followed by an options object `O` for the rest.
 * @example
 * ```ts
 * type A = PositionalArgs<[stepSize: number, gamma: number], StepLROptions>;
 * // [] | [stepSize] | [stepSize, gamma] | [options] | [stepSize, options] | [stepSize, gamma, options]
 * ```
 */
export type PositionalArgs<P extends unknown[], O> = Prefixes<P> | [...Prefixes<P>, O];

/**
 * Reads PyTorch's mixed call form: positional values in the order of `names`, optionally followed
 * by an options object for the rest, as Python's keyword arguments: `(0.1, 0.9, { nesterov: true })`.
 * Each positional value is stored under its name (`undefined` counts as not given); a name given
 * both positionally and in the options throws {@link ArgumentTypeError}; more positional values than
 * `names` throw as {@link checkArity} does. The merged object is then parsed by {@link parseOptions}.
 * @example
 * ```ts
 * const o = parsePositional('optim.SGD', [0.1, 0.9, { nesterov: true }], ['lr', 'momentum'], SGD_SPEC, { forms });
 * ```
 * @internal
 */
export function parsePositional<S extends OptionSpec>(
  op: string,
  args: readonly unknown[],
  names: readonly (keyof S & string)[],
  spec: S,
  settings: ParseSettings = {},
): Parsed<S> {
  const [positional, options] = splitOptions(args);
  const forms = settings.forms ?? `${op}(${names.join(', ')}, options?)`;
  checkArity(op, positional, names.length, forms);
  if (options === undefined && positional.length === 0) return parseOptions(op, undefined, spec, settings);
  const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (options !== undefined) Object.assign(merged, options);
  positional.forEach((v, i) => {
    const name = names[i]!;
    if (v === undefined) return;
    const inOptions =
      options !== undefined &&
      (Object.hasOwn(options as object, name) ||
        (settings.snakeCase === true && Object.keys(options as object).some((k) => camelCase(k) === name)));
    if (inOptions)
      throw new ArgumentTypeError(
        `${op}: got '${name}' twice, as positional argument ${i + 1} and in the options; accepted forms: ${forms}`,
      );
    merged[name] = v;
  });
  return parseOptions(op, merged, spec, settings);
}
