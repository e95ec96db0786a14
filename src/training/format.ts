/**
 * Number and time formats shared by the progress output of `training.progress` and keras `fit`.
 * @module
 */

/**
 * Formats a logged number like Keras: 4 decimals, or exponent notation for tiny values;
 * `nan`, `inf` and `-inf` for the non-finite ones.
 * @example
 * ```ts
 * formatValue(0.41234); // '0.4123'
 * ```
 * @internal
 */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(4);
  return v.toFixed(4);
}

/**
 * Formats a duration in milliseconds like tqdm: `00:07`, `12:05`, `1:02:03`; `?` when unknown.
 * @example
 * ```ts
 * formatClock(125_000); // '02:05'
 * ```
 * @internal
 */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const total = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/**
 * Formats a rate like tqdm: `180.12it/s`, or `2.35s/it` below one item per second; `?it/s` when unknown.
 * @example
 * ```ts
 * formatRate(4, 1000, 'it'); // '4.00it/s'
 * ```
 * @internal
 */
export function formatRate(count: number, ms: number, unit: string): string {
  if (!(ms > 0) || count <= 0) return `?${unit}/s`;
  const perSecond = (count * 1000) / ms;
  return perSecond >= 1 ? `${perSecond.toFixed(2)}${unit}/s` : `${(1 / perSecond).toFixed(2)}s/${unit}`;
}
