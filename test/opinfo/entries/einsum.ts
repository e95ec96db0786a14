/**
 * OpInfo entry of einsum: contractions, batched products, outer products, traces, diagonals,
 * permutations, full sums, '...' broadcasting, implicit output and three operands. The reference
 * loops over every assignment of the labels and adds each product into the output.
 * @module
 */
import * as fc from 'fast-check';
import * as T from '../../../src/index.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../../src/autograd/errors.js';
import { floatInput, REAL } from '../arb.js';
import { numel, ref, unravel } from '../ref.js';
import { opInfo, type AnyOpInfo, type ErrorInput, type Ref } from '../types.js';

/** An equation and, per operand, its shape written with label names ('.' dims are given as sizes). */
interface Case {
  equation: string;
  shapes: (labels: Record<string, number>) => number[][];
}

const CASES: Case[] = [
  {
    equation: 'ij,jk->ik',
    shapes: (s) => [
      [s.i!, s.j!],
      [s.j!, s.k!],
    ],
  },
  {
    equation: 'ij,jk',
    shapes: (s) => [
      [s.i!, s.j!],
      [s.j!, s.k!],
    ],
  },
  {
    equation: 'bij,bjk->bik',
    shapes: (s) => [
      [s.b!, s.i!, s.j!],
      [s.b!, s.j!, s.k!],
    ],
  },
  { equation: 'i,j->ij', shapes: (s) => [[s.i!], [s.j!]] },
  { equation: 'i,i->', shapes: (s) => [[s.i!], [s.i!]] },
  { equation: 'ij,j->i', shapes: (s) => [[s.i!, s.j!], [s.j!]] },
  {
    equation: 'ij,ij->ij',
    shapes: (s) => [
      [s.i!, s.j!],
      [s.i!, s.j!],
    ],
  },
  { equation: 'ii->', shapes: (s) => [[s.i!, s.i!]] },
  { equation: 'ii->i', shapes: (s) => [[s.i!, s.i!]] },
  { equation: 'iji->j', shapes: (s) => [[s.i!, s.j!, s.i!]] },
  { equation: 'ijk->kji', shapes: (s) => [[s.i!, s.j!, s.k!]] },
  { equation: 'ij->', shapes: (s) => [[s.i!, s.j!]] },
  { equation: 'ba', shapes: (s) => [[s.i!, s.j!]] },
  { equation: 'ij->j', shapes: (s) => [[s.i!, s.j!]] },
  {
    equation: '...ij,...jk->...ik',
    shapes: (s) => [
      [s.b!, 1, s.i!, s.j!],
      [s.k!, s.j!, s.i!],
    ],
  },
  { equation: '...j,j', shapes: (s) => [[s.b!, s.i!, s.j!], [s.j!]] },
  {
    equation: 'bhqd,bhkd->bhqk',
    shapes: (s) => [
      [1, s.b!, s.i!, s.j!],
      [1, s.b!, s.k!, s.j!],
    ],
  },
  {
    equation: 'ij,jk,kl->il',
    shapes: (s) => [
      [s.i!, s.j!],
      [s.j!, s.k!],
      [s.k!, 2],
    ],
  },
];

interface EinsumArgs {
  equation: string;
  list: boolean;
}

/** Labels per operand with '...' expanded (right-aligned names '0', '1', ...), and the output labels. */
function labelsOf(equation: string, shapes: number[][]): { ins: string[][]; out: string[] } {
  const [lhs, rhs] = equation.split('->');
  const terms = lhs!.split(',');
  const dotsWidth = Math.max(0, ...terms.map((t, i) => (t.includes('...') ? shapes[i]!.length - (t.length - 3) : 0)));
  const dots = (w: number): string[] => Array.from({ length: w }, (_, k) => String(dotsWidth - w + k));
  const ins = terms.map((t, i) => {
    if (!t.includes('...')) return [...t];
    const [a, b] = t.split('...');
    return [...a!, ...dots(shapes[i]!.length - a!.length - b!.length), ...b!];
  });
  let out: string[];
  if (rhs === undefined) {
    const letters = terms.join('').replace('...', '');
    out = [...dots(dotsWidth), ...[...new Set(letters)].filter((l) => letters.split(l).length === 2).sort()];
  } else out = rhs.includes('...') ? [...rhs.split('...')[0]!, ...dots(dotsWidth), ...rhs.split('...')[1]!] : [...rhs];
  return { ins, out };
}

function einsumRef(inputs: Ref[], { equation }: EinsumArgs): Ref {
  const { ins, out } = labelsOf(
    equation,
    inputs.map((r) => r.shape),
  );
  const size = new Map<string, number>();
  ins.forEach((ls, i) =>
    ls.forEach((l, d) => {
      const s = inputs[i]!.shape[d]!;
      if (size.get(l) === undefined || size.get(l) === 1) size.set(l, s); // 1 broadcasts; 0 stays 0
    }),
  );
  const all = [...size.keys()];
  const allShape = all.map((l) => size.get(l)!);
  const outShape = out.map((l) => size.get(l)!);
  const result = new Float64Array(numel(outShape));
  for (let k = 0; k < numel(allShape); k++) {
    const idx = unravel(k, allShape);
    const at = (l: string): number => idx[all.indexOf(l)]!;
    let p = 1;
    inputs.forEach((r, i) => {
      const flat = ins[i]!.reduce((f, l, d) => f * r.shape[d]! + (r.shape[d] === 1 ? 0 : at(l)), 0);
      p *= r.data[flat]!;
    });
    result[out.reduce((f, l, d) => f * outShape[d]! + at(l), 0)]! += p;
  }
  return ref(outShape, result, inputs[0]!.dtype);
}

const err = (name: string, call: () => unknown, error: ErrorInput['error'], message: RegExp): ErrorInput => ({
  name,
  call,
  error,
  message,
});

const einsumEntry = opInfo<EinsumArgs>({
  name: 'einsum',
  op: (inputs, { equation, list }) => (list ? T.einsum(equation, inputs) : T.einsum(equation, ...inputs)),
  sample: fc
    .record({
      c: fc.constantFrom(...CASES),
      sizes: fc.record({
        i: fc.integer({ min: 1, max: 3 }),
        j: fc.integer({ min: 0, max: 3 }),
        k: fc.integer({ min: 1, max: 2 }),
        b: fc.integer({ min: 1, max: 2 }),
      }),
      list: fc.boolean(),
    })
    .chain(({ c, sizes, list }) =>
      fc.record({
        inputs: fc.tuple(...c.shapes(sizes).map((s) => floatInput(s, REAL))),
        args: fc.constant({ equation: c.equation, list }),
      }),
    ),
  reference: einsumRef,
  differentiable: true,
  twiceDifferentiable: true,
  errorInputs: [
    err(
      'too few operands',
      () => T.einsum('ij,jk->ik', T.zeros([2, 2])),
      ValueError,
      /^einsum: 'ij,jk->ik' has 2 operand term\(s\) but 1 operand\(s\) were given/,
    ),
    err(
      'a term that does not fit the shape',
      () => T.einsum('ijk->i', T.zeros([2, 2])),
      ShapeError,
      /^einsum: the term 'ijk' names 3 dims but operand 0 has shape \[2, 2\]/,
    ),
    err(
      'mismatched sizes',
      () => T.einsum('ij,jk->ik', T.zeros([2, 3]), T.zeros([4, 2])),
      ShapeError,
      /^einsum: the label j has sizes 3 and 4/,
    ),
    err(
      'an unknown output label',
      () => T.einsum('ij->k', T.zeros([2, 2])),
      ValueError,
      /^einsum: the output label k .* appears in no operand/,
    ),
    err('a digit in a term', () => T.einsum('i1->i', T.zeros([2, 2])), ValueError, /^einsum: the term 'i1' .* may only hold letters/),
    err('a non-tensor operand', () => T.einsum('i->i', [1, 2] as never), ArgumentTypeError, /^einsum: operand 0 must be a Tensor/),
  ],
});

/** The einsum family. @internal */
export const einsumEntries: AnyOpInfo[] = [einsumEntry];
