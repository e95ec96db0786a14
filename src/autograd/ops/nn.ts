/**
 * The entry points of the primitives that nn.functional records and that have no public op of
 * their own: the sliding windows `unfold`/`fold` (conv2d, convTranspose2d and the pools are
 * composites of them), the fused cross-entropy at class indices with its gradient, and the fused
 * layer norm. The rules live in prims/conv.ts, prims/fused.ts and prims/layer-norm.ts; like every op, these call `run` (tape.ts), so nn
 * never records a primitive itself.
 * @module
 */
import type { WindowSpec } from '../../kernels/conv.js';
import { empty } from '../prims/common.js';
import { windowOnly } from '../prims/conv.js';
import type { FusedReduction } from '../prims/fused.js';
import { run } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { contiguousData } from './shape.js';

/** Runs the unfold primitive; inputs are validated by the caller (a float [N, C, h, w] tensor). @internal */
export function unfoldPrim(x: Tensor, spec: WindowSpec, padValue = 0): Tensor {
  return run('unfold', [x], { ...windowOnly(spec), padValue });
}

/** Runs the fold primitive; inputs are validated by the caller (a float [N, C·kh·kw, L] tensor). @internal */
export function foldPrim(cols: Tensor, spec: WindowSpec): Tensor {
  return run('fold', [cols], windowOnly(spec));
}

/**
 * Cross-entropy of logits `input` [N, C] at int32 class indices `target` [N] through the fused
 * primitive, or null when the fused path does not apply (other shapes or dtypes, or a target out
 * of [0, C) or equal to `ignoreIndex`): the caller then takes the general path, which also
 * reports bad targets. Weight and label smoothing are the caller's to exclude.
 * @internal
 */
export function crossEntropyIndicesFused(input: Tensor, target: Tensor, reduction: string, ignoreIndex: number): Tensor | null {
  if (input.ndim !== 2 || target.ndim !== 1 || target.dtype !== 'int32' || target.shape[0] !== input.shape[0]) return null;
  if (input.dtype !== 'float32' && input.dtype !== 'float64') return null;
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') return null;
  const c = input.shape[1]!;
  const ids = contiguousData(target);
  // Stryker disable next-line EqualityOperator: i <= ids.length reads undefined, which passes every check, a no-op
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < 0 || v >= c || v === ignoreIndex) return null;
  }
  return run('crossEntropyIndices', [input, target], { reduction });
}

/**
 * Runs the gradient primitive of the fused cross-entropy: the gradient `g` of the loss, mapped to
 * the logits `x` at class indices `t` (softmax minus one-hot, scaled by `g`). The fused rule's
 * backward records it.
 * @internal
 */
export function crossEntropyIndicesBackward(g: Tensor, x: Tensor, t: Tensor, reduction: FusedReduction): Tensor {
  return run('crossEntropyIndicesBackward', [g, x, t], { reduction });
}

/**
 * Layer normalisation through the fused primitive: each run of `size` consecutive elements of `x`
 * (its flattened trailing dims) normalised to mean 0 and variance 1 (biased, plus `eps`), then
 * scaled by `weight` and shifted by `bias` (each with `size` elements, or null). Inputs are
 * validated by the caller (nn.functional.layerNorm): float tensors of one dtype, `size` ≥ 1 dividing
 * the input's element count.
 * @example
 * ```ts
 * layerNormPrim(tensor([[1, 3]]), null, null, 2, 0); // [[-1, 1]]
 * ```
 * @internal
 */
export function layerNormPrim(x: Tensor, weight: Tensor | null, bias: Tensor | null, size: number, eps: number): Tensor {
  // An absent γ or β keeps its place with a placeholder that the rule never reads.
  const placeholder = weight === null || bias === null ? empty([0], x.dtype) : null;
  return run('layerNorm', [x, weight ?? placeholder!, bias ?? placeholder!], { size, eps, weight: weight !== null, bias: bias !== null });
}
