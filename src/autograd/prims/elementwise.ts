/**
 * Elementwise primitives: one loop expression each for the forward, and a backward rule in Tensor ops.
 * @module
 */
import { binaryEntry, STREAM_MIN_BINARY, unaryEntry, type UnaryF32 } from '../../kernels/runtime/index.js';
import { LazyKernel, mathHelpers, type Operand } from '../../kernels/strided.js';
import { resultType, toFloat, type DType } from '../dtype.js';
import { isGradEnabled } from '../grad-mode.js';
import { rule, type Backward, type BackwardContext, type CheckedRule, type RuleTable, type SaveList } from '../rule.js';
import { broadcastShapes, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import * as E from '../ops/elementwise.js';
import { sumTo } from '../ops/reduce.js';
import { broadcastOperand, empty, operand } from './common.js';

/** Attributes of the elementwise primitives (all null but cast). @internal */
// prettier-ignore
export interface ElementwiseAttrs {
  neg: null; abs: null; sign: null; relu: null;
  exp: null; log: null; log1p: null; expm1: null; sqrt: null; rsqrt: null; reciprocal: null;
  sin: null; cos: null; tanh: null; sigmoid: null; erf: null;
  add: null; sub: null; mul: null; div: null; pow: null; maximum: null; minimum: null;
  eq: null; ne: null; lt: null; le: null; gt: null; ge: null;
  isnan: null; isfinite: null; logicalNot: null;
  where: null;
  cast: { dtype: DType };
};

type OutDType = 'same' | 'float' | 'bool';

function outDType(kind: OutDType, dtype: DType): DType {
  return kind === 'same' ? dtype : kind === 'float' ? toFloat(dtype) : 'bool';
}

/** Runs a unary loop into a fresh contiguous output. @internal */
function mapUnary(kernel: LazyKernel, x: Tensor, dtype: DType, scalar = 0): Tensor {
  const out = empty(x.shape, dtype);
  kernel.run(x.shape, operand(out), single(x), x._contiguous, scalar);
  return out;
}

// Kernels read their operand list synchronously and never call back into ops, so one list per
// arity is reused instead of allocating an array per op.
const scratch: Operand[][] = [[], [], [], []];

function single(t: Tensor): Operand[] {
  const list = scratch[1]!;
  list[0] = operand(t);
  return list;
}

/** A kernel's expression as a plain function of one element per input. */
type ScalarFn = (a: number, b: number, c: number, s: number) => number;

const scalarFns = new WeakMap<LazyKernel, ScalarFn>();

/** The expression of `kernel` as a function of single elements, compiled on first use. */
function scalarFn(kernel: LazyKernel): ScalarFn {
  let fn = scalarFns.get(kernel);
  // Stryker disable next-line ConditionalExpression: true recompiles the same expression on every call (same function, same values); false fails on every call
  if (fn === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call -- the loop expression compiled once per primitive (as LazyKernel)
    fn = new Function('M', `return function scalar(a, b, c, s) { return ${kernel.expr}; }`)(mathHelpers) as ScalarFn;
    scalarFns.set(kernel, fn);
  }
  return fn;
}

/**
 * Runs a broadcasting loop over several inputs into a fresh contiguous output. The common cases
 * take the contiguous path: equal shapes, or one-element operands (a JS number, a 0-d tensor)
 * next to contiguous ones, which the kernel reads once.
 * @internal
 */
function mapBroadcast(kernel: LazyKernel, inputs: readonly Tensor[], dtype: DType, op: string): Tensor {
  // Stryker disable next-line ConditionalExpression,BlockStatement: two implementations of one result: two one-element operands then take the loop below, which computes the same element into the same shape (the widest operand, the first of equal ranks)
  if (inputs.length === 2) {
    // Two one-element operands (a tape of scalars, the backward of one): the element is computed
    // directly, as the loop would (same expression, same store), without the loop's call and operands.
    const a = inputs[0]!;
    const b = inputs[1]!;
    // Stryker disable next-line ConditionalExpression,BlockStatement: two implementations of one result: false or an empty block sends two one-element operands to the loop below, which computes the same element into the same shape (the widest operand)
    if (a._numel === 1 && b._numel === 1) {
      // Stryker disable next-line EqualityOperator: a > b differs only at equal ranks, where two one-element operands have equal shapes (all ones)
      const out = empty(a.ndim >= b.ndim ? a.shape : b.shape, dtype);
      out._storage.data[0] = scalarFn(kernel)(a._storage.data[a._offset]!, b._storage.data[b._offset]!, 0, 0);
      return out;
    }
  }
  let full: Tensor | null = null;
  let scalarMask = 0;
  // Stryker disable next-line BooleanLiteral: two implementations of one result: false sends every call to the general strided loop, which broadcasts by itself (same values)
  let fast = true;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: false (or inputs.length <= 1) treats a one-element operand as a full one: it fails the shape check, fast = false, and the general loop broadcasts it (same values); unreachable: inputs.length >= 1 and true, as every caller passes two or three inputs
    if (t.numel() === 1 && inputs.length > 1) {
      scalarMask |= 1 << i;
    } else if (full === null) {
      full = t;
      // Stryker disable next-line ConditionalExpression: false only sends the call to the general strided loop (same values); true is killed (strided operands)
      fast = fast && t._contiguous;
    } else {
      // Stryker disable next-line ConditionalExpression: false only sends the call to the general strided loop (same values); true is killed (broadcast operands)
      fast = fast && t._contiguous && sameShape(full.shape, t.shape);
    }
  }
  if (full === null) {
    // Only one-element operands: the one with the most dims gives the output shape.
    let widest = 0;
    // Stryker disable next-line EqualityOperator,ConditionalExpression: among one-element operands of equal rank any one gives the same (all-ones) output shape; a narrower choice (also from the loop not running) fails the rank check below and takes the general loop
    for (let i = 1; i < inputs.length; i++) if (inputs[i]!.ndim > inputs[widest]!.ndim) widest = i;
    full = inputs[widest]!;
    // Stryker disable next-line AssignmentOperator,UnaryOperator: every operand has one element here: reading one as a scalar or at index 0 of its own operand is the same
    scalarMask &= ~(1 << widest);
    fast = full._contiguous;
  }
  // Stryker disable next-line ConditionalExpression: true only runs the rank check, which can only clear fast (no effect when fast is already false); false keeps a wider operand from the check, killed
  if (fast) {
    // Stryker disable next-line EqualityOperator,ConditionalExpression: a stricter rank check (>=, true) only sends more calls to the general strided loop (same values); the looser ones are killed
    for (let i = 0; i < inputs.length; i++) if (inputs[i]!.ndim > full.ndim) fast = false;
  }
  // Stryker disable next-line ConditionalExpression,BlockStatement: two implementations of one result: false or an empty block sends every call to the general strided loop, which broadcasts by itself (same values)
  if (fast) {
    const out = empty(full.shape, dtype);
    const list = scratch[inputs.length]!;
    for (let i = 0; i < inputs.length; i++) list[i] = operand(inputs[i]!);
    kernel.variant(scalarMask)(full.shape, operand(out), list, true, 0);
    return out;
  }
  let shape = inputs[0]!.shape as number[];
  for (let i = 1; i < inputs.length; i++) shape = broadcastShapes(op, shape, inputs[i]!.shape);
  const out = empty(shape, dtype);
  kernel.run(
    shape,
    operand(out),
    inputs.map((t) => broadcastOperand(t, shape)),
    false,
    0,
  );
  return out;
}

/**
 * Arithmetic on bool tensors computes in numbers (true + true = 2), but bool storage must hold 0/1:
 * an arithmetic result of dtype bool is mapped back to 0/1 (add is logical or, mul logical and).
 */
function boolSafe(out: Tensor, kind: OutDType): Tensor {
  // Stryker disable next-line ConditionalExpression: kind !== 'same' -> false maps a comparison's bool output, which holds only 0 and 1, back to 0 and 1 (no change); the other condition mutants are killed
  if (kind !== 'same' || out.dtype !== 'bool') return out;
  const data = out._storage.data;
  // Stryker disable next-line EqualityOperator: i <= length writes past the end of a typed array (a no-op); data[i] >= 1 also maps 1 to 1
  for (let i = 0; i < data.length; i++) if (data[i]! > 1) data[i] = 1;
  return out;
}

function unary<const S extends SaveList = readonly []>(
  expr: string,
  kind: OutDType,
  save: S | undefined,
  backward: Backward<null, S> | null,
): CheckedRule<null> {
  const kernel = new LazyKernel(1, expr);
  return rule({ forward: ([x]) => boolSafe(mapUnary(kernel, x!, outDType(kind, x!.dtype)), kind), backward, save });
}

/**
 * A unary op with a whole-array float32 kernel (`op`): the kernel runtime's entry runs it where it
 * applies (contiguous float32) and says which kernel; every other case runs the loop template of
 * `expr`.
 */
function fastUnary<const S extends SaveList = readonly []>(
  expr: string,
  kind: OutDType,
  op: UnaryF32,
  save: S | undefined,
  backward: Backward<null, S> | null,
): CheckedRule<null> {
  const kernel = new LazyKernel(1, expr);
  const fast = unaryEntry(op);
  return rule({
    forward: ([x]) => {
      const data = fast(x!);
      // Stryker disable next-line ConditionalExpression: two implementations of one result: false discards the float32 whole-array kernel's result and runs the loop of expr instead
      if (data !== null) return Tensor._fromData(data, x!.shape, 'float32');
      return boolSafe(mapUnary(kernel, x!, outDType(kind, x!.dtype)), kind);
    },
    backward,
    save,
  });
}

function binary<const S extends SaveList = readonly []>(
  expr: string,
  kind: OutDType,
  save: S | undefined,
  backward: Backward<null, S> | null,
  op: string,
): CheckedRule<null> {
  const kernel = new LazyKernel(2, expr);
  /** The kernel runtime's entry for `op` (null when it has no special kernel for it). */
  const fast = binaryEntry(op);
  return rule({
    forward: ([a, b]) => {
      // Stryker disable next-line ConditionalExpression: true skips the runtime kernel and the JS loop below gives the same values (two implementations of one result); false calls null and fails
      const data = fast === null ? null : fast(a!, b!);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: two implementations of one result: false discards the stream kernel's result for the JS loop (bit-identical, test/kernels/stream.test.ts); unreachable: the runtime kernel takes equal shapes or a one-element operand, so a.shape and b.shape differ only where the element counts do
      if (data !== null) return Tensor._fromData(data, a!._numel >= b!._numel ? a!.shape : b!.shape, 'float32');
      // Stryker disable next-line ConditionalExpression: false: the result type of two equal dtypes is that dtype
      const dtype = a!.dtype === b!.dtype ? a!.dtype : resultType([a!, b!]);
      return boolSafe(mapBroadcast(kernel, [a!, b!], outDType(kind, dtype), op), kind);
    },
    backward,
    save,
  });
}

/**
 * The backward of a unary op from its output gradient `g` and one saved tensor. Recorded (under
 * createGraph) it is the composite of Tensor ops, so higher-order gradients work; otherwise it
 * runs as one fused loop `expr(a = g, b = saved)` instead of two or three passes over memory.
 */
function fusedGrad(expr: string, composite: (g: Tensor, s: Tensor) => Tensor): Backward<null, readonly ['output']> {
  const kernel = new LazyKernel(2, expr);
  return (g, ctx) => {
    const [s] = ctx.saved;
    // Stryker disable next-line ConditionalExpression: true always takes the composite rule, which the OpInfo twin-rule property checks equals the fused loop (two implementations of one result)
    if (isGradEnabled()) return [composite(g, s)];
    // Stryker disable next-line StringLiteral: error message text: the op name of a broadcast error that cannot occur (g and the saved tensor have one shape)
    return [mapBroadcast(kernel, [g, s], g.dtype, 'backward')];
  };
}

const productKernel = new LazyKernel(2, 'a * b');

/**
 * `g · x` in a backward rule: `E.mul`, recorded under createGraph; when nothing records and the
 * operands are small (a tape of scalars), the same loop is called directly, without the dispatch
 * through the op and `run`, which costs more than the product there. Same dtype, same values.
 * From the size where `mul` streams float32 through WebAssembly on, `E.mul` takes it.
 */
function gradTimes(g: Tensor, x: Tensor): Tensor {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: E.mul and the direct loop are two implementations of one result (the float32 stream kernel is bit-identical to the loop); false under createGraph is killed
  if (isGradEnabled() || g._numel >= STREAM_MIN_BINARY || x._numel >= STREAM_MIN_BINARY) return E.mul(g, x);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the result type of two equal dtypes is that dtype, and of g (the output's dtype, which the engine gave it) and a factor of that output it is g's dtype, so either branch gives it; the op name only names a broadcast error that cannot occur here (shapes already agree)
  return mapBroadcast(productKernel, [g, x], g.dtype === x.dtype ? g.dtype : resultType([g, x]), 'mul');
}

const zeroGrad = (g: Tensor): (Tensor | null)[] => [E.zerosLikeGrad(g)];

/** The elementwise rule table. @internal */
// prettier-ignore
export const elementwiseRules: RuleTable<ElementwiseAttrs> = {
  neg: unary('-a', 'same', undefined, (g) => [E.neg(g)]),
  abs: unary('Math.abs(a)', 'same', [0], (g, ctx) => [E.mul(g, E.sign(ctx.saved[0]))]),
  sign: unary('(a > 0 ? 1 : a < 0 ? -1 : 0)', 'same', undefined, zeroGrad),
  // The gradient passes unless out <= 0, so also where out is NaN (PyTorch's threshold_backward).
  relu: fastUnary('Math.max(a, 0)', 'same', 'relu', ['output'], fusedGrad('a * !(b <= 0)', (g, out) => E.mul(g, E.logicalNot(E.le(out, 0))))),
  exp: fastUnary('Math.exp(a)', 'float', 'exp', ['output'], (g, ctx) => [E.mul(g, ctx.saved[0])]),
  log: unary('Math.log(a)', 'float', [0], (g, ctx) => [E.div(g, ctx.saved[0])]),
  log1p: unary('Math.log1p(a)', 'float', [0], (g, ctx) => [E.div(g, E.add(ctx.saved[0], 1))]),
  expm1: unary('Math.expm1(a)', 'float', ['output'], (g, ctx) => [E.mul(g, E.add(ctx.saved[0], 1))]),
  sqrt: unary('Math.sqrt(a)', 'float', ['output'], (g, ctx) => [E.div(g, E.mul(ctx.saved[0], 2))]),
  rsqrt: unary('1 / Math.sqrt(a)', 'float', ['output'], (g, ctx) => [E.mul(E.mul(g, E.pow(ctx.saved[0], 3)), -0.5)]),
  reciprocal: unary('1 / a', 'float', ['output'], (g, ctx) => {
    const out = ctx.saved[0];
    return [E.neg(E.mul(g, E.mul(out, out)))];
  }),
  sin: unary('Math.sin(a)', 'float', [0], (g, ctx) => [E.mul(g, E.cos(ctx.saved[0]))]),
  cos: unary('Math.cos(a)', 'float', [0], (g, ctx) => [E.neg(E.mul(g, E.sin(ctx.saved[0])))]),
  tanh: fastUnary('Math.tanh(a)', 'float', 'tanh', ['output'], fusedGrad('a * (1 - b * b)', (g, out) => E.mul(g, E.sub(1, E.mul(out, out))))),
  sigmoid: fastUnary('1 / (1 + Math.exp(-a))', 'float', 'sigmoid', ['output'], fusedGrad('a * b * (1 - b)', (g, out) => E.mul(g, E.mul(out, E.sub(1, out))))),
  erf: fastUnary('M.erf(a)', 'float', 'erf', [0], (g, ctx) => {
    const x = ctx.saved[0];
    return [E.mul(g, E.mul(E.exp(E.neg(E.mul(x, x))), 2 / Math.sqrt(Math.PI)))];
  }),

  // Only the inputs that need a gradient get one: `x.add(0.1)` would otherwise sum g down to the constant's shape.
  add: binary('a + b', 'same', undefined, (g, ctx) => [ctx.needs(0) ? sumTo(g, ctx.inputShape(0)) : null, ctx.needs(1) ? sumTo(g, ctx.inputShape(1)) : null], 'add'),
  sub: binary('a - b', 'same', undefined, (g, ctx) => [ctx.needs(0) ? sumTo(g, ctx.inputShape(0)) : null, ctx.needs(1) ? sumTo(E.neg(g), ctx.inputShape(1)) : null], 'sub'),
  mul: binary('a * b', 'same', [0, 1], (g, ctx) => {
    const [a, b] = ctx.saved;
    return [ctx.needs(0) ? sumTo(gradTimes(g, b), a.shape) : null, ctx.needs(1) ? sumTo(gradTimes(g, a), b.shape) : null];
  }, 'mul'),
  div: binary('a / b', 'float', [0, 1], (g, ctx) => {
    const [a, b] = ctx.saved;
    const ga = ctx.needs(0) ? sumTo(E.div(g, b), a.shape) : null;
    const gb = ctx.needs(1) ? sumTo(E.neg(E.div(E.mul(g, a), E.mul(b, b))), b.shape) : null;
    return [ga, gb];
  }, 'div'),
  pow: binary('Math.pow(a, b)', 'same', [0, 1, 'output'], (g, ctx) => {
    const [a, b, out] = ctx.saved;
    const ga = ctx.needs(0) ? sumTo(E.mul(g, powBaseGrad(a, b)), a.shape) : null;
    // d/db a^b = a^b log a; PyTorch takes it as 0 where a == 0 and b >= 0.
    const gb = ctx.needs(1)
      ? sumTo(E.where(E.logicalAnd(E.eq(a, 0), E.ge(b, 0)), 0, E.mul(g, E.mul(out, E.log(a)))), b.shape)
      : null;
    return [ga, gb];
  }, 'pow'),
  maximum: binary('(a > b || a !== a) ? a : b', 'same', [0, 1], (g, ctx) => tieSplit(g, ctx, E.gt), 'maximum'),
  minimum: binary('(a < b || a !== a) ? a : b', 'same', [0, 1], (g, ctx) => tieSplit(g, ctx, E.lt), 'minimum'),

  eq: binary('+(a === b)', 'bool', undefined, null, 'eq'),
  ne: binary('+(a !== b)', 'bool', undefined, null, 'ne'),
  lt: binary('+(a < b)', 'bool', undefined, null, 'lt'),
  le: binary('+(a <= b)', 'bool', undefined, null, 'le'),
  gt: binary('+(a > b)', 'bool', undefined, null, 'gt'),
  ge: binary('+(a >= b)', 'bool', undefined, null, 'ge'),
  isnan: unary('+(a !== a)', 'bool', undefined, null),
  isfinite: unary('+(a - a === 0)', 'bool', undefined, null),
  // NaN is nonzero, so it is true and its negation false (as PyTorch); `!NaN` would be true.
  logicalNot: unary('+(a === 0)', 'bool', undefined, null),

  where: (() => {
    const kernel = new LazyKernel(3, 'a ? b : c');
    return rule({
      forward: ([c, a, b]) => mapBroadcast(kernel, [c!, a!, b!], resultType([a!, b!]), 'where'),
      backward: (g, ctx) => {
        const [cond] = ctx.saved;
        return [
          null,
          ctx.needs(1) ? sumTo(E.where(cond, g, 0), ctx.inputShape(1)) : null,
          ctx.needs(2) ? sumTo(E.where(cond, 0, g), ctx.inputShape(2)) : null,
        ];
      },
      save: [0, 1, 2],
    });
  })(),

  cast: (() => {
    const copy = new LazyKernel(1, 'a');
    const toBool = new LazyKernel(1, '+(a !== 0)');
    return rule({
      forward: ([x], { dtype }) => mapUnary(dtype === 'bool' ? toBool : copy, x!, dtype),
      backward: (g, ctx) => [E.toDType(g, ctx.inputDType(0))],
    });
  })(),
};

/**
 * d/da a^b = b·a^(b-1), which PyTorch takes as 0 wherever b == 0, also where a^(b-1) is not
 * finite (0^0: 0·∞ would be NaN). There the base is replaced by 1 (same value 0, and the
 * dependence on b kept for second derivatives). A one-element nonzero b (`x.pow(2)`) needs no mask.
 */
function powBaseGrad(a: Tensor, b: Tensor): Tensor {
  // Stryker disable next-line ConditionalExpression: false sends a nonzero one-element exponent through the masked formula, which gives the same value there; true is killed (zero exponents)
  if (b._numel === 1 && b._storage.data[b._offset] !== 0) return E.mul(b, E.pow(a, E.sub(b, 1)));
  const singular = E.logicalAnd(E.eq(b, 0), E.logicalNot(E.logicalAnd(E.isfinite(a), E.ne(a, 0))));
  return E.mul(b, E.pow(E.where(singular, 1, a), E.sub(b, 1)));
}

/**
 * Gradient of maximum/minimum: to the winner, split in half on ties, and (as PyTorch) the whole
 * of it to both sides where either is NaN (neither wins nor ties): a side gets 0 only where the
 * other one wins.
 */
function tieSplit(
  g: Tensor,
  ctx: BackwardContext<readonly [Tensor, Tensor], null>,
  wins: (a: Tensor, b: Tensor) => Tensor,
): (Tensor | null)[] {
  const [a, b] = ctx.saved;
  const tie = E.eq(a, b);
  const shared = E.where(tie, E.mul(g, 0.5), g);
  const ga = E.where(wins(b, a), 0, shared);
  const gb = E.where(wins(a, b), 0, shared);
  return [ctx.needs(0) ? sumTo(ga, a.shape) : null, ctx.needs(1) ? sumTo(gb, b.shape) : null];
}
