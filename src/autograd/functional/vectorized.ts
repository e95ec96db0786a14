/**
 * The Jacobian blocks of `jacobian(..., { vectorize: true })`: the vector-Jacobian product (reverse
 * mode) or the second pass of the double-vjp trick (forward mode) is recorded once and replayed on
 * `chunkSize` basis vectors at a time by the batching interpreter (batching.ts), instead of one
 * backward pass per row or column.
 * @module
 */
import { enableGrad, noGrad } from '../grad-mode.js';
import { zeros } from '../ops/creation.js';
import { cat, permute, reshape } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { checkBatchable, evaluateBatched, recordTrace, type Trace } from './batching.js';
import { vectorJacobian } from './common.js';

/** How a Jacobian is computed: `reverse-mode` by rows, `forward-mode` by columns. @internal */
export type Strategy = 'reverse-mode' | 'forward-mode';

/** `count` unit vectors of `shape` stacked: `[count, ...shape]`, row r has a 1 at flat position `start + r`. */
function basis(shape: readonly number[], dtype: Tensor['dtype'], start: number, count: number): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  const t = zeros([count, n], { dtype });
  for (let r = 0; r < count; r++) t._storage.data[r * n + start + r] = 1;
  return reshape(t, [count, ...shape]);
}

/**
 * Replays `trace` with leaf `leaf` set to all `n` unit vectors of its shape, `chunk` at a time;
 * returns each output with the `n` results stacked first.
 */
function allUnitVectors(op: string, trace: Trace, leaf: number, n: number, chunk: number, createGraph: boolean): Tensor[] {
  const shape = trace.leaves[leaf]!.shape;
  const dtype = trace.leaves[leaf]!.dtype;
  const parts: Tensor[][] = trace.outputs.map(() => []);
  const mode = createGraph ? enableGrad : noGrad;
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    const leaves = trace.leaves.map((_l, j) => (j === leaf ? basis(shape, dtype, start, count) : null));
    mode(() => evaluateBatched(op, trace, leaves, count)).forEach((r, k) => parts[k]!.push(r));
  }
  return parts.map((p) => (p.length === 1 ? p[0]! : mode(() => cat(p, 0))));
}

/**
 * All blocks `[k][i]` (shape `outs[k].shape ++ prepared[i].shape`) of the Jacobian of `outs` with
 * respect to `prepared`, in batched passes of `chunkSize` rows or columns (null: all at once).
 * @internal
 */
export function vectorizedBlocks(
  op: string,
  outs: readonly Tensor[],
  prepared: readonly Tensor[],
  createGraph: boolean,
  strict: boolean,
  strategy: Strategy,
  chunkSize: number | null,
): Tensor[][] {
  checkBatchable(op, outs);
  const mode = createGraph ? enableGrad : noGrad;
  const full = (o: Tensor, i: Tensor): number[] => [...o.shape, ...i.shape];
  if (strategy === 'reverse-mode') {
    return outs.map((out, k) => {
      const n = out.numel();
      if (n === 0) return prepared.map((inp) => zeros(full(out, inp), { dtype: out.dtype }));
      const probe = zeros(out.shape, { dtype: out.dtype });
      const trace = recordTrace([probe], ([v]) =>
        vectorJacobian(op, [out], [v!], prepared, {
          createGraph,
          recordBackward: true,
          strict,
          retainGraph: true,
          what: `output ${k} of the function`,
        }),
      );
      const rows = allUnitVectors(op, trace, 0, n, chunkSize ?? n, createGraph);
      return prepared.map((inp, i) => mode(() => reshape(rows[i]!, full(out, inp))));
    });
  }
  // Forward mode: g(u) = Jᵀu is recorded with u as a leaf; the vjp of g with a tangent t is J t,
  // a pass linear in t, replayed on the unit tangents of each input in turn.
  const dummies = outs.map((o) => zeros(o.shape, { dtype: o.dtype }).requiresGrad_(true));
  const gs = vectorJacobian(op, outs, dummies, prepared, { createGraph: true, strict });
  checkBatchable(op, gs);
  const probes = prepared.map((p) => zeros(p.shape, { dtype: p.dtype }));
  const trace = recordTrace(probes, (ts) =>
    vectorJacobian(op, gs, ts, dummies, {
      createGraph,
      recordBackward: true,
      strict,
      retainGraph: true,
      what: 'gradient with respect to the inputs (in the double backward trick)',
    }),
  );
  const blocks: Tensor[][] = outs.map(() => []);
  prepared.forEach((inp, i) => {
    const n = inp.numel();
    const cols = n === 0 ? null : allUnitVectors(op, trace, i, n, chunkSize ?? n, createGraph);
    outs.forEach((out, k) => {
      if (cols === null) {
        blocks[k]![i] = zeros(full(out, inp), { dtype: out.dtype });
        return;
      }
      // [n, ...O] → [...O, n] → O ++ I.
      const c = cols[k]!;
      const moved = mode(() => permute(c, [...Array.from({ length: out.ndim }, (_, d) => d + 1), 0]));
      blocks[k]![i] = mode(() => reshape(moved, full(out, inp)));
    });
  });
  return blocks;
}
