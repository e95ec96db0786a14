/**
 * The wrong-call corpus against the built package: `dist/index.js` (ESM, by Node's own `import`)
 * and `dist/index.cjs` (CommonJS, by `require`). The same entries run against the sources in
 * `test/api/wrong-calls.test.ts`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpus } from '../api/wrong-calls/index.js';
import { runCorpus } from '../api/wrong-calls/run.js';
import type { Lib } from '../api/wrong-calls/types.js';
import { DIST } from './paths.js';

const esmUrl = pathToFileURL(path.join(DIST, 'index.js')).href;
let esm: Promise<Lib> | undefined;
/** The ESM build, imported once (vitest.config.ts leaves `dist/index.js` to Node's own loader). */
const loadEsm = (): Promise<Lib> => (esm ??= import(/* @vite-ignore */ esmUrl) as Promise<Lib>);
/** The CommonJS build, through Node's `require`. */
const loadCjs = (): Lib => createRequire(import.meta.url)(path.join(DIST, 'index.cjs')) as Lib;

describe('the builds under test', () => {
  it('are the two distinct built modules', async () => {
    const [e, c] = [await loadEsm(), loadCjs()];
    expect(e.Tensor).not.toBe(c.Tensor);
    // A namespace from Node's ESM loader is sealed; one from vitest's transform is not.
    expect(Object.isExtensible(e)).toBe(false);
    expect(e.Tensor.name).toBe('Tensor');
    expect(c.keras.Sequential.name).toBe('Sequential');
  });
});

for (const [area, calls] of Object.entries(corpus)) {
  if (calls.length === 0) continue;
  describe(`wrong calls against dist/index.js: ${area}`, () => runCorpus(calls, loadEsm));
  describe(`wrong calls against dist/index.cjs: ${area}`, () => runCorpus(calls, loadCjs));
}
