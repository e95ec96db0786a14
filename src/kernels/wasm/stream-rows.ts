/**
 * Drivers of the streaming float32 kernels (`stream-module.ts`) for the broadcasts of a
 * [rows, n] operand: with a row of n elements (a bias add: {@link streamRows}), with a column of
 * one element per row (`x - x.mean(-1, true)`: {@link streamColumns}), and the sum over the rows
 * (a bias gradient: {@link streamColumnSum}). Same scratch regions and placement as the
 * elementwise drivers in `stream.ts`; whether to call them is decided by the runtime's entries.
 * @module
 */
import { streamInstance } from '../runtime/instances.js';
import { CHUNK, place, REGION, streamBinary, streamScalar, type StreamBinary } from './stream.js';

/**
 * out[outOff + r·n + j] = a[aOff + r·n + j] op row[rowOff + j] (or row[rowOff + j] op a[...] when
 * `rowFirst`) for r in [0, rows), j in [0, n): a [rows, n] operand with an [n] one broadcast over
 * its rows (a bias add). The row is copied into the module's memory once, repeated to fill a
 * chunk of whole rows, so each chunk costs one copy in and one copy out, as for
 * {@link streamBinary}; rows longer than a chunk run as one {@link streamBinary} call each. Returns
 * false when the kernels are unavailable. Bit-identical to the float64 JS loop rounded to float32.
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * streamRows('add', out, new Float32Array([1, 2, 3, 4]), 0, new Float32Array([10, 20]), 0, false, 2, 2, 0); // [11, 22, 13, 24]
 * ```
 * @internal
 */
export function streamRows(
  op: StreamBinary,
  out: Float32Array,
  a: Float32Array,
  aOff: number,
  row: Float32Array,
  rowOff: number,
  rowFirst: boolean,
  rows: number,
  n: number,
  outOff: number,
): boolean {
  const s = streamInstance();
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable (Node has WebAssembly SIMD, so the instance exists)
  if (s === null) return false;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result (a row no longer than a chunk streamed one call a row instead of tiled: the same bits)
  if (n > CHUNK) {
    for (let r = 0, p = 0; r < rows; r++, p += n) {
      if (rowFirst) streamBinary(op, out, row, rowOff, a, aOff + p, n, outOff + p);
      else streamBinary(op, out, a, aOff + p, row, rowOff, n, outOff + p);
    }
    return true;
  }
  const M = s.f32;
  const fn = s.fns[op]!;
  const A = place(0, a, aOff);
  const T = place(A + REGION, row, rowOff);
  const O = place(T + REGION, out, outOff);
  // The tile: as many whole rows as fit in a chunk (no more than there are), built by doubling.
  const step = Math.min(rows, Math.floor(CHUNK / n)) * n;
  const t = T >> 2;
  M.set(row.subarray(rowOff, rowOff + n), t);
  for (let have = n; have < step;) {
    // Stryker disable next-line ArithmeticOperator: loop bound one past the end (a copy of `have` more past the tile lands in the output region, which the kernel writes before it is read)
    const more = Math.min(have, step - have);
    M.copyWithin(t + have, t, t + more);
    have += more;
  }
  const total = rows * n;
  // Stryker disable next-line EqualityOperator: loop bound one past the end (an extra chunk of 0 elements)
  for (let off = 0; off < total; off += step) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (both sides give `step`)
    const len = total - off < step ? total - off : step;
    M.set(a.subarray(aOff + off, aOff + off + len), A >> 2);
    const bytes = ((len + 3) & ~3) * 4;
    if (rowFirst) fn(T, A, O, bytes);
    else fn(A, T, O, bytes);
    out.set(M.subarray(O >> 2, (O >> 2) + len), outOff + off);
  }
  return true;
}

/**
 * out[outOff + r·n + j] = a[aOff + r·n + j] op col[colOff + r] (or col[colOff + r] op a[...] when
 * `colFirst`) for r in [0, rows), j in [0, n): a [rows, n] operand with a [rows, 1] one broadcast
 * along its rows. Each chunk of whole rows gets a tile of its rows' values (one fill per row) and
 * goes through the binary kernel; rows longer than a chunk run as one {@link streamScalar} call
 * each. Returns false when the kernels are unavailable. Bit-identical to the float64 JS loop
 * rounded to float32.
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * streamColumns('sub', out, new Float32Array([1, 2, 3, 4]), 0, new Float32Array([1, 3]), 0, false, 2, 2, 0); // [0, 1, 0, 1]
 * ```
 * @internal
 */
export function streamColumns(
  op: StreamBinary,
  out: Float32Array,
  a: Float32Array,
  aOff: number,
  col: Float32Array,
  colOff: number,
  colFirst: boolean,
  rows: number,
  n: number,
  outOff: number,
): boolean {
  const s = streamInstance();
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable (Node has WebAssembly SIMD, so the instance exists)
  if (s === null) return false;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result (a row no longer than a chunk streamed one call a row instead of tiled: the same bits)
  if (n > CHUNK) {
    for (let r = 0, p = 0; r < rows; r++, p += n) streamScalar(op, out, a, aOff + p, col[colOff + r]!, colFirst, n, outOff + p);
    return true;
  }
  const M = s.f32;
  const fn = s.fns[op]!;
  const A = place(0, a, aOff);
  // Stryker disable next-line ArithmeticOperator: two implementations of one result (the tile's page offset only avoids 4K aliasing, a matter of speed; its values are filled in)
  const T = place(A + REGION, out, outOff + 512);
  const O = place(T + REGION, out, outOff);
  const t = T >> 2;
  const per = Math.floor(CHUNK / n);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (an extra chunk of 0 rows)
  for (let r0 = 0; r0 < rows; r0 += per) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (both sides give `per`)
    const count = rows - r0 < per ? rows - r0 : per;
    // Stryker disable next-line EqualityOperator: loop bound one past the end (one row more of tile, past the chunk: feeds only output elements never copied out)
    for (let i = 0; i < count; i++) M.fill(col[colOff + r0 + i]!, t + i * n, t + (i + 1) * n);
    const off = r0 * n;
    const len = count * n;
    M.set(a.subarray(aOff + off, aOff + off + len), A >> 2);
    const bytes = ((len + 3) & ~3) * 4;
    if (colFirst) fn(T, A, O, bytes);
    else fn(A, T, O, bytes);
    out.set(M.subarray(O >> 2, (O >> 2) + len), outOff + off);
  }
  return true;
}

/**
 * out[outOff + j] = Σ_r a[aOff + r·n + j] over r in [0, rows), for j in [0, n): the sum over the
 * leading dims of a contiguous [rows, n] float32 operand (a bias gradient), accumulated in float64
 * row by row in order and rounded once into `out`, so bit-identical to the JS reduction. Chunks
 * of whole rows are copied into the module's memory; the accumulators stay there. Returns false
 * (doing nothing) when the kernels are unavailable or `n` is not a multiple of 4 or more than a
 * chunk.
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * streamColumnSum(out, new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), 0, 2, 4, 0); // [6, 8, 10, 12]
 * ```
 * @internal
 */
export function streamColumnSum(out: Float32Array, a: Float32Array, aOff: number, rows: number, n: number, outOff: number): boolean {
  if (n === 0 || n % 4 !== 0 || n > CHUNK) return false;
  const s = streamInstance();
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: unreachable (Node has WebAssembly SIMD, so the instance exists)
  if (s === null) return false;
  const M = s.f32;
  const A = place(0, a, aOff);
  // The float64 accumulators (at most a chunk's worth: 64 KiB) after the input region.
  const ACC = (A + REGION + 15) & ~15;
  const acc = new Float64Array(M.buffer, ACC, n).fill(0);
  const fn = s.fns.colsum!;
  const per = Math.floor(CHUNK / n);
  // Stryker disable next-line EqualityOperator: loop bound one past the end (an extra chunk of 0 rows adds nothing)
  for (let r = 0; r < rows; r += per) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (both sides give `per`)
    const count = rows - r < per ? rows - r : per;
    M.set(a.subarray(aOff + r * n, aOff + (r + count) * n), A >> 2);
    fn(A, ACC, n * 4, count);
  }
  for (let j = 0; j < n; j++) out[outOff + j] = acc[j]!;
  return true;
}
