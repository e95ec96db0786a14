/**
 * Small helpers shared by the autograd, data and io tests: reading values out and comparing to float64 references.
 */
import { expect } from 'vitest';
import { autograd, type Tensor } from '../../src/index.js';

/** The elements of `t` as a plain number array (row-major). */
export function vals(t: Tensor | null): number[] {
  if (t === null) throw new Error('expected a tensor, got null');
  return Array.from(t.dataSync(), Number);
}

/** Elementwise |a - b| <= atol + rtol * |b|, with a readable failure. */
export function expectClose(actual: Tensor | number[] | null, expected: number[], atol = 1e-6, rtol = 1e-6): void {
  const a = Array.isArray(actual) ? actual : vals(actual);
  expect(a.length, 'length').toBe(expected.length);
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(expected[i]!);
    if (!(Math.abs(a[i]! - expected[i]!) <= tol)) {
      throw new Error(
        `element ${i}: got ${a[i]}, expected ${expected[i]} (tol ${tol})\n  actual:   [${a.join(', ')}]\n  expected: [${expected.join(', ')}]`,
      );
    }
  }
}

/** Runs `fn`, asserts it throws an instance of `cls` whose message matches every pattern; returns the error. */
export function expectThrows<E extends Error>(fn: () => unknown, cls: abstract new (...args: never[]) => E, ...patterns: RegExp[]): E {
  let caught: unknown = undefined;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error to be thrown').toBeInstanceOf(cls);
  const err = caught as E;
  for (const p of patterns) expect(err.message).toMatch(p);
  return err;
}

/** A custom Function (identity forward) whose backward always returns the same tensor `kept`, to check nobody mutates it. */
export function returningGrad(kept: Tensor): { apply(x: Tensor): Tensor } {
  return class Keep extends autograd.Function {
    static override forward(_ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      return x.mul(1);
    }
    static override backward(): Tensor[] {
      return [kept];
    }
  };
}
