/**
 * Helpers for reading files that may come from anyone: bounded JSON parsing (a nesting-depth scan
 * before `JSON.parse`, so no later recursion can overflow the stack), bounded quoting of names and
 * values from a file in error messages, and own-property lookups in name tables.
 * @module
 */
import { describe } from '../autograd/args.js';
import { FormatError } from './format-error.js';

/** Longest name (tensor name, key, class name) quoted in an error message. @internal */
const MAX_QUOTED = 80;

/**
 * A name read from a file, JSON-quoted and shortened for an error message: `"layer.weight"`,
 * `"nnnn…" (4000000 characters)`.
 * @example
 * ```ts
 * quoteName('x'.repeat(1e6)); // '"xxxx…" (1000000 characters)'
 * ```
 * @internal
 */
export function quoteName(name: string): string {
  if (name.length <= MAX_QUOTED) return JSON.stringify(name);
  return `${JSON.stringify(`${name.slice(0, MAX_QUOTED - 1)}…`)} (${name.length} characters)`;
}

/**
 * A bounded description of any value read from a file (the shared `describe` of the argument
 * checker): never more than a short line, never recursive.
 * @example
 * ```ts
 * describeFileValue(JSON.parse('[[[[1]]]]')); // 'an array of 1 item'
 * ```
 * @internal
 */
export function describeFileValue(v: unknown): string {
  return describe(v);
}

/**
 * The deepest nesting of `[`/`{` in JSON text (brackets inside strings are skipped), stopping
 * as soon as it passes `limit`. Linear in the text, no recursion.
 * @example
 * ```ts
 * jsonDepth('{"a":[1,[2]]}', 64); // 3
 * ```
 * @internal
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Parses JSON text read from a file, with a nesting limit checked before parsing. Both a too deep
 * text and a syntax error throw a {@link FormatError} whose message starts with `what` and quotes
 * at most a short snippet of the text.
 * @param what - What the text is, for messages: `safetensors: header`.
 * @param text - The JSON text.
 * @param maxDepth - Deepest nesting of arrays and objects allowed.
 * @example
 * ```ts
 * parseFileJson('checkpoint: the metadata', text, 256);
 * ```
 * @internal
 */
export function parseFileJson(what: string, text: string, maxDepth: number): unknown {
  const depth = jsonDepth(text, maxDepth);
  if (depth > maxDepth) throw new FormatError(`${what} is nested more than ${maxDepth} levels deep`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const snippet = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
    throw new FormatError(`${what} is not valid JSON (${(e as Error).message.slice(0, 120)}): ${snippet}`, { cause: e });
  }
}

/**
 * `table[key]` when `key` is an own property of `table`, else undefined: names read from a file
 * (`__proto__`, `constructor`, `valueOf`) never reach `Object.prototype`.
 * @example
 * ```ts
 * ownEntry({ Dense: 1 }, 'constructor'); // undefined
 * ```
 * @internal
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Sets `obj[key] = value` as an own enumerable property, also for keys such as `__proto__` (which
 * a plain assignment would turn into a prototype change).
 * @example
 * ```ts
 * const out = {};
 * defineOwn(out, '__proto__', 1);
 * Object.keys(out); // ['__proto__']
 * ```
 * @internal
 */
export function defineOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
