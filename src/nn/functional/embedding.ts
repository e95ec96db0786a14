/**
 * `embedding` of `nn.functional`: a lookup table indexed by int32 ids.
 * @module
 */
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../../autograd/errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Tensor } from '../../autograd/tensor.js';
import { contiguousData } from '../../autograd/ops/shape.js';
import { floatInput } from './checks.js';
import { nullable, num } from '../../autograd/args.js';
import { parseArgs, signature, unsupported } from '../args/parse.js';
import { finite, integer } from '../args/checks.js';

/** The options of an embedding lookup, shared by `nn.Embedding` and `nn.F.embedding`. @internal */
export const EMBEDDING_OPTIONS = {
  paddingIdx: nullable(integer),
  maxNorm: nullable(num({ min: 0, minExclusive: true })),
  normType: finite,
  scaleGradByFreq: unsupported([false]),
  sparse: unsupported([false], '(sparse gradients) is not implemented in tapegrad'),
} as const;

const EMBEDDING = signature({
  op: 'nn.F.embedding',
  positional: ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'],
  spec: EMBEDDING_OPTIONS,
  forms:
    'nn.F.embedding(indices, weight, paddingIdx?, maxNorm?, normType?) or nn.F.embedding(indices, weight, { paddingIdx, maxNorm, normType })',
});

/** Options of {@link embedding}. */
export interface EmbeddingOptions {
  /** Row whose gradient is always zero (for padding tokens); negative counts from the end. */
  paddingIdx?: number | null;
  /** Rows looked up are renormalised in place to this `normType`-norm when it is larger. */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** PyTorch's gradient scaling by word frequency: only false (the default) is implemented. */
  scaleGradByFreq?: false;
  /** PyTorch's sparse gradients: only false (the default) is implemented. */
  sparse?: false;
}

/** Normalises a padding index against `num` rows. @internal */
export function paddingIndex(op: string, paddingIdx: number | null | undefined, num: number): number | null {
  if (paddingIdx === undefined || paddingIdx === null) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -num || paddingIdx >= num) {
    throw new IndexError(`${op}: paddingIdx ${paddingIdx} is out of range for ${num} embeddings`);
  }
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

/**
 * Looks up rows of `weight` ([num, dim]) at the int32 `indices` (any shape); the result has shape
 * [...indices.shape, dim]. The row `paddingIdx` receives no gradient. An index outside [0, num)
 * throws an IndexError naming it.
 * @example
 * ```ts
 * nn.F.embedding(tensor([[0, 2]], { dtype: 'int32' }), randn([3, 4])); // shape [1, 2, 4]
 * ```
 */
export function embedding(indices: Tensor, weight: Tensor, options?: EmbeddingOptions): Tensor;
/** PyTorch's positional form `F.embedding(input, weight, padding_idx, max_norm, norm_type)`. */
export function embedding(
  indices: Tensor,
  weight: Tensor,
  paddingIdx?: number | null,
  maxNorm?: number | null,
  normType?: number,
  scaleGradByFreq?: false,
  sparse?: false,
): Tensor;
export function embedding(indices: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  const options = parseArgs(EMBEDDING, args);
  if (!(indices instanceof Tensor)) throw new ValueError('embedding: indices must be a Tensor');
  if (indices.dtype !== 'int32') throw new DTypeError(`embedding: indices must be int32, got ${indices.dtype}`);
  floatInput('embedding', weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be 2-d [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  const [num, dim] = weight.shape as [number, number];
  const pad = paddingIndex('embedding', options.paddingIdx, num);
  const ids = contiguousData(indices);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < 0 || v >= num)
      throw new IndexError(`embedding: index ${v} is out of range for ${num} embeddings (indices shape ${fmtShape(indices.shape)})`);
  }
  if (options.maxNorm !== undefined && options.maxNorm !== null) renorm(weight, ids, options.maxNorm, options.normType ?? 2);
  const flat = indices.reshape([-1]);
  let out = weight.indexSelect(0, flat);
  if (pad !== null && weight.requiresGrad) {
    // Same values, but the padding positions read a detached copy, so that row gets no gradient.
    out = out.detach().where(flat.eq(pad).unsqueeze(1), out);
  }
  return out.reshape([...indices.shape, dim]);
}

function renorm(weight: Tensor, ids: ArrayLike<number>, maxNorm: number, p: number): void {
  if (!(maxNorm > 0)) throw new ValueError(`embedding: maxNorm must be positive, got ${maxNorm}`);
  const seen = new Set<number>();
  for (let i = 0; i < ids.length; i++) seen.add(ids[i]!);
  noGrad(() => {
    for (const r of seen) {
      const row = weight.select(0, r);
      const norm = row.norm(p).item();
      if (norm > maxNorm) row.copy_(row.mul(maxNorm / (norm + 1e-7)));
    }
  });
}
