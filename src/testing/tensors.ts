/**
 * Arbitraries of shapes, values and tensors for property tests of differentiable functions: small
 * shapes (gradcheck costs O(numel²)), shapes that broadcast together, values in a domain kept away
 * from kinks, and optionally edge values (ties, zeros, ±0, ±∞, NaN, integer-valued floats).
 * @module
 */
import { arrayOf, bool, num, oneOf as oneOfCheck, parseOptions } from '../autograd/args.js';
import { allocate, type FloatDType } from '../autograd/dtype.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { Arbitrary } from './arbitrary.js';
import type { Random } from './random.js';

/** Options of {@link shapes} and {@link broadcastShapes}. */
export interface ShapeOptions {
  /** Fewest dims (default 0: 0-d tensors included). */
  minDims?: number;
  /** Most dims (default 3). */
  maxDims?: number;
  /** Largest size of one dim (default 4). */
  maxSize?: number;
  /** Most elements in all (default 12). */
  maxNumel?: number;
  /** Allow dims of size 0 (default false). */
  allowEmpty?: boolean;
}

const shapeSpec = {
  minDims: num({ integer: true, min: 0 }),
  maxDims: num({ integer: true, min: 0 }),
  maxSize: num({ integer: true, min: 1 }),
  maxNumel: num({ integer: true, min: 1 }),
  allowEmpty: bool,
};

function readShapeOptions(op: string, options: unknown): Required<ShapeOptions> {
  return shapeDefaults(op, parseOptions(op, options, shapeSpec));
}

function shapeDefaults(op: string, o: ShapeOptions): Required<ShapeOptions> {
  const r = {
    minDims: o.minDims ?? 0,
    maxDims: o.maxDims ?? 3,
    maxSize: o.maxSize ?? 4,
    maxNumel: o.maxNumel ?? 12,
    allowEmpty: o.allowEmpty ?? false,
  };
  if (r.minDims > r.maxDims) throw new ValueError(`${op}: minDims ${r.minDims} is larger than maxDims ${r.maxDims}`);
  return r;
}

function drawShape(rng: Random, o: Required<ShapeOptions>): number[] {
  const nd = rng.int(o.minDims, o.maxDims);
  const shape: number[] = [];
  let n = 1;
  for (let d = 0; d < nd; d++) {
    // Each dim at most what the element budget leaves; an empty dim now and then when allowed.
    const room = Math.max(1, Math.min(o.maxSize, Math.floor(o.maxNumel / n)));
    const size = o.allowEmpty && rng.bool(0.1) ? 0 : rng.int(1, room);
    shape.push(size);
    n *= Math.max(size, 1);
  }
  return shape;
}

/**
 * Small shapes: `minDims`..`maxDims` dims of size 1..`maxSize`, at most `maxNumel` elements.
 * @example
 * ```ts
 * testing.shapes({ minDims: 1, maxDims: 2 }); // e.g. [3], [2, 4]
 * ```
 */
export function shapes(options?: ShapeOptions): Arbitrary<number[]> {
  const o = readShapeOptions('testing.shapes', options);
  return new Arbitrary((rng) => drawShape(rng, o));
}

/**
 * `n` shapes that broadcast together: an output shape, from which each input drops some leading
 * dims and turns some others into 1.
 * @example
 * ```ts
 * testing.broadcastShapes(2); // e.g. [[2, 3], [3]] or [[4, 1], [1, 5]]
 * ```
 */
export function broadcastShapes(n: number, options?: ShapeOptions): Arbitrary<number[][]> {
  return broadcastShapesOf('testing.broadcastShapes', n, readShapeOptions('testing.broadcastShapes', options));
}

function broadcastShapesOf(op: string, n: number, o: Required<ShapeOptions>): Arbitrary<number[][]> {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`${op}: n must be a positive integer, got ${n}`);
  return new Arbitrary((rng) => {
    const out = drawShape(rng, o);
    return Array.from({ length: n }, () => {
      const drop = rng.int(0, out.length);
      return out.slice(drop).map((s) => (rng.bool(0.3) ? 1 : s));
    });
  });
}

/** Edge values {@link values} can mix in. */
export type EdgeValue = 'tie' | 'zero' | 'signedZero' | 'inf' | 'nan' | 'integer';

/** Options of {@link values} and (with shape, dtype, requiresGrad) of {@link tensors}. */
export interface ValueOptions {
  /** Smallest value (default -3). */
  min?: number;
  /** Largest value (default 3). */
  max?: number;
  /** Points to keep `margin` away from: kinks such as 0 for `abs` (default none). */
  avoid?: number[];
  /** Distance kept from `avoid` (default 0.01, far above gradcheck's step). */
  margin?: number;
  /**
   * Edge values mixed in at about `edgeRate` of the elements: `'tie'` (a repeat of an earlier
   * element), `'zero'`, `'signedZero'` (−0), `'inf'` (±∞), `'nan'`, `'integer'` (an integer in
   * [min, max]). Finite differences do not apply there: use with `gradcheck: false` in
   * {@link gradcheckProperty}. Default none.
   */
  edges?: EdgeValue[];
  /** Share of elements replaced by edge values (default 0.5). */
  edgeRate?: number;
}

const EDGE_VALUES: readonly EdgeValue[] = ['tie', 'zero', 'signedZero', 'inf', 'nan', 'integer'];

const valueSpec = {
  min: num(),
  max: num(),
  avoid: arrayOf(num()),
  margin: num({ min: 0 }),
  edges: arrayOf(oneOfCheck(EDGE_VALUES)),
  edgeRate: num({ min: 0, max: 1 }),
};

type ReadValues = { min: number; max: number; avoid: number[]; margin: number; edges: EdgeValue[]; edgeRate: number };

function readValueOptions(
  op: string,
  o: { min?: number; max?: number; avoid?: number[]; margin?: number; edges?: EdgeValue[]; edgeRate?: number },
): ReadValues {
  const r = {
    min: o.min ?? -3,
    max: o.max ?? 3,
    avoid: o.avoid ?? [],
    margin: o.margin ?? 0.01,
    edges: o.edges ?? [],
    edgeRate: o.edgeRate ?? 0.5,
  };
  if (r.min > r.max) throw new ValueError(`${op}: min ${r.min} is larger than max ${r.max}`);
  return r;
}

function drawValue(rng: Random, o: ReadValues): number {
  let v = rng.float(o.min, o.max);
  for (const k of o.avoid) if (Math.abs(v - k) < o.margin) v = v >= k ? k + o.margin : k - o.margin;
  return Math.fround(v);
}

function drawEdge(rng: Random, kind: EdgeValue, earlier: number[], o: ReadValues): number {
  switch (kind) {
    case 'tie':
      return earlier.length ? rng.pick(earlier) : drawValue(rng, o);
    case 'zero':
      return 0;
    case 'signedZero':
      return -0;
    case 'inf':
      return rng.bool() ? Infinity : -Infinity;
    case 'nan':
      return NaN;
    case 'integer': {
      const lo = Math.ceil(o.min);
      const hi = Math.floor(o.max);
      return lo <= hi ? rng.int(lo, hi) : drawValue(rng, o);
    }
  }
}

function drawValues(rng: Random, n: number, o: ReadValues): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    out.push(o.edges.length && rng.bool(o.edgeRate) ? drawEdge(rng, rng.pick(o.edges), out, o) : drawValue(rng, o));
  return out;
}

/**
 * `n` values in [min, max], exactly representable in float32, away from `avoid`, with `edges`
 * mixed in when asked.
 * @example
 * ```ts
 * testing.values(4, { min: 0.1, max: 2 });
 * testing.values(6, { edges: ['tie', 'zero'] }); // e.g. [0.5, 0, 0.5, -1.25, 0, 2]
 * ```
 */
export function values(n: number, options?: ValueOptions): Arbitrary<number[]> {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`testing.values: n must be a non-negative integer, got ${n}`);
  const o = readValueOptions('testing.values', parseOptions('testing.values', options, valueSpec));
  return new Arbitrary((rng) => drawValues(rng, n, o));
}

/** Options of {@link tensors}. */
export interface TensorOptions extends ValueOptions {
  /** A fixed shape, or an arbitrary of shapes (default `shapes()`). */
  shape?: readonly number[] | Arbitrary<number[]>;
  /** float64 (default: what gradcheck needs) or float32. */
  dtype?: FloatDType;
  /** Whether the tensors require grad (default true). */
  requiresGrad?: boolean;
}

const tensorSpec = {
  ...valueSpec,
  shape: (op: string, key: string, v: unknown): readonly number[] | Arbitrary<number[]> => {
    if (v instanceof Arbitrary) return v as Arbitrary<number[]>;
    if (Array.isArray(v) && v.every((s) => Number.isInteger(s) && s >= 0)) return v as number[];
    throw new ArgumentTypeError(
      `${op}: ${key} must be an array of sizes or an Arbitrary of shapes, got ${Array.isArray(v) ? `[${v.slice(0, 8).join(', ')}]` : typeof v}`,
    );
  },
  dtype: oneOfCheck(['float64', 'float32'] as const),
  requiresGrad: bool,
};

/** A tensor of `shape` holding `data`. */
function tensorOf(shape: readonly number[], data: number[], dtype: FloatDType, requiresGrad: boolean): Tensor {
  const store = allocate(dtype, data.length);
  data.forEach((v, i) => (store[i] = v));
  const t = Tensor._fromData(store, shape.slice(), dtype);
  return requiresGrad ? t.requiresGrad_(true) : t;
}

/**
 * Tensors with values from {@link values}: by default float64, requiring grad, of a small shape.
 * @example
 * ```ts
 * testing.tensors({ shape: [2, 3], min: 0.1, max: 2 });
 * testing.tensors({ shape: testing.shapes({ minDims: 1 }), avoid: [0] });
 * ```
 */
export function tensors(options?: TensorOptions): Arbitrary<Tensor> {
  const o = parseOptions('testing.tensors', options, tensorSpec);
  const v = readValueOptions('testing.tensors', o);
  const shape =
    o.shape instanceof Arbitrary ? o.shape : o.shape === undefined ? shapes() : new Arbitrary(() => (o.shape as number[]).slice());
  const dtype = o.dtype ?? 'float64';
  const requiresGrad = o.requiresGrad ?? true;
  return shape.chain(
    (s) =>
      new Arbitrary((rng) =>
        tensorOf(
          s,
          drawValues(
            rng,
            s.reduce((a, b) => a * b, 1),
            v,
          ),
          dtype,
          requiresGrad,
        ),
      ),
  );
}

/**
 * `n` tensors whose shapes broadcast together (see {@link broadcastShapes}), with values from
 * {@link values}: the inputs of an elementwise function.
 * @example
 * ```ts
 * testing.broadcastTensors(2, { min: 0.5, max: 2 }); // e.g. shapes [2, 3] and [3]
 * ```
 */
export function broadcastTensors(n: number, options?: Omit<TensorOptions, 'shape'> & ShapeOptions): Arbitrary<Tensor[]> {
  const op = 'testing.broadcastTensors';
  const o = parseOptions(op, options, { ...shapeSpec, ...valueSpec, dtype: tensorSpec.dtype, requiresGrad: bool });
  const v = readValueOptions(op, o);
  const dtype = o.dtype ?? 'float64';
  const requiresGrad = o.requiresGrad ?? true;
  return broadcastShapesOf(op, n, shapeDefaults(op, o)).chain(
    (ss) =>
      new Arbitrary((rng) =>
        ss.map((s) =>
          tensorOf(
            s,
            drawValues(
              rng,
              s.reduce((a, b) => a * b, 1),
              v,
            ),
            dtype,
            requiresGrad,
          ),
        ),
      ),
  );
}
