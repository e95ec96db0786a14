/**
 * The fused LSTM recurrence of one layer and direction: `lstmSequence(gis, wHh, h0, c0)` runs every
 * step over the precomputed input projections gis [T, N, 4H] (x·W_ihᵀ + b_ih + b_hh for the whole
 * sequence), with one GEMM h·W_hhᵀ per step accumulated onto that step's slice and the fused cell
 * kernel (kernels/lstm-cell.ts). Its output is [T + 1, N, H]: the hidden state after each step
 * (indexed by time, also for `reverse`), then the final cell state. The gate activations and the
 * cell states are kept beside the output for the backward, which runs the whole backpropagation
 * through time on kernels: one pass per step for all gate gradients, one GEMM per step for the
 * hidden state's gradient, and one GEMM for W_hh's gradient over the whole sequence. Under
 * `createGraph` the backward is written in Tensor ops instead (recomputing the forward), so
 * higher-order gradients work.
 * @module
 */
import { gemm, type FloatArray } from '../../kernels/runtime/index.js';
import { lstmCellBackward, lstmCellForward } from '../../kernels/lstm-cell.js';
import { isGradEnabled } from '../grad-mode.js';
import { rule, type BackwardContext, type RuleTable } from '../rule.js';
import type { Tensor } from '../tensor.js';
import { add, mul, sigmoid, sub, tanh } from '../ops/elementwise.js';
import { matmul } from '../ops/linalg.js';
import { cat, contiguousData, narrow, reshape, select, stack, transpose } from '../ops/shape.js';
import { empty } from './common.js';

/** Attributes of the recurrent primitives. @internal */
// prettier-ignore
export interface LstmAttrs {
  lstmSequence: { reverse: boolean };
};

/** What the forward keeps for the backward, per output tensor. */
interface LstmSaved {
  /** [T, 4H, N] gate activations i, f, g, o (gate-major per step). */
  acts: FloatArray;
  /** [T, H, N] cell state after each step (by time index). */
  cs: FloatArray;
  /** [T, H, N] tanh of those. */
  tcs: FloatArray;
}

const SAVED = new WeakMap<Tensor, LstmSaved>();

/** The time index of processing step k. */
const stepAt = (k: number, t: number, reverse: boolean): number => (reverse ? t - 1 - k : k);

function like(d: FloatArray, n: number): FloatArray {
  return d instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/** The backward in Tensor ops (recording under createGraph): recompute the steps, then walk back. */
function compositeBackward(
  g: Tensor,
  gis: Tensor,
  w: Tensor,
  h0: Tensor,
  c0: Tensor,
  reverse: boolean,
  ctx: BackwardContext,
): (Tensor | null)[] {
  const [t, n, h4] = gis.shape as [number, number, number];
  const h = h4 / 4;
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(t): every index is assigned before use
  const rec = new Array<{ i: Tensor; f: Tensor; g: Tensor; o: Tensor; tc: Tensor; cPrev: Tensor; hPrev: Tensor }>(t);
  let hPrev = h0;
  let cPrev = c0;
  const wT = transpose(w, 0, 1);
  for (let k = 0; k < t; k++) {
    const s = stepAt(k, t, reverse);
    const gates = add(select(gis, 0, s), matmul(hPrev, wT));
    const i = sigmoid(narrow(gates, 1, 0, h));
    const f = sigmoid(narrow(gates, 1, h, h));
    const gg = tanh(narrow(gates, 1, 2 * h, h));
    const o = sigmoid(narrow(gates, 1, 3 * h, h));
    const c = add(mul(f, cPrev), mul(i, gg));
    const tc = tanh(c);
    rec[s] = { i, f, g: gg, o, tc, cPrev, hPrev };
    hPrev = mul(o, tc);
    cPrev = c;
  }
  // Stryker disable next-line ArrayDeclaration: new Array() instead of new Array(t): every index is assigned before use
  const dGates = new Array<Tensor>(t);
  let dh: Tensor | null = null;
  let dc = select(g, 0, t);
  for (let k = t - 1; k >= 0; k--) {
    const s = stepAt(k, t, reverse);
    const r = rec[s]!;
    const dhs: Tensor = dh === null ? select(g, 0, s) : add(select(g, 0, s), dh);
    const dct = add(dc, mul(mul(dhs, r.o), sub(1, mul(r.tc, r.tc))));
    const di = mul(mul(dct, r.g), mul(r.i, sub(1, r.i)));
    const df = mul(mul(dct, r.cPrev), mul(r.f, sub(1, r.f)));
    const dg = mul(mul(dct, r.i), sub(1, mul(r.g, r.g)));
    const dO = mul(mul(dhs, r.tc), mul(r.o, sub(1, r.o)));
    dGates[s] = cat([di, df, dg, dO], 1);
    dc = mul(dct, r.f);
    dh = matmul(dGates[s], w);
  }
  const dGis = stack(dGates, 0);
  let dW: Tensor | null = null;
  // Stryker disable next-line ConditionalExpression: needs(1) -> true computes W_hh's gradient when W_hh has no grad edge, which the engine drops (work the engine discards); false is killed
  if (ctx.needs(1)) {
    const hp = stack(
      rec.map((r) => r.hPrev),
      0,
    );
    dW = matmul(transpose(reshape(dGis, [t * n, h4]), 0, 1), reshape(hp, [t * n, h]));
  }
  return [ctx.needs(0) ? dGis : null, dW, ctx.needs(2) ? dh : null, ctx.needs(3) ? dc : null];
}

/** The recurrent rule table. @internal */
// prettier-ignore
export const lstmRules: RuleTable<LstmAttrs> = {
  lstmSequence: rule({
    forward: ([gis, wHh, h0, c0], { reverse }) => {
      const [t, n, h4] = gis!.shape as [number, number, number];
      const h = h4 / 4;
      const nh = n * h;
      const w = contiguousData(wHh!) as FloatArray;
      const out = empty([t + 1, n, h], gis!.dtype);
      const od = out._storage.data as FloatArray;
      const acts = like(od, t * n * h4);
      const gd = contiguousData(gis!) as FloatArray;
      // Gate-major [4H, N] per step (see kernels/lstm-cell.ts): one transposing copy of the inputs.
      // Stryker disable next-line EqualityOperator: s <= t: the extra pass writes past the end of the typed array acts (no-ops)
      for (let s = 0; s < t; s++) {
        const base = s * n * h4;
        // Stryker disable next-line EqualityOperator: q <= h4 writes the next step's first gate row, which the next pass overwrites (past the end for the last step)
        for (let r = 0; r < n; r++) for (let q = 0; q < h4; q++) acts[base + q * n + r] = gd[base + r * h4 + q]!;
      }
      const cs = like(od, t * nh);
      const tcs = like(od, t * nh);
      let hPrev = contiguousData(h0!) as FloatArray;
      let hOff = 0;
      // The previous cell state: c0 row-major [N, H], then the kept states gate-major [H, N].
      let cPrev = contiguousData(c0!) as FloatArray;
      let cOff = 0;
      let cRow = h;
      let cCol = 1;
      for (let k = 0; k < t; k++) {
        const s = stepAt(k, t, reverse);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard only skips a GEMM of an empty product (N = 0 or H = 0), which writes nothing
        if (nh > 0) gemm(false, true, h4, n, h, w, 0, hPrev, hOff, acts, s * n * h4, true);
        lstmCellForward({ gates: acts, gatesOff: s * n * h4, cPrev, cPrevOff: cOff, cPrevRow: cRow, cPrevCol: cCol, c: cs, cOff: s * nh, tc: tcs, tcOff: s * nh, hOut: od, hOff: s * nh }, n, h);
        hPrev = od;
        hOff = s * nh;
        cPrev = cs;
        cOff = s * nh;
        cRow = 1;
        cCol = n;
      }
      // Stryker disable next-line EqualityOperator: r <= n writes past the end of the output (no-ops); j <= h writes the next row's first element, which that row then overwrites
      for (let r = 0; r < n; r++) for (let j = 0; j < h; j++) od[t * nh + r * h + j] = cPrev[cOff + r * cRow + j * cCol]!;
      SAVED.set(out, { acts, cs, tcs });
      return out;
    },
    backward: (g, ctx) => {
      const [gis, w, h0, c0, out] = ctx.saved;
      const { reverse } = ctx.attrs;
      // Stryker disable next-line ConditionalExpression: true always takes the composite backward, which mutants-lstm.test.ts and the twin-rule property check equal to the kernel backward (two implementations of one result)
      if (isGradEnabled()) return compositeBackward(g, gis, w, h0, c0, reverse, ctx);
      const { acts, cs, tcs } = SAVED.get(out)!;
      const [t, n, h4] = gis.shape as [number, number, number];
      const h = h4 / 4;
      const nh = n * h;
      const gd = contiguousData(g) as FloatArray;
      const wd = contiguousData(w) as FloatArray;
      const c0d = contiguousData(c0) as FloatArray;
      const dGis = empty(gis.shape, gis.dtype);
      const dd = dGis._storage.data as FloatArray;
      const dh = empty(h0.shape, h0.dtype);
      const dhd = dh._storage.data as FloatArray;
      const dc = empty(c0.shape, c0.dtype);
      const dcd = dc._storage.data as FloatArray;
      dcd.set(gd.subarray(t * nh, (t + 1) * nh));
      const dhs = like(dd, nh);
      for (let k = t - 1; k >= 0; k--) {
        const s = stepAt(k, t, reverse);
        // Stryker disable next-line EqualityOperator: j <= nh writes past the end of the typed array dhs (a no-op)
        for (let j = 0; j < nh; j++) dhs[j] = gd[s * nh + j]! + dhd[j]!;
        const prev = k === 0 ? -1 : stepAt(k - 1, t, reverse);
        // Stryker disable next-line EqualityOperator: the offset test `prev < 0 ? 0 : prev * nh` -> `prev <= 0` gives 0 at prev = 0 either way (the other `prev < 0` mutants of this line are killed)
        lstmCellBackward({ dGates: dd, dOff: s * n * h4, acts, aOff: s * n * h4, cPrev: prev < 0 ? c0d : cs, cPrevOff: prev < 0 ? 0 : prev * nh, cPrevRow: prev < 0 ? h : 1, cPrevCol: prev < 0 ? 1 : n, tc: tcs, tcOff: s * nh, dh: dhs, dc: dcd }, n, h);
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard only skips a GEMM of an empty product (N = 0 or H = 0), which writes nothing
        if (nh > 0) gemm(false, false, n, h, h4, dd, s * n * h4, wd, 0, dhd, 0, false);
      }
      let dW: Tensor | null = null;
      // Stryker disable next-line ConditionalExpression: needs(1) -> true computes W_hh's gradient when W_hh has no grad edge, which the engine drops (work the engine discards); false is killed
      if (ctx.needs(1)) {
        // The hidden state each step started from, by time index.
        const od = out._storage.data as FloatArray;
        const h0d = contiguousData(h0) as FloatArray;
        const hp = like(dd, t * nh);
        for (let k = 0; k < t; k++) {
          const s = stepAt(k, t, reverse);
          if (k === 0) hp.set(h0d.subarray(0, nh), s * nh);
          else hp.set(od.subarray(stepAt(k - 1, t, reverse) * nh, stepAt(k - 1, t, reverse) * nh + nh), s * nh);
        }
        dW = empty(w.shape, w.dtype);
        // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BooleanLiteral: h4 = 4h, so both tests are one; the guard only skips a GEMM with an empty output; accumulating into the fresh zero-filled dW is the same as writing it
        if (h4 > 0 && h > 0) gemm(true, false, h4, h, t * n, dd, 0, hp, 0, dW._storage.data as FloatArray, 0, false);
      }
      return [ctx.needs(0) ? dGis : null, dW, ctx.needs(2) ? dh : null, ctx.needs(3) ? dc : null];
    },
    save: [0, 1, 2, 3, 'output'],
  }),
};
