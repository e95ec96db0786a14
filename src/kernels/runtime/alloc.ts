/**
 * Where the library's tensor storage comes from: every fresh output array, whether a primitive
 * allocates it (`autograd/dtype.ts` `allocate`, through `prims/common.ts` `empty()`) or a
 * kernel entry does (`runtime/elementwise.ts`), is made by the functions here. A buffer pool
 * that reuses dead storage plugs in here and nowhere else.
 * @module
 */
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
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int32': return new Int32Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

/** Node's uninitialized allocation (absent outside Node: then every array is zero-filled). */
const unsafeAlloc = (globalThis as { Buffer?: { allocUnsafeSlow(this: void, n: number): Uint8Array } }).Buffer?.allocUnsafeSlow;

/** From this many bytes, {@link allocFloat32Unfilled} skips the zero fill. */
const UNFILLED_MIN_BYTES = 1 << 16;

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
  if (unsafeAlloc === undefined || n * 4 < UNFILLED_MIN_BYTES) return new Float32Array(n);
  const bytes = unsafeAlloc(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}
