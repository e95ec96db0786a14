/** The wrong-call corpus for the autograd area (see types.ts). */
import type { WrongCall } from './types.js';
import { toolkitCalls } from './autograd-toolkit.js';

/** Calls of the autograd area. */
export const calls: WrongCall[] = [...toolkitCalls];
