/**
 * The elementwise families' entries: every choice between the WebAssembly SIMD streaming kernels
 * (`wasm/stream.ts`) and the JS loops for float32 binary arithmetic and the float32 unary kernels
 * (exp, sigmoid, tanh, relu, erf) is made here: backend, dtype, layout, size and threads. A
 * primitive hands its operands over as they are ({@link DenseView}: a Tensor is one) and either
 * gets the finished output array or null, which means the family has no special kernel for the
 * call and the primitive's generic loop (`strided.ts`) runs.
 * @module
 */
import { erfF32, expF32, sigmoidF32, tanhF32 } from '../fastmath.js';
import { reluF32 } from '../elementwise-f32.js';
import type { TypedArray } from '../typed-array.js';
import { setSplitCallerWeight, streamBinary, streamScalar, streamUnary, type StreamBinary, type StreamUnary } from '../wasm/stream.js';
import { streamColumns, streamRows } from '../wasm/stream-rows.js';
import { allocFloat32Unfilled } from './alloc.js';
import { getKernelThreads, wasmWanted } from './settings.js';
import { STREAM_MIN_BINARY, STREAM_MIN_UNARY, STREAM_SPLIT_MIN } from './thresholds.js';

/**
 * What the elementwise entries read of an operand. A Tensor has these members, so primitives pass
 * their tensors as they are (the kernels never import autograd).
 * @example
 * ```ts
 * const v: DenseView = { dtype: 'float32', shape: [2], ndim: 1, _numel: 2, _offset: 0, _contiguous: true, _storage: { data: new Float32Array(2) } };
 * ```
 * @internal
 */
export interface DenseView {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly ndim: number;
  readonly _numel: number;
  readonly _offset: number;
  readonly _contiguous: boolean;
  /** Strides of a strided view (absent: contiguous). */
  readonly _strides?: readonly number[];
  readonly _storage: { readonly data: TypedArray };
}

let splitMin: Record<StreamUnary, number> = { ...STREAM_SPLIT_MIN };

/**
 * Test and tuning switch: overrides the split threshold (elements, for every unary kernel;
 * Infinity never splits) and the caller's share of a split call; `null` restores
 * {@link STREAM_SPLIT_MIN} and the default share.
 * @example
 * ```ts
 * setStreamSplit({ minElements: 1 }); // split every call (tests)
 * setStreamSplit(null);
 * ```
 * @internal
 */
export function setStreamSplit(opts: { minElements?: number; callerWeight?: number } | null): void {
  splitMin = { ...STREAM_SPLIT_MIN };
  setSplitCallerWeight(null);
  if (opts === null) return;
  const m = opts.minElements;
  if (m !== undefined) splitMin = { exp: m, sigmoid: m, tanh: m, relu: m };
  if (opts.callerWeight !== undefined) setSplitCallerWeight(opts.callerWeight);
}

/** The float32 unary kernels with a whole-array entry. @internal */
export type UnaryF32 = StreamUnary | 'erf';

type JsUnary = (out: Float32Array, a: Float32Array, n: number, aOff: number, outOff: number) => void;

const JS_UNARY: Readonly<Record<UnaryF32, JsUnary>> = {
  exp: expF32,
  sigmoid: sigmoidF32,
  tanh: tanhF32,
  relu: reluF32,
  erf: erfF32,
};

/**
 * out[outOff + i] = op(a[aOff + i]) for i in [0, n), float32: the wasm kernel (split over the
 * threads from {@link STREAM_SPLIT_MIN}) from {@link STREAM_MIN_UNARY} elements under 'auto', at
 * any size under 'wasm', else the JS loop of `fastmath.ts` / `elementwise-f32.ts`. Each path is
 * within 1 float32 ulp of the correctly rounded value (relu exact); the wasm and JS bits may
 * differ by that ulp. `out` and `a` may alias exactly.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * unaryF32('exp', out, new Float32Array([0, 1]), 2); // out = [1, 2.7182817]
 * ```
 * @internal
 */
export function unaryF32(op: UnaryF32, out: Float32Array, a: Float32Array, n: number, aOff = 0, outOff = 0): void {
  if (op !== 'erf' && wasmWanted(n, STREAM_MIN_UNARY)) {
    const split = n >= splitMin[op] && getKernelThreads() > 1;
    if (streamUnary(op, out, a, n, aOff, outOff, split)) return;
  }
  JS_UNARY[op](out, a, n, aOff, outOff);
}

/**
 * The unary entry for `op` on an operand: the output array (a fresh contiguous float32 array of
 * `x`'s shape) for a contiguous float32 `x`, or null for every other dtype or layout (the caller
 * runs its generic loop).
 * @example
 * ```ts
 * const relu = unaryEntry('relu');
 * const out = relu(view); // Float32Array, or null for a strided view
 * ```
 * @internal
 */
export function unaryEntry(op: UnaryF32): (x: DenseView) => Float32Array | null {
  return (x) => {
    if (x.dtype !== 'float32' || !x._contiguous) return null;
    const n = x._numel;
    const out = allocFloat32Unfilled(n); // the kernel writes every element
    unaryF32(op, out, x._storage.data as Float32Array, n, x._offset, 0);
    return out;
  };
}

/**
 * The binary entry for `op`: null when the family has no special kernel for `op` (only add, sub,
 * mul and div have one); else a function of the two operands that returns the output array, or
 * null when the call is not one the wasm kernel takes. It takes float32 operands, both contiguous
 * with the same shape, or one of them a one-element operand (a JS number, a 0-d tensor) with no
 * more dims than the other, or a contiguous [..., w] operand and a contiguous row of its last dim
 * ([w], [1, w], ...; no more dims than the other) on either side, from {@link STREAM_MIN_BINARY}
 * elements under 'auto' (any size under 'wasm'). The result is bit-identical to the JS loop (one
 * IEEE float32 operation equals the float64 one rounded to float32); its shape is that of the
 * operand with more elements (of `a` when they have as many).
 * @example
 * ```ts
 * const add = binaryEntry('add');
 * const out = add?.(a, b); // Float32Array, or null: run the loop
 * ```
 * @internal
 */
export function binaryEntry(op: string): ((a: DenseView, b: DenseView) => Float32Array | null) | null {
  if (op !== 'add' && op !== 'sub' && op !== 'mul' && op !== 'div') return null;
  return (a, b) => (a.dtype === 'float32' && b.dtype === 'float32' ? binaryF32(op, a, b) : null);
}

function binaryF32(op: StreamBinary, a: DenseView, b: DenseView): Float32Array | null {
  const n = a._numel;
  const m = b._numel;
  if (n === m) {
    if (!wasmWanted(n, STREAM_MIN_BINARY) || !sameShape(a.shape, b.shape)) return null;
    if (!a._contiguous || !b._contiguous) return broadcastF32(op, a, b);
    const out = allocFloat32Unfilled(n); // the kernel writes every element
    return streamBinary(op, out, a._storage.data as Float32Array, a._offset, b._storage.data as Float32Array, b._offset, n, 0) ? out : null;
  }
  if (n !== 1 && m !== 1) return broadcastF32(op, a, b);
  const scalarFirst = n === 1;
  const full = scalarFirst ? b : a;
  const one = scalarFirst ? a : b;
  const len = full._numel;
  if (!wasmWanted(len, STREAM_MIN_BINARY) || !full._contiguous || one.ndim > full.ndim) return null;
  const out = allocFloat32Unfilled(len); // the kernel writes every element
  const s = one._storage.data[one._offset]!;
  return streamScalar(op, out, full._storage.data as Float32Array, full._offset, s, scalarFirst, len, 0) ? out : null;
}

/** Rows shorter than this keep the JS loop for a column broadcast (one fill call per row). */
const COLUMN_MIN_WIDTH = 16;

/**
 * A contiguous [..., w] operand (the larger, or of the same shape) with the other one broadcast
 * as a row of w elements ([w], [1, w], or an expanded view of one) or as a column of one element
 * per row ([..., 1] with the same leading dims, or an expanded view of one), on either side. Any
 * other pair is null. The caller sends no two contiguous operands of one size here, so the full
 * operand is `a` when it is contiguous and not the smaller, else `b` if contiguous (a `b` smaller
 * than `a` does not broadcast to `b`'s shape: `broadcastKind` declines it).
 */
function broadcastF32(op: StreamBinary, a: DenseView, b: DenseView): Float32Array | null {
  const aFull = a._contiguous && a._numel >= b._numel;
  if (!aFull && !b._contiguous) return null;
  const full = aFull ? a : b;
  const small = aFull ? b : a;
  const len = full._numel;
  if (len === 0 || !wasmWanted(len, STREAM_MIN_BINARY) || small.ndim > full.ndim) return null;
  const w = full.shape[full.ndim - 1]!;
  if (w < 2) return null;
  const kind = broadcastKind(small, full.shape);
  if (kind === null || (kind === 'column' && w < COLUMN_MIN_WIDTH)) return null;
  const out = allocFloat32Unfilled(len); // the kernel writes every element
  const data = full._storage.data as Float32Array;
  const other = small._storage.data as Float32Array;
  const stream = kind === 'row' ? streamRows : streamColumns;
  return stream(op, out, data, full._offset, other, small._offset, !aFull, len / w, w, 0) ? out : null;
}

/**
 * How `small` broadcasts to `shape`: 'row' when its element for position (..., j) is at offset +
 * j, 'column' when it is at offset + (the flat index of the leading position), else null. Read
 * from its strides over the broadcast shape (0 for a dim it lacks or has of size 1).
 */
function broadcastKind(small: DenseView, shape: readonly number[]): 'row' | 'column' | null {
  const nd = shape.length;
  const lead = nd - small.ndim;
  const strides = small._strides ?? contiguousStrides(small.shape);
  // Stryker disable next-line BooleanLiteral: unreachable (the last dim has w ≥ 2 elements, so it sets row before it is read)
  let row = true;
  // Stryker disable next-line BooleanLiteral: unreachable (the last dim has w ≥ 2 elements, so it sets column before it is read)
  let column = true;
  let expect = 1;
  for (let d = nd - 1; d >= 0; d--) {
    const size = d < lead ? 1 : small.shape[d - lead]!;
    if (size !== 1 && size !== shape[d]) return null;
    const stride = size === 1 ? 0 : strides[d - lead]!;
    if (shape[d] === 1) continue;
    if (d === nd - 1) {
      row = stride === 1;
      column = stride === 0;
    } else {
      row = row && stride === 0;
      column = column && stride === expect;
      expect *= shape[d]!;
    }
  }
  return row ? 'row' : column ? 'column' : null;
}

function contiguousStrides(shape: readonly number[]): number[] {
  // Stryker disable next-line ArrayDeclaration: two implementations of one result (every index is assigned)
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, d) => size === b[d]);
}
