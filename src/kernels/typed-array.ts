/**
 * The array types the kernels read and write. They live here, on the bottom floor, so that the
 * kernels never import from `autograd/`; `autograd/dtype.ts` re-exports {@link TypedArray}.
 * @module
 */

/**
 * Any typed array that backs a tensor (bool is stored as a Uint8Array of 0/1).
 * @example
 * ```ts
 * const data: TypedArray = new Float32Array(4);
 * ```
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * The floating-point typed arrays: what the float kernels (gemm, conv) and the optimizer updates work on.
 * @example
 * ```ts
 * const weights: FloatArray = new Float64Array(16);
 * ```
 */
export type FloatArray = Float32Array | Float64Array;
