/** Options meta-test entries for the train exports (see types.ts). */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OptionsTable } from './types.js';

const tmp = (name: string) => join(tmpdir(), `tapegrad-options-${process.pid}-${name}`);
const history = { history: { loss: [1, 0.5] } };

/** Entries of the train area. */
export const table: OptionsTable = {
  'training.MetricsLogger': (tg, o) => new tg.training.MetricsLogger(tmp('log.jsonl'), o),
  'training.readLog': (tg, o) => tg.training.readLog(tmp('missing.jsonl'), o),
  'training.progress': (tg, o) => tg.training.progress([1, 2], o),
  'training.ProgressBar': (tg, o) => new tg.training.ProgressBar([1, 2], o),
  'training.plotHistory': (tg, o) => tg.training.plotHistory(history, tmp('curves.svg'), o),
  'training.historySvg': (tg, o) => tg.training.historySvg(history, o),
};
