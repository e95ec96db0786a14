/**
 * Generates the WebAssembly SIMD128 (f32x4) module of the float32 optimizer updates (Adam/AdamW,
 * with and without AMSGrad, RMSprop's variants, SGD with and without (Nesterov) momentum).
 *
 * The module works on one chunk of at most `chunk` elements at a time, in fixed regions of its
 * memory: region r (r = 0, 1, ...) starts at byte {@link regionBase}`(r, chunk)`. The JS driver
 * (`wasm/optim-stream.ts`) copies a chunk of the parameter, the gradient and the state buffers
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
 * - `sgd`, `sgdMomentum`, `sgdNesterov` `(nBytes, sign, wd, lr, mu, keep)`: regions [p, g, buf]; per lane
 *   `d ← sign·g + wd·θ; (momentum: b ← μ·b + keep·d; d ← b, or Nesterov d ← d + μ·b); θ ← θ − lr·d`.
 *
 * @module
 */
import { FunctionBuilder, ModuleBuilder, SimdOp, ValType } from './emit.js';

const { i32, f32, v128 } = ValType;

/** Regions (in units of one chunk) of the Adam functions. @internal */
export const ADAM_REGIONS = { p: 0, g: 1, m: 2, v: 3, vMax: 4 } as const;
/** Regions (in units of one chunk) of the RMSprop functions. @internal */
export const RMSPROP_REGIONS = { p: 0, g: 1, sq: 2, gradAvg: 3, buf: 4 } as const;
/** Regions (in units of one chunk) of the SGD functions. @internal */
export const SGD_REGIONS = { p: 0, g: 1, buf: 2 } as const;
/** Number of regions the module uses. @internal */
export const OPTIM_REGIONS = 5;

/**
 * Byte address of region `r` for chunks of `chunk` elements: regions follow each other, staggered
 * so that no two start at the same address modulo 4096 and none at 0 modulo 4096 (1024 + 576·r):
 * large tensor buffers start at or just after a page boundary, and a copy (or a loop) whose source
 * and destination addresses agree modulo 4096 stalls on 4K aliasing (copying a chunk back from a
 * page-aligned region measured several times slower; docs/performance.md).
 * @example
 * ```ts
 * regionBase(1, 2048); // 1024 + 8192 + 576
 * ```
 * @internal
 */
export function regionBase(r: number, chunk: number): number {
  return 1024 + r * (chunk * 4 + 576);
}

/** Bytes of memory the module needs for chunks of `chunk` elements. @internal */
export function optimModuleBytes(chunk: number): number {
  return regionBase(OPTIM_REGIONS, chunk);
}

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
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = (r: number): number => regionBase(r, chunk);
  const P = at(ADAM_REGIONS.p),
    G = at(ADAM_REGIONS.g),
    M = at(ADAM_REGIONS.m),
    V = at(ADAM_REGIONS.v),
    VM = at(ADAM_REGIONS.vMax);
  const i = f.local(i32);
  const th = f.local(v128),
    d = f.local(v128),
    m = f.local(v128),
    v = f.local(v128);
  f.forRange(
    i,
    () => f.i32(0),
    () => f.get(nBytes),
    16,
    () => {
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
    },
  );
}

/** Emits one RMSprop variant. */
function emitRmsprop(f: FunctionBuilder, chunk: number, centered: boolean, momentum: boolean, args: number[]): void {
  const [nBytes, ...sc] = args as [number, ...number[]];
  const [alpha, c, eps, wd, sign, lr, mu] = sc.map((a) => splat(f, a)) as [number, number, number, number, number, number, number];
  const at = (r: number): number => regionBase(r, chunk);
  const P = at(RMSPROP_REGIONS.p),
    G = at(RMSPROP_REGIONS.g),
    SQ = at(RMSPROP_REGIONS.sq);
  const A = at(RMSPROP_REGIONS.gradAvg),
    B = at(RMSPROP_REGIONS.buf);
  const i = f.local(i32);
  const th = f.local(v128),
    d = f.local(v128),
    sq = f.local(v128),
    a = f.local(v128),
    den = f.local(v128);
  f.forRange(
    i,
    () => f.i32(0),
    () => f.get(nBytes),
    16,
    () => {
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
    },
  );
}

/** Emits plain SGD, SGD with momentum, or with Nesterov momentum (`kind` 0, 1, 2). */
function emitSgd(f: FunctionBuilder, chunk: number, kind: 0 | 1 | 2, args: number[]): void {
  const [nBytes, ...sc] = args as [number, ...number[]];
  const [sign, wd, lr, mu, keep] = sc.map((a) => splat(f, a)) as [number, number, number, number, number];
  const at = (r: number): number => regionBase(r, chunk);
  const P = at(SGD_REGIONS.p),
    G = at(SGD_REGIONS.g),
    B = at(SGD_REGIONS.buf);
  const i = f.local(i32);
  const th = f.local(v128),
    d = f.local(v128),
    b = f.local(v128);
  f.forRange(
    i,
    () => f.i32(0),
    () => f.get(nBytes),
    16,
    () => {
      f.get(i).v128Load(P).set(th);
      // d = sign·g + wd·θ
      f.get(i).v128Load(G).get(sign).simd(SimdOp.f32x4Mul);
      mul(f, wd, th).simd(SimdOp.f32x4Add).set(d);
      if (kind === 0) {
        // θ − lr·d
        f.get(i).get(th);
        mul(f, lr, d).simd(SimdOp.f32x4Sub).v128Store(P);
        return;
      }
      // b = μ·b + keep·d
      f.get(i);
      f.get(i).v128Load(B).get(mu).simd(SimdOp.f32x4Mul);
      mul(f, keep, d).simd(SimdOp.f32x4Add).tee(b).v128Store(B);
      f.get(i).get(th);
      if (kind === 1) {
        // θ − lr·b
        mul(f, lr, b);
      } else {
        // θ − lr·(d + μ·b)
        f.get(lr).get(d);
        mul(f, mu, b).simd(SimdOp.f32x4Add).simd(SimdOp.f32x4Mul);
      }
      f.simd(SimdOp.f32x4Sub).v128Store(P);
    },
  );
}

/**
 * Builds the module bytes for chunks of `chunk` elements (a multiple of 4); it imports `env.memory`,
 * which must hold at least {@link optimModuleBytes}`(chunk)` bytes.
 * @example
 * ```ts
 * const mod = new WebAssembly.Module(buildOptimModule(2048));
 * ```
 * @internal
 */
export function buildOptimModule(chunk: number): Uint8Array {
  if (chunk <= 0 || chunk % 4 !== 0) throw new Error(`buildOptimModule: chunk must be a positive multiple of 4, got ${chunk}`);
  const pages = Math.ceil(optimModuleBytes(chunk) / 65536);
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
  const sgdArgs = [i32, ...new Array<ValType>(5).fill(f32)];
  mod.func('sgd', sgdArgs, [], (f, ...a) => emitSgd(f, chunk, 0, a));
  mod.func('sgdMomentum', sgdArgs, [], (f, ...a) => emitSgd(f, chunk, 1, a));
  mod.func('sgdNesterov', sgdArgs, [], (f, ...a) => emitSgd(f, chunk, 2, a));
  return mod.toBytes();
}
