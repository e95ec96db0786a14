/**
 * Wrong-call corpus entries for the issue-14 ops: indexing in one line, einsum, sort/topk,
 * repeat/flip/roll, rounding, cumprod and F.oneHot, typed as a PyTorch user would. Expected values
 * are PyTorch's (torch 1.13), worked out by hand.
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';

/** [[0, 1, 2], [3, 4, 5]] as float64. */
const x23 = (tg: Lib): any => tg.arange(6, { dtype: 'float64' }).reshape(2, 3);
const any = (v: unknown): any => v;

/** Calls of the issue-14 ops. */
export const ops14Calls: WrongCall[] = [
  { code: "x.index(':, 1:3')", run: (tg) => x23(tg).index(':, 1:3'), expect: { check: (r) => expect(r.toArray()).toEqual([[1, 2], [4, 5]]) } },
  { code: "x.index('..., -1')", run: (tg) => x23(tg).index('..., -1'), expect: { check: (r) => expect(r.toArray()).toEqual([2, 5]) } },
  { code: 'x.index([1, 0])', run: (tg) => x23(tg).index([1, 0]), expect: { check: (r) => expect(r.toArray()).toEqual([[3, 4, 5], [0, 1, 2]]) } },
  { code: 'x.index(x.gt(2))', run: (tg) => { const x = x23(tg); return x.index(x.gt(2)); }, expect: { check: (r) => expect(r.toArray()).toEqual([3, 4, 5]) } },
  { code: "x.index('::-1')", run: (tg) => x23(tg).index('::-1'), expect: { throws: 'ValueError', message: /index: step must be greater than zero, got -1.*flip/ } },
  { code: "x.index('0, 0, 0')", run: (tg) => x23(tg).index('0, 0, 0'), expect: { throws: 'IndexError', message: /index: too many indices for a tensor of dimension 2 \(3 given\)/ } },
  { code: 'x.index(tensor([0.0]))', run: (tg) => x23(tg).index(tg.tensor([0])), expect: { throws: 'DTypeError', message: /index: tensors used as indices must be int32 or bool, got float32/ } },
  { code: "x.setIndex(':, 0', tensor([7, 8]))", run: (tg) => { const x = x23(tg); x.setIndex(':, 0', tg.tensor([7, 8])); return x; }, expect: { check: (r) => expect(r.toArray()).toEqual([[7, 1, 2], [8, 4, 5]]) } },
  { code: 'x.setIndex(x.lt(2), 0)', run: (tg) => { const x = x23(tg); x.setIndex(x.lt(2), 0); return x; }, expect: { check: (r) => expect(r.toArray()).toEqual([[0, 0, 2], [3, 4, 5]]) } },
  { code: "x.indexPut([[0, 0]], 1, { accumulate: true })", run: (tg) => tg.zeros([3]).indexPut([[0, 0]], 1, { accumulate: true }), expect: { check: (r) => expect(r.toArray()).toEqual([2, 0, 0]) } },
  { code: "einsum('ij,jk->ik', a, b)", run: (tg) => tg.einsum('ij,jk->ik', x23(tg), x23(tg).t()), expect: { check: (r) => expect(r.toArray()).toEqual([[5, 14], [14, 50]]) } },
  { code: "einsum('ii', m)", run: (tg) => tg.einsum('ii', tg.tensor([[1, 2], [3, 4]])), expect: { check: (r) => expect(r.item()).toBe(5) } },
  { code: "einsum('ij,jk->ik', [a, b])", run: (tg) => tg.einsum('ij,jk->ik', [tg.ones([1, 2]), tg.ones([2, 1])]), expect: { check: (r) => expect(r.toArray()).toEqual([[2]]) } },
  { code: "einsum('ij,jk->ik', a)", run: (tg) => tg.einsum('ij,jk->ik', tg.ones([2, 2])), expect: { throws: 'ValueError', message: /einsum: 'ij,jk->ik' has 2 operand term\(s\) but 1 operand\(s\) were given/ } },
  { code: 'x.sort(1, true)', run: (tg) => x23(tg).sort(1, true), expect: { check: (r) => expect([r.values.toArray(), r.indices.toArray()]).toEqual([[[2, 1, 0], [5, 4, 3]], [[2, 1, 0], [2, 1, 0]]]) } },
  { code: 'x.sort({ descending: true, dim: 0 })', run: (tg) => x23(tg).sort({ descending: true, dim: 0 }).values, expect: { check: (r) => expect(r.toArray()).toEqual([[3, 4, 5], [0, 1, 2]]) } },
  { code: 'x.topk(2, { dim: 1, largest: false })', run: (tg) => x23(tg).topk(2, { dim: 1, largest: false }), expect: { check: (r) => expect([r.values.toArray(), r.indices.toArray()]).toEqual([[[0, 1], [3, 4]], [[0, 1], [0, 1]]]) } },
  { code: 'x.topk(4)', run: (tg) => x23(tg).topk(4), expect: { throws: 'IndexError', message: /topk: k = 4 is out of range for dim -1 of size 3/ } },
  { code: 'x.topk(2, { dim: 1, k: 1 })', run: (tg) => x23(tg).topk(2, any({ dim: 1, k: 1 })), expect: { throws: 'ValueError', message: /topk: unknown option 'k'/ } },
  { code: 'x.repeat(2, 1)', run: (tg) => tg.tensor([1, 2]).repeat(2, 1), expect: { check: (r) => expect(r.toArray()).toEqual([[1, 2], [1, 2]]) } },
  { code: 'x.repeat(2)  (2-d x)', run: (tg) => x23(tg).repeat(2), expect: { throws: 'ShapeError', message: /repeat: 1 repeat sizes for a tensor of 2 dims/ } },
  { code: 'x.flip(0)', run: (tg) => x23(tg).flip(0), expect: { check: (r) => expect(r.toArray()).toEqual([[3, 4, 5], [0, 1, 2]]) } },
  { code: 'x.roll(1, 1)', run: (tg) => x23(tg).roll(1, 1), expect: { check: (r) => expect(r.toArray()).toEqual([[2, 0, 1], [5, 3, 4]]) } },
  { code: 'x.roll(1)', run: (tg) => x23(tg).roll(1), expect: { check: (r) => expect(r.toArray()).toEqual([[5, 0, 1], [2, 3, 4]]) } },
  { code: 'round(tensor([0.5, 1.5, 2.5]))', run: (tg) => tg.round(tg.tensor([0.5, 1.5, 2.5])), expect: { check: (r) => expect(r.toArray()).toEqual([0, 2, 2]) } },
  { code: 'round(x, 2)', run: (tg) => any(tg.round)(tg.tensor([1.234]), 2), expect: { throws: 'ArgumentTypeError', message: /round: expected an options object; accepted forms: round\(x\), round\(x, \{ decimals \}\)/ } },
  { code: 'cumprod(x)', run: (tg) => any(tg.cumprod)(tg.tensor([1, 2])), expect: { throws: 'ArgumentTypeError', message: /cumprod: missing dim/ } },
  { code: 'tril(ones(3, 3), -1)', run: (tg) => tg.tril(tg.ones([3, 3]), -1), expect: { check: (r) => expect(r.toArray()).toEqual([[0, 0, 0], [1, 0, 0], [1, 1, 0]]) } },
  { code: 'nn.F.oneHot(tensor([0, 2]), 3)  (float indices)', run: (tg) => tg.nn.F.oneHot(tg.tensor([0, 2]), 3), expect: { throws: 'DTypeError', message: /F\.oneHot: indices must be an int32 tensor, got float32/ } },
  { code: "nn.F.oneHot(idx, { num_classes: 3 })", run: (tg) => tg.nn.F.oneHot(tg.tensor([0, 2], { dtype: 'int32' }), any({ num_classes: 3 })), expect: { check: (r) => expect(r.toArray()).toEqual([[1, 0, 0], [0, 0, 1]]) } },
  { code: 'x.relu_() on a leaf that requires grad', run: (tg) => tg.tensor([1, -1], { requiresGrad: true }).relu_(), expect: { throws: 'AutogradError', message: /relu_: a leaf tensor that requires grad cannot be modified in place/ } },
  { code: 'max(x, 1)', run: (tg) => any(tg.max)(x23(tg), 1), expect: { check: (r) => expect([r.values.toArray(), r.indices.toArray()]).toEqual([[2, 5], [2, 2]]) } },
];
