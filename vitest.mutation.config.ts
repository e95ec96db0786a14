import { defineConfig } from 'vitest/config';

/**
 * The test selection of `npm run test:mutation` (StrykerJS, see stryker.config.mjs and
 * docs/contributing.md "Mutation testing"): only the tests that exercise the backward rules, the
 * engine and the kernels, from the TypeScript sources (never `dist/`, which Stryker does not mutate),
 * in one project so Stryker's per-test coverage sees every test.
 *
 * `MUTATION_TESTS` (comma-separated globs) replaces the selection for one run, so a run over one
 * file starts only the tests that can reach it, e.g.
 * `MUTATION_TESTS='test/autograd/mutants-fused*.test.ts,test/nn/losses.test.ts'`.
 */
const only = process.env.MUTATION_TESTS?.split(',')
  .map((glob) => glob.trim())
  .filter((glob) => glob !== '');

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'threads',
    include: only ?? [
      'test/autograd/**/*.test.ts',
      'test/kernels/**/*.test.ts',
      'test/testing/**/*.test.ts',
      // nn.F.crossEntropy is the only caller of the fused cross-entropy primitive (prims/fused.ts).
      'test/nn/losses.test.ts',
    ],
  },
});
