/**
 * Keras' sequence layers: `Embedding` (wrapping `nn.Embedding`) and the recurrent `LSTM` and `GRU`
 * (wrapping `nn.LSTM` / `nn.GRU` with `batchFirst`), with Keras' defaults where they change the
 * numbers: Glorot-uniform input kernels, orthogonal recurrent kernels, zero biases, LSTM's forget
 * gate bias 1 (`unitForgetBias`).
 * @module
 */
import { bool, num, oneOf, type Check } from '../autograd/args.js';
import { NotImplementedError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../autograd/ops/creation.js';
import { cat, stack } from '../autograd/ops/shape.js';
import type { Tensor } from '../autograd/tensor.js';
import { orthogonal_ } from '../nn/init.js';
import { Embedding as NNEmbedding } from '../nn/layers/embedding.js';
import { GRU as NNGRU, LSTM as NNLSTM } from '../nn/layers/rnn.js';
import type { Parameter } from '../nn/parameter.js';
import { initialize, initializerName, type InitializerIdentifier, type InitializerName } from './initializers.js';
import { Layer, parseLayerOptions, type LayerOptions } from './layer-base.js';
import { initializerCheck } from './layers-core.js';
import { positionalAndOptions } from './spatial.js';
import { directSlot, type WeightSlot } from './weights.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions extends Omit<LayerOptions, 'inputDim'> {
  /** Vocabulary size: indices are in [0, inputDim). */
  inputDim: number;
  /** Size of each vector. */
  outputDim: number;
  /** Initializer of the table (default `randomUniform`, U(−0.05, 0.05), Keras' `'uniform'`). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Keras' masking of index 0: not supported (throws NotImplementedError when true). */
  maskZero?: boolean;
}

const positiveInt = num({ integer: true, min: 1 });
const EMBEDDING_SPEC = { inputDim: positiveInt, outputDim: positiveInt, embeddingsInitializer: initializerCheck, maskZero: bool };
const EMBEDDING_FORMS = 'new Embedding(inputDim, outputDim, { inputShape, ... }) or new Embedding({ inputDim, outputDim, ... })';

/**
 * Looks up a vector per index: `[batch, ...]` indices → `[batch, ..., outputDim]`. Indices may be
 * int32 or integer-valued floats (`fit` converts int inputs to float32). Weights: `embeddings`
 * `[inputDim, outputDim]`. Note that `inputDim` is the vocabulary size here, as in Keras (give the
 * sequence length with `inputShape: [length]`).
 * @example
 * ```ts
 * const emb = new keras.Embedding(1000, 16, { inputShape: [20] });
 * emb.call(zeros([2, 20], { dtype: 'int32' })).shape; // [2, 20, 16]
 * ```
 */
export class Embedding extends Layer {
  /** The class name in saved configs and summaries. */
  static override className = 'Embedding';
  /** Vocabulary size. */
  readonly inputDim: number;
  /** Vector size. */
  readonly outputDim: number;
  /** The wrapped `nn.Embedding` (its `weight` is `[inputDim, outputDim]`). */
  readonly embedding: NNEmbedding;
  /** @internal */ declare readonly _init: InitializerName;

  /** `new Embedding(inputDim, outputDim, options?)` or `new Embedding({ inputDim, outputDim, ... })`. */
  constructor(inputDim: number, outputDim: number, options?: Omit<EmbeddingOptions, 'inputDim' | 'outputDim'>);
  constructor(options: EmbeddingOptions);
  constructor(...args: unknown[]) {
    const op = 'Embedding';
    const o = parseLayerOptions(
      op,
      positionalAndOptions(op, args, ['inputDim', 'outputDim'], EMBEDDING_FORMS),
      EMBEDDING_SPEC,
      EMBEDDING_FORMS,
    );
    if (o.inputDim === undefined || o.outputDim === undefined)
      throw new ValueError(`${op}: inputDim and outputDim are required; accepted forms: ${EMBEDDING_FORMS}`);
    if (o.maskZero === true)
      throw new NotImplementedError(
        `${op}: maskZero is not supported (Sequential passes no masks between layers); drop it and handle padding in the loss or with sampleWeight`,
      );
    super({ name: o.name, inputShape: o.inputShape, trainable: o.trainable });
    this.inputDim = o.inputDim;
    this.outputDim = o.outputDim;
    Object.defineProperty(this, '_init', { value: initializerName(o.embeddingsInitializer ?? 'randomUniform'), enumerable: false });
    this.embedding = new NNEmbedding(this.inputDim, this.outputDim);
    initialize(this.embedding.weight, this._init);
    if (this.inputShape !== null) this.build(this.inputShape);
  }

  /** Looks up `x`'s indices. */
  forward(x: Tensor): Tensor {
    if (!this.built) this.build(x.shape.slice(1));
    let idx = x;
    if (x.dtype !== 'int32') {
      idx = x.to('int32');
      if (idx.to(x.dtype).ne(x).any().item() !== 0)
        throw new ValueError(`Embedding '${this.name}': expected integer indices in [0, ${this.inputDim}), got non-integer values`);
    }
    return this.embedding.call(idx);
  }

  /** `[...inputShape, outputDim]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape, this.outputDim];
  }

  /** `[embeddings [inputDim, outputDim]]`. @internal */
  kerasWeights(): WeightSlot[] {
    return [directSlot('embeddings', this.embedding.weight)];
  }

  /** Vocabulary and vector sizes. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, embeddingsInitializer: this._init };
  }
}

/** Options of {@link LSTM} and {@link GRU}. */
export interface RecurrentOptions extends LayerOptions {
  /** Size of the hidden state. */
  units: number;
  /** Output the whole sequence `[batch, time, units]` instead of the last step `[batch, units]` (default false). */
  returnSequences?: boolean;
  /** Keras' `[output, ...states]` list: not supported in a Sequential (throws NotImplementedError when true). */
  returnState?: boolean;
  /** Add biases (default true). */
  useBias?: boolean;
  /** Output activation: only `'tanh'` (the default) is supported. */
  activation?: 'tanh';
  /** Gate activation: only `'sigmoid'` (Keras' default) is supported. */
  recurrentActivation?: 'sigmoid';
  /** Input kernel initializer (default `glorotUniform`). */
  kernelInitializer?: InitializerIdentifier;
  /** Recurrent kernel initializer (default `'orthogonal'`; or any initializer name). */
  recurrentInitializer?: InitializerIdentifier | 'orthogonal';
  /** Bias initializer (default `zeros`). */
  biasInitializer?: InitializerIdentifier;
  /** LSTM only: add 1 to the forget gate's bias at initialisation (default true, as Keras). */
  unitForgetBias?: boolean;
  /** GRU only: Keras' `reset_after` (default true, PyTorch's formulation; false is not supported). */
  resetAfter?: boolean;
  /** Dropout on the inputs: only 0 is supported. */
  dropout?: number;
  /** Dropout on the recurrent state: only 0 is supported. */
  recurrentDropout?: number;
  /** Process the sequence backwards: only false is supported. */
  goBackwards?: boolean;
  /** Carry states across batches: only false is supported. */
  stateful?: boolean;
}

const recurrentInitCheck: Check<string> = (op, key, v) => (v === 'orthogonal' ? v : initializerCheck(op, key, v));
const only =
  <T>(value: T, what: string): Check<T> =>
  (op, key, v) => {
    if (v === value) return value;
    if (typeof v !== typeof value) return oneOf([value as never])(op, key, v);
    throw new NotImplementedError(`${op}: ${key} ${JSON.stringify(v)} is not supported (only ${JSON.stringify(value)}: ${what})`);
  };

const RNN_SPEC = {
  units: positiveInt,
  returnSequences: bool,
  returnState: only(false, 'a Sequential layer returns one tensor'),
  useBias: bool,
  activation: only('tanh', 'the nn recurrences use tanh'),
  recurrentActivation: only('sigmoid', 'the nn gates are sigmoids'),
  kernelInitializer: initializerCheck,
  recurrentInitializer: recurrentInitCheck,
  biasInitializer: initializerCheck,
  unitForgetBias: bool,
  resetAfter: only(true, "PyTorch's GRU applies the reset gate after the recurrent product"),
  dropout: only(0, 'no dropout inside the recurrence'),
  recurrentDropout: only(0, 'no dropout inside the recurrence'),
  goBackwards: only(false, 'sequences run forwards'),
  stateful: only(false, 'states start at zero for each batch'),
};

/** The rows of `t` (`[gates·units, ...]`) with its gate blocks reordered by `order`. */
function reorderGates(t: Tensor, units: number, order: readonly number[]): Tensor {
  return cat(
    order.map((g) => t.narrow(0, g * units, units)),
    0,
  );
}

/**
 * The shared part of {@link LSTM} and {@link GRU}: options, Keras' initial weights, the forward
 * pass over `[batch, time, features]` and the Keras weight layout.
 * @example
 * ```ts
 * const layer: keras.Recurrent = new keras.GRU(8);
 * ```
 */
export abstract class Recurrent extends Layer {
  /** Hidden size. */
  readonly units: number;
  /** Whether the whole sequence is returned. */
  readonly returnSequences: boolean;
  /** Whether the layer has biases. */
  readonly useBias: boolean;
  /** The wrapped `nn.LSTM`/`nn.GRU` (null until built). */
  rnn: NNLSTM | NNGRU | null = null;
  /** @internal */ declare readonly _inits: [InitializerName, string, InitializerName];
  /** @internal */ declare readonly _unitForgetBias: boolean;

  protected constructor(op: string, args: readonly unknown[], gru: boolean) {
    const forms = `new ${op}(units, { returnSequences, ... }) or new ${op}({ units, returnSequences, ... })`;
    const o = parseLayerOptions(op, positionalAndOptions(op, args, ['units'], forms), RNN_SPEC, forms);
    if (o.units === undefined) throw new ValueError(`${op}: units is required; accepted forms: ${forms}`);
    if (gru && o.unitForgetBias !== undefined) throw new ValueError(`${op}: unitForgetBias is an LSTM option`);
    if (!gru && o.resetAfter !== undefined) throw new ValueError(`${op}: resetAfter is a GRU option`);
    super({ name: o.name, inputShape: o.inputShape, inputDim: o.inputDim, trainable: o.trainable });
    this.units = o.units;
    this.returnSequences = o.returnSequences ?? false;
    this.useBias = o.useBias ?? true;
    const inits = [
      initializerName(o.kernelInitializer ?? 'glorotUniform'),
      o.recurrentInitializer === undefined || o.recurrentInitializer === 'orthogonal'
        ? 'orthogonal'
        : initializerName(o.recurrentInitializer),
      initializerName(o.biasInitializer ?? 'zeros'),
    ];
    Object.defineProperty(this, '_inits', { value: inits, enumerable: false });
    Object.defineProperty(this, '_unitForgetBias', { value: !gru && (o.unitForgetBias ?? true), enumerable: false });
  }

  /** Gates per step (4 for LSTM, 3 for GRU). @internal */
  protected abstract get gates(): number;
  /** Creates the nn layer. @internal */
  protected abstract makeRnn(features: number): NNLSTM | NNGRU;
  /** Keras' gate order as indices of the nn gate blocks. @internal */
  protected abstract get kerasOrder(): readonly number[];

  /** The nn layer's parameters. @internal */
  protected params(): { wIh: Parameter; wHh: Parameter; bIh: Parameter | null; bHh: Parameter | null } {
    const f = this.rnn as unknown as Record<string, Parameter | null>;
    return { wIh: f['weightIh_l0']!, wHh: f['weightHh_l0']!, bIh: f['biasIh_l0'] ?? null, bHh: f['biasHh_l0'] ?? null };
  }

  /** Creates the recurrence for `[time, features]` samples and draws Keras' initial weights. */
  override build(inputShape: readonly number[]): void {
    if (inputShape.length !== 2)
      throw new ShapeError(
        `${this.moduleName()} '${this.name}': expected sequences of sample shape [time, features], got ${fmtShape(inputShape)}`,
      );
    const features = inputShape[1]!;
    this.rnn = this.makeRnn(features);
    const { wIh, wHh, bIh, bHh } = this.params();
    const [kInit, rInit, bInit] = this._inits;
    const g = this.gates * this.units;
    noGrad(() => {
      wIh.copy_(initialize(zeros([features, g]), kInit).transpose(0, 1));
      if (rInit === 'orthogonal') orthogonal_(wHh);
      else wHh.copy_(initialize(zeros([this.units, g]), rInit).transpose(0, 1));
      if (bIh !== null) bIh.copy_(initialize(zeros([g]), bInit));
      if (bHh !== null) bHh.zero_();
      if (this._unitForgetBias && bIh !== null) bIh.narrow(0, this.units, this.units).fill_(1);
    });
    super.build(inputShape);
  }

  /** Runs the sequence; the last step's output unless `returnSequences`. */
  forward(x: Tensor): Tensor {
    if (!this.built) this.build(x.shape.slice(1));
    const features = this.rnn!.inputSize;
    if (x.ndim !== 3 || x.shape[2] !== features) {
      throw new ShapeError(
        `${this.moduleName()} '${this.name}': expected inputs of shape [batch, time, ${features}], got ${fmtShape(x.shape)}`,
      );
    }
    const { output } = this.rnn!.call(x) as { output: Tensor };
    return this.returnSequences ? output : output.select(1, x.shape[1]! - 1);
  }

  /** `[time, units]` with `returnSequences`, else `[units]`. */
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return this.returnSequences ? [inputShape[0]!, this.units] : [this.units];
  }

  /** Keras' `[kernel [in, gates·units], recurrent_kernel [units, gates·units], bias]` with Keras' gate order. @internal */
  kerasWeights(): WeightSlot[] {
    if (this.rnn === null) return [];
    const { wIh, wHh } = this.params();
    const u = this.units;
    const order = this.kerasOrder;
    const back = order.map((_, i) => order.indexOf(i));
    const kernelSlot = (name: string, w: Parameter): WeightSlot => ({
      name,
      get: () => reorderGates(w.detach(), u, order).transpose(0, 1).contiguous(),
      set: (v) =>
        noGrad(() => {
          w.copy_(reorderGates(v.transpose(0, 1), u, back));
        }),
    });
    const slots = [kernelSlot('kernel', wIh), kernelSlot('recurrent_kernel', wHh)];
    const bias = this.biasSlot(order, back);
    if (bias !== null) slots.push(bias);
    return slots;
  }

  /** The bias slot in Keras' layout. @internal */
  protected abstract biasSlot(order: readonly number[], back: readonly number[]): WeightSlot | null;

  /** Every option. */
  override getConfig(): Record<string, unknown> {
    const [k, r, b] = this._inits;
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      useBias: this.useBias,
      kernelInitializer: k,
      recurrentInitializer: r,
      biasInitializer: b,
    };
  }

  /** Shows units and returnSequences. */
  override extraRepr(): string {
    return `units=${this.units}, returnSequences=${this.returnSequences}`;
  }
}

/**
 * Keras' LSTM over `[batch, time, features]`: output `[batch, units]` (the last step) or
 * `[batch, time, units]` with `returnSequences`. Gate order i, f, c, o (the same as PyTorch's).
 * Weights (Keras layout): `kernel [features, 4·units]`, `recurrent_kernel [units, 4·units]`, and
 * one `bias [4·units]` (PyTorch's two biases summed; setting it puts it all in the input bias).
 * @example
 * ```ts
 * const lstm = new keras.LSTM(32, { inputShape: [10, 8] });
 * lstm.call(zeros([4, 10, 8])).shape; // [4, 32]
 * ```
 */
export class LSTM extends Recurrent {
  /** The class name in saved configs and summaries. */
  static override className = 'LSTM';

  /** `new LSTM(units, options?)` or `new LSTM({ units, ... })`. */
  constructor(units: number, options?: Omit<RecurrentOptions, 'units' | 'resetAfter'>);
  constructor(options: Omit<RecurrentOptions, 'resetAfter'>);
  constructor(...args: unknown[]) {
    super('LSTM', args, false);
    if (this.inputShape !== null) this.build(this.inputShape);
  }
  /** @internal */ protected get gates(): number {
    return 4;
  }
  /** @internal */ protected get kerasOrder(): readonly number[] {
    return [0, 1, 2, 3];
  }
  /** @internal */ protected makeRnn(features: number): NNLSTM {
    return new NNLSTM(features, this.units, { batchFirst: true, bias: this.useBias });
  }
  /** @internal */ protected biasSlot(): WeightSlot | null {
    const { bIh, bHh } = this.params();
    if (bIh === null || bHh === null) return null;
    return {
      name: 'bias',
      get: () => bIh.detach().add(bHh.detach()),
      set: (v) =>
        noGrad(() => {
          bIh.copy_(v);
          bHh.zero_();
        }),
    };
  }
  /** Also `unitForgetBias`. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this._unitForgetBias };
  }
}

/**
 * Keras' GRU (`reset_after: true`, which is PyTorch's formulation) over `[batch, time, features]`.
 * Weights (Keras layout, gate order z, r, h): `kernel [features, 3·units]`,
 * `recurrent_kernel [units, 3·units]`, `bias [2, 3·units]` (input bias, recurrent bias).
 * @example
 * ```ts
 * const gru = new keras.GRU(16, { returnSequences: true, inputShape: [10, 8] });
 * gru.call(zeros([4, 10, 8])).shape; // [4, 10, 16]
 * ```
 */
export class GRU extends Recurrent {
  /** The class name in saved configs and summaries. */
  static override className = 'GRU';

  /** `new GRU(units, options?)` or `new GRU({ units, ... })`. */
  constructor(units: number, options?: Omit<RecurrentOptions, 'units' | 'unitForgetBias'>);
  constructor(options: Omit<RecurrentOptions, 'unitForgetBias'>);
  constructor(...args: unknown[]) {
    super('GRU', args, true);
    if (this.inputShape !== null) this.build(this.inputShape);
  }
  /** @internal */ protected get gates(): number {
    return 3;
  }
  /** PyTorch's blocks are r, z, n; Keras' z, r, h. @internal */ protected get kerasOrder(): readonly number[] {
    return [1, 0, 2];
  }
  /** @internal */ protected makeRnn(features: number): NNGRU {
    return new NNGRU(features, this.units, { batchFirst: true, bias: this.useBias });
  }
  /** @internal */ protected biasSlot(order: readonly number[], back: readonly number[]): WeightSlot | null {
    const { bIh, bHh } = this.params();
    if (bIh === null || bHh === null) return null;
    const u = this.units;
    return {
      name: 'bias',
      get: () => stack([reorderGates(bIh.detach(), u, order), reorderGates(bHh.detach(), u, order)], 0),
      set: (v) =>
        noGrad(() => {
          bIh.copy_(reorderGates(v.select(0, 0), u, back));
          bHh.copy_(reorderGates(v.select(0, 1), u, back));
        }),
    };
  }
  /** Also `resetAfter` (always true). */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: true };
  }
}
