/**
 * Random permutations and {@link randomSplit}.
 * @module
 */
import { checkArity, describe, instance, nullable, parseOptions } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { defaultGenerator, Generator } from '../autograd/random.js';
import { isMapStyle, Subset, type Dataset } from './dataset.js';

/**
 * A uniformly random permutation of `0..n-1` (Fisher–Yates, drawing from `generator`). @internal
 */
export function randomPermutation(n: number, generator: Generator): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = generator.randint(0, i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/** Options for {@link randomSplit}. */
export interface RandomSplitOptions {
  /** The generator for the permutation (default, or null: the global one seeded by `manualSeed`). */
  generator?: Generator | null;
}

/**
 * The sizes {@link randomSplit} uses: counts as given, or fractions (summing to 1, which is checked
 * first, as in PyTorch, so `[1, 0]` means "everything, nothing") turned into
 * counts by flooring `fraction * n` and handing the remaining items out one each, round-robin,
 * starting with the first part (PyTorch's rule). @internal
 */
function splitLengths(n: number, lengths: readonly number[]): number[] {
  const given: unknown = lengths;
  if (!Array.isArray(given))
    throw new ArgumentTypeError(`randomSplit: lengths must be an array of counts or fractions, got ${describe(lengths)}`);
  if (lengths.length === 0) throw new ValueError('randomSplit: expected a non-empty list of lengths');
  for (const l of lengths) {
    if (typeof l !== 'number' || !Number.isFinite(l) || l < 0) {
      throw new ValueError(`randomSplit: lengths must be non-negative numbers, got [${lengths.join(', ')}]`);
    }
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  let sizes: number[];
  if (Math.abs(total - 1) <= 1e-9 && total <= 1) {
    sizes = lengths.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
  } else {
    if (lengths.some((l) => !Number.isInteger(l))) {
      throw new ValueError(
        `randomSplit: lengths [${lengths.join(', ')}] are neither integer counts nor fractions summing to 1 (they sum to ${total})`,
      );
    }
    sizes = lengths.slice();
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) {
    throw new ValueError(`randomSplit: the lengths [${lengths.join(', ')}] sum to ${sum}, but the dataset has ${n} items`);
  }
  return sizes;
}

/**
 * Splits a dataset into non-overlapping random {@link Subset}s. `lengths` are item counts that add
 * up to `dataset.length`, or fractions that add up to 1 (counts are then `floor(fraction * n)`,
 * and the leftover items go one each to the first parts, as in PyTorch). The split is a random
 * permutation drawn from `generator`, so it is reproducible under `manualSeed` or a seeded
 * {@link Generator}.
 * @throws {@link ValueError} if the lengths do not add up.
 * @example
 * ```ts
 * const [train, val] = data.randomSplit(ds, [0.9, 0.1], { generator: new Generator(42) });
 * const [c, d] = data.randomSplit(ds, [0.9, 0.1], new Generator(42)); // PyTorch's positional generator
 * const [a, b] = data.randomSplit(ds, [800, 200]);
 * ```
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  generatorOrOptions?: Generator | RandomSplitOptions | null,
  ...rest: never[]
): Subset<T>[] {
  const forms = 'randomSplit(dataset, lengths), randomSplit(dataset, lengths, generator) or randomSplit(dataset, lengths, { generator })';
  checkArity('randomSplit', [dataset, lengths, generatorOrOptions, ...rest], 3, forms);
  if (!isMapStyle(dataset))
    throw new ArgumentTypeError(`randomSplit: the dataset must be map-style (an integer length and get(i)), got ${describe(dataset)}`);
  const generator =
    generatorOrOptions instanceof Generator || generatorOrOptions === null
      ? generatorOrOptions
      : parseOptions('randomSplit', generatorOrOptions, { generator: nullable(instance(Generator)) }, { forms }).generator;
  const n = dataset.length;
  const sizes = splitLengths(n, lengths);
  const perm = randomPermutation(n, generator ?? defaultGenerator);
  const out: Subset<T>[] = [];
  let start = 0;
  for (const size of sizes) {
    out.push(new Subset(dataset, perm.subarray(start, start + size)));
    start += size;
  }
  return out;
}
