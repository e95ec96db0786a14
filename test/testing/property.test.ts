/**
 * The public `testing` helpers: the seeded generator, the shape/value/tensor arbitraries, and
 * gradcheckProperty, which must pass correct custom Functions and fail (naming a seed that
 * replays the failure) on a wrong backward, a backward that differs under createGraph, and a
 * backward that mixes up its inputs' gradients when some need none.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, autograd, isGradEnabled, testing, ValueError, type Tensor } from '../../src/index.js';
import type { FunctionCtx } from '../../src/autograd/function.js';

const numel = (s: number[]): number => s.reduce((a, b) => a * b, 1);

describe('testing.Random', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const draw = (seed: number): number[] => {
      const r = new testing.Random(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    for (const v of draw(3)) expect(v >= 0 && v < 1).toBe(true);
  });
  it('int covers [min, max] inclusively and nothing else', () => {
    const r = new testing.Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(r.int(-1, 2));
    expect([...seen].sort()).toEqual([-1, 0, 1, 2]);
  });
});

describe('shape, value and tensor arbitraries', () => {
  const rng = new testing.Random(11);
  it('shapes stay within the dims, size and element budget, without empty dims by default', () => {
    const arb = testing.shapes({ minDims: 1, maxDims: 3, maxSize: 4, maxNumel: 12 });
    for (let i = 0; i < 200; i++) {
      const s = arb.generate(rng);
      expect(s.length >= 1 && s.length <= 3).toBe(true);
      expect(numel(s)).toBeLessThanOrEqual(12);
      expect(s.every((d) => d >= 1 && d <= 4)).toBe(true);
    }
  });
  it('broadcastShapes gives shapes that broadcast together', () => {
    const arb = testing.broadcastShapes(3);
    for (let i = 0; i < 200; i++) {
      const ss = arb.generate(rng);
      const nd = Math.max(...ss.map((s) => s.length));
      for (let d = 1; d <= nd; d++) {
        const sizes = new Set(ss.map((s) => s[s.length - d] ?? 1).filter((v) => v !== 1));
        expect(sizes.size, JSON.stringify(ss)).toBeLessThanOrEqual(1);
      }
    }
  });
  it('values keep away from avoided points and are float32-exact', () => {
    const vs = testing.values(400, { min: -1, max: 1, avoid: [0], margin: 0.1 }).generate(rng);
    expect(vs.every((v) => Math.abs(v) >= 0.1 - 1e-7 && v >= -1.1 && v <= 1.1 && Math.fround(v) === v)).toBe(true);
  });
  it('values mix in the edge values asked for', () => {
    const vs = testing.values(400, { min: -2, max: 2, edges: ['tie', 'zero', 'signedZero', 'inf', 'nan', 'integer'] }).generate(rng);
    expect(vs.some((v) => Object.is(v, -0))).toBe(true);
    expect(vs.some(Number.isNaN)).toBe(true);
    expect(vs.filter((v) => v === Infinity).length).toBeGreaterThan(0);
    expect(vs.filter((v) => v === -Infinity).length).toBeGreaterThan(0);
    expect(new Set(vs).size).toBeLessThan(300); // ties and integers repeat values
  });
  it('tensors are float64 leaves requiring grad by default, of the given shape', () => {
    const t = testing.tensors({ shape: [2, 3] }).generate(rng);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float64');
    expect(t.requiresGrad && t.isLeaf).toBe(true);
    const f = testing.tensors({ shape: testing.constant([4]), dtype: 'float32', requiresGrad: false }).generate(rng);
    expect([f.dtype, f.requiresGrad, f.shape]).toEqual(['float32', false, [4]]);
  });
  it('broadcastTensors gives tensors that an elementwise op accepts', () => {
    const arb = testing.broadcastTensors(2, { min: 0.5, max: 2 });
    for (let i = 0; i < 50; i++) {
      const [a, b] = arb.generate(rng);
      expect(() => a!.add(b!)).not.toThrow();
    }
  });
  it('rejects unknown options and bad values with typed errors', () => {
    expect(() => testing.tensors({ shap: [2] } as never)).toThrow(/testing.tensors: unknown option 'shap': did you mean 'shape'\?/);
    expect(() => testing.shapes({ minDims: 3, maxDims: 1 })).toThrow(ValueError);
    expect(() => testing.values(3, { edges: ['zeros' as never] })).toThrow(/edges\[0\] must be one of/);
    expect(() => testing.tensors({ shape: 'big' as never })).toThrow(ArgumentTypeError);
  });
});

class Cube extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x!.mul(x!)).mul(3)];
  }
}

/** d/dx x³ written 2x²: wrong. */
class BadCube extends Cube {
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x!.mul(x!)).mul(2)];
  }
}

/** Right when nothing records; under createGraph a "composite" rule with a planted error. */
class SplitRuleSigmoid extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const out = x.sigmoid();
    ctx.saveForBackward(out);
    return out;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
    const [out] = ctx.savedTensors;
    return [isGradEnabled() ? g.mul(out!.neg().add(1)) : g.mul(out!.mul(out!.neg().add(1)))];
  }
}

/** a·b, whose backward returns b's gradient in a's place when a needs none. */
class MixedUpMul extends autograd.Function {
  static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return a.mul(b);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [a, b] = ctx.savedTensors;
    const grads = [ctx.needsInputGrad[0] ? g.mul(b!) : null, ctx.needsInputGrad[1] ? g.mul(a!) : null].filter((x) => x !== null);
    return grads.length === 2 ? grads : [null, grads[0]!];
  }
}

describe('testing.gradcheckProperty', () => {
  it('passes a correct custom Function (first and second order) and reports what it ran', () => {
    const report = testing.gradcheckProperty((x) => Cube.apply(x), [testing.tensors()], { numRuns: 15, seed: 5, secondOrder: true });
    expect(report).toEqual({ numRuns: 15, seed: 5 });
  });

  it('fails a wrong backward, naming the run, the seed and the inputs; the seed replays it', () => {
    const run = (): string => {
      try {
        testing.gradcheckProperty((x) => BadCube.apply(x), [testing.tensors({ shape: [3] })], { numRuns: 10, seed: 123 });
      } catch (e) {
        expect(e).toBeInstanceOf(autograd.GradcheckError);
        return (e as Error).message;
      }
      throw new Error('gradcheckProperty passed a wrong backward');
    };
    const message = run();
    expect(message).toMatch(
      /^testing\.gradcheckProperty: run 1 of 10 failed \(seed 123; replay with \{ seed: 123 \}\):\ngradcheck: the gradient/,
    );
    expect(message).toMatch(/input 0: shape \[3\] float64, requiresGrad: \[/);
    expect(run()).toBe(message);
  });

  it('fails a backward whose recorded (createGraph) rule differs from the plain one, even with gradcheck off', () => {
    const f = (x: Tensor): Tensor => SplitRuleSigmoid.apply(x);
    expect(() => testing.gradcheckProperty(f, [testing.tensors()], { numRuns: 5, seed: 1, gradcheck: false, mixedInputs: false })).toThrow(
      /checkCreateGraph: gradient 0 by autograd\.grad with createGraph vs autograd\.grad without/,
    );
    // gradcheck alone cannot see it: it never records the backward.
    expect(testing.gradcheckProperty(f, [testing.tensors()], { numRuns: 5, seed: 1, createGraph: false })).toEqual({ numRuns: 5, seed: 1 });
  });

  it("fails a backward that hands an input another input's gradient when one needs none", () => {
    const inputs = testing.tensors({ shape: [3] });
    expect(() => testing.gradcheckProperty((a, b) => MixedUpMul.apply(a, b), [inputs, inputs], { numRuns: 3, seed: 2 })).toThrow(
      /checkMixedInputs: with only inputs \[0\] requiring grad, the gradient of input 0/,
    );
  });

  it('takes one arbitrary of the whole input list (dependent shapes)', () => {
    const report = testing.gradcheckProperty((a, b) => a.mul(b).sum(), testing.broadcastTensors(2), { numRuns: 10, seed: 3 });
    expect(report.numRuns).toBe(10);
  });

  it('checks its arguments', () => {
    expect(() => testing.gradcheckProperty((x) => x, [testing.tensors()], { runs: 5 } as never)).toThrow(/unknown option 'runs'/);
    expect(() => testing.gradcheckProperty((x) => x, [testing.tensors()], { numRuns: 0 })).toThrow(ValueError);
    expect(() => testing.gradcheckProperty((x) => x, [5] as never)).toThrow(ArgumentTypeError);
    expect(() => testing.gradcheckProperty((x) => x, [testing.tensors()], { gradcheck: { eps: 0 } })).toThrow(ValueError);
  });
});
