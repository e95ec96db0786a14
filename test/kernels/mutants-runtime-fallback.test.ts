/**
 * The runtime's GEMM instance where WebAssembly fails (src/kernels/runtime/instances.ts): without
 * a shared memory for threads it falls back to a one-thread instance (and no threaded GEMM for
 * the split elementwise kernels), without WebAssembly to none (the JS kernel runs), and it tries
 * once per thread setting, not on every product. The failures are simulated by a WasmGemm whose
 * constructor throws on demand.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';

const sim = vi.hoisted(() => ({ failShared: false, failAll: false, attempts: 0 }));

vi.mock('../../src/kernels/wasm/gemm-wasm.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/kernels/wasm/gemm-wasm.js')>();
  class FlakyGemm extends m.WasmGemm {
    constructor(...args: ConstructorParameters<typeof m.WasmGemm>) {
      sim.attempts++;
      if (sim.failAll || (sim.failShared && (args[2] ?? 1) > 1)) throw new Error('simulated: no WebAssembly memory');
      super(...args);
    }
  }
  return { ...m, WasmGemm: FlakyGemm };
});

const { gemm, getKernelThreads, setKernelBackend, setKernelThreads, threadedGemm } = await import('../../src/kernels/runtime/index.js');
const { gemmInstance } = await import('../../src/kernels/runtime/instances.js');

const before = getKernelThreads();
afterAll(() => {
  sim.failAll = sim.failShared = false;
  setKernelBackend('auto');
  setKernelThreads(before === 1 ? 2 : 1);
  setKernelThreads(before);
});

/** A 9×9 product of small integers on the 'wasm' backend, checked against the definition. */
function productIsRight(): boolean {
  const a = Float32Array.from({ length: 81 }, (_, i) => (i % 4) - 1);
  const c = new Float32Array(81);
  gemm(false, false, 9, 9, 9, a, 0, a, 0, c, 0, false);
  for (let i = 0; i < 9; i++)
    for (let j = 0; j < 9; j++) {
      let s = 0;
      for (let p = 0; p < 9; p++) s += a[i * 9 + p]! * a[p * 9 + j]!;
      if (c[i * 9 + j] !== s) return false;
    }
  return true;
}

describe('the GEMM instance when WebAssembly fails', () => {
  it('no shared memory: a one-thread instance, no threaded GEMM; products still right', () => {
    setKernelThreads(1);
    sim.failShared = true;
    setKernelThreads(2);
    sim.attempts = 0;
    const w = gemmInstance();
    expect(w).not.toBeNull();
    expect(w!.threads).toBe(1);
    expect(sim.attempts).toBe(2); // the threaded one, then the one-thread one
    expect(threadedGemm()).toBeNull();
    expect(gemmInstance()).toBe(w);
    expect(sim.attempts).toBe(2);
    setKernelBackend('wasm');
    expect(productIsRight()).toBe(true);
  });

  it('no WebAssembly: no instance, tried once per thread setting, the JS kernel computes', () => {
    sim.failAll = true;
    setKernelThreads(1);
    sim.attempts = 0;
    expect(gemmInstance()).toBeNull();
    expect(sim.attempts).toBe(1); // one thread: no second, one-thread attempt
    expect(gemmInstance()).toBeNull();
    expect(threadedGemm()).toBeNull();
    setKernelBackend('wasm');
    expect(productIsRight()).toBe(true);
    expect(sim.attempts).toBe(1);
    setKernelThreads(2);
    expect(threadedGemm()).toBeNull();
    expect(gemmInstance()).toBeNull();
    expect(sim.attempts).toBe(3); // threaded, then one-thread
    // WebAssembly back (a new setting tries again).
    sim.failAll = false;
    expect(gemmInstance()).toBeNull();
    setKernelThreads(1);
    expect(gemmInstance()?.threads).toBe(1);
  });
});
