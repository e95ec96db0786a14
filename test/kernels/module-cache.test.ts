import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GemmPool } from '../../src/kernels/threads/pool.js';
import { withMemoryImport } from '../../src/kernels/wasm/emit.js';
import { buildGemmModule, DEFAULT_TILES } from '../../src/kernels/wasm/gemm-module.js';
import { WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';
import { cachedModule, cachedModuleBytes, moduleCacheCounts, moduleKey } from '../../src/kernels/wasm/module-cache.js';
import { PREBUILT_MODULES } from '../../src/kernels/wasm/prebuilt.js';
import { PREBUILT_SOURCES, prebuiltFileText } from '../../src/kernels/wasm/prebuilt-sources.js';
import { readFileSync } from 'node:fs';
import { buildStreamModule } from '../../src/kernels/wasm/stream-module.js';

const SHARED = { initial: 1, maximum: 32768, shared: true };

/** Deterministic pseudo-random fill in [-1, 1) (xorshift). */
function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/** op(A)·op(B) in float64 with naive loops (A m×k or k×m, B k×n or n×k, row-major). */
function naive(tA: boolean, tB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[tA ? p * m + i : i * k + p]! * b[tB ? j * k + p : p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

describe('withMemoryImport', () => {
  it('gives the bytes the builder emits for a shared memory import', () => {
    const priv = buildStreamModule();
    expect(Array.from(withMemoryImport(priv, SHARED))).toEqual(Array.from(buildStreamModule({ sharedMaxPages: 32768 })));
    const gemmPriv = buildGemmModule(DEFAULT_TILES);
    const gemmShared = buildGemmModule({ ...DEFAULT_TILES, sharedMaxPages: 32768 });
    expect(Array.from(withMemoryImport(gemmPriv, SHARED))).toEqual(Array.from(gemmShared));
  });

  it('turns a shared variant back into the private one', () => {
    const priv = buildStreamModule();
    const back = withMemoryImport(withMemoryImport(priv, SHARED), { initial: 1 });
    expect(Array.from(back)).toEqual(Array.from(priv));
  });

  it('rejects bytes without a type section first', () => {
    const bytes = buildStreamModule().slice();
    bytes[8] = 7;
    expect(() => withMemoryImport(bytes, SHARED)).toThrow(/type section/);
  });
});

describe('module cache', () => {
  it('generates each family and parameters once and compiles each memory variant once', () => {
    let builds = 0;
    const build = (): Uint8Array => {
      builds++;
      return buildStreamModule();
    };
    const params = { test: 'module-cache' };
    const g0 = moduleCacheCounts.generated,
      c0 = moduleCacheCounts.compiled;
    const a = cachedModule('test-stream', params, { initial: 1 }, build);
    const b = cachedModule('test-stream', params, { initial: 1 }, build);
    const s1 = cachedModule('test-stream', params, SHARED, build);
    const s2 = cachedModule('test-stream', params, SHARED, build);
    expect(builds).toBe(1);
    expect(a).toBe(b);
    expect(s1).toBe(s2);
    expect(s1).not.toBe(a);
    expect(moduleCacheCounts.generated - g0).toBe(1);
    expect(moduleCacheCounts.compiled - c0).toBe(2);
    // Other parameters are another module.
    cachedModuleBytes('test-stream', { test: 'other' }, { initial: 1 }, build);
    expect(builds).toBe(2);
  });

  it('lets GEMM instances built later reuse the generated and compiled modules', () => {
    const first = [new WasmGemm(), new WasmGemm(undefined, undefined, 2)];
    const g0 = moduleCacheCounts.generated,
      c0 = moduleCacheCounts.compiled;
    const later = [new WasmGemm(), new WasmGemm(undefined, undefined, 2), new WasmGemm(undefined, undefined, 3)];
    expect(moduleCacheCounts.generated).toBe(g0);
    expect(moduleCacheCounts.compiled).toBe(c0);
    void Promise.all([...first, ...later].map((w) => w.close()));
  });
});

describe('prebuilt module bytes', () => {
  it("are the generators' current output (else run `npx tsx scripts/gen-wasm-modules.ts`)", () => {
    const file = readFileSync(new URL('../../src/kernels/wasm/prebuilt.ts', import.meta.url), 'utf8');
    expect(file).toBe(prebuiltFileText(PREBUILT_SOURCES));
    for (const s of PREBUILT_SOURCES) {
      const shipped = PREBUILT_MODULES[moduleKey(s.family, s.params)];
      expect(shipped, s.family).toBeDefined();
      expect(Array.from(Buffer.from(shipped!, 'base64'))).toEqual(Array.from(s.build()));
    }
  });

  it('are under the keys the drivers ask for: a fresh GEMM, stream and conv use them without generating', () => {
    // This file's GEMM instances above already filled the cache; a key the drivers use but the
    // table lacks would show as a generation here.
    for (const s of PREBUILT_SOURCES) {
      const g0 = moduleCacheCounts.generated;
      const bytes = cachedModuleBytes(s.family, s.params, { initial: 1 }, () => {
        throw new Error(`${s.family} was generated`);
      });
      expect(moduleCacheCounts.generated).toBe(g0);
      expect(Array.from(bytes)).toEqual(Array.from(s.build()));
    }
    expect(moduleCacheCounts.prebuilt).toBeGreaterThan(0);
  });
});

describe('GEMM on the shared module', () => {
  const one = new WasmGemm();
  const oneLater = new WasmGemm();
  const two = new WasmGemm(undefined, undefined, 2);
  two.minWorkPerThread = 1 << 10;
  // Every product split, whatever the thread policy would decide on a busy machine.
  two.adaptiveThreads = false;
  beforeAll(async () => {
    // The first product starts the worker; until it has started, products run on the caller.
    two.gemm(false, false, 64, 64, 64, filled(4096, 1), 0, filled(4096, 2), 0, new Float32Array(4096), 0, false);
    const pool = (two as unknown as { pool: GemmPool | null }).pool;
    expect(pool).not.toBeNull();
    for (let i = 0; i < 400 && pool!.started === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(pool!.started).toBe(1);
  });
  afterAll(async () => {
    await two.close();
  });

  const shapes: Array<[boolean, boolean, number, number, number]> = [
    [false, false, 64, 64, 64],
    [false, true, 37, 53, 29],
    [true, false, 96, 40, 130],
    [true, true, 128, 72, 65],
  ];
  for (const [tA, tB, m, n, k] of shapes) {
    it(`gives identical bits on 1 and 2 threads and from instances built later (${m}×${n}×${k}, tA=${tA}, tB=${tB})`, () => {
      const a = filled(m * k, m + 3 * k),
        b = filled(k * n, n + 7 * k);
      const run = (w: WasmGemm): Float32Array => {
        const c = new Float32Array(m * n);
        expect(w.gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false)).toBe(true);
        return c;
      };
      const c1 = run(one),
        c1Later = run(oneLater),
        c2 = run(two);
      expect(two.threadsFailed).toBe(false);
      expect(Array.from(c1Later)).toEqual(Array.from(c1));
      expect(Array.from(c2)).toEqual(Array.from(c1));
      const ref = naive(tA, tB, m, n, k, a, b);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(c1[i]! - ref[i]!)).toBeLessThan(1e-4 * Math.sqrt(k));
    });
  }
});

describe('products while the workers start', () => {
  it('run on the calling thread with the right result, and split once a worker has started', async () => {
    const w = new WasmGemm(undefined, undefined, 2);
    w.minWorkPerThread = 1 << 10;
    w.adaptiveThreads = false;
    const n = 48;
    const a = filled(n * n, 5),
      b = filled(n * n, 6);
    const ref = naive(false, false, n, n, n, a, b);
    const c = new Float32Array(n * n);
    expect(w.gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false)).toBe(true);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(c[i]! - ref[i]!)).toBeLessThan(1e-4 * Math.sqrt(n));
    const pool = (w as unknown as { pool: GemmPool | null }).pool!;
    for (let i = 0; i < 400 && pool.started === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(pool.started).toBe(1);
    const c2 = new Float32Array(n * n);
    expect(w.gemm(false, false, n, n, n, a, 0, b, 0, c2, 0, false)).toBe(true);
    expect(Array.from(c2)).toEqual(Array.from(c));
    await w.close();
  });
});
