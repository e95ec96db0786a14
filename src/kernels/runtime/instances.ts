/**
 * The kernel runtime's WebAssembly state, one of each per process: the GEMM instance (its memory,
 * shared when several threads run, and its worker pool, which the split elementwise kernels also
 * use), the streaming elementwise module on a small private memory, the sliding-window (conv)
 * module and the optimizer-update module on others. Each is created on first use and is null where WebAssembly (SIMD) is
 * unavailable; changing the thread count drops the threaded GEMM instance (its workers stop).
 * The kernel drivers (`wasm/stream.ts`, `wasm/conv-wasm.ts`, `wasm/optim-stream.ts`, `runtime/gemm.ts`) take their
 * instance from here; nothing else holds a wasm memory or a pool.
 * @module
 */
import { buildConvModule } from '../wasm/conv-module.js';
import { buildOptimModule, OPTIM_REGIONS, optimModuleBytes, regionBase } from '../wasm/optim-module.js';
import { WasmGemm } from '../wasm/gemm-wasm.js';
import { cachedModule } from '../wasm/module-cache.js';
import { buildStreamModule } from '../wasm/stream-module.js';
import { WA, type WasmMemory } from '../wasm/wasm-api.js';
import { getKernelThreads, onThreadsChange } from './settings.js';
import { OPTIM_CHUNK, STREAM_CHUNK } from './thresholds.js';

/**
 * Bytes of the streaming module's private scratch: up to three chunk regions (inputs and
 * output), each placed per call half a page off the JS array it is copied from or to (see
 * `wasm/stream.ts` on 4K aliasing).
 * @internal
 */
// Stryker disable next-line ArithmeticOperator: two implementations of one result (a scratch of 3 · (chunk − 4096) bytes rounds up to the same two pages)
export const STREAM_SCRATCH_BYTES = 3 * (STREAM_CHUNK * 4 + 4096);

/** The GEMM instance: undefined until first asked for (and after a thread change), null without one. */
let gemm: WasmGemm | null | undefined;

onThreadsChange(() => {
  const old = gemm;
  gemm = undefined;
  void old?.close();
});

/**
 * The wasm GEMM instance for the current thread count (created on first use), or null where
 * WebAssembly is unavailable. Where a shared memory cannot be made, a one-thread instance.
 * @example
 * ```ts
 * const w = gemmInstance(); // null without WebAssembly
 * ```
 * @internal
 */
export function gemmInstance(): WasmGemm | null {
  if (gemm !== undefined) return gemm;
  const threads = getKernelThreads();
  try {
    gemm = new WasmGemm(undefined, undefined, threads);
  } catch {
    // No WebAssembly, or no shared memory for threads: try single-threaded, else JS only.
    try {
      gemm = threads > 1 ? new WasmGemm() : null;
    } catch {
      gemm = null;
    }
  }
  return gemm;
}

/**
 * The wasm GEMM instance when large kernels use several threads, else null: its worker pool and
 * shared memory also run the split float32 elementwise kernels (`wasm/stream.ts`).
 * @example
 * ```ts
 * const w = threadedGemm(); // null after setNumThreads(1)
 * ```
 * @internal
 */
export function threadedGemm(): WasmGemm | null {
  // Stryker disable next-line ConditionalExpression: two implementations of one result (with one thread the instance below has one thread too, and the check after it gives null)
  if (getKernelThreads() < 2) return null;
  const w = gemmInstance();
  return w !== null && w.threads > 1 ? w : null;
}

type Fn = (...args: number[]) => void;

/**
 * The streaming elementwise module on its private memory: a float32 view of the memory and the
 * exported kernels by name.
 * @internal
 */
export interface StreamInstance {
  f32: Float32Array;
  fns: Record<string, Fn>;
}

let stream: StreamInstance | null | undefined;

/**
 * The streaming elementwise module instance (created on first use), or null where WebAssembly
 * SIMD is unavailable.
 * @example
 * ```ts
 * if (streamInstance() !== null) console.log('wasm SIMD elementwise kernels available');
 * ```
 * @internal
 */
export function streamInstance(): StreamInstance | null {
  if (stream !== undefined) return stream;
  stream = null;
  // Stryker disable next-line ConditionalExpression: two implementations of one result (without WebAssembly `WA.Memory` throws below, and the catch gives null)
  if (WA === undefined) return null;
  try {
    const memory: WasmMemory = new WA.Memory({ initial: Math.ceil(STREAM_SCRATCH_BYTES / 65536) });
    const inst = new WA.Instance(
      // Stryker disable next-line ArrowFunction: unreachable (the bytes are prebuilt under this key, which module-cache.test.ts checks; the builder never runs)
      cachedModule('stream', {}, { initial: 1 }, () => buildStreamModule()),
      { env: { memory } },
    );
    stream = { f32: new Float32Array(memory.buffer as ArrayBuffer), fns: inst.exports as Record<string, Fn> };
    // Stryker disable next-line BlockStatement: two implementations of one result (`stream` is null already)
  } catch {
    stream = null;
  }
  return stream;
}

/**
 * The sliding-window (im2col / col2im) module on its own private memory, which its driver
 * (`wasm/conv-wasm.ts`) grows as the planes need: the memory, float32 and int32 views of it (the
 * driver refreshes them after growing it) and the two kernels.
 * @internal
 */
export interface ConvInstance {
  memory: WasmMemory;
  f32: Float32Array;
  i32: Int32Array;
  im2col: Fn;
  col2im: Fn;
}

let conv: ConvInstance | null | undefined;

/**
 * The sliding-window module instance (created on first use), or null where WebAssembly SIMD is
 * unavailable.
 * @example
 * ```ts
 * if (convInstance() !== null) console.log('wasm im2col/col2im available');
 * ```
 * @internal
 */
export function convInstance(): ConvInstance | null {
  // Stryker disable next-line ConditionalExpression: two implementations of one result (`false`: a fresh instance on every call)
  if (conv !== undefined) return conv;
  conv = null;
  // Stryker disable next-line ConditionalExpression: two implementations of one result (without WebAssembly `WA.Memory` throws below, and the catch gives null)
  if (WA === undefined) return null;
  try {
    const memory = new WA.Memory({ initial: 2 });
    const inst = new WA.Instance(
      // Stryker disable next-line ArrowFunction: unreachable (the bytes are prebuilt under this key, which module-cache.test.ts checks; the builder never runs)
      cachedModule('conv', {}, { initial: 1 }, () => buildConvModule()),
      { env: { memory } },
    );
    const fns = inst.exports as Record<string, Fn>;
    conv = {
      memory,
      f32: new Float32Array(memory.buffer as ArrayBuffer),
      i32: new Int32Array(memory.buffer as ArrayBuffer),
      im2col: fns.im2col!,
      col2im: fns.col2im!,
    };
    // Stryker disable next-line BlockStatement: two implementations of one result (`conv` is null already)
  } catch {
    conv = null;
  }
  return conv;
}

/** An update function of the optimizer module: `(bytes, ...scalars)`. @internal */
export type OptimUpdate = (nBytes: number, ...scalars: number[]) => void;

/** The exports of the optimizer-update module. @internal */
export interface OptimExports {
  adam: OptimUpdate;
  adamAmsgrad: OptimUpdate;
  rmsprop___: OptimUpdate;
  rmsprop__m: OptimUpdate;
  rmsprop_c_: OptimUpdate;
  rmsprop_cm: OptimUpdate;
  sgd: OptimUpdate;
  sgdMomentum: OptimUpdate;
  sgdNesterov: OptimUpdate;
}

/**
 * The optimizer-update module: its exports, its float32 heap, and each region's start (in
 * elements) and full-chunk view.
 * @internal
 */
export interface OptimInstance {
  ex: OptimExports;
  heap: Float32Array;
  starts: number[];
  regions: Float32Array[];
}

let optim: OptimInstance | null = null;
let optimFailed = false;

/**
 * The optimizer-update module instance (created on first use), or null where WebAssembly SIMD
 * is unavailable.
 * @example
 * ```ts
 * const o = optimInstance();
 * ```
 * @internal
 */
export function optimInstance(): OptimInstance | null {
  if (optim === null && !optimFailed) {
    try {
      // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable in Node, which has WebAssembly (and without it `WA.Memory` throws into the same catch)
      if (WA === undefined) throw new Error('no WebAssembly');
      const memory = new WA.Memory({ initial: Math.ceil(optimModuleBytes(OPTIM_CHUNK) / 65536) });
      const ex = new WA.Instance(new WA.Module(buildOptimModule(OPTIM_CHUNK)), { env: { memory } }).exports as OptimExports;
      // The memory never grows, so these views stay valid.
      const heap = new Float32Array(memory.buffer as ArrayBuffer);
      const starts: number[] = [];
      const regions: Float32Array[] = [];
      // Stryker disable next-line EqualityOperator: loop bound one past the end (an extra region start and view that no update reads)
      for (let r = 0; r < OPTIM_REGIONS; r++) {
        const at = regionBase(r, OPTIM_CHUNK) / 4;
        starts.push(at);
        regions.push(heap.subarray(at, at + OPTIM_CHUNK));
      }
      optim = { ex, heap, starts, regions };
      // Stryker disable next-line BlockStatement: unreachable in Node, which has WebAssembly SIMD (the module compiles)
    } catch {
      // No WebAssembly or no SIMD128 (the module fails to compile): the JS loops only.
      // Stryker disable next-line BooleanLiteral: unreachable in Node, which has WebAssembly SIMD (the module compiles)
      optimFailed = true;
    }
  }
  return optim;
}

/**
 * Test hook: `true` makes the optimizer module unavailable, as if WebAssembly SIMD were missing
 * (the update entries return false and the optimizers use their JS loops); `false` lets it load
 * again.
 * @example
 * ```ts
 * _simulateOptimWasmUnavailable(true);
 * ```
 * @internal
 */
export function _simulateOptimWasmUnavailable(unavailable: boolean): void {
  optimFailed = unavailable;
  // Stryker disable next-line ConditionalExpression: two implementations of one result (the test hook dropping the instance also on `false`: the next use makes an equal one)
  if (unavailable) optim = null;
}
