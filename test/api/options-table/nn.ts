/** Options meta-test entries for the nn exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the nn area. */
export const table: OptionsTable = {
  'nn.summary': (tg, o) => tg.nn.summary(new tg.nn.Linear(2, 1), [1, 2], o),
};
