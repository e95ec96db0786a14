/**
 * Reduction loop templates over strided inputs: the reduced dims are iterated innermost.
 * Like the elementwise templates, each reduction is a few expressions compiled once.
 * @module
 */
import type { TypedArray } from '../autograd/dtype.js';

/**
 * A compiled reduction. The input is described as `outer` dims (kept, one output element each)
 * and `inner` dims (reduced), each with sizes and strides into `a`. The output is contiguous.
 */
export type ReduceKernel = (
  out: TypedArray, a: TypedArray, offset: number,
  outerShape: readonly number[], outerStrides: readonly number[],
  innerShape: readonly number[], innerStrides: readonly number[],
) => void;

/**
 * Compiles a reduction from its accumulator initial value, update statement and result.
 * The update sees `x` (the element), `k` (its flat position among the reduced elements) and `acc`.
 * @example
 * ```ts
 * const sum = compileReduce('0', 'acc += x;', 'acc');
 * ```
 */
export function compileReduce(init: string, update: string, result: string, extraInit = ''): ReduceKernel {
  const src = `
    const on = outerShape.length, inn = innerShape.length;
    let outerN = 1; for (let d = 0; d < on; d++) outerN *= outerShape[d];
    let innerN = 1; for (let d = 0; d < inn; d++) innerN *= innerShape[d];
    const oIdx = new Int32Array(on), iIdx = new Int32Array(inn);
    const lastSize = inn > 0 ? innerShape[inn - 1] : 1, lastStride = inn > 0 ? innerStrides[inn - 1] : 0;
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
