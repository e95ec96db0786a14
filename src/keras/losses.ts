/**
 * The loss table: Keras loss names computed by nn.F's losses, on probabilities (Keras'
 * `fromLogits: false`, clipped like Keras) or on logits (a final softmax/sigmoid absorbed, or
 * `fromLogits: true`), with Keras' sample weighting, and target checks that say what is wrong
 * with the labels.
 * @module
 */
import {
  bool,
  checkArity,
  describe,
  instance,
  isPlainObject,
  nullable,
  num,
  oneOf,
  parseOptions,
  type OptionSpec,
} from '../autograd/args.js';
import { ArgumentTypeError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { sameShape } from '../autograd/shape.js';
import { Tensor } from '../autograd/tensor.js';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
} from '../nn/functional/loss.js';
import { KERAS_KEYS, resolveName, type SnakeCase } from './names.js';

/** Loss names (`categorical_crossentropy`, `mse`, `mae`, `huber_loss` ... are accepted too). */
export type LossName =
  'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError' | 'huber';

/** A custom loss: `(yTrue, yPred) => scalar tensor`, averaged over the batch. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A loss name in either spelling, or one of the Keras short names. */
export type LossIdentifier = LossName | SnakeCase<LossName> | 'mse' | 'mae' | 'huber_loss' | 'mean_squared_error' | 'mean_absolute_error';

/**
 * A loss as `compile` takes it: a name (camelCase or snake_case), a loss object from `keras.losses`,
 * a config `{ name, fromLogits, ... }`, or a function.
 */
export type LossSpec = LossIdentifier | Loss | LossConfigObject | LossFunction;

/** A loss given as a name with options: `{ name: 'sparse_categorical_crossentropy', fromLogits: true }`. */
export interface LossConfigObject {
  /** The loss name. */
  name: LossIdentifier;
  /** Read the predictions as logits (cross-entropies). */
  fromLogits?: boolean;
  /** Label smoothing in [0, 1] (categorical and binary cross-entropy). */
  labelSmoothing?: number;
  /** Huber's δ. */
  delta?: number;
}

const NAMES: readonly LossName[] = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'huber',
];

const ALIASES: Record<string, LossName> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  huberLoss: 'huber',
  cce: 'categoricalCrossentropy',
  scce: 'sparseCategoricalCrossentropy',
  bce: 'binaryCrossentropy',
  logLoss: 'binaryCrossentropy',
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
  checkArity('keras.lossName', arguments, 1, 'lossName(name)');
  return resolveName('loss', name, NAMES, ALIASES);
}

/** What the loss is computed from: the model's output, or the logits before its final softmax/sigmoid. */
export type LossInput = 'output' | 'softmaxLogits' | 'sigmoidLogits';

/** Options of {@link computeLoss}. */
export interface ComputeLossOptions {
  /** What `yPred` holds (default: `'output'`, or the logits when the loss object has `fromLogits`). */
  from?: LossInput;
  /** One weight per sample `[N]`: the per-sample losses are multiplied by it before the mean over the batch (Keras). */
  sampleWeight?: Tensor | null;
}

const COMPUTE_SPEC = {
  from: oneOf(['output', 'softmaxLogits', 'sigmoidLogits'] as const),
  sampleWeight: nullable(instance(Tensor)),
};

/** Mean over all elements, or Keras' weighted mean Σ w·l / (number of losses) with `w` broadcast along the batch dim. @internal */
export function reduceWeighted(perSample: Tensor, weight: Tensor | null): Tensor {
  if (weight === null) return perSample.mean();
  const w = weight.reshape([perSample.shape[0]!, ...perSample.shape.slice(1).map(() => 1)]);
  return perSample.mul(w).mean();
}

/** Rows of the class dim: `[N, ..., C]` → `[M, C]` (nn.F's losses take the classes on dim 1). */
function rows2d(t: Tensor): Tensor {
  return t.ndim === 2 ? t : t.reshape([-1, t.shape[t.ndim - 1]!]);
}

/** The per-sample loss shape: the prediction without its last dim. */
function perSampleShape(pred: Tensor): number[] {
  return pred.shape.slice(0, -1);
}

/**
 * The loss on a batch, through nn.F: the per-sample losses (Keras reduces the last dim) and their
 * mean over the batch, weighted by `weight` when given. @internal
 */
export function lossOnBatch(cfg: LossConfig, yTrue: Tensor, yPred: Tensor, from: LossInput, weight: Tensor | null): Tensor {
  const reduction = weight === null ? 'mean' : 'none';
  switch (cfg.name) {
    case 'categoricalCrossentropy': {
      const smooth = cfg.labelSmoothing;
      if (from === 'softmaxLogits') {
        const l = crossEntropy(rows2d(yPred), rows2d(yTrue), { reduction, labelSmoothing: smooth });
        return weight === null ? l : reduceWeighted(l.reshape(perSampleShape(yPred)), weight);
      }
      // nn.F has no cross-entropy of clipped probabilities against soft targets: Keras' formula.
      const c = yPred.shape[yPred.ndim - 1]!;
      const y = smooth > 0 ? yTrue.mul(1 - smooth).add(smooth / c) : yTrue;
      const p = yPred.div(yPred.sum(-1, { keepdim: true })).clamp(EPS, 1 - EPS);
      return reduceWeighted(y.mul(p.log()).sum(-1).neg(), weight);
    }
    case 'sparseCategoricalCrossentropy': {
      const idx = yTrue.dtype === 'int32' ? yTrue.reshape([-1]) : yTrue.reshape([-1]).to('int32');
      const l =
        from === 'softmaxLogits'
          ? crossEntropy(yPred, idx, { reduction })
          : nllLoss(
              yPred
                .div(yPred.sum(-1, { keepdim: true }))
                .clamp(EPS, 1 - EPS)
                .log(),
              idx,
              { reduction },
            );
      return weight === null ? l : reduceWeighted(l, weight);
    }
    case 'binaryCrossentropy': {
      const y = cfg.labelSmoothing > 0 ? yTrue.mul(1 - cfg.labelSmoothing).add(0.5 * cfg.labelSmoothing) : yTrue;
      const l =
        from === 'sigmoidLogits'
          ? binaryCrossEntropyWithLogits(yPred, y, { reduction })
          : binaryCrossEntropy(yPred.clamp(EPS, 1 - EPS), y, { reduction });
      return weight === null ? l : reduceWeighted(l.mean(-1), weight);
    }
    case 'meanSquaredError':
    case 'meanAbsoluteError':
    case 'huber': {
      const l =
        cfg.name === 'meanSquaredError'
          ? mseLoss(yPred, yTrue, { reduction })
          : cfg.name === 'meanAbsoluteError'
            ? l1Loss(yPred, yTrue, { reduction })
            : huberLoss(yPred, yTrue, { reduction, delta: cfg.delta });
      return weight === null ? l : reduceWeighted(l.mean(-1), weight);
    }
  }
}

/**
 * The loss on a batch: a 0-d tensor, the mean over the batch (Keras' `sum_over_batch_size`: with
 * `sampleWeight`, Σ wᵢ·lᵢ divided by the number of samples, not by Σ wᵢ). `loss` is a name or a
 * loss object from `keras.losses`. `from` says whether `yPred` is the model's output (probabilities
 * for the cross-entropies, clipped like Keras) or the logits before a final softmax (categorical
 * losses) or sigmoid (binary), which gives the same value computed stably. The losses are nn.F's
 * (`crossEntropy`, `nllLoss`, `binaryCrossEntropy[WithLogits]`, `mseLoss`, `l1Loss`, `huberLoss`).
 * @example
 * ```ts
 * const loss = keras.computeLoss('categoricalCrossentropy', tensor([[0, 1]]), tensor([[0.2, 0.8]]));
 * loss.item(); // -log(0.8) ≈ 0.2231
 * ```
 */
export function computeLoss(
  loss: LossIdentifier | Loss,
  yTrue: Tensor,
  yPred: Tensor,
  options: LossInput | ComputeLossOptions = {},
): Tensor {
  const op = 'keras.computeLoss';
  checkArity(op, arguments, 4, 'computeLoss(loss, yTrue, yPred, { from, sampleWeight })');
  const cfg = loss instanceof Loss ? loss.config : lossConfig(lossName(loss));
  if (!(yTrue instanceof Tensor)) throw new ArgumentTypeError(`${op}: yTrue must be a Tensor, got ${describe(yTrue)}`);
  if (!(yPred instanceof Tensor)) throw new ArgumentTypeError(`${op}: yPred must be a Tensor, got ${describe(yPred)}`);
  const o =
    typeof options === 'string'
      ? { from: COMPUTE_SPEC.from(op, 'from', options) }
      : parseOptions(op, options, COMPUTE_SPEC, { ...KERAS_KEYS, forms: 'computeLoss(loss, yTrue, yPred, { from, sampleWeight })' });
  const from = o.from ?? logitsKind(cfg) ?? 'output';
  const weight = o.sampleWeight ?? null;
  if (weight !== null && (weight.ndim !== 1 || weight.shape[0] !== yPred.shape[0])) {
    throw new ShapeError(`${op}: sampleWeight must have shape [${yPred.shape[0]}] (one weight per sample), got ${fmtShape(weight.shape)}`);
  }
  return lossOnBatch(cfg, yTrue, yPred, from, weight);
}

/** A loss with its options: what `keras.losses.*` build and `compile` reads. @internal */
interface LossConfig {
  /** The canonical loss name. */
  name: LossName;
  /** The predictions are logits (cross-entropies only). */
  fromLogits: boolean;
  /** Label smoothing in [0, 1] (categorical and binary cross-entropy). */
  labelSmoothing: number;
  /** Huber's δ. */
  delta: number;
}

const FROM_LOGITS = { fromLogits: bool };
const SMOOTHING = { labelSmoothing: num({ min: 0, max: 1 }) };

/** The options each loss takes. @internal */
export const LOSS_OPTIONS: Readonly<Record<LossName, OptionSpec>> = {
  categoricalCrossentropy: { ...FROM_LOGITS, ...SMOOTHING },
  sparseCategoricalCrossentropy: FROM_LOGITS,
  binaryCrossentropy: { ...FROM_LOGITS, ...SMOOTHING },
  meanSquaredError: {},
  meanAbsoluteError: {},
  huber: { delta: num({ min: 0, minExclusive: true }) },
};

/** Builds the loss object `name` with `options` checked against what that loss takes. @internal */
export function makeLoss(op: string, name: LossName, options: unknown, forms: string): Loss {
  const o = parseOptions(op, options, LOSS_OPTIONS[name], { ...KERAS_KEYS, forms }) as Partial<LossConfig>;
  return new Loss({ ...lossConfig(name), ...o });
}

/**
 * Reads `compile`'s loss: a name, a loss object, `{ name, ...options }` or a function. @internal
 */
export function checkLossSpec(op: string, spec: unknown): Loss | LossFunction {
  if (typeof spec === 'function') return spec as LossFunction;
  if (spec instanceof Loss) return spec;
  if (typeof spec === 'string') return new Loss(lossConfig(lossName(spec)));
  if (isPlainObject(spec) && typeof spec['name'] === 'string') {
    const { name, ...options } = spec;
    const canonical = lossName(name);
    return makeLoss(
      `${op}: loss '${canonical}'`,
      canonical,
      options,
      `{ name: '${canonical}', ${Object.keys(LOSS_OPTIONS[canonical]).join(', ')} }`,
    );
  }
  throw new ArgumentTypeError(
    `${op}: loss must be a name such as 'categoricalCrossentropy', a keras.losses object, { name, fromLogits } or a function (yTrue, yPred) => Tensor, got ${describe(spec)}`,
  );
}

/** The default options of a named loss. @internal */
export function lossConfig(name: LossName): LossConfig {
  return { name, fromLogits: false, labelSmoothing: 0, delta: 1 };
}

/** The logits a loss object with `fromLogits` reads, or null. @internal */
export function logitsKind(cfg: LossConfig): LossInput | null {
  if (!cfg.fromLogits) return null;
  return cfg.name === 'binaryCrossentropy' ? 'sigmoidLogits' : 'softmaxLogits';
}

/**
 * A loss with options, as built by `keras.losses.SparseCategoricalCrossentropy({ fromLogits: true })`
 * and friends; pass it to `compile({ loss })` or call it on a batch with {@link Loss.call}.
 * @example
 * ```ts
 * const loss = keras.losses.SparseCategoricalCrossentropy({ fromLogits: true });
 * loss.call(tensor([1], { dtype: 'int32' }), tensor([[0.5, 2.0]])).item();
 * ```
 */
export class Loss {
  /** The loss and its options. @internal */
  readonly config: Readonly<LossConfig>;

  /** @internal */
  constructor(config: LossConfig) {
    this.config = Object.freeze({ ...config });
  }

  /** The canonical loss name (`sparseCategoricalCrossentropy`, ...). */
  get name(): LossName {
    return this.config.name;
  }

  /** Whether predictions are read as logits. */
  get fromLogits(): boolean {
    return this.config.fromLogits;
  }

  /** The batch loss of `yPred` against `yTrue` (mean over the batch, weighted by `sampleWeight` like Keras). */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): Tensor {
    return computeLoss(this, yTrue, yPred, { sampleWeight: sampleWeight ?? null });
  }

  /** The options as JSON (`{ name, fromLogits, ... }`), as saved with the model. */
  getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { name: this.config.name };
    if (this.config.fromLogits) c['fromLogits'] = true;
    if (this.config.labelSmoothing !== 0) c['labelSmoothing'] = this.config.labelSmoothing;
    if (this.config.name === 'huber' && this.config.delta !== 1) c['delta'] = this.config.delta;
    return c;
  }
}

/** True for the losses that can absorb a final softmax (categorical) or sigmoid (binary). @internal */
export function absorbs(name: LossName, activation: string | null): LossInput {
  if (activation === 'softmax' && (name === 'categoricalCrossentropy' || name === 'sparseCategoricalCrossentropy')) return 'softmaxLogits';
  if (activation === 'sigmoid' && name === 'binaryCrossentropy') return 'sigmoidLogits';
  return 'output';
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
      if (!sameShape(y.shape, want))
        throw new ShapeError(
          `${op}: loss categoricalCrossentropy expects targets of shape ${fmtShape(want)} (the model's output), got ${fmtShape(y.shape)}`,
        );
      return y.dtype === 'int32' ? y.to('float32') : y;
    }
    case 'sparseCategoricalCrossentropy': {
      if (outShape.length !== 1)
        throw new ShapeError(
          `${op}: loss sparseCategoricalCrossentropy needs a model output of shape [batch, classes], got [batch, ${outShape.join(', ')}]`,
        );
      if (!looksLikeIndices) {
        const hint = sameShape(y.shape, want) ? `; these look like one-hot targets: use loss 'categoricalCrossentropy'` : '';
        throw new ValueError(
          `${op}: loss sparseCategoricalCrossentropy expects integer class indices of shape [${n}], got y of shape ${fmtShape(y.shape)}${hint}`,
        );
      }
      const flat = y.reshape([n]);
      const idx = flat.dtype === 'int32' ? flat : flat.to('int32');
      if (n > 0) {
        if (flat.dtype !== 'int32' && !noGrad(() => idx.to(flat.dtype).eq(flat).all().item())) {
          throw new ValueError(`${op}: loss sparseCategoricalCrossentropy expects integer class indices, but y has non-integer values`);
        }
        const [lo, hi] = range(idx);
        if (lo < 0 || hi >= classes) {
          throw new ValueError(
            `${op}: loss sparseCategoricalCrossentropy got class indices in [${lo}, ${hi}], but the model has ${classes} outputs (classes 0..${classes - 1})`,
          );
        }
      }
      return idx;
    }
    default: {
      let t = y.dtype === 'int32' ? y.to('float32') : y;
      if (!sameShape(t.shape, want) && t.numel() === want.reduce((a, b) => a * b, 1) && t.ndim <= 2 && want.length <= 2)
        t = t.reshape(want);
      if (!sameShape(t.shape, want)) {
        const hint =
          name === 'binaryCrossentropy' || classes === 1
            ? ''
            : looksLikeIndices
              ? `; for class indices use loss 'sparseCategoricalCrossentropy'`
              : '';
        throw new ShapeError(
          `${op}: loss ${name} expects targets of shape ${fmtShape(want)} (the model's output), got ${fmtShape(y.shape)}${hint}`,
        );
      }
      if (name === 'binaryCrossentropy' && n > 0) {
        const [lo, hi] = range(t);
        if (lo < 0 || hi > 1)
          throw new ValueError(`${op}: loss binaryCrossentropy expects targets in [0, 1], got values in [${lo}, ${hi}]`);
      }
      return t;
    }
  }
}
