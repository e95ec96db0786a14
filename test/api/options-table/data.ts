/** Options meta-test entries for the data exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the data area. */
export const table: OptionsTable = {};
