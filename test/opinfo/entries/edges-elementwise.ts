/**
 * Edge values of the elementwise ops, and their closed-form gradients: ±0, ±∞, NaN and
 * integer-valued floats for the unary functions; ties, NaN and infinities for maximum/minimum;
 * 0^0, 0^b and negative bases with integer exponents for pow. The derivatives are written from
 * calculus, with PyTorch's value where the derivative does not exist (checked with torch 1.13):
 * relu'(0) = 0 and relu'(NaN) = 1 (a select on `x <= 0`), |x|'(0) = sign(0) = 0, sign(NaN) = 0,
 * ties of maximum/minimum split the gradient in half, NaN in maximum/minimum gives both sides the
 * full gradient, d/da a^0 = 0 (also at a = 0), d/db a^b = 0 at a = 0, b ≥ 0.
 * @module
 */
import * as fc from 'fast-check';
import { broadcastShapesArb, edgeInput, type Domain, type EdgeKind } from '../arb.js';
import { broadcastIndex, broadcastShape, numel, unravel } from '../ref.js';
import type { Ref, Sample } from '../types.js';
import type { BinaryArgs, UnaryArgs } from './elementwise.js';
import { operands } from './elementwise.js';
import type { EdgeSpec } from './edges.js';

const ALL: EdgeKind[] = ['zero', 'signedZero', 'inf', 'nan', 'integer'];

function unaryEdges(domain: Domain): fc.Arbitrary<Sample<UnaryArgs>> {
  return broadcastShapesArb(1).chain(([shape]) =>
    fc.record({ inputs: fc.tuple(edgeInput(shape!, domain, ALL)), args: fc.record({ method: fc.boolean() }) }),
  );
}

/** The vjp of an elementwise unary op: g · f'(x). */
function unaryVjp(derivative: (x: number) => number) {
  return ([x]: Ref[], _args: unknown, [g]: (Ref | null)[]): (Ref | null)[] => [
    { shape: x!.shape.slice(), data: x!.data.map((v, i) => g!.data[i]! * derivative(v)) },
  ];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const WIDE: Domain = { min: -4, max: 4 };

/** Closed-form derivatives of the unary functions (in x, or in the output where that is the PyTorch formula at ±0). */
const unaryDerivatives: Record<string, [(x: number) => number, Domain]> = {
  neg: [() => -1, WIDE],
  abs: [(x) => (x > 0 ? 1 : x < 0 ? -1 : 0), WIDE],
  sign: [() => 0, WIDE],
  exp: [Math.exp, WIDE],
  log: [(x) => 1 / x, WIDE],
  log1p: [(x) => 1 / (1 + x), WIDE],
  expm1: [Math.exp, WIDE],
  sqrt: [(x) => 1 / (2 * Math.sqrt(x)), WIDE],
  // -1/2 · x^(-3/2), written as -1/2 · rsqrt(x)³ so that x = -0 gives rsqrt(-0)³ = -∞ (PyTorch: +∞ gradient).
  rsqrt: [(x) => -0.5 * (1 / Math.sqrt(x)) ** 3, WIDE],
  reciprocal: [(x) => -1 / (x * x), WIDE],
  sin: [Math.cos, WIDE],
  cos: [(x) => -Math.sin(x), WIDE],
  tanh: [(x) => 1 - Math.tanh(x) ** 2, WIDE],
  sigmoid: [(x) => sigmoid(x) * (1 - sigmoid(x)), { min: -8, max: 8 }],
  erf: [(x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x), WIDE],
  relu: [(x) => (x <= 0 ? 0 : 1), WIDE],
};

/**
 * Reduces per-element partial derivatives of a broadcasting binary op back to each operand:
 * grad_k[j] = Σ over output elements i that read operand k at j of g[i] · ∂f/∂x_k(i).
 */
function binaryVjp(inputs: Ref[], args: BinaryArgs, g: Ref, partials: (a: number, b: number) => [number, number]): (Ref | null)[] {
  const ops = operands(inputs, args.scalar).map((x) => (typeof x === 'number' ? null : x));
  const shapes = ops.map((r) => r?.shape ?? []);
  const shape = broadcastShape(...shapes);
  const grads = ops.map((r) => (r === null ? null : new Float64Array(r.data.length)));
  const value = (k: number, idx: number[]): number => {
    const r = ops[k];
    if (r === null || r === undefined) return (args.scalar as { value: number }).value;
    return r.data[broadcastIndex(idx, r.shape)]!;
  };
  for (let i = 0; i < numel(shape); i++) {
    const idx = unravel(i, shape);
    const d = partials(value(0, idx), value(1, idx));
    for (let k = 0; k < 2; k++) {
      const r = ops[k];
      if (r) grads[k]![broadcastIndex(idx, r.shape)]! += g.data[i]! * d[k]!;
    }
  }
  const out: (Ref | null)[] = [];
  ops.forEach((r, k) => {
    if (r) out.push({ shape: r.shape.slice(), data: grads[k]! });
  });
  return out;
}

function binaryEdges(kinds: EdgeKind[], da: Domain, db: Domain, numbers: fc.Arbitrary<number>): fc.Arbitrary<Sample<BinaryArgs>> {
  return fc
    .record({
      shapes: broadcastShapesArb(2),
      side: fc.constantFrom<0 | 1 | null>(null, null, null, 0, 1),
      method: fc.boolean(),
      value: numbers,
    })
    .chain(({ shapes, side, method, value }) =>
      fc.tuple(edgeInput(shapes[0]!, da, kinds), edgeInput(shapes[1]!, db, kinds)).map(([a, b]): Sample<BinaryArgs> => ({
        inputs: side === null ? [a, b] : [side === 0 ? b : a],
        args: { method: side === 0 ? false : method, scalar: side === null ? null : { side, value } },
      })),
    );
}

/** maximum/minimum: the winner takes g; ties split it; NaN on either side gives both the full g (PyTorch). */
function extremePartials(wins: (a: number, b: number) => boolean) {
  return (a: number, b: number): [number, number] => {
    if (a === b) return [0.5, 0.5];
    if (Number.isNaN(a) || Number.isNaN(b)) return [1, 1];
    return wins(a, b) ? [1, 0] : [0, 1];
  };
}

/** pow's partials with PyTorch's conventions at b = 0 and at a = 0. */
function powPartials(a: number, b: number): [number, number] {
  const da = b === 0 ? 0 : b * Math.pow(a, b - 1);
  const db = a === 0 && b >= 0 ? 0 : Math.pow(a, b) * Math.log(a);
  return [da, db];
}

/** Edge samples and closed-form gradients of the elementwise entries. @internal */
export const elementwiseEdges: Record<string, EdgeSpec> = {
  ...Object.fromEntries(
    Object.entries(unaryDerivatives).map(([name, [d, domain]]) => [
      name,
      { edgeSample: unaryEdges(domain), gradReference: unaryVjp(d) } satisfies EdgeSpec,
    ]),
  ),
  maximum: {
    edgeSample: binaryEdges(
      ['tie', 'inf', 'nan', 'integer'],
      { min: -2, max: 2 },
      { min: -2, max: 2 },
      fc.constantFrom(0, 1, -1, Infinity, NaN),
    ),
    gradReference: (inputs, args, [g]) =>
      binaryVjp(
        inputs,
        args as BinaryArgs,
        g!,
        extremePartials((a, b) => a > b),
      ),
  },
  minimum: {
    edgeSample: binaryEdges(
      ['tie', 'inf', 'nan', 'integer'],
      { min: -2, max: 2 },
      { min: -2, max: 2 },
      fc.constantFrom(0, 1, -1, -Infinity, NaN),
    ),
    gradReference: (inputs, args, [g]) =>
      binaryVjp(
        inputs,
        args as BinaryArgs,
        g!,
        extremePartials((a, b) => a < b),
      ),
  },
  pow: {
    // Bases 0, -0, integers (negative ones with integer exponents give real results), exponents
    // 0 and integers: 0^0 = 1, d/da a^0 = 0, d/db 0^b = 0 for b ≥ 0.
    edgeSample: binaryEdges(
      ['zero', 'signedZero', 'integer', 'tie'],
      { min: -2, max: 2.5 },
      { min: -2, max: 3 },
      fc.constantFrom(0, 1, 2, 3, -1, 0.5),
    ),
    gradReference: (inputs, args, [g]) => binaryVjp(inputs, args as BinaryArgs, g!, powPartials),
  },
  mul: {
    edgeSample: binaryEdges(['zero', 'signedZero', 'inf', 'nan', 'integer'], WIDE, WIDE, fc.constantFrom(0, 2, -1.5, Infinity)),
    gradReference: (inputs, args, [g]) => binaryVjp(inputs, args as BinaryArgs, g!, (a, b) => [b, a]),
  },
  div: {
    edgeSample: binaryEdges(['zero', 'signedZero', 'inf', 'nan', 'integer'], WIDE, WIDE, fc.constantFrom(0, 2, -1.5, Infinity)),
    gradReference: (inputs, args, [g]) => binaryVjp(inputs, args as BinaryArgs, g!, (a, b) => [1 / b, -a / (b * b)]),
  },
};
