/** Options meta-test entries for the io exports (see types.ts). */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OptionsTable } from './types.js';

const scratch = (name: string): string => join(tmpdir(), `tapegrad-options-${process.pid}-${name}`);

/** Entries of the io area. */
export const table: OptionsTable = {
  'io.saveNpy': { none: 'takes (path, tensor)' },
  'io.loadNpy': { none: 'takes (path)' },
  'io.toNpy': { none: 'takes (tensor)' },
  'io.fromNpy': { none: 'takes (bytes)' },
  'io.saveNpz': (tg, o) => tg.io.saveNpz(scratch('a.npz'), { a: tg.tensor([1]) }, o),
  'io.toNpz': (tg, o) => tg.io.toNpz({ a: tg.tensor([1]) }, o),
  'io.loadNpz': { none: 'takes (path)' },
  'io.fromNpz': { none: 'takes (bytes)' },
  'io.saveCheckpoint': { none: 'takes (state, path): every key of state is saved' },
  'io.loadCheckpoint': (tg, o) => tg.io.loadCheckpoint(scratch('missing.safetensors'), o as Record<string, unknown>),
};
