/**
 * Small helpers for the data tests.
 */
import { expect } from 'vitest';
import type { Tensor } from '../../src/index.js';

/** The elements of `t` as a plain number array (row-major). */
export function vals(t: Tensor): number[] {
  return Array.from(t.dataSync(), Number);
}

/** Asserts that `fn` throws an instance of `cls` whose message matches every pattern. */
export function expectThrows(fn: () => unknown, cls: abstract new (...args: never[]) => Error, ...patterns: RegExp[]): Error {
  let caught: unknown = undefined;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error to be thrown').toBeInstanceOf(cls);
  const err = caught as Error;
  for (const p of patterns) expect(err.message).toMatch(p);
  return err;
}

/** Asserts that the promise rejects with an instance of `cls` whose message matches every pattern. */
export async function expectRejects(p: Promise<unknown>, cls: abstract new (...args: never[]) => Error, ...patterns: RegExp[]): Promise<void> {
  let caught: unknown = undefined;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a rejection').toBeInstanceOf(cls);
  for (const pat of patterns) expect((caught as Error).message).toMatch(pat);
}
