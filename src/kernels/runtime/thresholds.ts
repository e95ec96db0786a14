/**
 * Every threshold of the kernel runtime, with its reason: from which size a family's entry runs
 * the WebAssembly kernel under the 'auto' backend, from which size a kernel is split over the
 * threads, and the chunk sizes of the streaming drivers. The measurements behind them are in
 * docs/performance.md ("The measurements behind the kernels' thresholds"). The entries
 * (`gemm.ts`, `elementwise.ts`, `optim.ts`) and the drivers read them from here.
 * @module
 */
import type { StreamUnary } from '../wasm/stream.js';

// ---- matrix products --------------------------------------------------------------------

/**
 * Minimum m·n·k for which 'auto' uses the wasm kernel: below it the JS kernel's lower per-call
 * overhead wins (the measured crossover is in docs/performance.md).
 * @internal
 */
export const GEMM_WASM_MIN_WORK = 512;

/**
 * Minimum multiply-adds (m·n·k) per thread before a GEMM is split across threads (each part runs
 * long enough to repay waking a worker). The workers are woken before the operands are copied in,
 * so their start-up overlaps the copies and the packing of op(B). At this threshold the
 * 784-128-64-10 MLP's two 6.4·10⁶ products ([64×784]·[784×128]ᵀ and the weight gradient) are
 * split: its training step is faster on 2 idle cores, but slower with one core kept busy by
 * another process (a worker descheduled while it holds a chunk makes the caller wait); on such a
 * machine, setNumThreads(1). The A/B figures are in docs/performance.md.
 * @internal
 */
export const GEMM_MIN_WORK_PER_THREAD = 1 << 21;

// ---- elementwise ------------------------------------------------------------------------

/**
 * Elements from which the binary ops (two operands, or one with a one-element operand) use the
 * wasm kernels under 'auto': below it the wasm call's fixed cost outweighs its faster loop (the
 * measured crossover is in docs/performance.md).
 * @internal
 */
export const STREAM_MIN_BINARY = 128;

/**
 * Elements from which the unary kernels use the wasm kernels under 'auto': past the measured
 * crossover, where the faster wasm loop repays the call's fixed cost (docs/performance.md). erf
 * has no wasm kernel.
 * @internal
 */
export const STREAM_MIN_UNARY = 64;

/**
 * Elements from which a unary kernel is split over the threads (Infinity: never). The caller
 * copies the workers' parts in and out of the shared memory (and those cache lines cross cores),
 * so only the compute-bound kernels pay: exp, sigmoid and tanh split from the size at which two
 * threads measured faster than one (sigmoid and tanh, with more arithmetic per element, sooner
 * than exp); relu is memory-bound, slower split at every size measured, and never splits. The
 * 1-vs-2-thread figures are in docs/performance.md.
 * @internal
 */
export const STREAM_SPLIT_MIN: Readonly<Record<StreamUnary, number>> = {
  exp: 1 << 17,
  sigmoid: 1 << 16,
  tanh: 1 << 16,
  relu: Infinity,
};

/**
 * Elements (rows × columns) from which a float32 sum over the leading dims (a bias gradient) uses
 * the wasm column-sum kernel under 'auto': below it the call's fixed cost (the accumulators'
 * view, the copies) outweighs its faster loop (the measured crossover is in docs/performance.md).
 * @internal
 */
export const COLUMN_SUM_MIN = 64;

/**
 * Elements per chunk of the streaming elementwise kernels: the inputs and output of a chunk
 * (2 × 32 KiB for a binary op) stay in the L1/L2 caches (chunks that fit time alike, larger ones
 * are slower; docs/performance.md).
 * @internal
 */
export const STREAM_CHUNK = 8192;

// ---- optimizer updates ------------------------------------------------------------------

/**
 * Below this many elements 'auto' keeps the JS loop (Adam, RMSprop): the wasm call and the copies
 * cost about as much as the JS Adam loop on this many elements (the measured crossover;
 * docs/performance.md).
 * @internal
 */
export const OPTIM_WASM_MIN = 64;

/**
 * The same threshold for SGD, whose JS loop is cheaper per element, so its measured crossover is
 * higher.
 * @internal
 */
export const OPTIM_WASM_MIN_SGD = 128;

/**
 * Elements per streamed chunk of an optimizer update (5 regions of 8 KiB: 43 KiB with their
 * stagger, within L1/L2).
 * @internal
 */
export const OPTIM_CHUNK = 2048;

/**
 * Output (im2col) or column (col2im) elements from which the sliding-window kernels run in wasm
 * under 'auto': below it the copy into and out of wasm memory costs more than the JS loop saves.
 * @internal
 */
export const CONV_WASM_MIN_ELEMENTS = 2048;
