// The primitives a custom forward is made of (elementwise, comparisons, reductions, movement,
// indexing), traced one by one and run in ONNX Runtime.
import { afterAll, describe, expect, it } from 'vitest';
import { cat, indexAdd, logicalAnd, manualSeed, nn, randint, randn, stack, tensor, where, type Tensor } from '../../src/index.js';
import { checkInOrt, seen } from './ort.js';

afterAll(() => console.log('max abs differences (primitives):', JSON.stringify(seen)));

class Mixed extends nn.Module<[Tensor, Tensor], Record<string, Tensor>> {
  forward(x: Tensor, idx: Tensor): Record<string, Tensor> {
    const pos = x.abs().add(0.5);
    return {
      unary: x
        .neg()
        .add(x.sign())
        .add(x.exp().log1p())
        .add(x.expm1())
        .add(pos.sqrt())
        .add(pos.rsqrt())
        .add(pos.reciprocal())
        .add(x.sin())
        .add(x.cos())
        .add(x.erf()),
      binary: pos.pow(x).add(x.maximum(0.2)).sub(x.minimum(-0.1)).div(pos).mul(x),
      compare: where(logicalAnd(x.gt(0), x.le(1)), x, x.lt(-1).float().add(x.ge(0.5).float()).add(x.eq(x).float()).add(x.ne(0).float())),
      finite: x.div(x.sub(x.amax())).isfinite().logicalNot().float().add(x.isnan().float()),
      reductions: cat(
        [
          x.sum(1, { keepdim: true }),
          x.mean(1, { keepdim: true }),
          x.prod(1, { keepdim: true }),
          x.amax(1, { keepdim: true }),
          x.amin(1, { keepdim: true }),
          x.var(1, { keepdim: true }),
          x.std(1, { keepdim: true }),
          x.logsumexp(1, { keepdim: true }),
          x.norm(2, 1, { keepdim: true }),
        ],
        1,
      ),
      args: stack([x.argmax(1), x.argmin(1)], 0),
      argAll: x.argmax(),
      anyAll: stack([x.gt(1).any(1), x.gt(-2).all(1)], 0),
      cumsum: x.cumsum(1),
      movement: x.slice(1, 1, null, 2).transpose(0, 1).reshape([-1]).unsqueeze(0).expand([3, -1]),
      narrowed: cat(x.chunk(3, 1).reverse(), 1).narrow(0, 1, 2),
      gathered: x.gather(1, idx).add(x.indexSelect(1, tensor([4, 0, 2], { dtype: 'int32' })).sum()),
      scattered: x.scatterAdd(1, idx, x.clamp(-1, 1)).add(indexAdd(x, 1, tensor([0, 3], { dtype: 'int32' }), x.slice(1, 0, 2))),
      cast: x
        .mul(3)
        .int()
        .float()
        .add(x.maskedFill(x.lt(0), -5)),
    };
  }
}

describe('primitives in ONNX Runtime', () => {
  it('elementwise, comparisons, reductions, movement and indexing', async () => {
    manualSeed(50);
    await checkInOrt('primitives', new Mixed(), [randn([4, 6]), randint(0, 5, [4, 6])]);
    expect(seen['primitives']).toBeDefined();
  });
});
