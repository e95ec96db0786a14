// Shared by the LSTM and GRU recurrence tests: deterministic inputs, central differences of a
// float64 reference, and the shapes they run over.
import type * as tg from '../../src/index.js';

/** `count` deterministic values in [-scale, scale]. */
export const values = (count: number, seed: number, scale: number): number[] =>
  Array.from({ length: count }, (_, i) => Math.sin(i * 1.7 + seed * 0.9) * scale);

/** The reference recurrence: flat inputs, (T, N, H) and the direction, to its flat outputs. */
export type Reference = (inputs: number[][], dims: [number, number, number], reverse: boolean) => number[];

/** d(Σ u ⊙ reference)/d(input `which`) by central differences. */
export function numericGrad(
  reference: Reference,
  inputs: number[][],
  which: number,
  u: number[],
  dims: [number, number, number],
  reverse: boolean,
): number[] {
  const eps = 1e-6;
  const loss = (xs: number[][]): number => reference(xs, dims, reverse).reduce((acc, v, i) => acc + v * u[i]!, 0);
  return inputs[which]!.map((_, i) => {
    const plus = inputs.map((x) => x.slice());
    const minus = inputs.map((x) => x.slice());
    plus[which]![i]! += eps;
    minus[which]![i]! -= eps;
    return (loss(plus) - loss(minus)) / (2 * eps);
  });
}

/** A tensor's values, flat. */
export const flatten = (x: tg.Tensor): number[] => x.reshape([-1]).toArray() as number[];

/** (T, N, H, reverse) of the cases: single elements, both directions, N and H on both sides of 1. */
export const RNN_CASES: [number, number, number, boolean][] = [
  [1, 1, 1, false],
  [3, 2, 2, false],
  [3, 2, 2, true],
  [2, 3, 1, true],
  [4, 1, 3, false],
  [2, 2, 3, true],
];
