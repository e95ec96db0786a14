/**
 * Arbitraries: descriptions of random values that a property test draws from a seeded
 * {@link Random}. Deliberately small (generate, map, chain, filter and a few combinators), with no
 * shrinking: samples are kept small instead, and a failure reports the seed and the sample.
 * @module
 */
import { ValueError } from '../autograd/errors.js';
import { Random } from './random.js';

/**
 * A source of random values of type `T`.
 * @example
 * ```ts
 * const sizes = testing.integers(1, 4);
 * const pairs = testing.tuple(sizes, sizes).map(([a, b]) => [a, b * 2]);
 * pairs.generate(new testing.Random(1)); // e.g. [3, 4]
 * ```
 */
export class Arbitrary<T> {
  /** Wraps a function that draws one value from the generator. */
  constructor(private readonly draw: (rng: Random) => T) {}

  /** Draws one value. */
  generate(rng: Random): T {
    return this.draw(rng);
  }

  /** The values of this arbitrary passed through `f`. */
  map<U>(f: (value: T) => U): Arbitrary<U> {
    return new Arbitrary((rng) => f(this.draw(rng)));
  }

  /** Draws a value, then draws from the arbitrary `f` makes of it (a shape, then tensors of that shape). */
  chain<U>(f: (value: T) => Arbitrary<U>): Arbitrary<U> {
    return new Arbitrary((rng) => f(this.draw(rng)).generate(rng));
  }

  /** Only the values that satisfy `keep` (redraws up to 1000 times, then throws a ValueError). */
  filter(keep: (value: T) => boolean): Arbitrary<T> {
    return new Arbitrary((rng) => {
      for (let i = 0; i < 1000; i++) {
        const v = this.draw(rng);
        if (keep(v)) return v;
      }
      throw new ValueError('testing: filter rejected 1000 values in a row; loosen the arbitrary instead of filtering');
    });
  }
}

/**
 * Always `value`.
 * @example
 * ```ts
 * testing.constant([2, 3]); // a fixed shape
 * ```
 */
export function constant<T>(value: T): Arbitrary<T> {
  return new Arbitrary(() => value);
}

/**
 * One of `values`, uniformly.
 * @example
 * ```ts
 * testing.constantFrom(0, 1, -1);
 * ```
 */
export function constantFrom<T>(...values: T[]): Arbitrary<T> {
  if (values.length === 0) throw new ValueError('testing.constantFrom: expected at least one value');
  return new Arbitrary((rng) => rng.pick(values));
}

/**
 * Integers in [min, max].
 * @example
 * ```ts
 * testing.integers(0, 3);
 * ```
 */
export function integers(min: number, max: number): Arbitrary<number> {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max)
    throw new ValueError(`testing.integers: expected integers min <= max, got ${min} and ${max}`);
  return new Arbitrary((rng) => rng.int(min, max));
}

/**
 * Floats in [min, max), rounded to float32 so they mean the same in float32 and float64 tensors.
 * @example
 * ```ts
 * testing.floats(-1, 1);
 * ```
 */
export function floats(min: number, max: number): Arbitrary<number> {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max))
    throw new ValueError(`testing.floats: expected finite min <= max, got ${min} and ${max}`);
  return new Arbitrary((rng) => Math.fround(rng.float(min, max)));
}

/** The value types of a tuple of arbitraries. */
export type Generated<A extends readonly Arbitrary<unknown>[]> = { [K in keyof A]: A[K] extends Arbitrary<infer T> ? T : never };

/**
 * One value from each arbitrary, as a tuple.
 * @example
 * ```ts
 * testing.tuple(testing.integers(1, 3), testing.floats(0, 1));
 * ```
 */
export function tuple<const A extends readonly Arbitrary<unknown>[]>(...arbitraries: A): Arbitrary<Generated<A>> {
  return new Arbitrary((rng) => arbitraries.map((a) => a.generate(rng)) as Generated<A>);
}

/**
 * A value from one of the arbitraries, chosen uniformly.
 * @example
 * ```ts
 * testing.oneOf(testing.constant(0), testing.floats(-1, 1));
 * ```
 */
export function oneOf<T>(...arbitraries: Arbitrary<T>[]): Arbitrary<T> {
  if (arbitraries.length === 0) throw new ValueError('testing.oneOf: expected at least one arbitrary');
  return new Arbitrary((rng) => rng.pick(arbitraries).generate(rng));
}
