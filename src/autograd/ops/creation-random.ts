/**
 * Random tensors: uniform and normal samples, random integers, and their `*Like` forms. Each
 * draws from the `generator` option or the global generator seeded by `manualSeed`.
 * @module
 */
import { instance, parseOptions, splitOptions, describe, checkArity } from '../args.js';
import { checkValueFits, isFloat, type DType } from '../dtype.js';
import { ArgumentTypeError, DTypeError, ValueError } from '../errors.js';
import { defaultGenerator, Generator } from '../random.js';
import { checkShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { TENSOR_OPTIONS, likeArgs, make, numberArg, sizeArgs, trimmed, type SizeArgs, type TensorOptions } from './creation-args.js';

/** Options for random tensors. */
export interface RandomOptions extends TensorOptions {
  /** The generator to draw from (default: the global one seeded by `manualSeed`). */
  generator?: Generator;
}

const RANDOM_OPTIONS = { ...TENSOR_OPTIONS, generator: instance(Generator) } as const;

function randomFloat(
  op: string,
  shape: number[],
  options: unknown,
  forms: string,
  likeDType: DType | undefined,
  sample: (g: Generator) => number,
): Tensor {
  const o = parseOptions(op, options, RANDOM_OPTIONS, { forms });
  const dtype = o.dtype ?? likeDType ?? 'float32';
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const g = o.generator ?? defaultGenerator;
  return make(op, shape, dtype, o.requiresGrad, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = sample(g);
  });
}

function sized(op: string, args: ArrayLike<unknown>, sample: (g: Generator) => number): Tensor {
  const forms = `${op}(2, 3), ${op}([2, 3]) or ${op}(2, 3, { dtype, generator, requiresGrad })`;
  const [shape, options] = sizeArgs(op, args, forms);
  return randomFloat(op, shape, options, forms, undefined, sample);
}

/**
 * Uniform samples from [0, 1); sizes as in PyTorch: `rand(2, 3)` or `rand([2, 3])`, options last.
 * @example
 * ```ts
 * manualSeed(0); rand(2, 2);
 * ```
 */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  return sized('rand', args, (g) => g.random());
}

/**
 * Standard normal samples; sizes as in {@link rand}.
 * @example
 * ```ts
 * randn([3, 4], { generator: new Generator(1) });
 * ```
 */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  return sized('randn', args, (g) => g.normal());
}

const RANDINT_FORMS = 'randint(high, [size]) or randint(low, high, [size]), with an optional { dtype, generator, requiresGrad } last';

/**
 * Uniform integers in [low, high) (int32 by default). As in PyTorch, `low` may be left out
 * (`randint(10, [5])`) and the size is an array.
 * @example
 * ```ts
 * randint(0, 10, [5]);
 * randint(10, [2, 2]);
 * ```
 */
export function randint(
  ...args:
    | [high: number, size: readonly number[], options?: RandomOptions]
    | [low: number, high: number, size: readonly number[], options?: RandomOptions]
): Tensor {
  const [pos, options] = splitOptions(trimmed(args));
  checkArity('randint', pos, 3, RANDINT_FORMS);
  const sizeAt = pos.length - 1;
  const size = pos[sizeAt];
  if (pos.length < 2 || (!Array.isArray(size) && !ArrayBuffer.isView(size))) {
    throw new ArgumentTypeError(
      `randint: the size must be an array, last before the options; got ${pos.length < 2 ? 'no size' : describe(size)}; accepted forms: ${RANDINT_FORMS}`,
    );
  }
  const low = pos.length === 3 ? numberArg('randint', 'low', pos[0], RANDINT_FORMS) : 0;
  const high = numberArg('randint', 'high', pos[sizeAt - 1], RANDINT_FORMS);
  const shape = checkShape('randint', Array.from(size as ArrayLike<number>));
  const o = parseOptions('randint', options, RANDOM_OPTIONS, { forms: RANDINT_FORMS });
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got low=${low} high=${high}`);
  }
  const dtype = o.dtype ?? 'int32';
  checkValueFits('randint', low, dtype);
  checkValueFits('randint', high - 1, dtype);
  const g = o.generator ?? defaultGenerator;
  return make('randint', shape, dtype, o.requiresGrad, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.randint(low, high);
  });
}

/**
 * Standard normal samples with the shape and (float) dtype of `t`.
 * @example
 * ```ts
 * randnLike(x);
 * ```
 */
export function randnLike(t: Tensor, options?: RandomOptions): Tensor {
  const forms = 'randnLike(t) or randnLike(t, { dtype, generator, requiresGrad })';
  likeArgs('randnLike', arguments, 2, forms);
  return randomFloat('randnLike', [...t.shape], options, forms, isFloat(t.dtype) ? t.dtype : 'float32', (g) => g.normal());
}

/**
 * Uniform samples in [0, 1) with the shape and (float) dtype of `t`.
 * @example
 * ```ts
 * randLike(x);
 * ```
 */
export function randLike(t: Tensor, options?: RandomOptions): Tensor {
  const forms = 'randLike(t) or randLike(t, { dtype, generator, requiresGrad })';
  likeArgs('randLike', arguments, 2, forms);
  return randomFloat('randLike', [...t.shape], options, forms, isFloat(t.dtype) ? t.dtype : 'float32', (g) => g.random());
}
