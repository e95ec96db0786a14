/** Options meta-test entries for the keras exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the keras area. */
export const table: OptionsTable = {};
