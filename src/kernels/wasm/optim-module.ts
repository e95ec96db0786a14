/**
 * Generates the WebAssembly SIMD128 (f32x4) module of the float32 optimizer updates (Adam/AdamW,
 * with and without AMSGrad, and RMSprop's variants).
 *
 * The module works on one chunk of at most `chunk` elements at a time, in fixed regions of its
 * memory: region r (r = 0, 1, ...) starts at byte `r · chunk · 4`. The JS driver
 * (`src/optim/optim-wasm.ts`) copies a chunk of the parameter, the gradient and the state buffers
 * in, calls one update, and copies the parameter and the state back. The regions are memory
 * offsets of the loads and stores (immediates), so a function only takes the chunk's length in
 * bytes, rounded up to a multiple of 16 (the lanes past the end hold stale values; they are computed
 * and never copied back), and its float32 scalars.
 *
 * Exported functions (all `(nBytes: i32, ...scalars: f32) → ()`):
 * - `adam(nBytes, b1, c1, b2, c2, eps, decay, wd, sign, stepSize, invBc2Sqrt)` and `adamAmsgrad(...)`:
 *   regions [p, g, m, v] (+ vMax); per lane `θ ← θ·decay; d ← sign·g + wd·θ; m ← b1·m + c1·d;
 *   v ← b2·v + (c2·d)·d; (AMSGrad: vMax ← max(vMax, v), v ← vMax); θ ← θ − (stepSize·m) / (√v · invBc2Sqrt + eps)`.
 * - `rmsprop_<c><m>(nBytes, alpha, c, eps, wd, sign, lr, mu)` with `<c>` = `c` (centered) or `_`,
 *   `<m>` = `m` (momentum) or `_`: regions [p, g, sq, gradAvg, buf]; per lane `d ← sign·g + wd·θ;
 *   sq ← α·sq + (c·d)·d; (centered: a ← α·a + c·d, den ← √(sq − a·a) + eps; else den ← √sq + eps);
 *   (momentum: b ← μ·b + d/den, θ ← θ − lr·b; else θ ← θ − (lr·d)/den)`.
 *
 * @module
 */
import { FunctionBuilder, ModuleBuilder, SimdOp, ValType } from './emit.js';

const { i32, f32, v128 } = ValType;

/** Regions (in units of one chunk) of the Adam functions. @internal */
export const ADAM_REGIONS = { p: 0, g: 1, m: 2, v: 3, vMax: 4 } as const;
/** Regions (in units of one chunk) of the RMSprop functions. @internal */
export const RMSPROP_REGIONS = { p: 0, g: 1, sq: 2, gradAvg: 3, buf: 4 } as const;
/** Number of regions the module uses: its memory must hold `OPTIM_REGIONS · chunk` float32 values. @internal */
export const OPTIM_REGIONS = 5;

/** Loads the f32 parameter `param` splatted into a new v128 local and returns the local. */
function splat(f: FunctionBuilder, param: number): number {
  const l = f.local(v128);
  f.get(param).simd(SimdOp.f32x4Splat).set(l);
  return l;
}

/** `a * b` of two v128 locals, left on the stack. */
function mul(f: FunctionBuilder, a: number, b: number): FunctionBuilder {
  return f.get(a).get(b).simd(SimdOp.f32x4Mul);
}

/** Emits `adam` (amsgrad false) or `adamAmsgrad`. */
function emitAdam(f: FunctionBuilder, chunk: number, amsgrad: boolean, args: number[]): void {
  const [nBytes, ...sc] = args as [number, ...number[]];
  const [b1, c1, b2, c2, eps, decay, wd, sign, stepSize, inv] = sc.map((a) => splat(f, a)) as [
    number, number, number, number, number, number, number, number, number, number];
  const R = chunk * 4;
  const P = ADAM_REGIONS.p * R, G = ADAM_REGIONS.g * R, M = ADAM_REGIONS.m * R, V = ADAM_REGIONS.v * R, VM = ADAM_REGIONS.vMax * R;
  const i = f.local(i32);
  const th = f.local(v128), d = f.local(v128), m = f.local(v128), v = f.local(v128);
  f.forRange(i, () => f.i32(0), () => f.get(nBytes), 16, () => {
    // θ·decay
    f.get(i).v128Load(P).get(decay).simd(SimdOp.f32x4Mul).set(th);
    // d = sign·g + wd·θ
    f.get(i).v128Load(G).get(sign).simd(SimdOp.f32x4Mul);
    mul(f, wd, th).simd(SimdOp.f32x4Add).set(d);
    // m = b1·m + c1·d
    f.get(i);
    f.get(i).v128Load(M).get(b1).simd(SimdOp.f32x4Mul);
    mul(f, c1, d).simd(SimdOp.f32x4Add).tee(m).v128Store(M);
    // v = b2·v + (c2·d)·d
    f.get(i);
    f.get(i).v128Load(V).get(b2).simd(SimdOp.f32x4Mul);
    mul(f, c2, d).get(d).simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Add).tee(v).v128Store(V);
    if (amsgrad) {
      f.get(i);
      f.get(i).v128Load(VM).get(v).simd(SimdOp.f32x4Max).tee(v).v128Store(VM);
    }
    // θ − (stepSize·m) / (√v·inv + eps)
    f.get(i).get(th);
    mul(f, stepSize, m);
    f.get(v).simd(SimdOp.f32x4Sqrt).get(inv).simd(SimdOp.f32x4Mul).get(eps).simd(SimdOp.f32x4Add);
    f.simd(SimdOp.f32x4Div).simd(SimdOp.f32x4Sub).v128Store(P);
  });
}

/** Emits one RMSprop variant. */
function emitRmsprop(f: FunctionBuilder, chunk: number, centered: boolean, momentum: boolean, args: number[]): void {
  const [nBytes, ...sc] = args as [number, ...number[]];
  const [alpha, c, eps, wd, sign, lr, mu] = sc.map((a) => splat(f, a)) as [number, number, number, number, number, number, number];
  const R = chunk * 4;
  const P = RMSPROP_REGIONS.p * R, G = RMSPROP_REGIONS.g * R, SQ = RMSPROP_REGIONS.sq * R;
  const A = RMSPROP_REGIONS.gradAvg * R, B = RMSPROP_REGIONS.buf * R;
  const i = f.local(i32);
  const th = f.local(v128), d = f.local(v128), sq = f.local(v128), a = f.local(v128), den = f.local(v128);
  f.forRange(i, () => f.i32(0), () => f.get(nBytes), 16, () => {
    f.get(i).v128Load(P).set(th);
    // d = sign·g + wd·θ
    f.get(i).v128Load(G).get(sign).simd(SimdOp.f32x4Mul);
    mul(f, wd, th).simd(SimdOp.f32x4Add).set(d);
    // sq = α·sq + (c·d)·d
    f.get(i);
    f.get(i).v128Load(SQ).get(alpha).simd(SimdOp.f32x4Mul);
    mul(f, c, d).get(d).simd(SimdOp.f32x4Mul).simd(SimdOp.f32x4Add).tee(sq).v128Store(SQ);
    if (centered) {
      // a = α·a + c·d;  den = √(sq − a·a) + eps
      f.get(i);
      f.get(i).v128Load(A).get(alpha).simd(SimdOp.f32x4Mul);
      mul(f, c, d).simd(SimdOp.f32x4Add).tee(a).v128Store(A);
      f.get(sq);
      mul(f, a, a).simd(SimdOp.f32x4Sub);
    } else {
      f.get(sq);
    }
    f.simd(SimdOp.f32x4Sqrt).get(eps).simd(SimdOp.f32x4Add).set(den);
    if (momentum) {
      // b = μ·b + d/den;  θ − lr·b
      f.get(i);
      f.get(i).v128Load(B).get(mu).simd(SimdOp.f32x4Mul);
      f.get(d).get(den).simd(SimdOp.f32x4Div).simd(SimdOp.f32x4Add).tee(a).v128Store(B);
      f.get(i).get(th);
      mul(f, lr, a).simd(SimdOp.f32x4Sub).v128Store(P);
    } else {
      // θ − (lr·d)/den
      f.get(i).get(th);
      mul(f, lr, d).get(den).simd(SimdOp.f32x4Div).simd(SimdOp.f32x4Sub).v128Store(P);
    }
  });
}

/**
 * Builds the module bytes for chunks of `chunk` elements (a multiple of 4); it imports `env.memory`,
 * which must hold at least {@link OPTIM_REGIONS}` · chunk · 4` bytes.
 * @example
 * ```ts
 * const mod = new WebAssembly.Module(buildOptimModule(2048));
 * ```
 * @internal
 */
export function buildOptimModule(chunk: number): Uint8Array {
  if (chunk <= 0 || chunk % 4 !== 0) throw new Error(`buildOptimModule: chunk must be a positive multiple of 4, got ${chunk}`);
  const pages = Math.ceil((OPTIM_REGIONS * chunk * 4) / 65536);
  const mod = new ModuleBuilder().importMemory({ initial: pages });
  const adamArgs = [i32, ...new Array<ValType>(10).fill(f32)];
  mod.func('adam', adamArgs, [], (f, ...a) => emitAdam(f, chunk, false, a));
  mod.func('adamAmsgrad', adamArgs, [], (f, ...a) => emitAdam(f, chunk, true, a));
  const rmsArgs = [i32, ...new Array<ValType>(7).fill(f32)];
  for (const centered of [false, true]) {
    for (const momentum of [false, true]) {
      const name = `rmsprop_${centered ? 'c' : '_'}${momentum ? 'm' : '_'}`;
      mod.func(name, rmsArgs, [], (f, ...a) => emitRmsprop(f, chunk, centered, momentum, a));
    }
  }
  return mod.toBytes();
}

