/**
 * The kernel runtime's one backend setting governs every family: the matrix product, the float32
 * unary kernels, the float32 binary arithmetic and the optimizer updates all follow
 * `setBackend`, and the thread setting drops the threaded GEMM instance.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expF32 } from '../../src/kernels/fastmath.js';
import {
  binaryEntry,
  GEMM_WASM_MIN_WORK,
  getKernelThreads,
  OPTIM_WASM_MIN,
  setKernelThreads,
  STREAM_MIN_BINARY,
  STREAM_MIN_UNARY,
  threadedGemm,
  unaryF32,
  useOptimWasm,
  type DenseView,
} from '../../src/kernels/runtime/index.js';
import { WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';
import { streamUnary } from '../../src/kernels/wasm/stream.js';
import * as tg from '../../src/index.js';

afterEach(() => {
  tg.setBackend('auto');
  vi.restoreAllMocks();
});

const view = (data: Float32Array): DenseView => ({
  dtype: 'float32',
  shape: [data.length],
  ndim: 1,
  _numel: data.length,
  _offset: 0,
  _contiguous: true,
  _storage: { data },
});

/** n float32 inputs in [-20, 20) whose exp the wasm and JS kernels round differently somewhere. */
function inputs(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 4000) / 100 - 20);
}

describe('one backend setting for every kernel family', () => {
  it("'auto' (default) picks wasm by size; 'js' never; 'wasm' at every size", () => {
    expect(tg.getBackend()).toBe('auto');
    const gemm = vi.spyOn(WasmGemm.prototype, 'gemm');
    const m = 16; // 16³ = 4096 multiply-adds, past the 'auto' crossover
    expect(m * m * m).toBeGreaterThanOrEqual(GEMM_WASM_MIN_WORK);
    const a = tg.ones([m, m]);
    // (A threaded instance hands small products to its one-thread twin: a call may count twice.)
    a.matmul(a);
    const auto = gemm.mock.calls.length;
    expect(auto).toBeGreaterThan(0);
    tg.setBackend('js');
    expect(a.matmul(a).toArray()).toEqual(Array.from({ length: m }, () => Array<number>(m).fill(m)));
    expect(gemm.mock.calls.length).toBe(auto);
    tg.setBackend('wasm');
    const small = tg.ones([2, 2]);
    expect(small.matmul(small).toArray()).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(gemm.mock.calls.length).toBeGreaterThan(auto);
  });

  it('float32 exp: the wasm kernel under auto and wasm, the JS loop under js (their bits differ on these inputs)', () => {
    const n = 4 * STREAM_MIN_UNARY;
    const x = inputs(n);
    const wasm = new Float32Array(n);
    expect(streamUnary('exp', wasm, x, n, 0, 0)).toBe(true);
    const js = new Float32Array(n);
    expF32(js, x, n, 0, 0);
    expect(wasm).not.toEqual(js); // otherwise this test could not tell the paths apart
    const t = tg.tensor(Array.from(x));
    expect(t.exp().dataSync()).toEqual(wasm);
    tg.setBackend('js');
    expect(t.exp().dataSync()).toEqual(js);
    const out = new Float32Array(n);
    unaryF32('exp', out, x, n);
    expect(out).toEqual(js);
    // Below the 'auto' crossover the JS loop runs; 'wasm' takes the wasm kernel there too.
    const few = x.subarray(0, STREAM_MIN_UNARY - 1);
    tg.setBackend('auto');
    expect(tg.tensor(Array.from(few)).exp().dataSync()).toEqual(js.subarray(0, few.length));
    tg.setBackend('wasm');
    expect(tg.tensor(Array.from(few)).exp().dataSync()).toEqual(wasm.subarray(0, few.length));
  });

  it('float32 add/sub/mul/div: the wasm entry under auto from its threshold, none under js', () => {
    const add = binaryEntry('add')!;
    const big = new Float32Array(STREAM_MIN_BINARY).fill(1.5);
    expect(add(view(big), view(big))).toEqual(new Float32Array(STREAM_MIN_BINARY).fill(3));
    const small = new Float32Array(STREAM_MIN_BINARY - 1).fill(1.5);
    expect(add(view(small), view(small))).toBeNull();
    tg.setBackend('wasm');
    expect(add(view(small), view(small))).toEqual(new Float32Array(STREAM_MIN_BINARY - 1).fill(3));
    tg.setBackend('js');
    expect(add(view(big), view(big))).toBeNull();
    // A float64 operand never takes the float32 kernel.
    const f64: DenseView = { ...view(big), dtype: 'float64' };
    tg.setBackend('auto');
    expect(add(f64, view(big))).toBeNull();
  });

  it('optimizer updates: wasm from the threshold under auto, always under wasm, never under js', () => {
    expect(useOptimWasm(OPTIM_WASM_MIN - 1)).toBe(false);
    expect(useOptimWasm(OPTIM_WASM_MIN)).toBe(true);
    tg.setBackend('wasm');
    expect(useOptimWasm(1)).toBe(true);
    tg.setBackend('js');
    expect(useOptimWasm(1 << 20)).toBe(false);
  });
});

describe('one thread setting', () => {
  it('the public and the kernel setting are the same; one thread means no threaded GEMM instance', () => {
    const before = getKernelThreads();
    try {
      tg.setNumThreads(2);
      expect(getKernelThreads()).toBe(2);
      expect(threadedGemm()?.threads).toBe(2);
      tg.setNumThreads(1);
      expect(tg.getNumThreads()).toBe(1);
      expect(threadedGemm()).toBeNull();
    } finally {
      setKernelThreads(before);
    }
  });
});
