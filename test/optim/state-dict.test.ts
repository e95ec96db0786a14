// Resuming from a state dict: 5 steps, save, load into a fresh optimizer over fresh parameters with
// the same values, 5 more steps: bitwise identical to 10 uninterrupted steps (float64).
import { describe, expect, it } from 'vitest';
import { optim, tensor, zeros, ValueError, type Tensor } from '../../src/index.js';
import { freshParams, objectiveTensor, thetaOf } from './objective.js';

type Make = (params: Tensor[]) => optim.Optimizer;
const makers: [string, Make][] = [
  ['SGD momentum nesterov', (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true })],
  ['Adagrad', (p) => new optim.Adagrad(p, { lr: 0.1, lrDecay: 0.01 })],
  ['RMSprop centered momentum', (p) => new optim.RMSprop(p, { lr: 0.005, centered: true, momentum: 0.5 })],
  ['Adam amsgrad', (p) => new optim.Adam(p, { lr: 0.05, amsgrad: true })],
  ['AdamW', (p) => new optim.AdamW(p, { lr: 0.05 })],
  ['Adadelta', (p) => new optim.Adadelta(p)],
  ['Adamax', (p) => new optim.Adamax(p, { lr: 0.05 })],
  ['NAdam', (p) => new optim.NAdam(p, { lr: 0.05 })],
  ['RAdam', (p) => new optim.RAdam(p, { lr: 0.05 })],
  ['LBFGS strongWolfe', (p) => new optim.LBFGS(p, { lineSearchFn: 'strongWolfe', maxIter: 2, historySize: 3 })],
  ['LBFGS fixed step', (p) => new optim.LBFGS(p, { lr: 0.2, maxIter: 2 })],
];

function run(opt: optim.Optimizer, x: Tensor, b: Tensor, steps: number): void {
  const closure = (): Tensor => {
    opt.zeroGrad();
    const l = objectiveTensor(x, b);
    l.backward();
    return l;
  };
  for (let i = 0; i < steps; i++) opt.step(closure);
}

describe('stateDict round trip', () => {
  it.each(makers)('%s: 5 + load + 5 steps equals 10 steps bitwise', (_name, make) => {
    const straight = freshParams();
    const optA = make([straight.x, straight.b]);
    run(optA, straight.x, straight.b, 10);

    const first = freshParams();
    const optB = make([first.x, first.b]);
    run(optB, first.x, first.b, 5);
    const saved = optB.stateDict();
    const xAt5 = first.x.toArray() as number[][];
    const bAt5 = first.b.toArray() as number[];
    // Deep copy: changing the old optimizer afterwards must not change what was saved.
    run(optB, first.x, first.b, 3);

    const resumed = freshParams();
    resumed.x.detach().copy_(tensor(xAt5, { dtype: 'float64' }));
    resumed.b.detach().copy_(tensor(bAt5, { dtype: 'float64' }));
    const optC = make([resumed.x, resumed.b]);
    optC.loadStateDict(saved);
    run(optC, resumed.x, resumed.b, 5);

    const a = thetaOf(straight.x, straight.b);
    const c = thetaOf(resumed.x, resumed.b);
    expect(c.map((v, i) => Object.is(v, a[i]))).toEqual(a.map(() => true));
    // And the 8-step run differs, so the comparison is not vacuous.
    expect(thetaOf(first.x, first.b)).not.toEqual(a);
  });
});

describe('stateDict contents', () => {
  it('keys state by parameter index and groups by indices, with deep-copied tensors', () => {
    const w = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const v = tensor([3], { dtype: 'float64', requiresGrad: true });
    const opt = new optim.Adam([{ params: [w] }, { params: [v], lr: 0.5 }], { lr: 0.1 });
    w.grad = tensor([1, -1], { dtype: 'float64' });
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0']);
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(sd.paramGroups[1]!['lr']).toBe(0.5);
    expect(sd.state[0]!['step']).toBe(1);
    const expAvg = sd.state[0]!['expAvg'] as Tensor;
    // m_1 = (1 - β1) g = [0.1, -0.1]
    const m1 = expAvg.toArray() as number[];
    expect(m1[0]).toBeCloseTo(0.1, 14);
    expect(m1[1]).toBeCloseTo(-0.1, 14);
    (opt.state.get(w)!['expAvg'] as Tensor).fill_(7);
    expect(expAvg.toArray()).not.toEqual([7, 7]);
  });

  it('loads group options (lr changed by the user) and casts state to the parameter dtype', () => {
    const w = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    w.grad = tensor([1, 1], { dtype: 'float64' });
    opt.step();
    opt.paramGroups[0]!.lr = 0.01;
    const sd = opt.stateDict();
    const w32 = tensor([1, 2], { requiresGrad: true });
    const opt32 = new optim.SGD([w32], { lr: 0.1, momentum: 0.9 });
    opt32.loadStateDict(sd);
    expect(opt32.paramGroups[0]!.lr).toBe(0.01);
    expect((opt32.state.get(w32)!['momentumBuffer'] as Tensor).dtype).toBe('float32');
    expect(opt32.paramGroups[0]!.params[0]).toBe(w32);
  });

  it('rejects a state dict whose groups do not match', () => {
    const w = zeros([2], { requiresGrad: true });
    const v = zeros([2], { requiresGrad: true });
    const two = new optim.SGD([{ params: [w] }, { params: [v] }], { lr: 0.1 });
    const one = new optim.SGD([w, v], { lr: 0.1 });
    expect(() => one.loadStateDict(two.stateDict())).toThrow(ValueError);
    expect(() => one.loadStateDict(two.stateDict())).toThrow(
      /SGD.loadStateDict: the state dict has 2 parameter groups but the optimizer has 1/,
    );
    const single = new optim.SGD([w], { lr: 0.1 });
    expect(() => one.loadStateDict(single.stateDict())).toThrow(
      /parameter group 0 has 1 parameters in the state dict but 2 in the optimizer/,
    );
  });
});

describe('LBFGS with float32 parameters', () => {
  it('resumes bitwise: its float64 history is not narrowed on load', () => {
    const mk = (): { x: Tensor; b: Tensor; opt: optim.LBFGS } => {
      const { x, b } = freshParams('float32');
      return { x, b, opt: new optim.LBFGS([x, b], { lr: 0.2, maxIter: 3 }) };
    };
    const A = mk();
    run(A.opt, A.x, A.b, 6);
    const B = mk();
    run(B.opt, B.x, B.b, 3);
    const saved = B.opt.stateDict();
    const C = mk();
    C.x.detach().copy_(B.x);
    C.b.detach().copy_(B.b);
    C.opt.loadStateDict(saved);
    expect((C.opt.state.get(C.x)!['d'] as Tensor).dtype).toBe('float64');
    run(C.opt, C.x, C.b, 3);
    expect(thetaOf(C.x, C.b)).toEqual(thetaOf(A.x, A.b));
    expect(thetaOf(C.x, C.b)).not.toEqual(thetaOf(B.x, B.b));
  });
});
