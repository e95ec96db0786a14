/**
 * Transforms: normalize, oneHot, toTensor, compose. References are computed by hand or with plain
 * float64 loops.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, DTypeError, IndexError, ShapeError, ValueError, data, stack, tensor } from '../../src/index.js';
import { expectThrows, vals } from './helpers.js';

const { normalize, oneHot, toTensor, compose } = data.transforms;

function expectClose(actual: number[], expected: number[], tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

describe('normalize', () => {
  it('applies a scalar mean/std to every element', () => {
    expectClose(vals(normalize(0.5, 0.25)(tensor([0, 0.5, 1]))), [-2, 0, 2]);
  });

  it('applies per-channel values along dim -3, for items and for batches', () => {
    // Item [2, 1, 2]: channel 0 = [1, 3] with mean 1, std 2; channel 1 = [10, 20] with mean 10, std 5.
    const item = tensor([[[1, 3]], [[10, 20]]]);
    const t = normalize([1, 10], [2, 5]);
    expectClose(vals(t(item)), [0, 1, 0, 2]);
    const batch = stack([item, item.mul(2)]); // second item: [2, 6] and [20, 40]
    expectClose(vals(t(batch)), [0, 1, 0, 2, 0.5, 2.5, 2, 6]);
    expect(t.batchable).toBe(true);
  });

  it('matches a float64 loop (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 10_000 }), (c, hw, seed) => {
        const n = c * hw * hw;
        const xs = Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 101) / 101);
        const means = Array.from({ length: c }, (_, k) => k * 0.1 + 0.05);
        const stds = Array.from({ length: c }, (_, k) => 0.2 + k * 0.3);
        const x = tensor(xs, { dtype: 'float64' }).reshape(c, hw, hw);
        const expected = xs.map((v, i) => (v - means[Math.floor(i / (hw * hw))]!) / stds[Math.floor(i / (hw * hw))]!);
        expectClose(vals(normalize(means, stds)(x)), expected, 1e-12);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('rejects bad arguments and inputs', () => {
    expectThrows(() => normalize([0.5, 0.5], [0.5]), ValueError, /mean has 2 values but std has 1/);
    expectThrows(() => normalize(0, 0), ValueError, /std must be non-zero/);
    expectThrows(() => normalize([0, 0, 0], [1, 1, 1])(tensor([[[1]], [[2]]])), ShapeError, /3 means\/stds/, /\[2, 1, 1\]/, /2 channels/);
    expectThrows(() => normalize([0], [1])(tensor([1, 2])), ShapeError, /\[\.\.\., C, H, W\]/, /\[2\]/);
    expectThrows(() => normalize(0, 1)(tensor([1], { dtype: 'int32' })), DTypeError, /float tensor, got int32/);
  });
});

describe('oneHot', () => {
  it('encodes int32 labels as float32 rows', () => {
    const out = oneHot(4)(tensor([2, 0, 3], { dtype: 'int32' }));
    expect(out.shape).toEqual([3, 4]);
    expect(out.dtype).toBe('float32');
    expect(vals(out)).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('encodes a 0-d label and a JS number', () => {
    expect(oneHot(3)(tensor(1, { dtype: 'int32' })).shape).toEqual([3]);
    expect(vals(oneHot(3)(2))).toEqual([0, 0, 1]);
  });

  it('keeps leading dims', () => {
    const out = oneHot(2)(
      tensor(
        [
          [0, 1],
          [1, 1],
        ],
        { dtype: 'int32' },
      ),
    );
    expect(out.shape).toEqual([2, 2, 2]);
    expect(vals(out)).toEqual([1, 0, 0, 1, 0, 1, 0, 1]);
  });

  it('rejects out-of-range labels, non-int32 labels and a bad class count', () => {
    expectThrows(() => oneHot(3)(tensor([0, 3], { dtype: 'int32' })), IndexError, /label 3 \(position 1\)/, /3 classes/);
    expectThrows(() => oneHot(3)(tensor([-1], { dtype: 'int32' })), IndexError, /label -1/);
    expectThrows(() => oneHot(3)(tensor([1])), DTypeError, /int32.*float32/);
    expectThrows(() => oneHot(0), ValueError, /positive integer, got 0/);
  });
});

describe('toTensor', () => {
  it('scales 0..255 to [0, 1] and adds a channel dim to [H, W]', () => {
    const out = toTensor()(
      tensor(
        [
          [0, 255],
          [51, 102],
        ],
        { dtype: 'int32' },
      ),
    );
    expect(out.shape).toEqual([1, 2, 2]);
    expect(out.dtype).toBe('float32');
    expectClose(vals(out), [0, 1, 0.2, 0.4]);
  });

  it('turns [H, W, C] into [C, H, W]', () => {
    // 1x2 image with 3 channels: pixel 0 = (0, 51, 255), pixel 1 = (255, 102, 0).
    const out = toTensor()(
      tensor(
        [
          [
            [0, 51, 255],
            [255, 102, 0],
          ],
        ],
        { dtype: 'int32' },
      ),
    );
    expect(out.shape).toEqual([3, 1, 2]);
    expectClose(vals(out), [0, 1, 0.2, 0.4, 1, 0]);
  });

  it('rejects floats, values outside 0..255 and other ranks', () => {
    expectThrows(() => toTensor()(tensor([[0.5]])), DTypeError, /float32/);
    expectThrows(() => toTensor()(tensor([[0, 256]], { dtype: 'int32' })), ValueError, /pixel value 256/);
    expectThrows(() => toTensor()(tensor([1, 2], { dtype: 'int32' })), ShapeError, /\[2\]/);
  });
});

describe('compose', () => {
  it('applies transforms left to right', () => {
    const t = compose(toTensor(), normalize([0.5], [0.5]));
    // 0 -> 0 -> -1; 255 -> 1 -> 1; 51 -> 0.2 -> -0.6
    expectClose(vals(t(tensor([[0, 255, 51]], { dtype: 'int32' }))), [-1, 1, -0.6]);
    expect(t.batchable).toBeFalsy();
    const b = compose(normalize(1, 2), normalize(0, 0.5));
    expectClose(vals(b(tensor([3, 5]))), [2, 4]);
    expect(b.batchable).toBe(true);
  });

  it('rejects a non-function', () => {
    expectThrows(() => compose(toTensor(), 3 as unknown as data.transforms.Transform), ArgumentTypeError, /transform 1 is not a function/);
  });
});
