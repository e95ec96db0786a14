/**
 * fast-check arbitraries for OpInfo samples: small shapes (0-d, size-1 and empty dims), broadcasting
 * shape tuples, and values inside an op's domain kept away from its kinks and ties.
 * @module
 */
import * as fc from 'fast-check';
import type { DType } from '../../src/autograd/dtype.js';
import { broadcastShape, broadcastIndex, numel, unravel } from './ref.js';
import type { InputSpec, Sample } from './types.js';

/** Largest number of elements a sampled tensor may have (gradcheck is O(numel²)). @internal */
export const MAX_NUMEL = 12;

/**
 * The values an input may take: a range, and points to keep at least `margin` away from
 * (kinks like relu at 0; the default margin 0.01 is far above gradcheck's eps).
 * @internal
 */
export interface Domain {
  min: number;
  max: number;
  avoid?: number[];
  margin?: number;
}

/** Values in [-3, 3]. @internal */
export const REAL: Domain = { min: -3, max: 3 };
/** Values in [0.1, 3]. @internal */
export const POSITIVE: Domain = { min: 0.1, max: 3 };
/** Values in [-3, 3], at least 0.01 away from 0. @internal */
export const NONZERO: Domain = { min: -3, max: 3, avoid: [0] };

/** Options of {@link shapeArb}. @internal */
export interface ShapeOptions {
  minDims?: number;
  maxDims?: number;
  /** Allow dims of size 0 (default true). */
  allowEmpty?: boolean;
}

/** A small shape: up to 3 dims of size 0..4, at most {@link MAX_NUMEL} elements. @internal */
export function shapeArb(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const size =
    options.allowEmpty === false
      ? fc.integer({ min: 1, max: 4 })
      : fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 8 }, { arbitrary: fc.constant(0), weight: 1 });
  return fc.array(size, { minLength: options.minDims ?? 0, maxLength: options.maxDims ?? 3 }).filter((s) => numel(s) <= MAX_NUMEL);
}

/**
 * `n` shapes that broadcast together: an output shape, then each input drops some leading dims
 * and turns some others into 1. Input 0 keeps the full shape when `firstIsFull` (in-place ops).
 * @internal
 */
export function broadcastShapesArb(n: number, options: ShapeOptions & { firstIsFull?: boolean } = {}): fc.Arbitrary<number[][]> {
  return shapeArb(options).chain((out) => {
    const one = fc.record({
      drop: fc.integer({ min: 0, max: out.length }),
      ones: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    });
    return fc.array(one, { minLength: n, maxLength: n }).map((specs) =>
      specs.map(({ drop, ones }, k) => {
        if (k === 0 && options.firstIsFull) return out.slice();
        return out.slice(drop).map((s, d) => (ones[d + drop] ? 1 : s));
      }),
    );
  });
}

function nudge(v: number, domain: Domain): number {
  const margin = domain.margin ?? 0.01;
  for (const k of domain.avoid ?? []) {
    if (Math.abs(v - k) < margin) v = v >= k ? k + margin : k - margin;
  }
  return Math.fround(v);
}

/** `n` float values in `domain`, exactly representable in float32. @internal */
export function valuesArb(n: number, domain: Domain): fc.Arbitrary<number[]> {
  const v = fc.double({ min: domain.min, max: domain.max, noNaN: true, noDefaultInfinity: true });
  return fc.array(v, { minLength: n, maxLength: n }).map((vs) => vs.map((x) => nudge(x, domain)));
}

/** A float input of `shape` with values in `domain`. @internal */
export function floatInput(shape: number[], domain: Domain = REAL): fc.Arbitrary<InputSpec> {
  return valuesArb(numel(shape), domain).map((data) => ({ shape, data, dtype: 'float' as const }));
}

/** An int32 input of `shape` with values in [min, max], or in `domain` (its avoided points excluded). @internal */
export function intInput(shape: number[], min: number | Domain = -5, max = 5): fc.Arbitrary<InputSpec> {
  const n = numel(shape);
  return fc.array(intArb(min, max), { minLength: n, maxLength: n }).map((data) => ({ shape, data, dtype: 'int32' as const }));
}

/** Integers in [min, max], or in `domain` without its avoided points. @internal */
export function intArb(min: number | Domain, max = 5): fc.Arbitrary<number> {
  if (typeof min === 'number') return fc.integer({ min, max });
  const d = min;
  const margin = d.margin ?? 0.01;
  const ok: number[] = [];
  for (let v = Math.ceil(d.min); v <= Math.floor(d.max); v++) if (!(d.avoid ?? []).some((k) => Math.abs(v - k) < margin)) ok.push(v);
  return fc.constantFrom(...ok);
}

/** A bool input of `shape` (data 0/1). @internal */
export function boolInput(shape: number[]): fc.Arbitrary<InputSpec> {
  const n = numel(shape);
  return fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((bs) => ({ shape, data: bs.map(Number), dtype: 'bool' as const }));
}

/** An input of `shape` and `dtype` ('float' uses `domain`). @internal */
export function inputOf(shape: number[], dtype: 'float' | DType, domain: Domain = REAL): fc.Arbitrary<InputSpec> {
  if (dtype === 'int32') return intInput(shape, domain);
  if (dtype === 'bool') return boolInput(shape);
  return floatInput(shape, domain).map((s) => ({ ...s, dtype }));
}

/** A float value in `domain` for a JS-number operand. @internal */
export function numberArb(domain: Domain = REAL): fc.Arbitrary<number> {
  return valuesArb(1, domain).map((v) => v[0]!);
}

/** A unary sample: one float tensor in `domain`, with `args`. @internal */
export function unarySample<A>(domain: Domain, args: fc.Arbitrary<A>, options: ShapeOptions = {}): fc.Arbitrary<Sample<A>> {
  return shapeArb(options).chain((shape) => fc.record({ inputs: fc.tuple(floatInput(shape, domain)), args }));
}

/** A sample of `domains.length` float tensors with broadcasting shapes. @internal */
export function broadcastSample<A>(
  domains: Domain[],
  args: fc.Arbitrary<A>,
  options: ShapeOptions & { firstIsFull?: boolean } = {},
): fc.Arbitrary<Sample<A>> {
  return broadcastShapesArb(domains.length, options).chain((shapes) =>
    fc.record({ inputs: fc.tuple(...shapes.map((s, k) => floatInput(s, domains[k]))), args }),
  );
}

/**
 * True when no pair of broadcast-aligned elements of `a` and `b` is within `margin`: used to keep
 * maximum/minimum/clamp samples away from ties, where the gradient is not continuous.
 * @internal
 */
export function noTies(a: InputSpec, b: InputSpec, margin = 0.01): boolean {
  const shape = broadcastShape(a.shape, b.shape);
  for (let i = 0; i < numel(shape); i++) {
    const idx = unravel(i, shape);
    if (Math.abs(a.data[broadcastIndex(idx, a.shape)]! - b.data[broadcastIndex(idx, b.shape)]!) < margin) return false;
  }
  return true;
}

/**
 * Sets some elements of a float input to exactly 0 and takes it out of the gradient checks (for
 * forward checks at a point where the derivative does not exist).
 * @internal
 */
export function withZeros(input: fc.Arbitrary<InputSpec>): fc.Arbitrary<InputSpec> {
  return input.chain((spec) =>
    fc.array(fc.boolean(), { minLength: spec.data.length, maxLength: spec.data.length }).map((z) => ({
      ...spec,
      data: spec.data.map((v, i) => (z[i] ? 0 : v)),
      requiresGrad: false,
    })),
  );
}

/** The kinds of edge value {@link edgeValuesArb} mixes in. @internal */
export type EdgeKind = 'tie' | 'zero' | 'signedZero' | 'inf' | 'nan' | 'integer';

/**
 * `n` float32-exact values in `domain`, about half of them replaced by edge values of the given
 * kinds: a repeat of an earlier element (`tie`), 0, −0, ±∞, NaN, an integer in the domain.
 * @internal
 */
export function edgeValuesArb(n: number, domain: Domain, kinds: readonly EdgeKind[]): fc.Arbitrary<number[]> {
  const specials: number[] = [];
  if (kinds.includes('zero')) specials.push(0);
  if (kinds.includes('signedZero')) specials.push(-0);
  if (kinds.includes('inf')) specials.push(Infinity, -Infinity);
  if (kinds.includes('nan')) specials.push(NaN);
  const ints: number[] = [];
  if (kinds.includes('integer')) for (let v = Math.ceil(domain.min); v <= Math.floor(domain.max); v++) ints.push(v);
  type Pick = { kind: 'plain' | 'special' | 'tie' | 'int'; v: number; k: number };
  const options: fc.WeightedArbitrary<Pick>[] = [
    {
      weight: 3,
      arbitrary: fc
        .double({ min: domain.min, max: domain.max, noNaN: true, noDefaultInfinity: true })
        .map((v) => ({ kind: 'plain' as const, v: Math.fround(v), k: 0 })),
    },
  ];
  if (specials.length)
    options.push({ weight: 2, arbitrary: fc.constantFrom(...specials).map((v) => ({ kind: 'special' as const, v, k: 0 })) });
  if (ints.length) options.push({ weight: 1, arbitrary: fc.constantFrom(...ints).map((v) => ({ kind: 'int' as const, v, k: 0 })) });
  if (kinds.includes('tie')) options.push({ weight: 2, arbitrary: fc.nat(64).map((k) => ({ kind: 'tie' as const, v: 0, k })) });
  return fc.array(fc.noBias(fc.oneof(...options)), { minLength: n, maxLength: n }).map((picks) => {
    const out: number[] = [];
    for (const p of picks) out.push(p.kind === 'tie' ? (out.length ? out[p.k % out.length]! : 1) : p.v);
    return out;
  });
}

/** A float input of `shape` with edge values of `kinds` mixed into `domain` (see {@link edgeValuesArb}). @internal */
export function edgeInput(shape: number[], domain: Domain, kinds: readonly EdgeKind[]): fc.Arbitrary<InputSpec> {
  return edgeValuesArb(numel(shape), domain, kinds).map((data) => ({ shape, data, dtype: 'float' as const }));
}
