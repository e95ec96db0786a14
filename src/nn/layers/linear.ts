/**
 * `Linear`: the fully connected layer `y = x·Wᵀ + b`.
 * @module
 */
import type { FloatDType } from '../../autograd/dtype.js';
import { DTypeError, ValueError } from '../../autograd/errors.js';
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { zeros } from '../../autograd/ops/creation.js';
import { linear } from '../functional/linear.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** Options of layers that create parameters. */
export interface LayerOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/** Validates a feature count: a non-negative integer. @internal */
export function features(op: string, name: string, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${op}: ${name} must be a non-negative integer, got ${String(n)}`);
  return n;
}

/** Validates a parameter dtype. @internal */
export function paramDType(op: string, dtype: string | undefined): FloatDType {
  const d = dtype ?? 'float32';
  if (d !== 'float32' && d !== 'float64') throw new DTypeError(`${op}: parameters must be float32 or float64, got ${d}`);
  return d;
}

/**
 * Applies `y = x·Wᵀ + b` to inputs of shape [..., inFeatures]. The weight is stored [outFeatures,
 * inFeatures] as in PyTorch and initialised the same way: Kaiming-uniform with a = √5 (that is
 * U(−1/√in, 1/√in)), and the bias U(−1/√in, 1/√in).
 * @example
 * ```ts
 * const fc = new nn.Linear(784, 10);
 * fc.call(randn([32, 784])); // shape [32, 10]
 * ```
 */
export class Linear extends Module<[Tensor], Tensor> {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The weight, shape [outFeatures, inFeatures]. */
  weight: Parameter;
  /** The bias, shape [outFeatures], or null when created with `bias: false`. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's initialisation. */
  constructor(inFeatures: number, outFeatures: number, options: LayerOptions = {}) {
    super();
    this.inFeatures = features('Linear', 'inFeatures', inFeatures);
    this.outFeatures = features('Linear', 'outFeatures', outFeatures);
    const dtype = paramDType('Linear', options.dtype);
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = options.bias === false ? null : new Parameter(zeros([outFeatures], { dtype }));
    this.resetParameters(options.generator);
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound, { generator });
    }
  }

  /** `x·Wᵀ + b`. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
