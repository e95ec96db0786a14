// Mutation testing: `npm run test:mutation` (not in CI, it is slow). See docs/contributing.md,
// "Mutation testing", for what it covers, how to run a subset and the measured kill rates.
//
// Reports go to reports/mutation/ (git-ignored); set MUTATION_REPORT=<name> to write
// reports/<name>.{html,json} instead, so runs over single files do not overwrite each other.
const report = process.env.MUTATION_REPORT ?? 'mutation/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  // The default set: the backward rules, the engine, and the scalar (plain JavaScript) kernels.
  // Left out: gemm.ts (dispatch between the JS, WASM and threaded GEMMs) and gemm-js.ts (its
  // blocked loops are checked against a naive product in test/kernels/gemm.test.ts at sizes
  // that make every mutant cost seconds), and kernels/threads and kernels/wasm (code emitters and
  // worker plumbing: a mutant there changes generated WebAssembly or message passing, which the
  // vitest runner's in-process coverage cannot attribute to tests).
  mutate: [
    'src/autograd/prims/**/*.ts',
    'src/autograd/ops/nn.ts',
    'src/autograd/engine.ts',
    'src/kernels/*.ts',
    '!src/kernels/gemm.ts',
    '!src/kernels/gemm-js.ts',
  ],
  // Module-level mutants (tables built at import time) would need every test rerun per mutant.
  ignoreStatic: true,
  // Stryker would prepend `// @ts-nocheck` to every source in the sandbox for a type checker; there is
  // none (vitest strips types without checking them), and the prepended line breaks the test that
  // compares src/kernels/wasm/prebuilt.ts with the generators' output (test/kernels/module-cache.test.ts).
  disableTypeChecks: false,
  concurrency: 2,
  timeoutMS: 10_000, // added to 2× the covering tests' own time: an endless loop costs this once per mutant
  timeoutFactor: 2,
  tempDirName: process.env.MUTATION_TMP ?? '.stryker-tmp',
  ignorePatterns: ['dist', 'docs/api', 'reports', 'bench', 'coverage', '.stryker-tmp*'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { reportTests: false, reportMutants: true },
  htmlReporter: { fileName: `reports/${report}.html` },
  jsonReporter: { fileName: `reports/${report}.json` },
  thresholds: { high: 95, low: 85, break: null },
};
