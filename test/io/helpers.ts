/**
 * Helpers shared by the io tests.
 */
import { expect } from 'vitest';
import { FormatError } from '../../src/io/format-error.js';
import { expectThrows } from '../autograd/engine-test-helpers.js';

/**
 * An assertion that `fn` throws a FormatError named 'FormatError' whose message starts with
 * `${format}: ` and matches `pattern`; it returns the error.
 */
export function formatErrorExpecter(format: string): (fn: () => unknown, pattern: RegExp) => FormatError {
  return (fn, pattern) => {
    const err = expectThrows(fn, FormatError, new RegExp(`^${format}: `), pattern);
    expect(err.name).toBe('FormatError');
    return err;
  };
}
