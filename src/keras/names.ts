/**
 * Name lookup shared by the activation, loss, metric, optimizer and initializer tables: Keras
 * spells names in snake_case (`categorical_crossentropy`), tapegrad in camelCase
 * (`categoricalCrossentropy`); both are accepted.
 * @module
 */
import { ValueError } from '../autograd/errors.js';

/** Lower-cases and drops `_`, `-` and spaces, so `categorical_crossentropy` and `categoricalCrossentropy` meet. @internal */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/**
 * Resolves `name` against a table of canonical names and aliases (alias → canonical name).
 * Throws a ValueError listing the known names when it is not found. @internal
 */
export function resolveName<K extends string>(
  what: string, name: unknown, canonical: readonly K[], aliases: Readonly<Record<string, K>> = {},
): K {
  if (typeof name !== 'string') {
    throw new ValueError(`keras: ${what} must be a name (one of ${canonical.join(', ')}), got ${describeValue(name)}`);
  }
  const key = normalizeName(name);
  for (const c of canonical) if (normalizeName(c) === key) return c;
  for (const [alias, c] of Object.entries(aliases)) if (normalizeName(alias) === key) return c;
  throw new ValueError(`keras: unknown ${what} '${name}'; known ${what}s: ${canonical.join(', ')}`);
}

/** A short description of a value for error messages. @internal */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' ? `a ${ctor}` : `an ${typeof v}`;
}

/** Converts a camelCase identifier to snake_case (`Dense` → `dense`, `ModuleLayer` → `module_layer`). @internal */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * The snake_case spelling of a camelCase name at the type level: `SnakeCase<'categoricalCrossentropy'>`
 * is `'categorical_crossentropy'`, so both spellings type-check where a name is expected.
 */
export type SnakeCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}`
  : S;
