/**
 * Helpers for the float64 reference implementations: broadcasting and elementwise maps written as
 * plain loops over row-major index arithmetic, independent of src/kernels and src/autograd/shape.
 * @module
 */
import type { DType } from '../../src/autograd/dtype.js';
import type { Ref } from './types.js';

/** Number of elements of a shape. @internal */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** A Ref from a shape and values. @internal */
export function ref(shape: readonly number[], data: ArrayLike<number>, dtype?: DType): Ref {
  const r: Ref = { shape: shape.slice(), data: Float64Array.from(data) };
  if (dtype !== undefined) r.dtype = dtype;
  return r;
}

/** The broadcast shape of several shapes (numpy rules); throws on a mismatch. @internal */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    let size = 1;
    for (const s of shapes) {
      const d = s.length - nd + i;
      const v = d < 0 ? 1 : s[d]!;
      if (v === 1) continue;
      if (size !== 1 && size !== v) throw new Error(`reference: shapes do not broadcast: ${JSON.stringify(shapes)}`);
      size = v;
    }
    out.push(size);
  }
  return out;
}

/** The flat index in `src` (of `srcShape`) of the element at multi-index `idx` of the broadcast shape. @internal */
export function broadcastIndex(idx: readonly number[], srcShape: readonly number[]): number {
  const lead = idx.length - srcShape.length;
  let flat = 0;
  for (let d = 0; d < srcShape.length; d++) {
    const size = srcShape[d]!;
    flat = flat * size + (size === 1 ? 0 : idx[d + lead]!);
  }
  return flat;
}

/** Multi-index of flat position `i` in `shape`. @internal */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    idx[d] = i % s;
    i = Math.floor(i / s);
  }
  return idx;
}

/**
 * Elementwise map over broadcast inputs: `out[i] = f(x0[i], x1[i], ...)`.
 * @internal
 */
export function mapN(inputs: readonly Ref[], f: (...v: number[]) => number, dtype?: DType): Ref {
  const shape = broadcastShape(...inputs.map((r) => r.shape));
  const n = numel(shape);
  const out = new Float64Array(n);
  const vals = new Array<number>(inputs.length);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    for (let k = 0; k < inputs.length; k++) vals[k] = inputs[k]!.data[broadcastIndex(idx, inputs[k]!.shape)]!;
    const v = f(...vals);
    out[i] = dtype === undefined ? v : castValue(v, dtype);
  }
  return ref(shape, out, dtype);
}

/** A 0-d Ref holding a number. @internal */
export function scalarRef(v: number): Ref {
  return ref([], [v]);
}

/** Truncation of a double to int32 (as a C cast), for dtype conversions. @internal */
export function toInt32(v: number): number {
  return Math.trunc(v) | 0;
}

/**
 * The error function by its Maclaurin series (|x| ≤ 3, error ~1e-15) and, above, by the
 * asymptotic expansion of erfc. Independent of the kernel's implementation.
 * @internal
 */
export function erfRef(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 3) {
    // erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = 0;
    let pow = ax; // ax^(2n+1) / n!
    for (let n = 0; n < 200; n++) {
      const term = pow / (2 * n + 1);
      sum += n % 2 === 0 ? term : -term;
      pow *= (ax * ax) / (n + 1);
      if (term < 1e-18) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc x ≈ e^{-x²}/(x√π) Σ (-1)^n (2n-1)!! / (2x²)^n, truncated at its smallest term.
  let sum = 1;
  let term = 1;
  for (let n = 1; n < 40; n++) {
    const next = (-term * (2 * n - 1)) / (2 * ax * ax);
    if (Math.abs(next) >= Math.abs(term)) break;
    term = next;
    sum += term;
  }
  return Math.sign(x) * (1 - (Math.exp(-ax * ax) / (ax * Math.sqrt(Math.PI))) * sum);
}

const KIND: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * PyTorch's result type, written from its documented rules: operands are grouped into dimensioned
 * tensors, 0-d tensors and JS numbers; a lower group only matters when its category
 * (bool < integer < float) is higher than every higher group's. A JS number is an int if it is an
 * integer, else a float, and an int/float number takes int32/float32.
 * @internal
 */
export function resultTypeRef(operands: readonly (Ref | number | boolean)[]): DType {
  const groups: DType[][] = [[], [], []];
  for (const o of operands) {
    if (typeof o === 'number') groups[2]!.push(Number.isInteger(o) ? 'int32' : 'float32');
    else if (typeof o === 'boolean') groups[2]!.push('bool');
    else groups[o.shape.length === 0 ? 1 : 0]!.push(o.dtype ?? 'float64');
  }
  let best: DType | null = null;
  for (const g of groups) {
    if (g.length === 0) continue;
    let top = g[0]!;
    for (const d of g) if (RANK[d] > RANK[top]) top = d;
    if (best === null) best = top;
    else if (KIND[top] > KIND[best]) best = top;
  }
  return best ?? 'float32';
}

/** The float dtype an int/bool result turns into for ops like div and exp. @internal */
export function floatOf(dtype: DType): DType {
  return dtype === 'float64' || dtype === 'float32' ? dtype : 'float32';
}

/** Rounds a value as storing it in `dtype` does. @internal */
export function castValue(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float64':
      return v;
    case 'float32':
      return Math.fround(v);
    case 'int32':
      return toInt32(v);
    case 'bool':
      return v !== 0 ? 1 : 0;
  }
}
