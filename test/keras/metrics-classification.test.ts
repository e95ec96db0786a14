// precision, recall, auc and the top-k accuracies: accumulated over the epoch (not averaged per
// batch) and checked against hand counts; AUC against the exact pairwise ROC AUC when every
// prediction falls between different thresholds, and against Keras' bucketed value when not.
import { describe, expect, it } from 'vitest';
import { NotImplementedError, ValueError, keras, tensor } from '../../src/index.js';

/** A model whose output is its input (a Dense with an identity kernel), so metrics see chosen predictions. */
function identity(width: number, activation: 'linear' | 'sigmoid' = 'linear'): keras.Sequential {
  const m = new keras.Sequential([new keras.Dense(width, { inputDim: width, activation })]);
  m.setWeights([
    tensor(Array.from({ length: width }, (_, i) => Array.from({ length: width }, (_, j) => (i === j ? 1 : 0)))),
    tensor(new Array(width).fill(0)),
  ]);
  return m;
}

const preds = [0.9, 0.2, 0.7, 0.6, 0.1, 0.8, 0.4, 0.3];
const truth = [1, 0, 0, 1, 1, 1, 0, 0];

describe('precision and recall', () => {
  it('count over the whole epoch, not per batch', () => {
    const m = identity(1);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['precision', 'recall'] });
    const r = m.evaluate(tensor(preds.map((p) => [p])), tensor(truth.map((t) => [t])), { batchSize: 3 });
    // predicted positive (> 0.5): 0.9 (1), 0.7 (0), 0.6 (1), 0.8 (1) → TP 3, FP 1; FN: 0.1 → 1
    expect(r['precision']).toBeCloseTo(3 / 4, 12);
    expect(r['recall']).toBeCloseTo(3 / 4, 12);
  });

  it('take thresholds, classId and names as objects, and are 0 without positives', () => {
    const m = identity(2);
    m.compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [
        keras.metrics.Precision({ thresholds: 0.65, name: 'p65' }),
        new keras.metrics.Recall({ class_id: 1 } as never),
        keras.metrics.Precision({ thresholds: 1, name: 'none' }),
      ],
    });
    const x = tensor(preds.map((p, i) => [p, preds[(i + 3) % 8]!]));
    const y = tensor(truth.map((t, i) => [t, truth[(i + 1) % 8]!]));
    const r = m.evaluate(x, y, { batchSize: 4 });
    // every element: predicted > 0.65 in column 0: 0.9(1) 0.7(0) 0.8(1); column 1 (preds shifted by 3): [0.6,0.1,0.8,0.4,0.3,0.9,0.2,0.7] vs truth shifted by 1 [0,0,1,1,1,0,0,1]
    // column 1 > 0.65: 0.8(1) 0.9(0) 0.7(1) → in all TP 4, FP 2
    expect(r['p65']).toBeCloseTo(4 / 6, 12);
    // recall of column 1 at 0.5: positives at rows 2, 3, 4, 7 with preds 0.8, 0.4, 0.3, 0.7 → 2 / 4
    expect(r['recall']).toBeCloseTo(0.5, 12);
    expect(r['none']).toBe(0);
  });

  it('see probabilities when the final sigmoid is absorbed into the loss', () => {
    const m = identity(1, 'sigmoid');
    m.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['precision', 'auc'] });
    const logits = [2, -1, 0.5, -0.2];
    const r = m.evaluate(tensor(logits.map((v) => [v])), tensor([[1], [0], [0], [1]]));
    expect(r['precision']).toBeCloseTo(1 / 2, 12); // sigmoid > 0.5 for logits 2 (1), 0.5 (0)
    // pairs (pos, neg): (2, -1) ✓, (2, 0.5) ✓, (-0.2, -1) ✓, (-0.2, 0.5) ✗ → 3/4
    expect(r['auc']).toBeCloseTo(3 / 4, 12);
  });
});

describe('auc', () => {
  it('equals the exact ROC AUC when predictions fall between different thresholds', () => {
    const m = identity(1);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['auc'] });
    const r = m.evaluate(tensor(preds.map((p) => [p])), tensor(truth.map((t) => [t])), { batchSize: 3 });
    let good = 0;
    let pairs = 0;
    preds.forEach((p, i) =>
      preds.forEach((q, j) => {
        if (truth[i] === 1 && truth[j] === 0) {
          pairs++;
          good += p > q ? 1 : 0;
        }
      }),
    );
    expect(r['auc']).toBeCloseTo(good / pairs, 12);
  });

  it('uses 200 thresholds like Keras: two predictions 3e-4 apart share a bucket and score one half', () => {
    const m = identity(1);
    m.compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [
        'auc',
        keras.metrics.AUC({ numThresholds: 10001, name: 'fine' }),
        keras.metrics.AUC({ summationMethod: 'minoring', name: 'low' }),
      ],
    });
    const r = m.evaluate(tensor([[0.5004], [0.5001]]), tensor([[1], [0]]));
    expect(r['auc']).toBeCloseTo(0.5, 12);
    expect(r['fine']).toBeCloseTo(1, 12);
    expect(r['low']).toBeCloseTo(0, 12);
  });

  it('rejects what it does not compute', () => {
    expect(() => keras.metrics.AUC({ curve: 'PR' as never })).toThrow(NotImplementedError);
    expect(() => keras.metrics.AUC({ multiLabel: true })).toThrow(NotImplementedError);
    expect(() => keras.metrics.AUC({ numThresholds: 1 })).toThrow(ValueError);
  });
});

describe('top-k categorical accuracy', () => {
  const x = tensor([
    [0.1, 0.5, 0.2, 0.15, 0.05],
    [0.3, 0.1, 0.2, 0.25, 0.15],
    [0.2, 0.2, 0.2, 0.3, 0.1],
  ]);
  const classes = [3, 1, 0];
  // classes scoring strictly higher than the true one: 2, 4, 1 (ties with 0.2 count as in the top k)
  it('by name (k = 5) and as objects with k, on one-hot targets', () => {
    const m = identity(5);
    m.compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [
        'top_k_categorical_accuracy',
        keras.metrics.TopKCategoricalAccuracy({ k: 2, name: 'top2' }),
        keras.metrics.TopKCategoricalAccuracy({ k: 3, name: 'top3' }),
      ],
    });
    const oneHot = tensor(classes.map((c) => [0, 1, 2, 3, 4].map((j) => (j === c ? 1 : 0))));
    const r = m.evaluate(x, oneHot, { batchSize: 2 });
    expect(r['top_k_categorical_accuracy']).toBeCloseTo(1, 12);
    expect(r['top2']).toBeCloseTo(1 / 3, 12);
    expect(r['top3']).toBeCloseTo(2 / 3, 12);
  });

  it('sparse variant counts class-index targets', () => {
    const s = identity(5);
    s.compile({
      optimizer: 'sgd',
      loss: keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: [keras.metrics.SparseTopKCategoricalAccuracy({ k: 2, name: 'top2' }), 'sparse_top_k_categorical_accuracy'],
    });
    const r = s.evaluate(x, tensor(classes, { dtype: 'int32' }), { batchSize: 2 });
    expect(r['top2']).toBeCloseTo(1 / 3, 12);
    expect(r['sparse_top_k_categorical_accuracy']).toBeCloseTo(1, 12);
  });

  it('rejects two metrics logged under one name', () => {
    const m = identity(5);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['precision', keras.metrics.Precision()] })).toThrow(
      /two metrics are logged as 'precision'/,
    );
  });
});

describe('monitoring the new metrics', () => {
  it("EarlyStopping's mode auto maximises auc, precision and recall", async () => {
    for (const key of ['val_auc', 'precision', 'recall']) {
      const m = identity(1);
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      const values = [0.5, 0.6, 0.7, 0.65, 0.6];
      const script = new keras.LambdaCallback({
        onEpochEnd: (epoch, logs) => {
          logs[key] = values[epoch]!;
        },
      });
      const h = await m.fit(tensor([[0.5]]), tensor([[1]]), {
        epochs: 10,
        verbose: 0,
        callbacks: [script, new keras.EarlyStopping({ monitor: key, patience: 1 })],
      });
      // best at epoch 2; epoch 3 does not improve → stop after it (minimising would stop after epoch 1)
      expect(h.epoch).toEqual([0, 1, 2, 3]);
    }
  });
});
