/**
 * Grad mode: whether ops record nodes on the tape. A scope keeps its mode across `await` when its
 * callback is an async function: `await noGrad(async () => { ... })` records nothing, not even
 * after the first `await`, while code running concurrently outside the scope keeps its own mode.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe } from './args.js';
import { processWide } from './brand.js';
import { ArgumentTypeError, AutogradError } from './errors.js';

/** The mode of one async scope; sync scopes inside it change and restore it. */
interface Scope {
  enabled: boolean;
}

/**
 * The grad-mode state, one per process (shared by the ESM and the CommonJS build, so `noGrad` from
 * either governs ops of both): the mode outside async scopes (sync scopes change and restore it),
 * the number of async scopes still running (while there are none, the mode is read without a store
 * lookup), and the async store, made on the first async scope so that a program that never uses one
 * never enables async tracking.
 */
const state = processWide('gradMode', () => ({ enabled: true, asyncScopes: 0, store: null as AsyncLocalStorage<Scope> | null }));

const AsyncFunction = (async () => {}).constructor;

function currentScope(): Scope | undefined {
  return state.asyncScopes === 0 || state.store === null ? undefined : state.store.getStore();
}

/**
 * True when ops record the graph (the default).
 * @example
 * ```ts
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  if (state.asyncScopes === 0) return state.enabled;
  const scope = currentScope();
  return scope === undefined ? state.enabled : scope.enabled;
}

/**
 * Turns graph recording on or off; prefer {@link noGrad} for a scope. Inside an async
 * {@link noGrad}/{@link enableGrad} scope it sets that scope's mode (restored when the scope ends).
 * @example
 * ```ts
 * setGradEnabled(false); const y = x.mul(2); setGradEnabled(true);
 * ```
 */
export function setGradEnabled(mode: boolean): void {
  if (typeof mode !== 'boolean') throw new ArgumentTypeError(`setGradEnabled: mode must be a boolean, got ${describe(mode)}`);
  const scope = currentScope();
  if (scope !== undefined) scope.enabled = mode;
  else state.enabled = mode;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

function runAsync<T>(mode: boolean, fn: () => T): T {
  state.store ??= new AsyncLocalStorage<Scope>();
  state.asyncScopes++;
  let result: T;
  try {
    result = state.store.run({ enabled: mode }, fn);
  } catch (e) {
    state.asyncScopes--;
    throw e;
  }
  return Promise.resolve(result).finally(() => {
    state.asyncScopes--;
  }) as T;
}

function withMode<T>(op: string, mode: boolean, fn: () => T): T {
  if (typeof fn !== 'function')
    throw new ArgumentTypeError(
      `${op}: expected a function to run, got ${describe(fn)}; accepted forms: ${op}(() => ...) or await ${op}(async () => ...)`,
    );
  if (fn instanceof AsyncFunction) return runAsync(mode, fn);
  const scope = currentScope();
  const prev = scope === undefined ? state.enabled : scope.enabled;
  if (scope !== undefined) scope.enabled = mode;
  else state.enabled = mode;
  let result: T;
  try {
    result = fn();
  } finally {
    if (scope !== undefined) scope.enabled = prev;
    else state.enabled = prev;
  }
  if (isThenable(result)) {
    // Its continuations run after the mode was restored: refuse rather than record silently.
    Promise.resolve(result).catch(() => {});
    throw new AutogradError(
      `${op}: the callback returned a Promise but is not an async function, so the mode would not last past its first await; write it as ${op}(async () => { ... })`,
    );
  }
  return result;
}

/**
 * Runs `fn` without recording the graph (inference, optimizer updates) and returns its result.
 * An async `fn` keeps the mode across its `await`s (`await noGrad(async () => ...)`).
 * @example
 * ```ts
 * const y = noGrad(() => model.forward(x));
 * await noGrad(async () => { for await (const batch of loader) evaluate(batch); });
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  if (arguments.length > 1)
    throw new ArgumentTypeError(
      `noGrad: takes one function, got ${arguments.length} arguments; accepted forms: noGrad(() => ...) or await noGrad(async () => ...)`,
    );
  return withMode('noGrad', false, fn);
}

/**
 * Runs `fn` with graph recording on, even inside {@link noGrad}; an async `fn` keeps the mode across `await`.
 * @example
 * ```ts
 * noGrad(() => enableGrad(() => x.mul(2))); // records
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  if (arguments.length > 1)
    throw new ArgumentTypeError(
      `enableGrad: takes one function, got ${arguments.length} arguments; accepted forms: enableGrad(() => ...) or await enableGrad(async () => ...)`,
    );
  return withMode('enableGrad', true, fn);
}
