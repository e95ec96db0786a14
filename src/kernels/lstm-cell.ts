/**
 * The fused LSTM cell: per step, the gate activations (sigmoid of i, f, o and tanh of g, in
 * PyTorch's gate order i, f, g, o) and the cell update c' = f·c + i·g, h' = o·tanh(c') in one pass;
 * and its backward, every gate gradient in one pass from the saved activations.
 * @module
 */
import type { FloatArray } from './gemm.js';
import { sigmoidF32, tanhF32 } from './fastmath.js';

/** Where one step's buffers live: arrays and element offsets, n rows of hidden size h. @internal */
export interface LstmStepBuffers {
  /** [n, 4h] gate pre-activations on entry, activations (i, f, g, o) on exit. */
  gates: FloatArray;
  gatesOff: number;
  /** [n, h] previous cell state. */
  cPrev: FloatArray;
  cPrevOff: number;
  /** [n, h] new cell state (written). */
  c: FloatArray;
  cOff: number;
  /** [n, h] tanh of the new cell state (written). */
  tc: FloatArray;
  tcOff: number;
  /** [n, h] new hidden state (written). */
  hOut: FloatArray;
  hOff: number;
}

/**
 * One forward step of the LSTM cell over `n` rows of hidden size `h`, in place on the gate buffer.
 * Float32 buffers use the float32 sigmoid/tanh kernels; float64 ones `Math.exp`/`Math.tanh`.
 * @example
 * ```ts
 * const gates = new Float64Array([0, 0, 0, 0]);
 * const c = new Float64Array(1), tc = new Float64Array(1), h = new Float64Array(1);
 * lstmCellForward({ gates, gatesOff: 0, cPrev: new Float64Array([1]), cPrevOff: 0, c, cOff: 0, tc, tcOff: 0, hOut: h, hOff: 0 }, 1, 1);
 * // c[0] = 0.5·1 + 0.5·0 = 0.5, h[0] = 0.5·tanh(0.5)
 * ```
 * @internal
 */
export function lstmCellForward(b: LstmStepBuffers, n: number, h: number): void {
  const g = b.gates;
  const h4 = 4 * h;
  if (g instanceof Float32Array) {
    for (let r = 0; r < n; r++) {
      const base = b.gatesOff + r * h4;
      sigmoidF32(g, g, 2 * h, base, base);
      tanhF32(g, g, h, base + 2 * h, base + 2 * h);
      sigmoidF32(g, g, h, base + 3 * h, base + 3 * h);
    }
  } else {
    for (let r = 0; r < n; r++) {
      const base = b.gatesOff + r * h4;
      for (let j = 0; j < h; j++) {
        g[base + j] = 1 / (1 + Math.exp(-g[base + j]!));
        g[base + h + j] = 1 / (1 + Math.exp(-g[base + h + j]!));
        g[base + 2 * h + j] = Math.tanh(g[base + 2 * h + j]!);
        g[base + 3 * h + j] = 1 / (1 + Math.exp(-g[base + 3 * h + j]!));
      }
    }
  }
  update(b, n, h);
}

/** c = f·cPrev + i·g, then tc = tanh(c) and h = o·tc, from the activated gates. */
function update(b: LstmStepBuffers, n: number, h: number): void {
  const { gates: g, cPrev, c, tc, hOut } = b;
  const h4 = 4 * h;
  for (let r = 0; r < n; r++) {
    const gb = b.gatesOff + r * h4;
    const cp = b.cPrevOff + r * h;
    const co = b.cOff + r * h;
    for (let j = 0; j < h; j++) c[co + j] = g[gb + h + j]! * cPrev[cp + j]! + g[gb + j]! * g[gb + 2 * h + j]!;
  }
  if (tc instanceof Float32Array) {
    for (let r = 0; r < n; r++) tanhF32(tc, c as Float32Array, h, b.cOff + r * h, b.tcOff + r * h);
  } else {
    for (let r = 0; r < n; r++) for (let j = 0; j < h; j++) tc[b.tcOff + r * h + j] = Math.tanh(c[b.cOff + r * h + j]!);
  }
  for (let r = 0; r < n; r++) {
    const gb = b.gatesOff + r * h4 + 3 * h;
    const t = b.tcOff + r * h;
    const ho = b.hOff + r * h;
    for (let j = 0; j < h; j++) hOut[ho + j] = g[gb + j]! * tc[t + j]!;
  }
}

/**
 * One backward step of the LSTM cell: from the saved activations `acts` ([n, 4h]: i, f, g, o),
 * the previous cell state, tanh of the new one, the gradient reaching the new hidden state `dh`
 * and the new cell state `dc` ([n, h] each, contiguous from 0), writes the gate gradients (of the
 * pre-activations) to `dGates` and replaces `dc` by the gradient of the previous cell state:
 * dc' = dc + dh·o·(1 − tc²); di = dc'·g·i(1 − i); df = dc'·cPrev·f(1 − f); dg = dc'·i·(1 − g²);
 * do = dh·tc·o(1 − o); dcPrev = dc'·f.
 * @example
 * ```ts
 * const dGates = new Float64Array(4), dc = new Float64Array([1]);
 * lstmCellBackward(dGates, 0, new Float64Array([0.5, 0.5, 0, 0.5]), 0, new Float64Array([1]), 0, new Float64Array([Math.tanh(0.5)]), 0, new Float64Array([0]), dc, 1, 1);
 * // dGates = [0, 0.125, 0.5, 0], dc = [0.5]
 * ```
 * @internal
 */
export function lstmCellBackward(
  dGates: FloatArray, dOff: number, acts: FloatArray, aOff: number, cPrev: FloatArray, cPrevOff: number,
  tc: FloatArray, tcOff: number, dh: FloatArray, dc: FloatArray, n: number, h: number,
): void {
  const h4 = 4 * h;
  for (let r = 0; r < n; r++) {
    const ab = aOff + r * h4;
    const db = dOff + r * h4;
    for (let j = 0; j < h; j++) {
      const k = r * h + j;
      const i = acts[ab + j]!;
      const f = acts[ab + h + j]!;
      const g = acts[ab + 2 * h + j]!;
      const o = acts[ab + 3 * h + j]!;
      const t = tc[tcOff + k]!;
      const dhv = dh[k]!;
      const dct = dc[k]! + dhv * o * (1 - t * t);
      dGates[db + j] = dct * g * i * (1 - i);
      dGates[db + h + j] = dct * cPrev[cPrevOff + k]! * f * (1 - f);
      dGates[db + 2 * h + j] = dct * i * (1 - g * g);
      dGates[db + 3 * h + j] = dhv * t * o * (1 - o);
      dc[k] = dct * f;
    }
  }
}
