/**
 * The signatures of `nn.init`: PyTorch's positional order after the tensor, and the option checks.
 * @module
 */
import { camelCase, oneOf, type Check } from '../autograd/args.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { autoSignature, parseArgs, type Signature } from './args/parse.js';
import { finite, finiteOrNull, generator, nonNegative } from './args/checks.js';
import { describe } from '../autograd/args.js';

const NONLINEARITIES = [
  'linear',
  'identity',
  'conv1d',
  'conv2d',
  'conv3d',
  'convTranspose1d',
  'convTranspose2d',
  'convTranspose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'selu',
] as const;

/** A non-linearity name, camelCase or PyTorch's snake_case (`'leaky_relu'`). @internal */
export const nonlinearity: Check<(typeof NONLINEARITIES)[number]> = (op, key, v) => {
  const camel = typeof v === 'string' ? camelCase(v) : v;
  return oneOf(NONLINEARITIES)(op, key, (NONLINEARITIES as readonly unknown[]).includes(camel) ? camel : v);
};

/** Kaiming's fan mode, camelCase or PyTorch's snake_case (`'fan_out'`). @internal */
const fanMode: Check<'fanIn' | 'fanOut'> = (op, key, v) => {
  const camel = typeof v === 'string' ? camelCase(v) : v;
  return oneOf(['fanIn', 'fanOut'] as const)(op, key, camel === 'fanIn' || camel === 'fanOut' ? camel : v);
};

const sig = <S extends Parameters<typeof autoSignature>[3]>(
  name: string,
  positional: readonly (keyof S & string)[],
  spec: S,
  required = 0,
): Signature<S> => autoSignature(`nn.init.${name}`, `nn.init.${name}`, positional, spec, required, ['tensor']);

/** The signatures of the initialisers. @internal */
export const INIT = {
  uniform_: sig('uniform_', ['a', 'b', 'generator'], { a: finite, b: finite, generator }),
  normal_: sig('normal_', ['mean', 'std', 'generator'], { mean: finite, std: nonNegative, generator }),
  constant_: sig('constant_', ['val'], { val: finite }, 1),
  noArgs: (name: string) => sig(name, [], {}),
  xavierUniform_: sig('xavierUniform_', ['gain', 'generator'], { gain: finite, generator }),
  xavierNormal_: sig('xavierNormal_', ['gain', 'generator'], { gain: finite, generator }),
  kaimingUniform_: sig('kaimingUniform_', ['a', 'mode', 'nonlinearity', 'generator'], {
    a: finite,
    mode: fanMode,
    nonlinearity,
    generator,
  }),
  kaimingNormal_: sig('kaimingNormal_', ['a', 'mode', 'nonlinearity', 'generator'], { a: finite, mode: fanMode, nonlinearity, generator }),
  truncNormal_: sig('truncNormal_', ['mean', 'std', 'a', 'b', 'generator'], { mean: finite, std: finite, a: finite, b: finite, generator }),
  orthogonal_: sig('orthogonal_', ['gain', 'generator'], { gain: finite, generator }),
  calculateGain: autoSignature(
    'nn.init.calculateGain',
    'nn.init.calculateGain',
    ['nonlinearity', 'param'],
    { nonlinearity, param: finiteOrNull },
    1,
  ),
};

/** Checks the tensor an initialiser fills, then parses the rest of its arguments. @internal */
export function initArgs<S extends Parameters<typeof autoSignature>[3]>(sigOf: Signature<S>, t: unknown, args: readonly unknown[]) {
  if (!(t instanceof Tensor))
    throw new ArgumentTypeError(`${sigOf.op}: the tensor to fill must be a Tensor, got ${describe(t)}; accepted forms: ${sigOf.forms}`);
  return parseArgs(sigOf, args);
}
