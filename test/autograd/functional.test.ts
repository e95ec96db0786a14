/**
 * autograd.functional in the OpInfo style: a table of functions (one or several inputs, one or
 * several outputs), each checked on random shapes and values (seeded fast-check, float64) against
 * finite differences of its values; then closed forms (the Jacobian of a linear map is its matrix,
 * the Hessian of xᵀAx is A + Aᵀ, jvp is J v) and PyTorch's result structure.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { autograd, type Tensor } from '../../src/index.js';
import {
  RUNS,
  evaluate,
  expectValues,
  f64,
  matVec,
  numericHessian,
  numericJacobian,
  smallShape,
  valuesOf,
  vecMat,
  type Fn,
} from './functional-helpers.js';

const F = autograd.functional;

/** One function of the table: how many inputs, and whether it returns one single-element tensor. */
interface FunctionalInfo {
  name: string;
  inputs: number;
  fn: Fn;
  scalar?: boolean;
}

const TABLE: FunctionalInfo[] = [
  { name: 'x·sin(x)', inputs: 1, fn: (x) => x.sin().mul(x) },
  { name: 'exp(a·Σb)', inputs: 2, fn: (a, b) => a.mul(b.sum()).exp() },
  { name: '[a² + Σb, tanh b]', inputs: 2, fn: (a, b) => [a.mul(a).add(b.sum()), b.tanh()] },
  { name: '(Σx)² + Σx⁴', inputs: 1, fn: (x) => x.sum().pow(2).add(x.pow(4).sum()), scalar: true },
  { name: 'Σeᵃ · Σb² + Σab-free', inputs: 2, fn: (a, b) => a.exp().sum().mul(b.pow(2).sum()).add(b.sin().sum()), scalar: true },
];

/** Random inputs for an entry: shapes, values, and a random vector per input. */
function sample(n: number): fc.Arbitrary<{ shapes: number[][]; flats: number[][]; vs: number[][] }> {
  return fc.array(smallShape, { minLength: n, maxLength: n }).chain((shapes) =>
    fc.record({
      shapes: fc.constant(shapes),
      flats: fc.tuple(...shapes.map(valuesOf)),
      vs: fc.tuple(...shapes.map(valuesOf)),
    }),
  );
}

/** The inputs as the functional API takes them: one tensor, or an array for several. */
function asInputs(info: FunctionalInfo, flats: number[][], shapes: number[][]): Tensor | Tensor[] {
  const ts = flats.map((f, i) => f64(f, shapes[i]!));
  return info.inputs === 1 ? ts[0]! : ts;
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

describe.each(TABLE)('autograd.functional on $name', (info) => {
  it('jacobian (reverse and forward mode) matches finite differences with shape O ++ I', () => {
    fc.assert(
      fc.property(sample(info.inputs), ({ shapes, flats }) => {
        const outShapes = evaluate(info.fn, flats, shapes).length;
        const want = numericJacobian(info.fn, flats, shapes);
        const outs = list(info.fn(...flats.map((f, i) => f64(f, shapes[i]!))));
        for (const strategy of ['reverse-mode', 'forward-mode'] as const) {
          const J = F.jacobian(info.fn, asInputs(info, flats, shapes), { strategy }) as unknown;
          const blocks: Tensor[][] =
            outShapes > 1 || Array.isArray(info.fn(...flats.map((f, i) => f64(f, shapes[i]!))))
              ? info.inputs > 1
                ? (J as Tensor[][])
                : (J as Tensor[]).map((t) => [t])
              : info.inputs > 1
                ? [J as Tensor[]]
                : [[J as Tensor]];
          blocks.forEach((row, k) =>
            row.forEach((block, i) => {
              expect(block.requiresGrad).toBe(false);
              expectValues(block, [...outs[k]!.shape, ...shapes[i]!], want[k]![i]!.flat(), 1e-6, 1e-5);
            }),
          );
        }
      }),
      RUNS,
    );
  });

  it('vjp is vᵀJ and jvp is J v, against finite differences', () => {
    fc.assert(
      fc.property(sample(info.inputs), fc.integer({ min: 1, max: 1000 }), ({ shapes, flats, vs }, seed) => {
        const J = numericJacobian(info.fn, flats, shapes);
        const outs = list(info.fn(...flats.map((f, i) => f64(f, shapes[i]!))));
        // A cotangent per output, deterministic from the seed.
        const us = outs.map((o, k) => Array.from({ length: o.numel() }, (_v, e) => Math.sin(seed + 3 * k + 1.3 * e)));
        const uTensors = outs.map((o, k) => f64(us[k]!, o.shape.slice()));
        const [, g] = F.vjp(
          info.fn,
          asInputs(info, flats, shapes),
          outs.length > 1 || Array.isArray(info.fn(...flats.map((f, i) => f64(f, shapes[i]!)))) ? uTensors : uTensors[0]!,
        );
        list(g).forEach((gi, i) => {
          const want = J.reduce((acc, Jk, k) => vecMat(us[k]!, Jk[i]!).map((x, c) => x + (acc[c] ?? 0)), [] as number[]);
          expectValues(gi, shapes[i]!, want.length ? want : new Array(gi.numel()).fill(0));
        });
        const vTensors = vs.map((v, i) => f64(v, shapes[i]!));
        const [, d] = F.jvp(info.fn, asInputs(info, flats, shapes), info.inputs === 1 ? vTensors[0]! : vTensors);
        list(d).forEach((dk, k) => {
          const want = J[k]!.reduce((acc, Jki, i) => matVec(Jki, vs[i]!).map((x, r) => x + (acc[r] ?? 0)), [] as number[]);
          expectValues(dk, outs[k]!.shape.slice(), want);
        });
      }),
      RUNS,
    );
  });

  if (info.scalar) {
    it('hessian, hvp and vhp match mixed finite differences', () => {
      fc.assert(
        fc.property(sample(info.inputs), ({ shapes, flats, vs }) => {
          const H = numericHessian(info.fn, flats, shapes);
          for (const outerJacobianStrategy of ['reverse-mode', 'forward-mode'] as const) {
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the overload's return type is a union; the test names the one it expects
            const got = F.hessian(info.fn as (...x: Tensor[]) => Tensor, asInputs(info, flats, shapes), { outerJacobianStrategy }) as
              Tensor | Tensor[][];
            const blocks = info.inputs === 1 ? [[got as Tensor]] : (got as Tensor[][]);
            blocks.forEach((row, i) =>
              row.forEach((b, j) => expectValues(b, [...shapes[i]!, ...shapes[j]!], H[i]![j]!.flat(), 1e-4, 1e-4)),
            );
          }
          const vTensors = vs.map((v, i) => f64(v, shapes[i]!));
          const v = info.inputs === 1 ? vTensors[0]! : vTensors;
          const [, hv] = F.hvp(info.fn as (...x: Tensor[]) => Tensor, asInputs(info, flats, shapes), v);
          const [, vh] = F.vhp(info.fn as (...x: Tensor[]) => Tensor, asInputs(info, flats, shapes), v);
          shapes.forEach((s, i) => {
            // (H v)_i = Σ_j H[i][j] v_j ; (vᵀH)_i = Σ_j v_jᵀ H[j][i]
            const want = H[i]!.reduce((acc, Hij, j) => matVec(Hij, vs[j]!).map((x, r) => x + (acc[r] ?? 0)), [] as number[]);
            const wantT = H.reduce((acc, Hj, j) => vecMat(vs[j]!, Hj[i]!).map((x, c) => x + (acc[c] ?? 0)), [] as number[]);
            expectValues(list(hv)[i]!, s, want, 1e-4, 1e-4);
            expectValues(list(vh)[i]!, s, wantT, 1e-4, 1e-4);
          });
        }),
        { ...RUNS, numRuns: 4 },
      );
    });
  }
});

describe('autograd.functional closed forms', () => {
  const matrix = fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
    .chain(([m, n]) => fc.record({ m: fc.constant(m), n: fc.constant(n), a: valuesOf([m, n]), x: valuesOf([n]) }));

  it('the Jacobian of x ↦ A x + b is A, in both modes', () => {
    fc.assert(
      fc.property(matrix, ({ m, n, a, x }) => {
        const A = f64(a, [m, n]);
        const b = f64(new Array(m).fill(0.5), [m]);
        for (const strategy of ['reverse-mode', 'forward-mode'] as const) {
          expectValues(
            F.jacobian((t) => A.matmul(t).add(b), f64(x, [n]), { strategy }),
            [m, n],
            a,
            1e-12,
            0,
          );
        }
      }),
      RUNS,
    );
  });

  it('the Hessian of xᵀAx is A + Aᵀ', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => fc.record({ n: fc.constant(n), a: valuesOf([n, n]), x: valuesOf([n]) })),
        ({ n, a, x }) => {
          const A = f64(a, [n, n]);
          const sym = a.map((v, k) => v + a[(k % n) * n + Math.floor(k / n)]!);
          expectValues(
            F.hessian((t) => t.dot(A.matmul(t)), f64(x, [n])),
            [n, n],
            sym,
            1e-12,
            1e-12,
          );
        },
      ),
      RUNS,
    );
  });

  it('jvp of sin is cos(x)·v, vjp is the same for a diagonal Jacobian', () => {
    const x = [0.3, -1.2, 2];
    const v = [1, 0.5, -2];
    const [y, d] = F.jvp((t) => t.sin(), f64(x, [3]), f64(v, [3]));
    expectValues(y, [3], x.map(Math.sin), 1e-15);
    expectValues(
      d,
      [3],
      x.map((xi, i) => Math.cos(xi) * v[i]!),
      1e-14,
    );
    const [, g] = F.vjp((t) => t.sin(), f64(x, [3]), f64(v, [3]));
    expectValues(
      g,
      [3],
      x.map((xi, i) => Math.cos(xi) * v[i]!),
      1e-14,
    );
  });

  it('nests results like PyTorch: [output][input] for several of each', () => {
    const a = [1, 2];
    const b = [3, -4];
    // f(a, b) = [a ⊙ b, Σa]: ∂(a⊙b)/∂a = diag(b), ∂(a⊙b)/∂b = diag(a), ∂Σa/∂a = 1, ∂Σa/∂b = 0.
    const J = F.jacobian((p, q) => [p.mul(q), p.sum()], [f64(a, [2]), f64(b, [2])]);
    expectValues(J[0]![0]!, [2, 2], [3, 0, 0, -4]);
    expectValues(J[0]![1]!, [2, 2], [1, 0, 0, 2]);
    expectValues(J[1]![0]!, [2], [1, 1]);
    expectValues(J[1]![1]!, [2], [0, 0]);
    const perInput = F.jacobian((p, q) => p.mul(q), [f64(a, [2]), f64(b, [2])]);
    expect(perInput.map((t) => t.shape)).toEqual([
      [2, 2],
      [2, 2],
    ]);
    const perOutput = F.jacobian((p) => [p.sum(), p.mul(2)], f64(a, [2]));
    expect(perOutput.map((t) => t.shape)).toEqual([[2], [2, 2]]);
    const H = F.hessian((p, q) => p.mul(q).sum(), [f64(a, [2]), f64(b, [2])]);
    // ∂²(Σ pᵢqᵢ)/∂p∂q = I; the pure blocks are 0.
    expectValues(H[0]![1]!, [2, 2], [1, 0, 0, 1]);
    expectValues(H[0]![0]!, [2, 2], [0, 0, 0, 0]);
    const scalarOut = F.jacobian(
      (p) => p.pow(2).sum(),
      f64(
        [
          [1, 2],
          [3, 4],
        ].flat(),
        [2, 2],
      ),
    );
    expectValues(scalarOut, [2, 2], [2, 4, 6, 8]);
  });
});

describe('autograd.functional options and argument checks', () => {
  const x = (): Tensor => f64([1, 2, 3], [3]);

  it("createGraph keeps results differentiable with respect to the caller's inputs", () => {
    const t = x().requiresGrad_();
    const J = F.jacobian((u) => u.pow(3), t, { createGraph: true }); // diag(3u²)
    expect(J.requiresGrad).toBe(true);
    const [g] = autograd.grad(J.sum(), t); // d/du Σ 3u² = 6u
    expectValues(g!, [3], [6, 12, 18]);
    const [, gv] = F.vjp((u) => u.pow(2).sum(), t, undefined, true); // PyTorch positional createGraph
    expect(gv.requiresGrad).toBe(true);
    const plain = F.jacobian((u) => u.pow(3), t);
    expect(plain.requiresGrad).toBe(false);
    expect(t.grad).toBeNull();
  });

  it('strict turns an unused input into an AutogradError; otherwise its block is zeros', () => {
    const f = (p: Tensor, q: Tensor): Tensor => p.mul(2);
    const J = F.jacobian(f, [x(), x()]);
    expectValues(J[1]!, [3, 3], new Array(9).fill(0));
    expect(() => F.jacobian(f, [x(), x()], { strict: true })).toThrow(/output 0 of the function is independent of input 1/);
    expect(() => F.vjp(f, [x(), x()], x(), { strict: true })).toThrow(/independent of input 1/);
    // A linear function: its Hessian is zero, and in strict mode an error.
    expectValues(
      F.hessian((u) => u.sum(), x()),
      [3, 3],
      new Array(9).fill(0),
    );
    expect(() => F.hessian((u) => u.sum(), x(), { strict: true })).toThrow(/strict/);
  });

  it('v may be left out only for a single one-element output (vjp) or input (jvp)', () => {
    const [, g] = F.vjp((u) => u.pow(2).sum(), x());
    expectValues(g, [3], [2, 4, 6]);
    expect(() => F.vjp((u) => u.pow(2), x())).toThrow(/v can only be omitted/);
    const [, d] = F.jvp((u) => u.pow(2).mul(3), f64([2], []));
    expectValues(d, [], [12]);
    expect(() => F.jvp((u) => u, x())).toThrow(/v can only be omitted/);
  });

  it('rejects wrong arguments with typed errors naming the function', () => {
    const err = (f: () => unknown): Error => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('did not throw');
    };
    let e = err(() => F.jacobian((u) => u, x(), { vectorize: true, chunkSize: 0 }));
    expect(e.name).toBe('ValueError');
    e = err(() => F.jacobian((u) => u, x(), { strategy: 'sideways' as 'forward-mode' }));
    expect(e.name).toBe('ValueError');
    e = err(() => F.hessian((u) => u.sum(), x(), { create_graph: true } as object));
    expect([e.name, e.message]).toEqual(['ValueError', expect.stringContaining("did you mean 'createGraph'")]);
    e = err(() => F.vjp(42 as unknown as Fn, x()));
    expect([e.name, e.message]).toEqual(['ArgumentTypeError', expect.stringContaining('autograd.functional.vjp')]);
    e = err(() => F.jvp((u) => u, [1, 2] as unknown as Tensor, x()));
    expect(e.name).toBe('ArgumentTypeError');
    e = err(() => F.vjp((u) => u.mul(2), x(), f64([1, 2], [2])));
    expect([e.name, e.message]).toEqual(['ShapeError', expect.stringContaining('[2]')]);
    e = err(() => F.hvp((u) => u.mul(2), x(), x()));
    expect([e.name, e.message]).toEqual(['AutogradError', expect.stringContaining('single-element')]);
    e = err(() => F.jacobian((u) => u, f64([1, 2], [2]).int()));
    expect(e.name).toBe('DTypeError');
    e = err(() => (F.jacobian as (...args: unknown[]) => unknown)((u: Tensor) => u, x(), true, false, false, 'reverse-mode', 1));
    expect(e.name).toBe('ArgumentTypeError');
  });
});
