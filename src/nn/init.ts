/**
 * `nn.init`: in-place weight initialisation with PyTorch's formulas. Every function runs under
 * `noGrad`, fills the tensor in place, returns it, and draws from `options.generator` or the global
 * generator (so `manualSeed` makes it reproducible).
 * @module
 */
import { ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { defaultGenerator, type Generator } from '../autograd/random.js';
import { Tensor } from '../autograd/tensor.js';
import { INIT, initArgs } from './init-args.js';
import { parseArgs } from './args/parse.js';

/** Fan-in and fan-out of a weight tensor, as PyTorch computes them. */
export interface FanInOut {
  /** Inputs feeding each output unit (in-features × receptive field). */
  fanIn: number;
  /** Outputs fed by each input unit (out-features × receptive field). */
  fanOut: number;
}

/** The non-linearities {@link calculateGain} knows (PyTorch's snake_case names are accepted too). */
export type Nonlinearity =
  | 'linear'
  | 'identity'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'convTranspose1d'
  | 'convTranspose2d'
  | 'convTranspose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'leaky_relu'
  | 'selu';

/** Options with a random generator. */
export interface InitOptions {
  /** Generator to draw from (default: the global one). */
  generator?: Generator;
}

/** Which fan {@link kaimingUniform_} and {@link kaimingNormal_} preserve. */
export type FanMode = 'fanIn' | 'fanOut';

/** Options of the Kaiming (He) initialisers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** `'fanIn'` (default) keeps forward variance, `'fanOut'` backward variance (PyTorch's `'fan_in'` / `'fan_out'` too). */
  mode?: FanMode | 'fan_in' | 'fan_out';
  /** The non-linearity that follows (default `'leakyRelu'`, as PyTorch). */
  nonlinearity?: Nonlinearity;
}

/**
 * The recommended gain for a non-linearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + slope²)) for leaky relu (slope `param`, default 0.01), 3/4 for selu.
 * @example
 * ```ts
 * nn.init.calculateGain('relu'); // 1.4142…
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number;
/** With options: `nn.init.calculateGain('leaky_relu', { param: 0.2 })`. */
export function calculateGain(nonlinearity: Nonlinearity, options: { param?: number | null }): number;
export function calculateGain(...args: unknown[]): number {
  const o = parseArgs(INIT.calculateGain, args);
  const nonlinearity = o.nonlinearity!;
  const param = o.param ?? undefined;
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'convTranspose1d':
    case 'convTranspose2d':
    case 'convTranspose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope))
        throw new ValueError(`calculateGain: negative slope ${String(slope)} is not a valid number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/**
 * `fanIn` and `fanOut` of a weight of shape [out, in, ...kernel]: in·k and out·k with k the kernel size.
 * @example
 * ```ts
 * nn.init.calculateFanInAndFanOut(zeros([3, 4])); // { fanIn: 4, fanOut: 3 }
 * ```
 */
export function calculateFanInAndFanOut(t: Tensor, op = 'calculateFanInAndFanOut'): FanInOut {
  if (t.ndim < 2)
    throw new ValueError(`${op}: fan in and fan out cannot be computed for a tensor with fewer than 2 dims (shape ${fmtShape(t.shape)})`);
  let receptive = 1;
  for (let d = 2; d < t.ndim; d++) receptive *= t.shape[d]!;
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

function fill(t: Tensor, values: Float64Array): Tensor {
  noGrad(() => t.copy_(Tensor._fromData(values, t.shape, 'float64')));
  return t;
}

function sampleInto(t: Tensor, sample: (g: Generator) => number, generator: Generator | undefined): Tensor {
  const g = generator ?? defaultGenerator;
  const n = t.numel();
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = sample(g);
  return fill(t, v);
}

/**
 * Fills with samples of U(a, b) (defaults 0 and 1).
 * @example
 * ```ts
 * nn.init.uniform_(w, -0.1, 0.1);
 * ```
 */
export function uniform_(t: Tensor, a?: number, b?: number, options?: InitOptions): Tensor;
/** With options: `nn.init.uniform_(w, { a: -0.1, b: 0.1 })`. */
export function uniform_(t: Tensor, options: InitOptions & { a?: number; b?: number }): Tensor;
export function uniform_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.uniform_, t, args);
  const a = options.a ?? 0;
  const b = options.b ?? 1;
  if (!(a <= b)) throw new ValueError(`uniform_: the lower bound ${a} must not exceed the upper bound ${b}`);
  return sampleInto(t, (g) => a + (b - a) * g.random(), options.generator);
}

/**
 * Fills with samples of N(mean, std²) (defaults 0 and 1).
 * @example
 * ```ts
 * nn.init.normal_(w, 0, 0.02);
 * ```
 */
export function normal_(t: Tensor, mean?: number, std?: number, options?: InitOptions): Tensor;
/** With options: `nn.init.normal_(w, { std: 0.02 })`. */
export function normal_(t: Tensor, options: InitOptions & { mean?: number; std?: number }): Tensor;
export function normal_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.normal_, t, args);
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!(std >= 0)) throw new ValueError(`normal_: std must be non-negative, got ${std}`);
  return sampleInto(t, (g) => mean + std * g.normal(), options.generator);
}

/**
 * Fills with `value`.
 * @example
 * ```ts
 * nn.init.constant_(bias, 0.1);
 * ```
 */
export function constant_(t: Tensor, value: number | { val: number }): Tensor {
  const val = initArgs(INIT.constant_, t, Array.prototype.slice.call(arguments, 1)).val!;
  return fillWith(t, val);
}

function fillWith(t: Tensor, value: number): Tensor {
  noGrad(() => t.fill_(value));
  return t;
}

/**
 * Fills with zeros.
 * @example
 * ```ts
 * nn.init.zeros_(bias);
 * ```
 */
export function zeros_(t: Tensor): Tensor {
  initArgs(INIT.noArgs('zeros_'), t, Array.prototype.slice.call(arguments, 1));
  return fillWith(t, 0);
}

/**
 * Fills with ones.
 * @example
 * ```ts
 * nn.init.ones_(gamma);
 * ```
 */
export function ones_(t: Tensor): Tensor {
  initArgs(INIT.noArgs('ones_'), t, Array.prototype.slice.call(arguments, 1));
  return fillWith(t, 1);
}

/**
 * Fills a 2-d tensor with the identity matrix (ones on the diagonal, zeros elsewhere).
 * @example
 * ```ts
 * nn.init.eye_(zeros([3, 5]));
 * ```
 */
export function eye_(t: Tensor): Tensor {
  initArgs(INIT.noArgs('eye_'), t, Array.prototype.slice.call(arguments, 1));
  if (t.ndim !== 2) throw new ValueError(`eye_: only 2-d tensors are supported, got shape ${fmtShape(t.shape)}`);
  const [r, c] = t.shape as [number, number];
  const v = new Float64Array(r * c);
  for (let i = 0; i < Math.min(r, c); i++) v[i * c + i] = 1;
  return fill(t, v);
}

/**
 * Xavier/Glorot uniform: U(-b, b) with b = gain·√(6 / (fanIn + fanOut)).
 * @example
 * ```ts
 * nn.init.xavierUniform_(w, { gain: nn.init.calculateGain('tanh') });
 * ```
 */
export function xavierUniform_(t: Tensor, options?: InitOptions & { gain?: number }): Tensor;
/** PyTorch's positional form `xavier_uniform_(tensor, gain)`. */
export function xavierUniform_(t: Tensor, gain?: number, generator?: Generator): Tensor;
export function xavierUniform_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.xavierUniform_, t, args);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t, 'xavierUniform_');
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, { generator: options.generator });
}

/**
 * Xavier/Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 * @example
 * ```ts
 * nn.init.xavierNormal_(w);
 * ```
 */
export function xavierNormal_(t: Tensor, options?: InitOptions & { gain?: number }): Tensor;
/** PyTorch's positional form `xavier_normal_(tensor, gain)`. */
export function xavierNormal_(t: Tensor, gain?: number, generator?: Generator): Tensor;
export function xavierNormal_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.xavierNormal_, t, args);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t, 'xavierNormal_');
  return normal_(t, 0, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), { generator: options.generator });
}

function kaimingStd(t: Tensor, op: string, options: KaimingOptions): number {
  const mode = options.mode ?? 'fanIn';
  const fans = calculateFanInAndFanOut(t, op);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  if (fan === 0) throw new ValueError(`${op}: cannot initialise a tensor with zero elements (shape ${fmtShape(t.shape)})`);
  return calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0) / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform: U(-b, b) with b = gain·√(3 / fan), gain from `nonlinearity` and `a`.
 * @example
 * ```ts
 * nn.init.kaimingUniform_(w, { a: Math.sqrt(5) }); // nn.Linear's default
 * ```
 */
export function kaimingUniform_(t: Tensor, options?: KaimingOptions): Tensor;
/** PyTorch's positional form `kaiming_uniform_(tensor, a, mode, nonlinearity)`: `kaimingUniform_(w, Math.sqrt(5))`. */
export function kaimingUniform_(
  t: Tensor,
  a?: number,
  mode?: FanMode | 'fan_in' | 'fan_out',
  nonlinearity?: Nonlinearity,
  generator?: Generator,
): Tensor;
export function kaimingUniform_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.kaimingUniform_, t, args);
  const bound = Math.sqrt(3) * kaimingStd(t, 'kaimingUniform_', options);
  return uniform_(t, -bound, bound, { generator: options.generator });
}

/**
 * Kaiming/He normal: N(0, std²) with std = gain / √fan.
 * @example
 * ```ts
 * nn.init.kaimingNormal_(w, { mode: 'fanOut', nonlinearity: 'relu' });
 * ```
 */
export function kaimingNormal_(t: Tensor, options?: KaimingOptions): Tensor;
/** PyTorch's positional form `kaiming_normal_(tensor, a, mode, nonlinearity)`. */
export function kaimingNormal_(
  t: Tensor,
  a?: number,
  mode?: FanMode | 'fan_in' | 'fan_out',
  nonlinearity?: Nonlinearity,
  generator?: Generator,
): Tensor;
export function kaimingNormal_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.kaimingNormal_, t, args);
  return normal_(t, 0, kaimingStd(t, 'kaimingNormal_', options), { generator: options.generator });
}

/**
 * Fills with a (semi-)orthogonal matrix times `gain`: the Q factor of the QR decomposition of a
 * Gaussian matrix, with signs fixed so the result is uniformly distributed. Dims after the first are
 * flattened. Computed by modified Gram–Schmidt in float64.
 * @example
 * ```ts
 * nn.init.orthogonal_(w); // w·wᵀ = I when w has at most as many rows as columns
 * ```
 */
export function orthogonal_(t: Tensor, options?: InitOptions & { gain?: number }): Tensor;
/** PyTorch's positional form `orthogonal_(tensor, gain)`. */
export function orthogonal_(t: Tensor, gain?: number, generator?: Generator): Tensor;
export function orthogonal_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.orthogonal_, t, args);
  if (t.ndim < 2) throw new ValueError(`orthogonal_: only tensors with 2 or more dims are supported, got shape ${fmtShape(t.shape)}`);
  const rows = t.shape[0]!;
  const cols = t.numel() / Math.max(rows, 1);
  if (t.numel() === 0) return t;
  const g = options.generator ?? defaultGenerator;
  const gain = options.gain ?? 1;
  // Work on an m×n matrix with m ≥ n (columns get orthonormalised), transposing when rows < cols.
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const a = new Float64Array(m * n); // column-major: column j at a[j*m .. j*m+m)
  for (let i = 0; i < a.length; i++) a[i] = g.normal();
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    for (let k = 0; k < j; k++) {
      const ck = k * m;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += a[ck + i]! * a[cj + i]!;
      for (let i = 0; i < m; i++) a[cj + i]! -= dot * a[ck + i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += a[cj + i]! * a[cj + i]!;
    norm = Math.sqrt(norm);
    // R's diagonal is the positive norm, so Q·sign(diag R) = Q: the result is Haar distributed already.
    for (let i = 0; i < m; i++) a[cj + i] = a[cj + i]! / norm;
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: Q is rows×cols, entry (r, c) is column c row r. Otherwise the result is Qᵀ.
      out[r * cols + c] = gain * (rows >= cols ? a[c * m + r]! : a[r * m + c]!);
    }
  }
  return fill(t, out);
}

/** Standard normal CDF. */
function phi(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function, Chebyshev fit with relative error below 1.2e-7 (W. H. Press et al.). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239,
];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function tail(q: number): number {
  const [c0, c1, c2, c3, c4, c5] = ACKLAM_C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = ACKLAM_D as [number, number, number, number];
  return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
}

/** Inverse of the standard normal CDF: Acklam's rational approximation, refined by one Halley step. */
function phiInv(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let x: number;
  if (p < 0.02425) x = tail(Math.sqrt(-2 * Math.log(p)));
  else if (p > 1 - 0.02425) x = -tail(Math.sqrt(-2 * Math.log(1 - p)));
  else {
    const [a0, a1, a2, a3, a4, a5] = ACKLAM_A as [number, number, number, number, number, number];
    const [b0, b1, b2, b3, b4] = ACKLAM_B as [number, number, number, number, number];
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  }
  const u = (phi(x) - p) * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * Fills with samples of N(mean, std²) truncated to [a, b] (defaults 0, 1, -2, 2), by inverting the
 * normal CDF over [Φ(α), Φ(β)] as PyTorch does.
 * @example
 * ```ts
 * nn.init.truncNormal_(w, { std: 0.02 });
 * ```
 */
export function truncNormal_(t: Tensor, options?: InitOptions & { mean?: number; std?: number; a?: number; b?: number }): Tensor;
/** PyTorch's positional form `trunc_normal_(tensor, mean, std, a, b)`. */
export function truncNormal_(t: Tensor, mean?: number, std?: number, a?: number, b?: number, generator?: Generator): Tensor;
export function truncNormal_(t: Tensor, ...args: unknown[]): Tensor {
  const options = initArgs(INIT.truncNormal_, t, args);
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  const a = options.a ?? -2;
  const b = options.b ?? 2;
  if (!(a < b)) throw new ValueError(`truncNormal_: the lower bound a=${a} must be below the upper bound b=${b}`);
  if (!(std > 0)) throw new ValueError(`truncNormal_: std must be positive, got ${std}`);
  const lo = phi((a - mean) / std);
  const hi = phi((b - mean) / std);
  return sampleInto(
    t,
    (g) => {
      const x = mean + std * phiInv(lo + (hi - lo) * g.random());
      return Math.min(b, Math.max(a, x));
    },
    options.generator,
  );
}
