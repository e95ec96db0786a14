/** The wrong-call corpus for the keras area (see types.ts). */
import type { WrongCall } from './types.js';

/** Calls of the keras area. */
export const calls: WrongCall[] = [];
