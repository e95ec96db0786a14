/**
 * The generic checks run over every OpInfo entry. Each takes one sample and throws on failure, so
 * it can sit inside `fc.property`: fast-check then prints the seed and the shrunk sample.
 * @module
 */
import * as fc from 'fast-check';
import { grad } from '../../src/autograd/engine.js';
import { TapegradError } from '../../src/autograd/errors.js';
import { gradcheck, gradgradcheck } from '../../src/autograd/gradcheck.js';
import { Tensor } from '../../src/autograd/tensor.js';
import { assertClose, isDiff, materialize, outputs, refsOf, toRef } from './materialize.js';
import { replayHint, runsFor, SEED } from './settings.js';
import type { AnyOpInfo, Sample, Tol } from './types.js';

const FORWARD_TOL: Tol = { atol: 1e-12, rtol: 1e-10 };
const FLOAT32_TOL: Tol = { atol: 1e-5, rtol: 1e-4 };
/** Strided and contiguous inputs take different loops but compute the same sums. */
const STRIDED_TOL: Tol = { atol: 1e-12, rtol: 1e-12 };

/**
 * Runs `check` as a seeded property over `samples` (default: the entry's samples). The seed and
 * the number of runs come from one setting (settings.ts): seed 42 and the entry's count by default,
 * many more runs from a random, printed seed in the deep run.
 * @internal
 */
export function property(
  info: AnyOpInfo,
  check: (info: AnyOpInfo, s: Sample) => void,
  numRuns?: number,
  samples: fc.Arbitrary<Sample> = info.sample,
): void {
  try {
    fc.assert(
      fc.property(samples, (s) => {
        check(info, s);
      }),
      { seed: SEED, numRuns: runsFor(numRuns ?? info.numRuns ?? 8) },
    );
  } catch (e) {
    if (e instanceof Error) e.message += `\n(${replayHint()})`;
    throw e;
  }
}

/** The op's outputs on `inputs`, as an array. @internal */
export function call(info: AnyOpInfo, inputs: Tensor[], s: Sample): Tensor[] {
  return outputs(info.op(inputs, s.args));
}

/** A deterministic, non-constant output gradient of `shape`. @internal */
export function gradOutput(t: Tensor): Tensor {
  const n = t.numel();
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = 0.5 + Math.sin(1 + 1.7 * i);
  return Tensor._fromData(t.dtype === 'float32' ? Float32Array.from(data) : data, t.shape.slice(), t.dtype);
}

/** Gradients of the outputs (that require grad) with respect to the inputs that do. @internal */
export function gradsOf(outs: Tensor[], inputs: Tensor[]): (Tensor | null)[] {
  const diffOuts = outs.filter((o) => o.requiresGrad);
  const leaves = inputs.filter((t) => t.requiresGrad);
  if (diffOuts.length === 0 || leaves.length === 0) return leaves.map(() => null);
  return grad(diffOuts, leaves, { gradOutputs: diffOuts.map(gradOutput), allowUnused: true });
}

/** Compares gradients `a` (of the inputs `inputsA`, whose dtypes they must have) with `b`. @internal */
export function compareGrads(a: (Tensor | null)[], b: (Tensor | null)[], tol: Tol, what: string, inputsA: Tensor[]): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} gradients vs ${b.length}`);
  const leaves = inputsA.filter((t) => t.requiresGrad);
  a.forEach((ga, i) => {
    const gb = b[i]!;
    if ((ga === null) !== (gb === null))
      throw new Error(`${what}: gradient ${i} is ${ga === null ? 'missing' : 'present'} on one side only`);
    if (ga !== null && gb !== null) assertClose(ga, { ...toRef(gb), dtype: leaves[i]!.dtype }, tol, `${what}: gradient of input ${i}`);
  });
}

/** 1. Forward in float64 against the reference (or the entry's `check` for random ops). @internal */
export function checkForward(info: AnyOpInfo, s: Sample): void {
  const inputs = materialize(info, s, { float: 'float64', strided: false, grad: false });
  const outs = call(info, inputs, s);
  if (info.reference === null) {
    if (!info.check) throw new Error(`${info.name}: an entry without a reference needs a check`);
    outs.forEach((o) => info.check!(o, inputs, s.args));
    return;
  }
  const raw = info.reference(refsOf(s), s.args);
  const expected = Array.isArray(raw) ? raw : [raw];
  if (expected.length !== outs.length) throw new Error(`${info.name}: ${outs.length} outputs, expected ${expected.length}`);
  outs.forEach((o, k) => assertClose(o, expected[k]!, info.forwardTol ?? FORWARD_TOL, `${info.name} output ${k}`));
}

/**
 * The op with only the outputs finite differences can check: float64 ones, and float32 ones when
 * the entry widened the step for them (`gradcheck.eps`). Int and bool outputs are piecewise
 * constant (a jump at every integer), and float32 rounding swamps a 1e-6 step. Null when none is left.
 */
function checkableOutputs(info: AnyOpInfo, s: Sample, inputs: Tensor[]): ((...ts: Tensor[]) => Tensor[]) | null {
  const keep = (o: Tensor): boolean => o.dtype === 'float64' || (o.dtype === 'float32' && info.gradcheck?.eps !== undefined);
  const fn = (...ts: Tensor[]): Tensor[] => call(info, ts, s).filter(keep);
  return fn(...inputs).length > 0 ? fn : null;
}

/** 2. Analytic against numeric gradients in float64. @internal */
export function checkGrad(info: AnyOpInfo, s: Sample): void {
  const inputs = materialize(info, s, { float: 'float64', strided: false, grad: true });
  const fn = checkableOutputs(info, s, inputs);
  if (fn !== null) gradcheck(fn, inputs, info.gradcheck);
}

/** 3. Second derivatives in float64. @internal */
export function checkGradGrad(info: AnyOpInfo, s: Sample): void {
  const inputs = materialize(info, s, { float: 'float64', strided: false, grad: true });
  if (!inputs.some((t) => t.requiresGrad)) return;
  const fn = checkableOutputs(info, s, inputs);
  if (fn !== null) gradgradcheck(fn, inputs, { ...info.gradcheck, seed: 7 });
}

/**
 * 4. The same values in float32 give results close to the float64 ones, gradients too. The output
 * dtype must be what the reference says for float32 inputs (so float32 stays float32).
 * @internal
 */
export function checkFloat32(info: AnyOpInfo, s: Sample): void {
  const tol = info.float32Tol ?? FLOAT32_TOL;
  const in64 = materialize(info, s, { float: 'float64', strided: false, grad: true });
  const in32 = materialize(info, s, { float: 'float32', strided: false, grad: true });
  const out64 = call(info, in64, s);
  const out32 = call(info, in32, s);
  const raw = info.reference?.(refsOf(s, 'float32'), s.args);
  const ref32 = raw === undefined ? null : Array.isArray(raw) ? raw : [raw];
  out32.forEach((o, k) => {
    const e = toRef(out64[k]!);
    e.dtype = ref32 ? ref32[k]!.dtype : e.dtype === 'float64' ? 'float32' : e.dtype;
    assertClose(o, e, tol, `${info.name} float32 output ${k}`);
  });
  compareGrads(gradsOf(out32, in32), gradsOf(out64, in64), tol, `${info.name} float32`, in32);
}

function storageSnapshot(inputs: Tensor[]): Float64Array[] {
  return inputs.map((t) => Float64Array.from(t._storage.data));
}

function sameStorage(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)))) return false;
  return true;
}

/** 5. Strided inputs give the same outputs and gradients as contiguous ones, and are not written to. @internal */
export function checkStrided(info: AnyOpInfo, s: Sample): void {
  const flat = materialize(info, s, { float: 'float64', strided: false, grad: true });
  const strided = materialize(info, s, { float: 'float64', strided: true, grad: true });
  const before = storageSnapshot(strided);
  const o1 = call(info, flat, s);
  const o2 = call(info, strided, s);
  o2.forEach((o, k) => assertClose(o, toRef(o1[k]!), STRIDED_TOL, `${info.name} strided output ${k}`));
  compareGrads(gradsOf(o2, strided), gradsOf(o1, flat), STRIDED_TOL, `${info.name} strided`, strided);
  storageSnapshot(strided).forEach((after, i) => {
    if (!sameStorage(before[i]!, after)) throw new Error(`${info.name}: the op wrote into the storage of input ${i}`);
  });
}

/**
 * 6. The in-place variant on a fresh non-leaf copy of input 0 returns that tensor, bumps its
 * version, holds the out-of-place result, and gives the same gradients; or, when the result would
 * not fit input 0's shape, throws a TapegradError.
 * @internal
 */
export function checkInplace(info: AnyOpInfo, s: Sample): void {
  const inplace = info.inplace!;
  const a = materialize(info, s, { float: 'float64', strided: false, grad: true });
  const expected = call(info, a, s)[0]!;
  const b = materialize(info, s, { float: 'float64', strided: false, grad: true });
  const self = b[0]!.clone();
  const args = [self, ...b.slice(1)];
  const fits = expected.shape.length === self.shape.length && expected.shape.every((d, i) => d === self.shape[i]);
  if (!fits) {
    let threw: unknown = null;
    try {
      inplace(args, s.args);
    } catch (e) {
      threw = e;
    }
    if (!(threw instanceof TapegradError))
      throw new Error(`${info.name}: in-place into shape [${self.shape.join(', ')}] should throw, got ${String(threw)}`);
    return;
  }
  if (expected.dtype !== self.dtype) return;
  const version = self._storage.version;
  const r = inplace(args, s.args);
  if (r === null) return;
  if (r !== self) throw new Error(`${info.name}: the in-place op did not return its target`);
  if (self._storage.version <= version) throw new Error(`${info.name}: the in-place op did not bump the version counter`);
  assertClose(r, toRef(expected), STRIDED_TOL, `${info.name} in-place`);
  if (!a.some((t) => t.requiresGrad)) return;
  if (expected.requiresGrad !== r.requiresGrad)
    throw new Error(`${info.name}: in-place requiresGrad ${r.requiresGrad}, out-of-place ${expected.requiresGrad}`);
  compareGrads(gradsOf([r], b), gradsOf([expected], a), STRIDED_TOL, `${info.name} in-place`, b);
}

/** True when some sample can have a differentiable input. @internal */
export function hasGrad(info: AnyOpInfo): boolean {
  const d = info.differentiable;
  return typeof d === 'boolean' ? d : d.some(Boolean);
}

export { isDiff };
