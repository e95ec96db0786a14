/**
 * Gradient checks that compare two ways of computing the same gradient: recorded (`createGraph`)
 * against unrecorded backward rules, each subset of the inputs requiring grad against all of
 * them, and the engine against an entry's independent vector-Jacobian product (`gradReference`).
 * Each takes one sample and throws on failure, like the checks of harness.ts.
 * @module
 */
import type { Tensor } from '../../src/autograd/tensor.js';
import { checkCreateGraph as checkCreateGraphOf, checkMixedInputs as checkMixedInputsOf } from '../../src/testing/property.js';
import { call, gradOutput, gradsOf } from './harness.js';
import { assertClose, materialize, refsOf, toRef } from './materialize.js';
import type { AnyOpInfo, Ref, Sample, Tol } from './types.js';

/**
 * Recorded and unrecorded rules compute the same sums in float64, sometimes in another order
 * (a fused loop against its composite): they agree to rounding.
 */
const SAME_SUM_TOL: Tol = { atol: 1e-13, rtol: 1e-11 };
/** A closed-form vector-Jacobian product against the engine's rules (other formulas for the same value). */
const GRAD_REF_TOL: Tol = { atol: 1e-11, rtol: 1e-9 };
/** The same when an output is float32 (a pinned float32 input next to a 0-d float64 one): its rounding. */
const GRAD_REF_TOL_F32: Tol = { atol: 1e-5, rtol: 1e-4 };

function fresh(info: AnyOpInfo, s: Sample): { inputs: Tensor[]; outs: Tensor[]; diffOuts: Tensor[]; leaves: Tensor[] } {
  const inputs = materialize(info, s, { float: 'float64', strided: false, grad: true });
  const outs = call(info, inputs, s);
  return { inputs, outs, diffOuts: outs.filter((o) => o.requiresGrad), leaves: inputs.filter((t) => t.requiresGrad) };
}

/** The op of an entry as a function of its tensors, for the testing checkers. */
function asFn(info: AnyOpInfo, s: Sample): (...ts: Tensor[]) => Tensor | Tensor[] {
  return (...ts) => info.op(ts, s.args);
}

/** Runs a testing checker, naming the op in its error. */
function named(info: AnyOpInfo, check: () => void): void {
  try {
    check();
  } catch (e) {
    throw new Error(`${info.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * 7. The gradient computed with `createGraph: true` (the composite rules, recorded) equals the one
 * computed without (fused loops, in-place sums of incoming gradients), through `grad` and through
 * `backward` into `.grad`, for the same inputs and output gradients: the public
 * `testing.checkCreateGraph` on the entry's float64 inputs.
 * @internal
 */
export function checkCreateGraph(info: AnyOpInfo, s: Sample): void {
  const inputs = materialize(info, s, { float: 'float64', strided: false, grad: true });
  named(info, () => checkCreateGraphOf(asFn(info, s), inputs, SAME_SUM_TOL));
}

/**
 * 8. With several differentiable inputs, each non-empty proper subset of them requiring grad: the
 * others get no gradient (`.grad` stays null) and the subset gets the gradients it gets when all
 * inputs require grad: the public `testing.checkMixedInputs` on the entry's float64 inputs.
 * @internal
 */
export function checkMixedInputs(info: AnyOpInfo, s: Sample): void {
  const inputs = materialize(info, s, { float: 'float64', strided: false, grad: true });
  named(info, () => checkMixedInputsOf(asFn(info, s), inputs, SAME_SUM_TOL));
}

/**
 * 9. The engine's gradients equal the entry's independent vector-Jacobian product (closed forms
 * and PyTorch's conventions at edge values).
 * @internal
 */
export function checkGradReference(info: AnyOpInfo, s: Sample): void {
  const r = fresh(info, s);
  if (r.diffOuts.length === 0 || r.leaves.length === 0) return;
  const got = gradsOf(r.outs, r.inputs);
  const gradOutputs: (Ref | null)[] = r.outs.map((o) => (o.requiresGrad ? toRef(gradOutput(o)) : null));
  const expected = info.gradReference!(refsOf(s), s.args, gradOutputs);
  let k = 0;
  r.inputs.forEach((t, i) => {
    if (!t.requiresGrad) return;
    const g = got[k++]!;
    const e = expected[i];
    if (e === null || e === undefined) throw new Error(`${info.name}: gradReference gives no gradient for input ${i}, which requires grad`);
    // An input the outputs do not depend on gets null: the closed form must be all zeros there.
    if (g === null) {
      if (e.data.some((v) => v !== 0)) throw new Error(`${info.name}: no gradient for input ${i}, expected a nonzero one`);
      return;
    }
    const tol = r.diffOuts.some((o) => o.dtype === 'float32') ? GRAD_REF_TOL_F32 : GRAD_REF_TOL;
    assertClose(g, e, tol, `${info.name} gradient of input ${i} vs the closed form`);
  });
}
