/**
 * `Bilinear`: `y = x1ᵀ·A·x2 + b`.
 * @module
 */
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { bilinear } from '../functional/linear.js';
import { uniform_ } from '../init.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { parseArgs, signature } from '../args/parse.js';
import { count } from '../args/checks.js';
import { LAYER_OPTIONS, weightAndBias, type LayerOptions } from './linear.js';

/** `nn.Bilinear(in1_features, in2_features, out_features, bias=True)`. @internal */
export const BILINEAR = signature({
  op: 'Bilinear',
  positional: ['in1Features', 'in2Features', 'outFeatures', 'bias'],
  required: 3,
  spec: { in1Features: count, in2Features: count, outFeatures: count, ...LAYER_OPTIONS },
  forms: 'new nn.Bilinear(in1Features, in2Features, outFeatures, bias?, { bias, dtype, generator, device }?)',
});

/**
 * Applies `y[..., k] = x1ᵀ·W[k]·x2 + b[k]` to inputs [..., in1Features] and [..., in2Features].
 * Weight [outFeatures, in1Features, in2Features] and bias are initialised U(−1/√in1, 1/√in1) as PyTorch.
 * @example
 * ```ts
 * const bl = new nn.Bilinear(4, 5, 3);
 * bl.call(randn([8, 4]), randn([8, 5])); // shape [8, 3]
 * ```
 */
export class Bilinear extends Module<[Tensor, Tensor], Tensor> {
  /** Size of each first input sample. */
  readonly in1Features: number;
  /** Size of each second input sample. */
  readonly in2Features: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The weight, shape [outFeatures, in1Features, in2Features]. */
  weight: Parameter;
  /** The bias, shape [outFeatures], or null. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's initialisation. */
  constructor(in1Features: number, in2Features: number, outFeatures: number, options?: LayerOptions);
  /** PyTorch's positional form: `new nn.Bilinear(4, 5, 3, false)` has no bias. */
  constructor(in1Features: number, in2Features: number, outFeatures: number, bias?: boolean, options?: LayerOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs(BILINEAR, args);
    this.in1Features = o.in1Features!;
    this.in2Features = o.in2Features!;
    this.outFeatures = o.outFeatures!;
    ({ weight: this.weight, bias: this.bias } = weightAndBias(
      'Bilinear',
      [this.outFeatures, this.in1Features, this.in2Features],
      this.outFeatures,
      o,
    ));
    this.resetParameters(o.generator);
  }

  /** Draws fresh initial values. */
  resetParameters(generator?: Generator): void {
    const bound = this.in1Features > 0 ? 1 / Math.sqrt(this.in1Features) : 0;
    uniform_(this.weight, -bound, bound, { generator });
    if (this.bias) uniform_(this.bias, -bound, bound, { generator });
  }

  /** `x1ᵀ·W·x2 + b`. */
  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1Features=${this.in1Features}, in2Features=${this.in2Features}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
