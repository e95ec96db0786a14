/**
 * The GEMM worker threads in every way Node may run them: a process in ES-module mode
 * (`--input-type=module`), the default CommonJS mode, and Node's permission model without
 * `--allow-worker`; a worker that fails; and the checks of `setNumThreads`.
 *
 * The child-process cases run the kernels bundled by esbuild (no tsx: its loader itself needs a
 * worker thread, which the permission model forbids).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKernelThreads as getNumThreads, MAX_THREADS, setKernelThreads as setNumThreads } from '../../src/kernels/runtime/index.js';
import { GemmPool } from '../../src/kernels/threads/pool.js';
import { WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';
import { WA } from '../../src/kernels/wasm/wasm-api.js';
import * as tg from '../../src/index.js';

const runtimeEntry = fileURLToPath(new URL('../../src/kernels/runtime/index.ts', import.meta.url));
let dir = '';

/**
 * The child's program: a 256² float32 product on two threads (large enough to be split), checked
 * against a naive product, and a split float32 exp; a pause for the workers' events to arrive; then
 * a second product. Prints one JSON line: whether the results were right, and whether the pool
 * had failed.
 */
const CHILD_BODY = `
g.setNumThreads(2);
const n = 256;
const a = new Float32Array(n * n), b = new Float32Array(n * n);
for (let i = 0; i < n * n; i++) { a[i] = ((i * 7) % 13) - 6; b[i] = ((i * 5) % 11) - 5; }
const want = new Float32Array(n * n);
for (let i = 0; i < n; i++) for (let p = 0; p < n; p++) { const x = a[i * n + p]; for (let j = 0; j < n; j++) want[i * n + j] += x * b[p * n + j]; }
const same = (c) => c.every((v, i) => v === want[i]);
const c1 = new Float32Array(n * n);
g.gemm(false, false, n, n, n, a, 0, b, 0, c1, 0, false);
// A float32 exp large enough to be split over the threads: within 2 float32 ulps of Math.exp.
const m = 1 << 18;
const x = new Float32Array(m), ex = new Float32Array(m);
for (let i = 0; i < m; i++) x[i] = ((i % 2001) - 1000) / 100;
g.unaryF32('exp', ex, x, m, 0, 0);
const expOk = ex.every((v, i) => Math.abs(v - Math.exp(x[i])) <= 2.5e-7 * Math.exp(x[i]));
setTimeout(() => {
  const c2 = new Float32Array(n * n);
  g.gemm(false, false, n, n, n, a, 0, b, 0, c2, 0, false);
  const w = g.threadedGemm();
  console.log(JSON.stringify({ first: same(c1), second: same(c2), exp: expOk, threaded: w !== null, threadsFailed: w === null ? null : w.threadsFailed }));
}, 400);
`;

function runNode(args: string[]): { status: number | null; out: string; err: string; report?: Record<string, unknown> } {
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let report: Record<string, unknown> | undefined;
  try {
    report = JSON.parse(line) as Record<string, unknown>;
  } catch {
    report = undefined;
  }
  return { status: r.status, out: r.stdout, err: r.stderr, report };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapegrad-threads-'));
  // One bundle of the kernel runtime (the GEMM entry, the streaming kernels that use its worker pool).
  writeFileSync(
    join(dir, 'entry.ts'),
    `export * from ${JSON.stringify(runtimeEntry)};\nexport { setKernelThreads as setNumThreads } from ${JSON.stringify(runtimeEntry)};\n`,
  );
  for (const format of ['esm', 'cjs'] as const) {
    await build({
      entryPoints: [join(dir, 'entry.ts')],
      bundle: true,
      platform: 'node',
      format,
      outfile: join(dir, `gemm.${format === 'esm' ? 'mjs' : 'cjs'}`),
      logLevel: 'silent',
    });
  }
  writeFileSync(join(dir, 'child.mjs'), `import * as g from './gemm.mjs';\n${CHILD_BODY}`);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('worker bootstrap in every module mode', () => {
  it('runs a threaded product under --input-type=module, and the process lives on', () => {
    const src = `const g = await import(${JSON.stringify(join(dir, 'gemm.mjs'))});\n${CHILD_BODY}`;
    const r = runNode(['--input-type=module', '-e', src]);
    expect(r.err).not.toMatch(/require is not defined/);
    expect(r.status).toBe(0);
    expect(r.report).toEqual({ first: true, second: true, exp: true, threaded: true, threadsFailed: false });
  });

  it('runs a threaded product from a CommonJS script (the default mode)', () => {
    const src = `const g = require(${JSON.stringify(join(dir, 'gemm.cjs'))});\n${CHILD_BODY}`;
    const r = runNode(['-e', src]);
    expect(r.status).toBe(0);
    expect(r.report).toEqual({ first: true, second: true, exp: true, threaded: true, threadsFailed: false });
  });
});

describe("Node's permission model without --allow-worker", () => {
  it('runs large products on the calling thread instead of throwing', () => {
    const r = runNode(['--experimental-permission', '--allow-fs-read=*', join(dir, 'child.mjs')]);
    expect(r.err).not.toMatch(/ERR_ACCESS_DENIED|Access to this API/);
    expect(r.status).toBe(0);
    expect(r.report).toEqual({ first: true, second: true, exp: true, threaded: true, threadsFailed: true });
  });

  it('still uses the workers when --allow-worker is given', () => {
    const r = runNode(['--experimental-permission', '--allow-fs-read=*', '--allow-worker', join(dir, 'child.mjs')]);
    expect(r.status).toBe(0);
    expect(r.report).toEqual({ first: true, second: true, exp: true, threaded: true, threadsFailed: false });
  });
});

describe('a worker that fails', () => {
  it("has an 'error' listener: the pool is marked broken and the process does not die", async () => {
    const memory = new WA!.Memory({ initial: 1, maximum: 16, shared: true });
    // Not a WebAssembly.Module: the worker throws while it starts.
    const pool = new GemmPool({ notAModule: true }, memory, 1);
    for (let i = 0; i < 200 && !pool.broken; i++) await new Promise((r) => setTimeout(r, 25));
    expect(pool.broken).toBe(true);
    await pool.close();
  });

  it('makes large products fall back to one thread, with the right result', async () => {
    const g = new WasmGemm(undefined, undefined, 2);
    g.minWorkPerThread = 1 << 12;
    const memory = new WA!.Memory({ initial: 1, maximum: 16, shared: true });
    const broken = new GemmPool({ notAModule: true }, memory, 1);
    for (let i = 0; i < 200 && !broken.broken; i++) await new Promise((r) => setTimeout(r, 25));
    (g as unknown as { pool: GemmPool }).pool = broken;
    const n = 64;
    const a = Float32Array.from({ length: n * n }, (_, i) => (i % 7) - 3);
    const b = Float32Array.from({ length: n * n }, (_, i) => (i % 5) - 2);
    const c = new Float32Array(n * n);
    expect(g.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false)).toBe(true);
    for (const [i, j] of [
      [0, 0],
      [5, 17],
      [63, 63],
      [31, 2],
    ] as const) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p]! * b[p * n + j]!;
      expect(c[i * n + j]).toBe(s);
    }
    expect(g.threadsFailed).toBe(true);
    await g.close();
  });
});

describe('setNumThreads checks its argument', () => {
  const before = getNumThreads();
  afterAll(() => setNumThreads(before));

  it('kernels: RangeError for NaN, 0, non-integers and more threads than a pool holds; TypeError for a non-number', () => {
    for (const bad of [NaN, 0, -1, 2.5, Infinity, 64, 1000]) expect(() => setNumThreads(bad)).toThrow(RangeError);
    expect(() => setNumThreads('2' as unknown as number)).toThrow(TypeError);
    expect(getNumThreads()).toBe(before);
    expect(MAX_THREADS).toBe(63);
  });

  it('public: ValueError for out-of-range values naming the value, ArgumentTypeError for a non-number or extra arguments', () => {
    for (const bad of [NaN, 0, 2.5, 64]) {
      expect(() => tg.setNumThreads(bad)).toThrow(tg.ValueError);
      expect(() => tg.setNumThreads(bad)).toThrow(/setNumThreads/);
    }
    expect(() => tg.setNumThreads(64)).toThrow(/<= 63, got 64/);
    expect(() => tg.setNumThreads(null as unknown as number)).toThrow(tg.ArgumentTypeError);
    expect(() => (tg.setNumThreads as (...a: unknown[]) => void)(2, 3)).toThrow(tg.ArgumentTypeError);
    expect(tg.getNumThreads()).toBe(before);
  });

  it('accepts 1 to 63 and reports the value back', () => {
    tg.setNumThreads(1);
    expect(tg.getNumThreads()).toBe(1);
    tg.setNumThreads(63);
    expect(tg.getNumThreads()).toBe(63);
    tg.setNumThreads(before);
    expect(getNumThreads()).toBe(before);
  });
});

describe('TAPEGRAD_NUM_THREADS', () => {
  it('sets the thread count at import (the import does not fail on it)', () => {
    writeFileSync(
      join(dir, 'env.mjs'),
      `import * as g from './gemm.mjs';\nconsole.log(JSON.stringify({ threads: g.getKernelThreads() }));\n`,
    );
    const r = spawnSync(process.execPath, ['env.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TAPEGRAD_NUM_THREADS: '3' },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ threads: 3 });
  });
});
