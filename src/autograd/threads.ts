/**
 * The public thread setting: checks its argument with tapegrad's typed errors, then sets the
 * kernels' thread count (`kernels/gemm.ts`).
 * @module
 */
import { checkArity, checkNumber } from './args.js';
import { getNumThreads as kernelThreads, MAX_THREADS, setNumThreads as setKernelThreads } from '../kernels/gemm.js';

/**
 * Sets the number of threads (the calling thread included) for large matrix products and large
 * float32 `exp`/`sigmoid`/`tanh`, like PyTorch's `torch.set_num_threads`; the default is the
 * number of cores (at most 8), or the `TAPEGRAD_NUM_THREADS` environment variable.
 * With n > 1, products of at least ~4·10⁶ multiply-adds, and those three ops on contiguous
 * float32 tensors from ~10⁵ elements, are split across n − 1 worker threads (started on first
 * use, `unref()`ed) and the caller, synchronously; everything smaller stays on the calling
 * thread. Where worker threads cannot start (Node's permission model without `--allow-worker`)
 * or one fails, everything runs on the calling thread. On a machine whose cores are busy with
 * other processes, `setNumThreads(1)` is steadier.
 *
 * Throws `ArgumentTypeError` for a non-number and `ValueError` unless `n` is an
 * integer from 1 to 63 (the workers one pool can hold, plus the caller).
 * @example
 * ```ts
 * setNumThreads(1); // deterministic single-threaded timing
 * ```
 */
export function setNumThreads(n: number): void {
  checkArity('setNumThreads', arguments, 1, 'setNumThreads(n)');
  setKernelThreads(checkNumber('setNumThreads', 'n', n, { integer: true, min: 1, max: MAX_THREADS }));
}

/**
 * The thread count used for large matrix products (see {@link setNumThreads}), like
 * `torch.get_num_threads`.
 * @example
 * ```ts
 * console.log(getNumThreads());
 * ```
 */
export function getNumThreads(): number {
  return kernelThreads();
}
