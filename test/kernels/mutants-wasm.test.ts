/**
 * The WebAssembly drivers' bookkeeping (src/kernels/wasm), checked where a slip would compile a
 * module for the wrong memory, hand out another variant's bytes, or warm up modules the
 * instances do not use: the module cache's keys per memory import (each variant instantiates
 * with its own memory only) and the bytes per import; the warm-up compiling exactly the variants
 * the GEMM instances and the split elementwise kernels ask for. This file imports no module that
 * warms up at import, so the warm-up's compilations are seen here.
 */
import { describe, expect, it } from 'vitest';
import { cachedModule, cachedModuleBytes, moduleCacheCounts } from '../../src/kernels/wasm/module-cache.js';
import { DEFAULT_TILES } from '../../src/kernels/wasm/gemm-module.js';
import { SHARED_MAX_PAGES } from '../../src/kernels/wasm/gemm-wasm.js';
import { buildStreamModule } from '../../src/kernels/wasm/stream-module.js';
import { warmUpGemm } from '../../src/kernels/wasm/warm-up.js';

type Wasm = {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => object;
  Instance: new (m: object, imports: object) => object;
};
const WA = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

describe('module cache: one variant per memory import', () => {
  const imports = [{ initial: 1 }, { initial: 2 }, { initial: 1, maximum: 64 }, { initial: 1, maximum: 64, shared: true }];

  it('bytes: the builder’s own for the private import (the same array each time), rewritten for the others', () => {
    let builds = 0;
    const build = (): Uint8Array => {
      builds++;
      return buildStreamModule();
    };
    const priv = cachedModuleBytes('mutants-wasm-bytes', {}, { initial: 1 }, build);
    expect(Array.from(priv)).toEqual(Array.from(buildStreamModule()));
    expect(cachedModuleBytes('mutants-wasm-bytes', {}, { initial: 1 }, build)).toBe(priv);
    const shared = cachedModuleBytes('mutants-wasm-bytes', {}, { initial: 1, maximum: 64, shared: true }, build);
    expect(Array.from(shared)).toEqual(Array.from(buildStreamModule({ sharedMaxPages: 64 })));
    for (const other of imports.slice(1)) {
      expect(Array.from(cachedModuleBytes('mutants-wasm-bytes', {}, other, build)), JSON.stringify(other)).not.toEqual(Array.from(priv));
    }
    expect(builds).toBe(1);
  });

  it('compiled: one module per import, each instantiating with its own kind of memory only', () => {
    const c0 = moduleCacheCounts.compiled;
    const mods = imports.map((m) => cachedModule('mutants-wasm-compiled', {}, m, () => buildStreamModule()));
    expect(moduleCacheCounts.compiled - c0).toBe(imports.length);
    expect(new Set(mods).size).toBe(imports.length);
    imports.forEach((m, i) => {
      expect(cachedModule('mutants-wasm-compiled', {}, m, () => buildStreamModule())).toBe(mods[i]);
      const own = new WA.Memory(m.maximum === undefined ? { initial: m.initial } : m);
      expect(() => new WA.Instance(mods[i]!, { env: { memory: own } }), JSON.stringify(m)).not.toThrow();
    });
    expect(moduleCacheCounts.compiled - c0).toBe(imports.length);
    // A shared module refuses a private memory and the reverse.
    expect(() => new WA.Instance(mods[3]!, { env: { memory: new WA.Memory({ initial: 1, maximum: 64 }) } })).toThrow();
    expect(() => new WA.Instance(mods[0]!, { env: { memory: new WA.Memory({ initial: 1, maximum: 64, shared: true }) } })).toThrow();
    // A memory import with a maximum refuses a memory without one.
    expect(() => new WA.Instance(mods[2]!, { env: { memory: new WA.Memory({ initial: 1 }) } })).toThrow();
  });
});

describe('the GEMM warm-up', () => {
  const tiles = { f32: DEFAULT_TILES.f32, f64: DEFAULT_TILES.f64 };
  const shared = { initial: 1, maximum: SHARED_MAX_PAGES, shared: true };
  const none = (): Uint8Array => {
    throw new Error('generated');
  };

  it('compiles the private GEMM variant only, then with threads the shared GEMM and streaming variants: the ones the instances ask for', () => {
    const c0 = moduleCacheCounts.compiled;
    const g0 = moduleCacheCounts.generated;
    expect(warmUpGemm(null)).toBe(1);
    expect(moduleCacheCounts.compiled - c0).toBe(1);
    cachedModule('gemm', tiles, { initial: 1 }, none);
    expect(moduleCacheCounts.compiled - c0).toBe(1);
    expect(warmUpGemm(SHARED_MAX_PAGES)).toBe(2);
    expect(moduleCacheCounts.compiled - c0).toBe(3);
    cachedModule('gemm', tiles, shared, none);
    cachedModule('stream', {}, shared, none);
    expect(moduleCacheCounts.compiled - c0).toBe(3);
    expect(moduleCacheCounts.generated).toBe(g0);
  });
});
