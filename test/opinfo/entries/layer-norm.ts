/**
 * OpInfo entry of nn.functional.layerNorm, which runs the fused layerNorm primitive: normalised
 * shapes of one and several trailing dims (size 1 included), with and without γ and β, eps from
 * PyTorch's default to large. The reference is a float64 two-pass loop over the flattened rows,
 * independent of src/.
 * @module
 */
import * as fc from 'fast-check';
import { DTypeError, ShapeError, ValueError } from '../../../src/autograd/errors.js';
import { ones, zeros } from '../../../src/index.js';
import { layerNorm } from '../../../src/nn/functional/norm.js';
import { floatInput, MAX_NUMEL, shapeArb } from '../arb.js';
import { numel, ref } from '../ref.js';
import { opInfo, type AnyOpInfo, type InputSpec } from '../types.js';

interface LayerNormArgs {
  normalizedShape: number[];
  weight: boolean;
  bias: boolean;
  eps: number;
}

const sample = fc
  .record({
    lead: shapeArb({ maxDims: 2 }),
    normalizedShape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
    weight: fc.boolean(),
    bias: fc.boolean(),
    eps: fc.constantFrom(1e-5, 0.1, 1),
  })
  .filter(({ lead, normalizedShape }) => numel([...lead, ...normalizedShape]) <= MAX_NUMEL)
  .chain(({ lead, normalizedShape, weight, bias, eps }) => {
    const inputs: fc.Arbitrary<InputSpec>[] = [floatInput([...lead, ...normalizedShape])];
    if (weight) inputs.push(floatInput(normalizedShape));
    if (bias) inputs.push(floatInput(normalizedShape));
    return fc.record({ inputs: fc.tuple(...inputs), args: fc.constant({ normalizedShape, weight, bias, eps }) });
  });

/** The layer-norm family. @internal */
export const layerNormEntries: AnyOpInfo[] = [
  opInfo<LayerNormArgs>({
    name: 'nn.functional.layerNorm',
    op: (xs, { normalizedShape, weight, bias, eps }) =>
      layerNorm(xs[0]!, normalizedShape, { weight: weight ? xs[1]! : null, bias: bias ? xs[weight ? 2 : 1]! : null, eps }),
    sample,
    reference: (xs, { normalizedShape, weight, bias, eps }) => {
      const x = xs[0]!;
      const n = numel(normalizedShape);
      const w = weight ? xs[1]!.data : null;
      const b = bias ? xs[weight ? 2 : 1]!.data : null;
      const out = new Float64Array(x.data.length);
      for (let r = 0; r * n < x.data.length; r++) {
        const row = Array.from(x.data.subarray(r * n, r * n + n));
        const mean = row.reduce((a, v) => a + v, 0) / n;
        const variance = row.reduce((a, v) => a + (v - mean) * (v - mean), 0) / n;
        row.forEach((v, j) => {
          out[r * n + j] = ((v - mean) / Math.sqrt(variance + eps)) * (w === null ? 1 : w[j]!) + (b === null ? 0 : b[j]!);
        });
      }
      return ref(x.shape, out, x.dtype);
    },
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: [
      {
        name: 'a normalizedShape that is not the trailing shape',
        call: () => layerNorm(zeros([2, 3]), [2]),
        error: ShapeError,
        message: /^layerNorm: expected an input whose last dims are \[2\] \(normalizedShape\), got \[2, 3\]/,
      },
      {
        name: 'a weight of the wrong shape',
        call: () => layerNorm(zeros([2, 3]), [3], { weight: ones([2]) }),
        error: ShapeError,
        message: /^layerNorm: weight must have shape \[3\], got \[2\]/,
      },
      {
        name: 'a bias of another dtype',
        call: () => layerNorm(zeros([2, 3]), [3], { bias: zeros([3], { dtype: 'float64' }) }),
        error: DTypeError,
        message: /^layerNorm: bias dtype float64 does not match the input dtype float32/,
      },
      {
        name: 'a negative eps',
        call: () => layerNorm(zeros([2, 3]), [3], { eps: -1 }),
        error: ValueError,
        message: /eps/,
      },
    ],
  }),
];
