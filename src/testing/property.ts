/**
 * Property tests of differentiable functions, the way tapegrad tests its own ops: on many random
 * inputs, gradcheck (backward against finite differences), optionally gradgradcheck, the gradient
 * recorded with `createGraph: true` against the one computed without it, and each subset of the
 * inputs requiring grad against all of them. Self-contained (a seeded generator, no shrinking):
 * the library keeps zero runtime dependencies, and a failure names the seed that replays it.
 * @module
 */
import { bool, describe, instance, num, parseOptions } from '../autograd/args.js';
import { backward, grad } from '../autograd/engine.js';
import { ValueError } from '../autograd/errors.js';
import { GradcheckError, gradcheck, gradgradcheck, type GradcheckFn, type GradcheckOptions } from '../autograd/gradcheck.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../autograd/tensor.js';
import { Arbitrary } from './arbitrary.js';
import { Random } from './random.js';

/** Absolute and relative tolerance of `|a - b| <= atol + rtol·|b|`. */
export interface Tolerance {
  /** Absolute tolerance. */
  atol: number;
  /** Relative tolerance. */
  rtol: number;
}

/** Options of {@link gradcheckProperty}. */
export interface GradcheckPropertyOptions {
  /** Samples to draw (default 25). */
  numRuns?: number;
  /** Seed of the samples (default: a random one, named in the error so the failure can be replayed). */
  seed?: number;
  /** Options of each gradcheck, or false to skip finite differences (edge values, kinks). Default `{}`. */
  gradcheck?: GradcheckOptions | false;
  /** Also run gradgradcheck (default false). */
  secondOrder?: boolean;
  /** Compare the gradient recorded with `createGraph: true` with the plain one (default true). */
  createGraph?: boolean;
  /** Check each non-empty proper subset of the inputs requiring grad (default true). */
  mixedInputs?: boolean;
  /** Tolerance of the two comparisons above (default atol 1e-12, rtol 1e-10: float64 rounding). */
  tolerance?: Tolerance;
}

/** What a passing {@link gradcheckProperty} ran. */
export interface PropertyReport {
  /** Samples checked. */
  numRuns: number;
  /** The seed they were drawn from. */
  seed: number;
}

const DEFAULT_TOL: Tolerance = { atol: 1e-12, rtol: 1e-10 };

function outputsOf(fn: GradcheckFn, inputs: Tensor[]): Tensor[] {
  const out = fn(...inputs);
  return Array.isArray(out) ? out : [out];
}

/** Fresh leaves with the values of `inputs`; those at `withGrad` positions require grad. */
function copies(inputs: readonly Tensor[], withGrad: (i: number) => boolean): Tensor[] {
  return inputs.map((t, i) => {
    const c = noGrad(() => t.detach().clone());
    return withGrad(i) ? c.requiresGrad_(true) : c;
  });
}

/** Output gradients drawn from `seed`: the same for every variant compared. */
function gradOutputsFor(outs: readonly Tensor[], seed: number): Tensor[] {
  const rng = new Random(seed);
  return outs.map((o) => {
    const data = Array.from({ length: o.numel() }, () => rng.float(-1, 1));
    const t = Tensor._fromData(o.dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data), o.shape.slice(), o.dtype);
    return t;
  });
}

function close(what: string, a: Tensor | null, b: Tensor | null, tol: Tolerance): void {
  if ((a === null) !== (b === null))
    throw new GradcheckError(
      `${what}: a gradient on one side only (${a === null ? 'null' : 'a tensor'} vs ${b === null ? 'null' : 'a tensor'})`,
    );
  if (a === null || b === null) return;
  if (a.shape.join() !== b.shape.join()) throw new GradcheckError(`${what}: shape [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    const u = x[i]!;
    const v = y[i]!;
    if (u === v || (Number.isNaN(u) && Number.isNaN(v))) continue;
    if (Number.isFinite(u) && Number.isFinite(v) && Math.abs(u - v) <= tol.atol + tol.rtol * Math.abs(v)) continue;
    throw new GradcheckError(`${what}: element ${i} is ${u} vs ${v} (atol ${tol.atol}, rtol ${tol.rtol})`);
  }
}

/**
 * One sample of the createGraph property: the gradients `fn`'s backward gives with
 * `createGraph: true` (through `autograd.grad` and through `backward()` into `.grad`) equal the
 * ones it gives without (through `autograd.grad` and `backward()`), for the same output gradients.
 * Catches a recorded rule that differs from an unrecorded (fused) one, and sums of incoming
 * gradients that differ between the two modes. Inputs that require grad are the differentiated ones.
 * @example
 * ```ts
 * testing.checkCreateGraph((x) => MyOp.apply(x), [randn([3], { dtype: 'float64', requiresGrad: true })]);
 * ```
 */
export function checkCreateGraph(fn: GradcheckFn, inputs: Tensor[], tolerance: Tolerance = DEFAULT_TOL, seed = 1): void {
  const run = (mode: 'plain' | 'grad' | 'backward' | 'plainBackward'): (Tensor | null)[] => {
    const ins = copies(inputs, (i) => inputs[i]!.requiresGrad);
    const outs = outputsOf(fn, ins).filter((o) => o.requiresGrad);
    const leaves = ins.filter((t) => t.requiresGrad);
    if (outs.length === 0) return leaves.map(() => null);
    const gos = gradOutputsFor(outs, seed);
    if (mode === 'backward' || mode === 'plainBackward') {
      backward(outs, gos, { createGraph: mode === 'backward' });
      return leaves.map((t) => t.grad);
    }
    return grad(outs, leaves, { gradOutputs: gos, allowUnused: true, createGraph: mode === 'grad' });
  };
  const expected = run('plain');
  const names = { grad: 'autograd.grad with createGraph', backward: 'backward() with createGraph', plainBackward: 'backward() into .grad' };
  for (const mode of ['grad', 'backward', 'plainBackward'] as const) {
    run(mode).forEach((g, k) =>
      close(`checkCreateGraph: gradient ${k} by ${names[mode]} vs autograd.grad without`, g, expected[k]!, tolerance),
    );
  }
}

/**
 * One sample of the mixed-inputs property: with only a subset of the inputs requiring grad, the
 * others get no gradient and the subset gets what it gets when all of them require grad. Catches
 * a backward that mixes up which gradient belongs to which input when some need none.
 * @example
 * ```ts
 * const x = randn([2], { dtype: 'float64', requiresGrad: true });
 * testing.checkMixedInputs((a, b) => a.mul(b), [x, x.detach().clone().requiresGrad_(true)]);
 * ```
 */
export function checkMixedInputs(fn: GradcheckFn, inputs: Tensor[], tolerance: Tolerance = DEFAULT_TOL, seed = 1): void {
  const diff = inputs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
  if (diff.length < 2) return;
  const run = (chosen: Set<number>): (Tensor | null)[] => {
    const ins = copies(inputs, (i) => chosen.has(i));
    const outs = outputsOf(fn, ins).filter((o) => o.requiresGrad);
    if (outs.length > 0) backward(outs, gradOutputsFor(outs, seed));
    return ins.map((t) => t.grad);
  };
  const all = run(new Set(diff));
  for (let mask = 1; mask < (1 << diff.length) - 1; mask++) {
    const chosen = new Set(diff.filter((_, k) => (mask >> k) & 1));
    const got = run(chosen);
    const what = `checkMixedInputs: with only inputs [${[...chosen].join(', ')}] requiring grad`;
    for (const i of diff) {
      if (!chosen.has(i)) {
        if (got[i] !== null) throw new GradcheckError(`${what}, input ${i} (which needs none) got a gradient`);
      } else {
        close(`${what}, the gradient of input ${i}`, got[i]!, all[i]!, tolerance);
      }
    }
  }
}

/** A bounded description of a sample for the failure message. */
function describeInputs(inputs: readonly Tensor[]): string {
  return inputs
    .map((t, i) => {
      const data = Array.from(t.dataSync());
      const shown = data
        .slice(0, 12)
        .map((v) => String(v))
        .join(', ');
      return `  input ${i}: shape [${t.shape.join(', ')}] ${t.dtype}${t.requiresGrad ? ', requiresGrad' : ''}: [${shown}${data.length > 12 ? `, … (${data.length})` : ''}]`;
    })
    .join('\n');
}

const toleranceCheck = (op: string, key: string, v: unknown): Tolerance => {
  const o = parseOptions(`${op} ${key}`, v, { atol: num({ min: 0 }), rtol: num({ min: 0 }) });
  return { atol: o.atol ?? DEFAULT_TOL.atol, rtol: o.rtol ?? DEFAULT_TOL.rtol };
};

const gradcheckOptionsCheck = (op: string, key: string, v: unknown): GradcheckOptions | false => {
  if (v === false) return false;
  return parseOptions(`${op} ${key}`, v, { eps: num({ min: 0, minExclusive: true }), atol: num({ min: 0 }), rtol: num({ min: 0 }) });
};

/**
 * Property-tests a differentiable function on `numRuns` random samples of its inputs: each sample
 * runs gradcheck (unless `gradcheck: false`), gradgradcheck when `secondOrder`, the createGraph
 * comparison ({@link checkCreateGraph}) and the subsets of inputs requiring grad
 * ({@link checkMixedInputs}). `arbitraries` is one arbitrary per input, or one arbitrary of the
 * whole input list (for inputs whose shapes depend on each other). Throws a GradcheckError naming
 * the run, the seed (pass it as `seed` to replay) and the failing inputs (an error `fn` throws
 * keeps its class and gets the same note).
 * @example
 * ```ts
 * class Cube extends autograd.Function {
 *   static override forward(ctx: autograd.FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.pow(3); }
 *   static override backward(ctx: autograd.FunctionCtx, g: Tensor) { const [x] = ctx.savedTensors; return [g.mul(x!.pow(2)).mul(3)]; }
 * }
 * testing.gradcheckProperty((x) => Cube.apply(x), [testing.tensors()], { numRuns: 50, secondOrder: true });
 * ```
 */
export function gradcheckProperty(
  fn: GradcheckFn,
  arbitraries: readonly Arbitrary<Tensor>[] | Arbitrary<readonly Tensor[]>,
  options?: GradcheckPropertyOptions,
): PropertyReport {
  const op = 'testing.gradcheckProperty';
  if (typeof fn !== 'function') throw new ValueError(`${op}: expected a function of tensors, got ${typeof fn}`);
  const o = parseOptions(op, options, {
    numRuns: num({ integer: true, min: 1 }),
    seed: num({ integer: true }),
    gradcheck: gradcheckOptionsCheck,
    secondOrder: bool,
    createGraph: bool,
    mixedInputs: bool,
    tolerance: toleranceCheck,
  });
  const draw: Arbitrary<readonly Tensor[]> =
    arbitraries instanceof Arbitrary
      ? arbitraries
      : Array.isArray(arbitraries) && arbitraries.every((a) => a instanceof Arbitrary)
        ? new Arbitrary((rng) => (arbitraries as readonly Arbitrary<Tensor>[]).map((a) => a.generate(rng)))
        : (instance(Arbitrary, 'Arbitrary or an array of Arbitrary')(op, 'arbitraries', arbitraries) as Arbitrary<readonly Tensor[]>);
  const seed = o.seed ?? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const numRuns = o.numRuns ?? 25;
  const tol = o.tolerance ?? DEFAULT_TOL;
  const rng = new Random(seed);
  for (let run = 1; run <= numRuns; run++) {
    const raw: unknown = draw.generate(rng);
    if (!Array.isArray(raw) || !raw.every((t) => t instanceof Tensor)) {
      throw new ValueError(
        `${op}: the arbitrary of the inputs must give an array of tensors (one per argument of fn), got ${describe(raw)}; for one input pass [arbitrary]`,
      );
    }
    const inputs = raw;
    try {
      if (o.gradcheck !== false)
        gradcheck(
          fn,
          copies(inputs, (i) => inputs[i]!.requiresGrad),
          o.gradcheck ?? {},
        );
      if (o.secondOrder)
        gradgradcheck(
          fn,
          copies(inputs, (i) => inputs[i]!.requiresGrad),
          { ...(o.gradcheck || {}), seed: run },
        );
      if (o.createGraph !== false) checkCreateGraph(fn, inputs, tol, run);
      if (o.mixedInputs !== false) checkMixedInputs(fn, inputs, tol, run);
    } catch (e) {
      // The error keeps its class (a GradcheckError, or the ShapeError fn threw), with the run, the seed and the inputs added.
      const where = `${op}: run ${run} of ${numRuns} failed (seed ${seed}; replay with { seed: ${seed} }):`;
      if (!(e instanceof Error)) throw new GradcheckError(`${where}\n${String(e)}\n${describeInputs(inputs)}`);
      e.message = `${where}\n${e.message}\n${describeInputs(inputs)}`;
      throw e;
    }
  }
  return { numRuns, seed };
}
