/**
 * The fused GRU cell (PyTorch's gate order r, z, n; r multiplies W_hn·h + b_hn): per step the gate
 * activations and h' = n + z·(h − n) in one pass, and the backward of a step in one pass from the
 * saved activations. Gates are kept gate-major, [3H, N] per step (see lstm-cell.ts); the hidden
 * state is row-major [N, H].
 * @module
 */
import type { FloatArray } from './typed-array.js';
import { unaryF32 } from './runtime/elementwise.js';

/**
 * One forward step over `n` batch rows of hidden size `h`. `gates` holds the input projections
 * [3h, n] at `gOff` on entry and the activations r, z, n on exit; `gh` holds W_hh·h + b_hh [3h, n]
 * at `ghOff`; `hPrev`/`hOut` are row-major [n, h].
 * @example
 * ```ts
 * const gates = new Float64Array([0, 0, 0]), gh = new Float64Array([0, 0, 0]), h = new Float64Array(1);
 * gruCellForward(gates, 0, gh, 0, new Float64Array([1]), 0, h, 0, 1, 1); // r = z = 0.5, n = 0, h = 0.5
 * ```
 * @internal
 */
export function gruCellForward(
  gates: FloatArray,
  gOff: number,
  gh: FloatArray,
  ghOff: number,
  hPrev: FloatArray,
  hpOff: number,
  hOut: FloatArray,
  hOff: number,
  n: number,
  h: number,
): void {
  const hn = h * n;
  for (let k = 0; k < 2 * hn; k++) gates[gOff + k]! += gh[ghOff + k]!;
  // Stryker disable next-line ConditionalExpression: false runs the float64 loop on float32 gates: the same sigmoid (Math.exp rounded to float32 instead of the float32 kernel, two implementations of one result)
  if (gates instanceof Float32Array) unaryF32('sigmoid', gates, gates, 2 * hn, gOff, gOff);
  else for (let k = gOff; k < gOff + 2 * hn; k++) gates[k] = 1 / (1 + Math.exp(-gates[k]!));
  for (let k = 0; k < hn; k++) gates[gOff + 2 * hn + k]! += gates[gOff + k]! * gh[ghOff + 2 * hn + k]!;
  // Stryker disable next-line ConditionalExpression: false runs the float64 loop on float32 gates: the same tanh (rounded to float32 instead of the float32 kernel, two implementations of one result)
  if (gates instanceof Float32Array) unaryF32('tanh', gates, gates, hn, gOff + 2 * hn, gOff + 2 * hn);
  else for (let k = gOff + 2 * hn; k < gOff + 3 * hn; k++) gates[k] = Math.tanh(gates[k]!);
  for (let j = 0; j < h; j++) {
    const z0 = gOff + hn + j * n;
    const n0 = gOff + 2 * hn + j * n;
    for (let r = 0; r < n; r++) {
      const nv = gates[n0 + r]!;
      hOut[hOff + r * h + j] = nv + gates[z0 + r]! * (hPrev[hpOff + r * h + j]! - nv);
    }
  }
}

/**
 * One backward step: from the activations `acts` [3h, n], W_hn·h + b_hn (`ghN`, [h, n]), the
 * previous hidden state [n, h] and the gradient `dh` [n, h] reaching the new one, writes the
 * gradients of the input projections (`dGi`, row-major [n, 3h]), of W_hh·h + b_hh (`dGh`, same
 * layout) and the direct part of the previous hidden state's gradient, dh·z (`dhDirect`, [n, h]).
 * @example
 * ```ts
 * const dGi = new Float64Array(3), dGh = new Float64Array(3), dhDirect = new Float64Array(1);
 * gruCellBackward(dGi, 0, dGh, 0, dhDirect, new Float64Array([0.5, 0.5, 0]), 0, new Float64Array([0]), 0, new Float64Array([1]), 0, new Float64Array([1]), 1, 1);
 * // dz = 1·(1 − 0)·0.25 = 0.25, dn = 0.5, dr = 0: dGi = [0, 0.25, 0.5], dGh = [0, 0.25, 0.25], dhDirect = [0.5]
 * ```
 * @internal
 */
export function gruCellBackward(
  dGi: FloatArray,
  dOff: number,
  dGh: FloatArray,
  dhOff: number,
  dhDirect: FloatArray,
  acts: FloatArray,
  aOff: number,
  ghN: FloatArray,
  ghNOff: number,
  hPrev: FloatArray,
  hpOff: number,
  dh: FloatArray,
  n: number,
  h: number,
): void {
  const hn = h * n;
  const h3 = 3 * h;
  for (let j = 0; j < h; j++) {
    const a = aOff + j * n;
    for (let r = 0; r < n; r++) {
      const rv = acts[a + r]!;
      const z = acts[a + hn + r]!;
      const nv = acts[a + 2 * hn + r]!;
      const k = r * h + j;
      const dhv = dh[k]!;
      const dz = dhv * (hPrev[hpOff + k]! - nv) * z * (1 - z);
      const dn = dhv * (1 - z) * (1 - nv * nv);
      const dr = dn * ghN[ghNOff + j * n + r]! * rv * (1 - rv);
      const d = dOff + r * h3 + j;
      dGi[d] = dr;
      dGi[d + h] = dz;
      dGi[d + 2 * h] = dn;
      const e = dhOff + r * h3 + j;
      dGh[e] = dr;
      dGh[e + h] = dz;
      dGh[e + 2 * h] = dn * rv;
      dhDirect[k] = dhv * z;
    }
  }
}
