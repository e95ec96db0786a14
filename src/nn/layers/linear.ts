/**
 * `Linear`: the fully connected layer `y = x·Wᵀ + b`.
 * @module
 */
import type { FloatDType } from '../../autograd/dtype.js';
import { DTypeError } from '../../autograd/errors.js';
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { zeros } from '../../autograd/ops/creation.js';
import { linear } from '../functional/linear.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { bool } from '../../autograd/args.js';
import { parseArgs, signature } from '../args/parse.js';
import { count, device, generator, paramDType as dtypeCheck } from '../args/checks.js';
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
  /** PyTorch's device: only `'cpu'` (where tapegrad keeps everything); others throw NotImplementedError. */
  device?: 'cpu' | null;
}

/** The options every parameterised layer takes: `bias`, `dtype`, `generator`, and PyTorch's `device` (only 'cpu'). @internal */
export const LAYER_OPTIONS = { bias: bool, dtype: dtypeCheck, generator, device } as const;

/** `nn.Linear(in_features, out_features, bias=True)`. @internal */
export const LINEAR = signature({
  op: 'Linear',
  positional: ['inFeatures', 'outFeatures', 'bias'],
  required: 2,
  spec: { inFeatures: count, outFeatures: count, ...LAYER_OPTIONS },
  forms: 'new nn.Linear(inFeatures, outFeatures, bias?, { bias, dtype, generator, device }?)',
});

/** Validates a parameter dtype. @internal */
export function paramDType(op: string, dtype: string | undefined): FloatDType {
  const d = dtype ?? 'float32';
  if (d !== 'float32' && d !== 'float64') throw new DTypeError(`${op}: parameters must be float32 or float64, got ${d}`);
  return d;
}

/**
 * A layer's zero-filled weight of `weightShape` and bias of [`biasSize`] (null with `bias: false`),
 * in the validated parameter dtype; the caller initialises them.
 * @internal
 */
export function weightAndBias(
  op: string,
  weightShape: number[],
  biasSize: number,
  options: LayerOptions,
): { weight: Parameter; bias: Parameter | null } {
  const dtype = paramDType(op, options.dtype);
  const weight = new Parameter(zeros(weightShape, { dtype }));
  const bias = options.bias === false ? null : new Parameter(zeros([biasSize], { dtype }));
  return { weight, bias };
}

/**
 * PyTorch's `reset_parameters` of Linear and the conv layers: Kaiming-uniform (a = √5) weight,
 * U(±1/√fanIn) bias.
 * @internal
 */
export function resetKaimingUniform(weight: Parameter, bias: Parameter | null, generator: Generator | undefined): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, { generator });
  }
}

/**
 * Applies `y = x·Wᵀ + b` to inputs of shape [..., inFeatures]. The weight is stored [outFeatures,
 * inFeatures] as in PyTorch and initialised the same way: Kaiming-uniform with a = √5 (that is
 * U(−1/√in, 1/√in)), and the bias U(−1/√in, 1/√in).
 * @example
 * ```ts
 * const fc = new nn.Linear(784, 10);
 * fc.call(randn([32, 784])); // shape [32, 10]
 * new nn.Linear(784, 10, false); // no bias, as PyTorch's nn.Linear(784, 10, False)
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
  constructor(inFeatures: number, outFeatures: number, options?: LayerOptions);
  /** PyTorch's positional form: `new nn.Linear(784, 10, false)` has no bias. */
  constructor(inFeatures: number, outFeatures: number, bias?: boolean, options?: LayerOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs(LINEAR, args);
    this.inFeatures = o.inFeatures!;
    this.outFeatures = o.outFeatures!;
    ({ weight: this.weight, bias: this.bias } = weightAndBias('Linear', [this.outFeatures, this.inFeatures], this.outFeatures, o));
    this.resetParameters(o.generator);
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    resetKaimingUniform(this.weight, this.bias, generator);
  }

  /** `x·Wᵀ + b`. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
