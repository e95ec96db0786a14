/**
 * Loops over float arrays compiled from one source per dtype. The optimizer updates are written
 * once, as the statements for element `i`; {@link FloatLoop} compiles them on first use into one
 * function for Float32Array operands and another for Float64Array operands. Each compiled function
 * only ever sees one array type, so its element accesses stay monomorphic (a single loop shared by
 * both dtypes runs markedly slower; docs/performance.md), without the source being written out once per dtype.
 * The same idea as `LazyKernel` in `strided.ts`, for loops whose operands are all dense and of one dtype.
 * @module
 */
import type { FloatArray } from './typed-array.js';

/** The source of a {@link FloatLoop}. @internal */
export interface FloatLoopSource {
  /** The loop's name; the compiled functions are called `<name>_float32` and `<name>_float64`. */
  name: string;
  /** The compiled function's parameters, arrays and scalars; the first is the array whose length is the trip count. */
  params: readonly string[];
  /** Statements run once per call, before the loop (per-call constants). */
  setup?: string;
  /** The statements for element `i` (the names `i` and `n` are the loop's). */
  body: string;
}

type FloatDTypeName = 'float32' | 'float64';

/**
 * Compiles `source` into the loop for one dtype. The dtype goes into the function's name and into
 * a comment, so that the two loops are distinct functions to the JIT, each with its own type feedback.
 * Strict mode, like the module code the loops replace.
 * @internal
 */
function compileFloatLoop(source: FloatLoopSource, dtype: FloatDTypeName): unknown {
  const first = source.params[0];
  if (first === undefined) throw new Error(`FloatLoop ${source.name}: the loop needs at least one array parameter`);
  const code = `'use strict'; return function ${source.name}_${dtype}(${source.params.join(', ')}) { /* ${dtype} */
    ${source.setup ?? ''}
    const n = ${first}.length;
    for (let i = 0; i < n; i++) { ${source.body} }
  };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- the optimizer loop template compiled once per dtype (monomorphic loops)
  return new Function(code)() as unknown;
}

/**
 * A loop over float arrays, compiled on first use for each dtype and cached. `F` is the compiled
 * function's signature (its parameters are those of the source, in order).
 * @example
 * ```ts
 * const axpy = new FloatLoop<(y: FloatArray, x: FloatArray, a: number) => void>({
 *   name: 'axpy', params: ['y', 'x', 'a'], body: 'y[i] = y[i] + a * x[i];',
 * });
 * axpy.for(y)(y, x, 2); // the float32 loop for a Float32Array y, the float64 loop otherwise
 * ```
 * @internal
 */
export class FloatLoop<F extends (...args: never[]) => void> {
  private float32: F | undefined;
  private float64: F | undefined;

  /** Declares the loop; nothing is compiled until {@link FloatLoop.for} first asks for a dtype. */
  constructor(readonly source: FloatLoopSource) {}

  /** The loop compiled for the dtype of `a` (a Float32Array, or else a Float64Array). */
  for(a: FloatArray): F {
    if (a instanceof Float32Array) return (this.float32 ??= compileFloatLoop(this.source, 'float32') as F);
    return (this.float64 ??= compileFloatLoop(this.source, 'float64') as F);
  }
}
