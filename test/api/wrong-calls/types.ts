/**
 * The wrong-call corpus: calls a PyTorch or Keras user plausibly types into a plain JS file, each
 * with its expected outcome (PyTorch's result, or a typed error naming the accepted form). The same
 * entries run against the source (`wrong-calls.test.ts`) and against the built package (the dist
 * suite), so every call is written against the library object passed in, never against an import.
 */
import type * as Tapegrad from '../../../src/index.js';

/** The library: the source's `src/index.ts` or the built `dist/index.js` / `dist/index.cjs`. */
export type Lib = typeof Tapegrad;

/** The outcome a call must have. */
export type Expected =
  /** It throws an error of this class (compared by `name`, so builds compare equal) whose message matches. */
  | { throws: string; message: RegExp }
  /** It returns (or resolves to) a value that `check` accepts; `check` throws (vitest `expect`) otherwise. */
  | { check: (result: any, tg: Lib) => void };

/** One call of the corpus. */
export interface WrongCall {
  /** What the user typed, as they would in a script (also the test's name). */
  code: string;
  /** Makes the call against `tg`. May be async. */
  run: (tg: Lib) => unknown;
  /** What must happen. */
  expect: Expected;
}
