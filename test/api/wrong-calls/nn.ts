/** The wrong-call corpus for the nn area (see types.ts). */
import type { WrongCall } from './types.js';
import { summaryCalls } from './nn-summary.js';

/** Calls of the nn area. */
export const calls: WrongCall[] = [...summaryCalls];
