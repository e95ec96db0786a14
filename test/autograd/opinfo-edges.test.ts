/**
 * The OpInfo checks on edge-value samples (ties, exact zeros, ±0, ±∞, NaN, integer-valued floats,
 * 0^0): forward against the reference (which follows PyTorch there), strided against contiguous,
 * recorded against unrecorded rules, each subset of the inputs requiring grad, and the gradients
 * against the entry's closed form with PyTorch's conventions (subgradients, split ties).
 */
import { describe, it } from 'vitest';
import { OPS } from '../opinfo/index.js';
import { checkForward, checkStrided, property } from '../opinfo/harness.js';
import { checkCreateGraph, checkGradReference, checkMixedInputs } from '../opinfo/harness-grad.js';

describe.each(OPS.filter((o) => o.edgeSample).map((o) => [o.name, o] as const))('opinfo %s at edge values', (_, info) => {
  const edges = info.edgeSample!;
  it('forward matches the reference', () => property(info, checkForward, 16, edges));
  it('strided inputs match contiguous ones', () => property(info, checkStrided, 8, edges));
  it('createGraph: true gives the gradient computed without it', () => property(info, checkCreateGraph, 16, edges));
  it('each subset of the inputs requiring grad gets the gradients it gets when all do', () => property(info, checkMixedInputs, 8, edges));
  if (info.gradReference)
    it('gradients equal the closed form (PyTorch conventions at edges)', () => property(info, checkGradReference, 24, edges));
});
