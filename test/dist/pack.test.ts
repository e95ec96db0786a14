/** What `npm pack` puts in the package: the build, the typings, README and LICENSE, nothing else. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './paths.js';

describe('npm pack', () => {
  it('builds before packing (prepack)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['prepack']).toMatch(/\bnpm run build\b|\btsup\b/);
  });

  it('lists the built files', async () => {
    // --ignore-scripts: dist is already built by the suite's globalSetup; prepack would rebuild it under the other tests.
    const { code, stdout, stderr } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
    expect(code, stderr).toBe(0);
    const [report] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const files = report!.files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining([
      'LICENSE', 'README.md', 'package.json',
      'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts',
    ]));
    expect(files.filter((f) => !/^dist\/index\.(js|cjs|d\.ts|d\.cts)(\.map)?$/.test(f) && !['LICENSE', 'README.md', 'package.json'].includes(f))).toEqual([]);
  });
});
