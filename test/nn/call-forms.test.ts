// PyTorch's positional call forms of the nn layers: each form gives the configuration PyTorch gives
// it (checked on the layer's fields, its parameters and its outputs), and the options form agrees.
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, Generator, NotImplementedError, ValueError, nn, ones, randn, tensor, zeros } from '../../src/index.js';
import { expectClose, flat, rnd } from './helpers.js';

describe('Linear and Bilinear', () => {
  it('new nn.Linear(in, out, false) has no bias, as nn.Linear(784, 10, False)', () => {
    const fc = new nn.Linear(4, 3, false);
    expect(fc.bias).toBeNull();
    expect(fc.parameters().length).toBe(1);
    // Without a bias the output of a zero input is exactly zero.
    expect(flat(fc.call(zeros([2, 4])))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(new nn.Linear(4, 3, true).bias!.shape).toEqual([3]);
  });

  it('accepts the bias positionally followed by options, and rejects it given twice', () => {
    const fc = new nn.Linear(4, 3, false, { dtype: 'float64' });
    expect(fc.bias).toBeNull();
    expect(fc.weight.dtype).toBe('float64');
    expect(() => new nn.Linear(4, 3, false, { bias: true })).toThrow(/bias given twice/);
  });

  it('new nn.Bilinear(in1, in2, out, false) has no bias', () => {
    const bl = new nn.Bilinear(2, 3, 4, false);
    expect(bl.bias).toBeNull();
    expect(bl.weight.shape).toEqual([4, 2, 3]);
  });

  it('rejects snake_case keys, typos and extra arguments with the accepted form', () => {
    expect(() => new nn.Linear(4, 3, { bais: false } as never)).toThrow(/did you mean 'bias'/);
    expect(() => new nn.Linear(4, 3, { in_features: 4 } as never)).toThrow(/camelCase, did you mean 'inFeatures'/);
    expect(() => new nn.Linear(4, 3, false, 'cpu' as never)).toThrow(ArgumentTypeError);
    expect(() => new nn.Linear(4, 3, 'no' as never)).toThrow(
      /bias must be a boolean, got 'no'; accepted forms: new nn.Linear\(inFeatures, outFeatures, bias\?/,
    );
    expect(() => new (nn.Linear as unknown as new (a: number) => nn.Linear)(4)).toThrow(/missing argument outFeatures/);
  });
});

describe('convolutions', () => {
  it('new nn.Conv2d(3, 16, 3, 1, 1) has stride 1 and padding 1: the output keeps the size', () => {
    const conv = new nn.Conv2d(3, 16, 3, 1, 1);
    expect(conv.stride).toEqual([1, 1]);
    expect(conv.padding).toBe(1);
    expect(conv.call(randn([1, 3, 8, 8])).shape).toEqual([1, 16, 8, 8]);
  });

  it('reads stride, padding, dilation, groups, bias in PyTorch order', () => {
    const conv = new nn.Conv2d(4, 8, 3, 2, 1, 2, 2, false);
    expect([conv.stride, conv.padding, conv.dilation, conv.groups, conv.bias]).toEqual([[2, 2], 1, [2, 2], 2, null]);
    expect(conv.weight.shape).toEqual([8, 2, 3, 3]);
    // (10 + 2·1 − 2·2 − 1) / 2 + 1 = 4
    expect(conv.call(randn([1, 4, 10, 10])).shape).toEqual([1, 8, 4, 4]);
  });

  it('Conv1d and ConvTranspose2d positional forms', () => {
    const c1 = new nn.Conv1d(2, 4, 3, 2, 1, 1, 1, false);
    expect([c1.stride, c1.padding, c1.bias]).toEqual([2, 1, null]);
    expect(c1.call(randn([1, 2, 9])).shape).toEqual([1, 4, 5]);
    const ct = new nn.ConvTranspose2d(4, 2, 3, 2, 1, 1, 2, false, 1);
    expect([ct.stride, ct.padding, ct.outputPadding, ct.groups, ct.bias, ct.dilation]).toEqual([[2, 2], [1, 1], [1, 1], 2, null, [1, 1]]);
    // (5 − 1)·2 − 2 + (3 − 1) + 1 + 1 = 10
    expect(ct.call(randn([1, 4, 5, 5])).shape).toEqual([1, 2, 10, 10]);
  });

  it("paddingMode 'zeros' is accepted; the other PyTorch modes are not implemented", () => {
    expect(new nn.Conv2d(1, 1, 3, 1, 1, 1, 1, true, 'zeros').padding).toBe(1);
    expect(() => new nn.Conv2d(1, 1, 3, { paddingMode: 'reflect' })).toThrow(NotImplementedError);
    expect(() => new nn.Conv2d(1, 1, 3, { paddingMode: 'mirror' as never })).toThrow(ValueError);
    expect(() => new nn.ConvTranspose2d(1, 1, 3, { paddingMode: 'reflect' as never })).toThrow(/only 'zeros' padding mode/);
  });

  it('nn.F.conv2d takes stride, padding, dilation, groups positionally', () => {
    const g = new Generator(3);
    const x = rnd([1, 2, 7, 7], g);
    const w = rnd([4, 2, 3, 3], g);
    expectClose(nn.F.conv2d(x, w, null, 2, 1), flat(nn.F.conv2d(x, w, null, { stride: 2, padding: 1 })));
    expect(nn.F.conv2d(x, w, null, 2, 1).shape).toEqual([1, 4, 4, 4]);
  });
});

describe('pooling', () => {
  it('MaxPool2d(kernel, stride, padding, dilation, returnIndices, ceilMode)', () => {
    const pool = new nn.MaxPool2d(3, 2, 1, 1, false, true);
    expect([pool.kernelSize, pool.stride, pool.padding, pool.dilation, pool.returnIndices, pool.ceilMode]).toEqual([
      [3, 3],
      [2, 2],
      [1, 1],
      [1, 1],
      false,
      true,
    ]);
    // ceil((6 + 2 − 3) / 2) + 1 = 4
    expect(pool.call(randn([1, 1, 6, 6])).shape).toEqual([1, 1, 4, 4]);
  });

  it('returnIndices gives the values and the flat index of each maximum', () => {
    const pool = new nn.MaxPool2d(2, 2, 0, 1, true);
    const x = tensor([
      [
        [
          [1, 5, 2, 0],
          [3, 4, 8, 1],
          [0, 0, 1, 1],
          [9, 0, 1, 2],
        ],
      ],
    ]);
    const out = pool.call(x) as unknown as { values: ReturnType<typeof randn>; indices: ReturnType<typeof randn> };
    expect(flat(out.values)).toEqual([5, 8, 9, 2]);
    expect(flat(out.indices)).toEqual([1, 6, 12, 15]);
  });

  it('AvgPool2d(kernel, stride, padding, ceilMode, countIncludePad, divisorOverride)', () => {
    const pool = new nn.AvgPool2d(2, 2, 0, false, true, 2);
    expect(pool.divisorOverride).toBe(2);
    // Every window of ones sums to 4; divided by 2.
    expect(flat(pool.call(ones([1, 1, 4, 4])))).toEqual([2, 2, 2, 2]);
    expect(() => new (nn.AdaptiveAvgPool2d as unknown as new (...a: unknown[]) => unknown)(2, 3)).toThrow(ArgumentTypeError);
  });

  it('nn.F.maxPool2d follows F.max_pool2d (ceilMode before returnIndices)', () => {
    const x = tensor([
      [
        [
          [1, 5, 2],
          [3, 4, 8],
          [0, 0, 1],
        ],
      ],
    ]);
    expect((nn.F.maxPool2d(x, 2, 2, 0, 1, true) as ReturnType<typeof randn>).shape).toEqual([1, 1, 2, 2]);
    const r = nn.F.maxPool2d(x, 2, { returnIndices: true });
    expect(flat(r.values)).toEqual([5]);
    expect(flat(r.indices)).toEqual([1]);
  });
});

describe('normalisation', () => {
  it('BatchNorm2d(numFeatures, eps, momentum, affine, trackRunningStats)', () => {
    const bn = new nn.BatchNorm2d(3, 1e-3, 0.01, false, false);
    expect([bn.eps, bn.momentum, bn.weight, bn.trackRunningStats, bn.runningMean]).toEqual([1e-3, 0.01, null, false, null]);
    expect(new nn.BatchNorm1d(3, 1e-5, null).momentum).toBeNull();
  });

  it('BatchNorm momentum is used as given for the running mean', () => {
    const bn = new nn.BatchNorm1d(1, 1e-5, 0.5);
    bn.call(tensor([[2], [4]]));
    // (1 − 0.5)·0 + 0.5·3
    expectClose(bn.runningMean!, [1.5], 1e-6);
  });

  it('LayerNorm(shape, eps, elementwiseAffine, bias), GroupNorm(groups, channels, eps, affine), RMSNorm(shape, eps, affine)', () => {
    const ln = new nn.LayerNorm(6, 1e-6, false);
    expect([ln.eps, ln.weight, ln.bias]).toEqual([1e-6, null, null]);
    const lnNoBias = new nn.LayerNorm([2, 3], 1e-5, true, false);
    expect([lnNoBias.weight!.shape, lnNoBias.bias]).toEqual([[2, 3], null]);
    const gn = new nn.GroupNorm(2, 6, 1e-3, false);
    expect([gn.eps, gn.weight]).toEqual([1e-3, null]);
    const rms = new nn.RMSNorm(4, 1e-6, false);
    expect([rms.eps, rms.weight]).toEqual([1e-6, null]);
  });

  it('rejects elementwise_affine and a positional value of the wrong type', () => {
    expect(() => new nn.LayerNorm(4, { elementwise_affine: false } as never)).toThrow(/did you mean 'elementwiseAffine'/);
    expect(() => new nn.BatchNorm2d(3, { track_running_stats: false } as never)).toThrow(
      /BatchNorm2d: unknown option 'track_running_stats'/,
    );
    expect(() => new nn.GroupNorm(2, 6, 'x' as never)).toThrow(ArgumentTypeError);
  });

  it('nn.F.batchNorm(x, undefined, undefined, ...) normalises with batch statistics, as F.batch_norm(x, None, None, training=True)', () => {
    const x = tensor([[1], [3]]);
    // mean 2, biased variance 1: (x − 2)/√(1 + eps)
    expectClose(nn.F.batchNorm(x, undefined, undefined, { training: true, eps: 0 }), [-1, 1], 1e-6);
    expectClose(nn.F.batchNorm(x, null, null, null, null, true, 0.1, 0), [-1, 1], 1e-6);
    expect(() => nn.F.batchNorm(x, undefined, undefined)).toThrow(/running mean and variance are required in evaluation mode/);
  });
});

describe('Embedding', () => {
  it('new nn.Embedding(num, dim, paddingIdx): the padding row is zero and gets no gradient', () => {
    const emb = new nn.Embedding(5, 3, 0);
    expect(emb.paddingIdx).toBe(0);
    expect(flat(emb.weight.select(0, 0))).toEqual([0, 0, 0]);
    emb
      .call(tensor([0, 2, 0], { dtype: 'int32' }))
      .sum()
      .backward();
    const grad = emb.weight.grad!.toArray() as number[][];
    expect(grad[0]).toEqual([0, 0, 0]);
    expect(grad[2]).toEqual([1, 1, 1]);
  });

  it('reads maxNorm and normType positionally; scaleGradByFreq and sparse are not implemented', () => {
    const emb = new nn.Embedding(4, 2, null, 1.5, 1);
    expect([emb.paddingIdx, emb.maxNorm, emb.normType]).toEqual([null, 1.5, 1]);
    expect(() => new nn.Embedding(4, 2, null, null, 2, true as never)).toThrow(NotImplementedError);
    expect(() => new nn.Embedding(4, 2, { sparse: true } as never)).toThrow(/sparse/);
    expect(() => new nn.Embedding(4, 2, { padding_idx: 0 } as never)).toThrow(/did you mean 'paddingIdx'/);
  });
});

describe('recurrent layers', () => {
  it('LSTM(in, hidden, numLayers, bias, batchFirst, dropout, bidirectional)', () => {
    const lstm = new nn.LSTM(4, 8, 2, false, true, 0.25, true);
    expect([lstm.numLayers, lstm.bias, lstm.batchFirst, lstm.dropout, lstm.bidirectional]).toEqual([2, false, true, 0.25, true]);
    expect(lstm.parameters().length).toBe(8); // 2 layers × 2 directions × (weightIh, weightHh)
    // batch first: [N=3, T=5, 4] → [3, 5, 2·8]
    expect(lstm.eval().call(randn([3, 5, 4])).output.shape).toEqual([3, 5, 16]);
  });

  it("RNN reads a string fourth argument as PyTorch 2's nonlinearity, a boolean as PyTorch 1's bias", () => {
    const relu = new nn.RNN(2, 3, 1, 'relu', false);
    expect([relu.mode, relu.bias]).toEqual(['rnnRelu', false]);
    const noBias = new nn.RNN(2, 3, 2, false);
    expect([noBias.mode, noBias.bias, noBias.numLayers]).toEqual(['rnnTanh', false, 2]);
    // relu: a large negative pre-activation gives exactly 0
    const r = new nn.RNN(1, 1, 1, 'relu', false);
    r.parameters().forEach((p) => p.data.fill_(1));
    expect(flat(r.call(tensor([[[-5]]])).output)).toEqual([0]);
  });

  it('cells: RNNCell(in, hidden, bias, nonlinearity), LSTMCell/GRUCell(in, hidden, bias)', () => {
    const cell = new nn.RNNCell(2, 3, false, 'relu');
    expect([cell.biasIh, cell.biasHh]).toEqual([null, null]);
    expect(new nn.GRUCell(2, 3, false).biasIh).toBeNull();
    expect(new nn.LSTMCell(2, 3, false).biasHh).toBeNull();
  });

  it('rejects batch_first, projSize and a bad dropout', () => {
    expect(() => new nn.LSTM(10, 20, { batch_first: true } as never)).toThrow(/camelCase, did you mean 'batchFirst'/);
    expect(() => new nn.LSTM(10, 20, { projSize: 5 } as never)).toThrow(NotImplementedError);
    expect(() => new nn.GRU(10, 20, 1, true, false, 1.5)).toThrow(/dropout must be >= 0 and <= 1, got 1.5/);
  });
});

describe('activations, dropout, flatten, attention', () => {
  it("GELU('tanh') matches torch's approximate='tanh' values", () => {
    const x = tensor([-3, -1, -0.5, 0, 0.7, 2, 4], { dtype: 'float64' });
    // torch.nn.functional.gelu(x, approximate='tanh') in float64 (torch 1.13)
    const torchTanh = [
      -0.0036373920817729943, -0.15880800939172324, -0.15428599017485606, 0.0, 0.5305701347051167, 1.954597694087775, 3.9999297540518075,
    ];
    const torchExact = [
      -0.00404969409489031, -0.15865525393145702, -0.15426876936299344, 0.0, 0.5306254434438489, 1.9544997361036416, 3.9998733150326675,
    ];
    expectClose(new nn.GELU('tanh').call(x), torchTanh, 1e-12);
    expectClose(nn.F.gelu(x, 'tanh'), torchTanh, 1e-12);
    expectClose(new nn.GELU().call(x), torchExact, 1e-7);
    expect(() => new nn.GELU('fast' as never)).toThrow(/approximate must be one of 'none', 'tanh', got 'fast'/);
  });

  it('positional activation arguments: LeakyReLU(slope), ELU(alpha), Softplus(beta, threshold), Hardtanh(min, max), Softmax(dim)', () => {
    expectClose(new nn.LeakyReLU(0.2).call(tensor([-1, 2])), [-0.2, 2], 1e-7);
    expectClose(new nn.ELU(2).call(tensor([-1], { dtype: 'float64' })), [2 * (Math.exp(-1) - 1)], 1e-12);
    // beta 2, threshold 1: 2·1 > 1 so the output is x itself; at x = 0, log(2)/2
    expectClose(new nn.Softplus(2, 1).call(tensor([1, 0], { dtype: 'float64' })), [1, Math.log(2) / 2], 1e-12);
    expectClose(new nn.Hardtanh(-2, 2).call(tensor([-3, 1, 3])), [-2, 1, 2], 0);
    expectClose(
      new nn.Softmax(0).call(
        tensor(
          [
            [0, 0],
            [0, Math.log(3)],
          ],
          { dtype: 'float64' },
        ),
      ),
      [0.5, 0.25, 0.5, 0.75],
      1e-12,
    );
  });

  it('inplace: true writes the result into the input, as PyTorch', () => {
    const x = tensor([-1, 2]);
    const y = new nn.ReLU(true).call(x);
    expect(y).toBe(x);
    expect(flat(x)).toEqual([0, 2]);
    const z = tensor([-1, 2]);
    nn.F.leakyRelu(z, 0.5, true);
    expect(flat(z)).toEqual([-0.5, 2]);
  });

  it('inplace keeps gradients flowing through a non-leaf input', () => {
    const a = tensor([-1, 2, 3]).requiresGrad_(true);
    const h = a.mul(2);
    nn.F.relu(h, true).sum().backward();
    expect(flat(a.grad!)).toEqual([0, 2, 2]);
  });

  it('Dropout(p, inplace) and nn.F.dropout(x, p, training)', () => {
    const d = new nn.Dropout(0.25, false);
    expect([d.p, d.inplace]).toEqual([0.25, false]);
    const x = ones([1000]);
    const y = nn.F.dropout(x, 0.5, true, false, { generator: new Generator(1) });
    const kept = flat(y).filter((v) => v !== 0);
    expect(kept.every((v) => v === 2)).toBe(true);
    expect(kept.length).toBeGreaterThan(400);
    expect(kept.length).toBeLessThan(600);
    expect(nn.F.dropout(x, 0.5, false)).toBe(x);
  });

  it('Flatten(startDim, endDim) and Unflatten(dim, sizes)', () => {
    expect(new nn.Flatten(0, 1).call(zeros([2, 3, 4])).shape).toEqual([6, 4]);
    expect(new nn.Unflatten(1, [2, 3]).call(zeros([4, 6])).shape).toEqual([4, 2, 3]);
    expect(new nn.Flatten({ startDim: 2 }).call(zeros([2, 3, 4, 5])).shape).toEqual([2, 3, 20]);
  });

  it('MultiheadAttention(embedDim, numHeads, dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst)', () => {
    const mha = new nn.MultiheadAttention(8, 2, 0, false, false, false, undefined, undefined, true);
    expect([mha.batchFirst, mha.inProjBias, mha.outProj.bias]).toEqual([true, null, null]);
    const x = randn([3, 5, 8]);
    const { output, weights } = mha.forward(x, x, x, null, false);
    expect(output.shape).toEqual([3, 5, 8]);
    expect(weights).toBeNull();
    expect(() => new nn.MultiheadAttention(8, 2, 0, true, true as never)).toThrow(/addBiasKv = true is not implemented/);
    expect(() => mha.forward(x, x, x, { need_weights: false } as never)).toThrow(/did you mean 'needWeights'/);
  });
});

describe('losses', () => {
  const logits = tensor(
    [
      [1, 2, 0.5],
      [0.1, -1, 2],
      [0.3, 0.3, 0.3],
      [2, 1, -1],
    ],
    { dtype: 'float64' },
  );
  const y = tensor([1, 2, 0, 2], { dtype: 'int32' });
  const w = tensor([1, 2, 0.5], { dtype: 'float64' });

  it('new nn.CrossEntropyLoss(weight) weighs the classes (torch values)', () => {
    expectClose(new nn.CrossEntropyLoss(w).call(logits, y), [0.9481870520156623], 1e-12);
    expectClose(nn.F.crossEntropy(logits, y, w, { reduction: 'sum' }), [3.7927482080626493], 1e-12);
    expectClose(new nn.NLLLoss(w).call(logits.logSoftmax(1), y), [0.9481870520156623], 1e-12);
  });

  it('labelSmoothing follows PyTorch, with and without weights and ignoreIndex (torch values)', () => {
    expectClose(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).call(logits, y), [1.2934444437833386], 1e-12);
    expectClose(new nn.CrossEntropyLoss(w, { labelSmoothing: 0.2 }).call(logits, y), [1.0998533451619754], 1e-12);
    expectClose(new nn.CrossEntropyLoss(w, { labelSmoothing: 0.2, ignoreIndex: 2 }).call(logits, y), [0.7010807119405374], 1e-12);
    expectClose(
      nn.F.crossEntropy(logits, y, { labelSmoothing: 0.3, reduction: 'none' }),
      [0.7143687841079448, 0.6717844855891133, 1.0986122886681096, 2.8490122167681857],
      1e-12,
    );
  });

  it('BCEWithLogitsLoss posWeight (torch values)', () => {
    const z = tensor(
      [
        [0.5, -1],
        [2, 0.3],
      ],
      { dtype: 'float64' },
    );
    const t = tensor(
      [
        [1, 0],
        [0, 1],
      ],
      { dtype: 'float64' },
    );
    const pw = tensor([3, 0.5], { dtype: 'float64' });
    expectClose(new nn.BCEWithLogitsLoss({ posWeight: pw }).call(z, t), [1.0348995683339448], 1e-12);
    expectClose(
      nn.F.binaryCrossEntropyWithLogits(z, t, null, { posWeight: pw, reduction: 'none' }),
      [1.42223095254032, 0.3132616875182228, 2.1269280110429727, 0.2771776222342635],
      1e-12,
    );
  });

  it("new nn.MSELoss('sum') is rejected: PyTorch reads it as size_average and averages", () => {
    expect(() => new nn.MSELoss('sum' as never)).toThrow(/deprecated size_average\/reduce argument.*\{ reduction: 'sum' \}/);
    const a = tensor([1, 2, 3]);
    const b = tensor([1.5, 2, 5]);
    expectClose(new nn.MSELoss(null, null, 'sum').call(a, b), [4.25], 1e-6);
    expectClose(new nn.MSELoss({ reduction: 'sum' }).call(a, b), [4.25], 1e-6);
  });

  it('HuberLoss(reduction, delta), CosineEmbeddingLoss(margin), KLDivLoss positional', () => {
    // d = [−0.5, 0, −2], delta 0.5: 0.5·(0.5 − 0.25) + 0 + 0.5·(2 − 0.25) = 1
    expectClose(new nn.HuberLoss('sum', 0.5).call(tensor([1, 2, 3]), tensor([1.5, 2, 5])), [1], 1e-6);
    expect(new nn.CosineEmbeddingLoss(0.5).margin).toBe(0.5);
    expect(new nn.MarginRankingLoss(1, { reduction: 'sum' }).reduction).toBe('sum');
    expect(new nn.KLDivLoss(null, null, 'batchmean', true).logTarget).toBe(true);
    expect(() => new nn.CrossEntropyLoss({ label_smoothing: 0.1 } as never)).toThrow(/did you mean 'labelSmoothing'/);
  });
});

describe('init, utils and Module methods', () => {
  it('nn.init positional forms: xavierUniform_(w, gain), kaimingUniform_(w, a, mode, nonlinearity), uniform_(w, a, b)', () => {
    const w = zeros([50, 40]);
    nn.init.uniform_(w, 2, 3);
    expect(flat(w).every((v) => v >= 2 && v <= 3)).toBe(true);
    nn.init.xavierUniform_(w, 3);
    const xb = 3 * Math.sqrt(6 / 90);
    expect(Math.max(...flat(w).map(Math.abs))).toBeGreaterThan(0.9 * xb);
    // fan_out = 50, relu gain √2: bound √2·√(3/50)
    nn.init.kaimingUniform_(w, 0, 'fan_out', 'relu');
    const kb = Math.SQRT2 * Math.sqrt(3 / 50);
    expect(Math.max(...flat(w).map(Math.abs))).toBeLessThanOrEqual(kb + 1e-6);
    expect(Math.max(...flat(w).map(Math.abs))).toBeGreaterThan(0.9 * kb);
    expect(nn.init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(() => nn.init.normal_(w, { sdt: 1 } as never)).toThrow(/did you mean 'std'/);
  });

  it('clipGradNorm_(params, maxNorm, normType, errorIfNonfinite)', () => {
    const p = zeros([2]).requiresGrad_(true);
    p.grad = tensor([3, 4]);
    expect(nn.utils.clipGradNorm_([p], 1, Infinity).item()).toBe(4);
    const q = zeros([1]).requiresGrad_(true);
    q.grad = tensor([Infinity]);
    expect(() => nn.utils.clipGradNorm_([q], 1, 2, true)).toThrow(ValueError);
  });

  it('Module methods: train(mode), zeroGrad(setToNone), namedParameters(prefix), to(tensor), loadStateDict(sd, strict)', () => {
    const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout());
    expect(net.train(false).training).toBe(false);
    expect(() => net.train('eval' as never)).toThrow(/mode must be a boolean/);
    expect(net.namedParameters('model').map(([n]) => n)).toEqual(['model.0.weight', 'model.0.bias']);
    expect(net.namedParameters(false)).toEqual([]);
    net.to(zeros([1], { dtype: 'float64' }));
    expect(net.parameters()[0]!.dtype).toBe('float64');
    net.to('cpu');
    expect(() => net.to('cuda' as never)).toThrow(NotImplementedError);
    const res = net.loadStateDict({}, false);
    expect(res.missingKeys.length).toBe(2);
    expect(() => net.loadStateDict({}, { stict: false } as never)).toThrow(/did you mean 'strict'/);
    expect(() => net.zeroGrad({ set_to_none: false } as never)).toThrow(/did you mean 'setToNone'/);
  });

  it('a shared parameter is listed under every name with removeDuplicate: false', () => {
    const a = new nn.Linear(2, 2, false);
    const net = new nn.Sequential(a, a);
    expect(net.namedParameters().length).toBe(1);
    expect(net.namedParameters({ removeDuplicate: false }).map(([n]) => n)).toEqual(['0.weight']);
    class Tied extends nn.Module<[], null> {
      fc = new nn.Linear(2, 2, false);
      tied = this.fc.weight;
      forward(): null {
        return null;
      }
    }
    expect(new Tied().namedParameters('', true, false).map(([n]) => n)).toEqual(['tied', 'fc.weight']);
    expect(new Tied().namedParameters().map(([n]) => n)).toEqual(['tied']);
  });

  it('Sequential accepts a plain object of named modules (PyTorch OrderedDict)', () => {
    const net = new nn.Sequential({ fc: new nn.Linear(2, 3), act: new nn.ReLU() });
    expect(net.namedParameters().map(([n]) => n)).toEqual(['fc.weight', 'fc.bias']);
    expect(() => new nn.Sequential({ fc: 3 } as never)).toThrow(/the value for 'fc'/);
  });
});

describe('nn.F positional forms', () => {
  it('layerNorm(x, shape, weight, bias, eps) and groupNorm(x, groups, weight, bias, eps)', () => {
    const x = tensor([[1, 3]], { dtype: 'float64' });
    const w = tensor([2, 2], { dtype: 'float64' });
    const b = tensor([1, 1], { dtype: 'float64' });
    // normalised [−1, 1] (eps 0), times 2 plus 1
    expectClose(nn.F.layerNorm(x, 2, w, b, 0), [-1, 3], 1e-12);
    expectClose(nn.F.groupNorm(tensor([[1, 3]], { dtype: 'float64' }), 1, w, b, 0), [-1, 3], 1e-12);
    expectClose(nn.F.rmsNorm(tensor([[3, 4]], { dtype: 'float64' }), 2, null, 0), [3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)], 1e-12);
  });

  it('embedding(indices, weight, paddingIdx) stops the gradient of the padding row', () => {
    const w = tensor(
      [
        [1, 1],
        [2, 2],
      ],
      { dtype: 'float64' },
    ).requiresGrad_(true);
    nn.F.embedding(tensor([0, 1, 1], { dtype: 'int32' }), w, 1)
      .sum()
      .backward();
    expect(w.grad!.toArray()).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  it('unfold(x, kernel, dilation, padding, stride) in PyTorch order', () => {
    const x = ones([1, 1, 4, 4]);
    // kernel 2, dilation 1, padding 1, stride 2: (4 + 2 − 2)/2 + 1 = 3 per axis
    expect(nn.F.unfold(x, 2, 1, 1, 2).shape).toEqual([1, 4, 9]);
    expect(nn.F.unfold(x, 2, 2).shape).toEqual([1, 4, 4]); // dilation 2: (4 − 3) + 1 = 2 per axis
  });

  it('avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad)', () => {
    // padding 1 with countIncludePad false: the corner window sees one input value
    expectClose(nn.F.avgPool2d(ones([1, 1, 2, 2]), 2, 2, 1, false, false), [1, 1, 1, 1], 1e-7);
    expectClose(nn.F.avgPool2d(ones([1, 1, 2, 2]), 2, 2, 1, false, true), [0.25, 0.25, 0.25, 0.25], 1e-7);
  });

  it('scaledDotProductAttention(q, k, v, attnMask, dropoutP, isCausal, scale)', () => {
    const q = tensor(
      [
        [1, 0],
        [0, 1],
      ],
      { dtype: 'float64' },
    );
    const v = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    );
    // causal: row 0 sees only key 0
    const out = nn.F.scaledDotProductAttention(q, q, v, null, 0, true);
    expect((out.toArray() as number[][])[0]).toEqual([1, 2]);
    // scale 0: uniform weights, the mean of v
    expectClose(nn.F.scaledDotProductAttention(q, q, v, null, 0, false, 0), [2, 3, 2, 3], 1e-12);
  });

  it('clipGradValue_(params, clipValue) and the options form', () => {
    const p = zeros([2]).requiresGrad_(true);
    p.grad = tensor([3, -4]);
    nn.utils.clipGradValue_([p], 1);
    expect(flat(p.grad)).toEqual([1, -1]);
    nn.utils.clipGradValue_([p], { clipValue: 0.5 });
    expect(flat(p.grad)).toEqual([0.5, -0.5]);
  });
});
