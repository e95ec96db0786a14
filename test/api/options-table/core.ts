/** Options meta-test entries for the core exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the core area. */
export const table: OptionsTable = {};
