import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'threads',
    projects: [
      // The library from its TypeScript sources.
      { extends: true, test: { name: 'src', include: ['test/**/*.test.ts'], exclude: ['test/dist/**'] } },
      // The built package. Its globalSetup builds `dist/` when missing or stale; it runs only when a
      // dist test is selected, so `vitest run test/nn` needs no build.
      {
        extends: true,
        test: {
          name: 'dist',
          include: ['test/dist/**/*.test.ts'],
          globalSetup: ['test/dist/build.ts'],
          // Node itself loads the ESM build (not vitest's module transform).
          server: { deps: { external: [/\/dist\/index\.js$/] } },
        },
      },
    ],
  },
});
