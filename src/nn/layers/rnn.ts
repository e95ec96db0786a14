/**
 * Recurrent layers: the cells `RNNCell`, `LSTMCell`, `GRUCell` and the multi-layer, optionally
 * bidirectional `RNN`, `LSTM` and `GRU`. Parameter names and shapes follow PyTorch in camelCase
 * (`weightIh_l0`, `weightHh_l0`, `biasIh_l0`, `biasHh_l0`, `_reverse` suffix); every parameter starts
 * uniform in ±1/√hiddenSize.
 * @module
 */
import type { FloatDType } from '../../autograd/dtype.js';
import { ValueError } from '../../autograd/errors.js';
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { zeros } from '../../autograd/ops/creation.js';
import { linear } from '../functional/linear.js';
import { cellStep, checkCellInput, gateCount, rnnForward, type CellWeights, type RnnMode, type RnnOutput } from '../functional/rnn.js';
import { uniform_ } from '../init.js';
import { Module, snakeCaseKey } from '../module.js';
import { Parameter } from '../parameter.js';
import { paramDType } from './linear.js';
import { squeeze, unsqueeze } from '../../autograd/ops/shape.js';
import { parseArgs } from '../args/parse.js';
import { RNN_CELL_LAYER, RNN_LAYER, rnnPositional } from './rnn-args.js';

/** Options of the recurrent layers and cells. */
export interface RnnLayerOptions {
  /** Add the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** PyTorch's device: only `'cpu'` (others throw NotImplementedError). */
  device?: 'cpu' | null;
  /** Generator for the initial values (default: the global one). */
  generator?: Generator;
}

/** Options of {@link RNN}, {@link LSTM} and {@link GRU}. */
export interface RnnOptions extends RnnLayerOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Inputs and outputs are [N, T, features] instead of [T, N, features] (default false). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Run a second, reversed direction and concatenate (default false). */
  bidirectional?: boolean;
}

/** The new state returned by {@link LSTMCell}. */
export interface LstmCellState {
  /** Hidden state [N, H] ([H] unbatched). */
  h: Tensor;
  /** Cell state [N, H] ([H] unbatched). */
  c: Tensor;
}

/** The result of {@link RNN} and {@link GRU}. */
export interface RnnResult {
  /** Last layer's hidden state at every step: [T, N, D·H] ([N, T, D·H] with batchFirst, [T, D·H] unbatched). */
  output: Tensor;
  /** Final hidden state of every layer and direction: [numLayers·D, N, H] ([numLayers·D, H] unbatched). */
  hN: Tensor;
}

/** The result of {@link LSTM}. */
export interface LstmResult extends RnnResult {
  /** Final cell state of every layer and direction, shaped like hN. */
  cN: Tensor;
}

function size(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** Creates the four parameters of a cell under `names` on `owner`, uniform in ±1/√hidden. */
function makeCell(
  owner: Module,
  names: [string, string, string, string],
  gates: number,
  inSize: number,
  hidden: number,
  o: RnnLayerOptions,
  op: string,
): void {
  const dtype = paramDType(op, o.dtype);
  const k = 1 / Math.sqrt(hidden);
  const shapes = [[gates * hidden, inSize], [gates * hidden, hidden], [gates * hidden], [gates * hidden]];
  const fields = owner as unknown as Record<string, Parameter | null>;
  names.forEach((name, i) => {
    if (i >= 2 && o.bias === false) {
      fields[name] = null;
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed under noUncheckedIndexedAccess; the rule reads the wrong overload of `zeros`
    fields[name] = new Parameter(uniform_(zeros(shapes[i]!, { dtype }), -k, k, { generator: o.generator }));
  });
}

/**
 * The shared implementation of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}: the parameters
 * `weightIh`, `weightHh`, `biasIh`, `biasHh` and one step of the recurrence.
 * @example
 * ```ts
 * const cell: nn.RNNCellBase = new nn.GRUCell(4, 8);
 * cell.weightIh.shape; // [24, 4]
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any module: the default type arguments must accept every forward signature
export abstract class RNNCellBase<TArgs extends unknown[] = any[], TOut = any> extends Module<TArgs, TOut> {
  /** Features of the input. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Input-to-hidden weight [G·hidden, input]. */
  declare weightIh: Parameter;
  /** Hidden-to-hidden weight [G·hidden, hidden]. */
  declare weightHh: Parameter;
  /** Input-to-hidden bias [G·hidden], or null. */
  declare biasIh: Parameter | null;
  /** Hidden-to-hidden bias [G·hidden], or null. */
  declare biasHh: Parameter | null;
  /** @internal */
  protected abstract readonly mode: RnnMode;

  /** Creates the cell's parameters. */
  constructor(inputSize: number, hiddenSize: number, gates: number, options: RnnLayerOptions) {
    super();
    const op = this.moduleName();
    this.inputSize = size(op, 'inputSize', inputSize);
    this.hiddenSize = size(op, 'hiddenSize', hiddenSize);
    makeCell(this, ['weightIh', 'weightHh', 'biasIh', 'biasHh'], gates, inputSize, hiddenSize, options, op);
  }

  /** Runs one step; `states` are [N, H] or null (zeros). @internal */
  protected step(input: Tensor, states: (Tensor | null)[]): { h: Tensor; c: Tensor | null; unbatched: boolean } {
    const op = this.moduleName();
    const unbatched = input.ndim === 1;
    const x = unbatched ? unsqueeze(input, 0) : input;
    const st = states.map((s) => (s !== null && unbatched ? unsqueeze(s, 0) : s));
    checkCellInput(op, x, this.hiddenSize, this.inputSize, st);
    const zero = (): Tensor => zeros([x.shape[0]!, this.hiddenSize], { dtype: x.dtype });
    const w: CellWeights = { wIh: this.weightIh, wHh: this.weightHh, bIh: this.biasIh, bHh: this.biasHh };
    const r = cellStep(this.mode, linear(x, w.wIh, w.bIh), st[0] ?? zero(), this.mode === 'lstm' ? (st[1] ?? zero()) : null, w);
    return { ...r, unbatched };
  }

  /** PyTorch's state-dict names: the fields in snake_case (`weightIh` → `weight_ih`). */
  override stateKey(field: string): string {
    return snakeCaseKey(field);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}, bias=${this.biasIh !== null}`;
  }
}

/**
 * An Elman RNN cell: `h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)` (or relu).
 * @example
 * ```ts
 * const cell = new nn.RNNCell(10, 20);
 * const h = cell.call(randn([3, 10])); // [3, 20]
 * ```
 */
export class RNNCell extends RNNCellBase<[Tensor, (Tensor | null)?], Tensor> {
  /** @internal */
  protected readonly mode: RnnMode;
  /** Creates the cell; `nonlinearity` is 'tanh' (default) or 'relu'. */
  constructor(inputSize: number, hiddenSize: number, options?: RnnLayerOptions & { nonlinearity?: 'tanh' | 'relu' });
  /** PyTorch's positional form `nn.RNNCell(input_size, hidden_size, bias, nonlinearity)`. */
  constructor(inputSize: number, hiddenSize: number, bias?: boolean, nonlinearity?: 'tanh' | 'relu', options?: RnnLayerOptions);
  constructor(...args: unknown[]) {
    const o = parseArgs(RNN_CELL_LAYER('RNNCell', true), args);
    super(o.inputSize!, o.hiddenSize!, 1, o);
    this.mode = (o.nonlinearity ?? 'tanh') === 'tanh' ? 'rnnTanh' : 'rnnRelu';
  }
  /** One step from input [N, in] (or [in]) and hidden state [N, H] (zeros when omitted) to the new hidden state. */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const r = this.step(input, [hx]);
    return r.unbatched ? squeeze(r.h, 0) : r.h;
  }
}

/**
 * A long short-term memory cell with PyTorch's gate order i, f, g, o:
 * `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')`.
 * @example
 * ```ts
 * const cell = new nn.LSTMCell(10, 20);
 * const { h, c } = cell.call(randn([3, 10]));
 * ```
 */
export class LSTMCell extends RNNCellBase<[Tensor, ([Tensor, Tensor] | null)?], LstmCellState> {
  /** @internal */
  protected readonly mode: RnnMode = 'lstm';
  /** Creates the cell. */
  constructor(inputSize: number, hiddenSize: number, options?: RnnLayerOptions);
  /** PyTorch's positional form `nn.LSTMCell(input_size, hidden_size, bias)`. */
  constructor(inputSize: number, hiddenSize: number, bias?: boolean, options?: RnnLayerOptions);
  constructor(...args: unknown[]) {
    const o = parseArgs(RNN_CELL_LAYER('LSTMCell', false), args);
    super(o.inputSize!, o.hiddenSize!, 4, o);
  }
  /** One step from input [N, in] and state [h, c] (each [N, H], zeros when omitted) to the new `{ h, c }`. */
  forward(input: Tensor, state: [Tensor, Tensor] | null = null): LstmCellState {
    const r = this.step(input, state ? [state[0], state[1]] : [null, null]);
    return r.unbatched ? { h: squeeze(r.h, 0), c: squeeze(r.c!, 0) } : { h: r.h, c: r.c! };
  }
}

/**
 * A gated recurrent unit cell with PyTorch's gate order r, z, n:
 * `n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn))`, `h' = (1 − z)·n + z·h`.
 * @example
 * ```ts
 * const cell = new nn.GRUCell(10, 20);
 * const h = cell.call(randn([3, 10]));
 * ```
 */
export class GRUCell extends RNNCellBase<[Tensor, (Tensor | null)?], Tensor> {
  /** @internal */
  protected readonly mode: RnnMode = 'gru';
  /** Creates the cell. */
  constructor(inputSize: number, hiddenSize: number, options?: RnnLayerOptions);
  /** PyTorch's positional form `nn.GRUCell(input_size, hidden_size, bias)`. */
  constructor(inputSize: number, hiddenSize: number, bias?: boolean, options?: RnnLayerOptions);
  constructor(...args: unknown[]) {
    const o = parseArgs(RNN_CELL_LAYER('GRUCell', false), args);
    super(o.inputSize!, o.hiddenSize!, 3, o);
  }
  /** One step from input [N, in] and hidden state [N, H] (zeros when omitted) to the new hidden state. */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const r = this.step(input, [hx]);
    return r.unbatched ? squeeze(r.h, 0) : r.h;
  }
}

/**
 * The shared implementation of {@link RNN}, {@link LSTM} and {@link GRU}: per-layer, per-direction
 * parameters named as PyTorch and the sequence loop.
 * @example
 * ```ts
 * const lstm: nn.RNNBase = new nn.LSTM(4, 8, { numLayers: 2 });
 * lstm.namedParameters().map(([n]) => n); // ['weightIh_l0', 'weightHh_l0', 'biasIh_l0', 'biasHh_l0', 'weightIh_l1', ...]
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any module: the default type arguments must accept every forward signature
export abstract class RNNBase<TArgs extends unknown[] = any[], TOut = any> extends Module<TArgs, TOut> {
  /** Features of the input. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** [N, T, features] layout. */
  readonly batchFirst: boolean;
  /** Dropout between layers. */
  readonly dropout: number;
  /** Two directions. */
  readonly bidirectional: boolean;
  /** Whether the layers have biases. */
  readonly bias: boolean;
  /** The recurrence. @internal */
  readonly mode: RnnMode;
  declare private readonly generator: Generator | undefined;

  /** Creates the parameters of every layer and direction. */
  constructor(mode: RnnMode, inputSize: number, hiddenSize: number, options: RnnOptions) {
    super();
    const op = this.moduleName();
    this.mode = mode;
    this.inputSize = size(op, 'inputSize', inputSize);
    this.hiddenSize = size(op, 'hiddenSize', hiddenSize);
    this.numLayers = size(op, 'numLayers', options.numLayers ?? 1);
    this.batchFirst = options.batchFirst ?? false;
    this.bidirectional = options.bidirectional ?? false;
    this.bias = options.bias ?? true;
    this.dropout = options.dropout ?? 0;
    if (typeof this.dropout !== 'number' || !(this.dropout >= 0 && this.dropout <= 1)) {
      throw new ValueError(`${op}: dropout must be a number between 0 and 1, got ${String(this.dropout)}`);
    }
    Object.defineProperty(this, 'generator', { value: options.generator, enumerable: false });
    const d = this.bidirectional ? 2 : 1;
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let dir = 0; dir < d; dir++) {
        const sfx = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
        const names = [`weightIh${sfx}`, `weightHh${sfx}`, `biasIh${sfx}`, `biasHh${sfx}`] as [string, string, string, string];
        makeCell(this, names, gateCount(mode), layer === 0 ? inputSize : hiddenSize * d, hiddenSize, options, op);
      }
    }
  }

  /** The weights of every layer and direction, in order `layer·D + direction`. @internal */
  protected cellWeights(): CellWeights[] {
    const f = this as unknown as Record<string, Parameter | null>;
    const out: CellWeights[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let dir = 0; dir < (this.bidirectional ? 2 : 1); dir++) {
        const sfx = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
        out.push({ wIh: f[`weightIh${sfx}`]!, wHh: f[`weightHh${sfx}`]!, bIh: f[`biasIh${sfx}`] ?? null, bHh: f[`biasHh${sfx}`] ?? null });
      }
    }
    return out;
  }

  /** Runs the recurrence. @internal */
  protected run(input: Tensor, hx: Tensor | null, cx: Tensor | null): RnnOutput {
    return rnnForward(
      {
        mode: this.mode,
        inputSize: this.inputSize,
        hiddenSize: this.hiddenSize,
        numLayers: this.numLayers,
        bidirectional: this.bidirectional,
        batchFirst: this.batchFirst,
        dropout: this.dropout,
        training: this.training,
        generator: this.generator,
      },
      input,
      this.cellWeights(),
      hx,
      cx,
      this.moduleName(),
    );
  }

  /** PyTorch's state-dict names: the fields in snake_case (`weightIh_l0_reverse` → `weight_ih_l0_reverse`). */
  override stateKey(field: string): string {
    return snakeCaseKey(field);
  }

  override extraRepr(): string {
    const extra = [
      this.mode === 'rnnRelu' ? `nonlinearity='relu'` : '',
      this.numLayers !== 1 ? `numLayers=${this.numLayers}` : '',
      !this.bias ? 'bias=false' : '',
      this.batchFirst ? 'batchFirst=true' : '',
      this.dropout !== 0 ? `dropout=${this.dropout}` : '',
      this.bidirectional ? 'bidirectional=true' : '',
    ].filter((s) => s !== '');
    return [`${this.inputSize}, ${this.hiddenSize}`, ...extra].join(', ');
  }
}

/**
 * A multi-layer Elman RNN (tanh or relu). Input [T, N, in] ([N, T, in] with batchFirst, [T, in]
 * unbatched); returns `{ output, hN }` with output [T, N, D·H] and hN [numLayers·D, N, H].
 * @example
 * ```ts
 * const rnn = new nn.RNN(10, 20, { numLayers: 2 });
 * const { output, hN } = rnn.call(randn([5, 3, 10])); // [5, 3, 20], [2, 3, 20]
 * ```
 */
export class RNN extends RNNBase<[Tensor, (Tensor | null)?], RnnResult> {
  /** Creates the layer; `nonlinearity` is 'tanh' (default) or 'relu'. */
  constructor(inputSize: number, hiddenSize: number, options?: RnnOptions & { nonlinearity?: 'tanh' | 'relu' });
  /** PyTorch 1.x's positional form `nn.RNN(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    numLayers?: number,
    bias?: boolean,
    batchFirst?: boolean,
    dropout?: number,
    bidirectional?: boolean,
    options?: RnnOptions & { nonlinearity?: 'tanh' | 'relu' },
  );
  /** PyTorch 2.x's positional form, with the nonlinearity fourth: `nn.RNN(10, 20, 2, 'relu')`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    numLayers: number,
    nonlinearity: 'tanh' | 'relu',
    bias?: boolean,
    batchFirst?: boolean,
    dropout?: number,
    bidirectional?: boolean,
    options?: RnnOptions,
  );
  constructor(...args: unknown[]) {
    const o = parseArgs(RNN_LAYER('RNN'), rnnPositional(args));
    super((o.nonlinearity ?? 'tanh') === 'tanh' ? 'rnnTanh' : 'rnnRelu', o.inputSize!, o.hiddenSize!, o);
  }
  /** Runs the sequence from `h0` ([numLayers·D, N, H], zeros when omitted). */
  forward(input: Tensor, h0: Tensor | null = null): RnnResult {
    const { output, hN } = this.run(input, h0, null);
    return { output, hN };
  }
}

/**
 * A multi-layer LSTM (gate order i, f, g, o). Returns `{ output, hN, cN }`: output [T, N, D·H],
 * hN and cN [numLayers·D, N, H].
 * @example
 * ```ts
 * const lstm = new nn.LSTM(10, 20, { batchFirst: true, bidirectional: true });
 * const { output, hN, cN } = lstm.call(randn([3, 5, 10])); // [3, 5, 40], [2, 3, 20], [2, 3, 20]
 * ```
 */
export class LSTM extends RNNBase<[Tensor, ([Tensor, Tensor] | null)?], LstmResult> {
  /** Creates the layer. */
  constructor(inputSize: number, hiddenSize: number, options?: RnnOptions);
  /** PyTorch's positional form `nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    numLayers?: number,
    bias?: boolean,
    batchFirst?: boolean,
    dropout?: number,
    bidirectional?: boolean,
    options?: RnnOptions,
  );
  constructor(...args: unknown[]) {
    const o = parseArgs(RNN_LAYER('LSTM'), args);
    super('lstm', o.inputSize!, o.hiddenSize!, o);
  }
  /** Runs the sequence from `[h0, c0]` (each [numLayers·D, N, H], zeros when omitted). */
  forward(input: Tensor, state: [Tensor, Tensor] | null = null): LstmResult {
    const { output, hN, cN } = this.run(input, state ? state[0] : null, state ? state[1] : null);
    return { output, hN, cN: cN! };
  }
}

/**
 * A multi-layer GRU (gate order r, z, n). Returns `{ output, hN }`.
 * @example
 * ```ts
 * const gru = new nn.GRU(10, 20);
 * const { output, hN } = gru.call(randn([5, 3, 10])); // [5, 3, 20], [1, 3, 20]
 * ```
 */
export class GRU extends RNNBase<[Tensor, (Tensor | null)?], RnnResult> {
  /** Creates the layer. */
  constructor(inputSize: number, hiddenSize: number, options?: RnnOptions);
  /** PyTorch's positional form `nn.GRU(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    numLayers?: number,
    bias?: boolean,
    batchFirst?: boolean,
    dropout?: number,
    bidirectional?: boolean,
    options?: RnnOptions,
  );
  constructor(...args: unknown[]) {
    const o = parseArgs(RNN_LAYER('GRU'), args);
    super('gru', o.inputSize!, o.hiddenSize!, o);
  }
  /** Runs the sequence from `h0` ([numLayers·D, N, H], zeros when omitted). */
  forward(input: Tensor, h0: Tensor | null = null): RnnResult {
    const { output, hN } = this.run(input, h0, null);
    return { output, hN };
  }
}
