import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The typings leave out `@internal` members, so a consumer sees only the public API.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Class names are part of the behaviour (keras configs, summaries, module printing): never rename them.
  keepNames: true,
});
