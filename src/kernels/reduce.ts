/**
 * Reduction loop templates over strided inputs: the reduced dims are iterated innermost (the lane
 * path), except when the kept dims form one dense block (a reduction over the leading dims of a
 * contiguous tensor), which walks the input in memory order (the row path).
 * Like the elementwise templates, each reduction is a few expressions compiled once.
 * @module
 */
import type { TypedArray } from './typed-array.js';

/**
 * A compiled reduction. The input is described as `outer` dims (kept, one output element each)
 * and `inner` dims (reduced), each with sizes and strides into `a`. The output is contiguous.
 */
export type ReduceKernel = (
  out: TypedArray,
  a: TypedArray,
  offset: number,
  outerShape: readonly number[],
  outerStrides: readonly number[],
  innerShape: readonly number[],
  innerStrides: readonly number[],
) => void;

/** Fewer outputs than this keep the lane path (its strided walk is then short and cheap). */
const ROW_PATH_MIN_OUTPUTS = 8;

/**
 * Compiles a reduction from its accumulator initial value, update statement and result.
 * The update sees `x` (the element), `k` (its flat position among the reduced elements) and `acc`.
 * @example
 * ```ts
 * const sum = compileReduce('0', 'acc += x;', 'acc');
 * ```
 */
function compileReduce(init: string, update: string, result: string, extraInit = ''): ReduceKernel {
  // Row path: when the kept elements of each reduced position form one dense run (a reduction
  // over the leading dims of a contiguous tensor, e.g. a bias gradient summed over the batch),
  // walk the input once in memory order and update one accumulator per output. Each output sees
  // the same updates in the same order as in the lane path below. Only for kernels whose state
  // is `acc` alone (no `extraInit`).
  const rowPath =
    extraInit === ''
      ? `
    if (on > 0 && innerN > 0 && outerN >= ${ROW_PATH_MIN_OUTPUTS}) {
      let dense = true;
      for (let d = on - 1, expect = 1; d >= 0; d--) {
        if (outerShape[d] !== 1 && outerStrides[d] !== expect) { dense = false; break; }
        expect *= outerShape[d];
      }
      if (dense) {
        const accs = new Float64Array(outerN).fill(${init});
        let p = offset, k = 0;
        for (;;) {
          let j = 0;
          // Four reduced positions per pass over the accumulators (same order for each output).
          for (; j + 4 <= lastSize; j += 4, k += 4, p += 4 * lastStride) {
            const p1 = p + lastStride, p2 = p1 + lastStride, p3 = p2 + lastStride, k1 = k + 1, k2 = k + 2, k3 = k + 3;
            for (let o = 0; o < outerN; o++) {
              let acc = accs[o];
              { const x = a[p + o]; ${update} }
              { const x = a[p1 + o], k = k1; ${update} }
              { const x = a[p2 + o], k = k2; ${update} }
              { const x = a[p3 + o], k = k3; ${update} }
              accs[o] = acc;
            }
          }
          for (; j < lastSize; j++, k++, p += lastStride) {
            for (let o = 0; o < outerN; o++) { let acc = accs[o]; const x = a[p + o]; ${update} accs[o] = acc; }
          }
          p -= lastStride * lastSize;
          let d = inn - 2;
          for (; d >= 0; d--) {
            iIdx[d]++; p += innerStrides[d];
            if (iIdx[d] < innerShape[d]) break;
            iIdx[d] = 0; p -= innerStrides[d] * innerShape[d];
          }
          if (d < 0) break;
        }
        for (let o = 0; o < outerN; o++) { const acc = accs[o]; out[o] = ${result}; }
        return;
      }
    }`
      : '';
  const src = `
    const on = outerShape.length, inn = innerShape.length;
    let outerN = 1; for (let d = 0; d < on; d++) outerN *= outerShape[d];
    let innerN = 1; for (let d = 0; d < inn; d++) innerN *= innerShape[d];
    const oIdx = new Int32Array(on), iIdx = new Int32Array(inn);
    const lastSize = inn > 0 ? innerShape[inn - 1] : 1, lastStride = inn > 0 ? innerStrides[inn - 1] : 0;
    ${rowPath}
    let base = offset;
    for (let o = 0; o < outerN; o++) {
      let acc = ${init}; ${extraInit}
      let p = base, k = 0;
      if (innerN > 0) {
        for (;;) {
          for (let j = 0; j < lastSize; j++, k++, p += lastStride) { const x = a[p]; ${update} }
          p -= lastStride * lastSize;
          let d = inn - 2;
          for (; d >= 0; d--) {
            iIdx[d]++; p += innerStrides[d];
            if (iIdx[d] < innerShape[d]) break;
            iIdx[d] = 0; p -= innerStrides[d] * innerShape[d];
          }
          if (d < 0) break;
        }
      }
      out[o] = ${result};
      for (let d = on - 1; d >= 0; d--) {
        oIdx[d]++; base += outerStrides[d];
        if (oIdx[d] < outerShape[d]) break;
        oIdx[d] = 0; base -= outerStrides[d] * outerShape[d];
      }
    }`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the reduction loop compiled once per expression (monomorphic loops)
  return new Function('out', 'a', 'offset', 'outerShape', 'outerStrides', 'innerShape', 'innerStrides', src) as ReduceKernel;
}

/** The built-in reductions. NaN propagates through max/min like PyTorch. */
export const reduceKernels = {
  sum: compileReduce('0', 'acc += x;', 'acc'),
  prod: compileReduce('1', 'acc *= x;', 'acc'),
  max: compileReduce('-Infinity', 'if (x > acc || x !== x) acc = x;', 'acc'),
  min: compileReduce('Infinity', 'if (x < acc || x !== x) acc = x;', 'acc'),
  argmax: compileReduce('-Infinity', 'if (x > acc || (x !== x && acc === acc)) { acc = x; best = k; }', 'best', 'let best = 0;'),
  argmin: compileReduce('Infinity', 'if (x < acc || (x !== x && acc === acc)) { acc = x; best = k; }', 'best', 'let best = 0;'),
  any: compileReduce('0', 'if (x) { acc = 1; }', 'acc'),
  all: compileReduce('1', 'if (!x) { acc = 0; }', 'acc'),
};
