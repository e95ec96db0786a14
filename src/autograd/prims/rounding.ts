/**
 * Rounding primitives: floor, ceil, trunc and round (half to even, with decimals, as PyTorch).
 * Their gradient is zero everywhere, as in PyTorch. Integer and bool inputs are returned as copies.
 * @module
 */
import { isFloat } from '../dtype.js';
import { rule, type CheckedRule, type RuleTable } from '../rule.js';
import { zerosLikeGrad } from '../ops/elementwise.js';
import { contiguousData } from '../ops/shape.js';
import { empty } from './common.js';

/** Attributes of the rounding primitives. @internal */
// prettier-ignore
export interface RoundingAttrs {
  floor: null;
  ceil: null;
  trunc: null;
  round: { decimals: number };
};

/** Rounds half to even (IEEE nearbyint in the default mode). @internal */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function mapped<A>(f: (v: number, attrs: A) => number): CheckedRule<A> {
  return rule({
    forward: ([x], attrs) => {
      const out = empty(x!.shape, x!.dtype);
      const src = contiguousData(x!);
      const dst = out._storage.data;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: every rounding maps an integer to itself, so sending integers through f gives the same values; i <= src.length writes past the end (a no-op)
      if (isFloat(x!.dtype)) for (let i = 0; i < src.length; i++) dst[i] = f(src[i]!, attrs);
      else dst.set(src);
      return out;
    },
    backward: (g) => [zerosLikeGrad(g)],
  });
}

function roundTo(v: number, { decimals }: { decimals: number }): number {
  // Stryker disable next-line ConditionalExpression: decimals = 0 in the scaled branches uses a scale of 1, the same value
  if (decimals === 0) return roundHalfEven(v);
  // Stryker disable next-line EqualityOperator: decimals = 0 returned on the line above
  if (decimals > 0) {
    const scale = 10 ** decimals;
    return roundHalfEven(v * scale) / scale;
  }
  const scale = 10 ** -decimals;
  return roundHalfEven(v / scale) * scale;
}

/** The rounding rule table. @internal */
// prettier-ignore
export const roundingRules: RuleTable<RoundingAttrs> = {
  floor: mapped((v) => Math.floor(v)),
  ceil: mapped((v) => Math.ceil(v)),
  trunc: mapped((v) => Math.trunc(v)),
  round: mapped(roundTo),
};
