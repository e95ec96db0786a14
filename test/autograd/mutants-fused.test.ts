// Tests written to kill mutants that survived `npm run test:mutation` (docs/contributing.md,
// "Mutation testing") in the fused cross-entropy primitive (prims/fused.ts), which the
// mutation run's test selection (test/autograd, test/kernels) reaches only through this file.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

describe('fused cross entropy with class indices', () => {
  // Rows [1000, 1000, -1000] (target 0) and [-500, -500, -500] (target 2): losses ln 2 and ln 3,
  // computed only if the row maximum is subtracted before exp (exp(1000) overflows).
  // d loss / d x = softmax(x) - onehot(target): [-1/2, 1/2, 0] and [1/3, 1/3, -2/3].
  const logits = [[1000, 1000, -1000], [-500, -500, -500]];
  const want = { none: [Math.LN2, Math.log(3)], grad: [[-0.5, 0.5, 0], [1 / 3, 1 / 3, -2 / 3]] };

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
