/**
 * Inverted dropout of `nn.functional`.
 * @module
 */
import { ValueError } from '../../autograd/errors.js';
import { defaultGenerator, type Generator } from '../../autograd/random.js';
import { Tensor } from '../../autograd/tensor.js';
import { maybeInplace } from './activation.js';
import { floatInput } from './checks.js';
import { bool } from '../../autograd/args.js';
import { autoSignature, parseArgs } from '../args/parse.js';
import { generator, probability } from '../args/checks.js';

/** The options of dropout, shared by `nn.Dropout` and `nn.F.dropout`. @internal */
export const DROPOUT_OPTIONS = { p: probability, inplace: bool, generator } as const;

const DROPOUT = autoSignature('nn.F.dropout', 'nn.F.dropout', ['p', 'training', 'inplace'], { ...DROPOUT_OPTIONS, training: bool }, 0, [
  'input',
]);

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Apply dropout (default true); when false the input is returned unchanged. */
  training?: boolean;
  /** Write the result into the input and return it (PyTorch's `inplace=True`; default false). */
  inplace?: boolean;
  /** Generator for the mask (default: the global one, seeded by `manualSeed`). */
  generator?: Generator;
}

/** Validates a dropout probability. @internal */
function checkP(op: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1))
    throw new ValueError(`${op}: dropout probability has to be between 0 and 1, but got ${String(p)}`);
  return p;
}

/**
 * Zeroes each element with probability `p` and scales the others by `1 / (1 − p)`, so the expected
 * value is unchanged (inverted dropout). Identity when `training` is false or `p` is 0; all zeros when
 * `p` is 1.
 * @example
 * ```ts
 * nn.F.dropout(x, { p: 0.2, training: true });
 * ```
 */
export function dropout(x: Tensor, options?: DropoutOptions): Tensor;
/** PyTorch's positional form `F.dropout(input, p, training, inplace)`: `nn.F.dropout(x, 0.2)`. */
export function dropout(x: Tensor, p?: number, training?: boolean, inplace?: boolean, options?: DropoutOptions): Tensor;
export function dropout(x: Tensor, ...args: unknown[]): Tensor {
  const options = parseArgs(DROPOUT, args);
  floatInput('dropout', x);
  const p = checkP('dropout', options.p ?? 0.5);
  if (options.training === false || p === 0) return x;
  if (p === 1) return maybeInplace(x, x.mul(0), options.inplace);
  const g = options.generator ?? defaultGenerator;
  const n = x.numel();
  const scale = 1 / (1 - p);
  const mask = x.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) mask[i] = g.random() < p ? 0 : scale;
  return maybeInplace(x, x.mul(Tensor._fromData(mask, x.shape, x.dtype)), options.inplace);
}
