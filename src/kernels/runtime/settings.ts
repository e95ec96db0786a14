/**
 * The kernel runtime's two settings: which kernels may run (the backend) and how many threads
 * large kernels may use. Every kernel family's entry (`runtime/*.ts`) reads them here; nothing
 * else in the library keeps a backend or thread switch of its own.
 * @module
 */
import { availableParallelism } from 'node:os';
import { MAX_WORKERS } from '../threads/pool.js';

/**
 * Which kernels run: 'auto' (the default: each family's entry picks WebAssembly or JS by size,
 * dtype and layout), 'js' (always the JS loops), 'wasm' (the WebAssembly kernels wherever one
 * exists for the call, at any size; JS where none does or WebAssembly is unavailable).
 * @example
 * ```ts
 * const b: KernelBackend = 'js';
 * ```
 */
export type KernelBackend = 'auto' | 'js' | 'wasm';

let backend: KernelBackend = 'auto';

/**
 * Chooses the kernels of every family (matrix products, elementwise ops, optimizer updates);
 * see {@link KernelBackend}. Unchecked: the public `setBackend` checks its argument first.
 * @example
 * ```ts
 * setKernelBackend('js'); // compare the JS loops with the default in a test
 * setKernelBackend('auto');
 * ```
 * @internal
 */
export function setKernelBackend(b: KernelBackend): void {
  backend = b;
}

/**
 * The backend chosen with {@link setKernelBackend}.
 * @example
 * ```ts
 * if (getKernelBackend() === 'js') console.log('JS loops only');
 * ```
 * @internal
 */
export function getKernelBackend(): KernelBackend {
  return backend;
}

/**
 * Whether a family may run its WebAssembly kernel on a call of `size` (elements, or multiply-adds
 * for a product) whose 'auto' crossover is `autoMin`: never under 'js', always under 'wasm', from
 * `autoMin` under 'auto'. Availability of the module is the caller's second question.
 * @example
 * ```ts
 * if (wasmWanted(n, 128)) console.log('try the wasm kernel');
 * ```
 * @internal
 */
export function wasmWanted(size: number, autoMin: number): boolean {
  return backend === 'wasm' || (backend === 'auto' && size >= autoMin);
}

/**
 * The most threads {@link setKernelThreads} accepts: the calling thread and the workers one pool
 * can hold.
 * @example
 * ```ts
 * setKernelThreads(Math.min(MAX_THREADS, 128));
 * ```
 */
export const MAX_THREADS = MAX_WORKERS + 1;

/**
 * The thread count a process starts with, like PyTorch's: `TAPEGRAD_NUM_THREADS` when it is an
 * integer from 1 (capped at {@link MAX_THREADS}), else as many threads as `cores`, capped at 8.
 * @example
 * ```ts
 * defaultThreads('4', 16); // 4
 * defaultThreads(undefined, 16); // 8
 * ```
 * @internal
 */
export function defaultThreads(env: string | undefined, cores: number): number {
  const n = Number(env);
  if (Number.isInteger(n) && n >= 1) return Math.min(n, MAX_THREADS);
  return Math.max(1, Math.min(8, cores));
}

let numThreads = defaultThreads(process.env.TAPEGRAD_NUM_THREADS, availableParallelism());
const threadListeners: Array<() => void> = [];

/**
 * Registers `fn` to run after the thread count changes (the runtime drops its threaded instances
 * there, see `instances.ts`).
 * @example
 * ```ts
 * onThreadsChange(() => console.log('threads now', getKernelThreads()));
 * ```
 * @internal
 */
export function onThreadsChange(fn: () => void): void {
  threadListeners.push(fn);
}

/**
 * Sets the number of threads (the calling thread included) for the large kernels (matrix
 * products, large float32 `exp`/`sigmoid`/`tanh`); see the public `setNumThreads` in
 * `autograd/threads.ts` for what runs where. Throws a RangeError unless n is an integer from 1
 * to {@link MAX_THREADS} (a TypeError for a non-number); the public function checks first and
 * throws tapegrad's typed errors.
 * @example
 * ```ts
 * setKernelThreads(1); // deterministic single-threaded timing
 * ```
 */
export function setKernelThreads(n: number): void {
  if (typeof n !== 'number') throw new TypeError(`setNumThreads: n must be an integer, got ${typeof n}`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(`setNumThreads: n must be an integer from 1 to ${MAX_THREADS}, got ${n}`);
  }
  if (n === numThreads) return;
  numThreads = n;
  for (const fn of threadListeners) fn();
}

/**
 * The thread count of the large kernels.
 * @example
 * ```ts
 * console.log(getKernelThreads());
 * ```
 */
export function getKernelThreads(): number {
  return numThreads;
}
