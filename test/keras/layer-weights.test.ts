import { describe, expect, it } from 'vitest';
import { keras, tensor, ShapeError, ValueError, ArgumentTypeError } from '../../src/index.js';

function model(): keras.Sequential {
  const m = new keras.Sequential();
  m.add(new keras.Dense({ units: 3, inputDim: 2 }));
  m.add(new keras.Dense({ units: 1 }));
  return m;
}

describe('Layer.getWeights / setWeights', () => {
  it("a layer's weights are its slice of the model's, in Keras' layout", () => {
    const m = model();
    const [k0, b0] = m.layers[0]!.getWeights();
    expect(k0!.shape).toEqual([2, 3]);
    expect(b0!.shape).toEqual([3]);
    const all = m.getWeights();
    expect(k0!.toArray()).toEqual(all[0]!.toArray());
    expect(m.layers[1]!.getWeights()[0]!.toArray()).toEqual(all[2]!.toArray());
  });

  it('setWeights on one layer changes what the model computes (kernel is [in, units])', () => {
    const m = model();
    m.layers[0]!.setWeights([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [0.5, 0, -1],
    ]);
    m.layers[1]!.setWeights([[[1], [1], [1]], [0]]);
    // x = [1, 1]: hidden = [1+4+0.5, 2+5, 3+6-1] = [5.5, 7, 8]; output = 20.5
    expect(m.predict(tensor([[1, 1]])).toArray()).toEqual([[20.5]]);
  });

  it('checks count, shapes and types before changing anything', () => {
    const m = model();
    const before = m.layers[0]!.getWeights().map((w) => w.toArray());
    expect(() =>
      m.layers[0]!.setWeights([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ]),
    ).toThrow(ValueError);
    expect(() =>
      m.layers[0]!.setWeights([
        [
          [1, 2],
          [3, 4],
        ],
        [0, 0, 0],
      ]),
    ).toThrow(ShapeError);
    expect(() => m.layers[0]!.setWeights('weights' as never)).toThrow(ArgumentTypeError);
    expect(m.layers[0]!.getWeights().map((w) => w.toArray())).toEqual(before);
    expect(() => (m.layers[0]!.getWeights as (...a: unknown[]) => unknown)(1)).toThrow(ArgumentTypeError);
  });
});
