/**
 * Crafted files for the untrusted-input tests: everything is built in memory by the test itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A safetensors file with exactly this header text (no padding) followed by `data`. */
export function safetensorsFile(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = Buffer.from(header, 'utf8');
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

/** The error `fn` throws (fails the test when it throws nothing). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error to be thrown');
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Longest message an error about a crafted file may have. */
export const MAX_MESSAGE = 1000;
