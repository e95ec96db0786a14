/**
 * The seeded generator behind the testing arbitraries: small, fast and reproducible (the same
 * seed gives the same samples on every platform), independent of the tensor {@link Generator}
 * so that property tests do not disturb a model's random stream.
 * @module
 */
import { checkNumber } from '../autograd/args.js';

/**
 * A seeded pseudo-random generator (a 32-bit SplitMix-style mixer over a counter). Arbitraries
 * draw from it; a property run prints its seed so a failure can be replayed.
 * @example
 * ```ts
 * const rng = new testing.Random(42);
 * rng.float(-1, 1); // the same value for seed 42 every time
 * rng.int(0, 3);    // an integer in [0, 3]
 * ```
 */
export class Random {
  private state: number;

  /** Starts the stream at `seed` (an integer; only its low 32 bits matter). */
  constructor(seed: number) {
    checkNumber('testing.Random', 'seed', seed, { integer: true });
    this.state = seed | 0;
  }

  /** A float in [0, 1) with 32 random bits. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p` (default 1/2). */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}
