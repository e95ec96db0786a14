/**
 * Keras' epoch-accumulated classification metrics: `precision`, `recall` and `auc` (ROC AUC from
 * counts at fixed thresholds, Keras' default 200, trapezoidal), and `topKCategoricalAccuracy`
 * (k = 5) with its sparse variant.
 * @module
 */
import { ShapeError, fmtShape } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import type { LossInput } from './losses.js';

/** Running state of a metric that is not a mean of per-batch scores. @internal */
export interface MetricState {
  /** Adds a batch (`pred` is the model's output: probabilities). */
  add(yTrue: Tensor, pred: Tensor): void;
  /** The value over everything added. */
  result(): number;
}

/** The model's output from what the loss saw (absorbed logits are turned back into probabilities). @internal */
export function modelOutput(pred: Tensor, from: LossInput, absorbed = true): Tensor {
  if (!absorbed) return pred;
  return from === 'softmaxLogits' ? pred.softmax(-1) : from === 'sigmoidLogits' ? pred.sigmoid() : pred;
}

/** Flat float data of a tensor. */
function values(t: Tensor): ArrayLike<number> {
  return t.contiguous().dataSync();
}

/** Targets and predictions of the same shape (one column when `classId` is given), flattened. */
function pairs(name: string, yTrue: Tensor, pred: Tensor, classId: number | null): [ArrayLike<number>, ArrayLike<number>] {
  if (yTrue.shape.length !== pred.shape.length || yTrue.shape.some((d, i) => d !== pred.shape[i])) {
    throw new ShapeError(
      `metric '${name}': targets must have the output's shape ${fmtShape(pred.shape)} (binary or one-hot targets), got ${fmtShape(yTrue.shape)}; with class indices, one-hot encode them or use a sparse metric`,
    );
  }
  if (classId !== null) {
    const classes = pred.shape[pred.ndim - 1]!;
    if (classId >= classes) throw new ShapeError(`metric '${name}': classId ${classId} is out of range for ${classes} outputs`);
    return [values(yTrue.select(-1, classId)), values(pred.select(-1, classId))];
  }
  return [values(yTrue), values(pred)];
}

/** What precision and recall count. @internal */
interface ThresholdOptions {
  /** Predictions above it count as positive (default 0.5). */
  threshold: number;
  /** Score only this output column (default: every element). */
  classId: number | null;
}

/**
 * Precision TP / (TP + FP) or recall TP / (TP + FN) over the epoch, every output element a binary
 * prediction (`pred > threshold`; a target counts as positive when it is non-zero); 0 when the
 * denominator is 0, as Keras. @internal
 */
export function confusionState(name: string, kind: 'precision' | 'recall', o: ThresholdOptions): MetricState {
  let tp = 0;
  let other = 0;
  return {
    add(yTrue, pred) {
      const [y, p] = pairs(name, yTrue, pred, o.classId);
      for (let i = 0; i < p.length; i++) {
        const predicted = p[i]! > o.threshold;
        const actual = y[i]! !== 0;
        if (predicted && actual) tp++;
        else if (kind === 'precision' ? predicted && !actual : !predicted && actual) other++;
      }
    },
    result: () => (tp + other === 0 ? 0 : tp / (tp + other)),
  };
}

/** How {@link aucState} sums the curve. @internal */
type SummationMethod = 'interpolation' | 'minoring' | 'majoring';

/**
 * Keras' `AUC` (ROC curve): true- and false-positive counts at `numThresholds` thresholds
 * (−1e-7, 1/(n−1), ..., (n−2)/(n−1), 1 + 1e-7), accumulated over the epoch; the area is the
 * trapezoidal sum (`interpolation`), or the lower/upper Riemann sum (`minoring`/`majoring`). @internal
 */
export function aucState(name: string, numThresholds: number, summation: SummationMethod, fromLogits: boolean): MetricState {
  const n = numThresholds;
  const thresholds = Float64Array.from({ length: n }, (_, i) => (i === 0 ? -1e-7 : i === n - 1 ? 1 + 1e-7 : i / (n - 1)));
  // pos[k] / neg[k]: samples with exactly k thresholds strictly below their prediction.
  const pos = new Float64Array(n + 1);
  const neg = new Float64Array(n + 1);
  const below = (p: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (thresholds[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    add(yTrue, pred) {
      const [y, p] = pairs(name, yTrue, fromLogits ? pred.sigmoid() : pred, null);
      for (let i = 0; i < p.length; i++) (y[i]! !== 0 ? pos : neg)[below(p[i]!)]! += 1;
    },
    result() {
      let totalPos = 0;
      let totalNeg = 0;
      for (let k = 0; k <= n; k++) {
        totalPos += pos[k]!;
        totalNeg += neg[k]!;
      }
      // tp[i] = positives with a prediction above threshold i = those with more than i thresholds below.
      const tpr = new Float64Array(n);
      const fpr = new Float64Array(n);
      let tp = totalPos;
      let fp = totalNeg;
      for (let i = 0; i < n; i++) {
        tp -= pos[i]!;
        fp -= neg[i]!;
        tpr[i] = totalPos === 0 ? 0 : tp / totalPos;
        fpr[i] = totalNeg === 0 ? 0 : fp / totalNeg;
      }
      let area = 0;
      for (let i = 0; i < n - 1; i++) {
        const h =
          summation === 'interpolation'
            ? (tpr[i]! + tpr[i + 1]!) / 2
            : summation === 'minoring'
              ? Math.min(tpr[i]!, tpr[i + 1]!)
              : Math.max(tpr[i]!, tpr[i + 1]!);
        area += (fpr[i]! - fpr[i + 1]!) * h;
      }
      return area;
    },
  };
}

/**
 * Top-k accuracy of a batch: a sample is a hit when fewer than `k` classes score strictly higher
 * than its true class (ties count as hits, as TensorFlow's `in_top_k`). `sparse` targets are class
 * indices, otherwise one-hot rows (the true class is the argmax). Returns [hits, samples]. @internal
 */
export function topKScore(name: string, yTrue: Tensor, pred: Tensor, k: number, sparse: boolean): [number, number] {
  if (pred.ndim < 2) throw new ShapeError(`metric '${name}': expected predictions of shape [batch, classes], got ${fmtShape(pred.shape)}`);
  const lead = pred.shape.slice(0, -1);
  const target = sparse ? yTrue.reshape(lead).to('int32') : yTrue.argmax(-1).to('int32');
  const atTarget = pred.gather(-1, target.unsqueeze(-1));
  const hits = pred.gt(atTarget).float().sum(-1).lt(k).float().sum().item();
  return [hits, target.numel()];
}
