/**
 * The fused GRU recurrence of one layer and direction: `gruSequence(gis, wHh, bHh, h0)` runs every
 * step over the precomputed input projections gis [T, N, 3H] (x·W_ihᵀ + b_ih for the whole
 * sequence) with one GEMM W_hh·h per step and the fused cell kernel (kernels/gru-cell.ts). Its
 * output is [T, N, H], the hidden state after each step by time index (also for `reverse`). The
 * activations and W_hh·h + b_hh stay beside the output for the backward, which runs the
 * backpropagation through time on kernels (as prims/lstm.ts). Under `createGraph` the backward is
 * written in Tensor ops (recomputing the forward), so higher-order gradients work.
 * @module
 */
import { gemm, type FloatArray } from '../../kernels/runtime/index.js';
import { gruCellBackward, gruCellForward } from '../../kernels/gru-cell.js';
import { isGradEnabled } from '../grad-mode.js';
import { rule, type BackwardContext, type RuleTable } from '../rule.js';
import type { Tensor } from '../tensor.js';
import { add, mul, sigmoid, sub, tanh } from '../ops/elementwise.js';
import { matmul } from '../ops/linalg.js';
import { sumSpec } from '../ops/reduce.js';
import { cat, contiguousData, narrow, reshape, select, stack, transpose } from '../ops/shape.js';
import { empty } from './common.js';

/** Attributes of the GRU primitive. @internal */
// prettier-ignore
export interface GruAttrs {
  gruSequence: { reverse: boolean };
};

/** What the forward keeps for the backward: activations r, z, n and W_hh·h + b_hh, [T, 3H, N] each. */
interface GruSaved {
  acts: FloatArray;
  gh: FloatArray;
}

const SAVED = new WeakMap<Tensor, GruSaved>();

const stepAt = (k: number, t: number, reverse: boolean): number => (reverse ? t - 1 - k : k);

function like(d: FloatArray, n: number): FloatArray {
  return d instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/** The backward in Tensor ops (recording under createGraph): recompute the steps, then walk back. */
function compositeBackward(
  g: Tensor,
  gis: Tensor,
  w: Tensor,
  b: Tensor,
  h0: Tensor,
  reverse: boolean,
  ctx: BackwardContext,
): (Tensor | null)[] {
  const [t, n, h3] = gis.shape as [number, number, number];
  const h = h3 / 3;
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(t): every index is assigned before use
  const rec = new Array<{ r: Tensor; z: Tensor; nn: Tensor; ghN: Tensor; hPrev: Tensor }>(t);
  const wT = transpose(w, 0, 1);
  let hPrev = h0;
  for (let k = 0; k < t; k++) {
    const s = stepAt(k, t, reverse);
    const gi = select(gis, 0, s);
    const gh = add(matmul(hPrev, wT), b);
    const r = sigmoid(add(narrow(gi, 1, 0, h), narrow(gh, 1, 0, h)));
    const z = sigmoid(add(narrow(gi, 1, h, h), narrow(gh, 1, h, h)));
    const ghN = narrow(gh, 1, 2 * h, h);
    const nn = tanh(add(narrow(gi, 1, 2 * h, h), mul(r, ghN)));
    rec[s] = { r, z, nn, ghN, hPrev };
    hPrev = add(nn, mul(z, sub(hPrev, nn)));
  }
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(t): every index is assigned before use
  const dGi = new Array<Tensor>(t);
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(t): every index is assigned before use
  const dGh = new Array<Tensor>(t);
  let dh: Tensor | null = null;
  for (let k = t - 1; k >= 0; k--) {
    const s = stepAt(k, t, reverse);
    const q = rec[s]!;
    const dhs: Tensor = dh === null ? select(g, 0, s) : add(select(g, 0, s), dh);
    const dz = mul(mul(dhs, sub(q.hPrev, q.nn)), mul(q.z, sub(1, q.z)));
    const dn = mul(mul(dhs, sub(1, q.z)), sub(1, mul(q.nn, q.nn)));
    const dr = mul(mul(dn, q.ghN), mul(q.r, sub(1, q.r)));
    dGi[s] = cat([dr, dz, dn], 1);
    dGh[s] = cat([dr, dz, mul(dn, q.r)], 1);
    dh = add(mul(dhs, q.z), matmul(dGh[s], w));
  }
  const dGhAll = reshape(stack(dGh, 0), [t * n, h3]);
  const dW = ctx.needs(1)
    ? matmul(
        transpose(dGhAll, 0, 1),
        reshape(
          stack(
            rec.map((q) => q.hPrev),
            0,
          ),
          [t * n, h],
        ),
      )
    : null;
  const db = ctx.needs(2) ? sumSpec(dGhAll, { dims: [0], keepdim: false }) : null;
  return [ctx.needs(0) ? stack(dGi, 0) : null, dW, db, ctx.needs(3) ? dh : null];
}

/** The GRU rule table. @internal */
// prettier-ignore
export const gruRules: RuleTable<GruAttrs> = {
  gruSequence: rule({
    forward: ([gis, wHh, bHh, h0], { reverse }) => {
      const [t, n, h3] = gis!.shape as [number, number, number];
      const h = h3 / 3;
      const nh = n * h;
      const w = contiguousData(wHh!) as FloatArray;
      const bd = contiguousData(bHh!) as FloatArray;
      const out = empty([t, n, h], gis!.dtype);
      const od = out._storage.data as FloatArray;
      const gd = contiguousData(gis!) as FloatArray;
      const acts = like(od, t * n * h3);
      const gh = like(od, t * n * h3);
      // Stryker disable next-line EqualityOperator: s <= t: the extra pass writes past the end of the typed array acts (no-ops)
      for (let s = 0; s < t; s++) {
        const base = s * n * h3;
        // Stryker disable next-line EqualityOperator: q <= h3 writes the next step's first gate row, which the next pass overwrites (past the end for the last step)
        for (let r = 0; r < n; r++) for (let q = 0; q < h3; q++) acts[base + q * n + r] = gd[base + r * h3 + q]!;
      }
      let hPrev = contiguousData(h0!) as FloatArray;
      let hOff = 0;
      for (let k = 0; k < t; k++) {
        const s = stepAt(k, t, reverse);
        const base = s * n * h3;
        // Stryker disable next-line EqualityOperator: q <= h3 fills the next step's first row of gh with bd[3H] (undefined): in forward order that step fills it again; in reverse it is the r gate's row of a step already run, which nothing reads again (the backward reads only the n-gate rows); past the end for the last step
        for (let q = 0; q < h3; q++) gh.fill(bd[q]!, base + q * n, base + (q + 1) * n);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard only skips a GEMM of an empty product (N = 0 or H = 0), which writes nothing
        if (nh > 0) gemm(false, true, h3, n, h, w, 0, hPrev, hOff, gh, base, true);
        gruCellForward(acts, base, gh, base, hPrev, hOff, od, s * nh, n, h);
        hPrev = od;
        hOff = s * nh;
      }
      SAVED.set(out, { acts, gh });
      return out;
    },
    backward: (g, ctx) => {
      const [gis, w, b, h0, out] = ctx.saved;
      const { reverse } = ctx.attrs;
      if (isGradEnabled()) return compositeBackward(g, gis, w, b, h0, reverse, ctx);
      const { acts, gh } = SAVED.get(out)!;
      const [t, n, h3] = gis.shape as [number, number, number];
      const h = h3 / 3;
      const nh = n * h;
      const gd = contiguousData(g) as FloatArray;
      const wd = contiguousData(w) as FloatArray;
      const h0d = contiguousData(h0) as FloatArray;
      const od = out._storage.data as FloatArray;
      const dGis = empty(gis.shape, gis.dtype);
      const dd = dGis._storage.data as FloatArray;
      const dGh = like(dd, t * n * h3);
      const dh = empty(h0.shape, h0.dtype);
      const dhd = dh._storage.data as FloatArray;
      const dhs = like(dd, nh);
      const direct = like(dd, nh);
      for (let k = t - 1; k >= 0; k--) {
        const s = stepAt(k, t, reverse);
        // Stryker disable next-line EqualityOperator: j <= nh writes past the end of the typed array dhs (a no-op)
        for (let j = 0; j < nh; j++) dhs[j] = gd[s * nh + j]! + dhd[j]!;
        const prev = k === 0 ? -1 : stepAt(k - 1, t, reverse);
        const base = s * n * h3;
        // Stryker disable next-line EqualityOperator: the offset test `prev < 0 ? 0 : prev * nh` -> `prev <= 0` gives 0 at prev = 0 either way (the other `prev < 0` mutants of this line are killed)
        gruCellBackward(dd, base, dGh, base, direct, acts, base, gh, base + 2 * nh, prev < 0 ? h0d : od, prev < 0 ? 0 : prev * nh, dhs, n, h);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard only skips a GEMM of an empty product (N = 0 or H = 0), which writes nothing
        if (nh > 0) gemm(false, false, n, h, h3, dGh, base, wd, 0, dhd, 0, false);
        // Stryker disable next-line EqualityOperator: j <= nh adds past the end of h0's fresh gradient array (a no-op)
        for (let j = 0; j < nh; j++) dhd[j]! += direct[j]!;
      }
      let dW: Tensor | null = null;
      // Stryker disable next-line ConditionalExpression: needs(1) -> true computes W_hh's gradient when W_hh has no grad edge, which the engine drops (work the engine discards); false is killed
      if (ctx.needs(1)) {
        const hp = like(dd, t * nh);
        for (let k = 0; k < t; k++) {
          const s = stepAt(k, t, reverse);
          const src = k === 0 ? h0d : od;
          const off = k === 0 ? 0 : stepAt(k - 1, t, reverse) * nh;
          hp.set(src.subarray(off, off + nh), s * nh);
        }
        dW = empty(w.shape, w.dtype);
        // Stryker disable next-line ConditionalExpression,EqualityOperator,BooleanLiteral: the guard only skips a GEMM with an empty output (H = 0); accumulating into the fresh zero-filled dW is the same as writing it
        if (h > 0) gemm(true, false, h3, h, t * n, dGh, 0, hp, 0, dW._storage.data as FloatArray, 0, false);
      }
      let db: Tensor | null = null;
      // Stryker disable next-line ConditionalExpression: needs(2) -> true computes b_hh's gradient when b_hh has no grad edge, which the engine drops (work the engine discards); false is killed
      if (ctx.needs(2)) {
        db = empty(b.shape, b.dtype);
        const dbd = db._storage.data as FloatArray;
        // Stryker disable next-line EqualityOperator: q <= h3 adds past the end of the bias gradient's fresh array (a no-op)
        for (let row = 0; row < t * n; row++) for (let q = 0; q < h3; q++) dbd[q]! += dGh[row * h3 + q]!;
      }
      return [ctx.needs(0) ? dGis : null, dW, db, ctx.needs(3) ? dh : null];
    },
    save: [0, 1, 2, 3, 'output'],
  }),
};
