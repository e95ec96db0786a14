import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

// The fs module objects are used through their default export (not named
// imports) so that tests can inject failures with `vi.spyOn(fs, ...)`.

function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Matches the temporary files of {@link tempPathFor} for a target named `base`: `.<base>.<pid>.<12 hex>.tmp`. */
function tempPattern(base: string): RegExp {
  return new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);
}

/** Whether process `pid` has exited: signal 0 only checks that it exists (EPERM: it exists, not ours). */
function processGone(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as { code?: unknown }).code === 'ESRCH';
  }
}

/**
 * Removes the temporary files an earlier write of the same `target` left behind when its
 * process was killed (SIGKILL, power loss): only files named like ours for this target, and only
 * those whose process no longer exists, never a live process's write in progress. Best effort.
 * @example
 * ```ts
 * removeStaleTempFiles('ckpt/model.safetensors');
 * ```
 * @internal
 */
export function removeStaleTempFiles(target: string): string[] {
  const dir = path.dirname(target);
  const pattern = tempPattern(path.basename(target));
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !processGone(pid)) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
      removed.push(name);
    } catch {
      // already gone, or not ours to remove
    }
  }
  return removed;
}

/**
 * An error for a failed write of `target`, naming the target (not the temporary file) and keeping
 * the original's `code`, `errno` and `syscall` (the original is the `cause`).
 */
function saveError(target: string, tmp: string, err: unknown): Error {
  if (!(err instanceof Error)) return new Error(`cannot write ${target}: ${String(err).slice(0, 200)}`, { cause: err });
  const detail = err.message.split(tmp).join('<temporary file>');
  const out = new Error(`cannot write ${target}: ${detail}`, { cause: err });
  const sys = err as Error & { code?: unknown; errno?: unknown; syscall?: unknown };
  Object.assign(out, { code: sys.code, errno: sys.errno, syscall: sys.syscall, path: target });
  return out;
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** File mode of an existing target, so that replacing it keeps its permissions. */
function existingMode(target: string): number | undefined {
  try {
    return fs.statSync(target).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function fsyncDirSync(dir: string): void {
  // Makes the rename durable. Not supported everywhere (e.g. Windows): best effort.
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // ignore
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // ignore
      }
    }
  }
}

/**
 * Writes `data` to `target` atomically: the bytes go to a temporary file in
 * the same folder (`.<name>.<pid>.<random>.tmp`), which is fsynced and then
 * renamed onto `target`. Readers see either the old file or the complete new
 * one. On any failure the temporary file is removed, an existing `target` is
 * left untouched, and an error naming `target` is thrown (the original is its
 * `cause`, its `code` kept). Temporary files of the same target left by a
 * process that was killed are removed first (never those of a live process).
 * Strings are written as UTF-8.
 *
 * @param target - Destination path; its folder must exist.
 * @param data - Bytes (or UTF-8 text) to write.
 * @example
 * ```ts
 * writeFileAtomic('run/log.csv', 'step,loss\n1,0.5\n');
 * ```
 */
export function writeFileAtomic(target: string, data: Uint8Array | string): void {
  const bytes = toBytes(data);
  removeStaleTempFiles(target);
  const tmp = tempPathFor(target);
  const mode = existingMode(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode ?? 0o666);
    let off = 0;
    while (off < bytes.length) {
      off += fs.writeSync(fd, bytes, off, bytes.length - off);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // ignore: the original error is more useful
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // ignore: the temp file may never have been created
    }
    throw saveError(target, tmp, err);
  }
  fsyncDirSync(path.dirname(target));
}

/**
 * Promise-based version of {@link writeFileAtomic}, with the same guarantees.
 *
 * @param target - Destination path; its folder must exist.
 * @param data - Bytes (or UTF-8 text) to write.
 * @example
 * ```ts
 * await writeFileAtomicAsync('ckpt/model.safetensors', bytes);
 * ```
 */
export async function writeFileAtomicAsync(target: string, data: Uint8Array | string): Promise<void> {
  const bytes = toBytes(data);
  removeStaleTempFiles(target);
  const tmp = tempPathFor(target);
  let mode: number | undefined;
  try {
    mode = (await fsp.stat(target)).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  let handle: Awaited<ReturnType<typeof fsp.open>> | undefined;
  try {
    handle = await fsp.open(tmp, 'wx', mode ?? 0o666);
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, off, bytes.length - off);
      off += bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, target);
  } catch (err) {
    if (handle !== undefined) {
      try {
        await handle.close();
      } catch {
        // ignore
      }
    }
    try {
      await fsp.unlink(tmp);
    } catch {
      // ignore
    }
    throw saveError(target, tmp, err);
  }
  let dirHandle: Awaited<ReturnType<typeof fsp.open>> | undefined;
  try {
    dirHandle = await fsp.open(path.dirname(target), 'r');
    await dirHandle.sync();
  } catch {
    // best effort
  } finally {
    await dirHandle?.close().catch(() => undefined);
  }
}
