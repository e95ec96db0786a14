/**
 * Axis ranges and tick values for the SVG plots: round steps of 1, 2 or 5 times a power of ten.
 * @module
 */

/** An axis: the value range mapped onto the plot, the tick values, and the decimals of their labels. @internal */
export interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
  decimals: number;
}

/** The round step (1, 2 or 5 × 10^k) nearest to `span / count`. @internal */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

function ticksOf(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/**
 * The value axis over `min..max`: padded by 5% on each side (or ±10% of the value, ±1 for zero,
 * when all values are equal), with about `count` round ticks inside. @internal
 */
export function valueAxis(min: number, max: number, count = 6): Axis {
  let lo = min;
  let hi = max;
  if (hi - lo <= Math.abs(hi) * 1e-12) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  } else {
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  return { lo, hi, ticks: ticksOf(lo, hi, step), decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

/**
 * The epoch axis over `min..max`: whole-number ticks (about `count`), half an epoch of margin for a
 * single epoch, 3% of the span otherwise. @internal
 */
export function epochAxis(min: number, max: number, count = 8): Axis {
  if (max - min < 1e-9) return { lo: min - 0.5, hi: max + 0.5, ticks: Number.isInteger(min) ? [min] : [], decimals: 0 };
  const pad = (max - min) * 0.03;
  const step = Math.max(1, niceStep(max - min, count));
  return { lo: min - pad, hi: max + pad, ticks: ticksOf(min - pad, max + pad, step), decimals: 0 };
}
