/**
 * `Flatten` and `Unflatten`: reshaping layers.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import { normDim } from '../../autograd/shape.js';
import type { Tensor } from '../../autograd/tensor.js';
import { Module } from '../module.js';
import { arrayOf, num } from '../../autograd/args.js';
import { autoSignature, parseArgs } from '../args/parse.js';
import { integer } from '../args/checks.js';

const FLATTEN = autoSignature('Flatten', 'new nn.Flatten', ['startDim', 'endDim'], { startDim: integer, endDim: integer });
const UNFLATTEN = autoSignature(
  'Unflatten',
  'new nn.Unflatten',
  ['dim', 'unflattenedSize'],
  { dim: integer, unflattenedSize: arrayOf(num({ integer: true, min: -1 })) },
  2,
);

/**
 * Flattens dims `startDim..endDim` (defaults 1 and −1, keeping the batch dim) into one.
 * @example
 * ```ts
 * new nn.Flatten().call(zeros([32, 1, 28, 28])); // shape [32, 784]
 * ```
 */
export class Flatten extends Module<[Tensor], Tensor> {
  /** First dim to flatten. */
  readonly startDim: number;
  /** Last dim to flatten. */
  readonly endDim: number;

  /** Creates the layer: `new nn.Flatten(startDim?, endDim?)` or `new nn.Flatten({ startDim, endDim })`. */
  constructor(...args: [startDim?: number, endDim?: number] | [options?: { startDim?: number; endDim?: number }]) {
    super();
    const o = parseArgs(FLATTEN, args);
    this.startDim = o.startDim ?? 1;
    this.endDim = o.endDim ?? -1;
  }

  /** Flattens the dims. */
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Expands dim `dim` into `unflattenedSize` (one entry may be −1); the inverse of {@link Flatten}.
 * @example
 * ```ts
 * new nn.Unflatten(1, [1, 28, 28]).call(zeros([32, 784])); // shape [32, 1, 28, 28]
 * ```
 */
export class Unflatten extends Module<[Tensor], Tensor> {
  /** The dim to expand. */
  readonly dim: number;
  /** The sizes it expands into. */
  readonly unflattenedSize: readonly number[];

  /** Creates the layer: `new nn.Unflatten(dim, unflattenedSize)`. */
  constructor(dim: number, unflattenedSize: readonly number[]);
  /** Options only: `new nn.Unflatten({ dim: 1, unflattenedSize: [1, 28, 28] })`. */
  constructor(options: { dim: number; unflattenedSize: readonly number[] });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs(UNFLATTEN, args);
    const dim = o.dim!;
    const unflattenedSize = o.unflattenedSize!;
    if (unflattenedSize.length === 0) throw new ValueError('Unflatten: unflattenedSize must be a non-empty list of sizes (one may be -1)');
    if (unflattenedSize.filter((s) => s === -1).length > 1)
      throw new ValueError(`Unflatten: only one size may be -1, got ${fmtShape(unflattenedSize)}`);
    this.dim = dim;
    this.unflattenedSize = unflattenedSize.slice();
  }

  /** Expands the dim. */
  forward(x: Tensor): Tensor {
    if (x.ndim === 0) throw new ShapeError('Unflatten: cannot unflatten a 0-d tensor');
    const d = normDim('Unflatten', this.dim, x.ndim);
    const size = x.shape[d]!;
    const known = this.unflattenedSize.reduce((a, s) => (s === -1 ? a : a * s), 1);
    const sizes = this.unflattenedSize.map((s) => (s === -1 ? (known === 0 ? 0 : size / known) : s));
    const prod = sizes.reduce((a, b) => a * b, 1);
    if (prod !== size || sizes.some((s) => !Number.isInteger(s))) {
      throw new ShapeError(
        `Unflatten: cannot unflatten dim ${this.dim} of size ${size} (input ${fmtShape(x.shape)}) into ${fmtShape(this.unflattenedSize)}`,
      );
    }
    return x.reshape([...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=${fmtShape(this.unflattenedSize)}`;
  }
}
