/**
 * Generic OpInfo gradient checks: gradcheck (analytic vs central differences in float64) on every
 * entry with a differentiable input, and gradgradcheck where the entry is twice differentiable.
 */
import { describe, it } from 'vitest';
import { OPS } from '../opinfo/index.js';
import { checkGrad, checkGradGrad, hasGrad, property } from '../opinfo/harness.js';

describe.each(OPS.filter(hasGrad).map((o) => [o.name, o] as const))('opinfo %s', (_, info) => {
  it('gradcheck', () => property(info, checkGrad));
  if (info.twiceDifferentiable) it('gradgradcheck', () => property(info, checkGradGrad, Math.min(info.numRuns ?? 8, 5)));
});
