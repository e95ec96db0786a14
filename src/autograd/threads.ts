/**
 * The public kernel settings: the thread count and the backend. Each checks its argument with
 * tapegrad's typed errors, then sets the kernel runtime's one setting (`kernels/runtime/settings.ts`).
 * @module
 */
import { checkArity, checkNumber, oneOf, str } from './args.js';
import {
  getKernelBackend,
  getKernelThreads,
  MAX_THREADS,
  setKernelBackend,
  setKernelThreads,
  type KernelBackend,
} from '../kernels/runtime/index.js';

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
  return getKernelThreads();
}

const BACKENDS = ['auto', 'js', 'wasm'] as const;

/**
 * Chooses which kernels run, for every kernel family at once (matrix products, float32
 * elementwise arithmetic and exp/sigmoid/tanh/relu, optimizer updates); tapegrad's own switch
 * (PyTorch has no equivalent). `'auto'` (the default) lets each family pick WebAssembly SIMD or
 * JavaScript per call by size, dtype and layout; `'js'` runs the JavaScript loops only; `'wasm'`
 * runs the WebAssembly kernels wherever one exists for the call, at any size (JavaScript where
 * none does, or where WebAssembly is unavailable). Results agree within float32 rounding: the
 * float32 optimizer updates and exp/sigmoid/tanh may differ in the last bit between the two.
 * For comparing the paths, or running without WebAssembly; `'auto'` is the fastest.
 *
 * Throws `ArgumentTypeError` for a non-string and `ValueError` for any other string.
 * @example
 * ```ts
 * setBackend('js'); // JavaScript kernels only
 * setBackend('auto');
 * ```
 */
export function setBackend(backend: 'auto' | 'js' | 'wasm'): void {
  checkArity('setBackend', arguments, 1, "setBackend('auto' | 'js' | 'wasm')");
  setKernelBackend(oneOf(BACKENDS)('setBackend', 'backend', str('setBackend', 'backend', backend)));
}

/**
 * The backend chosen with {@link setBackend} (`'auto'` unless changed).
 * @example
 * ```ts
 * console.log(getBackend()); // 'auto'
 * ```
 */
export function getBackend(): 'auto' | 'js' | 'wasm' {
  return getKernelBackend() satisfies KernelBackend;
}
