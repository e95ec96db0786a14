/**
 * Name lookup shared by the activation, loss, metric, optimizer and initializer tables: Keras
 * spells names in snake_case (`categorical_crossentropy`), tapegrad in camelCase
 * (`categoricalCrossentropy`); both are accepted.
 * @module
 */
import { describe, suggest } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';

/** Lower-cases and drops `_`, `-` and spaces, so `categorical_crossentropy` and `categoricalCrossentropy` meet. @internal */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/**
 * Resolves `name` against a table of canonical names and aliases (alias → canonical name).
 * Throws a ValueError listing the known names when it is not found. @internal
 */
export function resolveName<K extends string>(
  what: string,
  name: unknown,
  canonical: readonly K[],
  aliases: Readonly<Record<string, K>> = {},
): K {
  if (typeof name !== 'string') {
    throw new ArgumentTypeError(`keras: ${what} must be a name (one of ${canonical.join(', ')}), got ${describe(name)}`);
  }
  const key = normalizeName(name);
  for (const c of canonical) if (normalizeName(c) === key) return c;
  for (const [alias, c] of Object.entries(aliases)) if (normalizeName(alias) === key) return c;
  const guess = suggest(name, [...canonical, ...Object.keys(aliases)]);
  const hint = guess === undefined ? '' : `: did you mean '${aliases[guess] ?? guess}'?`;
  throw new ValueError(`keras: unknown ${what} ${describe(name)}${hint} (known ${plural(what)}: ${canonical.join(', ')})`);
}

/** `loss` → `losses`, `metric` → `metrics`. @internal */
function plural(noun: string): string {
  return /(s|x|sh|ch)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/** A short, bounded description of a value for error messages (the shared `describe`). @internal */
export const describeValue: (v: unknown) => string = describe;

/** How the keras API reads options: camelCase keys, with Keras' snake_case spellings accepted as aliases. @internal */
export const KERAS_KEYS = { snakeCase: true } as const;

/** Converts a camelCase identifier to snake_case (`Dense` → `dense`, `ModuleLayer` → `module_layer`, `MaxPooling2D` → `max_pooling2d` as Keras). @internal */
export function snakeCase(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * The snake_case spelling of a camelCase name at the type level: `SnakeCase<'categoricalCrossentropy'>`
 * is `'categorical_crossentropy'`, so both spellings type-check where a name is expected.
 */
export type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;
