/**
 * Generic OpInfo checks without gradients of their own: forward against the float64 reference,
 * float32 against float64, strided against contiguous, in-place against out-of-place, and the
 * typed errors of bad calls. One describe block per entry; each property is seeded (42).
 */
import { describe, expect, it } from 'vitest';
import { OPS } from '../opinfo/index.js';
import { checkFloat32, checkForward, checkInplace, checkStrided, property } from '../opinfo/harness.js';

describe.each(OPS.map((o) => [o.name, o] as const))('opinfo %s', (_, info) => {
  it('forward matches the float64 reference', () => property(info, checkForward));
  it('float32 matches float64 (values, dtype, gradients)', () => property(info, checkFloat32));
  it('strided inputs match contiguous ones (values, gradients) and are not written to', () => property(info, checkStrided));
  if (info.inplace) it('in-place matches out-of-place (values, version, gradients)', () => property(info, checkInplace));
  for (const e of info.errorInputs ?? []) {
    it(`rejects ${e.name} with ${e.error.name}`, () => {
      let thrown: unknown = null;
      try {
        e.call();
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(e.error);
      expect((thrown as Error).message).toMatch(e.message);
    });
  }
});
