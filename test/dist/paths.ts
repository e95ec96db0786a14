/** Paths of the built package and a helper that runs plain scripts against it with Node. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (the package's own directory). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built package's directory. */
export const DIST = path.join(ROOT, 'dist');

/** What a child process printed and how it ended. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` from the repository root and resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: options.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error; the rule cannot see through the callback's union type
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs a script of `test/dist/scripts/` with plain Node (no TypeScript loader, no vitest). */
export function runScript(name: string): Promise<RunResult> {
  return run(process.execPath, [path.join(ROOT, 'test/dist/scripts', name)]);
}
