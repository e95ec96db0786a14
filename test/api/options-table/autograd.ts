/** Options meta-test entries for the autograd exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the autograd area. */
export const table: OptionsTable = {};
