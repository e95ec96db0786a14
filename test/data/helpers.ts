/**
 * Small helpers for the data tests (the synchronous ones are the autograd tests' helpers).
 */
import { expect } from 'vitest';

export { expectThrows, vals } from '../autograd/engine-test-helpers.js';

/** Asserts that the promise rejects with an instance of `cls` whose message matches every pattern. */
export async function expectRejects(
  p: Promise<unknown>,
  cls: abstract new (...args: never[]) => Error,
  ...patterns: RegExp[]
): Promise<void> {
  let caught: unknown = undefined;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a rejection').toBeInstanceOf(cls);
  for (const pat of patterns) expect((caught as Error).message).toMatch(pat);
}
