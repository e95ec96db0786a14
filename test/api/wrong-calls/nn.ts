/**
 * The wrong-call corpus for the nn area (see types.ts). Expected values are PyTorch's (torch 1.13,
 * float64, computed with /usr/bin/python3) or worked out by hand in the comment beside them.
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';
import { summaryCalls } from './nn-summary.js';

const close = (got: unknown, want: number[], tol = 1e-6): void => {
  const arr = (got as { dataSync(): ArrayLike<number> }).dataSync();
  expect(arr.length).toBe(want.length);
  Array.from(arr).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
};
const f64 = (tg: Lib, v: number[] | number[][]) => tg.tensor(v, { dtype: 'float64' });
const logits = (tg: Lib) => f64(tg, [[1, 2, 0.5], [0.1, -1, 2], [0.3, 0.3, 0.3], [2, 1, -1]]);
const labels = (tg: Lib) => tg.tensor([1, 2, 0, 2], { dtype: 'int32' });
const classWeight = (tg: Lib) => f64(tg, [1, 2, 0.5]);
type Any = any;  

/** Calls of the nn area. */
export const calls: WrongCall[] = [
  ...summaryCalls,
  // ---- Linear / Bilinear
  {
    code: 'new nn.Linear(784, 10, false)',
    run: (tg) => new tg.nn.Linear(784, 10, false),
    expect: { check: (m) => { expect(m.bias).toBeNull(); expect(m.weight.shape).toEqual([10, 784]); } },
  },
  { code: "new nn.Linear(4, 2, { bais: false })", run: (tg) => new tg.nn.Linear(4, 2, { bais: false } as Any), expect: { throws: 'ValueError', message: /Linear: unknown option 'bais': did you mean 'bias'\?/ } },
  { code: 'new nn.Linear(4, 2, { in_features: 4 })', run: (tg) => new tg.nn.Linear(4, 2, { in_features: 4 } as Any), expect: { throws: 'ValueError', message: /camelCase, did you mean 'inFeatures'/ } },
  { code: "new nn.Linear(4, 2, 'cpu')", run: (tg) => new tg.nn.Linear(4, 2, 'cpu' as Any), expect: { throws: 'ArgumentTypeError', message: /Linear: bias must be a boolean, got 'cpu'; accepted forms: new nn.Linear\(inFeatures, outFeatures, bias\?/ } },
  { code: 'new nn.Linear(4, 2, false, { bias: true })', run: (tg) => new tg.nn.Linear(4, 2, false, { bias: true }), expect: { throws: 'ValueError', message: /bias given twice/ } },
  { code: 'new nn.Linear(4)', run: (tg) => new (tg.nn.Linear as Any)(4), expect: { throws: 'ArgumentTypeError', message: /Linear: missing argument outFeatures; accepted forms/ } },
  { code: 'new nn.Linear(4.5, 2)', run: (tg) => new tg.nn.Linear(4.5, 2), expect: { throws: 'ValueError', message: /Linear: inFeatures must be an integer, got 4.5/ } },
  { code: 'new nn.Bilinear(2, 3, 4, false)', run: (tg) => new tg.nn.Bilinear(2, 3, 4, false), expect: { check: (m) => expect(m.bias).toBeNull() } },
  // ---- convolutions and pooling
  {
    code: 'new nn.Conv2d(3, 16, 3, 1, 1)',
    run: (tg) => new tg.nn.Conv2d(3, 16, 3, 1, 1).forward(tg.zeros([1, 3, 8, 8])),
    expect: { check: (y) => expect(y.shape).toEqual([1, 16, 8, 8]) }, // padding 1 keeps 8×8
  },
  {
    code: 'new nn.Conv2d(3, 8, 3, 2)',
    run: (tg) => new tg.nn.Conv2d(3, 8, 3, 2).forward(tg.zeros([1, 3, 9, 9])),
    expect: { check: (y) => expect(y.shape).toEqual([1, 8, 4, 4]) }, // (9 − 3)/2 + 1
  },
  { code: 'new nn.Conv2d(4, 8, 3, 1, 0, 1, 2, false)', run: (tg) => new tg.nn.Conv2d(4, 8, 3, 1, 0, 1, 2, false), expect: { check: (m) => { expect(m.groups).toBe(2); expect(m.bias).toBeNull(); expect(m.weight.shape).toEqual([8, 2, 3, 3]); } } },
  { code: "new nn.Conv2d(3, 8, 3, { padding_mode: 'reflect' })", run: (tg) => new tg.nn.Conv2d(3, 8, 3, { padding_mode: 'reflect' } as Any), expect: { throws: 'ValueError', message: /did you mean 'paddingMode'/ } },
  { code: "new nn.Conv2d(3, 8, 3, { paddingMode: 'circular' })", run: (tg) => new tg.nn.Conv2d(3, 8, 3, { paddingMode: 'circular' }), expect: { throws: 'NotImplementedError', message: /paddingMode 'circular' is not implemented/ } },
  { code: "new nn.Conv2d(3, 8, 3, 2, 'same')", run: (tg) => new tg.nn.Conv2d(3, 8, 3, 2, 'same'), expect: { throws: 'ValueError', message: /padding 'same' is not supported for strided convolutions/ } },
  { code: 'new nn.Conv2d(3, 8, [3, 3, 3])', run: (tg) => new tg.nn.Conv2d(3, 8, [3, 3, 3] as Any), expect: { throws: 'ValueError', message: /Conv2d: kernelSize must have 2 items, got 3/ } },
  { code: 'new nn.Conv1d(2, 4, 3, 2)', run: (tg) => new tg.nn.Conv1d(2, 4, 3, 2).forward(tg.zeros([1, 2, 9])), expect: { check: (y) => expect(y.shape).toEqual([1, 4, 4]) } }, // (9 − 3)/2 + 1
  { code: 'new nn.ConvTranspose2d(16, 8, 2, 2)', run: (tg) => new tg.nn.ConvTranspose2d(16, 8, 2, 2).forward(tg.zeros([1, 16, 7, 7])), expect: { check: (y) => expect(y.shape).toEqual([1, 8, 14, 14]) } },
  { code: 'nn.F.conv2d(x, w, null, 2, 1)', run: (tg) => tg.nn.F.conv2d(tg.zeros([1, 2, 7, 7]), tg.zeros([4, 2, 3, 3]), null, 2, 1), expect: { check: (y) => expect(y.shape).toEqual([1, 4, 4, 4]) } }, // (7 + 2 − 3)/2 + 1
  { code: 'new nn.MaxPool2d(3, 2, 1)', run: (tg) => new tg.nn.MaxPool2d(3, 2, 1).forward(tg.zeros([1, 1, 8, 8])), expect: { check: (y) => expect(y.shape).toEqual([1, 1, 4, 4]) } }, // (8 + 2 − 3)/2 + 1 = 4
  { code: 'new nn.MaxPool2d(2, { ceil_mode: true })', run: (tg) => new tg.nn.MaxPool2d(2, { ceil_mode: true } as Any), expect: { throws: 'ValueError', message: /did you mean 'ceilMode'/ } },
  {
    code: 'new nn.MaxPool2d(2, 2, 0, 1, true)',
    run: (tg) => new tg.nn.MaxPool2d(2, 2, 0, 1, true).forward(tg.tensor([[[[1, 5], [3, 4]]]])),
    expect: { check: (r) => { expect(Array.from(r.values.dataSync())).toEqual([5]); expect(Array.from(r.indices.dataSync())).toEqual([1]); } },
  },
  { code: 'new nn.AvgPool2d(2, 2, 0, false, true, 2)', run: (tg) => new tg.nn.AvgPool2d(2, 2, 0, false, true, 2).forward(tg.ones([1, 1, 2, 2])), expect: { check: (y) => close(y, [2]) } }, // sum 4 / divisor 2
  { code: 'new nn.AdaptiveAvgPool2d(1, 1)', run: (tg) => new (tg.nn.AdaptiveAvgPool2d as Any)(1, 1), expect: { throws: 'ArgumentTypeError', message: /AdaptiveAvgPool2d: too many arguments/ } },
  // ---- normalisation
  { code: 'new nn.BatchNorm2d(8, 1e-3, 0.01, false)', run: (tg) => new tg.nn.BatchNorm2d(8, 1e-3, 0.01, false), expect: { check: (m) => { expect(m.eps).toBe(1e-3); expect(m.momentum).toBe(0.01); expect(m.weight).toBeNull(); } } },
  { code: 'new nn.BatchNorm1d(4, { track_running_stats: false })', run: (tg) => new tg.nn.BatchNorm1d(4, { track_running_stats: false } as Any), expect: { throws: 'ValueError', message: /did you mean 'trackRunningStats'/ } },
  { code: 'new nn.LayerNorm(64, { elementwise_affine: false })', run: (tg) => new tg.nn.LayerNorm(64, { elementwise_affine: false } as Any), expect: { throws: 'ValueError', message: /LayerNorm: unknown option 'elementwise_affine': options are camelCase, did you mean 'elementwiseAffine'\?/ } },
  { code: 'new nn.LayerNorm(64, 1e-6, false)', run: (tg) => new tg.nn.LayerNorm(64, 1e-6, false), expect: { check: (m) => { expect(m.eps).toBe(1e-6); expect(m.weight).toBeNull(); expect(m.bias).toBeNull(); } } },
  { code: 'new nn.GroupNorm(2, 6, 1e-3, false)', run: (tg) => new tg.nn.GroupNorm(2, 6, 1e-3, false), expect: { check: (m) => { expect(m.eps).toBe(1e-3); expect(m.weight).toBeNull(); } } },
  { code: 'new nn.RMSNorm(8, 1e-6)', run: (tg) => new tg.nn.RMSNorm(8, 1e-6), expect: { check: (m) => expect(m.eps).toBe(1e-6) } },
  {
    code: 'nn.F.batchNorm(x, undefined, undefined, { training: true })',
    run: (tg) => tg.nn.F.batchNorm(f64(tg, [[1], [3]]), undefined, undefined, { training: true, eps: 0 }),
    expect: { check: (y) => close(y, [-1, 1]) }, // mean 2, biased variance 1
  },
  { code: 'nn.F.batchNorm(x, null, null, null, null, true)', run: (tg) => tg.nn.F.batchNorm(f64(tg, [[1], [3]]), null, null, null, null, true, 0.1, 0), expect: { check: (y) => close(y, [-1, 1]) } },
  // ---- embedding and recurrent layers
  {
    code: 'new nn.Embedding(10, 3, { padding_idx: 0 })',
    run: (tg) => new tg.nn.Embedding(10, 3, { padding_idx: 0 } as Any),
    expect: { throws: 'ValueError', message: /Embedding: unknown option 'padding_idx': options are camelCase, did you mean 'paddingIdx'\?/ },
  },
  {
    code: 'new nn.Embedding(10, 3, 0)',
    run: (tg) => {
      const emb = new tg.nn.Embedding(10, 3, 0);
      emb.forward(tg.tensor([0, 1, 0], { dtype: 'int32' })).sum().backward();
      return emb;
    },
    // PyTorch: the padding row is zero and receives no gradient; row 1 gets ones.
    expect: { check: (emb) => { expect(emb.weight.toArray()[0]).toEqual([0, 0, 0]); expect(emb.weight.grad.toArray()[0]).toEqual([0, 0, 0]); expect(emb.weight.grad.toArray()[1]).toEqual([1, 1, 1]); } },
  },
  { code: 'new nn.Embedding(10, 3, { sparse: true })', run: (tg) => new tg.nn.Embedding(10, 3, { sparse: true } as Any), expect: { throws: 'NotImplementedError', message: /Embedding: sparse = true/ } },
  { code: 'new nn.LSTM(10, 20, { batch_first: true })', run: (tg) => new tg.nn.LSTM(10, 20, { batch_first: true } as Any), expect: { throws: 'ValueError', message: /LSTM: unknown option 'batch_first': options are camelCase, did you mean 'batchFirst'\?/ } },
  {
    code: 'new nn.LSTM(10, 20, 2, true, true)',
    run: (tg) => new tg.nn.LSTM(10, 20, 2, true, true).forward(tg.zeros([3, 5, 10])),
    expect: { check: (r) => { expect(r.output.shape).toEqual([3, 5, 20]); expect(r.hN.shape).toEqual([2, 3, 20]); } }, // batch first [N, T, H]
  },
  { code: 'new nn.GRU(4, 8, 1, false)', run: (tg) => new tg.nn.GRU(4, 8, 1, false), expect: { check: (m) => { expect(m.bias).toBe(false); expect(m.parameters().length).toBe(2); } } },
  { code: "new nn.RNN(4, 8, 1, 'relu')", run: (tg) => new tg.nn.RNN(4, 8, 1, 'relu'), expect: { check: (m) => expect(m.mode).toBe('rnnRelu') } },
  { code: 'new nn.LSTM(10, 20, { projSize: 5 })', run: (tg) => new tg.nn.LSTM(10, 20, { projSize: 5 } as Any), expect: { throws: 'NotImplementedError', message: /LSTM: projSize = 5 is not implemented/ } },
  { code: 'new nn.LSTMCell(4, 8, false)', run: (tg) => new tg.nn.LSTMCell(4, 8, false), expect: { check: (m) => expect(m.biasIh).toBeNull() } },
  { code: 'new nn.MultiheadAttention(16, 4, { batch_first: true })', run: (tg) => new tg.nn.MultiheadAttention(16, 4, { batch_first: true } as Any), expect: { throws: 'ValueError', message: /did you mean 'batchFirst'/ } },
  { code: 'new nn.MultiheadAttention(16, 4, 0.1, false)', run: (tg) => new tg.nn.MultiheadAttention(16, 4, 0.1, false), expect: { check: (m) => { expect(m.dropout).toBe(0.1); expect(m.inProjBias).toBeNull(); } } },
  // ---- activations, dropout, flatten
  {
    code: "new nn.GELU('tanh')",
    run: (tg) => new tg.nn.GELU('tanh').forward(f64(tg, [-1, 0.7, 2])),
    expect: { check: (y) => close(y, [-0.15880800939172324, 0.5305701347051167, 1.954597694087775], 1e-12) }, // torch gelu(approximate='tanh')
  },
  { code: "new nn.GELU({ approximate: 'erf' })", run: (tg) => new tg.nn.GELU({ approximate: 'erf' as Any }), expect: { throws: 'ValueError', message: /approximate must be one of 'none', 'tanh', got 'erf'/ } },
  { code: 'new nn.LeakyReLU(0.2)', run: (tg) => new tg.nn.LeakyReLU(0.2).forward(tg.tensor([-1, 2])), expect: { check: (y) => close(y, [-0.2, 2]) } },
  { code: 'new nn.LeakyReLU({ negative_slope: 0.2 })', run: (tg) => new tg.nn.LeakyReLU({ negative_slope: 0.2 } as Any), expect: { throws: 'ValueError', message: /did you mean 'negativeSlope'/ } },
  { code: 'new nn.ELU(2)', run: (tg) => new tg.nn.ELU(2).forward(f64(tg, [-1])), expect: { check: (y) => close(y, [2 * (Math.exp(-1) - 1)], 1e-12) } },
  { code: 'new nn.Softplus(2, 1)', run: (tg) => new tg.nn.Softplus(2, 1).forward(f64(tg, [1, 0])), expect: { check: (y) => close(y, [1, Math.log(2) / 2], 1e-12) } }, // 2·1 > 1: linear
  { code: 'new nn.Hardtanh(-2, 2)', run: (tg) => new tg.nn.Hardtanh(-2, 2).forward(tg.tensor([-3, 1, 3])), expect: { check: (y) => close(y, [-2, 1, 2]) } },
  { code: 'new nn.Softmax(0)', run: (tg) => new tg.nn.Softmax(0).forward(f64(tg, [[0, 0], [0, Math.log(3)]])), expect: { check: (y) => close(y, [0.5, 0.25, 0.5, 0.75], 1e-12) } },
  { code: "new nn.Softmax('1')", run: (tg) => new tg.nn.Softmax('1' as Any), expect: { throws: 'ArgumentTypeError', message: /Softmax: dim must be an integer, got '1'/ } },
  {
    code: 'new nn.ReLU(true)',
    run: (tg) => { const x = tg.tensor([-1, 2]); new tg.nn.ReLU(true).forward(x); return x; },
    expect: { check: (x) => close(x, [0, 2]) }, // in place: the input itself is changed
  },
  { code: 'nn.F.relu(int tensor)', run: (tg) => tg.nn.F.relu(tg.tensor([-1, 2], { dtype: 'int32' })), expect: { check: (y) => { expect(y.dtype).toBe('int32'); expect(Array.from(y.dataSync())).toEqual([0, 2]); } } },
  { code: 'nn.F.tanh(int tensor)', run: (tg) => tg.nn.F.tanh(tg.tensor([-1, 2], { dtype: 'int32' })), expect: { check: (y) => { expect(y.dtype).toBe('float32'); close(y, [-0.7615941559557649, 0.9640275800758169]); } } },
  { code: 'nn.F.softmax(x, { axis: 1 })', run: (tg) => tg.nn.F.softmax(tg.zeros([2, 2]), { axis: 1 } as Any), expect: { throws: 'ValueError', message: /nn.F.softmax: unknown option 'axis'/ } },
  {
    code: 'nn.F.dropout(x, 0.2)',
    run: (tg) => tg.nn.F.dropout(tg.ones([2000]), 0.2, true, false, { generator: new tg.Generator(3) }),
    expect: { check: (y) => { const kept = Array.from(y.dataSync() as ArrayLike<number>).filter((v) => v !== 0); expect(kept.length).toBeGreaterThan(1500); expect(kept.length).toBeLessThan(1700); close(tg_(kept[0]!), [1.25]); } },
  },
  { code: 'new nn.Dropout(1.5)', run: (tg) => new tg.nn.Dropout(1.5), expect: { throws: 'ValueError', message: /Dropout: p must be >= 0 and <= 1, got 1.5/ } },
  { code: 'new nn.Dropout({ rate: 0.5 })', run: (tg) => new tg.nn.Dropout({ rate: 0.5 } as Any), expect: { throws: 'ValueError', message: /Dropout: unknown option 'rate'/ } },
  { code: 'new nn.Flatten(0, 1)', run: (tg) => new tg.nn.Flatten(0, 1).forward(tg.zeros([2, 3, 4])), expect: { check: (y) => expect(y.shape).toEqual([6, 4]) } },
  { code: 'new nn.Unflatten(1, 28, 28)', run: (tg) => new (tg.nn.Unflatten as Any)(1, 28, 28), expect: { throws: 'ArgumentTypeError', message: /Unflatten: too many arguments .*accepted forms: new nn.Unflatten\(dim, unflattenedSize\)/ } },
  // ---- losses
  { code: 'new nn.CrossEntropyLoss(weight)', run: (tg) => new tg.nn.CrossEntropyLoss(classWeight(tg)).forward(logits(tg), labels(tg)), expect: { check: (y) => close(y, [0.9481870520156623], 1e-12) } },
  {
    code: 'new nn.CrossEntropyLoss({ labelSmoothing: 0.1 })',
    run: (tg) => new tg.nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits(tg), labels(tg)),
    expect: { check: (y) => close(y, [1.2934444437833386], 1e-12) },
  },
  {
    code: 'new nn.CrossEntropyLoss(weight, { labelSmoothing: 0.2, ignoreIndex: 2 })',
    run: (tg) => new tg.nn.CrossEntropyLoss(classWeight(tg), { labelSmoothing: 0.2, ignoreIndex: 2 }).forward(logits(tg), labels(tg)),
    expect: { check: (y) => close(y, [0.7010807119405374], 1e-12) },
  },
  { code: 'new nn.CrossEntropyLoss({ label_smoothing: 0.1 })', run: (tg) => new tg.nn.CrossEntropyLoss({ label_smoothing: 0.1 } as Any), expect: { throws: 'ValueError', message: /camelCase, did you mean 'labelSmoothing'/ } },
  { code: 'new nn.CrossEntropyLoss(0.1)', run: (tg) => new tg.nn.CrossEntropyLoss(0.1 as Any), expect: { throws: 'ArgumentTypeError', message: /CrossEntropyLoss: weight must be a Tensor, got 0.1/ } },
  { code: 'nn.F.crossEntropy(logits, y, weight)', run: (tg) => tg.nn.F.crossEntropy(logits(tg), labels(tg), classWeight(tg), { reduction: 'sum' }), expect: { check: (y) => close(y, [3.7927482080626493], 1e-12) } },
  {
    code: 'new nn.BCEWithLogitsLoss({ pos_weight })',
    run: (tg) => new tg.nn.BCEWithLogitsLoss({ pos_weight: tg.tensor([3]) } as Any),
    expect: { throws: 'ValueError', message: /camelCase, did you mean 'posWeight'/ },
  },
  {
    code: 'new nn.BCEWithLogitsLoss({ posWeight })',
    run: (tg) => new tg.nn.BCEWithLogitsLoss({ posWeight: f64(tg, [3, 0.5]) }).forward(f64(tg, [[0.5, -1], [2, 0.3]]), f64(tg, [[1, 0], [0, 1]])),
    expect: { check: (y) => close(y, [1.0348995683339448], 1e-12) },
  },
  { code: "new nn.MSELoss('sum')", run: (tg) => new tg.nn.MSELoss('sum' as Any), expect: { throws: 'ValueError', message: /MSELoss: sizeAverage is PyTorch's deprecated size_average\/reduce argument.*\{ reduction: 'sum' \}/ } },
  { code: "new nn.L1Loss({ reduction: 'total' })", run: (tg) => new tg.nn.L1Loss({ reduction: 'total' as Any }), expect: { throws: 'ValueError', message: /L1Loss: reduction must be one of 'mean', 'sum', 'none', got 'total'/ } },
  { code: "new nn.HuberLoss('sum', 0.5)", run: (tg) => new tg.nn.HuberLoss('sum', 0.5).forward(tg.tensor([1, 2, 3]), tg.tensor([1.5, 2, 5])), expect: { check: (y) => close(y, [1]) } }, // torch: 1.0
  { code: 'new nn.NLLLoss({ ignore_index: 0 })', run: (tg) => new tg.nn.NLLLoss({ ignore_index: 0 } as Any), expect: { throws: 'ValueError', message: /did you mean 'ignoreIndex'/ } },
  { code: "new nn.KLDivLoss({ reduction: 'batchmean', log_target: true })", run: (tg) => new tg.nn.KLDivLoss({ reduction: 'batchmean', log_target: true } as Any), expect: { throws: 'ValueError', message: /did you mean 'logTarget'/ } },
  { code: 'new nn.MarginRankingLoss(0.5)', run: (tg) => new tg.nn.MarginRankingLoss(0.5).forward(tg.tensor([1, 2]), tg.tensor([2, 1]), tg.tensor([1, 1])), expect: { check: (y) => close(y, [0.75]) } }, // (1.5 + 0)/2
  // ---- init, utils
  {
    code: 'nn.init.xavierUniform_(w, 2)',
    run: (tg) => tg.nn.init.xavierUniform_(tg.zeros([100, 100]), 2, new tg.Generator(0)),
    // bound 2·√(6/200) ≈ 0.3464: the largest entry of 10⁴ draws comes close to it
    expect: { check: (w) => { const m = Math.max(...Array.from(w.dataSync() as ArrayLike<number>, Math.abs)); expect(m).toBeLessThanOrEqual(2 * Math.sqrt(0.03) + 1e-6); expect(m).toBeGreaterThan(0.33); } },
  },
  {
    code: "nn.init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' })",
    run: (tg) => tg.nn.init.kaimingNormal_(tg.zeros([400, 100]), { mode: 'fan_out', nonlinearity: 'relu', generator: new tg.Generator(0) }),
    // std √2/√400 ≈ 0.0707 (fan_out = 400)
    expect: { check: (w) => { const v = Array.from(w.dataSync() as ArrayLike<number>); const sd = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length); expect(Math.abs(sd - Math.SQRT2 / 20)).toBeLessThan(0.003); } },
  },
  { code: "nn.init.kaimingUniform_(w, { mode: 'fan_avg' })", run: (tg) => tg.nn.init.kaimingUniform_(tg.zeros([2, 2]), { mode: 'fan_avg' as Any }), expect: { throws: 'ValueError', message: /mode must be one of 'fanIn', 'fanOut', got 'fan_avg'/ } },
  { code: 'nn.init.normal_(w, { sdt: 0.02 })', run: (tg) => tg.nn.init.normal_(tg.zeros([2]), { sdt: 0.02 } as Any), expect: { throws: 'ValueError', message: /nn.init.normal_: unknown option 'sdt': did you mean 'std'\?/ } },
  { code: 'nn.init.constant_(w)', run: (tg) => (tg.nn.init.constant_ as Any)(tg.zeros([2])), expect: { throws: 'ArgumentTypeError', message: /nn.init.constant_: missing argument val/ } },
  { code: "nn.init.calculateGain('leaky_relu', 0.2)", run: (tg) => tg.nn.init.calculateGain('leaky_relu', 0.2), expect: { check: (g) => expect(g).toBeCloseTo(Math.sqrt(2 / 1.04), 12) } },
  {
    code: 'nn.utils.clipGradNorm_(params, 1, Infinity)',
    run: (tg) => { const p = tg.zeros([2]).requiresGrad_(true); p.grad = tg.tensor([3, -4]); const n = tg.nn.utils.clipGradNorm_([p], 1, Infinity); return [n.item(), p.grad.toArray()]; },
    expect: { check: ([n, g]) => { expect(n).toBe(4); expect(Math.abs(g[1] + 1)).toBeLessThan(1e-5); } }, // max-norm 4: scaled by 1/4
  },
  { code: 'nn.utils.clipGradNorm_(params, { max_norm: 1 })', run: (tg) => tg.nn.utils.clipGradNorm_([tg.zeros([1])], { max_norm: 1 } as Any), expect: { throws: 'ValueError', message: /did you mean 'maxNorm'/ } },
  { code: "new nn.Linear(4, 2, { device: 'cpu' })", run: (tg) => new tg.nn.Linear(4, 2, { device: 'cpu' }), expect: { check: (m) => expect(m.weight.shape).toEqual([2, 4]) } },
  { code: "new nn.Linear(4, 2, { device: 'cuda:0' })", run: (tg) => new tg.nn.Linear(4, 2, { device: 'cuda:0' as Any }), expect: { throws: 'NotImplementedError', message: /Linear: device 'cuda:0' is not available: tapegrad runs on the CPU only/ } },
  { code: 'new nn.Identity(54, 0.1)', run: (tg) => new (tg.nn.Identity as Any)(54, 0.1), expect: { throws: 'ArgumentTypeError', message: /Identity: too many arguments/ } },
  {
    code: 'nn.Embedding.fromPretrained(w, false)',
    run: (tg) => tg.nn.Embedding.fromPretrained(f64(tg, [[1, 2], [3, 4]]), false),
    expect: { check: (e) => { expect(e.weight.requiresGrad).toBe(true); expect(e.numEmbeddings).toBe(2); } }, // freeze = False: trainable
  },
  // ---- Module methods
  { code: 'model.train("eval")', run: (tg) => new tg.nn.Linear(2, 2).train('eval' as Any), expect: { throws: 'ArgumentTypeError', message: /Module.train: mode must be a boolean, got 'eval'/ } },
  { code: 'model.loadStateDict(sd, false)', run: (tg) => new tg.nn.Linear(2, 2).loadStateDict({}, false), expect: { check: (r) => expect(r.missingKeys).toEqual(['weight', 'bias']) } },
  { code: 'model.loadStateDict(sd, { strict: false, assign: true })', run: (tg) => new tg.nn.Linear(2, 2).loadStateDict({}, { strict: false, assign: true } as Any), expect: { throws: 'NotImplementedError', message: /Module.loadStateDict: assign = true/ } },
  { code: "model.to('cuda')", run: (tg) => new tg.nn.Linear(2, 2).to('cuda' as Any), expect: { throws: 'NotImplementedError', message: /device 'cuda' is not available/ } },
  { code: "model.to('cpu', 'float64')", run: (tg) => new tg.nn.Linear(2, 2).to('cpu', 'float64'), expect: { check: (m) => expect(m.weight.dtype).toBe('float64') } },
  { code: "model.namedParameters('net')", run: (tg) => new tg.nn.Linear(2, 2).namedParameters('net').map(([n]) => n), expect: { check: (names) => expect(names).toEqual(['net.weight', 'net.bias']) } },
  { code: 'model.zeroGrad({ set_to_none: false })', run: (tg) => new tg.nn.Linear(2, 2).zeroGrad({ set_to_none: false } as Any), expect: { throws: 'ValueError', message: /did you mean 'setToNone'/ } },
  { code: 'new nn.Parameter(t, { requiresGrad: false })', run: (tg) => new tg.nn.Parameter(tg.zeros([2]), { requiresGrad: false }), expect: { check: (p) => expect(p.requiresGrad).toBe(false) } },
  { code: 'new nn.Sequential({ fc: new nn.Linear(2, 3), act: new nn.ReLU() })', run: (tg) => new tg.nn.Sequential({ fc: new tg.nn.Linear(2, 3), act: new tg.nn.ReLU() }).namedParameters().map(([n]) => n), expect: { check: (names) => expect(names).toEqual(['fc.weight', 'fc.bias']) } },
];

/** A 1-element array as a tensor-like for `close`. */
function tg_(v: number): { dataSync(): number[] } {
  return { dataSync: () => [v] };
}
