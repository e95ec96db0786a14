/**
 * The built typings as a consumer sees them: `test/dist/consumer/` is a project without Node types
 * (`"types": []`) that checks the library's .d.ts files too (`skipLibCheck: false`) and imports
 * `tapegrad` through the package's `exports` (ESM `index.d.ts` and CommonJS `index.d.cts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, ROOT, run } from './paths.js';

const CONSUMER = path.join(ROOT, 'test/dist/consumer');

/** The `// expect-error: name` marks of a consumer file, as `file(line)` → the member named. */
function expectedErrors(file: string): Map<string, string> {
  const marks = new Map<string, string>();
  fs.readFileSync(path.join(CONSUMER, file), 'utf8').split('\n').forEach((line, i) => {
    const m = /\/\/ expect-error: (\w+)/.exec(line);
    if (m) marks.set(`${file}(${i + 1})`, m[1]!);
  });
  return marks;
}

describe('the built typings', () => {
  it('import no Node modules and carry no @internal members', () => {
    for (const file of ['index.d.ts', 'index.d.cts']) {
      const dts = fs.readFileSync(path.join(DIST, file), 'utf8');
      expect(dts).not.toMatch(/from ['"]node:|from ['"](fs|path|util|worker_threads|os)['"]|\/\/\/ <reference types="node"/);
      expect(dts).not.toMatch(/@internal/);
      expect(dts).toMatch(/declare class Tensor\b/);
    }
  });

  it('type-check in a consumer project without @types/node, library checking on', async () => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const { code, stdout, stderr } = await run(process.execPath, [tsc, '-p', path.join(CONSUMER, 'tsconfig.json'), '--pretty', 'false'], { cwd: CONSUMER });
    expect(stderr).toBe('');
    const errors = stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    const expected = expectedErrors('internal-access.mts');
    // Every error is one of the expected ones (no error in the library's typings or the consumers)...
    for (const line of errors) {
      const at = /^(.*?)\((\d+),\d+\)/.exec(line);
      const key = at ? `${path.basename(at[1]!)}(${at[2]})` : line;
      expect(expected.has(key), `unexpected type error: ${line}`).toBe(true);
      expect(line).toContain(`'${expected.get(key)}'`);
    }
    // ...and every expected one happens: the internal members are really gone.
    expect(errors.length).toBe(expected.size);
    expect(code).not.toBe(0);
  });
});
