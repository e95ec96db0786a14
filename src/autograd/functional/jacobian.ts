/**
 * `jacobian` and `hessian` of the functional API, with `torch.autograd.functional`'s result
 * shapes: the Jacobian of an output of shape O with respect to an input of shape I has shape
 * O ++ I. Row by row in reverse mode (one backward per output element) or column by column in
 * forward mode (the double-vjp trick); with `vectorize: true`, many rows or columns per batched
 * pass (vectorized.ts).
 * @module
 */
import { bool, nullable, num, oneOf } from '../args.js';
import { AutogradError, ValueError, fmtShape } from '../errors.js';
import { zeros } from '../ops/creation.js';
import { stack } from '../ops/shape.js';
import { Tensor } from '../tensor.js';
import {
  callFunction,
  checkFloat,
  checkFunction,
  finish,
  prepareInputs,
  readOptions,
  readTensors,
  vectorJacobian,
  type Tensors,
  type Tuple,
} from './common.js';
import { jvpCore } from './products.js';
import { vectorizedBlocks } from './vectorized.js';

/** How the Jacobian is computed. */
export type JacobianStrategy = 'reverse-mode' | 'forward-mode';

/** Options of {@link jacobian}. */
export interface JacobianOptions {
  /** Record the computation, so the Jacobian can be differentiated again (default false). */
  createGraph?: boolean;
  /** Throw an `AutogradError` when an output does not depend on an input, instead of a block of zeros (default false). */
  strict?: boolean;
  /**
   * Compute many rows (columns in forward mode) per pass, as PyTorch does with `vmap` (default
   * false: one backward pass per row). The backward pass is recorded once and replayed on a stack
   * of unit vectors, each primitive running on the whole stack by its batching rule (the few
   * without one, such as the fused LSTM/GRU kernels, run per row inside the pass). Same result
   * to rounding; much faster for many rows. A function whose graph holds a custom `Function` or
   * whose backward runs an in-place op throws a `NotImplementedError` (use `false`).
   */
  vectorize?: boolean;
  /**
   * With `vectorize: true`, how many rows (or columns) each batched pass computes, like
   * `torch.func.jacrev`'s `chunk_size`: an integer ≥ 1, or null (the default) for all at once.
   * Smaller chunks use less memory. Given with `vectorize: false` it is a `ValueError` (that path
   * computes one row per pass).
   */
  chunkSize?: number | null;
  /**
   * `'reverse-mode'` (default): rows, one per output element, best when outputs are fewer than
   * inputs. `'forward-mode'`: columns, one Jacobian-vector product per input element (by the
   * double-vjp trick), best when inputs are fewer. PyTorch requires `vectorize: true` for forward
   * mode; here either works (`vectorize: false` computes the columns one at a time).
   */
  strategy?: JacobianStrategy;
}

/** Options of {@link hessian}. */
export interface HessianOptions {
  /** Record the computation, so the Hessian can be differentiated again (default false). */
  createGraph?: boolean;
  /** Throw an `AutogradError` when the gradient does not depend on an input (default false). */
  strict?: boolean;
  /** Compute the outer Jacobian's rows in batched passes (see {@link JacobianOptions.vectorize}); default false. */
  vectorize?: boolean;
  /** Rows per batched pass with `vectorize: true` (see {@link JacobianOptions.chunkSize}); null (default) for all at once. */
  chunkSize?: number | null;
  /** The strategy of the outer Jacobian (the one of the gradient), as {@link JacobianOptions.strategy}. */
  outerJacobianStrategy?: JacobianStrategy;
}

const STRATEGY = oneOf(['reverse-mode', 'forward-mode'] as const);
const CHUNK_SIZE = nullable(num({ min: 1, integer: true }));
const JACOBIAN_SPEC = { createGraph: bool, strict: bool, vectorize: bool, chunkSize: CHUNK_SIZE, strategy: STRATEGY } as const;
const HESSIAN_SPEC = { createGraph: bool, strict: bool, vectorize: bool, chunkSize: CHUNK_SIZE, outerJacobianStrategy: STRATEGY } as const;

/** The Jacobian blocks of a function: `[output][input]`, each of shape `O ++ I`. */
type JacobianBlocks = Tensor[][];

/** How rows are batched: null for one per pass, else rows per batched pass (null: all). */
type Batching = { chunkSize: number | null } | null;

function batchingOf(op: string, vectorize: boolean | undefined, chunkSize: number | null | undefined): Batching {
  if (vectorize) return { chunkSize: chunkSize ?? null };
  if (chunkSize !== undefined && chunkSize !== null) {
    throw new ValueError(
      `${op}: chunkSize = ${chunkSize} needs vectorize: true (chunks are rows of one batched pass; with vectorize: false each row is its own pass)`,
    );
  }
  return null;
}

/** A one-hot tensor of `shape` with a 1 at flat position `e`. */
function oneHot(shape: readonly number[], dtype: Tensor['dtype'], e: number): Tensor {
  const t = zeros(shape, { dtype });
  t._storage.data[e] = 1;
  return t;
}

/** Stacks `parts` (each of shape `inner`) along `at` and reshapes to `outer ++ inner` order. */
function assemble(
  parts: Tensor[],
  outShape: readonly number[],
  inShape: readonly number[],
  dtype: Tensor['dtype'],
  rowsFirst: boolean,
): Tensor {
  const full = [...outShape, ...inShape];
  if (parts.length === 0) return zeros(full, { dtype });
  const stacked = rowsFirst ? stack(parts, 0) : stack(parts, parts[0]!.ndim);
  return stacked.reshape(full);
}

/** All blocks `[k][i]` of the Jacobian of `outs` with respect to `prepared`. @internal */
function jacobianBlocks(
  op: string,
  outs: readonly Tensor[],
  prepared: readonly Tensor[],
  createGraph: boolean,
  strict: boolean,
  strategy: JacobianStrategy,
  batching: Batching = null,
): JacobianBlocks {
  if (batching !== null) return vectorizedBlocks(op, outs, prepared, createGraph, strict, strategy, batching.chunkSize);
  const blocks: JacobianBlocks = outs.map(() => prepared.map(() => null as unknown as Tensor));
  if (strategy === 'reverse-mode') {
    outs.forEach((out, k) => {
      const rows: Tensor[][] = prepared.map(() => []);
      for (let e = 0; e < out.numel(); e++) {
        const g = vectorJacobian(op, [out], [oneHot(out.shape, out.dtype, e)], prepared, {
          createGraph,
          strict,
          retainGraph: true,
          what: `output ${k} of the function`,
        });
        g.forEach((gi, i) => rows[i]!.push(gi));
      }
      prepared.forEach((inp, i) => {
        blocks[k]![i] = assemble(rows[i]!, out.shape, inp.shape, out.dtype, true);
      });
    });
    return blocks;
  }
  prepared.forEach((inp, i) => {
    const cols: Tensor[][] = outs.map(() => []);
    for (let e = 0; e < inp.numel(); e++) {
      const tangent = prepared.map((p, j) => (j === i ? oneHot(p.shape, p.dtype, e) : zeros(p.shape, { dtype: p.dtype })));
      const d = jvpCore(op, outs, prepared, tangent, createGraph, strict);
      d.forEach((dk, k) => cols[k]!.push(dk));
    }
    outs.forEach((out, k) => {
      blocks[k]![i] = assemble(cols[k]!, out.shape, inp.shape, out.dtype, false);
    });
  });
  return blocks;
}

/** Nests the blocks as PyTorch does: a Tensor, an array per input or output, or an array of arrays. */
function nest(blocks: JacobianBlocks, outTuple: boolean, inTuple: boolean): Tensor | Tensor[] | Tensor[][] {
  if (outTuple && inTuple) return blocks;
  if (outTuple) return blocks.map((row) => row[0]!);
  if (inTuple) return blocks[0]!;
  return blocks[0]![0]!;
}

/** The structure of a Jacobian: a Tensor, an array (one side a tuple), or an array of arrays. */
export type JacobianOf<I, O> = O extends Tensor ? (I extends Tensor ? Tensor : Tensor[]) : I extends Tensor ? Tensor[] : Tensor[][];

/** Arguments after `inputs`: options, or PyTorch's positional `createGraph, strict, vectorize, strategy`. */
export type JacobianArgs =
  [options?: JacobianOptions] | [createGraph: boolean, strict?: boolean, vectorize?: boolean, strategy?: JacobianStrategy];

/**
 * The Jacobian of `fn` at `inputs`, like `torch.autograd.functional.jacobian`: for an output of
 * shape O and an input of shape I, a tensor of shape O ++ I. With several inputs (an array) the
 * result is an array per input; with several outputs, an array per output; with both, an array of
 * arrays `[output][input]`.
 * @example
 * ```ts
 * const A = tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
 * const J = autograd.functional.jacobian((x) => A.matmul(x), tensor([1, 1], { dtype: 'float64' }));
 * J; // A itself: shape [3, 2]
 * // The same, all rows in one batched pass (or chunkSize rows per pass):
 * autograd.functional.jacobian((x) => A.matmul(x), tensor([1, 1], { dtype: 'float64' }), { vectorize: true, chunkSize: 2 });
 * ```
 */
export function jacobian<I extends Tensors, O extends Tensor | readonly Tensor[]>(
  fn: (...inputs: Tensor[]) => O,
  inputs: I,
  ...rest: JacobianArgs
): JacobianOf<I, O> {
  const op = 'autograd.functional.jacobian';
  const forms = `${op}(fn, inputs), ${op}(fn, inputs, { createGraph, strict, vectorize, chunkSize, strategy }) or ${op}(fn, inputs, createGraph, strict, vectorize, strategy)`;
  const o = readOptions(op, rest, JACOBIAN_SPEC, ['createGraph', 'strict', 'vectorize', 'strategy'], forms);
  const batching = batchingOf(op, o.vectorize, o.chunkSize);
  checkFunction(op, fn);
  const createGraph = o.createGraph ?? false;
  const ins = readTensors(op, 'inputs', inputs);
  checkFloat(op, ins);
  const prepared = prepareInputs(ins, createGraph);
  const outs = callFunction(op, fn, prepared);
  const blocks = jacobianBlocks(op, outs.tensors, prepared, createGraph, o.strict ?? false, o.strategy ?? 'reverse-mode', batching);
  return nest(
    blocks.map((row) => finish(row, createGraph)),
    outs.isTuple,
    ins.isTuple,
  ) as JacobianOf<I, O>;
}

/** Arguments after `inputs`: options, or PyTorch's positional `createGraph, strict, vectorize, outerJacobianStrategy`. */
export type HessianArgs =
  [options?: HessianOptions] | [createGraph: boolean, strict?: boolean, vectorize?: boolean, outerJacobianStrategy?: JacobianStrategy];

/**
 * The Hessian of a scalar `fn` (one single-element output) at `inputs`, like
 * `torch.autograd.functional.hessian`: for one input of shape I a tensor of shape I ++ I; for
 * several inputs an array of arrays whose block `[i][j]` has shape Iᵢ ++ Iⱼ.
 * @example
 * ```ts
 * const A = tensor([[1, 2], [0, 3]], { dtype: 'float64' });
 * const H = autograd.functional.hessian((x) => x.dot(A.matmul(x)), tensor([1, -1], { dtype: 'float64' }));
 * H; // A + Aᵀ = [[2, 2], [2, 6]]
 * autograd.functional.hessian((x) => x.dot(A.matmul(x)), tensor([1, -1], { dtype: 'float64' }), { vectorize: true }); // the same, rows batched
 * ```
 */
export function hessian<I extends Tensors>(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: I,
  ...rest: HessianArgs
): I extends Tensor ? Tensor : Tensor[][] {
  const op = 'autograd.functional.hessian';
  const forms = `${op}(fn, inputs), ${op}(fn, inputs, { createGraph, strict, vectorize, chunkSize, outerJacobianStrategy }) or ${op}(fn, inputs, createGraph, strict, vectorize, outerJacobianStrategy)`;
  const o = readOptions(op, rest, HESSIAN_SPEC, ['createGraph', 'strict', 'vectorize', 'outerJacobianStrategy'], forms);
  const batching = batchingOf(op, o.vectorize, o.chunkSize);
  checkFunction(op, fn);
  const createGraph = o.createGraph ?? false;
  const strict = o.strict ?? false;
  const ins: Tuple = readTensors(op, 'inputs', inputs);
  checkFloat(op, ins);
  const prepared = prepareInputs(ins, createGraph);
  const outs = callFunction(op, fn, prepared);
  if (outs.isTuple) throw new AutogradError(`${op}: the function must return a single Tensor, got an array of ${outs.tensors.length}`);
  const out = outs.tensors[0]!;
  if (out.numel() !== 1)
    throw new AutogradError(`${op}: the function must return a single-element Tensor, got shape ${fmtShape(out.shape)}`);
  const scalar = out.reshape([]);
  const [gradient] = jacobianBlocks(op, [scalar], prepared, true, strict, 'reverse-mode');
  const blocks = jacobianBlocks(op, gradient!, prepared, createGraph, strict, o.outerJacobianStrategy ?? 'reverse-mode', batching);
  const result = blocks.map((row) => finish(row, createGraph));
  return (ins.isTuple ? result : result[0]![0]!) as I extends Tensor ? Tensor : Tensor[][];
}
