/**
 * The element types the file-format layer understands. Structurally identical
 * to the `DType` union used by the autograd core.
 *
 * @example
 * ```ts
 * const d: DType = 'float32';
 * ```
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/**
 * The typed-array class used to hold the data of each {@link DType}.
 *
 * @example
 * ```ts
 * const data: RawTensorData = new Float32Array([1, 2, 3]);
 * ```
 */
export type RawTensorData = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * A dense row-major array with its dtype and shape; bool data is a Uint8Array of 0/1.
 *
 * `data.length` must equal the product of `shape` (1 for a 0-d tensor, 0 when
 * any dimension is 0), and the typed-array class must match `dtype`:
 * `float32` → `Float32Array`, `float64` → `Float64Array`, `int32` → `Int32Array`,
 * `bool` → `Uint8Array` holding only 0 and 1.
 *
 * @example
 * ```ts
 * const t: RawTensor = { dtype: 'float32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) };
 * ```
 */
export interface RawTensor {
  /** Element type. */
  dtype: DType;
  /** Dimensions, outermost first; `[]` for a scalar. */
  shape: number[];
  /** The elements in row-major order. */
  data: RawTensorData;
}

/**
 * Number of elements described by `shape` (the product of its entries, 1 for `[]`).
 * Returns `NaN` if the product is not a safe integer.
 *
 * @example
 * ```ts
 * shapeSize([2, 3]); // 6
 * shapeSize([]); // 1
 * ```
 */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return Number.isSafeInteger(n) ? n : NaN;
}

/**
 * Returns a description of what is wrong with `t` as a {@link RawTensor}, or
 * `undefined` when it is well formed. Used by the encoders before writing anything.
 *
 * @example
 * ```ts
 * describeRawTensorProblem({ dtype: 'int32', shape: [2], data: new Int32Array(3) });
 * // 'data has 3 elements but shape [2] needs 2'
 * ```
 */
export function describeRawTensorProblem(t: RawTensor): string | undefined {
  if (t === null || typeof t !== 'object') return `expected a tensor object, got ${String(t)}`;
  if (!Array.isArray(t.shape)) return `shape is not an array: ${String(t.shape)}`;
  for (const d of t.shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      return `shape [${t.shape.join(', ')}] has an invalid dimension ${String(d)}`;
    }
  }
  const expectedClass =
    t.dtype === 'float32'
      ? Float32Array
      : t.dtype === 'float64'
        ? Float64Array
        : t.dtype === 'int32'
          ? Int32Array
          : t.dtype === 'bool'
            ? Uint8Array
            : undefined;
  if (expectedClass === undefined) return `unknown dtype ${JSON.stringify(t.dtype)}`;
  if (!(t.data instanceof expectedClass)) {
    const got = (t.data as unknown as { constructor?: { name?: string } } | null)?.constructor?.name ?? String(t.data);
    return `dtype ${t.dtype} needs a ${expectedClass.name} but data is a ${got}`;
  }
  const n = shapeSize(t.shape);
  if (Number.isNaN(n)) return `shape [${t.shape.join(', ')}] has more elements than can be addressed`;
  if (t.data.length !== n) {
    return `data has ${t.data.length} elements but shape [${t.shape.join(', ')}] needs ${n}`;
  }
  if (t.dtype === 'bool') {
    const u = t.data as Uint8Array;
    for (let i = 0; i < u.length; i++) {
      if (u[i] !== 0 && u[i] !== 1) return `bool data holds ${u[i]} at index ${i}, expected 0 or 1`;
    }
  }
  return undefined;
}
