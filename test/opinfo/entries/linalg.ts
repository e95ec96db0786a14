/**
 * OpInfo entries of the matrix products: matmul (1-d·1-d, matrix-vector, vector-matrix, 2-d,
 * batched with broadcast batch dims, transposed-view operands, int32), mm, bmm, dot and outer.
 * The reference is a triple loop in float64 written from PyTorch's matmul rules.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { ShapeError } from '../../../src/autograd/errors.js';
import { broadcastShapesArb, floatInput, inputOf, REAL } from '../arb.js';
import { broadcastIndex, broadcastShape, numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type ErrorInput, type InputSpec, type Ref } from '../types.js';

const err = (name: string, call: () => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({
  name,
  call,
  error,
  message,
});

/** Swaps the last two dims of a ref (the reference side of a `.mT` view). */
function mT(x: Ref): Ref {
  const nd = x.shape.length;
  const shape = x.shape.slice();
  [shape[nd - 2], shape[nd - 1]] = [shape[nd - 1]!, shape[nd - 2]!];
  const out = new Float64Array(numel(shape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    [idx[nd - 2], idx[nd - 1]] = [idx[nd - 1]!, idx[nd - 2]!];
    out[i] = x.data[idx.reduce((f, v, d) => f * x.shape[d]! + v, 0)]!;
  }
  return ref(shape, out, x.dtype);
}

/**
 * PyTorch's matmul: 1-d operands become a row (left) or a column (right) matrix, the batch dims
 * broadcast, and the added dims are removed from the result.
 * @internal
 */
export function matmulRef(a: Ref, b: Ref): Ref {
  const a2 = a.shape.length === 1 ? { ...a, shape: [1, a.shape[0]!] } : a;
  const b2 = b.shape.length === 1 ? { ...b, shape: [b.shape[0]!, 1] } : b;
  const [m, k] = a2.shape.slice(-2) as [number, number];
  const n = b2.shape[b2.shape.length - 1]!;
  const batch = broadcastShape(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const out = new Float64Array(numel(batch) * m * n);
  for (let bi = 0; bi < numel(batch); bi++) {
    const idx = unravel(bi, batch);
    const aBase = broadcastIndex(idx, a2.shape.slice(0, -2)) * m * k;
    const bBase = broadcastIndex(idx, b2.shape.slice(0, -2)) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a2.data[aBase + i * k + p]! * b2.data[bBase + p * n + j]!;
        out[bi * m * n + i * n + j] = s;
      }
    }
  }
  const shape = [...batch, m, n];
  if (a.shape.length === 1) shape.splice(shape.length - 2, 1);
  if (b.shape.length === 1) shape.splice(shape.length - 1, 1);
  return ref(shape, out, a.dtype);
}

type Kind = 'dot' | 'mv' | 'vm' | 'mm' | 'batched';
type MatmulArgs = { kind: Kind; transA: boolean; transB: boolean; method: boolean };

/** Stored operand shape: with `trans`, the last two dims are swapped so that `.mT` gives `shape`. */
const stored = (shape: number[], trans: boolean): number[] =>
  trans && shape.length >= 2 ? [...shape.slice(0, -2), shape[shape.length - 1]!, shape[shape.length - 2]!] : shape;

const size = fc.integer({ min: 0, max: 3 });
const positive = fc.integer({ min: 1, max: 3 });

/** Logical operand shapes for each kind (batch dims broadcast, up to 2 of them). */
function shapesOf(kind: Kind): fc.Arbitrary<[number[], number[]]> {
  switch (kind) {
    case 'dot':
      return size.map((k) => [[k], [k]]);
    case 'mv':
      return fc.tuple(size, size).map(([m, k]) => [[m, k], [k]]);
    case 'vm':
      return fc.tuple(size, size).map(([k, n]) => [[k], [k, n]]);
    case 'mm':
      return fc.tuple(size, size, size).map(([m, k, n]) => [
        [m, k],
        [k, n],
      ]);
    case 'batched':
      return fc
        .tuple(broadcastShapesArb(2, { minDims: 1, maxDims: 2, allowEmpty: false }), positive, positive, positive, fc.boolean())
        .map(([[ba, bb], m, k, n, oneSideVector]) =>
          oneSideVector
            ? ([[...ba!, m, k], [k]] as [number[], number[]])
            : ([
                [...ba!, m, k],
                [...bb!, k, n],
              ] as [number[], number[]]),
        )
        .filter(([a, b]) => numel(a) <= 12 && numel(b) <= 12);
  }
}

const matmulEntry = opInfo<MatmulArgs>({
  name: 'matmul',
  op: ([a, b], { transA, transB, method }) => {
    const x = transA ? a!.mT : a!;
    const y = transB ? b!.mT : b!;
    return method ? x.matmul(y) : T.matmul(x, y);
  },
  sample: fc
    .record({
      kind: fc.constantFrom<Kind>('dot', 'mv', 'vm', 'mm', 'batched', 'batched'),
      transA: fc.boolean(),
      transB: fc.boolean(),
      method: fc.boolean(),
      ints: fc.integer({ min: 0, max: 5 }).map((v) => v === 0),
    })
    .chain(({ ints, ...args }) =>
      shapesOf(args.kind).chain(([sa, sb]) => {
        const transA = args.transA && sa.length >= 2;
        const transB = args.transB && sb.length >= 2;
        const input = (shape: number[]): fc.Arbitrary<InputSpec> =>
          ints ? inputOf(shape, 'int32', { min: -3, max: 3 }) : floatInput(shape, REAL);
        return fc.record({
          inputs: fc.tuple(input(stored(sa, transA)), input(stored(sb, transB))),
          args: fc.constant({ ...args, transA, transB }),
        });
      }),
    ),
  reference: ([a, b], { transA, transB }) => matmulRef(transA ? mT(a!) : a!, transB ? mT(b!) : b!),
  differentiable: true,
  twiceDifferentiable: true,
  numRuns: 16,
  errorInputs: [
    err(
      'inner sizes that differ',
      () => T.matmul(T.zeros([2, 3]), T.zeros([4, 5])),
      ShapeError,
      /^matmul: cannot multiply \[2, 3\] by \[4, 5\]: inner sizes 3 and 4 differ/,
    ),
    err(
      'a 0-d operand',
      () => T.matmul(T.zeros([]), T.zeros([2])),
      ShapeError,
      /^matmul: both arguments need at least 1 dim, got \[\] and \[2\]/,
    ),
    err(
      'batch dims that do not broadcast',
      () => T.matmul(T.zeros([2, 1, 3]), T.zeros([3, 3, 2])),
      ShapeError,
      /^matmul: shapes \[2\] and \[3\] cannot be broadcast/,
    ),
  ],
});

function fixedRank(
  name: 'mm' | 'bmm' | 'dot' | 'outer',
  shapes: fc.Arbitrary<[number[], number[]]>,
  reference: (a: Ref, b: Ref) => Ref,
  errors: ErrorInput[],
): AnyOpInfo {
  const fn = T[name];
  return opInfo<{ method: boolean }>({
    name,
    op: ([a, b], { method }) => (method ? a![name].call(a!, b!) : fn(a!, b!)),
    sample: shapes.chain(([sa, sb]) =>
      fc.record({ inputs: fc.tuple(floatInput(sa, REAL), floatInput(sb, REAL)), args: fc.record({ method: fc.boolean() }) }),
    ),
    reference: ([a, b]) => reference(a!, b!),
    differentiable: true,
    twiceDifferentiable: true,
    errorInputs: errors,
  });
}

/** The matrix product family. @internal */
export const linalgEntries: AnyOpInfo[] = [
  matmulEntry,
  fixedRank('mm', shapesOf('mm'), matmulRef, [
    err('a 1-d operand', () => T.mm(T.zeros([2, 3]), T.zeros([3])), ShapeError, /^mm: expected two 2-d tensors, got \[2, 3\] and \[3\]/),
    err(
      'inner sizes that differ',
      () => T.mm(T.zeros([2, 3]), T.zeros([2, 3])),
      ShapeError,
      /^matmul: cannot multiply \[2, 3\] by \[2, 3\]: inner sizes 3 and 2 differ/,
    ),
  ]),
  fixedRank(
    'bmm',
    fc.tuple(fc.integer({ min: 1, max: 2 }), size, size, size).map(([bt, m, k, n]) => [
      [bt, m, k],
      [bt, k, n],
    ]),
    matmulRef,
    [
      err(
        'different batch sizes',
        () => T.bmm(T.zeros([2, 2, 3]), T.zeros([3, 3, 2])),
        ShapeError,
        /^bmm: batch sizes differ: \[2, 2, 3\] and \[3, 3, 2\]/,
      ),
      err(
        '2-d operands',
        () => T.bmm(T.zeros([2, 2]), T.zeros([2, 2])),
        ShapeError,
        /^bmm: expected two 3-d tensors, got \[2, 2\] and \[2, 2\]/,
      ),
    ],
  ),
  fixedRank('dot', shapesOf('dot'), (a, b) => ref([], [a.data.reduce((s, v, i) => s + v * b.data[i]!, 0)], a.dtype), [
    err(
      'lengths that differ',
      () => T.dot(T.zeros([3]), T.zeros([4])),
      ShapeError,
      /^dot: cannot multiply \[3\] by \[4\]: inner sizes 3 and 4 differ/,
    ),
    err('a 2-d operand', () => T.dot(T.zeros([2, 1]), T.zeros([2])), ShapeError, /^dot: expected two 1-d tensors, got \[2, 1\] and \[2\]/),
  ]),
  fixedRank(
    'outer',
    fc.tuple(size, size).map(([m, n]) => [[m], [n]]),
    (a, b) =>
      ref(
        [a.shape[0]!, b.shape[0]!],
        Array.from(
          { length: a.data.length * b.data.length },
          (_, i) => a.data[Math.floor(i / b.data.length)]! * b.data[i % b.data.length]!,
        ),
        a.dtype,
      ),
    [
      err(
        'a 2-d operand',
        () => T.outer(T.zeros([2, 1]), T.zeros([2])),
        ShapeError,
        /^outer: expected two 1-d tensors, got \[2, 1\] and \[2\]/,
      ),
    ],
  ),
];
