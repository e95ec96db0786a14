/**
 * Printing. Expected strings are worked out by hand from PyTorch's printing rules
 * (torch/_tensor_str.py: precision 4, int mode `1.`, scientific when nonzero finite magnitudes
 * span > 1000x or exceed 1e8 or go below 1e-4, width from nonzero finite values, 80-column lines,
 * summary with 3 edge items above 1000 elements), with tapegrad's TypeScript spellings:
 * `requiresGrad=true`, `gradFn=<MulBackward>`, `dtype=float64`, `size=[2, 0]`, `true`/`false`.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { arange, tensor, zeros } from '../../src/index.js';

describe('toString / util.inspect like PyTorch', () => {
  const cases: [string, () => unknown, string][] = [
    [
      '2-d integer-valued floats',
      () =>
        tensor([
          [1, 2],
          [3, 4],
        ]),
      'tensor([[1., 2.],\n        [3., 4.]])',
    ],
    ['requiresGrad', () => tensor([1.5, 2.25], { requiresGrad: true }), 'tensor([1.5000, 2.2500], requiresGrad=true)'],
    ['gradFn of a recorded op', () => tensor([1, 2], { requiresGrad: true }).mul(2), 'tensor([2., 4.], gradFn=<MulBackward>)'],
    ['0-d', () => tensor(3.5), 'tensor(3.5000)'],
    ['padding to the widest cell, with signs', () => tensor([-1.5, 100.25]), 'tensor([ -1.5000, 100.2500])'],
    ['small magnitudes go scientific', () => tensor([1e-5, 1]), 'tensor([1.0000e-05, 1.0000e+00])'],
    ['integers spanning > 1000x go scientific', () => tensor([1, 2000]), 'tensor([1.0000e+00, 2.0000e+03])'],
    ['large magnitudes go scientific', () => tensor([123456789, 1]), 'tensor([1.2346e+08, 1.0000e+00])'],
    ['float64 shows its dtype', () => tensor([0.1, 0.2], { dtype: 'float64' }), 'tensor([0.1000, 0.2000], dtype=float64)'],
    ['int32', () => tensor([1, -20, 300], { dtype: 'int32' }), 'tensor([  1, -20, 300])'],
    ['bool', () => tensor([true, false]), 'tensor([ true, false])'],
    ['nan does not widen the cells', () => tensor([1, NaN]), 'tensor([1., nan])'],
    ['nan padded to the width of the others', () => tensor([NaN, 1.5]), 'tensor([   nan, 1.5000])'],
    ['only non-finite and zero', () => tensor([Infinity, -Infinity, 0]), 'tensor([inf, -inf, 0.])'],
    ['empty 1-d', () => zeros([0]), 'tensor([])'],
    ['empty 2-d shows its size', () => zeros([2, 0]), 'tensor([], size=[2, 0])'],
    ['empty int shows its dtype', () => zeros([0], { dtype: 'int32' }), 'tensor([], dtype=int32)'],
    [
      '3-d: a blank line between the outer blocks',
      () =>
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ]),
      'tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]])',
    ],
    [
      'wraps at 80 columns: 14 cells of width 3 + 2 per line after the 7-char indent',
      () => arange(20).float(),
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n        14., 15., 16., 17., 18., 19.])',
    ],
    ['summarised int: 3 items per edge', () => arange(2000), 'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])'],
    [
      'summarised float: format from printed items only, then wrapped (6 cells of 10 + 2 per line)',
      () => arange(2000).float(),
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])',
    ],
    [
      'summarised 2-d',
      () => zeros([100, 100]),
      [
        'tensor([[0., 0., 0.,  ..., 0., 0., 0.],',
        '        [0., 0., 0.,  ..., 0., 0., 0.],',
        '        [0., 0., 0.,  ..., 0., 0., 0.],',
        '        ...,',
        '        [0., 0., 0.,  ..., 0., 0., 0.],',
        '        [0., 0., 0.,  ..., 0., 0., 0.],',
        '        [0., 0., 0.,  ..., 0., 0., 0.]])',
      ].join('\n'),
    ],
    [
      'non-contiguous view prints in logical order',
      () =>
        tensor([
          [1, 2],
          [3, 4],
        ]).T,
      'tensor([[1., 3.],\n        [2., 4.]])',
    ],
  ];

  for (const [name, make, expected] of cases) {
    it(name, () => {
      const t = make();
      expect(String(t)).toBe(expected);
      expect(inspect(t)).toBe(expected);
    });
  }

  it('console-style template strings use the same format', () => {
    expect(`${tensor([0.5])}`).toBe('tensor([0.5000])');
  });
});
