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
import { features, weightAndBias, type LayerOptions } from './linear.js';

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
  constructor(in1Features: number, in2Features: number, outFeatures: number, options: LayerOptions = {}) {
    super();
    this.in1Features = features('Bilinear', 'in1Features', in1Features);
    this.in2Features = features('Bilinear', 'in2Features', in2Features);
    this.outFeatures = features('Bilinear', 'outFeatures', outFeatures);
    ({ weight: this.weight, bias: this.bias } = weightAndBias('Bilinear', [outFeatures, in1Features, in2Features], outFeatures, options));
    this.resetParameters(options.generator);
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
