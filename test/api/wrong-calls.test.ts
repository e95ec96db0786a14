/** The wrong-call corpus against the source. The dist suite runs the same entries against the build. */
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { corpus } from './wrong-calls/index.js';
import { runCorpus } from './wrong-calls/run.js';

for (const [area, calls] of Object.entries(corpus)) describe(`wrong calls: ${area}`, () => runCorpus(calls, () => tg));

describe('the corpus', () => {
  it('has at least 150 calls', () => {
    expect(Object.values(corpus).reduce((n, c) => n + c.length, 0)).toBeGreaterThanOrEqual(150);
  });
});
