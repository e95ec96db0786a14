// Ops without an ONNX form fail with an UnsupportedOpError naming them, only when an output needs them.
import { describe, expect, it } from 'vitest';
import { NotImplementedError, autograd, manualSeed, nn, noGrad, onnx, randn, zeros, type Tensor } from '../../src/index.js';
import { runOrt, maxAbsDiff } from './ort.js';

class Cube extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  }
  static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors as [Tensor];
    return g.mul(x.mul(x).mul(3));
  }
}

/** The error `fn` throws (fails the test when it throws none). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('unsupported ops', () => {
  it('a custom autograd Function is named', () => {
    class Net extends nn.Module<[Tensor], Tensor> {
      fc = new nn.Linear(3, 3);
      forward(x: Tensor): Tensor {
        return Cube.apply(this.fc.call(x));
      }
    }
    const e = errorOf(() => onnx.toBytes(new Net(), randn([2, 3])));
    expect(e).toBeInstanceOf(onnx.UnsupportedOpError);
    expect(e).toBeInstanceOf(NotImplementedError);
    expect((e as onnx.UnsupportedOpError).op).toBe('Cube');
    expect(e.message).toMatch(/custom autograd Function 'Cube' cannot be exported to ONNX/);
  });

  it('an in-place op on a traced tensor is named', () => {
    class Net extends nn.Module<[Tensor], Tensor> {
      fc = new nn.Linear(3, 3);
      forward(x: Tensor): Tensor {
        return this.fc.call(x).mul_(2);
      }
    }
    const e = errorOf(() => onnx.toBytes(new Net(), randn([2, 3])));
    expect((e as onnx.UnsupportedOpError).op).toBe('mul_');
    expect(e.message).toMatch(/in-place op 'mul_'/);
  });

  it('a loss primitive is named', () => {
    class WithLoss extends nn.Module<[Tensor, Tensor], Tensor> {
      forward(x: Tensor, y: Tensor): Tensor {
        return nn.F.crossEntropy(x, y);
      }
    }
    const e = errorOf(() => onnx.toBytes(new WithLoss(), [randn([4, 3]), zeros([4], { dtype: 'int32' })]));
    expect((e as onnx.UnsupportedOpError).op).toBe('crossEntropyIndices');
  });

  it('an unsupported op whose result no output needs does not stop the export', async () => {
    manualSeed(40);
    class SideWork extends nn.Module<[Tensor], Tensor> {
      fc = new nn.Linear(3, 2);
      forward(x: Tensor): Tensor {
        Cube.apply(x); // unused
        return this.fc.call(x);
      }
    }
    const model = new SideWork();
    const x = randn([2, 3]);
    const out = await runOrt(onnx.toBytes(model, x), { input: x });
    expect(
      maxAbsDiff(
        out['output']!,
        noGrad(() => model.call(x)),
      ),
    ).toBeLessThanOrEqual(1e-5);
  });
});

describe('the ORT comparison can fail', () => {
  it('a file exported before the weights changed no longer matches', async () => {
    manualSeed(41);
    const model = new nn.Linear(4, 3);
    const x = randn([2, 4]);
    const bytes = onnx.toBytes(model, x);
    noGrad(() => model.weight.add_(0.01));
    const out = await runOrt(bytes, { input: x });
    expect(
      maxAbsDiff(
        out['output']!,
        noGrad(() => model.call(x)),
      ),
    ).toBeGreaterThan(1e-3);
  });

  it('export leaves the training flags and forward methods as they were', () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
    model.train();
    onnx.toBytes(model, randn([2, 2]));
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(model.modules().every((m) => !Object.hasOwn(m, 'forward'))).toBe(true);
  });
});
