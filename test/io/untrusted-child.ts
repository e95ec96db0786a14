/**
 * Child process of the untrusted-file tests (run with `node --import tsx`), so that memory is
 * measured in a process of its own and a save can be killed half way.
 *
 * - `idx-bomb <megabytes>`: reads a crafted gzip bomb with `decodeIdx` and prints, as JSON, the
 *   error and the growth of rss and ArrayBuffer memory.
 * - `stuck-save <target>`: starts `nn.save` of a 4 MB state dict to `target`, prints `writing`
 *   once the temporary file holds its first bytes, then hangs until killed.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

const [mode, arg] = process.argv.slice(2);

async function idxBomb(megabytes: number): Promise<void> {
  const { decodeIdx } = await import('../../src/io/idx.js');
  // A valid header for a 10-byte array, then `megabytes` MB of zeros: concatenated gzip members
  // (each 1 MB of zeros) decompress as one stream, so the file stays small.
  const header = new Uint8Array([0, 0, 0x08, 0x01, 0, 0, 0, 10]);
  const megabyteOfZeros = zlib.gzipSync(new Uint8Array(1 << 20), { level: 9 });
  const parts = [zlib.gzipSync(header), ...Array.from({ length: megabytes }, () => megabyteOfZeros)];
  const bomb = new Uint8Array(Buffer.concat(parts));
  const before = process.memoryUsage();
  let error: { name: string; message: string } | null = null;
  try {
    decodeIdx(bomb);
  } catch (e) {
    error = { name: (e as Error).name, message: (e as Error).message };
  }
  const after = process.memoryUsage();
  const out = {
    bombBytes: bomb.length,
    inflatesTo: 8 + megabytes * (1 << 20),
    error,
    rssGrowth: after.rss - before.rss,
    arrayBuffersGrowth: after.arrayBuffers - before.arrayBuffers,
  };
  process.stdout.write(JSON.stringify(out));
}

async function stuckSave(target: string): Promise<void> {
  const { Tensor } = await import('../../src/autograd/tensor.js');
  const nn = await import('../../src/nn/index.js');
  const realWrite = fs.writeSync.bind(fs) as (fd: number, b: Uint8Array, off: number, len: number) => number;
  (fs as { writeSync: unknown }).writeSync = (fd: number, bytes: Uint8Array, offset: number, length: number): number => {
    const n = realWrite(fd, bytes, offset, Math.min(length, 1 << 20));
    process.stdout.write('writing\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // hang here until killed
    return n;
  };
  nn.save({ weight: Tensor._fromData(new Float32Array(1 << 20), [1 << 20], 'float32') }, target);
}

if (mode === 'idx-bomb') await idxBomb(Number(arg));
else if (mode === 'stuck-save') await stuckSave(arg!);
else throw new Error(`unknown mode ${String(mode)}`);
