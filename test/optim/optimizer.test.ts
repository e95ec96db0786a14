// The Optimizer base: parameter groups, skipped null grads, zeroGrad, closures, in-place updates
// under noGrad (version bumps), non-contiguous and float32 parameters.
import { describe, expect, it } from 'vitest';
import { optim, randn, tensor, zeros, AutogradError, ShapeError, manualSeed, type Tensor } from '../../src/index.js';

const f64 = (v: number[], requiresGrad = true): Tensor => tensor(v, { dtype: 'float64', requiresGrad });

describe('parameter groups', () => {
  it('each group uses its own options, missing ones from the defaults', () => {
    const w = f64([1, 2]);
    const v = f64([3]);
    const opt = new optim.SGD([{ params: [w] }, { params: [v], lr: 0.5 }], { lr: 0.1, momentum: 0 });
    expect(opt.paramGroups[0]!.lr).toBe(0.1);
    expect(opt.paramGroups[1]!.lr).toBe(0.5);
    expect(opt.paramGroups[1]!.momentum).toBe(0);
    w.grad = f64([1, 1], false);
    v.grad = f64([2], false);
    opt.step();
    expect(w.toArray()).toEqual([1 - 0.1, 2 - 0.1]);
    expect(v.toArray()).toEqual([3 - 0.5 * 2]);
  });

  it('addParamGroup adds parameters later, with defaults', () => {
    const w = f64([1]);
    const v = f64([1]);
    const opt = new optim.Adam([w], { lr: 0.1 });
    opt.addParamGroup({ params: [v], lr: 0.2 });
    expect(opt.paramGroups.length).toBe(2);
    expect(opt.paramGroups[1]!.betas).toEqual([0.9, 0.999]);
    v.grad = f64([3], false);
    opt.step();
    // Adam's first step moves by lr * sign(g) (up to eps): 1 - 0.2.
    expect((v.toArray() as number[])[0]).toBeCloseTo(0.8, 6);
    expect(w.toArray()).toEqual([1]);
  });

  it('accepts any iterable, e.g. a generator', () => {
    const ps = [f64([1]), f64([2])];
    function* gen(): Generator<Tensor> {
      yield* ps;
    }
    const opt = new optim.SGD(gen(), { lr: 1 });
    expect(opt.paramGroups[0]!.params).toEqual(ps);
  });
});

describe('step', () => {
  it('skips parameters whose grad is null and creates no state for them', () => {
    const w = f64([1, 2]);
    const v = f64([3, 4]);
    const opt = new optim.Adam([w, v], { lr: 0.1 });
    w.grad = f64([1, 1], false);
    opt.step();
    expect(v.toArray()).toEqual([3, 4]);
    expect(opt.state.has(v)).toBe(false);
    expect(opt.state.get(w)!['step']).toBe(1);
  });

  it('updates in place (same storage) and bumps the version, so a stale graph fails clearly', () => {
    const w = f64([1, 2]);
    const storage = w._storage;
    const y = w.mul(w).sum();
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.grad = f64([1, 1], false);
    opt.step();
    expect(w._storage).toBe(storage);
    expect(() => y.backward()).toThrow(AutogradError);
  });

  it('returns the closure loss, evaluated with grad enabled', () => {
    const w = f64([2]);
    const opt = new optim.SGD([w], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = w.mul(w).sum();
      l.backward();
      return l;
    });
    expect((loss as Tensor).item()).toBe(4);
    expect(w.toArray()).toEqual([2 - 0.25 * 4]);
  });

  it('updates a non-contiguous parameter like its contiguous copy', () => {
    manualSeed(3);
    const base = randn([3, 4], { dtype: 'float64' });
    const p = base.T.requiresGrad_();
    const q = base.T.contiguous().detach().requiresGrad_();
    expect(p.isContiguous()).toBe(false);
    const g = randn([4, 3], { dtype: 'float64' });
    const optP = new optim.Adam([p], { lr: 0.1, amsgrad: true });
    const optQ = new optim.Adam([q], { lr: 0.1, amsgrad: true });
    for (let i = 0; i < 3; i++) {
      p.grad = g.mul(i + 1);
      q.grad = g.mul(i + 1);
      optP.step();
      optQ.step();
    }
    expect(p.toArray()).toEqual(q.toArray());
    // The view writes through to its base.
    expect(base.T.toArray()).toEqual(q.toArray());
  });

  it('float32 parameters follow the float64 trajectory to float32 precision', () => {
    const w32 = tensor([0.5, -1.5, 2]);
    w32.requiresGrad_();
    const w64 = f64([0.5, -1.5, 2]);
    const o32 = new optim.RMSprop([w32], { lr: 0.01, centered: true, momentum: 0.5 });
    const o64 = new optim.RMSprop([w64], { lr: 0.01, centered: true, momentum: 0.5 });
    for (let i = 0; i < 20; i++) {
      for (const [w, o] of [
        [w32, o32],
        [w64, o64],
      ] as const) {
        o.zeroGrad();
        w.sin().mul(w).sum().backward();
        o.step();
      }
    }
    const a = w32.toArray() as number[];
    const b = w64.toArray() as number[];
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5));
    expect(b).not.toEqual([0.5, -1.5, 2]);
  });

  it('rejects a gradient whose shape differs from the parameter', () => {
    const w = f64([1, 2]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.grad = f64([1, 2, 3], false);
    expect(() => opt.step()).toThrow(ShapeError);
    expect(() => opt.step()).toThrow(/SGD.step: the gradient has shape \[3\] but the parameter has shape \[2\]/);
  });
});

describe('zeroGrad', () => {
  it('sets grads to null by default', () => {
    const w = f64([1]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.mul(3).sum().backward();
    opt.zeroGrad();
    expect(w.grad).toBeNull();
  });

  it('fills with zeros with setToNone: false, keeping the tensor', () => {
    const w = f64([1, 2]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.mul(3).sum().backward();
    const g = w.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(w.grad).toBe(g);
    expect(g.toArray()).toEqual([0, 0]);
    w.mul(2).sum().backward();
    expect(w.grad!.toArray()).toEqual([2, 2]);
  });

  it('state is a Map keyed by the parameter tensor', () => {
    const w = zeros([2], { requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    w.grad = tensor([1, 2]);
    opt.step();
    expect(opt.state).toBeInstanceOf(Map);
    const buf = opt.state.get(w)!['momentumBuffer'] as Tensor;
    expect(buf.toArray()).toEqual([1, 2]);
  });
});

describe('custom optimizers', () => {
  it('a subclass gets groups, zeroGrad and state dicts from the base', () => {
    class SignSGD extends optim.Optimizer<{ lr: number }> {
      constructor(params: optim.ParamsInput<{ lr: number }>, options: Partial<{ lr: number }> = {}) {
        super('SignSGD', params, { lr: 0.01, ...options });
      }
      step(): undefined {
        for (const group of this.paramGroups) {
          for (const p of group.params) if (p.grad) p.detach().sub_(p.grad.sign().mul(group.lr));
        }
        return undefined;
      }
    }
    const w = f64([1, -2]);
    const opt = new SignSGD([w], { lr: 0.5 });
    w.grad = f64([3, -0.1], false);
    opt.step();
    expect(w.toArray()).toEqual([0.5, -1.5]);
    expect(opt.stateDict().paramGroups[0]!['lr']).toBe(0.5);
    expect(() => new SignSGD([])).toThrow(/SignSGD: got an empty parameter list/);
  });
});
