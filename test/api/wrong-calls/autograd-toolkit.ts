/**
 * Wrong (and PyTorch-habit) calls of autograd.functional, tensor.gradFn and autograd.toDot /
 * toMermaid. Expected values are PyTorch's (torch 1.13: `torch.autograd.functional`, `grad_fn`),
 * worked out by hand; errors are the typed ones naming the accepted form.
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';

const f64 = (tg: Lib, values: number[]): ReturnType<Lib['tensor']> => tg.tensor(values, { dtype: 'float64' });

/** Calls of autograd.functional and the graph tools. */
export const toolkitCalls: WrongCall[] = [
  {
    code: "autograd.functional.jacobian(f, x, { create_graph: true })",
    run: (tg) => tg.autograd.functional.jacobian((x) => x.mul(2), f64(tg, [1, 2]), { create_graph: true } as object),
    expect: { throws: 'ValueError', message: /jacobian: unknown option 'create_graph'.*did you mean 'createGraph'/ },
  },
  {
    code: 'autograd.functional.jacobian(f, x, true) // PyTorch positional create_graph',
    run: (tg) => tg.autograd.functional.jacobian((x) => x.pow(2), f64(tg, [1, 2]).requiresGrad_(), true),
    expect: {
      check: (J) => {
        // diag(2x), still connected to x (create_graph=True).
        expect(J.toArray()).toEqual([[2, 0], [0, 4]]);
        expect(J.requiresGrad).toBe(true);
      },
    },
  },
  {
    code: 'autograd.functional.vjp((x) => x.pow(2), x) // v left out for a non-scalar output',
    run: (tg) => tg.autograd.functional.vjp((x) => x.pow(2), f64(tg, [1, 2])),
    expect: { throws: 'AutogradError', message: /vjp: v can only be omitted when the function's output is a single tensor with one element/ },
  },
  {
    code: 'autograd.functional.vjp((x) => x.pow(2).sum(), x) // scalar output: v is 1',
    run: (tg) => tg.autograd.functional.vjp((x) => x.pow(2).sum(), f64(tg, [1, 2])),
    expect: {
      check: ([y, g]) => {
        expect(y.item()).toBe(5);
        expect(g.toArray()).toEqual([2, 4]);
      },
    },
  },
  {
    code: 'autograd.functional.jacobian((x) => x, x, { vectorize: true }) // all rows in one batched pass',
    run: (tg) => tg.autograd.functional.jacobian((x) => x, f64(tg, [1, 2]), { vectorize: true }),
    expect: { check: (J) => expect(J.toArray()).toEqual([[1, 0], [0, 1]]) },
  },
  {
    code: "autograd.functional.jacobian((x) => x.pow(2), x, false, false, true, 'forward-mode') // PyTorch positional vectorize, strategy",
    run: (tg) => tg.autograd.functional.jacobian((x) => x.pow(2), f64(tg, [1, 2]), false, false, true, 'forward-mode'),
    expect: { check: (J) => expect(J.toArray()).toEqual([[2, 0], [0, 4]]) },
  },
  {
    code: 'autograd.functional.hessian((x) => x.pow(3).sum(), x, { vectorize: true, chunkSize: 1 })',
    run: (tg) => tg.autograd.functional.hessian((x) => x.pow(3).sum(), f64(tg, [1, 2]), { vectorize: true, chunkSize: 1 }),
    expect: { check: (H) => expect(H.toArray()).toEqual([[6, 0], [0, 12]]) },
  },
  {
    code: 'autograd.functional.jacobian((x) => x.softmax(0), zeros, { vectorize: true, chunkSize: 5 }) // chunk larger than the rows',
    run: (tg) => tg.autograd.functional.jacobian((x) => x.softmax(0), f64(tg, [0, 0]), { vectorize: true, chunkSize: 5 }),
    expect: { check: (J) => expect(J.toArray()).toEqual([[0.25, -0.25], [-0.25, 0.25]]) },
  },
  {
    code: 'autograd.functional.jacobian(f, x, { vectorize: true, chunkSize: 0 })',
    run: (tg) => tg.autograd.functional.jacobian((x) => x, f64(tg, [1, 2]), { vectorize: true, chunkSize: 0 }),
    expect: { throws: 'ValueError', message: /jacobian: chunkSize must be >= 1, got 0/ },
  },
  {
    code: 'autograd.functional.jacobian(f, x, { vectorize: true, chunkSize: 2.5 })',
    run: (tg) => tg.autograd.functional.jacobian((x) => x, f64(tg, [1, 2]), { vectorize: true, chunkSize: 2.5 }),
    expect: { throws: 'ValueError', message: /jacobian: chunkSize must be an integer, got 2.5/ },
  },
  {
    code: 'autograd.functional.jacobian(f, x, { chunkSize: 2 }) // chunks without vectorize',
    run: (tg) => tg.autograd.functional.jacobian((x) => x, f64(tg, [1, 2]), { chunkSize: 2 }),
    expect: { throws: 'ValueError', message: /jacobian: chunkSize = 2 needs vectorize: true/ },
  },
  {
    code: 'autograd.functional.jacobian(f, x, { vectorize: true, chunk_size: 2 }) // torch.func spelling',
    run: (tg) => tg.autograd.functional.jacobian((x) => x, f64(tg, [1, 2]), { vectorize: true, chunk_size: 2 } as object),
    expect: { throws: 'ValueError', message: /jacobian: unknown option 'chunk_size'.*did you mean 'chunkSize'/ },
  },
  {
    code: "autograd.functional.hessian(f, x, { vectorize: 'yes' })",
    run: (tg) => tg.autograd.functional.hessian((x) => x.pow(2).sum(), f64(tg, [1, 2]), { vectorize: 'yes' as unknown as boolean }),
    expect: { throws: 'ArgumentTypeError', message: /hessian: vectorize must be a boolean, got 'yes'/ },
  },
  {
    code: "autograd.functional.jacobian(f, x, { strategy: 'forward' })",
    run: (tg) => tg.autograd.functional.jacobian((x) => x, f64(tg, [1, 2]), { strategy: 'forward' as 'forward-mode' }),
    expect: { throws: 'ValueError', message: /strategy must be one of 'reverse-mode', 'forward-mode', got 'forward'/ },
  },
  {
    code: "autograd.functional.hessian(f, x, 'forward-mode') // strategy given where createGraph goes",
    run: (tg) => (tg.autograd.functional.hessian as (...a: unknown[]) => unknown)((x: ReturnType<Lib['tensor']>) => x.pow(2).sum(), f64(tg, [1, 2]), 'forward-mode'),
    expect: { throws: 'ArgumentTypeError', message: /hessian: createGraph must be a boolean, got 'forward-mode'/ },
  },
  {
    code: 'autograd.functional.hessian((x) => x.pow(2), x) // not a scalar function',
    run: (tg) => tg.autograd.functional.hessian((x) => x.pow(2), f64(tg, [1, 2])),
    expect: { throws: 'AutogradError', message: /hessian: the function must return a single-element Tensor, got shape \[2\]/ },
  },
  {
    code: 'autograd.functional.jacobian((x) => x, [1, 2, 3]) // a plain array instead of a tensor',
    run: (tg) => tg.autograd.functional.jacobian((x) => x, [1, 2, 3] as never),
    expect: { throws: 'ArgumentTypeError', message: /jacobian: inputs must be a Tensor or an array of Tensors, got \[1, 2, 3\]/ },
  },
  {
    code: 'autograd.functional.jvp(f, x, v) // v of the wrong shape',
    run: (tg) => tg.autograd.functional.jvp((x) => x.sin(), f64(tg, [1, 2]), f64(tg, [1, 2, 3])),
    expect: { throws: 'ShapeError', message: /jvp: v has shape \[3\] but the input has shape \[2\]/ },
  },
  {
    code: 'autograd.functional.jacobian((a, b) => a.mul(b), [a, b]) // several inputs: one block per input',
    run: (tg) => tg.autograd.functional.jacobian((a, b) => a.mul(b), [f64(tg, [1, 2]), f64(tg, [3, 4])]),
    expect: {
      check: (J) => {
        // ∂(a⊙b)/∂a = diag(b), ∂(a⊙b)/∂b = diag(a).
        expect(J.map((t: ReturnType<Lib['tensor']>) => t.toArray())).toEqual([[[3, 0], [0, 4]], [[1, 0], [0, 2]]]);
      },
    },
  },
  {
    code: 'autograd.functional.hvp((x) => x.pow(3).sum(), x, v)',
    run: (tg) => tg.autograd.functional.hvp((x) => x.pow(3).sum(), f64(tg, [1, 2]), f64(tg, [1, 1])),
    expect: {
      check: ([y, hv]) => {
        // f = Σx³ = 9; H = diag(6x) = diag(6, 12).
        expect(y.item()).toBe(9);
        expect(hv.toArray()).toEqual([6, 12]);
      },
    },
  },
  {
    code: 'autograd.functional.vjp(f, x, v, { strict: true }) // an input the output ignores',
    run: (tg) => tg.autograd.functional.vjp((a, _b) => a.mul(2), [f64(tg, [1]), f64(tg, [2])], f64(tg, [1]), { strict: true }),
    expect: { throws: 'AutogradError', message: /vjp: the output of the function is independent of input 1; this is not allowed in strict mode/ },
  },
  {
    code: 'y.gradFn.name // PyTorch: y.grad_fn.name() is MulBackward0',
    run: (tg) => tg.tensor([1, 2], { requiresGrad: true }).mul(2).gradFn!.name,
    expect: { check: (name) => expect(name).toBe('MulBackward') },
  },
  {
    code: 'y.gradFn.nextFunctions // PyTorch: ((AccumulateGrad, 0), (None, 0)) for x * c',
    run: (tg) => {
      const x = tg.tensor([1, 2], { requiresGrad: true });
      const fns = x.mul(tg.tensor([3, 4])).gradFn!.nextFunctions;
      return { x, fns };
    },
    expect: {
      check: ({ x, fns }) => {
        expect(fns).toHaveLength(2);
        expect(fns[0][0].name).toBe('AccumulateGrad');
        expect(fns[0][0].variable).toBe(x);
        expect(fns[1]).toEqual([null, 0]);
      },
    },
  },
  {
    code: '`${y.gradFn}` // in a template literal',
    run: (tg) => `${tg.tensor([1, 2], { requiresGrad: true }).exp().gradFn}`,
    expect: { check: (s) => expect(s).toBe('ExpBackward') },
  },
  {
    code: 'autograd.toDot(loss, { show_saved: true })',
    run: (tg) => tg.autograd.toDot(tg.tensor([1, 2], { requiresGrad: true }).sum(), { show_saved: true } as object),
    expect: { throws: 'ValueError', message: /toDot: unknown option 'show_saved'.*did you mean 'showSaved'/ },
  },
  {
    code: 'autograd.toDot(loss, { params: dict(model.named_parameters()) }) // a Python-style dict: a plain object',
    run: (tg) => {
      const lin = new tg.nn.Linear(2, 1);
      return tg.autograd.toDot(lin.call(tg.ones([1, 2])).sum(), { params: Object.fromEntries(lin.namedParameters()) });
    },
    expect: {
      check: (dot) => {
        expect(dot).toMatch(/label="weight\\n\[1, 2\]"/);
        expect(dot).toMatch(/label="bias\\n\[1\]"/);
      },
    },
  },
  {
    code: "autograd.toDot(loss, { params: 'model' })",
    run: (tg) => tg.autograd.toDot(tg.tensor([1], { requiresGrad: true }).sum(), { params: 'model' as never }),
    expect: { throws: 'ArgumentTypeError', message: /toDot: params must be a module, its namedParameters\(\), a Map or an object of tensors, got 'model'/ },
  },
  {
    code: 'autograd.toMermaid(loss.item())',
    run: (tg) => tg.autograd.toMermaid(tg.tensor([1], { requiresGrad: true }).sum().item() as never),
    expect: { throws: 'ArgumentTypeError', message: /toMermaid: expected a Tensor or a non-empty array of Tensors, got 1/ },
  },
];
