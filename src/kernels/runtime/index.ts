/**
 * The kernel runtime: the one place that chooses kernels. It holds the two settings (backend,
 * threads; `settings.ts`), the WebAssembly memories, module instances and worker pool
 * (`instances.ts`), the storage allocator (`alloc.ts`), every threshold with its reason
 * (`thresholds.ts`), and one entry per kernel family that
 * makes every choice for a call: matrix products (`gemm.ts`), float32 elementwise arithmetic and
 * unary kernels (`elementwise.ts`), optimizer updates (`optim.ts`). The rest of the library
 * imports kernels' choices from here; docs/contributing-code.md describes how a family is added.
 * @module
 */
export { allocArray, allocFloat32Unfilled, type StorageType } from './alloc.js';
export { binaryEntry, setStreamSplit, unaryEntry, unaryF32, type DenseView, type UnaryF32 } from './elementwise.js';
export { gemm } from './gemm.js';
export { columnSum } from './reduce.js';
export { _simulateOptimWasmUnavailable, gemmInstance, threadedGemm } from './instances.js';
export { adamUpdateKernel, rmspropUpdateKernel, sgdUpdateKernel, useOptimWasm } from './optim.js';
export { getKernelBackend, getKernelThreads, MAX_THREADS, setKernelBackend, setKernelThreads, type KernelBackend } from './settings.js';
export {
  COLUMN_SUM_MIN,
  GEMM_MIN_WORK_PER_THREAD,
  GEMM_WASM_MIN_WORK,
  OPTIM_CHUNK,
  OPTIM_WASM_MIN,
  OPTIM_WASM_MIN_SGD,
  STREAM_CHUNK,
  STREAM_MIN_BINARY,
  STREAM_MIN_UNARY,
  STREAM_SPLIT_MIN,
} from './thresholds.js';
export type { FloatArray } from '../typed-array.js';
