/**
 * `MultiheadAttention` with PyTorch's parameter layout: a packed `inProjWeight` [3E, E] (or separate
 * `qProjWeight`, `kProjWeight`, `vProjWeight` when kdim/vdim differ from E), `inProjBias` [3E] and
 * an `outProj` Linear.
 * @module
 */
import type { FloatDType } from '../../autograd/dtype.js';
import { ValueError } from '../../autograd/errors.js';
import type { Generator } from '../../autograd/random.js';
import type { Tensor } from '../../autograd/tensor.js';
import { zeros } from '../../autograd/ops/creation.js';
import { multiHeadAttentionForward, type MhaForwardOptions, type MhaOutput } from '../functional/attention.js';
import { constant_, xavierUniform_ } from '../init.js';
import { Module, snakeCaseKey } from '../module.js';
import { Parameter } from '../parameter.js';
import { Linear, paramDType } from './linear.js';
import { bool } from '../../autograd/args.js';
import { autoSignature, parseArgs, unsupported } from '../args/parse.js';
import { device, generator as generatorCheck, paramDType as dtypeCheck, positiveInt, probability, tensorOrNull } from '../args/checks.js';

const MHA = autoSignature(
  'MultiheadAttention',
  'new nn.MultiheadAttention',
  ['embedDim', 'numHeads', 'dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst'],
  {
    embedDim: positiveInt,
    numHeads: positiveInt,
    dropout: probability,
    bias: bool,
    addBiasKv: unsupported([false]),
    addZeroAttn: unsupported([false]),
    kdim: positiveInt,
    vdim: positiveInt,
    batchFirst: bool,
    dtype: dtypeCheck,
    generator: generatorCheck,
    device,
  },
  2,
);

const MHA_FORWARD = autoSignature(
  'MultiheadAttention.forward',
  'mha.forward',
  ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights', 'isCausal'],
  {
    keyPaddingMask: tensorOrNull,
    needWeights: bool,
    attnMask: tensorOrNull,
    averageAttnWeights: bool,
    isCausal: unsupported([false], '(a hint that attnMask is causal) is not implemented in tapegrad: pass the causal attnMask alone'),
    generator: generatorCheck,
  },
  0,
  ['query', 'key', 'value'],
);

/** The arguments of {@link MultiheadAttention.forward} after query, key and value: an options object or PyTorch's positional order. */
export type MhaForwardArgs =
  | [options?: MhaForwardOptions]
  | [keyPaddingMask?: Tensor | null, needWeights?: boolean, attnMask?: Tensor | null, averageAttnWeights?: boolean, isCausal?: false];

/** Options of {@link MultiheadAttention}. */
export interface MultiheadAttentionOptions {
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Inputs and output are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Dropout on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Features of the key (default embedDim). */
  kdim?: number;
  /** Features of the value (default embedDim). */
  vdim?: number;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** PyTorch's device: only `'cpu'` (others throw NotImplementedError). */
  device?: 'cpu' | null;
  /** Generator for the initial values and the dropout masks. */
  generator?: Generator;
}

/**
 * Multi-head attention (Vaswani et al.): `concat(head_1..head_h)·W_oᵀ` with
 * `head_i = softmax(q_i·k_iᵀ/√d)·v_i`. Init as PyTorch: Xavier-uniform projections, zero biases.
 * `forward` returns `{ output, weights }`; weights are averaged over heads unless
 * `averageAttnWeights: false`, and null with `needWeights: false`.
 * @example
 * ```ts
 * const mha = new nn.MultiheadAttention(16, 4, { batchFirst: true });
 * const x = randn([2, 5, 16]);
 * const { output, weights } = mha.forward(x, x, x); // [2, 5, 16], [2, 5, 5]
 * ```
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, ...MhaForwardArgs], MhaOutput> {
  /** Model width E. */
  readonly embedDim: number;
  /** Number of heads (E must be divisible by it). */
  readonly numHeads: number;
  /** Features of the key. */
  readonly kdim: number;
  /** Features of the value. */
  readonly vdim: number;
  /** [N, L, E] layout. */
  readonly batchFirst: boolean;
  /** Dropout on the attention weights. */
  readonly dropout: number;
  /** Packed q/k/v projection [3E, E], or null when kdim or vdim differ from E. */
  inProjWeight: Parameter | null;
  /** Query projection [E, E] when not packed, else null. */
  qProjWeight: Parameter | null;
  /** Key projection [E, kdim] when not packed, else null. */
  kProjWeight: Parameter | null;
  /** Value projection [E, vdim] when not packed, else null. */
  vProjWeight: Parameter | null;
  /** Packed q/k/v bias [3E] (zeros at start), or null without bias. */
  inProjBias: Parameter | null;
  /** The output projection E → E (its bias starts at zero). */
  outProj: Linear;
  declare private readonly generator: Generator | undefined;

  /** Creates the layer. */
  constructor(embedDim: number, numHeads: number, options?: MultiheadAttentionOptions);
  /** PyTorch's positional form `nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, add_bias_kv, add_zero_attn, kdim, vdim, batch_first)`. */
  constructor(
    embedDim: number,
    numHeads: number,
    dropout?: number,
    bias?: boolean,
    addBiasKv?: false,
    addZeroAttn?: false,
    kdim?: number,
    vdim?: number,
    batchFirst?: boolean,
    options?: MultiheadAttentionOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const op = 'MultiheadAttention';
    const options = parseArgs(MHA, args);
    const embedDim = options.embedDim!;
    const numHeads = options.numHeads!;
    if (embedDim % numHeads !== 0) throw new ValueError(`${op}: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    Object.defineProperty(this, 'generator', { value: options.generator, enumerable: false });
    const dtype = paramDType(op, options.dtype);
    const generator = options.generator;
    const packed = this.kdim === embedDim && this.vdim === embedDim;
    const param = (shape: number[]): Parameter => new Parameter(xavierUniform_(zeros(shape, { dtype }), { generator }));
    this.inProjWeight = packed ? param([3 * embedDim, embedDim]) : null;
    this.qProjWeight = packed ? null : param([embedDim, embedDim]);
    this.kProjWeight = packed ? null : param([embedDim, this.kdim]);
    this.vProjWeight = packed ? null : param([embedDim, this.vdim]);
    const bias = options.bias ?? true;
    this.inProjBias = bias ? new Parameter(zeros([3 * embedDim], { dtype })) : null;
    this.outProj = new Linear(embedDim, embedDim, { bias, dtype, generator });
    if (this.outProj.bias) constant_(this.outProj.bias, 0);
  }

  /**
   * Attends from `query` [L, N, E] to `key` [S, N, kdim] / `value` [S, N, vdim] (batch first:
   * [N, L, E] ...; unbatched: [L, E] ...). `keyPaddingMask` [N, S] and a bool `attnMask` mark with
   * true the positions that may NOT be attended (PyTorch's convention); float masks are added.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, ...args: MhaForwardArgs): MhaOutput {
    const options = parseArgs(MHA_FORWARD, args) as MhaForwardOptions;
    return multiHeadAttentionForward(
      query,
      key,
      value,
      {
        numHeads: this.numHeads,
        inProjWeight: this.inProjWeight,
        qProjWeight: this.qProjWeight,
        kProjWeight: this.kProjWeight,
        vProjWeight: this.vProjWeight,
        inProjBias: this.inProjBias,
        outProjWeight: this.outProj.weight,
        outProjBias: this.outProj.bias,
        dropout: this.dropout,
        training: this.training,
        batchFirst: this.batchFirst,
        kdim: this.kdim,
        vdim: this.vdim,
      },
      { generator: this.generator, ...options },
    );
  }

  /** PyTorch's state-dict names: the fields in snake_case (`inProjWeight` → `in_proj_weight`, `outProj` → `out_proj`). */
  override stateKey(field: string): string {
    return snakeCaseKey(field);
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, batchFirst=${this.batchFirst}, dropout=${this.dropout}`;
  }
}
