/**
 * Fast float32 kernels for exp, sigmoid and tanh, without `Math.exp`.
 *
 * `Math.exp` is a call into V8's fdlibm port per element; these loops inline a
 * table-driven exponential computed in float64 arithmetic and rounded once to float32 on the
 * store, so they are accurate to float32 rounding (see the bounds below) at a fraction of the cost.
 * Float64 tensors keep `Math.exp` (the polynomial is only float32-accurate).
 *
 * The exponential: x = k·(ln2/16) + r with k = round(16·x/ln2) and |r| ≤ ln2/32 ≈ 0.0217, then
 * e^x = 2^(k/16) · p(r), where 2^(k/16) comes from a table (one Float64Array load; it replaces the
 * usual 2^⌊k/16⌋ exponent-bit construction, which V8 cannot do without a memory round trip through
 * a shared Int32Array view, measured slower) and p is the Taylor polynomial of e^r.
 * - k is rounded with the 1.5·2^52 shifter `(t + S) - S` (round to nearest even), which V8 compiles
 *   to two adds; `Math.round` measured slower in the whole loop.
 * - The reduction uses a single ln2/16 constant: in float64, k·(ln2/16) for |k| ≤ 2424 is off by at
 *   most 1.4e-14 absolute, i.e. 1.4e-14 relative in e^x, six orders below float32's half ulp
 *   (6e-8), so a Cody–Waite two-constant split (needed when reducing in float32) buys nothing here.
 * - exp: degree 3, truncation error |r|⁴/24 ≤ 9.2e-9 relative, at most 0.16 float32 ulp before the
 *   final rounding: the stored result is within 1 ulp of the correctly rounded value (0.66 ulp of
 *   the exact one).
 * - sigmoid = 1 / (1 + e^-x): the relative error of e^-x is damped by e/(1+e) ≤ 1, so the same
 *   ≤ 1 ulp bound holds.
 * - tanh = -m / (m + 2) with m = expm1(-2x) = (2^(k/16) - 1) + 2^(k/16)·q(r), q a degree-4 Taylor
 *   polynomial of e^r - 1 (relative error |r|⁴/120 ≤ 1.8e-9), so tanh keeps its relative accuracy
 *   near 0 where 1 - e^-2|x| would cancel; ≤ 1 ulp.
 *
 * Measured over every 97th float32 bit pattern (44M inputs, test/kernels/fastmath.test.ts sweeps
 * every 997th): all three within 1 ulp of the float64 reference rounded to float32; off by one
 * ulp in 0.12 % (exp), 0.06 % (sigmoid) and 0.006 % (tanh) of the inputs, exact otherwise.
 *
 * Inputs are clamped before the reduction so the table index stays in range; the clamp bounds are
 * past the float32 overflow/underflow points, so ±Inf, overflow to Infinity, underflow to 0 (with
 * float32 subnormals in between) and NaN come out as `Math.exp` rounded to float32 gives them
 * (NaN passes the clamp comparisons unchanged, and `NaN | 0` indexes a valid table entry).
 *
 * These are the JS loops only. The kernel runtime's `unaryF32` (`runtime/elementwise.ts`) picks
 * between them and the WebAssembly SIMD kernels of `wasm/stream-module.ts` (f32x4, several times
 * faster; same ≤ 1 ulp bound, measured over every 97th float32 bit pattern, but not the same bits:
 * off by one ulp from the correctly rounded value for 0.42 % (exp), 1.8 % (sigmoid) and 0.17 %
 * (tanh) of the inputs); where WebAssembly SIMD is unavailable these loops run at every size.
 * @module
 */

/** Table steps per octave: e^x = 2^(k/STEPS) · p(r). */
const STEPS = 16;
/** The clamp of exp/sigmoid arguments: e^±105 is past float32's range in both directions. */
const LIMIT = 105;
/** STEPS / ln2 and ln2 / STEPS. */
const INV_STEP = STEPS / Math.LN2;
const STEP = Math.LN2 / STEPS;
/** 1.5·2^52: (t + SHIFT) - SHIFT rounds t to the nearest integer for |t| < 2^51. */
const SHIFT = 6755399441055744;
/** Smallest table index (k at -LIMIT, with a margin). */
const K_MIN = Math.floor(-LIMIT * INV_STEP) - 2;
/** TABLE[k - K_MIN] = 2^(k/STEPS) for every k the clamped arguments can produce. */
const TABLE = buildTable();
/** The table offset: entry of k is TABLE[k + OFF]. */
const OFF = -K_MIN;

function buildTable(): Float64Array {
  const kMax = Math.ceil(LIMIT * INV_STEP) + 2;
  const t = new Float64Array(kMax - K_MIN + 1);
  // 2^(j/16) for j in [0, 16) from Math.pow (correctly rounded here), times an exact power of two.
  for (let k = K_MIN; k <= kMax; k++) {
    const j = ((k % STEPS) + STEPS) % STEPS;
    t[k - K_MIN] = Math.pow(2, j / STEPS) * Math.pow(2, (k - j) / STEPS);
  }
  return t;
}

/*
 * The clamps are written as literals in the loops (a module constant there measured slower in
 * V8 11): exp clamps to [-104, 89] (e^89 overflows float32, e^-104 is below half the
 * smallest subnormal, so both ends round like every argument past them); sigmoid clamps -x to
 * [-105, 105] (= LIMIT); tanh clamps -2x to [-40, 40] (tanh(±20) is ±1 in float32 and float64,
 * and e^40 stays finite).
 */

/**
 * e^x for one number, float32-accurate: rounded to float32 it is within 1 ulp of e^x rounded to
 * float32 (the float64 value itself has a relative error below 1e-8, and arguments below -104
 * give e^-104 ≈ 7e-46, which rounds to 0 in float32). For float32 data in loops that need a few
 * exps per element (fused softmax/cross-entropy); V8 inlines it.
 * @example
 * ```ts
 * Math.fround(expFloat32(1)); // 2.7182817 (= Math.fround(Math.E))
 * ```
 */
export function expFloat32(x: number): number {
  // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
  let v = x > 89 ? 89 : x;
  // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
  v = v < -104 ? -104 : v;
  const k = v * INV_STEP + SHIFT - SHIFT;
  const r = v - k * STEP;
  return (1 + r + r * r * (0.5 + r * (1 / 6))) * TABLE[(k | 0) + OFF]!;
}

/**
 * out[outOff + i] = e^a[aOff + i] for i in [0, n), within 1 float32 ulp of the correctly rounded
 * value (see the module notes). `out` and `a`
 * may be the same array with the same offsets.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * expF32(out, new Float32Array([0, 1]), 2); // out = [1, 2.7182817]
 * ```
 */
export function expF32(out: Float32Array, a: Float32Array, n: number, aOff = 0, outOff = 0): void {
  const T = TABLE;
  const inv = INV_STEP;
  const step = STEP;
  const off = OFF;
  for (let i = 0; i < n; i++) {
    let v = a[aOff + i]!;
    // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
    v = v > 89 ? 89 : v;
    // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
    v = v < -104 ? -104 : v;
    const k = v * inv + SHIFT - SHIFT;
    const r = v - k * step;
    const p = 1 + r + r * r * (0.5 + r * (1 / 6));
    out[outOff + i] = p * T[(k | 0) + off]!;
  }
}

/**
 * out[outOff + i] = 1 / (1 + e^-a[aOff + i]) for i in [0, n), within 1 float32 ulp of the
 * correctly rounded value. `out` and `a` may alias exactly.
 * @example
 * ```ts
 * const out = new Float32Array(3);
 * sigmoidF32(out, new Float32Array([0, 2, -200]), 3); // out = [0.5, 0.8807971, 0]
 * ```
 */
export function sigmoidF32(out: Float32Array, a: Float32Array, n: number, aOff = 0, outOff = 0): void {
  const T = TABLE;
  const inv = INV_STEP;
  const step = STEP;
  const off = OFF;
  for (let i = 0; i < n; i++) {
    let v = -a[aOff + i]!;
    // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
    v = v > 105 ? 105 : v;
    // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
    v = v < -105 ? -105 : v;
    const k = v * inv + SHIFT - SHIFT;
    const r = v - k * step;
    const p = 1 + r + r * r * (0.5 + r * (1 / 6));
    out[outOff + i] = 1 / (1 + p * T[(k | 0) + off]!);
  }
}

/**
 * out[outOff + i] = tanh(a[aOff + i]) for i in [0, n), within 1 float32 ulp of the correctly
 * rounded value (measured over a sweep of the float32 range; relative accuracy is kept near 0,
 * and tanh(±0) = ±0). `out` and `a` may alias exactly.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * tanhF32(out, new Float32Array([0.5, -30]), 2); // out = [0.46211717, -1]
 * ```
 */
export function tanhF32(out: Float32Array, a: Float32Array, n: number, aOff = 0, outOff = 0): void {
  const T = TABLE;
  const inv = INV_STEP;
  const step = STEP;
  const off = OFF;
  for (let i = 0; i < n; i++) {
    let v = -2 * a[aOff + i]!;
    // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
    v = v > 40 ? 40 : v;
    // Stryker disable next-line EqualityOperator: a clamp at its own bound (x equal to the bound gives the bound either way)
    v = v < -40 ? -40 : v;
    const k = v * inv + SHIFT - SHIFT;
    const r = v - k * step;
    const r2 = r * r;
    const q = r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24));
    const s = T[(k | 0) + off]!;
    const m = s - 1 + s * q;
    // m is +0 for both zeros, so -m / (m + 2) is -0 for both; v·(-0) is the zero of x's sign and
    // leaves every other result alone (v is clamped, so finite or NaN): tanh(±0) = ±0, no branch.
    out[outOff + i] = v * -0 - m / (m + 2);
  }
}

/**
 * out[outOff + i] = erf(a[aOff + i]) for i in [0, n), within 1 float32 ulp of the correctly
 * rounded value. |x| ≤ 1: x·P(x²), P of degree 7 with P(0) = 2/√π exactly, so tiny and subnormal
 * x round as x·2/√π does (relative error 1.6e-10); 1 < |x| < 4:
 * 1 − e^(−x²)·Q(u), u = (|x| − 2.5)/1.5, Q of degree 12 fitted to erfc(x)·e^(x²) (relative error
 * 7.6e-9, so 1.5e-9 in erf), e^(−x²) by the table exponential above; |x| ≥ 4: ±1 (erf(4) is 1 in
 * float32). The coefficients are Chebyshev interpolants computed offline against 40-digit erf.
 * NaN stays NaN, erf(±0) = ±0.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * erfF32(out, new Float32Array([0.5, -2]), 2); // out = [0.5204999, -0.9953223]
 * ```
 */
export function erfF32(out: Float32Array, a: Float32Array, n: number, aOff = 0, outOff = 0): void {
  const T = TABLE;
  const inv = INV_STEP;
  const step = STEP;
  const off = OFF;
  for (let i = 0; i < n; i++) {
    const x = a[aOff + i]!;
    const ax = Math.abs(x);
    let y: number;
    // Stryker disable next-line EqualityOperator: at |x| = 1 both polynomials are within the kernel's float32 error bound
    if (ax <= 1) {
      const t = x * x;
      y =
        x *
        (1.1283791670955126 +
          t *
            (-0.37612638889246447 +
              t *
                (0.11283790294566781 +
                  t *
                    (-0.026865948147191936 +
                      t *
                        (0.005222623200539625 +
                          t * (-0.0008508777449474951 + t * (0.00011453795835352413 + t * -1.0223598435303245e-5)))))));
      // Stryker disable next-line EqualityOperator: at |x| = 4 the polynomial and the constant 1 round to the same float32
    } else if (ax < 4) {
      const v = -ax * ax;
      const k = v * inv + SHIFT - SHIFT;
      const r = v - k * step;
      const e = (1 + r + r * r * (0.5 + r * (1 / 6))) * T[(k | 0) + off]!;
      const u = (ax - 2.5) * 0.6666666666666666;
      const q =
        0.210806364275941 +
        u *
          (-0.11152100469538179 +
            u *
              (0.05611047258428514 +
                u *
                  (-0.027005725289744733 +
                    u *
                      (0.01248970367150921 +
                        u *
                          (-0.005567332909481546 +
                            u *
                              (0.002401701695205914 +
                                u *
                                  (-0.0010171177744558312 +
                                    u *
                                      (0.0004145080984857276 +
                                        u *
                                          (-0.00014394859770330918 +
                                            u * (5.4947247533386056e-5 + u * (-3.69287236528773e-5 + u * 1.38190892646183e-5)))))))))));
      const c = 1 - e * q;
      // Stryker disable next-line EqualityOperator: here 1 < |x| < 4, never 0
      y = x < 0 ? -c : c;
    } else {
      // Stryker disable next-line EqualityOperator: here |x| >= 4 or NaN, never 0
      y = x > 0 ? 1 : x < 0 ? -1 : x; // NaN passes through
    }
    out[outOff + i] = y;
  }
}
