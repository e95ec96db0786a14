// Tests written to kill mutants that survived `npm run test:mutation` (docs/contributing.md,
// "Mutation testing") in the fused cross-entropy primitive (prims/fused.ts), which the
// mutation run's test selection (test/autograd, test/kernels) reaches only through this file.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

describe('fused cross entropy with class indices', () => {
  // Rows [1000, 1000, -1000] (target 0) and [-500, -500, -500] (target 2): losses ln 2 and ln 3,
  // computed only if the row maximum is subtracted before exp (exp(1000) overflows).
  // d loss / d x = softmax(x) - onehot(target): [-1/2, 1/2, 0] and [1/3, 1/3, -2/3].
  const logits = [
    [1000, 1000, -1000],
    [-500, -500, -500],
  ];
  const want = {
    none: [Math.LN2, Math.log(3)],
    grad: [
      [-0.5, 0.5, 0],
      [1 / 3, 1 / 3, -2 / 3],
    ],
  };

  for (const reduction of ['none', 'sum', 'mean'] as const) {
    it(`large logits, reduction '${reduction}': finite losses and softmax − onehot gradients`, () => {
      const x = tg.tensor(logits, { dtype: 'float64', requiresGrad: true });
      const target = tg.tensor([0, 2], { dtype: 'int32' });
      const loss = tg.nn.F.crossEntropy(x, target, { reduction });
      const scale = reduction === 'mean' ? 0.5 : 1;
      if (reduction === 'none') {
        (loss.toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want.none[i]!, 12));
        loss.backward(tg.tensor([1, 1], { dtype: 'float64' }));
      } else {
        expect(loss.item()).toBeCloseTo((Math.LN2 + Math.log(3)) * scale, 12);
        loss.backward();
      }
      (x.grad!.toArray() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want.grad[i]![j]! * scale, 12)));
    });
  }
});

// More survivors of the fused cross entropy (second analysis). Expected values: closed forms,
// or PyTorch 1.13 (F.cross_entropy in float64) where named.
describe('fused cross entropy: rows, guards and second order', () => {
  const i32 = (a: number[] | number[][]): tg.Tensor => tg.tensor(a, { dtype: 'int32' });

  it("a huge logit in the next row does not leak into a row's maximum (forward and backward)", () => {
    // Row 0 [0, 0] (target 0): loss ln 2, gradient [-1/2, 1/2]. Row 1 [1000, 0] (target 0): loss
    // log(1 + e^-1000) = 0 to double precision, gradient [0, 0] likewise. A max loop that reads
    // one element past its row shifts row 0 by 1000: exp underflows to 0 and the loss is -inf/NaN.
    for (const reduction of ['none', 'sum'] as const) {
      const x = tg.tensor(
        [
          [0, 0],
          [1000, 0],
        ],
        { dtype: 'float64', requiresGrad: true },
      );
      const loss = tg.nn.F.crossEntropy(x, i32([0, 0]), { reduction });
      if (reduction === 'none') expect(loss.toArray()).toEqual([Math.LN2, 0]);
      else expect(loss.item()).toBeCloseTo(Math.LN2, 15);
      loss.sum().backward();
      expect(x.grad!.toArray()).toEqual([
        [-0.5, 0.5],
        [0, 0],
      ]);
    }
  });

  it('a +inf logit gives NaN in its row and leaves the other rows alone (PyTorch 1.13)', () => {
    // torch: losses [nan, 1.0986], grad [[nan, nan, nan], [-2/3, 1/3, 1/3]].
    for (const t of [
      [1, 0],
      [0, 0],
    ]) {
      const x = tg.tensor(
        [
          [Infinity, 0, 1],
          [0, 0, 0],
        ],
        { dtype: 'float64', requiresGrad: true },
      );
      const loss = tg.nn.F.crossEntropy(x, i32(t), { reduction: 'none' });
      const [l0, l1] = loss.toArray() as number[];
      expect(l0).toBeNaN();
      expect(l1).toBeCloseTo(Math.log(3), 14);
      loss.sum().backward();
      const [g0, g1] = x.grad!.toArray() as number[][];
      g0!.forEach((v) => expect(v).toBeNaN());
      g1!.forEach((v, j) => expect(v).toBeCloseTo(j === 0 ? -2 / 3 : 1 / 3, 14));
    }
  });

  it('targets out of [0, C) are reported, wherever they are in the batch (PyTorch: IndexError)', () => {
    for (const t of [
      [3, 3],
      [0, 3],
      [3, 0],
      [-1, 0],
      [0, -1],
      [-1, -1],
    ]) {
      for (const dtype of ['float32', 'float64'] as const) {
        expect(() => tg.nn.F.crossEntropy(tg.zeros([2, 3], { dtype }), i32(t))).toThrow(tg.IndexError);
      }
    }
  });

  it('target shapes PyTorch rejects: [N, 1] for [N, C] logits, [C] for [C] logits', () => {
    // torch: "0D or 1D target tensor expected, multi-target not supported"; [C] logits take a 0-d target.
    expect(() => tg.nn.F.crossEntropy(tg.zeros([2, 3]), i32([[0], [1]]))).toThrow(tg.ShapeError);
    expect(() => tg.nn.F.crossEntropy(tg.zeros([3]), i32([0, 1, 2]))).toThrow(tg.ShapeError);
  });

  it('ignoreIndex inside [0, C): ignored rows drop out of the loss and its mean (PyTorch 1.13)', () => {
    // Rows [0, 0, 0] (target 0, loss ln 3) and [1, 2, 3] (target 1 = ignoreIndex). torch: none
    // [1.0986, 0], sum 1.0986, mean 1.0986; all targets ignored: none [0, 0], sum 0, mean nan.
    const x = (): tg.Tensor =>
      tg.tensor(
        [
          [0, 0, 0],
          [1, 2, 3],
        ],
        { dtype: 'float64' },
      );
    const ce = (t: number[], reduction: 'none' | 'sum' | 'mean'): tg.Tensor =>
      tg.nn.F.crossEntropy(x(), i32(t), { ignoreIndex: 1, reduction });
    const none = ce([0, 1], 'none').toArray() as number[];
    expect(none[0]).toBeCloseTo(Math.log(3), 14);
    expect(none[1]).toBe(0);
    expect(ce([0, 1], 'sum').item()).toBeCloseTo(Math.log(3), 14);
    expect(ce([0, 1], 'mean').item()).toBeCloseTo(Math.log(3), 14);
    expect(ce([1, 1], 'none').toArray()).toEqual([0, 0]);
    expect(ce([1, 1], 'sum').item()).toBe(0);
    expect(ce([1, 1], 'mean').item()).toBeNaN();
  });

  it("second order with reduction 'none': the gradient of Σ W ⊙ dL/dx in x and in the upstream g", () => {
    // x = 0 [2, 3] (softmax p = 1/3 everywhere), targets [0, 2], upstream g = [2, 3], W = [[1, 2, 3],
    // [4, 5, 6]]. dL/dx_i = g_i (p − e_{t_i}); S = Σ W ⊙ dL/dx.
    // dS/dx_i = g_i (p ⊙ W_i − p (p · W_i)) = g_i (W_i − mean W_i) / 3: [[-2/3, 0, 2/3], [-1, 0, 1]].
    // dS/dg_i = Σ_j W_ij (p_j − [j = t_i]) = mean W_i · 1 − W_i,t_i: [2 − 1, 5 − 6] = [1, -1].
    const x = tg.zeros([2, 3], { dtype: 'float64', requiresGrad: true });
    const g = tg.tensor([2, 3], { dtype: 'float64', requiresGrad: true });
    const loss = tg.nn.F.crossEntropy(x, i32([0, 2]), { reduction: 'none' });
    const [dx] = tg.autograd.grad([loss], [x], { gradOutputs: [g], createGraph: true });
    const s = dx!
      .mul(
        tg.tensor(
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
          { dtype: 'float64' },
        ),
      )
      .sum();
    const [ddx, dg] = tg.autograd.grad([s], [x, g]);
    (ddx!.toArray() as number[][]).forEach((row, i) =>
      row.forEach((v, j) =>
        expect(v).toBeCloseTo(
          [
            [-2 / 3, 0, 2 / 3],
            [-1, 0, 1],
          ][i]![j]!,
          14,
        ),
      ),
    );
    (dg!.toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo([1, -1][i]!, 14));
  });
});

// docs/performance.md and prims/fused.ts promise that nn.F.crossEntropy takes the fused primitive
// for class-index targets of [N, C] logits without weight, smoothing or ignored targets: a guard
// that silently sends the common case to the composite path is a performance regression that no
// value test can see, so the path itself is checked here (by the node that records the loss).
describe('fused cross entropy: which path is taken', () => {
  const fusedName = 'CrossEntropyIndicesBackward';
  const path = (x: tg.Tensor, t: number[] | number[][], options: Record<string, unknown> = {}): string =>
    String(tg.nn.F.crossEntropy(x, tg.tensor(t, { dtype: 'int32' }), options).gradFn);

  it('the fused primitive for every float dtype, reduction and in-range target, 0 and C − 1 included', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        const x = tg.zeros([3, 4], { dtype, requiresGrad: true });
        expect(path(x, [0, 3, 1], { reduction })).toBe(fusedName);
        expect(path(x, [0, 0, 0], { reduction, ignoreIndex: 3 })).toBe(fusedName);
      }
    }
  });

  it('the composite path when a target equals an in-range ignoreIndex, or with weight or smoothing', () => {
    const x = tg.zeros([3, 4], { requiresGrad: true });
    expect(path(x, [0, 3, 1], { ignoreIndex: 1 })).not.toBe(fusedName);
    expect(path(x, [2, 2, 2], { ignoreIndex: 2 })).not.toBe(fusedName);
    expect(path(x, [0, 3, 1], { weight: tg.ones([4]) })).not.toBe(fusedName);
    expect(path(x, [0, 3, 1], { labelSmoothing: 0.1 })).not.toBe(fusedName);
  });
});

// The internal entry point's own contract (ops/nn.ts): null, never a wrong result, for
// inputs the fused kernel does not take, even where today's caller (nn.F.crossEntropy) has
// already rejected them (integer logits, an unknown reduction).
describe('crossEntropyIndicesFused: null outside its domain', () => {
  it('integer or bool logits, an unknown reduction, a float or 2-D target, mismatched batch', async () => {
    const { crossEntropyIndicesFused } = await import('../../src/autograd/ops/nn.js');
    const t = tg.tensor([0, 1], { dtype: 'int32' });
    expect(crossEntropyIndicesFused(tg.zeros([2, 3], { dtype: 'int32' }), t, 'mean', -100)).toBeNull();
    expect(crossEntropyIndicesFused(tg.zeros([2, 3], { dtype: 'bool' }), t, 'sum', -100)).toBeNull();
    for (const reduction of ['max', 'batchmean', '']) expect(crossEntropyIndicesFused(tg.zeros([2, 3]), t, reduction, -100)).toBeNull();
    expect(crossEntropyIndicesFused(tg.zeros([2, 3]), tg.tensor([0, 1]), 'mean', -100)).toBeNull();
    expect(crossEntropyIndicesFused(tg.zeros([2, 3]), tg.tensor([[0], [1]], { dtype: 'int32' }), 'mean', -100)).toBeNull();
    expect(crossEntropyIndicesFused(tg.zeros([3, 3]), t, 'mean', -100)).toBeNull();
    expect(crossEntropyIndicesFused(tg.zeros([2, 3]), t, 'mean', -100)).not.toBeNull();
  });
});
