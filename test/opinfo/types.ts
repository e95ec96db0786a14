/**
 * The OpInfo database's types: one {@link OpInfo} per op (primitive or composite) says how to call
 * the op, which inputs to try (fast-check arbitraries of plain data, materialised by the harness as
 * float64, float32 or strided tensors), an independent float64 reference, and what can be
 * differentiated. The generic tests in test/autograd/opinfo-*.test.ts run every check on every entry.
 * @module
 */
import type * as fc from 'fast-check';
import type { DType } from '../../src/autograd/dtype.js';
import type { GradcheckOptions } from '../../src/autograd/gradcheck.js';
import type { Tensor } from '../../src/autograd/tensor.js';

/**
 * A reference value: a shape and row-major float64 data. `dtype`, when set, is the dtype the op's
 * output must have for float64 inputs ('float' inputs materialised as float64).
 * @internal
 */
export interface Ref {
  shape: number[];
  data: Float64Array;
  dtype?: DType;
}

/**
 * A tensor input as plain data. `dtype: 'float'` is the entry's working float dtype: float64 in the
 * forward/gradient checks and float32 in the float32 check. Other dtypes are used as given.
 * `requiresGrad: false` keeps a float input out of the gradient checks for this sample.
 * @internal
 */
export interface InputSpec {
  shape: number[];
  data: number[];
  dtype: 'float' | DType;
  requiresGrad?: boolean;
}

/**
 * One sample: tensor inputs and the non-tensor arguments (JS-number operands, options).
 * @internal
 */
export interface Sample<A = unknown> {
  inputs: InputSpec[];
  args: A;
}

/** Absolute and relative tolerance of `|actual - expected| <= atol + rtol * |expected|`. @internal */
export interface Tol {
  atol: number;
  rtol: number;
}

/**
 * A call that must throw `error` with a message matching `message`.
 * @internal
 */
export interface ErrorInput {
  /** What the case is about, shown in the test name. */
  name: string;
  call: () => unknown;

  error: new (...args: any[]) => Error;
  message: RegExp;
}

/**
 * One op in the database.
 * @internal
 */
export interface OpInfo<A = unknown> {
  /** Unique name: the function name (`add`), or `Tensor.<method>` for methods without a function form. */
  name: string;
  /** Calls the op on materialised inputs. */
  op: (inputs: Tensor[], args: A) => Tensor | Tensor[];
  /** Samples: small shapes (≤ ~3×4), broadcasting pairs, 0-d, size-1 and empty dims, values in the op's domain. */
  sample: fc.Arbitrary<Sample<A>>;
  /**
   * Independent float64 implementation (plain loops). Null only for random ops, which give
   * `check` instead.
   */
  reference: ((inputs: Ref[], args: A) => Ref | Ref[]) | null;
  /** For ops without a reference (random fills): a property of the output that must hold. */
  check?: (out: Tensor, inputs: Tensor[], args: A) => void;
  /** Which inputs are differentiable (per input index, or all/none). Int and bool inputs never are. */
  differentiable: boolean | boolean[];
  /** Whether gradgradcheck applies. */
  twiceDifferentiable: boolean;
  /**
   * The in-place variant, called with `inputs[0]` replaced by a fresh non-leaf copy; it must return
   * that same tensor, holding what `op` returns; null when the sample has no in-place form
   * (e.g. a JS number as the first operand).
   */
  inplace?: (inputs: Tensor[], args: A) => Tensor | null;
  /** Bad calls and the typed error each must raise. */
  errorInputs?: ErrorInput[];
  /** Forward tolerance in float64 (default atol 1e-12, rtol 1e-10). */
  forwardTol?: Tol;
  /** float32 vs float64 tolerance (default atol 1e-5, rtol 1e-4). */
  float32Tol?: Tol;
  /** gradcheck/gradgradcheck options. */
  gradcheck?: GradcheckOptions;
  /** fast-check runs per property (default 8). */
  numRuns?: number;
  /**
   * Samples at edge values where the op still defines a result: ties (repeated values), exact
   * zeros, ±0, ±inf, NaN, integer-valued floats, 0^0. Not differentiable in the classical sense,
   * so no gradcheck: they run the forward check against `reference` (which must follow PyTorch at
   * these values), strided, createGraph and mixed-input checks, and `gradReference` when given.
   */
  edgeSample?: fc.Arbitrary<Sample<A>>;
  /**
   * Independent float64 vector-Jacobian product: each input's gradient (null where none) given the
   * gradient of each output (`gradOutputs[k]` for output k; null for outputs without a gradient).
   * At edge values it follows PyTorch's convention (subgradients, ties split evenly, 0 for d/db 0^b
   * at b ≥ 0). Checked on the edge samples and on the ordinary samples.
   */
  gradReference?: (inputs: Ref[], args: A, gradOutputs: (Ref | null)[]) => (Ref | null)[];
}

/** Any entry, with its argument type erased. @internal */

export type AnyOpInfo = OpInfo<any>;

/** Declares an entry with its argument type checked, then erases it for the table. @internal */
export function opInfo<A>(info: OpInfo<A>): AnyOpInfo {
  return info;
}
