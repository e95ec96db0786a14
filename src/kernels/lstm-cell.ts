/**
 * The fused LSTM cell: per step, the gate activations (sigmoid of i, f, o and tanh of g, in
 * PyTorch's gate order i, f, g, o) and the cell update c' = f·c + i·g, h' = o·tanh(c') in one pass;
 * and its backward, every gate gradient in one pass from the saved activations.
 *
 * The gates of a step are kept gate-major, [4H, N] (row i·H + j holds unit j of gate i for every
 * batch row), so each gate block is one contiguous run: float32 activations are then four calls of
 * the streaming sigmoid/tanh kernels per step instead of several per batch row. The cell states
 * and their tanh are kept the same way, [H, N]; the hidden state is written row-major [N, H], as
 * the next step's GEMM and the layer's output want it.
 * @module
 */
import type { FloatArray } from './typed-array.js';
import { unaryF32 } from './runtime/elementwise.js';

/** Where one step's buffers live: arrays and element offsets, n batch rows of hidden size h. @internal */
interface LstmStepBuffers {
  /** [4h, n] gate pre-activations on entry, activations (i, f, g, o) on exit. */
  gates: FloatArray;
  gatesOff: number;
  /** Previous cell state: element (r, j) at cPrevOff + r·cPrevRow + j·cPrevCol. */
  cPrev: FloatArray;
  cPrevOff: number;
  cPrevRow: number;
  cPrevCol: number;
  /** [h, n] new cell state (written). */
  c: FloatArray;
  cOff: number;
  /** [h, n] tanh of the new cell state (written). */
  tc: FloatArray;
  tcOff: number;
  /** [n, h] new hidden state (written). */
  hOut: FloatArray;
  hOff: number;
}

/**
 * One forward step of the LSTM cell over `n` batch rows of hidden size `h`, in place on the gate
 * buffer. Float32 buffers use the float32 sigmoid/tanh kernels; float64 ones `Math.exp`/`Math.tanh`.
 * @example
 * ```ts
 * const gates = new Float64Array([0, 0, 0, 0]);
 * const c = new Float64Array(1), tc = new Float64Array(1), h = new Float64Array(1);
 * lstmCellForward({ gates, gatesOff: 0, cPrev: new Float64Array([1]), cPrevOff: 0, cPrevRow: 1, cPrevCol: 1, c, cOff: 0, tc, tcOff: 0, hOut: h, hOff: 0 }, 1, 1);
 * // c[0] = 0.5·1 + 0.5·0 = 0.5, h[0] = 0.5·tanh(0.5)
 * ```
 * @internal
 */
export function lstmCellForward(b: LstmStepBuffers, n: number, h: number): void {
  const g = b.gates;
  const hn = h * n;
  const o = b.gatesOff;
  // Stryker disable next-line ConditionalExpression: false runs the float64 loops on float32 gates: the same activations (Math.exp/Math.tanh rounded to float32 instead of the float32 kernels, two implementations of one result)
  if (g instanceof Float32Array) {
    unaryF32('sigmoid', g, g, 2 * hn, o, o);
    unaryF32('tanh', g, g, hn, o + 2 * hn, o + 2 * hn);
    unaryF32('sigmoid', g, g, hn, o + 3 * hn, o + 3 * hn);
  } else {
    for (let k = o; k < o + 2 * hn; k++) g[k] = 1 / (1 + Math.exp(-g[k]!));
    for (let k = o + 2 * hn; k < o + 3 * hn; k++) g[k] = Math.tanh(g[k]!);
    for (let k = o + 3 * hn; k < o + 4 * hn; k++) g[k] = 1 / (1 + Math.exp(-g[k]!));
  }
  const { cPrev, c, tc, hOut } = b;
  for (let j = 0; j < h; j++) {
    const gi = o + j * n;
    const cp = b.cPrevOff + j * b.cPrevCol;
    const co = b.cOff + j * n;
    for (let r = 0; r < n; r++) c[co + r] = g[gi + hn + r]! * cPrev[cp + r * b.cPrevRow]! + g[gi + r]! * g[gi + 2 * hn + r]!;
  }
  // Stryker disable next-line ConditionalExpression: false runs the float64 loop on float32 buffers: the same tanh (rounded to float32 instead of the float32 kernel, two implementations of one result)
  if (tc instanceof Float32Array) unaryF32('tanh', tc, c as Float32Array, hn, b.cOff, b.tcOff);
  // Stryker disable next-line EqualityOperator: k <= hn also writes tanh of the next step's first cell state into its slot: the value that step writes (or wrote, in reverse) there; past the end for the last step
  else for (let k = 0; k < hn; k++) tc[b.tcOff + k] = Math.tanh(c[b.cOff + k]!);
  for (let j = 0; j < h; j++) {
    const go = o + 3 * hn + j * n;
    const t = b.tcOff + j * n;
    for (let r = 0; r < n; r++) hOut[b.hOff + r * h + j] = g[go + r]! * tc[t + r]!;
  }
}

/** The buffers of one backward step (see {@link lstmCellBackward}). @internal */
interface LstmBackwardBuffers {
  /** [n, 4h] gradients of the gate pre-activations (written), row-major like the gate inputs. */
  dGates: FloatArray;
  dOff: number;
  /** [4h, n] saved activations i, f, g, o. */
  acts: FloatArray;
  aOff: number;
  /** Previous cell state, strided as in {@link LstmStepBuffers}. */
  cPrev: FloatArray;
  cPrevOff: number;
  cPrevRow: number;
  cPrevCol: number;
  /** [h, n] tanh of the new cell state. */
  tc: FloatArray;
  tcOff: number;
  /** [n, h] gradient reaching the new hidden state. */
  dh: FloatArray;
  /** [n, h] gradient reaching the new cell state on entry; the previous cell state's on exit. */
  dc: FloatArray;
}

/**
 * One backward step of the LSTM cell:
 * dc' = dc + dh·o·(1 − tc²); di = dc'·g·i(1 − i); df = dc'·cPrev·f(1 − f); dg = dc'·i·(1 − g²);
 * do = dh·tc·o(1 − o); dcPrev = dc'·f.
 * @example
 * ```ts
 * const dGates = new Float64Array(4), dc = new Float64Array([1]);
 * lstmCellBackward({ dGates, dOff: 0, acts: new Float64Array([0.5, 0.5, 0, 0.5]), aOff: 0, cPrev: new Float64Array([1]), cPrevOff: 0, cPrevRow: 1, cPrevCol: 1,
 *   tc: new Float64Array([Math.tanh(0.5)]), tcOff: 0, dh: new Float64Array([0]), dc }, 1, 1);
 * // dGates = [0, 0.125, 0.5, 0], dc = [0.5]
 * ```
 * @internal
 */
export function lstmCellBackward(b: LstmBackwardBuffers, n: number, h: number): void {
  const { dGates, acts, cPrev, tc, dh, dc } = b;
  const hn = h * n;
  const h4 = 4 * h;
  for (let j = 0; j < h; j++) {
    const a = b.aOff + j * n;
    const cp = b.cPrevOff + j * b.cPrevCol;
    const t0 = b.tcOff + j * n;
    for (let r = 0; r < n; r++) {
      const i = acts[a + r]!;
      const f = acts[a + hn + r]!;
      const g = acts[a + 2 * hn + r]!;
      const o = acts[a + 3 * hn + r]!;
      const t = tc[t0 + r]!;
      const k = r * h + j;
      const dhv = dh[k]!;
      const dct = dc[k]! + dhv * o * (1 - t * t);
      const d = b.dOff + r * h4 + j;
      dGates[d] = dct * g * i * (1 - i);
      dGates[d + h] = dct * cPrev[cp + r * b.cPrevRow]! * f * (1 - f);
      dGates[d + 2 * h] = dct * i * (1 - g * g);
      dGates[d + 3 * h] = dhv * t * o * (1 - o);
      dc[k] = dct * f;
    }
  }
}
