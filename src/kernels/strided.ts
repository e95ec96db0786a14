/**
 * Elementwise loop templates. Each op is one expression (`Math.exp(a)`, `a + b`); the template
 * compiles it once into a specialised loop with a contiguous fast path and a strided path whose
 * inner loop runs over the last dim, so there is no per-element closure call or allocation.
 * Inputs and output may be arbitrary strided views (stride 0 encodes broadcasting).
 * @module
 */
import type { TypedArray } from './typed-array.js';

/** One operand of a loop: its array, element offset and strides in output coordinates. */
export interface Operand {
  data: TypedArray;
  offset: number;
  strides: readonly number[];
}

/**
 * A compiled elementwise loop: `out[idx] = expr(in0[idx], in1[idx], ...)` over `shape`.
 * `contiguous` says that every operand is row-major contiguous with `shape` (the fast path).
 * `s` is an optional scalar parameter the expression may read (e.g. the slope of leakyRelu).
 */
type ElementwiseKernel = (shape: readonly number[], out: Operand, inputs: readonly Operand[], contiguous: boolean, s: number) => void;

const NAMES = ['a', 'b', 'c'];

/** Outputs with at least this many elements (storage length) get a loop specialised to their operands' array types. */
const SPECIALISE_FROM = 2048;

/** Functions an expression may call as `M.name(x)`, for math that `Math` lacks. */
export const mathHelpers = { erf };

/**
 * The error function, accurate to about 1e-15: a Taylor series below |x| = 2, and the
 * continued fraction of erfc above (evaluated from the tail).
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  // Stryker disable next-line EqualityOperator: at |x| = 2 the series and the continued fraction agree to the function's accuracy
  if (ax < 2) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    // Stryker disable next-line EqualityOperator: one more series term after convergence changes nothing
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: the early exit once the terms are below the rounding of the sum is a performance path (all 60 terms give the same value)
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: above 6 the continued fraction gives erfc below half an ulp of 1, so 1 − erfc is ±1 too
  if (ax > 6) return Math.sign(x);
  let t = ax;
  for (let k = 80; k >= 1; k--) t = ax + k / 2 / t;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / t;
  return Math.sign(x) * (1 - erfc);
}

/**
 * Compiles `expr` over `arity` inputs named a, b, c (and the scalar `s`) into a loop. `tag` (e.g.
 * the operands' dtypes) goes into the source as a comment, so that loops compiled for different
 * tags are distinct functions to the JIT, each with its own type feedback. With `specialise`,
 * outputs of at least 2048 elements run the loop it returns for the operands instead.
 * @example
 * ```ts
 * const add = compileElementwise(2, 'a + b');
 * ```
 */
// Stryker disable StringLiteral: the default tag is a comment in the generated code
export function compileElementwise(
  arity: number,
  expr: string,
  scalarMask = 0,
  tag = '',
  specialise: Specialiser | null = null,
): ElementwiseKernel {
  // Stryker restore StringLiteral
  const names = NAMES.slice(0, arity);
  // In the contiguous path, operands flagged in scalarMask hold one element: it is read once.
  const isScalar = (i: number): boolean => (scalarMask & (1 << i)) !== 0;
  // Stryker disable MethodExpression,StringLiteral: hoisting the non-scalar operands too only declares constants that the loop body shadows; the separator as below
  const hoist = names
    .filter((_, i) => isScalar(i))
    .map((n) => `const ${n} = ${n}D[${n}P];`)
    .join(' ');
  // Stryker restore MethodExpression,StringLiteral
  // Stryker disable next-line StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const decl = names.map((n, i) => `const ${n}D = ins[${i}].data, ${n}St = ins[${i}].strides; let ${n}P = ins[${i}].offset;`).join('\n');
  // Stryker disable StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const loadC = names
    .filter((_, i) => !isScalar(i))
    .map((n) => `const ${n} = ${n}D[${n}P + i];`)
    .join(' ');
  // Stryker restore StringLiteral
  // Stryker disable next-line StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const loadS = names.map((n) => `const ${n} = ${n}D[${n}P];`).join(' ');
  // Stryker disable next-line StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const stepInner = names.map((n) => `${n}P += ${n}L;`).join(' ');
  // Stryker disable next-line StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const innerStride = names.map((n) => `const ${n}L = ${n}St[nd - 1];`).join(' ');
  // Stryker disable next-line StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const rewind = names.map((n) => `${n}P -= ${n}L * last;`).join(' ');
  // Stryker disable next-line StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const carry = names.map((n) => `${n}P += ${n}St[d];`).join(' ');
  // Stryker disable next-line StringLiteral: a separator between generated statements that each end in ';' (the generated code is the same program)
  const undo = names.map((n) => `${n}P -= ${n}St[d] * shape[d];`).join(' ');
  const src = `
    const oD = out.data, oSt = out.strides; let oP = out.offset;
    ${decl}
    const nd = shape.length;
    let n = 1; for (let d = 0; d < nd; d++) n *= shape[d];
    if (n === 0) return;
    if (contiguous || nd === 0) {
      ${hoist}
      for (let i = 0; i < n; i++) { ${loadC} oD[oP + i] = ${expr}; }
      return;
    }
    const last = shape[nd - 1];
    const oL = oSt[nd - 1]; ${innerStride}
    const idx = new Int32Array(nd);
    for (let r = n / last; r > 0; r--) {
      for (let j = 0; j < last; j++) { ${loadS} oD[oP] = ${expr}; oP += oL; ${stepInner} }
      oP -= oL * last; ${rewind}
      for (let d = nd - 2; d >= 0; d--) {
        idx[d]++; oP += oSt[d]; ${carry}
        if (idx[d] < shape[d]) break;
        idx[d] = 0; oP -= oSt[d] * shape[d]; ${undo}
      }
    }`;
  // With a specialiser, large outputs hand over to the loop compiled for their operands' types.
  // Stryker disable next-line StringLiteral: without the hand-over the generic loop runs (the type-specialised loop is a performance path with the same code)
  const handOver = specialise ? `if (out.data.length >= ${SPECIALISE_FROM}) return SP(out, ins)(shape, out, ins, contiguous, s);` : '';
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the loop template compiled once per expression (monomorphic loops)
  const factory = new Function(
    'M',
    'SP',
    `return function elementwise(shape, out, ins, contiguous, s) { /* ${tag} */ ${handOver}${src}}`,
  ) as (m: typeof mathHelpers, sp: typeof specialise) => ElementwiseKernel;
  return factory(mathHelpers, specialise);
}

/** Returns the loop compiled for the array types of these operands. @internal */
type Specialiser = (out: Operand, ins: readonly Operand[]) => ElementwiseKernel;

/** The index of an array type in {@link LazyKernel}'s variant key (0 for anything unlisted). */
// Stryker disable next-line BlockStatement: the code only keys the cache of loops whose code differs by a comment (the tag)
function arrayCode(d: TypedArray): number {
  return d instanceof Float32Array ? 1 : d instanceof Float64Array ? 2 : d instanceof Int32Array ? 3 : d instanceof Uint8Array ? 4 : 0;
}

const CODE_NAMES = ['other', 'float32', 'float64', 'int32', 'uint8'];

/**
 * A kernel compiled on first use and cached: one per op expression and scalar-operand mask. Small
 * outputs run that loop, shared by all array types (the call dominates there); from 2048 output
 * elements on, it hands over to a loop compiled for the combination of operand array types (output
 * and inputs), so that each large loop only ever sees one typed-array type per operand
 * (monomorphic element access, measurably faster in a program that also adds float64 and int32
 * tensors; docs/performance.md).
 */
export class LazyKernel {
  private readonly variants: (ElementwiseKernel | undefined)[] = [];
  /** Declares an elementwise kernel over `arity` inputs computing `expr`. */
  constructor(
    readonly arity: number,
    readonly expr: string,
  ) {}
  /** The compiled loop. */
  get run(): ElementwiseKernel {
    return this.variant(0);
  }
  /** The loop whose contiguous path reads the operands in `scalarMask` (bit i: input i) once. */
  variant(scalarMask: number): ElementwiseKernel {
    // Stryker disable next-line StringLiteral: the tag is a comment in the generated code
    return (this.variants[scalarMask] ??= compileElementwise(this.arity, this.expr, scalarMask, '', this.specialiser(scalarMask)));
  }

  /** Picks, compiling on first use, the loop for the operands' array types. */
  // Stryker disable next-line BlockStatement: returning undefined makes compileElementwise take its default (no specialiser): the generic loop, the same code
  private specialiser(scalarMask: number): Specialiser {
    const { arity, expr } = this;
    // Stryker disable next-line ArrayDeclaration,ArithmeticOperator: a shorter cache array grows on assignment
    const loops = new Array<ElementwiseKernel | undefined>(CODE_NAMES.length ** (arity + 1)).fill(undefined);
    return (out, ins) => {
      let key = arrayCode(out.data);
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a wrong key only shares or recompiles loops whose code differs by a comment (the tag)
      for (let i = 0; i < arity; i++) key = key * CODE_NAMES.length + arrayCode(ins[i]!.data);
      let loop = loops[key];
      // Stryker disable next-line ConditionalExpression: → true recompiles the same loop
      if (loop === undefined) {
        let tag = CODE_NAMES[arrayCode(out.data)]!;
        // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the tag is a comment in the generated code
        for (let i = 0; i < arity; i++) tag += ` ${CODE_NAMES[arrayCode(ins[i]!.data)]!}`;
        loop = loops[key] = compileElementwise(arity, expr, scalarMask, tag);
      }
      return loop;
    };
  }
}
