// Runs every example in quick mode (TAPEGRAD_QUICK=1) in a child process and checks that it exits 0.
// The examples are type-checked by the root tsconfig; this checks that they run.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();

/** At most two examples at a time: each is a separate Node process on a 2-core machine. */
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function run(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('examples', file)],
      { cwd: root, env: { ...process.env, TAPEGRAD_QUICK: '1', CI: 'true' }, timeout: 120_000, maxBuffer: 8 << 20 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('examples run in quick mode', () => {
  it('finds the examples', () => {
    expect(examples).toEqual(expect.arrayContaining([
      'mnist-keras.ts', 'mnist-pytorch.ts', 'xor.ts', 'regression.ts', 'cnn-mnist.ts', 'custom-function.ts',
      'hessian-vector.ts', 'lstm-sequence.ts', 'checkpoint-resume.ts',
    ]));
  });

  // What some examples must print besides exiting 0 (they check their own results).
  const expected: Record<string, RegExp> = {
    'mnist-keras.ts': /test accuracy: \d\.\d{4}/,
    'hessian-vector.ts': /max difference: \d\.\d+e-\d+/,
    'checkpoint-resume.ts': /identical weights/,
    'custom-function.ts': /gradcheck: true\ngradgradcheck: true/,
  };

  for (const file of examples) {
    it.concurrent(file, async () => {
      const r = await slot(() => run(file));
      if (r.code !== 0) throw new Error(`${file} exited with ${r.code}\n${r.stdout}\n${r.stderr}`);
      expect(r.stdout).toMatch(expected[file] ?? /\S/);
    }, 180_000);
  }
});
