/**
 * Generates the WebAssembly SIMD128 module of the streaming float32 elementwise kernels
 * (driven by `stream.ts`): f32x4 loops over a region of the module's own memory.
 *
 * Exported functions; pointers and lengths in bytes, lengths a multiple of 16 (the driver pads a
 * chunk to whole vectors; the padding lanes compute garbage that is never copied out):
 * - unary `exp`, `sigmoid`, `tanh`, `relu`: `(src, dst, bytes)`;
 * - binary `add`, `sub`, `mul`, `div`: `(a, b, dst, bytes)`, dst[i] = a[i] op b[i];
 * - one scalar operand `add_s`, `sub_s`, `mul_s`, `div_s`: `(a, s, dst, bytes)`, dst[i] = a[i] op s,
 *   and `rsub_s`, `rdiv_s`: dst[i] = s op a[i] (s an f32 parameter).
 *
 * The exponential (all in f32x4): v clamped to [-104, 89]; n = round(v/ln2) by the 1.5·2²³
 * shifter; r = v − n·L1 − n·L2 (Cody–Waite: L1 = 0.693145751953125 has 15 significant bits, so
 * n·L1 and v − n·L1 are exact for |n| ≤ 150, and |r| ≤ 0.3466 + rounding); e^r = 1 + t,
 * t = r + r²·q(r), q a degree-4 Chebyshev interpolant of (e^r − 1 − r)/r² on [−0.35, 0.35]
 * (relative error 1.1e-8 of e^r); e^v = (1 + t)·2^⌊n/2⌋·2^(n−⌊n/2⌋), two exact power-of-two
 * factors so that results past float32's normal range overflow to Infinity or round once to a
 * subnormal, like the float64 reference rounded to float32.
 * - exp: f32 throughout; within 1 float32 ulp of the correctly rounded value (sweeps in
 *   test/kernels/stream.test.ts).
 * - sigmoid: u = e^−|x| in f32, then (x ≥ 0 ? 1 : u) / (1 + u) in f64x2, demoted once (no
 *   overflow for any x, subnormal results for x < −87); within 1 ulp.
 * - tanh: m = expm1(−2|x|) = (2ⁿ − 1) + 2ⁿ·(r + r²q) and −m / (m + 2) in f64x2 (from the f32 r,
 *   r²q and 2ⁿ), demoted once, with the sign of x put back; within 1 ulp (an all-f32 form measured
 *   2 ulp).
 * - relu: x & ~(x ≤ 0): relu(−0) = +0, NaN of either sign kept.
 * - add/sub/mul/div: one IEEE f32 operation, bit-identical to the float64 JS loop rounded to f32.
 * - column sum `colsum`: `(src, acc, rowBytes, rows)`, acc[j] += src[r][j] for each of `rows` rows
 *   of `rowBytes` bytes (a multiple of 16) in order, with `acc` float64: the sum over the leading
 *   dims of a contiguous float32 tensor (a bias gradient), the same additions in the same order as
 *   the JS reduction.
 * @module
 */
import { FunctionBuilder, ModuleBuilder, Op, SimdOp, ValType } from './emit.js';

const { i32, f32, v128 } = ValType;

/** An expression: emits code that leaves one value on the stack. */
type Ex = (f: FunctionBuilder) => void;

const get =
  (l: number): Ex =>
  (f) =>
    void f.get(l);
const int =
  (v: number): Ex =>
  (f) =>
    void f.i32(v);
/** A SIMD instruction applied to the values of `args` (pushed left to right). */
const op =
  (code: number, ...args: Ex[]): Ex =>
  (f) => {
    for (const a of args) a(f);
    f.simd(code);
  };
const shuffle =
  (a: Ex, b: Ex, bytes: readonly number[]): Ex =>
  (f) => {
    a(f);
    b(f);
    f.shuffle(bytes);
  };

const f32Bytes = new Float32Array(1);
const f32Words = new Uint8Array(f32Bytes.buffer);
const f64Bytes = new Float64Array(1);
const f64Words = new Uint8Array(f64Bytes.buffer);

/** `v128.const` with four copies of the float32 `x`. */
const constF32 =
  (x: number): Ex =>
  (f) => {
    f.simd(SimdOp.v128Const);
    f32Bytes[0] = x;
    for (let l = 0; l < 4; l++) for (let b = 0; b < 4; b++) f.code.push(f32Words[b]!);
  };
/** `v128.const` with four copies of the 32-bit integer `x`. */
const constI32 =
  (x: number): Ex =>
  (f) => {
    f.simd(SimdOp.v128Const);
    for (let l = 0; l < 4; l++) for (let b = 0; b < 4; b++) f.code.push((x >>> (8 * b)) & 0xff);
  };
/** `v128.const` with two copies of the float64 `x`. */
const constF64 =
  (x: number): Ex =>
  (f) => {
    f.simd(SimdOp.v128Const);
    f64Bytes[0] = x;
    for (let l = 0; l < 2; l++) for (let b = 0; b < 8; b++) f.code.push(f64Words[b]!);
  };

/** 1/ln2 rounded to float32, and the Cody–Waite split of ln2 (see the module notes). */
const INV_LN2 = Math.fround(1 / Math.LN2);
const LN2_HI = 0.693145751953125;
const LN2_LO = Math.fround(Math.LN2 - LN2_HI);
/** 1.5·2²³: (t + SHIFT) − SHIFT rounds t to the nearest integer, which the low bits of t + SHIFT hold. */
const SHIFT = 12582912;
const SHIFT_BITS = 0x4b400000;
/**
 * q(r) ≈ (e^r − 1 − r)/r² on [−0.35, 0.35], lowest degree first: Chebyshev interpolant of degree 4
 * at 5 nodes, computed in float64 and rounded to float32.
 * @internal
 */
const EXP_Q = [0.5, 0.1666657342385978, 0.04166655016272387, 0.00836376702328279, 0.0013926918055595385].map(Math.fround);

/** Byte lanes of `i8x16.shuffle` taking the two low f32 lanes of `a` then of `b`, and the high half of `a` twice. */
const LOW_LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/** The constants of the exponential, held in locals for the loop. */
interface ExpLocals {
  inv: number;
  shift: number;
  shiftBits: number;
  hi: number;
  lo: number;
  q: number[];
}

function expLocals(f: FunctionBuilder): ExpLocals {
  const l = (e: Ex): number => {
    const i = f.local(v128);
    e(f);
    f.set(i);
    return i;
  };
  return {
    inv: l(constF32(INV_LN2)),
    shift: l(constF32(SHIFT)),
    shiftBits: l(constI32(SHIFT_BITS)),
    hi: l(constF32(LN2_HI)),
    lo: l(constF32(LN2_LO)),
    q: EXP_Q.map((c) => l(constF32(c))),
  };
}

/**
 * Range reduction and polynomial of e^v for the clamped f32x4 in local `v`: sets `n` (i32x4),
 * `r` and `r2q` = r²·q(r), so that e^v = 2ⁿ·(1 + (r + r2q)).
 */
function emitExpCore(f: FunctionBuilder, c: ExpLocals, v: number, out: { n: number; r: number; r2q: number }): void {
  const z = f.local(v128);
  const nf = f.local(v128);
  op(SimdOp.f32x4Add, op(SimdOp.f32x4Mul, get(v), get(c.inv)), get(c.shift))(f);
  f.tee(z);
  f.get(c.shift).simd(SimdOp.f32x4Sub).set(nf);
  op(SimdOp.i32x4Sub, get(z), get(c.shiftBits))(f);
  f.set(out.n);
  op(SimdOp.f32x4Sub, op(SimdOp.f32x4Sub, get(v), op(SimdOp.f32x4Mul, get(nf), get(c.hi))), op(SimdOp.f32x4Mul, get(nf), get(c.lo)))(f);
  f.set(out.r);
  // Horner: q = c0 + r(c1 + r(c2 + r(c3 + r c4))).
  const qs = c.q;
  let q: Ex = get(qs[qs.length - 1]!);
  for (let j = qs.length - 2; j >= 0; j--) q = op(SimdOp.f32x4Add, get(qs[j]!), op(SimdOp.f32x4Mul, get(out.r), q));
  op(SimdOp.f32x4Mul, op(SimdOp.f32x4Mul, get(out.r), get(out.r)), q)(f);
  f.set(out.r2q);
}

/** 2^(n + 127 − 127) as f32x4 bits from the i32x4 expression `n` (valid for n in [−126, 127]). */
const pow2 = (n: Ex, bias: Ex): Ex => op(SimdOp.i32x4Shl, op(SimdOp.i32x4Add, n, bias), int(23));

/**
 * e^v for the clamped f32x4 in local `v`, left on the stack: the core, then 2ⁿ applied as
 * 2^⌊n/2⌋·2^(n−⌊n/2⌋) (two exact factors, so results past the normal range round once).
 * `n1` is a scratch v128 local; `one` and `bias` give f32x4 1 and i32x4 127.
 */
function emitExpScaled(
  f: FunctionBuilder,
  c: ExpLocals,
  v: number,
  o: { n: number; r: number; r2q: number },
  n1: number,
  one: Ex,
  bias: Ex,
): void {
  emitExpCore(f, c, v, o);
  op(SimdOp.i32x4ShrS, get(o.n), int(1))(f);
  f.set(n1);
  const p = op(SimdOp.f32x4Add, one, op(SimdOp.f32x4Add, get(o.r), get(o.r2q)));
  op(SimdOp.f32x4Mul, op(SimdOp.f32x4Mul, p, pow2(get(n1), bias)), pow2(op(SimdOp.i32x4Sub, get(o.n), get(n1)), bias))(f);
}

/** A loop over the 16-byte vectors of [p, p + bytes): `body` reads and writes through `ptrs` (byte addresses). */
function vectorLoop(f: FunctionBuilder, ptrs: number[], bytes: number, body: () => void): void {
  const end = f.local(i32);
  f.get(ptrs[0]!).get(bytes).op(Op.i32Add).set(end);
  f.block(() => {
    f.get(bytes).op(Op.i32Eqz).brIf(0);
    f.loop(() => {
      body();
      for (const p of ptrs) f.inc(p, 16);
      f.get(ptrs[0]!).get(end).op(Op.i32LtU).brIf(0);
    });
  });
}

/**
 * A constant for the loop, held in a local set before the loop. (Measured: the same speed as an
 * inline `v128.const`, and as unrolling the loops by two; V8's TurboFan compiles either well.)
 */
function k(f: FunctionBuilder, c: Ex): Ex {
  const l = f.local(v128);
  c(f);
  f.set(l);
  return get(l);
}

function emitUnary(mb: ModuleBuilder, name: string, body: (f: FunctionBuilder, x: number) => Ex): void {
  mb.func(name, [i32, i32, i32], [], (f, src, dst, bytes) => {
    const x = f.local(v128);
    const result = body(f, x);
    vectorLoop(f, [src, dst], bytes, () => {
      f.get(dst);
      f.get(src).v128Load(0).set(x);
      result(f);
      f.v128Store(0);
    });
  });
}

/**
 * Builds the streaming kernels module (imports its memory as `env.memory`: a shared one of at
 * most `sharedMaxPages` pages when given, for the worker threads of the GEMM pool).
 * @example
 * ```ts
 * const bytes = buildStreamModule(); // new WebAssembly.Module(bytes)
 * ```
 * @internal
 */
export function buildStreamModule(opts: { sharedMaxPages?: number } = {}): Uint8Array {
  const mb = new ModuleBuilder().importMemory(
    opts.sharedMaxPages === undefined ? { initial: 1 } : { initial: 1, maximum: opts.sharedMaxPages, shared: true },
  );

  emitUnary(mb, 'exp', (f, x) => {
    const c = expLocals(f);
    const v = f.local(v128);
    const o = { n: f.local(v128), r: f.local(v128), r2q: f.local(v128) };
    const n1 = f.local(v128);
    const [hi, lo, one, bias] = [k(f, constF32(89)), k(f, constF32(-104)), k(f, constF32(1)), k(f, constI32(127))];
    return (g) => {
      // pmin(x, 89) = 89 < x ? 89 : x and pmax(., -104) keep NaN.
      op(SimdOp.f32x4Pmax, op(SimdOp.f32x4Pmin, get(x), hi), lo)(g);
      g.set(v);
      emitExpScaled(g, c, v, o, n1, one, bias);
    };
  });

  emitUnary(mb, 'sigmoid', (f, x) => {
    const c = expLocals(f);
    const v = f.local(v128);
    const o = { n: f.local(v128), r: f.local(v128), r2q: f.local(v128) };
    const n1 = f.local(v128);
    const u = f.local(v128);
    const num = f.local(v128);
    const one = f.local(v128);
    constF64(1)(f);
    f.set(one);
    const [sign, lo, one32, zero, bias] = [
      k(f, constF32(-0)),
      k(f, constF32(-104)),
      k(f, constF32(1)),
      k(f, constF32(0)),
      k(f, constI32(127)),
    ];
    return (g) => {
      // v = -|x| (the sign bit set), clamped below at -104.
      op(SimdOp.f32x4Pmax, op(SimdOp.v128Or, get(x), sign), lo)(g);
      g.set(v);
      emitExpScaled(g, c, v, o, n1, one32, bias);
      g.set(u);
      // num = x >= 0 ? 1 : u (NaN compares false: u, itself NaN).
      op(SimdOp.v128Bitselect, one32, get(u), op(SimdOp.f32x4Ge, get(x), zero))(g);
      g.set(num);
      const half = (e: Ex): Ex => op(SimdOp.f64x2PromoteLowF32x4, e);
      const high = (l: number): Ex => half(shuffle(get(l), get(l), HIGH));
      const low = (l: number): Ex => half(get(l));
      const div = (a: Ex, b: Ex): Ex => op(SimdOp.f32x4DemoteF64x2Zero, op(SimdOp.f64x2Div, a, op(SimdOp.f64x2Add, b, get(one))));
      shuffle(div(low(num), low(u)), div(high(num), high(u)), LOW_LOW)(g);
    };
  });

  emitUnary(mb, 'tanh', (f, x) => {
    const c = expLocals(f);
    const v = f.local(v128);
    const o = { n: f.local(v128), r: f.local(v128), r2q: f.local(v128) };
    const s = f.local(v128);
    const one = f.local(v128);
    const two = f.local(v128);
    constF64(1)(f);
    f.set(one);
    constF64(-2)(f);
    f.set(two);
    const [sign, two32, lo, bias] = [k(f, constF32(-0)), k(f, constF32(2)), k(f, constF32(-40)), k(f, constI32(127))];
    return (g) => {
      // v = -2|x|, clamped below at -40 (tanh(20) is 1 in float32).
      op(SimdOp.f32x4Pmax, op(SimdOp.f32x4Mul, op(SimdOp.v128Or, get(x), sign), two32), lo)(g);
      g.set(v);
      emitExpCore(g, c, v, o);
      pow2(get(o.n), bias)(g);
      g.set(s);
      // In f64: m = (s - 1) + s·(r + r2q); y = m / (-2 - m) = -m / (m + 2) >= 0 (or -0).
      const half = (l: number, high: boolean): Ex => op(SimdOp.f64x2PromoteLowF32x4, high ? shuffle(get(l), get(l), HIGH) : get(l));
      const y =
        (high: boolean): Ex =>
        (h) => {
          const m = op(
            SimdOp.f64x2Add,
            op(SimdOp.f64x2Sub, half(s, high), get(one)),
            op(SimdOp.f64x2Mul, half(s, high), op(SimdOp.f64x2Add, half(o.r, high), half(o.r2q, high))),
          );
          const mt = h.local(v128);
          m(h);
          h.set(mt);
          op(SimdOp.f32x4DemoteF64x2Zero, op(SimdOp.f64x2Div, get(mt), op(SimdOp.f64x2Sub, get(two), get(mt))))(h);
        };
      // |y| with the sign bit of x.
      op(SimdOp.v128Or, op(SimdOp.f32x4Abs, shuffle(y(false), y(true), LOW_LOW)), op(SimdOp.v128And, get(x), sign))(g);
    };
  });

  emitUnary(mb, 'relu', (f, x) => {
    const zero = k(f, constF32(0));
    return op(SimdOp.v128AndNot, get(x), op(SimdOp.f32x4Le, get(x), zero));
  });

  const binaries: Array<[string, number]> = [
    ['add', SimdOp.f32x4Add],
    ['sub', SimdOp.f32x4Sub],
    ['mul', SimdOp.f32x4Mul],
    ['div', SimdOp.f32x4Div],
  ];
  for (const [name, code] of binaries) {
    mb.func(name, [i32, i32, i32, i32], [], (f, a, b, dst, bytes) => {
      vectorLoop(f, [a, b, dst], bytes, () => {
        f.get(dst).get(a).v128Load(0).get(b).v128Load(0).simd(code).v128Store(0);
      });
    });
    for (const reversed of [false, true]) {
      if (reversed && (name === 'add' || name === 'mul')) continue;
      mb.func(`${reversed ? 'r' : ''}${name}_s`, [i32, f32, i32, i32], [], (f, a, s, dst, bytes) => {
        const sv = f.local(v128);
        f.get(s).simd(SimdOp.f32x4Splat).set(sv);
        vectorLoop(f, [a, dst], bytes, () => {
          f.get(dst);
          if (reversed) f.get(sv).get(a).v128Load(0);
          else f.get(a).v128Load(0).get(sv);
          f.simd(code).v128Store(0);
        });
      });
    }
  }
  // colsum: acc[j] += a[r][j] in f64 for every row r in order (each output's additions in the
  // order of the JS reduction, so the same bits); rows of `bytes` bytes, a multiple of 16.
  mb.func('colsum', [i32, i32, i32, i32], [], (f, src, acc, bytes, rows) => {
    const x = f.local(v128);
    const q = f.local(i32);
    const end = f.local(i32);
    const add = (lane: Ex, at: number): void => {
      f.get(q);
      op(SimdOp.f64x2Add, (g) => void g.get(q).v128Load(at), op(SimdOp.f64x2PromoteLowF32x4, lane))(f);
      f.v128Store(at);
    };
    f.block(() => {
      f.get(rows).op(Op.i32Eqz).brIf(0);
      f.loop(() => {
        f.get(acc).set(q);
        f.get(src).get(bytes).op(Op.i32Add).set(end);
        f.loop(() => {
          f.get(src).v128Load(0).set(x);
          add(get(x), 0);
          add(shuffle(get(x), get(x), HIGH), 16);
          f.inc(src, 16);
          f.inc(q, 32);
          f.get(src).get(end).op(Op.i32LtU).brIf(0);
        });
        f.get(rows).i32(1).op(Op.i32Sub).set(rows);
        f.get(rows).brIf(0);
      });
    });
  });
  return mb.toBytes();
}
