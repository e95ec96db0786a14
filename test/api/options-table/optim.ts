/** Options meta-test entries for the optim exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the optim area. */
export const table: OptionsTable = {};
