/**
 * Loss modules: `Module` wrappers around the losses of `nn.functional`, holding their options.
 * Class weights are registered as buffers, so `.double()` converts them and they are saved.
 * @module
 */
import type { Tensor } from '../autograd/tensor.js';
import { parseOptions } from '../autograd/args.js';
import * as F from './functional/loss.js';
import { parseLoss } from './functional/loss-args.js';
import { reduction as reductionCheck } from './args/checks.js';
import { Module, snakeCaseKey } from './module.js';

/**
 * Base class of the `(input, target)` losses: holds the `reduction`.
 * @example
 * ```ts
 * class MyLoss extends nn.Loss {
 *   forward(input: Tensor, target: Tensor): Tensor { return input.sub(target).pow(4).mean(); }
 * }
 * ```
 */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  readonly reduction: F.Reduction;
  /** Stores and validates the reduction. */
  constructor(options: F.LossOptions = {}) {
    super();
    this.reduction = parseOptions(this.moduleName(), options, { reduction: reductionCheck }).reduction ?? 'mean';
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}

/**
 * Mean squared error (`nn.MSELoss`).
 * @example
 * ```ts
 * const loss = new nn.MSELoss().call(pred, target);
 * ```
 */
export class MSELoss extends Loss {
  /** Creates the loss: `new nn.MSELoss({ reduction })` (PyTorch's first positional is the deprecated size_average). */
  constructor(options?: F.LossOptions);
  /** PyTorch's positional form, with the deprecated slots null: `new nn.MSELoss(null, null, 'sum')`. */
  constructor(sizeAverage: null | undefined, reduce: null | undefined, reduction?: F.Reduction);
  constructor(...args: unknown[]) {
    super({ reduction: parseLoss('mseLoss', args, true).reduction });
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Mean absolute error (`nn.L1Loss`).
 * @example
 * ```ts
 * new nn.L1Loss({ reduction: 'sum' }).call(pred, target);
 * ```
 */
export class L1Loss extends Loss {
  /** Creates the loss: `new nn.L1Loss({ reduction })` (PyTorch's first positional is the deprecated size_average). */
  constructor(options?: F.LossOptions);
  /** PyTorch's positional form, with the deprecated slots null: `new nn.L1Loss(null, null, 'sum')`. */
  constructor(sizeAverage: null | undefined, reduce: null | undefined, reduction?: F.Reduction);
  constructor(...args: unknown[]) {
    super({ reduction: parseLoss('l1Loss', args, true).reduction });
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Huber loss with threshold `delta` (default 1).
 * @example
 * ```ts
 * new nn.HuberLoss({ delta: 0.5 }).call(pred, target);
 * ```
 */
export class HuberLoss extends Loss {
  /** The threshold between the quadratic and linear parts. */
  readonly delta: number;
  /** Creates the loss. */
  constructor(options?: F.LossOptions & { delta?: number });
  /** PyTorch's positional form `nn.HuberLoss(reduction, delta)`. */
  constructor(reduction?: F.Reduction, delta?: number);
  constructor(...args: unknown[]) {
    const o = parseLoss('huberLoss', args, true);
    super({ reduction: o.reduction });
    this.delta = o.delta ?? 1;
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
  override extraRepr(): string {
    return `${super.extraRepr()}, delta=${this.delta}`;
  }
}

/**
 * Smooth L1 loss with threshold `beta` (default 1).
 * @example
 * ```ts
 * new nn.SmoothL1Loss({ beta: 0.1 }).call(pred, target);
 * ```
 */
export class SmoothL1Loss extends Loss {
  /** The threshold between the quadratic and linear parts. */
  readonly beta: number;
  /** Creates the loss. */
  constructor(options?: F.LossOptions & { beta?: number });
  /** PyTorch's positional form, with the deprecated slots null: `new nn.SmoothL1Loss(null, null, 'mean', 0.5)`. */
  constructor(sizeAverage: null | undefined, reduce: null | undefined, reduction?: F.Reduction, beta?: number);
  constructor(...args: unknown[]) {
    const o = parseLoss('smoothL1Loss', args, true);
    super({ reduction: o.reduction });
    this.beta = o.beta ?? 1;
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
  override extraRepr(): string {
    return `${super.extraRepr()}, beta=${this.beta}`;
  }
}

/**
 * Binary cross-entropy of probabilities, optionally weighted (`nn.BCELoss`).
 * @example
 * ```ts
 * new nn.BCELoss().call(probs, targets);
 * ```
 */
export class BCELoss extends Loss {
  /** Element weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Creates the loss. */
  constructor(options?: F.LossOptions & { weight?: Tensor | null });
  /** PyTorch's positional form: the weight first, `new nn.BCELoss(weight)`. */
  constructor(weight: Tensor | null, options?: F.LossOptions);
  constructor(...args: unknown[]) {
    const o = parseLoss('binaryCrossEntropy', args, true);
    super({ reduction: o.reduction });
    this.registerBuffer('weight', o.weight ?? null);
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/**
 * Binary cross-entropy on logits, stable for logits of any size, with `weight` and `posWeight`.
 * @example
 * ```ts
 * new nn.BCEWithLogitsLoss({ posWeight: tensor([3]) }).call(logits, targets);
 * ```
 */
export class BCEWithLogitsLoss extends Loss {
  /** Element weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Weights of the positive examples (a buffer), or null. */
  declare posWeight: Tensor | null;
  /** Creates the loss. */
  constructor(options?: F.LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null });
  /** PyTorch's positional form: the weight first, `new nn.BCEWithLogitsLoss(weight, { posWeight })`. */
  constructor(weight: Tensor | null, options?: F.LossOptions & { posWeight?: Tensor | null });
  constructor(...args: unknown[]) {
    const o = parseLoss('binaryCrossEntropyWithLogits', args, true);
    super({ reduction: o.reduction });
    this.registerBuffer('weight', o.weight ?? null);
    this.registerBuffer('posWeight', o.posWeight ?? null);
  }
  /** PyTorch's state-dict names: `posWeight` is saved as `pos_weight`. */
  override stateKey(field: string): string {
    return snakeCaseKey(field);
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}

/**
 * Negative log-likelihood of log-probabilities at class indices (`nn.NLLLoss`).
 * @example
 * ```ts
 * new nn.NLLLoss().call(logits.logSoftmax(1), labels);
 * ```
 */
export class NLLLoss extends Loss {
  /** Class weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Targets with this value are skipped. */
  readonly ignoreIndex: number;
  /** Creates the loss. */
  constructor(options?: F.NLLOptions);
  /** PyTorch's positional form: the class weight first, `new nn.NLLLoss(weight)`. */
  constructor(weight: Tensor | null, options?: F.NLLOptions);
  constructor(...args: unknown[]) {
    const o = parseLoss('nllLoss', args, true);
    super({ reduction: o.reduction });
    this.registerBuffer('weight', o.weight ?? null);
    this.ignoreIndex = o.ignoreIndex ?? -100;
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }
}

/**
 * Cross-entropy of logits against class indices or class probabilities (`nn.CrossEntropyLoss`),
 * with `weight`, `ignoreIndex` and `labelSmoothing`.
 * @example
 * ```ts
 * const criterion = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
 * criterion.call(logits, tensor([0, 2], { dtype: 'int32' }));
 * ```
 */
export class CrossEntropyLoss extends Loss {
  /** Class weights (a buffer), or null. */
  declare weight: Tensor | null;
  /** Targets with this value are skipped. */
  readonly ignoreIndex: number;
  /** Amount of label smoothing in [0, 1]. */
  readonly labelSmoothing: number;
  /** Creates the loss. */
  constructor(options?: F.CrossEntropyOptions);
  /** PyTorch's positional form: the class weight first, `new nn.CrossEntropyLoss(weight)`. */
  constructor(weight: Tensor | null, options?: F.CrossEntropyOptions);
  constructor(...args: unknown[]) {
    const o = parseLoss('crossEntropy', args, true);
    super({ reduction: o.reduction });
    this.registerBuffer('weight', o.weight ?? null);
    this.ignoreIndex = o.ignoreIndex ?? -100;
    this.labelSmoothing = o.labelSmoothing ?? 0;
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/**
 * Kullback–Leibler divergence of log-probability inputs (`nn.KLDivLoss`); use `reduction: 'batchmean'`
 * for the mathematical KL.
 * @example
 * ```ts
 * new nn.KLDivLoss({ reduction: 'batchmean' }).call(logp, targetProbs);
 * ```
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  /** `'mean'` (default), `'batchmean'`, `'sum'` or `'none'`. */
  readonly reduction: F.Reduction | 'batchmean';
  /** The target holds log-probabilities. */
  readonly logTarget: boolean;
  /** Creates the loss. */
  constructor(options?: F.KLDivOptions);
  /** PyTorch's positional form, with the deprecated slots null: `new nn.KLDivLoss(null, null, 'batchmean')`. */
  constructor(sizeAverage: null | undefined, reduce: null | undefined, reduction?: F.Reduction | 'batchmean', logTarget?: boolean);
  constructor(...args: unknown[]) {
    super();
    const o = parseLoss('klDiv', args, true);
    this.reduction = o.reduction ?? 'mean';
    this.logTarget = o.logTarget ?? false;
  }
  /** Computes the loss. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
  override extraRepr(): string {
    return `reduction='${this.reduction}', logTarget=${this.logTarget}`;
  }
}

/**
 * Cosine embedding loss for pairs labelled 1 (similar) or −1 (dissimilar).
 * @example
 * ```ts
 * new nn.CosineEmbeddingLoss({ margin: 0.5 }).call(a, b, labels);
 * ```
 */
export class CosineEmbeddingLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  /** Margin for dissimilar pairs. */
  readonly margin: number;
  /** The reduction. */
  readonly reduction: F.Reduction;
  /** Creates the loss. */
  constructor(options?: F.LossOptions & { margin?: number });
  /** PyTorch's positional form: the margin first, `new nn.CosineEmbeddingLoss(0.5)`. */
  constructor(margin: number, options?: F.LossOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseLoss('cosineEmbeddingLoss', args, true);
    this.margin = o.margin ?? 0;
    this.reduction = o.reduction ?? 'mean';
  }
  /** Computes the loss. */
  forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(x1, x2, target, { margin: this.margin, reduction: this.reduction });
  }
  override extraRepr(): string {
    return `margin=${this.margin}, reduction='${this.reduction}'`;
  }
}

/**
 * Margin ranking loss `max(0, −y·(x1 − x2) + margin)`.
 * @example
 * ```ts
 * new nn.MarginRankingLoss({ margin: 1 }).call(s1, s2, y);
 * ```
 */
export class MarginRankingLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  /** The margin. */
  readonly margin: number;
  /** The reduction. */
  readonly reduction: F.Reduction;
  /** Creates the loss. */
  constructor(options?: F.LossOptions & { margin?: number });
  /** PyTorch's positional form: the margin first, `new nn.MarginRankingLoss(0.5)`. */
  constructor(margin: number, options?: F.LossOptions);
  constructor(...args: unknown[]) {
    super();
    const o = parseLoss('marginRankingLoss', args, true);
    this.margin = o.margin ?? 0;
    this.reduction = o.reduction ?? 'mean';
  }
  /** Computes the loss. */
  forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(x1, x2, target, { margin: this.margin, reduction: this.reduction });
  }
  override extraRepr(): string {
    return `margin=${this.margin}, reduction='${this.reduction}'`;
  }
}
