/**
 * Where the library's tensor storage comes from: every fresh output array, whether a primitive
 * allocates it (`autograd/dtype.ts` `allocate`, through `prims/common.ts` `empty()`) or a
 * kernel entry does (`runtime/elementwise.ts`), is made by the functions here. Large float
 * arrays come from the buffer pool (`kernels/memory/pool.ts`), which hands out memory the engine
 * has released (docs/performance.md, "Storage and memory reuse").
 * @module
 */
import { allocateFloat } from '../memory/pool.js';
import type { TypedArray } from '../typed-array.js';

/** The element types of tensor storage (bool is a Uint8Array of 0/1). @internal */
export type StorageType = 'float32' | 'float64' | 'int32' | 'bool';

/**
 * A zero-filled array of `n` elements of `type`. No size check: callers check first.
 * @example
 * ```ts
 * const data = allocArray('float32', 16);
 * ```
 * @internal
 */
export function allocArray(type: StorageType, n: number): TypedArray {
  switch (type) {
    case 'float32':
    case 'float64':
      return allocateFloat(type, n, true);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}

/**
 * A float32 array of `n` elements that is NOT zero-filled from 64 KiB up (like `torch.empty`),
 * for kernels that write every element before anyone reads it: a recycled heap block need not be
 * cleared (the saving is in docs/performance.md). Never hand its contents out before a full write.
 * No size check: callers check first.
 * @example
 * ```ts
 * const out = allocFloat32Unfilled(1 << 20); // then write every element
 * ```
 * @internal
 */
export function allocFloat32Unfilled(n: number): Float32Array {
  return allocateFloat('float32', n, false) as Float32Array;
}
