/**
 * The WebAssembly drivers' bookkeeping (src/kernels/wasm), checked where a slip would compile a
 * module for the wrong memory, hand out another variant's bytes, or warm up modules the
 * instances do not use: the module cache's keys per memory import (each variant instantiates
 * with its own memory only) and the bytes per import; the warm-up compiling exactly the variants
 * the GEMM instances and the split elementwise kernels ask for. This file imports no module that
 * warms up at import, so the warm-up's compilations are seen here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { col2im, col2imJs, im2col, im2colJs, type ConvGeometry } from '../../src/kernels/conv.js';
import { col2imWasm, im2colWasm } from '../../src/kernels/wasm/conv-wasm.js';
import { getKernelThreads, setKernelBackend, setKernelThreads } from '../../src/kernels/runtime/settings.js';
import { CHUNK, setSplitCallerWeight, streamBinary, streamScalar, streamUnary } from '../../src/kernels/wasm/stream.js';
import { cachedModule, cachedModuleBytes, moduleCacheCounts } from '../../src/kernels/wasm/module-cache.js';
import { DEFAULT_TILES } from '../../src/kernels/wasm/gemm-module.js';
import { SHARED_MAX_PAGES } from '../../src/kernels/wasm/gemm-wasm.js';
import { buildStreamModule } from '../../src/kernels/wasm/stream-module.js';
import { warmUpGemm } from '../../src/kernels/wasm/warm-up.js';
import { CTRL_BYTES, GemmPool } from '../../src/kernels/threads/pool.js';
import type { WasmGemm } from '../../src/kernels/wasm/gemm-wasm.js';
import { streamInstance, threadedGemm } from '../../src/kernels/runtime/instances.js';

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

describe('streaming drivers over several chunks', () => {
  // More than the streaming module's scratch holds at once, so a chunk length past CHUNK fails.
  const n = 4 * CHUNK + 37;
  /** Values in [-8, 8) that are not all equal, at offset `off` of a longer array. */
  const data = (len: number, seed: number): Float32Array => Float32Array.from({ length: len }, (_, i) => ((i * seed) % 67) / 4 - 8 + 0.125);
  const ops = {
    add: (x: number, y: number) => x + y,
    sub: (x: number, y: number) => x - y,
    mul: (x: number, y: number) => x * y,
    div: (x: number, y: number) => x / y,
  };

  it('binary ops at offsets equal the float64 op rounded to float32 everywhere, nothing outside written', () => {
    const [aOff, bOff, outOff] = [3, 10, 5];
    const a = data(n + aOff, 7);
    const b = data(n + bOff, 13);
    for (const [op, f] of Object.entries(ops) as Array<[keyof typeof ops, (x: number, y: number) => number]>) {
      const out = new Float32Array(n + outOff + 2).fill(99);
      expect(streamBinary(op, out, a, aOff, b, bOff, n, outOff)).toBe(true);
      for (let i = 0; i < n; i++) if (out[outOff + i] !== Math.fround(f(a[aOff + i]!, b[bOff + i]!))) expect([op, i]).toBe('equal');
      expect([out[outOff - 1], out[outOff + n], out[outOff + n + 1]]).toEqual([99, 99, 99]);
    }
  });

  it('scalar ops at offsets, the scalar on either side, equal the float64 op rounded to float32', () => {
    const [aOff, outOff] = [6, 1];
    const a = data(n + aOff, 11);
    for (const [op, f] of Object.entries(ops) as Array<[keyof typeof ops, (x: number, y: number) => number]>) {
      for (const first of [false, true]) {
        const out = new Float32Array(n + outOff + 1).fill(99);
        expect(streamScalar(op, out, a, aOff, 2.5, first, n, outOff)).toBe(true);
        for (let i = 0; i < n; i++) {
          const want = Math.fround(first ? f(2.5, a[aOff + i]!) : f(a[aOff + i]!, 2.5));
          if (out[outOff + i] !== want) expect([op, first, i]).toBe('equal');
        }
        expect([out[0], out[outOff + n]]).toEqual([99, 99]);
      }
    }
  });

  it('a unary call split over three threads, or asked to split with one, gives the unsplit bits', () => {
    const before = getKernelThreads();
    try {
      for (const threads of [3, 1]) {
        setKernelThreads(threads);
        for (const weight of [0, 0.9, 3]) {
          setSplitCallerWeight(weight);
          for (const [len, aOff, outOff] of [
            [n, 0, 0],
            [n, 9, 4],
            [1000, 16, 0],
            [37, 5, 2],
          ] as const) {
            const a = data(len + aOff, 5);
            const one = new Float32Array(len + outOff);
            expect(streamUnary('tanh', one, a, len, aOff, outOff)).toBe(true);
            const split = new Float32Array(len + outOff).fill(99);
            expect(streamUnary('tanh', split, a, len, aOff, outOff, true)).toBe(true);
            expect(Array.from(split.subarray(outOff)), `${threads} threads, weight ${weight}, ${len}`).toEqual(
              Array.from(one.subarray(outOff)),
            );
          }
        }
      }
    } finally {
      setSplitCallerWeight(null);
      setKernelThreads(before);
    }
  });
});

describe('split unary calls: the worker regions in the shared memory', () => {
  it('every placement of the output against its page: the worker’s input and output regions never overlap', async () => {
    const before = getKernelThreads();
    setKernelThreads(2);
    const g = threadedGemm()!;
    const adaptive = g.adaptiveThreads;
    g.adaptiveThreads = false;
    try {
      // The worker's pool starts on the first split call; until a worker runs, calls are not split.
      const warm = new Float32Array(64);
      streamUnary('exp', warm, warm, 64, 0, 0, true);
      const pool = g.sharedStream(CTRL_BYTES)!.pool;
      for (let i = 0; i < 400 && pool.started < 1; i++) await new Promise((r) => setTimeout(r, 25));
      expect(pool.started).toBe(1);
      setSplitCallerWeight(0); // the worker takes the whole call
      const len = 1000;
      const a = Float32Array.from({ length: len }, (_, i) => ((i * 29) % 61) / 8 - 4);
      const want = new Float32Array(len);
      expect(streamUnary('exp', want, a, len, 0, 0)).toBe(true);
      // outOff moves the output's address over every 4-byte place of a 4 KiB page.
      const out = new Float32Array(len + 1024);
      for (let outOff = 0; outOff < 1024; outOff++) {
        expect(streamUnary('exp', out, a, len, 0, outOff, true)).toBe(true);
        for (let i = 0; i < len; i++) if (out[outOff + i] !== want[i]) expect([outOff, i]).toBe('equal');
      }
    } finally {
      setSplitCallerWeight(null);
      g.adaptiveThreads = adaptive;
      setKernelThreads(before);
    }
  });
});

describe('split unary calls: the stream policy and the fallbacks', () => {
  const len = 4000;
  const a = Float32Array.from({ length: len }, (_, i) => ((i * 29) % 61) / 8 - 4);
  const want = new Float32Array(len);
  /** The runtime's two-thread GEMM instance, its worker started, and the unsplit reference. */
  async function setUp(): Promise<WasmGemm> {
    setKernelThreads(2);
    const g = threadedGemm()!;
    const warm = new Float32Array(64);
    streamUnary('exp', warm, warm, 64, 0, 0, true);
    const pool = g.sharedStream(CTRL_BYTES)!.pool;
    for (let i = 0; i < 400 && pool.started < 1; i++) await new Promise((r) => setTimeout(r, 25));
    expect(pool.started).toBe(1);
    pool.waitIdle();
    expect(streamUnary('exp', want, a, len, 0, 0)).toBe(true);
    return g;
  }
  /** A split call of `exp` over `a`, checked against the unsplit bits. */
  function splitCall(): void {
    const out = new Float32Array(len).fill(99);
    expect(streamUnary('exp', out, a, len, 0, 0, true)).toBe(true);
    expect(Array.from(out)).toEqual(Array.from(want));
  }
  const before = getKernelThreads();
  afterEach(() => {
    vi.restoreAllMocks();
    setSplitCallerWeight(null);
    setKernelThreads(before);
  });

  it('kept on one thread by the policy: computed unsplit and timed per element', async () => {
    const g = await setUp();
    expect(g.adaptiveThreads).toBe(true);
    vi.spyOn(g.streamPolicy, 'shouldSplit').mockReturnValue(false);
    const single = vi.spyOn(g.streamPolicy, 'recordSingle');
    const post = vi.spyOn(GemmPool.prototype, 'postCall');
    // Counts the copies into the calling thread's module (one for this length, if computed once).
    const copies = vi.spyOn(streamInstance()!.f32, 'set');
    const t0 = performance.now();
    splitCall();
    const elapsed = performance.now() - t0;
    expect(copies).toHaveBeenCalledTimes(1);
    expect(post).not.toHaveBeenCalled();
    expect(single).toHaveBeenCalledTimes(1);
    const cost = single.mock.calls[0]![0];
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(elapsed / len);
  });

  const inner = (g: WasmGemm): { pool: GemmPool | null } => g as unknown as { pool: GemmPool | null };

  it('split: one call posted to the one worker, and the policy told its units, parts and cost per element', async () => {
    const g = await setUp();
    vi.spyOn(g.streamPolicy, 'shouldSplit').mockReturnValue(true);
    const record = vi.spyOn(g.streamPolicy, 'record');
    const post = vi.spyOn(GemmPool.prototype, 'postCall');
    const t0 = performance.now();
    splitCall();
    const elapsed = performance.now() - t0;
    expect(post).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledTimes(1);
    const r = record.mock.calls[0]![0];
    const job = g.sharedStream(CTRL_BYTES)!.pool.lastJob;
    expect(r).toEqual({ units: job.units, workerUnits: job.workerUnits, parts: 2, cost: r.cost });
    expect(r.cost).toBeGreaterThan(0);
    expect(r.cost).toBeLessThanOrEqual(elapsed / len);
    // The caller taking the whole call: nothing posted, nothing recorded.
    setSplitCallerWeight(1e9);
    inner(g).pool?.waitIdle();
    splitCall();
    expect(post).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledTimes(1);
  });

  it('no shared memory, no idle worker, or no room for the regions: computed unsplit', async () => {
    const g = await setUp();
    g.adaptiveThreads = false;
    const post = vi.spyOn(GemmPool.prototype, 'postCall');
    try {
      setSplitCallerWeight(0);
      const shared = vi.spyOn(g, 'sharedStream').mockReturnValue(null);
      splitCall();
      shared.mockRestore();
      const reserve = vi.spyOn(GemmPool.prototype, 'reserve').mockReturnValue(0);
      splitCall();
      reserve.mockRestore();
      const real = g.sharedStream.bind(g);
      let calls = 0;
      vi.spyOn(g, 'sharedStream').mockImplementation((end: number) => (++calls === 1 ? real(end) : null));
      splitCall();
      expect(calls).toBe(2);
      expect(post).not.toHaveBeenCalled();
    } finally {
      g.adaptiveThreads = true;
    }
  });
});

describe('sliding-window kernels and float64', () => {
  it('float64 arrays keep every bit on every backend (they never go through the float32 wasm kernel)', () => {
    // 1×1 windows, stride 1, no padding: im2col copies the image, col2im adds the columns.
    const g: ConvGeometry = { n: 2, c: 3, h: 24, w: 24, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, outH: 24, outW: 24 };
    const size = g.n * g.c * g.h * g.w;
    const x = Float64Array.from({ length: size }, (_, i) => 0.1 * (i + 1)); // not float32 values
    try {
      for (const backend of ['auto', 'wasm'] as const) {
        setKernelBackend(backend);
        const cols = new Float64Array(size);
        im2col(x, 0, cols, g, 0);
        expect(Array.from(cols), backend).toEqual(Array.from(x));
        const img = new Float64Array(size);
        col2im(x, 0, img, g);
        expect(Array.from(img), backend).toEqual(Array.from(x));
      }
    } finally {
      setKernelBackend('auto');
    }
  });
});

describe('sliding-window kernels: the wasm path runs where it should', () => {
  // 3×3 windows, stride 2, padding 1, dilation 1 over 2×3 planes of 15×13.
  const g: ConvGeometry = { n: 2, c: 3, h: 15, w: 13, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1, outH: 8, outW: 7 };
  const imgSize = g.n * g.c * g.h * g.w;
  const colSize = g.n * g.c * g.kh * g.kw * g.outH * g.outW;
  const x = Float32Array.from({ length: imgSize + 5 }, (_, i) => ((i * 13) % 29) - 14);
  const cols = Float32Array.from({ length: colSize + 3 }, (_, i) => ((i * 7) % 23) - 11);

  it('float32 under wasm (and under auto above the threshold): done in wasm, same values as the JS loops', () => {
    const wantCols = new Float32Array(colSize);
    im2colJs(x, 5, wantCols, g, -1);
    const wantImg = new Float32Array(imgSize).fill(0.5);
    col2imJs(cols, 3, wantImg, g);
    try {
      for (const backend of ['wasm', 'auto'] as const) {
        setKernelBackend(backend);
        const out = new Float32Array(colSize);
        expect(im2colWasm(x, 5, out, g, -1), backend).toBe(true);
        expect(Array.from(out)).toEqual(Array.from(wantCols));
        const img = new Float32Array(imgSize).fill(0.5);
        expect(col2imWasm(cols, 3, img, g), backend).toBe(true);
        expect(Array.from(img)).toEqual(Array.from(wantImg));
      }
      // Not under js, nor for float64: nothing done.
      setKernelBackend('js');
      const untouched = new Float32Array(colSize);
      expect(im2colWasm(x, 5, untouched, g, -1)).toBe(false);
      expect(col2imWasm(cols, 3, new Float32Array(imgSize), g)).toBe(false);
      expect(untouched.every((v) => v === 0)).toBe(true);
      setKernelBackend('wasm');
      expect(im2colWasm(Float64Array.from(x), 5, new Float64Array(colSize), g, -1)).toBe(false);
    } finally {
      setKernelBackend('auto');
    }
  });
});

describe('sliding-window kernels: a tap table past its slot', () => {
  // 60 × 60 taps of 20 bytes each: 72,000 bytes, past the 64 KiB the module keeps for the table.
  const g: ConvGeometry = { n: 1, c: 2, h: 61, w: 62, kh: 60, kw: 60, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, outH: 2, outW: 3 };
  const imgSize = g.n * g.c * g.h * g.w;
  const colSize = g.n * g.c * g.kh * g.kw * g.outH * g.outW;

  it('is not done in wasm (nothing written), and the entry points give the JS loops’ values', () => {
    const x = Float32Array.from({ length: imgSize }, (_, i) => ((i * 13) % 29) - 14);
    const cols = Float32Array.from({ length: colSize }, (_, i) => ((i * 7) % 23) - 11);
    try {
      setKernelBackend('wasm');
      const untouched = new Float32Array(colSize);
      expect(im2colWasm(x, 0, untouched, g, 0)).toBe(false);
      expect(untouched.every((v) => v === 0)).toBe(true);
      const img = new Float32Array(imgSize);
      expect(col2imWasm(cols, 0, img, g)).toBe(false);
      expect(img.every((v) => v === 0)).toBe(true);
      // Window (0, 0) of plane 1 starts at its first element; window (1, 2) at row 1, column 2.
      const out = new Float32Array(colSize);
      im2col(x, 0, out, g, 0);
      const L = g.outH * g.outW;
      const plane1 = g.kh * g.kw * L;
      expect(out[plane1]).toBe(x[g.h * g.w]);
      expect(out[plane1 + 5]).toBe(x[g.h * g.w + g.w + 2]);
      const want = new Float32Array(colSize);
      im2colJs(x, 0, want, g, 0);
      expect(Array.from(out)).toEqual(Array.from(want));
      const back = new Float32Array(imgSize);
      col2im(cols, 0, back, g);
      const wantBack = new Float32Array(imgSize);
      col2imJs(cols, 0, wantBack, g);
      expect(Array.from(back)).toEqual(Array.from(wantBack));
    } finally {
      setKernelBackend('auto');
    }
  });
});

describe('sliding-window kernels: a fresh module instance grows its memory for the regions', () => {
  // 3×3 windows, padding 1, over 8 planes of 64 × 64: about 1.4 MiB of regions, past the first pages.
  const g: ConvGeometry = { n: 2, c: 4, h: 64, w: 64, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, outH: 64, outW: 64 };
  const imgSize = g.n * g.c * g.h * g.w;
  const colSize = g.n * g.c * g.kh * g.kw * g.outH * g.outW;

  it('col2im, then im2col, on a module instance made for them give the JS loops’ values', async () => {
    vi.resetModules();
    const fresh = await import('../../src/kernels/wasm/conv-wasm.js');
    const settings = await import('../../src/kernels/runtime/settings.js');
    const cols = Float32Array.from({ length: colSize }, (_, i) => ((i * 7) % 23) - 11);
    const x = Float32Array.from({ length: imgSize }, (_, i) => ((i * 13) % 29) - 14);
    try {
      settings.setKernelBackend('wasm');
      const img = new Float32Array(imgSize).fill(1);
      expect(fresh.col2imWasm(cols, 0, img, g)).toBe(true);
      const wantImg = new Float32Array(imgSize).fill(1);
      col2imJs(cols, 0, wantImg, g);
      expect(Array.from(img)).toEqual(Array.from(wantImg));
      const out = new Float32Array(colSize);
      expect(fresh.im2colWasm(x, 0, out, g, 0)).toBe(true);
      const want = new Float32Array(colSize);
      im2colJs(x, 0, want, g, 0);
      expect(Array.from(out)).toEqual(Array.from(want));
    } finally {
      settings.setKernelBackend('auto');
    }
  });
});
