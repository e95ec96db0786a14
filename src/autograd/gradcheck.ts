/**
 * Gradient checking by central finite differences in float64: the analytic Jacobian from backward
 * against the numeric one, element by element, reporting the worst disagreement.
 * @module
 */
import { ArgumentTypeError, TapegradError, ValueError } from './errors.js';
import { bool, checkArity, describe, num, parseOptions } from './args.js';
import { grad } from './engine.js';
import { Generator } from './random.js';
import { Tensor } from './tensor.js';
import { contiguousData } from './ops/shape.js';

/** Options of {@link gradcheck} and {@link gradgradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a {@link GradcheckError} on failure (default true); otherwise return false. */
  raiseException?: boolean;
}

/**
 * Thrown by {@link gradcheck} when analytic and numeric gradients disagree.
 * @example
 * ```ts
 * try { gradcheck(f, [x]); } catch (e) { if (e instanceof GradcheckError) console.log(e.message); }
 * ```
 */
export class GradcheckError extends TapegradError {
  /** The error class name, `GradcheckError`. */
  override name = 'GradcheckError';
}

/** A function checked by {@link gradcheck}: tensors in, one tensor or several out. */
export type GradcheckFn = (...inputs: Tensor[]) => Tensor | Tensor[];
type Fn = GradcheckFn;

const GRADCHECK_OPTIONS = { eps: num({ min: 0, minExclusive: true }), atol: num({ min: 0 }), rtol: num({ min: 0 }), raiseException: bool };

function checkCall(op: string, args: IArguments, fn: unknown, inputs: unknown): void {
  const forms = `${op}(fn, inputs) or ${op}(fn, inputs, options)`;
  checkArity(op, args, 3, forms);
  if (typeof fn !== 'function') throw new ArgumentTypeError(`${op}: fn must be a function, got ${describe(fn)}; accepted forms: ${forms}`);
  if (!Array.isArray(inputs) || !inputs.every((t) => t instanceof Tensor)) {
    throw new ArgumentTypeError(`${op}: inputs must be an array of Tensors, got ${describe(inputs)}; accepted forms: ${forms}`);
  }
}

function outputsOf(fn: Fn, inputs: Tensor[]): Tensor[] {
  const out = fn(...inputs);
  return Array.isArray(out) ? out : [out];
}

/** Storage position of the flat (row-major) element `i` of a possibly strided tensor. */
function position(t: Tensor, i: number): number {
  let pos = t._offset;
  for (let d = t.ndim - 1; d >= 0; d--) {
    const size = t.shape[d]!;
    pos += (i % size) * t._strides[d]!;
    i = Math.floor(i / size);
  }
  return pos;
}

/**
 * Checks the gradients of `fn` at `inputs` against central finite differences. Inputs that
 * require grad must be float64. Returns true, or throws a {@link GradcheckError} naming the output,
 * the input, the element and both values of the worst disagreement.
 * @example
 * ```ts
 * const x = randn([3], { dtype: 'float64', requiresGrad: true });
 * gradcheck((t) => t.sin().mul(t), [x]); // true
 * ```
 */
export function gradcheck(fn: Fn, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  checkCall('gradcheck', arguments, fn, inputs);
  options = parseOptions('gradcheck', options, GRADCHECK_OPTIONS, {
    forms: 'gradcheck(fn, inputs) or gradcheck(fn, inputs, { eps, atol, rtol, raiseException })',
  });
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const diff = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  for (const { t, i } of diff) {
    if (t.dtype !== 'float64')
      throw new ValueError(`gradcheck: input ${i} is ${t.dtype}; finite differences need float64 inputs (use .double())`);
  }
  const outputs = outputsOf(fn, inputs);
  let worst: { excess: number; msg: string } | null = null;
  const report = (analytic: number, numeric: number, o: number, oi: number, i: number, ii: number): void => {
    const bad = Math.abs(analytic - numeric) - (atol + rtol * Math.abs(numeric));
    const nan = Number.isNaN(analytic) !== Number.isNaN(numeric);
    if ((bad > 0 || nan) && (worst === null || bad > worst.excess || nan)) {
      worst = {
        excess: nan ? Infinity : bad,
        msg: `gradcheck: the gradient of output ${o} element ${oi} with respect to input ${i} element ${ii} is ${analytic} by backward but ${numeric} by finite differences (eps ${eps}, atol ${atol}, rtol ${rtol})`,
      };
    }
  };
  outputs.forEach((out, o) => {
    const n = out.numel();
    const rows: (Tensor | null)[][] = [];
    for (let oi = 0; oi < n; oi++) {
      if (!out.requiresGrad) {
        rows.push(diff.map(() => null));
        continue;
      }
      const onehot = new Float64Array(n);
      onehot[oi] = 1;
      const g = Tensor._fromData(out.dtype === 'float64' ? onehot : Float32Array.from(onehot), out.shape, out.dtype);
      rows.push(
        grad(
          [out],
          diff.map(({ t }) => t),
          { gradOutputs: [g], retainGraph: true, allowUnused: true },
        ),
      );
    }
    diff.forEach(({ t, i }, k) => {
      const data = t._storage.data;
      for (let ii = 0; ii < t.numel(); ii++) {
        const pos = position(t, ii);
        const orig = data[pos]!;
        data[pos] = orig + eps;
        const plus = contiguousData(outputsOf(fn, inputs)[o]!).slice();
        data[pos] = orig - eps;
        const minus = contiguousData(outputsOf(fn, inputs)[o]!).slice();
        data[pos] = orig;
        for (let oi = 0; oi < n; oi++) {
          const numeric = (plus[oi]! - minus[oi]!) / (2 * eps);
          const row = rows[oi]![k];
          const analytic = row ? contiguousData(row)[ii]! : 0;
          report(analytic, numeric, o, oi, i, ii);
        }
      }
    });
  });
  if (worst === null) return true;
  if (options.raiseException === false) return false;
  throw new GradcheckError((worst as { msg: string }).msg);
}

/**
 * Checks second derivatives: runs {@link gradcheck} on the function that maps the inputs to the
 * gradients of `fn` (computed with `createGraph: true`) against random output gradients.
 * @example
 * ```ts
 * gradgradcheck((t) => t.tanh(), [randn([3], { dtype: 'float64', requiresGrad: true })]);
 * ```
 */
export function gradgradcheck(fn: Fn, inputs: Tensor[], options: GradcheckOptions & { seed?: number } = {}): boolean {
  checkCall('gradgradcheck', arguments, fn, inputs);
  const { seed, ...rest } = parseOptions(
    'gradgradcheck',
    options,
    { ...GRADCHECK_OPTIONS, seed: num({ integer: true }) },
    {
      forms: 'gradgradcheck(fn, inputs) or gradgradcheck(fn, inputs, { eps, atol, rtol, raiseException, seed })',
    },
  );
  const gen = new Generator(seed ?? 0);
  const outputs = outputsOf(fn, inputs).filter((o) => o.requiresGrad);
  const gradOutputs = outputs.map((o) => {
    const v = new Float64Array(o.numel());
    for (let i = 0; i < v.length; i++) v[i] = gen.normal();
    return Tensor._fromData(v, o.shape, 'float64').requiresGrad_(true);
  });
  const diffIdx = inputs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
  const first = (...all: Tensor[]): Tensor[] => {
    const ins = all.slice(0, inputs.length);
    const gos = all.slice(inputs.length);
    const outs = outputsOf(fn, ins).filter((o) => o.requiresGrad);
    const grads = grad(
      outs,
      diffIdx.map((i) => ins[i]!),
      { gradOutputs: gos, createGraph: true, allowUnused: true },
    );
    return grads.map((g, k) => g ?? ins[diffIdx[k]!]!.mul(0));
  };
  return gradcheck(first, [...inputs, ...gradOutputs], rest);
}
