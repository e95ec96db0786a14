// Runs every example in quick mode (TAPEGRAD_QUICK=1) in a child process and checks that it exits 0.
// The examples are type-checked by the root tsconfig; this checks that they run.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.ts'))
  .sort();

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
    expect(examples).toEqual(
      expect.arrayContaining([
        'mnist-keras.ts',
        'mnist-pytorch.ts',
        'xor.ts',
        'regression.ts',
        'cnn-mnist.ts',
        'custom-function.ts',
        'hessian-vector.ts',
        'lstm-sequence.ts',
        'checkpoint-resume.ts',
        'cnn-keras.ts',
      ]),
    );
  });

  /** The number printed after `label` (e.g. `test accuracy: 0.2080`), or a failed expectation. */
  function printed(stdout: string, label: RegExp): number {
    const m = new RegExp(`${label.source}\\s*(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)`).exec(stdout);
    expect(m, `expected ${label} followed by a number in:\n${stdout}`).not.toBeNull();
    return Number(m![1]);
  }

  // What examples must print besides exiting 0, checked from their output (quick mode: a few steps).
  const checks: Record<string, (stdout: string) => void> = {
    // Ten classes: chance is 0.1, and a few dozen steps already do better.
    'mnist-keras.ts': (out) => expect(printed(out, /test accuracy:/)).toBeGreaterThan(0.12),
    'mnist-pytorch.ts': (out) => expect(printed(out, /test accuracy:/)).toBeGreaterThan(0.12),
    'cnn-mnist.ts': (out) => expect(printed(out, /test accuracy:/)).toBeGreaterThan(0.12),
    // The Keras CNN runs its full (short) training in quick mode too: issue 14 asks for >= 0.95.
    'cnn-keras.ts': (out) => expect(printed(out, /test accuracy:/)).toBeGreaterThanOrEqual(0.95),
    'lstm-sequence.ts': (out) => {
      const accuracy = printed(out, /accuracy on 500 new sequences of \d+ brackets:/);
      const baseline = printed(out, /always giving the commoner answer:/);
      expect(accuracy).toBeGreaterThanOrEqual(0.9);
      expect(accuracy).toBeGreaterThan(baseline + 0.1);
    },
    'xor.ts': (out) => {
      const m = /loss (\d+\.\d+) -> (\d+\.\d+)/.exec(out);
      expect(m, out).not.toBeNull();
      expect(Number(m![2])).toBeLessThan(Number(m![1]));
    },
    'hessian-vector.ts': (out) => {
      expect(printed(out, /max difference:/)).toBeLessThan(1e-10);
      const cg = /CG with Hv products: (.*)\n/.exec(out)?.[1];
      expect(cg).toBeDefined();
      expect(out).toContain(`exact minimiser    : ${cg}`);
    },
    'checkpoint-resume.ts': (out) => expect(out).toMatch(/identical weights/),
    'custom-function.ts': (out) => expect(out).toMatch(/gradcheck: true\ngradgradcheck: true/),
  };

  for (const file of examples) {
    it.concurrent(
      file,
      async () => {
        const r = await slot(() => run(file));
        if (r.code !== 0) throw new Error(`${file} exited with ${r.code}\n${r.stdout}\n${r.stderr}`);
        expect(r.stdout).toMatch(/\S/);
        checks[file]?.(r.stdout);
      },
      180_000,
    );
  }
});
