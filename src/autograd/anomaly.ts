/**
 * Anomaly detection: nodes remember where they were created, and a NaN in backward throws.
 * @module
 */
import { describe } from './args.js';
import { ArgumentTypeError } from './errors.js';
import { anomaly } from './node.js';

/**
 * Runs `fn` (forward and backward) with anomaly detection: every op records the place in your
 * code that created it, and a backward that produces NaN throws an AutogradError naming the op
 * and that place. Slower; use it to debug.
 * @example
 * ```ts
 * autograd.detectAnomaly(() => {
 *   const y = x.sqrt().sum(); // x has a 0: the gradient is inf, then NaN downstream
 *   y.backward();
 * });
 * ```
 */
export function detectAnomaly<T>(fn: () => T): T {
  if (typeof fn !== 'function' || arguments.length > 1) {
    throw new ArgumentTypeError(
      `detectAnomaly: takes one function to run, got ${arguments.length > 1 ? `${arguments.length} arguments` : describe(fn)}; accepted form: autograd.detectAnomaly(() => { ... })`,
    );
  }
  const prev = anomaly.enabled;
  anomaly.enabled = true;
  try {
    return fn();
  } finally {
    anomaly.enabled = prev;
  }
}
