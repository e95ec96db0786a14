/** The wrong-call corpus for the data area (see types.ts). */
import type { WrongCall } from './types.js';

/** Calls of the data area. */
export const calls: WrongCall[] = [];
