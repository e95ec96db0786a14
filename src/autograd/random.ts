/**
 * A seeded pseudo-random generator (xoshiro128**), used by every random function in tapegrad.
 * @module
 */
import { describe } from './args.js';
import { ArgumentTypeError, ValueError } from './errors.js';
import { brandClass, processWide } from './brand.js';

/**
 * A seeded random number generator. Pass one explicitly to any random function, or
 * seed the global one with {@link manualSeed}.
 * @example
 * ```ts
 * const g = new Generator(42);
 * const x = randn([2, 3], { generator: g });
 * ```
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** Creates a generator seeded with `seed` (any safe integer; default 0). */
  constructor(seed = 0) {
    if (arguments.length > 1)
      throw new ArgumentTypeError(
        `Generator: takes one seed, got ${arguments.length} arguments; accepted forms: new Generator() or new Generator(seed)`,
      );
    this.manualSeed(seed);
  }

  /**
   * Re-seeds this generator; the same seed gives the same sequence. Every safe integer (negative
   * ones and those beyond 2**32 included) is a distinct seed; other values throw.
   */
  manualSeed(seed: number): this {
    checkSeed('manualSeed', seed);
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) | 0;
    // splitmix32 expands the seed into the four state words; the high word, when there is one,
    // is expanded the same way and mixed in (seeds below 2**32 keep their original streams).
    let x = (low ^ 0x9e3779b9) >>> 0;
    let y = (high ^ 0x7f4a7c15) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      return mix32(x);
    };
    const nextHigh = (): number => {
      if (high === 0) return 0;
      y = (y + 0x6a09e667) >>> 0;
      return mix32(y);
    };
    this.s0 = (next() ^ nextHigh()) >>> 0;
    this.s1 = (next() ^ nextHigh()) >>> 0;
    this.s2 = (next() ^ nextHigh()) >>> 0;
    this.s3 = (next() ^ nextHigh()) | 1;
    this.spare = null;
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high). */
  randint(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }

  /** The generator's state, to save and restore with {@link Generator.setState}. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spare ?? NaN];
  }

  /** Restores a state returned by {@link Generator.getState}. */
  setState(state: readonly number[]): this {
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    this.spare = Number.isNaN(state[4]) ? null : state[4]!;
    return this;
  }
}

function mix32(v: number): number {
  let z = v;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function checkSeed(op: string, seed: unknown): asserts seed is number {
  if (typeof seed !== 'number') throw new ArgumentTypeError(`${op}: seed must be an integer, got ${describe(seed)}`);
  if (!Number.isSafeInteger(seed)) {
    throw new ValueError(`${op}: seed must be a safe integer (|seed| <= 2**53 - 1), got ${seed}`);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * The generator that random functions use when none is passed (one per process: the ESM and the
 * CommonJS build share it, so `manualSeed` from either seeds both).
 * @example
 * ```ts
 * defaultGenerator.random();
 * ```
 */
export const defaultGenerator: Generator = processWide('defaultGenerator', () => new Generator(0));
brandClass(Generator, 'Generator');

/**
 * Seeds the default generator, making every random function reproducible.
 * @example
 * ```ts
 * manualSeed(0); const a = randn([3]);
 * manualSeed(0); const b = randn([3]); // equal to a
 * ```
 */
export function manualSeed(seed: number): Generator {
  if (arguments.length !== 1)
    throw new ArgumentTypeError(`manualSeed: takes one seed, got ${arguments.length} arguments; accepted form: manualSeed(seed)`);
  return defaultGenerator.manualSeed(seed);
}
