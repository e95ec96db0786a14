/** Options meta-test entries for the nn exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the nn area. */
export const table: OptionsTable = {};
