/**
 * Plain `.mjs` and `.cjs` scripts run with Node against the built package, imported by its name
 * (`tapegrad` resolves to `dist/` through the package's own `exports`). Each script asserts with
 * `node:assert` and exits non-zero on failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runScript } from './paths.js';

const scripts = fs.readdirSync(path.join(ROOT, 'test/dist/scripts')).filter((f) => /\.[cm]js$/.test(f)).sort();

describe('plain scripts against the built package', () => {
  it('has the scripts', () => {
    expect(scripts).toEqual(expect.arrayContaining(['class-names.mjs', 'dual-build.mjs', 'keras-save-load.mjs', 'pytorch-loop.cjs']));
  });
  for (const script of scripts) {
    it(script, async () => {
      const { code, stdout, stderr } = await runScript(script);
      expect(stderr).toBe('');
      expect(code, stdout + stderr).toBe(0);
      expect(stdout).toMatch(/ ok\n$/);
    });
  }
});
