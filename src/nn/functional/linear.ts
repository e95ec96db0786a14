/**
 * `linear` and `bilinear` of `nn.functional`.
 * @module
 */
import { ShapeError, fmtShape } from '../../autograd/errors.js';
import type { Tensor } from '../../autograd/tensor.js';
import { floatInput } from './checks.js';
import { autoSignature, parseArgs } from '../args/parse.js';
import { tensorOrNull } from '../args/checks.js';

const LINEAR = autoSignature('nn.F.linear', 'nn.F.linear', ['bias'], { bias: tensorOrNull }, 0, ['input', 'weight']);
const BILINEAR = autoSignature('nn.F.bilinear', 'nn.F.bilinear', ['bias'], { bias: tensorOrNull }, 0, ['input1', 'input2', 'weight']);

/**
 * `x · weightᵀ + bias`, with `weight` of shape [out, in] (as PyTorch) and `x` of shape [..., in].
 * @example
 * ```ts
 * nn.F.linear(randn([5, 3]), randn([2, 3]), zeros([2])); // shape [5, 2]
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null | { bias?: Tensor | null }): Tensor {
  const o = parseArgs(LINEAR, Array.prototype.slice.call(arguments, 2));
  return linearChecked(x, weight, o.bias);
}

function linearChecked(x: Tensor, weight: Tensor, bias: Tensor | null | undefined): Tensor {
  floatInput('linear', x);
  floatInput('linear', weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be 2-d [outFeatures, inFeatures], got ${fmtShape(weight.shape)}`);
  const [outF, inF] = weight.shape as [number, number];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError(
      `linear: input of shape ${fmtShape(x.shape)} does not end in inFeatures=${inF} (weight ${fmtShape(weight.shape)})`,
    );
  }
  if (bias !== undefined && bias !== null) {
    floatInput('linear', bias, 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== outF)
      throw new ShapeError(`linear: bias must have shape [${outF}], got ${fmtShape(bias.shape)}`);
  }
  // Inputs with several leading dims are multiplied as one [rows, in] matrix: one GEMM instead of
  // one per batch position, and the weight's gradient comes out of a single product instead of a
  // per-batch product summed over the batch (and then copied out of its transposed layout).
  if (x.ndim > 2) {
    const lead = x.shape.slice(0, -1);
    const rows = lead.reduce((a, b) => a * b, 1);
    return linear2d(x.reshape([rows, inF]), weight, bias).reshape([...lead, outF]);
  }
  return linear2d(x, weight, bias);
}

/** `x · weightᵀ (+ bias)` for a checked x of 1 or 2 dims. */
function linear2d(x: Tensor, weight: Tensor, bias: Tensor | null | undefined): Tensor {
  const out = x.matmul(weight.T);
  return bias === undefined || bias === null ? out : out.add(bias);
}

/**
 * `y[..., k] = x1ᵀ · weight[k] · x2 + bias[k]`, with `weight` of shape [out, in1, in2], `x1` of
 * shape [..., in1] and `x2` of shape [..., in2] (same leading dims).
 * @example
 * ```ts
 * nn.F.bilinear(randn([4, 2]), randn([4, 3]), randn([5, 2, 3])); // shape [4, 5]
 * ```
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null | { bias?: Tensor | null }): Tensor {
  const o = parseArgs(BILINEAR, Array.prototype.slice.call(arguments, 3));
  return bilinearChecked(x1, x2, weight, o.bias);
}

function bilinearChecked(x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | null | undefined): Tensor {
  floatInput('bilinear', x1, 'input1');
  floatInput('bilinear', x2, 'input2');
  floatInput('bilinear', weight, 'weight');
  if (weight.ndim !== 3) throw new ShapeError(`bilinear: weight must be 3-d [out, in1, in2], got ${fmtShape(weight.shape)}`);
  const [outF, in1, in2] = weight.shape as [number, number, number];
  const lead = x1.shape.slice(0, -1);
  if (
    x1.ndim === 0 ||
    x1.shape[x1.ndim - 1] !== in1 ||
    x2.ndim === 0 ||
    x2.shape[x2.ndim - 1] !== in2 ||
    x2.ndim !== x1.ndim ||
    lead.some((s, i) => s !== x2.shape[i])
  ) {
    throw new ShapeError(
      `bilinear: inputs ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} do not fit weight ${fmtShape(weight.shape)}: ` +
        `expected [..., ${in1}] and [..., ${in2}] with the same leading dims`,
    );
  }
  const n = lead.reduce((a, b) => a * b, 1);
  const a = x1.reshape([n, in1]);
  const b = x2.reshape([n, in2]);
  // [n, in1] · [in1, out·in2] → [n, out, in2], then contract in2 against x2.
  const w = weight.permute(1, 0, 2).reshape([in1, outF * in2]);
  let out = a.matmul(w).reshape([n, outF, in2]).mul(b.unsqueeze(1)).sum(2);
  if (bias !== undefined && bias !== null) {
    floatInput('bilinear', bias, 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== outF)
      throw new ShapeError(`bilinear: bias must have shape [${outF}], got ${fmtShape(bias.shape)}`);
    out = out.add(bias);
  }
  return out.reshape([...lead, outF]);
}
