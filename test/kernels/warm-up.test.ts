import { describe, expect, it } from 'vitest';
import { SHARED_MAX_PAGES } from '../../src/kernels/wasm/gemm-wasm.js';
import { moduleKey, moduleCacheCounts } from '../../src/kernels/wasm/module-cache.js';
import { warmUpGemm } from '../../src/kernels/wasm/warm-up.js';
import { DEFAULT_TILES } from '../../src/kernels/wasm/gemm-module.js';
import { nn, randn, tensor } from '../../src/index.js';

describe('GEMM warm-up at import', () => {
  it('runs correct products through the private and the shared-memory variants', () => {
    expect(warmUpGemm(null)).toBe(1);
    expect(warmUpGemm(SHARED_MAX_PAGES)).toBe(2);
  });

  it('compiles the very modules the GEMM instances use: their first product compiles nothing more', () => {
    // Importing the package ran the warm-up; a product (private memory) and the module keys match.
    expect(moduleKey('gemm', { f32: DEFAULT_TILES.f32, f64: DEFAULT_TILES.f64 })).toContain('"mr":4');
    const compiled = moduleCacheCounts.compiled;
    const a = tensor(Array.from({ length: 48 * 48 }, (_, i) => (i % 7) - 3)).reshape([48, 48]);
    const c = a.matmul(a).dataSync();
    // Row 0 · column 0 computed here from the definition.
    let want = 0;
    for (let p = 0; p < 48; p++) want += ((p % 7) - 3) * (((p * 48) % 7) - 3);
    expect(c[0]).toBe(want);
    expect(moduleCacheCounts.compiled).toBe(compiled);
  });

  it('leaves nothing to generate: the GEMM, streaming and conv drivers find their modules prebuilt', () => {
    randn([300, 300]).matmul(randn([300, 300]));
    randn([1 << 17]).sigmoid();
    nn.F.conv2d(randn([8, 2, 20, 20]), randn([4, 2, 3, 3]), null, { padding: 1 });
    expect(moduleCacheCounts.generated).toBe(0);
    expect(moduleCacheCounts.prebuilt).toBeGreaterThanOrEqual(3);
  });
});
