// Lint: typescript-eslint's type-aware recommended rules over the library, its tests, the examples
// and the benchmark. `npm run lint`; `.ci/run` runs it. Each rule turned off says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  require: 'readonly',
  module: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'docs/api/**', '**/node_modules/**', 'reports/**', '.stryker-tmp*/**', 'runs/**', 'test/dist/consumer/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `arguments.length` tells an omitted positional argument from an explicit `undefined`, which
      // the "honoured or rejected" rule needs (src/autograd/args.ts `checkArity`); rest parameters
      // would also change each function's public signature and `length`.
      'prefer-rest-params': 'off',
      // A cursor advanced past its last read (`inputs[k++]`) reads better than special-casing that read.
      'no-useless-assignment': 'off',
      // An async method that implements an async interface (bench peers, data sources) need not await.
      '@typescript-eslint/require-await': 'off',
      // Parameters are the documented signature even where the positional-form parser reads them
      // through `arguments`; `_`-prefixed locals are deliberate holes.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests call the library the way plain JavaScript does (wrong types, untyped objects, methods
    // taken off their object, values stringified or evaluated only for their throw) on purpose.
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: nodeGlobals },
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
