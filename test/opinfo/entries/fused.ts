/**
 * OpInfo entries of the fused primitives: nn.functional.crossEntropy on its fused path (logits
 * [N, C], int32 class indices [N], no weight, smoothing or ignored targets), which runs
 * crossEntropyIndices forward and crossEntropyIndicesBackward in its gradient (gradgradcheck
 * differentiates that one). The reference is a float64 log-sum-exp loop, independent of src/.
 * @module
 */
import * as fc from 'fast-check';
import { DTypeError, IndexError, ShapeError } from '../../../src/autograd/errors.js';
import { tensor, zeros } from '../../../src/index.js';
import { crossEntropy } from '../../../src/nn/functional/loss.js';
import { floatInput, intInput } from '../arb.js';
import { ref } from '../ref.js';
import { opInfo, type AnyOpInfo } from '../types.js';

interface CEArgs {
  reduction: 'mean' | 'sum' | 'none' | undefined;
}

/** Per-sample −log softmax(x_i)[t_i] in float64: log Σ_j e^(x_ij) − x_i,t_i, with the row max shifted out. */
function crossEntropyRef(x: Float64Array, t: Float64Array, n: number, c: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, x[i * c + j]!);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(x[i * c + j]! - m);
    out.push(m + Math.log(s) - x[i * c + t[i]!]!);
  }
  return out;
}

/** The fused family. @internal */
export const fusedEntries: AnyOpInfo[] = [
  opInfo<CEArgs>({
    name: 'nn.functional.crossEntropy',
    op: ([x, t], { reduction }) => crossEntropy(x!, t!, reduction === undefined ? {} : { reduction }),
    sample: fc
      .record({
        n: fc.integer({ min: 1, max: 4 }),
        c: fc.integer({ min: 1, max: 4 }),
        reduction: fc.constantFrom<CEArgs['reduction']>(undefined, 'mean', 'sum', 'none'),
      })
      .chain(({ n, c, reduction }) =>
        fc.record({
          inputs: fc.tuple(
            floatInput([n, c], { min: -4, max: 4 }),
            intInput([n], 0, c - 1).map((s) => ({ ...s, requiresGrad: false })),
          ),
          args: fc.constant({ reduction }),
        }),
      ),
    reference: ([x, t], { reduction }) => {
      const [n, c] = x!.shape as [number, number];
      const per = crossEntropyRef(x!.data, t!.data, n, c);
      if (reduction === 'none') return ref([n], per, x!.dtype);
      const total = per.reduce((a, b) => a + b, 0);
      return ref([], [reduction === 'sum' ? total : total / n], x!.dtype);
    },
    differentiable: [true, false],
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'a class index out of range',
        call: () => crossEntropy(zeros([2, 3]), tensor([0, 3], { dtype: 'int32' })),
        error: IndexError,
        message: /^crossEntropy: target 3 is out of bounds for 3 classes \(at flat index 1/,
      },
      {
        name: 'float class indices',
        call: () => crossEntropy(zeros([2, 3]), tensor([0, 1])),
        error: DTypeError,
        message: /^crossEntropy: class-index targets must be int32, got float32/,
      },
      {
        name: 'a target of the wrong length',
        call: () => crossEntropy(zeros([2, 3]), tensor([0, 1, 2], { dtype: 'int32' })),
        error: ShapeError,
        message: /^crossEntropy: class-index target of shape \[3\] does not fit input \[2, 3\]/,
      },
    ],
  }),
];
