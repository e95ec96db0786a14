/**
 * `Embedding`: a learnable lookup table.
 * @module
 */
import type { FloatDType } from '../../autograd/dtype.js';
import { ShapeError, fmtShape } from '../../autograd/errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import type { Generator } from '../../autograd/random.js';
import { Tensor } from '../../autograd/tensor.js';
import { zeros } from '../../autograd/ops/creation.js';
import { EMBEDDING_OPTIONS, embedding, paddingIndex, type EmbeddingOptions } from '../functional/embedding.js';
import { bool } from '../../autograd/args.js';
import { parseArgs, signature } from '../args/parse.js';
import { count, device, generator as generatorCheck, paramDType as dtypeCheck, tensor } from '../args/checks.js';

/** `nn.Embedding(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse)`. @internal */
const EMBEDDING_LAYER = signature({
  op: 'Embedding',
  positional: ['numEmbeddings', 'embeddingDim', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'],
  required: 2,
  spec: { numEmbeddings: count, embeddingDim: count, ...EMBEDDING_OPTIONS, dtype: dtypeCheck, generator: generatorCheck, device },
  forms:
    'new nn.Embedding(numEmbeddings, embeddingDim, paddingIdx?, maxNorm?, normType?) or new nn.Embedding(numEmbeddings, embeddingDim, { paddingIdx, maxNorm, normType, dtype, generator, device })',
});

/** `nn.Embedding.from_pretrained(embeddings, freeze, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse)`. @internal */
const FROM_PRETRAINED = signature({
  op: 'Embedding.fromPretrained',
  positional: ['embeddings', 'freeze', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'],
  required: 1,
  spec: { embeddings: tensor, freeze: bool, ...EMBEDDING_OPTIONS },
  forms:
    'nn.Embedding.fromPretrained(embeddings, freeze?, paddingIdx?, maxNorm?, normType?) or nn.Embedding.fromPretrained(embeddings, { freeze, paddingIdx, maxNorm, normType })',
});
import { normal_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { paramDType } from './linear.js';

/** Options of {@link Embedding}. */
export interface EmbeddingLayerOptions extends EmbeddingOptions {
  /** dtype of the weight (default float32). */
  dtype?: FloatDType;
  /** PyTorch's device: only `'cpu'` (others throw NotImplementedError). */
  device?: 'cpu' | null;
  /** Generator for the initial values. */
  generator?: Generator;
}

/**
 * A table of `numEmbeddings` vectors of size `embeddingDim`, looked up by int32 indices of any shape
 * (output [...indices.shape, embeddingDim]). The weight is initialised N(0, 1) as PyTorch; the
 * `paddingIdx` row is zero and receives no gradient.
 * @example
 * ```ts
 * const emb = new nn.Embedding(1000, 64, { paddingIdx: 0 });
 * emb.call(tensor([[1, 5, 0]], { dtype: 'int32' })); // shape [1, 3, 64]
 * ```
 */
export class Embedding extends Module<[Tensor], Tensor> {
  /** Number of rows. */
  readonly numEmbeddings: number;
  /** Size of each row. */
  readonly embeddingDim: number;
  /** The padding row (normalised to be non-negative), or null. */
  readonly paddingIdx: number | null;
  /** Max norm of looked-up rows, or null. */
  readonly maxNorm: number | null;
  /** The p of the norm for `maxNorm`. */
  readonly normType: number;
  /** The table, shape [numEmbeddings, embeddingDim]. */
  weight: Parameter;

  /** Creates the table with N(0, 1) values (zero padding row). */
  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingLayerOptions);
  /** PyTorch's positional form: `new nn.Embedding(1000, 64, 0)` has padding row 0. */
  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    paddingIdx?: number | null,
    maxNorm?: number | null,
    normType?: number,
    options?: EmbeddingLayerOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const options = parseArgs(EMBEDDING_LAYER, args);
    const numEmbeddings = options.numEmbeddings!;
    const embeddingDim = options.embeddingDim!;
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIndex('Embedding', options.paddingIdx, numEmbeddings);
    this.maxNorm = options.maxNorm ?? null;
    this.normType = options.normType ?? 2;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: paramDType('Embedding', options.dtype) }));
    this.resetParameters(options.generator);
  }

  /**
   * An embedding whose weight is `embeddings` ([num, dim], shared, not copied); frozen (no gradient)
   * unless `freeze` is false.
   */
  static fromPretrained(embeddings: Tensor, options?: EmbeddingOptions & { freeze?: boolean }): Embedding;
  /** PyTorch's positional form: `nn.Embedding.fromPretrained(w, false)` is trainable. */
  static fromPretrained(
    embeddings: Tensor,
    freeze?: boolean,
    paddingIdx?: number | null,
    maxNorm?: number | null,
    normType?: number,
  ): Embedding;
  static fromPretrained(...args: unknown[]): Embedding {
    const embeddings = args[0] as Tensor;
    const options = (embeddings instanceof Tensor ? parseArgs(FROM_PRETRAINED, args) : {}) as EmbeddingOptions & { freeze?: boolean };
    if (!(embeddings instanceof Tensor) || embeddings.ndim !== 2) {
      throw new ShapeError(
        `Embedding.fromPretrained: embeddings must be a 2-d tensor, got ${embeddings instanceof Tensor ? fmtShape(embeddings.shape) : typeof embeddings}`,
      );
    }
    const [num, dim] = embeddings.shape as [number, number];
    const emb = new Embedding(0, dim, { dtype: embeddings.dtype === 'float64' ? 'float64' : 'float32' });
    const e = emb as unknown as { numEmbeddings: number; paddingIdx: number | null; maxNorm: number | null; normType: number };
    e.numEmbeddings = num;
    e.paddingIdx = paddingIndex('Embedding.fromPretrained', options.paddingIdx, num);
    e.maxNorm = options.maxNorm ?? null;
    e.normType = options.normType ?? 2;
    emb.weight = new Parameter(embeddings.detach(), options.freeze === false);
    return emb;
  }

  /** Redraws the weight from N(0, 1) and zeroes the padding row. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    if (this.paddingIdx !== null) noGrad(() => this.weight.select(0, this.paddingIdx!).fill_(0));
  }

  /** Looks up the rows. */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, paddingIdx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, maxNorm=${this.maxNorm}`;
    return s;
  }
}
