/**
 * Driver of the WebAssembly SIMD128 GEMM: copies A and B into wasm memory, runs the
 * blocked loops (KC × NC panels of op(B), MC × KC blocks of op(A)) calling the generated
 * pack and macro-kernel functions, and copies C back.
 *
 * @module
 */
import type { FloatArray } from '../gemm.js';
import { buildGemmModule, DEFAULT_TILES, type GemmModuleOptions } from './gemm-module.js';
import { WA, type WasmMemory } from './wasm-api.js';

type Fn6 = (a: number, b: number, c: number, d: number, e: number, f: number) => void;
type Fn8 = (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => void;
type Fn4 = (a: number, b: number, c: number, d: number) => void;

interface GemmExports {
  packA_f32: Fn6;
  packB_f32: Fn6;
  kernel_f32: Fn8;
  packA_f64: Fn6;
  packB_f64: Fn6;
  kernel_f64: Fn8;
  expandRows: Fn4;
  compactRows: Fn4;
}

/** Cache-blocking parameters of one element type. */
export interface Blocking {
  /** Rows of op(A) packed per block. */
  mc: number;
  /** Depth (k) of one block. */
  kc: number;
  /** Columns of op(B) packed per block. */
  nc: number;
}

/** Blocking used unless overridden (measured on the 2-core AVX-512 machine). */
export const DEFAULT_BLOCKING: { f32: Blocking; f64: Blocking } = {
  f32: { mc: 128, kc: 256, nc: 1024 },
  f64: { mc: 128, kc: 256, nc: 1024 },
};

const PAGE = 65536;
const MAX_BYTES = 0x7fff0000;

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}

/**
 * One instance of the wasm GEMM: a module instance with its own memory.
 * Not re-entrant; each thread uses its own.
 */
export class WasmGemm {
  private readonly memory: WasmMemory;
  private readonly ex: GemmExports;
  private f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private readonly tiles: GemmModuleOptions;
  /** Blocking parameters per element type (may be tuned). */
  blocking: { f32: Blocking; f64: Blocking };

  /**
   * @param tiles - tile shapes of the generated kernels.
   * @param blocking - cache-blocking parameters.
   * @param memory - an existing memory to use (e.g. shared with workers); one is created otherwise.
   */
  constructor(tiles: GemmModuleOptions = DEFAULT_TILES, blocking = DEFAULT_BLOCKING, memory?: WasmMemory) {
    this.tiles = tiles;
    this.blocking = { f32: { ...blocking.f32 }, f64: { ...blocking.f64 } };
    if (WA === undefined) throw new Error('WebAssembly is not available');
    this.memory = memory ?? new WA.Memory({ initial: 16 });
    const mod = new WA.Module(buildGemmModule(tiles));
    const inst = new WA.Instance(mod, { env: { memory: this.memory } });
    this.ex = inst.exports as unknown as GemmExports;
    this.refreshViews();
  }

  private refreshViews(): void {
    const buf = this.memory.buffer;
    if (this.f32.buffer !== buf) {
      this.f32 = new Float32Array(buf);
      this.f64 = new Float64Array(buf);
    }
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.refreshViews();
  }

  /**
   * Same contract as {@link gemm}; Float32Array and Float64Array both supported.
   * Returns false (doing nothing) when the operands would not fit in the 32-bit
   * address space of the module, so the caller can fall back to the JS kernel.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, aOff: number, b: FloatArray, bOff: number, c: FloatArray, cOff: number, accumulate: boolean,
  ): boolean {
    if (m <= 0 || n <= 0) return true;
    if (k <= 0) {
      if (!accumulate) c.fill(0, cOff, cOff + m * n);
      return true;
    }
    const is32 = a instanceof Float32Array;
    const E = is32 ? 4 : 8;
    const tile = is32 ? this.tiles.f32 : this.tiles.f64;
    const MR = tile.mr;
    const NR = tile.nv * (is32 ? 4 : 2);
    const blk = is32 ? this.blocking.f32 : this.blocking.f64;
    const MC = blk.mc, KC = blk.kc, NC = blk.nc;
    const nPad = roundUp(n, NR);
    const mPad = roundUp(m, MR);
    // Memory layout (bytes, 16-aligned regions).
    const cBase = 0;
    const aBase = roundUp(cBase + mPad * nPad * E, 16);
    const bBase = roundUp(aBase + m * k * E, 16);
    const paBase = roundUp(bBase + k * n * E, 16);
    const kcMax = k < KC ? k : KC;
    const pbBase = roundUp(paBase + roundUp(m < MC ? m : MC, MR) * kcMax * E, 16);
    const end = pbBase + kcMax * roundUp(n < NC ? n : NC, NR) * E;
    // Loop counters and addresses are compared as signed i32 in places: stay below 2 GiB.
    if (end > MAX_BYTES) return false;
    this.ensure(end);
    const view = is32 ? this.f32 : this.f64;
    view.set(a.subarray(aOff, aOff + m * k), aBase / E);
    view.set(b.subarray(bOff, bOff + k * n), bBase / E);
    const ex = this.ex;
    if (accumulate) {
      view.set(c.subarray(cOff, cOff + m * n), cBase / E);
      if (nPad !== n) ex.expandRows(cBase, m, n * E, nPad * E);
    }
    const packA = is32 ? ex.packA_f32 : ex.packA_f64;
    const packB = is32 ? ex.packB_f32 : ex.packB_f64;
    const kernel = is32 ? ex.kernel_f32 : ex.kernel_f64;
    // Element strides of op(A) (i along m, p along k) and op(B) (p along k, j along n).
    const aI = transA ? 1 : k, aP = transA ? m : 1;
    const bP = transB ? 1 : n, bJ = transB ? k : 1;
    const ldc = nPad * E;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = n - jc < NC ? n - jc : NC;
      for (let pc = 0; pc < k; pc += KC) {
        const kc = k - pc < KC ? k - pc : KC;
        packB(bBase + (pc * bP + jc * bJ) * E, bJ * E, bP * E, nc, kc, pbBase);
        const beta = accumulate || pc > 0 ? 1 : 0;
        for (let ic = 0; ic < m; ic += MC) {
          const mc = m - ic < MC ? m - ic : MC;
          packA(aBase + (ic * aI + pc * aP) * E, aI * E, aP * E, mc, kc, paBase);
          kernel(mc, nc, kc, paBase, pbBase, cBase + ic * ldc + jc * E, ldc, beta);
        }
      }
    }
    if (nPad !== n) ex.compactRows(cBase, m, n * E, nPad * E);
    c.set(view.subarray(cBase / E, cBase / E + m * n), cOff);
    return true;
  }
}
