/**
 * A save killed half way leaves a temporary file; the next save of the same target removes it
 * (only when its process is gone), and a failed save names the target, not the temporary file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Tensor } from '../../src/autograd/tensor.js';
import { removeStaleTempFiles, writeFileAtomic, writeFileAtomicAsync } from '../../src/io/atomic-write.js';
import * as nn from '../../src/nn/index.js';
import { tempDir, thrown } from './untrusted-helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'untrusted-child.ts');

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('tapegrad-stale-')));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const temps = (): string[] =>
  fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.tmp'))
    .sort();
const small = (): Record<string, Tensor> => ({ w: Tensor._fromData(new Float32Array([1, 2, 3]), [3], 'float32') });

/** Starts a child that hangs in the middle of `nn.save(…, target)`, resolved once its temp file has data. */
async function stuckSave(target: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'stuck-save', target], {
    cwd: path.join(HERE, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => String(d).includes('writing') && resolve());
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before writing: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    pid: child.pid!,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('temporary files of a killed save', () => {
  it('a save killed with SIGKILL leaves its temp file; the next save of the target removes it', async () => {
    const target = path.join(dir, 'model.safetensors');
    const child = await stuckSave(target);
    const [left] = temps();
    expect(left).toMatch(new RegExp(`^\\.model\\.safetensors\\.${child.pid}\\.[0-9a-f]{12}\\.tmp$`));
    expect(fs.statSync(path.join(dir, left!)).size).toBeGreaterThanOrEqual(1 << 20);

    // While the child lives, a save from here leaves its file alone.
    nn.save(small(), target);
    expect(temps()).toEqual([left]);

    await child.kill();
    expect(temps()).toEqual([left]); // nothing removes it by itself
    nn.save(small(), target);
    expect(temps()).toEqual([]);
    expect(Array.from(nn.load(target)['w']!.dataSync())).toEqual([1, 2, 3]);
  });

  it('only temp files of the same target whose process is gone are removed', async () => {
    const target = path.join(dir, 'model.safetensors');
    const child = await stuckSave(path.join(dir, 'other.safetensors'));
    await child.kill();
    const dead = child.pid; // a pid that just exited: gone
    const files = [
      `.model.safetensors.${dead}.aaaaaaaaaaaa.tmp`, // this target, process gone: removed
      `.model.safetensors.${process.pid}.bbbbbbbbbbbb.tmp`, // this process (a write may be in progress): kept
      `.model.safetensors.${process.ppid}.cccccccccccc.tmp`, // a live process: kept
      `.modelXsafetensors.${dead}.dddddddddddd.tmp`, // another name: kept
      `.model.safetensors.${dead}.eeee.tmp`, // not our naming: kept
    ];
    for (const f of files) fs.writeFileSync(path.join(dir, f), 'x');
    const before = temps();
    expect(removeStaleTempFiles(target)).toEqual([files[0]]);
    expect(temps()).toEqual(before.filter((f) => f !== files[0]));
    await writeFileAtomicAsync(target, 'data'); // the async writer cleans too (nothing left to clean)
    expect(temps()).toEqual(before.filter((f) => f !== files[0]));
  });
});

describe('errors of a failed save name the target', () => {
  it('a missing folder: the message names the target and keeps the code', () => {
    const target = path.join(dir, 'missing', 'model.safetensors');
    const err = thrown(() => nn.save(small(), target)) as Error & { code?: string; path?: string };
    expect(err.message).toContain(`cannot write ${target}: ENOENT`);
    expect(err.message).not.toMatch(/\.tmp/);
    expect(err.code).toBe('ENOENT');
    expect(err.path).toBe(target);
  });

  it('a failed rename: the temp file is named nowhere and removed', () => {
    const target = path.join(dir, 'model.safetensors');
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      throw Object.assign(new Error(`EXDEV: cross-device link not permitted, rename '${String(from)}' -> '${String(to)}'`), {
        code: 'EXDEV',
      });
    });
    const err = thrown(() => writeFileAtomic(target, 'data')) as Error & { code?: string; cause?: unknown };
    expect(err.message).toBe(`cannot write ${target}: EXDEV: cross-device link not permitted, rename '<temporary file>' -> '${target}'`);
    expect(err.code).toBe('EXDEV');
    expect((err.cause as Error).message).toMatch(/\.tmp/);
    expect(temps()).toEqual([]);
  });
});
