/** Options meta-test entries for the train exports (see types.ts). */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OptionsTable } from './types.js';

const tmp = (name: string) => join(tmpdir(), `tapegrad-options-${process.pid}-${name}`);
const history = { history: { loss: [1, 0.5] } };

/** Entries of the train area. */
export const table: OptionsTable = {
  'train.MetricsLogger': (tg, o) => new tg.train.MetricsLogger(tmp('log.jsonl'), o),
  'train.readLog': (tg, o) => tg.train.readLog(tmp('missing.jsonl'), o),
  'train.progress': (tg, o) => tg.train.progress([1, 2], o),
  'train.ProgressBar': (tg, o) => new tg.train.ProgressBar([1, 2], o),
  'train.plotHistory': (tg, o) => tg.train.plotHistory(history, tmp('curves.svg'), o),
  'train.historySvg': (tg, o) => tg.train.historySvg(history, o),
};
