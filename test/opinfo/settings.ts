/**
 * How many samples each property test draws, and from which seed: one setting for the whole
 * suite. The default run is fast and reproducible (seed 42, the entry's own run count). The deep
 * run (`npm run test:deep`, i.e. `TAPEGRAD_DEEP=1`) draws many more samples from a random seed
 * that it prints; `TAPEGRAD_SEED=<n>` replays a seed (in either mode), `TAPEGRAD_RUNS=<n>` sets
 * the run count of every property outright.
 * @module
 */

/** Reads an integer environment variable; throws on anything else, so a typo is not ignored. */
function intEnv(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return null;
  const v = Number(raw);
  if (!Number.isSafeInteger(v)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return v;
}

/** True in the deep run. @internal */
export const DEEP = process.env.TAPEGRAD_DEEP === '1';

/** Run count of every property in the deep run (unless an entry asks for more). @internal */
export const DEEP_RUNS = 64;

const forcedSeed = intEnv('TAPEGRAD_SEED');
const forcedRuns = intEnv('TAPEGRAD_RUNS');

/** The seed of every property in this test file's run. @internal */
export const SEED: number = forcedSeed ?? (DEEP ? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0 : 42);

if (DEEP || forcedSeed !== null) {
  // One line per test file (vitest runs each file in its own worker): the seed to replay it.
  console.log(
    `[property tests] seed ${SEED}, ${forcedRuns ?? DEEP_RUNS} runs; replay with TAPEGRAD_SEED=${SEED}${DEEP ? ' npm run test:deep' : ''}`,
  );
}

/**
 * The number of runs of a property whose default count is `base`: `base` normally, at least
 * {@link DEEP_RUNS} in the deep run, `TAPEGRAD_RUNS` when set.
 * @internal
 */
export function runsFor(base: number): number {
  if (forcedRuns !== null) return forcedRuns;
  return DEEP ? Math.max(DEEP_RUNS, base * 4) : base;
}

/** A note for failure messages: how to replay this run. @internal */
export function replayHint(): string {
  return `replay with TAPEGRAD_SEED=${SEED}${DEEP ? ' TAPEGRAD_DEEP=1' : ''}`;
}
