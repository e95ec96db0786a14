import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, keras, tensor } from '../../src/index.js';
import { prepareTargets } from '../../src/keras/losses.js';
import { resolveMetric } from '../../src/keras/metrics.js';
import { softmaxRow } from './helpers.js';

const EPS = 1e-7;
const clip = (p: number): number => Math.min(1 - EPS, Math.max(EPS, p));

/** Float64 references of the Keras formulas, written with plain loops. */
const ref = {
  cce(y: number[][], p: number[][]): number {
    let total = 0;
    for (let i = 0; i < y.length; i++) {
      const s = p[i]!.reduce((a, b) => a + b, 0);
      for (let j = 0; j < y[i]!.length; j++) total -= y[i]![j]! * Math.log(clip(p[i]![j]! / s));
    }
    return total / y.length;
  },
  scce(labels: number[], p: number[][]): number {
    let total = 0;
    for (let i = 0; i < labels.length; i++) {
      const s = p[i]!.reduce((a, b) => a + b, 0);
      total -= Math.log(clip(p[i]![labels[i]!]! / s));
    }
    return total / labels.length;
  },
  bce(y: number[][], p: number[][]): number {
    let total = 0;
    let n = 0;
    for (let i = 0; i < y.length; i++) {
      for (let j = 0; j < y[i]!.length; j++) {
        const q = clip(p[i]![j]!);
        total -= y[i]![j]! * Math.log(q) + (1 - y[i]![j]!) * Math.log(1 - q);
        n++;
      }
    }
    return total / n;
  },
  elementwise(y: number[][], p: number[][], f: (d: number) => number): number {
    let total = 0;
    let n = 0;
    for (let i = 0; i < y.length; i++) for (let j = 0; j < y[i]!.length; j++) ((total += f(p[i]![j]! - y[i]![j]!)), n++);
    return total / n;
  },
};

const huber = (d: number): number => (Math.abs(d) <= 1 ? 0.5 * d * d : Math.abs(d) - 0.5);

/** A batch: logits [n, c], one-hot targets and class labels, and soft targets in [0, 1]. */
const batchArb = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.integer({ min: 2, max: 5 }).chain((c) =>
    fc.record({
      logits: fc.array(fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: c, maxLength: c }), {
        minLength: n,
        maxLength: n,
      }),
      labels: fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
      soft: fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: c, maxLength: c }), { minLength: n, maxLength: n }),
    }),
  ),
);

const f64 = (a: number[][]) => tensor(a, { dtype: 'float64' });
const oneHotOf = (labels: number[], c: number): number[][] => labels.map((l) => Array.from({ length: c }, (_, k) => (k === l ? 1 : 0)));

describe('loss names', () => {
  it('accepts camelCase, snake_case and the Keras short names', () => {
    expect(keras.lossName('categorical_crossentropy')).toBe('categoricalCrossentropy');
    expect(keras.lossName('categoricalCrossentropy')).toBe('categoricalCrossentropy');
    expect(keras.lossName('sparse_categorical_crossentropy')).toBe('sparseCategoricalCrossentropy');
    expect(keras.lossName('binary_crossentropy')).toBe('binaryCrossentropy');
    expect(keras.lossName('mse')).toBe('meanSquaredError');
    expect(keras.lossName('mean_squared_error')).toBe('meanSquaredError');
    expect(keras.lossName('mae')).toBe('meanAbsoluteError');
    expect(keras.lossName('mean_absolute_error')).toBe('meanAbsoluteError');
    expect(keras.lossName('huber')).toBe('huber');
    expect(keras.lossName('huber_loss')).toBe('huber');
  });

  it('rejects an unknown name with the list of known ones', () => {
    expect(() => keras.lossName('categorical_crossentropyy')).toThrow(ValueError);
    expect(() => keras.lossName('hinge')).toThrow(/unknown loss 'hinge'.*categoricalCrossentropy.*huber/);
  });
});

describe('computeLoss against float64 references', () => {
  it('each loss on probabilities matches the Keras formula', () => {
    fc.assert(
      fc.property(batchArb, ({ logits, labels, soft }) => {
        const c = logits[0]!.length;
        const probs = logits.map(softmaxRow);
        const y = oneHotOf(labels, c);
        const sig = logits.map((r) => r.map((z) => 1 / (1 + Math.exp(-z))));
        const close = (got: number, want: number) => expect(got).toBeCloseTo(want, 9);
        close(keras.computeLoss('categoricalCrossentropy', f64(y), f64(probs)).item(), ref.cce(y, probs));
        close(
          keras.computeLoss('sparseCategoricalCrossentropy', tensor(labels, { dtype: 'int32' }), f64(probs)).item(),
          ref.scce(labels, probs),
        );
        close(keras.computeLoss('binaryCrossentropy', f64(soft), f64(sig)).item(), ref.bce(soft, sig));
        close(
          keras.computeLoss('meanSquaredError', f64(soft), f64(logits)).item(),
          ref.elementwise(soft, logits, (d) => d * d),
        );
        close(keras.computeLoss('meanAbsoluteError', f64(soft), f64(logits)).item(), ref.elementwise(soft, logits, Math.abs));
        close(keras.computeLoss('huber', f64(soft), f64(logits)).item(), ref.elementwise(soft, logits, huber));
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('the logits forms give the same values as the probability forms away from the clipping', () => {
    fc.assert(
      fc.property(batchArb, ({ logits, labels, soft }) => {
        const c = logits[0]!.length;
        const probs = logits.map(softmaxRow);
        const y = oneHotOf(labels, c);
        const sig = logits.map((r) => r.map((z) => 1 / (1 + Math.exp(-z))));
        expect(keras.computeLoss('categoricalCrossentropy', f64(y), f64(logits), 'softmaxLogits').item()).toBeCloseTo(ref.cce(y, probs), 9);
        expect(keras.computeLoss('sparseCategoricalCrossentropy', tensor(labels), f64(logits), 'softmaxLogits').item()).toBeCloseTo(
          ref.scce(labels, probs),
          9,
        );
        expect(keras.computeLoss('binaryCrossentropy', f64(soft), f64(logits), 'sigmoidLogits').item()).toBeCloseTo(ref.bce(soft, sig), 9);
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('hand-computed values', () => {
    // -log(0.8) for the true class; (0.5^2 + 2^2) / 2 for mse; huber of 0.5 and 2 is (0.125 + 1.5) / 2.
    expect(keras.computeLoss('categoricalCrossentropy', tensor([[0, 1]]), tensor([[0.2, 0.8]])).item()).toBeCloseTo(-Math.log(0.8), 6);
    expect(keras.computeLoss('meanSquaredError', tensor([[0, 0]]), tensor([[0.5, 2]])).item()).toBeCloseTo(2.125, 6);
    expect(keras.computeLoss('huber', tensor([[0, 0]]), tensor([[0.5, 2]])).item()).toBeCloseTo(0.8125, 6);
  });

  it('softmax + cross-entropy through logits stays finite at logits of ±1000', () => {
    const logits = tensor([
      [1000, -1000],
      [-1000, 1000],
      [1000, -1000],
    ]);
    const y = tensor([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    // Row 0 is right (loss 0); rows 1 and 2 are wrong by a margin of 2000: mean = 4000 / 3.
    const l = keras.computeLoss('categoricalCrossentropy', y, logits, 'softmaxLogits');
    expect(Number.isFinite(l.item())).toBe(true);
    expect(l.item()).toBeCloseTo(4000 / 3, 2);
    const s = keras.computeLoss('sparseCategoricalCrossentropy', tensor([0, 0, 1], { dtype: 'int32' }), logits, 'softmaxLogits');
    expect(s.item()).toBeCloseTo(4000 / 3, 2);
    const b = keras.computeLoss('binaryCrossentropy', tensor([[1], [0], [0]]), tensor([[1000], [-1000], [1000]]), 'sigmoidLogits');
    expect(b.item()).toBeCloseTo(1000 / 3, 2);
    // The gradient through the logits is finite too: softmax(z) - y.
    const z = tensor([[1000, -1000]], { requiresGrad: true });
    keras.computeLoss('categoricalCrossentropy', tensor([[0, 1]]), z, 'softmaxLogits').backward();
    expect(z.grad!.toArray()).toEqual([[1, -1]]);
  });
});

describe('target checks', () => {
  const op = 'Sequential.fit';
  it('one-hot loss with class indices says so and suggests sparseCategoricalCrossentropy', () => {
    expect(() => prepareTargets(op, 'categoricalCrossentropy', tensor([1, 2, 0], { dtype: 'int32' }), [3])).toThrow(ValueError);
    expect(() => prepareTargets(op, 'categoricalCrossentropy', tensor([1, 2, 0]), [3])).toThrow(
      /one-hot targets of shape \[3, 3\].*class indices.*sparseCategoricalCrossentropy/,
    );
  });
  it('sparse loss with one-hot targets suggests categoricalCrossentropy', () => {
    expect(() =>
      prepareTargets(
        op,
        'sparseCategoricalCrossentropy',
        tensor([
          [0, 1],
          [1, 0],
        ]),
        [2],
      ),
    ).toThrow(/integer class indices.*one-hot.*'categoricalCrossentropy'/);
  });
  it('sparse labels out of range or not integers', () => {
    expect(() => prepareTargets(op, 'sparseCategoricalCrossentropy', tensor([0, 3], { dtype: 'int32' }), [3])).toThrow(
      /class indices in \[0, 3\].*3 outputs/,
    );
    expect(() => prepareTargets(op, 'sparseCategoricalCrossentropy', tensor([0, 1.5]), [3])).toThrow(/non-integer/);
    expect(prepareTargets(op, 'sparseCategoricalCrossentropy', tensor([[2], [0]]), [3]).toArray()).toEqual([2, 0]);
  });
  it('binary cross-entropy targets must be in [0, 1]; regression targets [N] become [N, 1]', () => {
    expect(() => prepareTargets(op, 'binaryCrossentropy', tensor([[0], [2]]), [1])).toThrow(/\[0, 1\].*\[0, 2\]/);
    expect(prepareTargets(op, 'meanSquaredError', tensor([1, 2]), [1]).shape).toEqual([2, 1]);
    expect(() => prepareTargets(op, 'meanSquaredError', tensor([[1, 2, 3]]), [2])).toThrow(ShapeError);
  });
});

describe('metrics', () => {
  const probs = tensor([
    [0.1, 0.9],
    [0.8, 0.2],
    [0.3, 0.7],
  ]);
  it('accuracy picks categorical, sparse or binary from the loss like Keras', () => {
    const cat = resolveMetric('accuracy', 'categoricalCrossentropy', 2);
    expect(
      cat.score(
        tensor([
          [0, 1],
          [0, 1],
          [0, 1],
        ]),
        probs,
        'output',
      ),
    ).toEqual([2, 3]);
    const sparse = resolveMetric('accuracy', 'sparseCategoricalCrossentropy', 2);
    expect(sparse.score(tensor([1, 0, 0], { dtype: 'int32' }), probs, 'output')).toEqual([2, 3]);
    const bin = resolveMetric('acc', 'binaryCrossentropy', 1);
    expect(bin.name).toBe('acc');
    expect(bin.score(tensor([[1], [0], [1]]), tensor([[0.7], [0.6], [0.2]]), 'output')).toEqual([1, 3]);
    // From sigmoid logits the threshold is 0.
    expect(bin.score(tensor([[1], [0], [1]]), tensor([[2], [-1], [0.5]]), 'sigmoidLogits')).toEqual([3, 3]);
    // mse with one output: binary accuracy; with several: categorical.
    expect(resolveMetric('accuracy', 'meanSquaredError', 1).score(tensor([[1]]), tensor([[0.9]]), 'output')).toEqual([1, 1]);
  });
  it('mae and mse sum absolute and squared errors', () => {
    const [s, n] = resolveMetric('mae', null, 2).score(tensor([[0, 1]]), tensor([[0.5, -1]]), 'output');
    expect([s, n]).toEqual([2.5, 2]);
    const [s2] = resolveMetric('mse', null, 2).score(tensor([[0, 1]]), tensor([[0.5, -1]]), 'output');
    expect(s2).toBeCloseTo(4.25, 6);
  });
  it('unknown metric names are rejected', () => {
    expect(() => resolveMetric('f1Score' as never, null, 2)).toThrow(/unknown metric 'f1Score'/);
  });
});

describe('activation, initializer and optimizer names', () => {
  it('resolves snake_case and aliases', () => {
    expect(keras.activationName('leaky_relu')).toBe('leakyRelu');
    expect(keras.activationName('swish')).toBe('silu');
    expect(keras.initializerName('glorot_uniform')).toBe('glorotUniform');
    expect(keras.initializerName('he_normal')).toBe('heNormal');
    expect(keras.optimizerName('Adam')).toBe('adam');
    expect(keras.optimizerName('RMSprop')).toBe('rmsprop');
    expect(() => keras.activationName('relu6')).toThrow(/unknown activation 'relu6'/);
    expect(() => keras.optimizerName('adadeltaa')).toThrow(/unknown optimizer/);
  });

  it('each activation computes its formula', () => {
    const x = [-2, -0.5, 0, 0.5, 2];
    const t = tensor(x, { dtype: 'float64' });
    const check = (name: string, f: (v: number) => number) => {
      const got = keras
        .getActivation(name as keras.ActivationName)(t)
        .toArray() as number[];
      got.forEach((g, i) => expect(g).toBeCloseTo(f(x[i]!), 6));
    };
    check('linear', (v) => v);
    check('relu', (v) => Math.max(0, v));
    check('sigmoid', (v) => 1 / (1 + Math.exp(-v)));
    check('tanh', Math.tanh);
    check('step', (v) => (v > 0 ? 1 : 0));
    check('elu', (v) => (v > 0 ? v : Math.exp(v) - 1));
    check('leaky_relu', (v) => (v > 0 ? v : 0.2 * v));
    check('softplus', (v) => Math.log1p(Math.exp(v)));
    check('gelu', (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
    const sm = keras
      .getActivation('softmax')(tensor([[1, 2, 3]], { dtype: 'float64' }))
      .toArray() as number[][];
    softmaxRow([1, 2, 3]).forEach((p, i) => expect(sm[0]![i]).toBeCloseTo(p, 9));
  });
});

/** erf by its Maclaurin series (enough terms for |x| <= 2). */
function erf(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
