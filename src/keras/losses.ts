/**
 * The loss table: Keras loss names, their formulas on probabilities (Keras' `fromLogits: false`),
 * the stable forms used when the model ends in softmax/sigmoid, and target checks that say what is
 * wrong with the labels.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { resolveName, type SnakeCase } from './names.js';

/** Loss names (`categorical_crossentropy`, `mse`, `mae`, `huber_loss` ... are accepted too). */
export type LossName =
  | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy'
  | 'meanSquaredError' | 'meanAbsoluteError' | 'huber';

/** A custom loss: `(yTrue, yPred) => scalar tensor`, averaged over the batch. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A loss name in either spelling, or one of the Keras short names. */
export type LossIdentifier = LossName | SnakeCase<LossName> | 'mse' | 'mae' | 'huber_loss' | 'mean_squared_error' | 'mean_absolute_error';

/** A loss as `compile` takes it: a name (camelCase or snake_case) or a function. */
export type LossSpec = LossIdentifier | LossFunction;

const NAMES: readonly LossName[] = [
  'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanAbsoluteError', 'huber',
];

const ALIASES: Record<string, LossName> = {
  mse: 'meanSquaredError', mae: 'meanAbsoluteError', huberLoss: 'huber', cce: 'categoricalCrossentropy',
  scce: 'sparseCategoricalCrossentropy', bce: 'binaryCrossentropy', logLoss: 'binaryCrossentropy',
};

/** Keras' `epsilon()`: probabilities are clipped to [EPS, 1 - EPS] before the log. */
const EPS = 1e-7;

/**
 * The canonical name of a loss (`'categorical_crossentropy'` → `'categoricalCrossentropy'`,
 * `'mse'` → `'meanSquaredError'`).
 * @example
 * ```ts
 * keras.lossName('sparse_categorical_crossentropy'); // 'sparseCategoricalCrossentropy'
 * ```
 */
export function lossName(name: string): LossName {
  return resolveName('loss', name, NAMES, ALIASES);
}

/** What the loss is computed from: the model's output, or the logits before its final softmax/sigmoid. */
export type LossInput = 'output' | 'softmaxLogits' | 'sigmoidLogits';

function sparseIndex(y: Tensor): Tensor {
  const idx = y.dtype === 'int32' ? y : y.to('int32');
  return idx.ndim === 1 ? idx.unsqueeze(1) : idx;
}

/**
 * The loss `name` on a batch: a 0-d tensor, the mean over the batch. `from` says whether `yPred` is
 * the model's output (probabilities for the cross-entropies, clipped like Keras) or the logits
 * before a final softmax (categorical losses) or sigmoid (binary), which gives the same value
 * computed stably through logSoftmax / log1p(exp(-|z|)).
 * @example
 * ```ts
 * const loss = keras.computeLoss('categoricalCrossentropy', tensor([[0, 1]]), tensor([[0.2, 0.8]]));
 * loss.item(); // -log(0.8) ≈ 0.2231
 * ```
 */
export function computeLoss(name: LossName, yTrue: Tensor, yPred: Tensor, from: LossInput = 'output'): Tensor {
  switch (name) {
    case 'categoricalCrossentropy': {
      if (from === 'softmaxLogits') return yTrue.mul(yPred.logSoftmax(-1)).sum(-1).mean().neg();
      const p = yPred.div(yPred.sum(-1, { keepdim: true })).clamp(EPS, 1 - EPS);
      return yTrue.mul(p.log()).sum(-1).mean().neg();
    }
    case 'sparseCategoricalCrossentropy': {
      const idx = sparseIndex(yTrue);
      if (from === 'softmaxLogits') return yPred.logSoftmax(-1).gather(1, idx).mean().neg();
      const p = yPred.div(yPred.sum(-1, { keepdim: true })).gather(1, idx).clamp(EPS, 1 - EPS);
      return p.log().mean().neg();
    }
    case 'binaryCrossentropy': {
      if (from === 'sigmoidLogits') {
        // max(z, 0) - z·y + log(1 + e^-|z|): never overflows.
        return yPred.relu().sub(yPred.mul(yTrue)).add(yPred.abs().neg().exp().log1p()).mean();
      }
      const p = yPred.clamp(EPS, 1 - EPS);
      return yTrue.mul(p.log()).add(yTrue.neg().add(1).mul(p.neg().log1p())).mean().neg();
    }
    case 'meanSquaredError': {
      const d = yPred.sub(yTrue);
      return d.mul(d).mean();
    }
    case 'meanAbsoluteError':
      return yPred.sub(yTrue).abs().mean();
    case 'huber': {
      // δ = 1: 0.5·a² for a ≤ δ, δ·(a - δ/2) beyond; q = min(a, δ) gives both at once.
      const a = yPred.sub(yTrue).abs();
      const q = a.clamp(null, 1);
      return q.mul(q).mul(0.5).add(a.sub(q)).mean();
    }
  }
}

/** True for the losses that can absorb a final softmax (categorical) or sigmoid (binary). @internal */
export function absorbs(name: LossName, activation: string | null): LossInput {
  if (activation === 'softmax' && (name === 'categoricalCrossentropy' || name === 'sparseCategoricalCrossentropy')) return 'softmaxLogits';
  if (activation === 'sigmoid' && name === 'binaryCrossentropy') return 'sigmoidLogits';
  return 'output';
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function range(y: Tensor): [number, number] {
  return noGrad(() => [y.amin().item(), y.amax().item()]);
}

/**
 * Checks the targets `y` of a whole data set against the loss and the model's output sample shape,
 * once before training, and returns them in the form the loss uses (class indices as int32 `[N]`,
 * `[N]` regression targets reshaped to `[N, 1]` for a one-unit output). Errors say what the loss
 * expected, what it got, and which loss fits the labels. @internal
 */
export function prepareTargets(op: string, name: LossName, y: Tensor, outShape: readonly number[]): Tensor {
  const n = y.shape[0]!;
  const want = [n, ...outShape];
  const classes = outShape[outShape.length - 1] ?? 1;
  const looksLikeIndices = y.ndim === 1 || (y.ndim === 2 && y.shape[1] === 1);
  if (y.dtype === 'bool') y = y.to('float32');
  switch (name) {
    case 'categoricalCrossentropy': {
      if (looksLikeIndices && classes > 1) {
        throw new ValueError(
          `${op}: loss categoricalCrossentropy expects one-hot targets of shape ${fmtShape(want)}, but y has shape ${fmtShape(y.shape)}, ` +
            `which looks like class indices; use loss 'sparseCategoricalCrossentropy' for integer labels, or one-hot encode them`,
        );
      }
      if (!sameShape(y.shape, want)) throw new ShapeError(`${op}: loss categoricalCrossentropy expects targets of shape ${fmtShape(want)} (the model's output), got ${fmtShape(y.shape)}`);
      return y.dtype === 'int32' ? y.to('float32') : y;
    }
    case 'sparseCategoricalCrossentropy': {
      if (outShape.length !== 1) throw new ShapeError(`${op}: loss sparseCategoricalCrossentropy needs a model output of shape [batch, classes], got [batch, ${outShape.join(', ')}]`);
      if (!looksLikeIndices) {
        const hint = sameShape(y.shape, want) ? `; these look like one-hot targets: use loss 'categoricalCrossentropy'` : '';
        throw new ValueError(`${op}: loss sparseCategoricalCrossentropy expects integer class indices of shape [${n}], got y of shape ${fmtShape(y.shape)}${hint}`);
      }
      const flat = y.reshape([n]);
      const idx = flat.dtype === 'int32' ? flat : flat.to('int32');
      if (n > 0) {
        if (flat.dtype !== 'int32' && !noGrad(() => idx.to(flat.dtype).eq(flat).all().item())) {
          throw new ValueError(`${op}: loss sparseCategoricalCrossentropy expects integer class indices, but y has non-integer values`);
        }
        const [lo, hi] = range(idx);
        if (lo < 0 || hi >= classes) {
          throw new ValueError(`${op}: loss sparseCategoricalCrossentropy got class indices in [${lo}, ${hi}], but the model has ${classes} outputs (classes 0..${classes - 1})`);
        }
      }
      return idx;
    }
    default: {
      let t = y.dtype === 'int32' ? y.to('float32') : y;
      if (!sameShape(t.shape, want) && t.numel() === want.reduce((a, b) => a * b, 1) && t.ndim <= 2 && want.length <= 2) t = t.reshape(want);
      if (!sameShape(t.shape, want)) {
        const hint = name === 'binaryCrossentropy' || classes === 1 ? '' : looksLikeIndices ? `; for class indices use loss 'sparseCategoricalCrossentropy'` : '';
        throw new ShapeError(`${op}: loss ${name} expects targets of shape ${fmtShape(want)} (the model's output), got ${fmtShape(y.shape)}${hint}`);
      }
      if (name === 'binaryCrossentropy' && n > 0) {
        const [lo, hi] = range(t);
        if (lo < 0 || hi > 1) throw new ValueError(`${op}: loss binaryCrossentropy expects targets in [0, 1], got values in [${lo}, ${hi}]`);
      }
      return t;
    }
  }
}
