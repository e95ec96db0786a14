// Class brands: `instanceof` across copies of a class (as the ESM and CJS builds have), and the
// ordinary prototype-chain answer for unbranded subclasses.
import { describe, expect, it } from 'vitest';
import { brandClass } from '../../src/autograd/brand.js';
import { Tensor, tensor } from '../../src/index.js';
import { Module, Parameter, Linear } from '../../src/nn/index.js';

/** A fresh pair of classes branded like the library's, standing for a second copy of it. */
function copyOfLibrary() {
  class T {}
  class P extends T {}
  brandClass(T, 'Tensor');
  brandClass(P, 'Parameter');
  return { T, P };
}

describe('brandClass', () => {
  it('makes instances of another copy pass instanceof, both ways', () => {
    const other = copyOfLibrary();
    expect(new other.T() instanceof Tensor).toBe(true);
    expect(tensor([1]) instanceof other.T).toBe(true);
    expect(new other.P() instanceof Parameter).toBe(true);
    expect(new other.P() instanceof Tensor).toBe(true);
  });

  it('tells the branded classes apart', () => {
    const other = copyOfLibrary();
    expect(new other.T() instanceof Parameter).toBe(false);
    expect(tensor([1]) instanceof other.P).toBe(false);
    expect(new Parameter(tensor([1])) instanceof other.P).toBe(true);
    expect(tensor([1]) instanceof Module).toBe(false);
  });

  it('rejects values without the brand', () => {
    for (const v of [null, undefined, 0, 'tensor', {}, [], () => 1, Object.create(null)]) expect(v instanceof Tensor).toBe(false);
    expect({ [Symbol.for('tapegrad.Tensor')]: false } instanceof Tensor).toBe(false);
  });

  it('keeps the ordinary instanceof for unbranded subclasses', () => {
    class Net extends Module {
      fc = new Linear(2, 1);
      forward(x: Tensor): Tensor {
        return this.fc.call(x);
      }
    }
    class Other extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(new Net() instanceof Module).toBe(true);
    expect(new Net() instanceof Net).toBe(true);
    expect(new Other() instanceof Net).toBe(false);
    expect(new Linear(2, 1) instanceof Net).toBe(false);
  });
});
