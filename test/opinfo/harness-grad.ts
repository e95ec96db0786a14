/**
 * Gradient checks that compare two ways of computing the same gradient: recorded (`createGraph`)
 * against unrecorded backward rules, each subset of the inputs requiring grad against all of
 * them, and the engine against an entry's independent vector-Jacobian product (`gradReference`).
 * Each takes one sample and throws on failure, like the checks of harness.ts.
 * @module
 */
import { backward, grad } from '../../src/autograd/engine.js';
import type { Tensor } from '../../src/autograd/tensor.js';
import { call, compareGrads, gradOutput, gradsOf } from './harness.js';
import { assertClose, isDiff, materialize, refsOf, toRef } from './materialize.js';
import type { AnyOpInfo, Ref, Sample, Tol } from './types.js';

/**
 * Recorded and unrecorded rules compute the same sums in float64, sometimes in another order
 * (a fused loop against its composite): they agree to rounding.
 */
const SAME_SUM_TOL: Tol = { atol: 1e-13, rtol: 1e-11 };
/** A closed-form vector-Jacobian product against the engine's rules (other formulas for the same value). */
const GRAD_REF_TOL: Tol = { atol: 1e-11, rtol: 1e-9 };

function fresh(info: AnyOpInfo, s: Sample): { inputs: Tensor[]; outs: Tensor[]; diffOuts: Tensor[]; leaves: Tensor[] } {
  const inputs = materialize(info, s, { float: 'float64', strided: false, grad: true });
  const outs = call(info, inputs, s);
  return { inputs, outs, diffOuts: outs.filter((o) => o.requiresGrad), leaves: inputs.filter((t) => t.requiresGrad) };
}

/**
 * 7. The gradient computed with `createGraph: true` (the composite rules, recorded) equals the one
 * computed without (fused loops, in-place sums of incoming gradients), through `grad` and through
 * `backward` into `.grad`, for the same inputs and output gradients.
 * @internal
 */
export function checkCreateGraph(info: AnyOpInfo, s: Sample): void {
  const plain = fresh(info, s);
  if (plain.diffOuts.length === 0 || plain.leaves.length === 0) return;
  const expected = gradsOf(plain.outs, plain.inputs);

  const recorded = fresh(info, s);
  const viaGrad = grad(recorded.diffOuts, recorded.leaves, { gradOutputs: recorded.diffOuts.map(gradOutput), allowUnused: true, createGraph: true });
  compareGrads(viaGrad, expected, SAME_SUM_TOL, `${info.name} grad(createGraph: true) vs grad()`, recorded.inputs);

  for (const createGraph of [true, false]) {
    const r = fresh(info, s);
    backward(r.diffOuts, r.diffOuts.map(gradOutput), { createGraph });
    compareGrads(r.leaves.map((t) => t.grad), expected, SAME_SUM_TOL, `${info.name} backward({ createGraph: ${createGraph} }) vs grad()`, r.inputs);
  }
}

/**
 * 8. With several differentiable inputs, each non-empty proper subset of them requiring grad: the
 * others get no gradient (`.grad` stays null) and the subset gets the gradients it gets when all
 * inputs require grad.
 * @internal
 */
export function checkMixedInputs(info: AnyOpInfo, s: Sample): void {
  const diff = s.inputs.map((spec, i) => (isDiff(info, spec, i) ? i : -1)).filter((i) => i >= 0);
  if (diff.length < 2) return;
  const all = fresh(info, s);
  if (all.diffOuts.length === 0) return;
  backward(all.diffOuts, all.diffOuts.map(gradOutput));
  for (let mask = 1; mask < (1 << diff.length) - 1; mask++) {
    const chosen = new Set(diff.filter((_, k) => (mask >> k) & 1));
    const sub: Sample = { ...s, inputs: s.inputs.map((spec, i) => (diff.includes(i) && !chosen.has(i) ? { ...spec, requiresGrad: false } : spec)) };
    const r = fresh(info, sub);
    const what = `${info.name} with only inputs [${[...chosen].join(', ')}] requiring grad`;
    if (r.diffOuts.length > 0) backward(r.diffOuts, r.diffOuts.map(gradOutput));
    r.inputs.forEach((t, i) => {
      if (!diff.includes(i)) return;
      if (!chosen.has(i)) {
        if (t.grad !== null) throw new Error(`${what}: input ${i} needs no gradient but got one`);
        return;
      }
      const g = t.grad;
      const e = all.inputs[i]!.grad;
      if ((g === null) !== (e === null)) throw new Error(`${what}: gradient of input ${i} is ${g === null ? 'missing' : 'present'}, ${e === null ? 'absent' : 'present'} with all inputs requiring grad`);
      if (g !== null && e !== null) assertClose(g, toRef(e), SAME_SUM_TOL, `${what}: gradient of input ${i}`);
    });
  }
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
    assertClose(g, e, GRAD_REF_TOL, `${info.name} gradient of input ${i} vs the closed form`);
  });
}
