/** Runs corpus entries against one build of the library (shared by the source and dist suites). */
import { expect, it } from 'vitest';
import type { Lib, WrongCall } from './types.js';

/** Registers one vitest case per corpus entry, each calling `load()` for the library under test. */
export function runCorpus(calls: readonly WrongCall[], load: () => Promise<Lib> | Lib): void {
  for (const c of calls) {
    it(c.code, async () => {
      const tg = await load();
      const e = c.expect;
      if ('throws' in e) {
        let error: unknown;
        try {
          await c.run(tg);
        } catch (err) {
          error = err;
        }
        expect(error, `${c.code} should throw ${e.throws}`).toBeDefined();
        expect((error as Error).name).toBe(e.throws);
        expect((error as Error).message).toMatch(e.message);
        expect((error as Error).message.length).toBeLessThan(2000);
      } else {
        e.check(await c.run(tg), tg);
      }
    });
  }
}
