/**
 * Grad mode: whether ops record nodes on the tape.
 * @module
 */

let enabled = true;

/**
 * True when ops record the graph (the default).
 * @example
 * ```ts
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Turns graph recording on or off globally; prefer {@link noGrad} for a scope.
 * @example
 * ```ts
 * setGradEnabled(false); const y = x.mul(2); setGradEnabled(true);
 * ```
 */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}

function withMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording the graph (inference, optimizer updates) and returns its result.
 * @example
 * ```ts
 * const y = noGrad(() => model.forward(x));
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/**
 * Runs `fn` with graph recording on, even inside {@link noGrad}.
 * @example
 * ```ts
 * noGrad(() => enableGrad(() => x.mul(2))); // records
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}
