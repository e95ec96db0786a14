/**
 * The optimizer-update family's entries: whether a parameter's update runs on the WebAssembly
 * SIMD module (`wasm/optim-stream.ts`, computed in float32) is decided here, from the backend,
 * the dtype and the length. Each entry returns true when it did the update, false when the
 * optimizer's own JS loop should run (float64, short parameters under 'auto', the 'js' backend,
 * or no WebAssembly SIMD).
 * @module
 */
import type { FloatArray } from '../typed-array.js';
import { adamF32Wasm, rmspropF32Wasm, sgdF32Wasm, type AdamF32Scalars, type RMSpropF32Scalars } from '../wasm/optim-stream.js';
import { optimInstance } from './instances.js';
import { wasmWanted } from './settings.js';
import { OPTIM_WASM_MIN, OPTIM_WASM_MIN_SGD } from './thresholds.js';

/**
 * Whether a float32 update of `n` elements whose 'auto' crossover is `min` takes the wasm path
 * (and the module is available).
 * @example
 * ```ts
 * useOptimWasm(1 << 20); // true where WebAssembly SIMD is available, under 'auto' or 'wasm'
 * ```
 * @internal
 */
export function useOptimWasm(n: number, min = OPTIM_WASM_MIN): boolean {
  return wasmWanted(n, min) && optimInstance() !== null;
}

/**
 * One Adam/AdamW update (AMSGrad when `vMax` is not null) of a float32 parameter on the wasm
 * module, when the runtime picks it; false (nothing done) otherwise.
 * @example
 * ```ts
 * if (!adamUpdateKernel(p, g, m, v, null, s)) adamLoop(p, g, m, v, s);
 * ```
 * @internal
 */
export function adamUpdateKernel(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vMax: FloatArray | null,
  s: AdamF32Scalars,
): boolean {
  if (!(p instanceof Float32Array) || !useOptimWasm(p.length)) return false;
  return adamF32Wasm(p, g as Float32Array, m as Float32Array, v as Float32Array, vMax as Float32Array | null, s);
}

/**
 * One RMSprop update (centered when `gradAvg` is not null, with momentum when `buf` is not null)
 * of a float32 parameter on the wasm module, when the runtime picks it; false otherwise.
 * @example
 * ```ts
 * if (!rmspropUpdateKernel(p, g, sq, null, null, s)) rmspropLoop(p, g, sq, null, null, s);
 * ```
 * @internal
 */
export function rmspropUpdateKernel(
  p: FloatArray,
  g: FloatArray,
  sq: FloatArray,
  gradAvg: FloatArray | null,
  buf: FloatArray | null,
  s: RMSpropF32Scalars,
): boolean {
  if (!(p instanceof Float32Array) || !useOptimWasm(p.length)) return false;
  return rmspropF32Wasm(p, g as Float32Array, sq as Float32Array, gradAvg as Float32Array | null, buf as Float32Array | null, s);
}

/**
 * One SGD update of a float32 parameter on the wasm module (plain when `buf` is null, else with
 * momentum, Nesterov's when `nesterov`), when the runtime picks it; false otherwise. The momentum
 * buffer's first step (`first`) always stays with the optimizer's JS loop.
 * @example
 * ```ts
 * if (!sgdUpdateKernel(p, g, null, false, false, 1, 0, 0.01, 0, 1)) sgdLoop(p, g);
 * ```
 * @internal
 */
export function sgdUpdateKernel(
  p: FloatArray,
  g: FloatArray,
  buf: FloatArray | null,
  first: boolean,
  nesterov: boolean,
  sign: number,
  wd: number,
  lr: number,
  mu: number,
  keep: number,
): boolean {
  if (!(p instanceof Float32Array) || first || !useOptimWasm(p.length, OPTIM_WASM_MIN_SGD)) return false;
  return sgdF32Wasm(p, g as Float32Array, buf as Float32Array | null, nesterov, sign, wd, lr, mu, keep);
}
