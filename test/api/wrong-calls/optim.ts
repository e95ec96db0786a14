/** The wrong-call corpus for the optim area (see types.ts). */
import type { WrongCall } from './types.js';

/** Calls of the optim area. */
export const calls: WrongCall[] = [];
