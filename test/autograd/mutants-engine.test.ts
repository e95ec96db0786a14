// Tests written to kill mutants of the backward engine (src/autograd/engine.ts) that survived
// `npm run test:mutation` (docs/contributing.md, "Mutation testing"). Expected values are closed
// forms written here; the error classes follow PyTorch's (RuntimeError → AutogradError/ShapeError).
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import type { FunctionCtx } from '../../src/autograd/function.js';

const f64 = (a: number[] | number[][], requiresGrad = false): tg.Tensor => tg.tensor(a, { dtype: 'float64', requiresGrad });

/** y = x, with a backward that gives x no gradient (PyTorch: returning None). */
class NoGrad extends tg.autograd.Function {
  static override forward(_ctx: FunctionCtx, x: tg.Tensor): tg.Tensor {
    return x.clone();
  }
  static override backward(): (tg.Tensor | null)[] {
    return [null];
  }
}

describe('engine: root gradients', () => {
  it('an implied gradient needs a one-element output; a given one must have its shape', () => {
    const x = f64([1, 2], true);
    expect(() => x.mul(2).backward()).toThrow(tg.AutogradError);
    expect(() =>
      x
        .reshape([2, 1])
        .mul(2)
        .backward(f64([1, 1])),
    ).toThrow(tg.ShapeError);
    expect(() => x.mul(2).backward(f64([[1, 1]]))).toThrow(tg.ShapeError);
  });
  it('a null gradient of a one-element output means the implied one (PyTorch: backward(None))', () => {
    const x = f64([1, 2], true);
    x.mul(3)
      .sum()
      .backward(null as never);
    expect(x.grad!.toArray()).toEqual([3, 3]);
  });
  it("the implied gradient has the output's dtype and value 1", () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const y = tg.tensor([3], { dtype, requiresGrad: true }).mul(2).sum();
      const [g] = tg.autograd.grad([y], [y]);
      expect(g!.dtype).toBe(dtype);
      expect(g!.item()).toBe(1);
      // The storage invariant: a float32 tensor holds a Float32Array, a float64 one a Float64Array.
      expect(g!._storage.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
    }
  });
});

describe('engine: several outputs', () => {
  it('the same output twice counts twice, at the top level and inside a hook (nested run)', () => {
    const x = f64([1, 2], true);
    const y = x.mul(3).sum();
    expect(tg.autograd.grad([y, y], [x], { retainGraph: true })[0]!.toArray()).toEqual([6, 6]);
    let nested: number[] | null = null;
    const w = f64([5], true);
    const v = w.mul(2);
    v.registerHook((g) => {
      nested = tg.autograd.grad([y, y], [x])[0]!.toArray() as number[];
      return g;
    });
    v.sum().backward();
    expect(nested).toEqual([6, 6]);
  });
  it('an output that another output depends on waits for its gradient', () => {
    const x = f64([1, 2], true);
    const y = x.mul(2);
    const z = y.mul(y);
    // d/dx Σ(y + z) = 2 + 2·y·2 = 2 + 8x.
    const [g] = tg.autograd.grad([y, z], [x], { gradOutputs: [f64([1, 1]), f64([1, 1])], retainGraph: true });
    expect(g!.toArray()).toEqual([10, 18]);
    const [g2] = tg.autograd.grad([z, y], [x], { gradOutputs: [f64([1, 1]), f64([1, 1])] });
    expect(g2!.toArray()).toEqual([10, 18]);
  });
});

describe('engine: nodes that receive no gradient', () => {
  it('are not applied, hooked, retained or captured (PyTorch: a None gradient stops there)', () => {
    const x = f64([1, 2], true);
    const t = x.mul(2);
    t.retainGrad();
    let hookCalls = 0;
    t.registerHook((g) => {
      hookCalls++;
      return g;
    });
    const other = f64([3, 4], true);
    // Two NoGrads: the inner one is user code that receives no gradient.
    const loss = NoGrad.apply(NoGrad.apply(t)).sum().add(other.mul(5).sum());
    loss.backward();
    expect(hookCalls).toBe(0);
    expect(t.grad).toBeNull();
    expect(x.grad).toBeNull();
    expect(other.grad!.toArray()).toEqual([5, 5]);
    const x2 = f64([1, 2], true);
    const out = NoGrad.apply(x2.mul(2)).sum().add(x2.sum().mul(0).detach());
    expect(tg.autograd.grad([out.add(f64([1], true).sum())], [x2], { allowUnused: true })[0]).toBeNull();
  });
});

describe('engine: hooks', () => {
  it('a hook returning nothing keeps the gradient; one returning a tensor replaces it', () => {
    const x = f64([1, 2], true);
    const y = x.mul(3);
    y.registerHook(() => undefined);
    y.registerHook((g) => g.mul(2));
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
  });
});

describe('engine: gradients of leaves', () => {
  it("the caller's gradient tensor and one tensor given to two inputs are never written in place", () => {
    const x = f64([1, 2], true);
    const G = f64([1, 1]);
    x.add(x).backward(G);
    expect(G.toArray()).toEqual([1, 1]);
    expect(x.grad!.toArray()).toEqual([2, 2]);
    const a = f64([1, 2], true);
    const H = f64([1, 1]);
    a.add(a).add(a).add(a.mul(1)).backward(H);
    expect(H.toArray()).toEqual([1, 1]);
    expect(a.grad!.toArray()).toEqual([4, 4]);
  });
  it('a leaf used through strided views many times sums every path (in-place sums read strides)', () => {
    const x = f64(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      true,
    );
    const W = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const V = f64([
      [1, 0],
      [0, 1],
      [2, 2],
    ]);
    // Σ x⊙W + Σ xᵀ⊙V + Σ x⊙W + Σ xᵀ⊙V: d/dx = 2W + 2Vᵀ.
    const loss = x.mul(W).sum().add(x.t().mul(V).sum()).add(x.mul(W).sum()).add(x.t().mul(V).sum());
    loss.backward();
    expect(x.grad!.toArray()).toEqual([
      [4, 4, 10],
      [8, 12, 16],
    ]);
  });
  it('.grad owns a contiguous storage of its own size, also when the gradient arrives as a slice', () => {
    const a = f64([1, 2], true);
    const b = f64([3, 4, 5], true);
    tg.cat([a, b])
      .mul(f64([1, 2, 3, 4, 5]))
      .sum()
      .backward();
    expect(a.grad!.toArray()).toEqual([1, 2]);
    expect(b.grad!.toArray()).toEqual([3, 4, 5]);
    for (const t of [a, b]) {
      expect(t.grad!._offset).toBe(0);
      expect(t.grad!._storage.data.length).toBe(t.grad!.numel());
    }
    a.grad!.mul_(0);
    expect(b.grad!.toArray()).toEqual([3, 4, 5]);
    // Reached through a transpose only: the gradient arrives as a non-contiguous view.
    const x = f64(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      true,
    );
    x.t()
      .mul(
        f64([
          [1, 0],
          [0, 1],
          [2, 2],
        ]),
      )
      .sum()
      .backward();
    expect(x.grad!._contiguous).toBe(true);
    expect(x.grad!.toArray()).toEqual([
      [1, 0, 2],
      [0, 1, 2],
    ]);
  });
  it('gradients accumulate across backward calls, with createGraph too', () => {
    const x = f64([1, 2], true);
    x.mul(x).sum().backward({ createGraph: true });
    x.mul(3).sum().backward(undefined, { createGraph: true });
    expect(x.grad!.toArray()).toEqual([5, 7]);
  });
  it('grad() does not touch .grad of its inputs or of other leaves', () => {
    const x = f64([1, 2], true);
    const w = f64([3], true);
    const [g] = tg.autograd.grad([x.mul(w).sum()], [x]);
    expect(g!.toArray()).toEqual([3, 3]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });
  it('a float32 input of a float64 computation gets a float32 gradient', () => {
    const x = tg.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    x.mul(f64([0.5, 0.25]))
      .sum()
      .backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.toArray()).toEqual([0.5, 0.25]);
  });
});

describe('engine: the graph is freed unless retained; arguments are checked', () => {
  it('a second backward through a freed graph throws; retainGraph keeps it', () => {
    const x = f64([1, 2], true);
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(tg.AutogradError);
    const z = x.mul(x).sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(x.grad!.toArray()).toEqual([2 + 4, 4 + 8]);
  });
  it('backward and grad reject unknown options and non-tensor arguments with typed errors', () => {
    const x = f64([1, 2], true);
    expect(() => x.sum().backward(undefined, { retainGrap: true } as never)).toThrow(tg.ValueError);
    expect(() => tg.autograd.grad([x.sum()], [x], { bogus: 1 } as never)).toThrow(tg.ValueError);
    expect(() => tg.autograd.grad(['y'] as never, [x])).toThrow(tg.ArgumentTypeError);
    expect(() => tg.autograd.grad([x.sum()], [x, 'x'] as never)).toThrow(tg.ArgumentTypeError);
    expect(() => tg.autograd.grad(1 as never, x)).toThrow(tg.ArgumentTypeError);
  });
});
