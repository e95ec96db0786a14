/**
 * Generic OpInfo gradient checks: gradcheck (analytic vs central differences in float64) on every
 * entry with a differentiable input, gradgradcheck where the entry is twice differentiable, the
 * recorded (createGraph) rules against the unrecorded ones, each subset of the inputs requiring
 * grad against all of them, and the entry's closed-form vector-Jacobian product where it has one.
 */
import { describe, it } from 'vitest';
import { OPS } from '../opinfo/index.js';
import { checkGrad, checkGradGrad, hasGrad, property } from '../opinfo/harness.js';
import { checkCreateGraph, checkGradReference, checkMixedInputs } from '../opinfo/harness-grad.js';

describe.each(OPS.filter(hasGrad).map((o) => [o.name, o] as const))('opinfo %s', (_, info) => {
  it('gradcheck', () => property(info, checkGrad));
  if (info.twiceDifferentiable) it('gradgradcheck', () => property(info, checkGradGrad, Math.min(info.numRuns ?? 8, 5)));
  it('createGraph: true gives the gradient computed without it', () => property(info, checkCreateGraph));
  it('each subset of the inputs requiring grad gets the gradients it gets when all do', () => property(info, checkMixedInputs));
  if (info.gradReference) it('gradients equal the closed-form vector-Jacobian product', () => property(info, checkGradReference));
});
