/**
 * `Dropout`: inverted dropout in training mode, identity in eval mode.
 * @module
 */
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { checkP, dropout } from '../functional/dropout.js';
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
  /** The generator for masks, if not the global one. */
  generator: Generator | undefined;

  /** Creates the layer; `p` must be in [0, 1]. */
  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    this.p = checkP('Dropout', p);
    this.generator = options.generator;
  }

  /** Applies dropout when training. */
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
