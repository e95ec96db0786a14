/**
 * vitest globalSetup of the `dist` project: builds the package (`npm run build`, i.e. tsup) when
 * `dist/` is missing or older than anything it is built from, so the dist suite always tests the
 * current sources. It runs only when a dist test is part of the run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, ROOT } from './paths.js';

/** The files the build writes. */
const OUTPUTS = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((f) => path.join(DIST, f));
/** The files and directories the build reads. */
const INPUTS = ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json', 'tsconfig.src.json'].map((f) => path.join(ROOT, f));

function newestMtime(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/** True when an output is missing or older than the newest input. */
export function distIsStale(): boolean {
  if (!OUTPUTS.every((f) => fs.existsSync(f))) return true;
  const built = Math.min(...OUTPUTS.map((f) => fs.statSync(f).mtimeMs));
  return INPUTS.some((f) => fs.existsSync(f) && newestMtime(f) > built);
}

/** Builds `dist/` unless it is up to date. */
export default function setup(): void {
  if (!distIsStale()) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the dist suite could not build the package:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`, { cause: error });
  }
}
