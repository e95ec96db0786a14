/**
 * The wrong-call corpus for the autograd area (see types.ts): Tensor creation, reductions, shape ops,
 * grad mode and seeds, as a PyTorch user types them into a plain JS file. Expected values are
 * PyTorch's (torch 1.13), worked out by hand; errors are compared by class name and message.
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';
import { toolkitCalls } from './autograd-toolkit.js';
import { ops14Calls } from './autograd-ops14.js';

/** [[0, 1, 2], [3, 4, 5]] as float64. */
const x23 = (tg: Lib): any => tg.arange(6, { dtype: 'float64' }).reshape(2, 3);
const any = (v: unknown): any => v;

/** Calls of the autograd area. */
export const calls: WrongCall[] = [
  ...toolkitCalls,
  ...ops14Calls,
  // ---- creation: PyTorch's size forms ----
  { code: 'zeros(2, 3)', run: (tg) => any(tg.zeros)(2, 3), expect: { check: (r) => expect(r.shape).toEqual([2, 3]) } },
  { code: 'ones(2, 3)', run: (tg) => any(tg.ones)(2, 3), expect: { check: (r) => expect(r.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]) } },
  { code: 'randn(2, 3)', run: (tg) => any(tg.randn)(2, 3), expect: { check: (r) => expect(r.shape).toEqual([2, 3]) } },
  { code: 'rand(4, 5)', run: (tg) => any(tg.rand)(4, 5), expect: { check: (r) => expect(r.shape).toEqual([4, 5]) } },
  { code: "zeros(2, 3, { dtype: 'int32' })", run: (tg) => any(tg.zeros)(2, 3, { dtype: 'int32' }), expect: { check: (r) => expect([r.dtype, ...r.shape]).toEqual(['int32', 2, 3]) } },
  { code: "zeros(2, 3, 'float64')", run: (tg) => any(tg.zeros)(2, 3, 'float64'), expect: { throws: 'ArgumentTypeError', message: /zeros: argument 3 .*'float64'.*accepted forms: zeros\(2, 3\)/ } },
  { code: 'zeros()', run: (tg) => any(tg.zeros)(), expect: { throws: 'ArgumentTypeError', message: /zeros: missing the size/ } },
  { code: 'ones([2, 2], { requires_grad: true })', run: (tg) => any(tg.ones)([2, 2], { requires_grad: true }), expect: { throws: 'ValueError', message: /ones: unknown option 'requires_grad'.*did you mean 'requiresGrad'/ } },
  { code: "tensor([1, 2], { dtpye: 'float64' })", run: (tg) => any(tg.tensor)([1, 2], { dtpye: 'float64' }), expect: { throws: 'ValueError', message: /tensor: unknown option 'dtpye': did you mean 'dtype'/ } },
  { code: "tensor([1, 2], 'float64')", run: (tg) => any(tg.tensor)([1, 2], 'float64'), expect: { throws: 'ArgumentTypeError', message: /tensor: expected an options object; accepted forms: tensor\(data\)/ } },
  { code: "tensor([1, 2], { dtype: 'int64' })", run: (tg) => any(tg.tensor)([1, 2], { dtype: 'int64' }), expect: { throws: 'DTypeError', message: /unknown dtype 'int64'.*'int32'/ } },
  { code: "tensor([3e9], { dtype: 'int32' })", run: (tg) => tg.tensor([3e9], { dtype: 'int32' }), expect: { throws: 'ValueError', message: /tensor: value 3000000000 cannot be converted to int32 without overflow/ } },
  { code: "tensor([NaN], { dtype: 'int32' })", run: (tg) => tg.tensor([NaN], { dtype: 'int32' }), expect: { throws: 'ValueError', message: /value NaN cannot be converted to int32/ } },
  { code: "tensor([2.7, -2.7], { dtype: 'int32' })", run: (tg) => tg.tensor([2.7, -2.7], { dtype: 'int32' }), expect: { check: (r) => expect(r.toArray()).toEqual([2, -2]) } },
  { code: "full([2], NaN, { dtype: 'int32' })", run: (tg) => tg.full([2], NaN, { dtype: 'int32' }), expect: { throws: 'ValueError', message: /full: value NaN cannot be converted to int32/ } },
  { code: 'full(2, 7)', run: (tg) => any(tg.full)(2, 7), expect: { throws: 'ArgumentTypeError', message: /full: size must be an array of sizes, got 2; accepted forms: full\(\[2, 3\], value\)/ } },
  { code: 'full([2], true)', run: (tg) => any(tg.full)([2], true), expect: { check: (r) => expect([r.dtype, r.toArray()]).toEqual(['bool', [true, true]]) } },
  { code: "arange(16, { dtype: 'float32' })", run: (tg) => tg.arange(16, { dtype: 'float32' }), expect: { check: (r) => expect([r.dtype, r.shape[0], r.toArray()[15]]).toEqual(['float32', 16, 15]) } },
  { code: "arange(1, 4, { dtype: 'float64' })", run: (tg) => tg.arange(1, 4, { dtype: 'float64' }), expect: { check: (r) => expect([r.dtype, r.toArray()]).toEqual(['float64', [1, 2, 3]]) } },
  { code: 'arange(0, 1, 0.25)', run: (tg) => tg.arange(0, 1, 0.25), expect: { check: (r) => expect(r.toArray()).toEqual([0, 0.25, 0.5, 0.75]) } },
  { code: "arange('5')", run: (tg) => any(tg.arange)('5'), expect: { throws: 'ArgumentTypeError', message: /arange: end must be a number, got '5'/ } },
  { code: "eye(3, { dtype: 'int32' })", run: (tg) => any(tg.eye)(3, { dtype: 'int32' }), expect: { check: (r) => expect([r.dtype, r.toArray()]).toEqual(['int32', [[1, 0, 0], [0, 1, 0], [0, 0, 1]]]) } },
  { code: 'randint(10, [5])', run: (tg) => any(tg.randint)(10, [5]), expect: { check: (r) => expect([r.dtype, r.shape[0], r.dataSync().every((v: number) => v >= 0 && v < 10)]).toEqual(['int32', 5, true]) } },
  { code: 'randint(3, 10)', run: (tg) => any(tg.randint)(3, 10), expect: { throws: 'ArgumentTypeError', message: /randint: the size must be an array.*randint\(low, high, \[size\]\)/ } },
  { code: 'randn(2, { generator: 1 })', run: (tg) => any(tg.randn)(2, { generator: 1 }), expect: { throws: 'ArgumentTypeError', message: /randn: generator must be a Generator, got 1/ } },
  { code: 'zeros([1e6, 1e6])', run: (tg) => tg.zeros([1e6, 1e6]), expect: { throws: 'ValueError', message: /zeros: shape \[1000000, 1000000\] asks for 1\.000e\+12 elements/ } },
  { code: 'randn([1e5, 1e5])', run: (tg) => tg.randn([1e5, 1e5]), expect: { throws: 'ValueError', message: /randn: shape \[100000, 100000\] asks for 1\.000e\+10 elements/ } },
  { code: 'zerosLike([1, 2])', run: (tg) => any(tg.zerosLike)([1, 2]), expect: { throws: 'ArgumentTypeError', message: /zerosLike: expected a Tensor as the first argument, got \[1, 2\]/ } },

  // ---- reductions ----
  { code: 'x.sum(1, true)', run: (tg) => x23(tg).sum(1, true), expect: { check: (r) => expect(r.toArray()).toEqual([[3], [12]]) } },
  { code: 'x.sum({ dim: 1, keepdim: true })', run: (tg) => x23(tg).sum({ dim: 1, keepdim: true }), expect: { check: (r) => expect(r.toArray()).toEqual([[3], [12]]) } },
  { code: 'x.sum({ dim: 1 })', run: (tg) => x23(tg).sum({ dim: 1 }), expect: { check: (r) => expect(r.toArray()).toEqual([3, 12]) } },
  { code: 'x.sum(0, 1)', run: (tg) => x23(tg).sum(0, 1), expect: { throws: 'ArgumentTypeError', message: /sum: keepdim .*got 1 \(to reduce several dims, pass them as one array: \[0, 1\]\)/ } },
  { code: 'x.sum({ axis: 1 })', run: (tg) => x23(tg).sum({ axis: 1 }), expect: { throws: 'ValueError', message: /sum: unknown option 'axis' \(known options: dim, keepdim, dtype\)/ } },
  { code: 'x.mean(1, true)', run: (tg) => x23(tg).mean(1, true), expect: { check: (r) => expect(r.toArray()).toEqual([[1], [4]]) } },
  { code: 'x.mean({ dim: 1, keep_dim: true })', run: (tg) => x23(tg).mean({ dim: 1, keep_dim: true }), expect: { throws: 'ValueError', message: /mean: unknown option 'keep_dim': did you mean 'keepdim'/ } },
  { code: 'x.max(1, true)', run: (tg) => x23(tg).max(1, true), expect: { check: (r) => expect([r.values.toArray(), r.indices.toArray()]).toEqual([[[2], [5]], [[2], [2]]]) } },
  { code: 'const [values, indices] = x.max(1)', run: (tg) => { const [v, i] = x23(tg).max(1); return [v, i]; }, expect: { check: ([v, i]) => expect([v.toArray(), i.toArray()]).toEqual([[2, 5], [2, 2]]) } },
  { code: 'x.min(0).values', run: (tg) => x23(tg).min(0).values, expect: { check: (r) => expect(r.toArray()).toEqual([0, 1, 2]) } },
  { code: 'x.max(other)', run: (tg) => x23(tg).max(tg.full([2, 3], 2.5, { dtype: 'float64' })), expect: { check: (r) => expect(r.toArray()).toEqual([[2.5, 2.5, 2.5], [3, 4, 5]]) } },
  { code: 'x.max()', run: (tg) => x23(tg).max(), expect: { check: (r) => expect([r.shape, r.item()]).toEqual([[], 5]) } },
  { code: 'x.argmax(1, true)', run: (tg) => x23(tg).argmax(1, true), expect: { check: (r) => expect(r.toArray()).toEqual([[2], [2]]) } },
  { code: 'x.argmax([0, 1])', run: (tg) => x23(tg).argmax([0, 1]), expect: { throws: 'ArgumentTypeError', message: /argmax: dim must be one integer dim, got \[0, 1\]/ } },
  { code: 'x.var(1, { unbiased: false })', run: (tg) => x23(tg).var(1, { unbiased: false }), expect: { check: (r) => expect(r.toArray().map((v: number) => v.toFixed(6))).toEqual(['0.666667', '0.666667']) } },
  { code: 'x.var(1, false)', run: (tg) => x23(tg).var(1, false), expect: { check: (r) => expect(r.toArray().map((v: number) => v.toFixed(6))).toEqual(['0.666667', '0.666667']) } },
  { code: 'x.std(1, true, true)', run: (tg) => x23(tg).std(1, true, true), expect: { check: (r) => expect(r.toArray()).toEqual([[1], [1]]) } },
  { code: 'x.var({ correction: 0 })', run: (tg) => x23(tg).var({ correction: 0 }), expect: { check: (r) => expect(r.item().toFixed(6)).toBe((17.5 / 6).toFixed(6)) } },
  { code: 'x.var(1, { unbiased: false, correction: 0 })', run: (tg) => x23(tg).var(1, { unbiased: false, correction: 0 }), expect: { throws: 'ValueError', message: /var: give unbiased or correction, not both/ } },
  { code: 'x.logsumexp(1, true)', run: (tg) => x23(tg).logsumexp(1, true), expect: { check: (r) => expect(r.shape).toEqual([2, 1]) } },
  { code: 'x.norm(1, 1, true)', run: (tg) => x23(tg).norm(1, 1, true), expect: { check: (r) => expect(r.toArray()).toEqual([[3], [12]]) } },
  { code: 'x.softmax()', run: (tg) => x23(tg).softmax(), expect: { throws: 'ArgumentTypeError', message: /softmax: dim is required; accepted forms: softmax\(x, dim\)/ } },
  { code: "x.logSoftmax(1, 'float64')", run: (tg) => x23(tg).float().logSoftmax(1, 'float64'), expect: { check: (r) => expect(r.dtype).toBe('float64') } },
  { code: 'x.cumsum({ dim: 1 })', run: (tg) => x23(tg).cumsum({ dim: 1 }), expect: { check: (r) => expect(r.toArray()).toEqual([[0, 1, 3], [3, 7, 12]]) } },
  { code: 'x.any(1, true)', run: (tg) => x23(tg).any(1, true), expect: { check: (r) => expect(r.toArray()).toEqual([[true], [true]]) } },
  { code: 'zeros(2, 3).norm(2, 1).sum().backward(): grad', run: (tg) => { const z = any(tg.zeros)(2, 3, { requiresGrad: true }); z.norm(2, 1).sum().backward(); return z.grad; }, expect: { check: (g) => expect(g.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]) } },
  { code: 'zeros(3).norm(3).backward(): grad', run: (tg) => { const z = any(tg.zeros)(3, { requiresGrad: true }); z.norm(3).backward(); return z.grad; }, expect: { check: (g) => expect(g.toArray()).toEqual([0, 0, 0]) } },
  { code: 'sum([1, 2, 3])', run: (tg) => any(tg.sum)([1, 2, 3]), expect: { throws: 'ArgumentTypeError', message: /sum: expected a Tensor as the input, got \[1, 2, 3\]/ } },

  // ---- shape ops ----
  { code: 'x.reshape(3, 2)', run: (tg) => x23(tg).reshape(3, 2), expect: { check: (r) => expect(r.toArray()).toEqual([[0, 1], [2, 3], [4, 5]]) } },
  { code: 'x.view(-1)', run: (tg) => x23(tg).view(-1), expect: { check: (r) => expect(r.shape).toEqual([6]) } },
  { code: 'x.permute(1, 0)', run: (tg) => x23(tg).permute(1, 0), expect: { check: (r) => expect(r.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]) } },
  { code: 'tensor([[1], [2]]).expand(2, 3)', run: (tg) => tg.tensor([[1], [2]]).expand(2, 3), expect: { check: (r) => expect(r.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]) } },
  { code: 'tensor([1, 2]).expand(3, -1)', run: (tg) => tg.tensor([1, 2]).expand(3, -1), expect: { check: (r) => expect(r.shape).toEqual([3, 2]) } },
  { code: "x.reshape(3, '2')", run: (tg) => x23(tg).reshape(3, '2'), expect: { throws: 'ArgumentTypeError', message: /reshape: size 1 must be an integer, got '2'/ } },
  { code: 'zeros(2, 3, 4).flatten(1)', run: (tg) => any(tg.zeros)(2, 3, 4).flatten(1), expect: { check: (r) => expect(r.shape).toEqual([2, 12]) } },
  { code: 'x.transpose(0)', run: (tg) => x23(tg).transpose(0), expect: { throws: 'ArgumentTypeError', message: /transpose: dim1 must be an integer, got undefined/ } },
  { code: 'x.split(2, { dim: 1 })', run: (tg) => x23(tg).split(2, { dim: 1 }), expect: { check: (r) => expect(r.map((p: any) => p.shape)).toEqual([[2, 2], [2, 1]]) } },
  { code: 'cat(x, y)', run: (tg) => any(tg.cat)(x23(tg), x23(tg)), expect: { throws: 'ArgumentTypeError', message: /cat: expected an array of tensors first, got a Tensor .*cat\(\[x, y\], dim\)/ } },
  { code: 'stack(x, y)', run: (tg) => any(tg.stack)(x23(tg), x23(tg)), expect: { throws: 'ArgumentTypeError', message: /stack\(\[x, y\], dim\)/ } },
  { code: 'cat([x, y], { dim: 1 })', run: (tg) => any(tg.cat)([x23(tg), x23(tg)], { dim: 1 }), expect: { check: (r) => expect(r.shape).toEqual([2, 6]) } },
  { code: 'x.matmul(2)', run: (tg) => x23(tg).matmul(2), expect: { throws: 'ArgumentTypeError', message: /matmul: the second argument must be a Tensor, got 2/ } },
  { code: 'x.mm([[1], [2], [3]])', run: (tg) => x23(tg).mm([[1], [2], [3]]), expect: { throws: 'ArgumentTypeError', message: /mm: the second argument must be a Tensor.*wrap an array with tensor/ } },
  { code: 'x.exp(2)', run: (tg) => x23(tg).exp(2), expect: { throws: 'ArgumentTypeError', message: /exp: too many arguments .*accepted forms: x\.exp\(\)/ } },
  { code: 'x.unsqueeze(0, 1)', run: (tg) => x23(tg).unsqueeze(0, 1), expect: { throws: 'ArgumentTypeError', message: /unsqueeze: too many arguments/ } },

  // ---- invariants, grad mode, seeds ----
  { code: 'x.shape.reverse()', run: (tg) => x23(tg).shape.reverse(), expect: { throws: 'TypeError', message: /read.only|frozen|Cannot assign/i } },
  { code: 'running += loss', run: (tg) => { let running = 0; running += any(tg.tensor(0.5)); running += any(tg.tensor([0.25])); return running; }, expect: { check: (r) => expect(r).toBe(0.75) } },
  { code: 'total += x (two elements)', run: (tg) => { let total = 0; total += any(tg.ones(2)); return total; }, expect: { throws: 'ValueError', message: /cannot be converted to a number.*\.item\(\).*\.toArray\(\)/ } },
  { code: 'await noGrad(async () => { await ...; x.mul(2) })', run: async (tg) => tg.noGrad(async () => { await new Promise((r) => setTimeout(r, 1)); return tg.ones(2, { requiresGrad: true }).mul(2); }), expect: { check: (r) => expect(r.requiresGrad).toBe(false) } },
  { code: 'noGrad(() => promise)', run: (tg) => tg.noGrad(() => Promise.resolve(1)), expect: { throws: 'AutogradError', message: /noGrad: the callback returned a Promise but is not an async function/ } },
  { code: 'manualSeed(2 ** 40) differs from manualSeed(0)', run: (tg) => { tg.manualSeed(2 ** 40); const a = tg.rand(4).toArray(); tg.manualSeed(0); return [a, tg.rand(4).toArray()]; }, expect: { check: ([a, b]) => expect(a).not.toEqual(b) } },
  { code: 'manualSeed(0.5)', run: (tg) => tg.manualSeed(0.5), expect: { throws: 'ValueError', message: /manualSeed: seed must be a safe integer .*got 0\.5/ } },
  { code: 'autograd.detectAnomaly({ enabled: true })', run: (tg) => any(tg.autograd.detectAnomaly)({ enabled: true }), expect: { throws: 'ArgumentTypeError', message: /detectAnomaly: takes one function to run/ } },
  { code: 'autograd.grad(loss, [x], { allow_unused: true })', run: (tg) => { const x = tg.tensor([1], { requiresGrad: true }); return tg.autograd.grad(x.mul(2).sum(), [x], any({ allow_unused: true })); }, expect: { throws: 'ValueError', message: /grad: unknown option 'allow_unused': options are camelCase, did you mean 'allowUnused'/ } },
  { code: 'loss.backward({ retainGraph: true }) twice', run: (tg) => { const x = tg.tensor([1, 2], { requiresGrad: true }); const loss = x.mul(x).sum(); loss.backward({ retainGraph: true }); loss.backward(); return x.grad; }, expect: { check: (g) => expect(g.toArray()).toEqual([4, 8]) } },
  { code: 'loss.backward(undefined, { retain_graph: true })', run: (tg) => tg.tensor([1], { requiresGrad: true }).sum().backward(undefined, any({ retain_graph: true })), expect: { throws: 'ValueError', message: /did you mean 'retainGraph'/ } },
  { code: 'autograd.gradcheck(f, x)', run: (tg) => any(tg.autograd.gradcheck)((t: any) => t.mul(2), tg.tensor([1], { dtype: 'float64', requiresGrad: true })), expect: { throws: 'ArgumentTypeError', message: /gradcheck: inputs must be an array of Tensors/ } },
];
