/**
 * The streaming driver of the float32 optimizer updates on the WebAssembly SIMD128 module of
 * `optim-module.ts`.
 *
 * Tensor storage is a plain JS ArrayBuffer, so the update is streamed: a chunk of
 * `OPTIM_CHUNK` elements (`runtime/thresholds.ts`) of the parameter, the gradient and the state
 * buffers is copied into the module's memory (`TypedArray.prototype.set`, a memcpy; the chunk
 * stays in L1/L2), updated with f32x4 arithmetic, and the parameter and the state are copied
 * back. The JS loops compute in float64 and round on store; this path computes in float32 like
 * PyTorch's float32 optimizers, so the two agree to float32 precision, not bit for bit.
 *
 * Each update returns false (doing nothing) when the module is unavailable. Whether to call it
 * (backend, size) is decided by the optimizer family's entry, `runtime/optim.ts`.
 * @internal
 * @module
 */
import { optimInstance, type OptimInstance } from '../runtime/instances.js';
import { OPTIM_CHUNK } from '../runtime/thresholds.js';
import { ADAM_REGIONS, RMSPROP_REGIONS, SGD_REGIONS } from './optim-module.js';

/**
 * Runs `update` over `arrays[0].length` elements in chunks: copies each non-null `arrays[r]`'s chunk
 * into region r, calls `update(nBytes)` (the chunk's length in bytes rounded up to 16), and copies
 * back the regions with `written[r]`.
 */
function streamChunks(
  w: OptimInstance,
  arrays: ReadonlyArray<Float32Array | null>,
  written: readonly boolean[],
  update: (nBytes: number) => void,
): void {
  const n = arrays[0]!.length;
  const C = OPTIM_CHUNK;
  const { heap, starts, regions } = w;
  // Stryker disable next-line EqualityOperator: loop bound one past the end (a last chunk of length 0 copies and updates nothing)
  for (let off = 0; off < n; off += C) {
    // Stryker disable next-line EqualityOperator: a tie that cannot change the result (n − off = C gives len = C either way)
    const len = n - off < C ? n - off : C;
    // Stryker disable next-line EqualityOperator: loop bound one past the end (arrays[length] is undefined, skipped)
    for (let r = 0; r < arrays.length; r++) {
      const a = arrays[r];
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: two implementations of one result (the whole array or its subarray of the same elements)
      if (a) heap.set(off === 0 && a.length === len ? a : a.subarray(off, off + len), starts[r]);
    }
    update(((len + 3) & ~3) * 4);
    // Stryker disable next-line EqualityOperator: loop bound one past the end (arrays[length] is undefined, skipped)
    for (let r = 0; r < arrays.length; r++) {
      const a = arrays[r];
      // Stryker disable next-line ConditionalExpression: two implementations of one result (the region's full-chunk view or a subarray of the same elements)
      if (a && written[r]) a.set(len === C ? regions[r]! : heap.subarray(starts[r], starts[r]! + len), off);
    }
  }
}

const ADAM_WRITTEN = (() => {
  // Stryker disable next-line ArrayDeclaration: two implementations of one result (an entry never set reads undefined, falsy like false)
  const w = [false, false, false, false, false];
  w[ADAM_REGIONS.p] = w[ADAM_REGIONS.m] = w[ADAM_REGIONS.v] = w[ADAM_REGIONS.vMax] = true;
  return w;
})();

/** The per-step scalars of a float32 Adam update (see `adamUpdate` in adam.ts). @internal */
export interface AdamF32Scalars {
  b1: number;
  b2: number;
  eps: number;
  sign: number;
  decay: number;
  wd: number;
  stepSize: number;
  bc2Sqrt: number;
}

/**
 * One float32 Adam/AdamW (AMSGrad when `vMax` is not null) update on the wasm module; false
 * (nothing done) when it is unavailable.
 * @example
 * ```ts
 * if (!adamF32Wasm(p, g, m, v, null, s)) adamLoopF32(p, g, m, v, s);
 * ```
 * @internal
 */
export function adamF32Wasm(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vMax: Float32Array | null,
  s: AdamF32Scalars,
): boolean {
  const w = optimInstance();
  if (w === null) return false;
  const { b1, b2, eps, sign, decay, wd, stepSize } = s;
  const c1 = 1 - b1,
    c2 = 1 - b2,
    inv = 1 / s.bc2Sqrt;
  const fn = vMax === null ? w.ex.adam : w.ex.adamAmsgrad;
  // Stryker disable next-line ArrayDeclaration: two implementations of one result (every entry is assigned below; an unset one would read undefined, skipped like null)
  const arrays: Array<Float32Array | null> = [null, null, null, null, null];
  arrays[ADAM_REGIONS.p] = p;
  arrays[ADAM_REGIONS.g] = g;
  arrays[ADAM_REGIONS.m] = m;
  arrays[ADAM_REGIONS.v] = v;
  arrays[ADAM_REGIONS.vMax] = vMax;
  streamChunks(w, arrays, ADAM_WRITTEN, (nb) => fn(nb, b1, c1, b2, c2, eps, decay, wd, sign, stepSize, inv));
  return true;
}

const RMSPROP_WRITTEN = (() => {
  // Stryker disable next-line ArrayDeclaration: two implementations of one result (an entry never set reads undefined, falsy like false)
  const w = [false, false, false, false, false];
  w[RMSPROP_REGIONS.p] = w[RMSPROP_REGIONS.sq] = w[RMSPROP_REGIONS.gradAvg] = w[RMSPROP_REGIONS.buf] = true;
  return w;
})();

/** The scalars of a float32 RMSprop update (see `rmspropUpdate` in rmsprop.ts). @internal */
export interface RMSpropF32Scalars {
  alpha: number;
  eps: number;
  wd: number;
  sign: number;
  lr: number;
  mu: number;
}

/**
 * One float32 RMSprop update on the wasm module (centered when `gradAvg` is not null, with
 * momentum when `buf` is not null); false (nothing done) when it is unavailable.
 * @example
 * ```ts
 * if (!rmspropF32Wasm(p, g, sq, null, null, s)) rmspropLoop(p, g, sq, null, null, s);
 * ```
 * @internal
 */
export function rmspropF32Wasm(
  p: Float32Array,
  g: Float32Array,
  sq: Float32Array,
  gradAvg: Float32Array | null,
  buf: Float32Array | null,
  s: RMSpropF32Scalars,
): boolean {
  const w = optimInstance();
  if (w === null) return false;
  const { alpha, eps, wd, sign, lr, mu } = s;
  const c = 1 - alpha;
  const ex = w.ex;
  const fn = gradAvg === null ? (buf === null ? ex.rmsprop___ : ex.rmsprop__m) : buf === null ? ex.rmsprop_c_ : ex.rmsprop_cm;
  // Stryker disable next-line ArrayDeclaration: two implementations of one result (every entry is assigned below; an unset one would read undefined, skipped like null)
  const arrays: Array<Float32Array | null> = [null, null, null, null, null];
  arrays[RMSPROP_REGIONS.p] = p;
  arrays[RMSPROP_REGIONS.g] = g;
  arrays[RMSPROP_REGIONS.sq] = sq;
  arrays[RMSPROP_REGIONS.gradAvg] = gradAvg;
  arrays[RMSPROP_REGIONS.buf] = buf;
  streamChunks(w, arrays, RMSPROP_WRITTEN, (nb) => fn(nb, alpha, c, eps, wd, sign, lr, mu));
  return true;
}

const SGD_WRITTEN = (() => {
  // Stryker disable next-line ArrayDeclaration: two implementations of one result (an entry never set reads undefined, falsy like false)
  const w = [false, false, false];
  w[SGD_REGIONS.p] = w[SGD_REGIONS.buf] = true;
  return w;
})();

/**
 * One float32 SGD update on the wasm module: plain when `buf` is null, else with momentum
 * (`b ← μ·b + keep·d`, after the buffer's first step), Nesterov's when `nesterov`; false (nothing
 * done) when the module is unavailable.
 * @example
 * ```ts
 * if (!sgdF32Wasm(p, g, null, false, 1, 0, 0.01, 0, 1)) sgdLoopF32(p, g, 1, 0, 0.01);
 * ```
 * @internal
 */
export function sgdF32Wasm(
  p: Float32Array,
  g: Float32Array,
  buf: Float32Array | null,
  nesterov: boolean,
  sign: number,
  wd: number,
  lr: number,
  mu: number,
  keep: number,
): boolean {
  const w = optimInstance();
  if (w === null) return false;
  const ex = w.ex;
  const fn = buf === null ? ex.sgd : nesterov ? ex.sgdNesterov : ex.sgdMomentum;
  // Stryker disable next-line ArrayDeclaration: two implementations of one result (every entry is assigned below; an unset one would read undefined, skipped like null)
  const arrays: Array<Float32Array | null> = [null, null, null];
  arrays[SGD_REGIONS.p] = p;
  arrays[SGD_REGIONS.g] = g;
  arrays[SGD_REGIONS.buf] = buf;
  streamChunks(w, arrays, SGD_WRITTEN, (nb) => fn(nb, sign, wd, lr, mu, keep));
  return true;
}
