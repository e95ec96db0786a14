/**
 * Every exported function and class that takes options rejects an unknown key. The export list is
 * read from the library object itself, so a new export without a table entry fails here.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import type { OptionsTable } from './options-table/types.js';
import { table as core } from './options-table/core.js';
import { table as autograd } from './options-table/autograd.js';
import { table as nn } from './options-table/nn.js';
import { table as optim } from './options-table/optim.js';
import { table as data } from './options-table/data.js';
import { table as keras } from './options-table/keras.js';
import { table as onnx } from './options-table/onnx.js';
import { table as io } from './options-table/io.js';
import { table as testing } from './options-table/testing.js';
import { table as training } from './options-table/training.js';

const TABLES: Record<string, OptionsTable> = { core, autograd, nn, optim, data, keras, onnx, io, testing, training };

/** Every function or class reachable from the library object, by its first path (aliases once). */
function exportedCallables(): Map<string, string> {
  const seen = new Set<unknown>();
  const out = new Map<string, string>(); // path -> area
  const walk = (obj: object, prefix: string, area: string, depth: number): void => {
    for (const key of Object.keys(obj).sort()) {
      const v = (obj as Record<string, unknown>)[key];
      const path = prefix ? `${prefix}.${key}` : key;
      if (seen.has(v)) continue;
      if (typeof v === 'function') {
        seen.add(v);
        if (v.prototype instanceof Error || v === Error) continue;
        out.set(path, area);
      } else if (v !== null && typeof v === 'object' && depth < 3 && Object.prototype.toString.call(v) === '[object Module]') {
        seen.add(v);
        walk(v, path, depth === 0 ? key : area, depth + 1);
      }
    }
  };
  walk(tg, '', 'core', 0);
  return out;
}

const UNKNOWN = 'definitelyNotAnOption';

for (const [area, table] of Object.entries(TABLES)) {
  describe(`options meta-test: ${area}`, () => {
    const exported = [...exportedCallables()].filter(([, a]) => a === area).map(([p]) => p);
    it('has an entry for every export of the area', () => {
      const missing = exported.filter((p) => !Object.hasOwn(table, p));
      expect(missing, `exports without an entry in test/api/options-table/${area}.ts`).toEqual([]);
    });
    for (const [path, call] of Object.entries(table)) {
      if (typeof call !== 'function') continue;
      it(`${path} rejects an unknown option`, async () => {
        let error: unknown;
        try {
          await call(tg, { [UNKNOWN]: 1 });
        } catch (e) {
          error = e;
        }
        expect(error, `${path} accepted an unknown option`).toBeInstanceOf(tg.TapegradError);
        expect((error as Error).message).toContain(`'${UNKNOWN}'`);
      });
    }
  });
}
