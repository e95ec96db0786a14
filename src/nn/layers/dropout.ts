/**
 * `Dropout`: inverted dropout in training mode, identity in eval mode.
 * @module
 */
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { DROPOUT_OPTIONS, dropout } from '../functional/dropout.js';
import { autoSignature, parseArgs } from '../args/parse.js';

const DROPOUT_LAYER = autoSignature('Dropout', 'new nn.Dropout', ['p', 'inplace'], DROPOUT_OPTIONS);
import { Module } from '../module.js';

/**
 * During training zeroes each element with probability `p` (default 0.5) and scales the rest by
 * `1 / (1 − p)`; after `eval()` it returns its input. Masks come from the global generator (seed it
 * with `manualSeed`) or `options.generator`.
 * @example
 * ```ts
 * const drop = new nn.Dropout(0.2);
 * drop.call(x);          // training: about 20% zeros
 * drop.eval().call(x);   // x unchanged
 * ```
 */
export class Dropout extends Module<[Tensor], Tensor> {
  /** Probability of zeroing an element. */
  readonly p: number;
  /** Modify the input in place (PyTorch's `inplace=True`). */
  readonly inplace: boolean;
  /** The generator for masks, if not the global one. */
  generator: Generator | undefined;

  /** Creates the layer; `p` must be in [0, 1]. */
  constructor(p?: number, options?: { inplace?: boolean; generator?: Generator });
  /** PyTorch's positional form `nn.Dropout(p, inplace)`. */
  constructor(p: number | undefined, inplace: boolean, options?: { generator?: Generator });
  /** Options only: `new nn.Dropout({ p: 0.2 })`. */
  constructor(options: { p?: number; inplace?: boolean; generator?: Generator });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs(DROPOUT_LAYER, args);
    this.p = o.p ?? 0.5;
    this.inplace = o.inplace ?? false;
    this.generator = o.generator;
  }

  /** Applies dropout when training. */
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, inplace: this.inplace, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}${this.inplace ? ', inplace=true' : ''}`;
  }
}
