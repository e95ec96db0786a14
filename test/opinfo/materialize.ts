/**
 * Turning samples into tensors (contiguous float64, float32, or strided views with the same
 * values) and comparing tensors with references, with messages that name the op and the element.
 * @module
 */
import type { DType, TypedArray } from '../../src/autograd/dtype.js';
import { allocate } from '../../src/autograd/dtype.js';
import { Tensor } from '../../src/autograd/tensor.js';
import { numel, unravel } from './ref.js';
import type { AnyOpInfo, InputSpec, Ref, Sample, Tol } from './types.js';

/** How to build the tensors of a sample. @internal */
export interface Layout {
  /** The dtype of 'float' inputs. */
  float: 'float32' | 'float64';
  /** Non-contiguous views (reversed dim order, stride 2, offset 1) instead of contiguous tensors. */
  strided: boolean;
  /** Set requiresGrad on the differentiable float inputs. */
  grad: boolean;
}

/** The dtype an input gets under `layout`. @internal */
export function dtypeOf(spec: InputSpec, layout: Pick<Layout, 'float'>): DType {
  return spec.dtype === 'float' ? layout.float : spec.dtype;
}

/** True when input `i` of `info` is differentiable in this sample. @internal */
export function isDiff(info: AnyOpInfo, spec: InputSpec, i: number): boolean {
  if (spec.dtype !== 'float' && spec.dtype !== 'float64' && spec.dtype !== 'float32') return false;
  if (spec.requiresGrad === false) return false;
  const d = info.differentiable;
  return typeof d === 'boolean' ? d : d[i] === true;
}

/**
 * A tensor holding `spec`'s values. Strided: the elements live in column-major order at every other
 * slot after one slot of offset, with sentinel values in between, so a kernel that ignores strides
 * or offset reads garbage.
 * @internal
 */
export function makeTensor(spec: InputSpec, dtype: DType, strided: boolean): Tensor {
  const n = numel(spec.shape);
  if (!strided) {
    const data = allocate(dtype, n);
    for (let i = 0; i < n; i++) data[i] = spec.data[i]!;
    return Tensor._fromData(data, spec.shape.slice(), dtype);
  }
  const nd = spec.shape.length;
  const strides = new Array<number>(nd);
  let step = 2;
  for (let d = 0; d < nd; d++) {
    strides[d] = step;
    step *= spec.shape[d]!;
  }
  const data: TypedArray = allocate(dtype, 2 * n + 2);
  const sentinel = dtype === 'bool' ? 1 : dtype === 'int32' ? 123456 : NaN;
  data.fill(sentinel);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, spec.shape);
    let pos = 1;
    for (let d = 0; d < nd; d++) pos += idx[d]! * strides[d]!;
    data[pos] = spec.data[i]!;
  }
  return new Tensor({ data, version: 0 }, spec.shape.slice(), strides, 1, dtype);
}

/** The tensors of a sample under `layout`. @internal */
export function materialize(info: AnyOpInfo, sample: Sample, layout: Layout): Tensor[] {
  return sample.inputs.map((spec, i) => {
    const t = makeTensor(spec, dtypeOf(spec, layout), layout.strided);
    if (layout.grad && isDiff(info, spec, i)) t.requiresGrad_(true);
    return t;
  });
}

/** The input specs as references ('float' inputs have dtype float64, or `float`). @internal */
export function refsOf(sample: Sample, float: 'float32' | 'float64' = 'float64'): Ref[] {
  return sample.inputs.map((s) => ({ shape: s.shape.slice(), data: Float64Array.from(s.data), dtype: dtypeOf(s, { float }) }));
}

/** The op's outputs as an array. @internal */
export function outputs(x: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(x) ? x : [x];
}

/** A tensor's values as a reference (float64, row-major). @internal */
export function toRef(t: Tensor): Ref {
  return { shape: t.shape.slice(), data: Float64Array.from(t.dataSync()), dtype: t.dtype };
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Throws unless `actual` has `expected`'s shape (and dtype, when the reference gives one) and every
 * element satisfies `|a - e| <= atol + rtol |e|` (NaN matches NaN, infinities must be equal).
 * @internal
 */
export function assertClose(actual: Tensor | Ref, expected: Ref, tol: Tol, what: string): void {
  const a = actual instanceof Tensor ? toRef(actual) : actual;
  if (a.shape.length !== expected.shape.length || a.shape.some((s, i) => s !== expected.shape[i])) {
    throw new Error(`${what}: shape ${fmt(a.shape)}, expected ${fmt(expected.shape)}`);
  }
  if (expected.dtype !== undefined && a.dtype !== undefined && a.dtype !== expected.dtype) {
    throw new Error(`${what}: dtype ${a.dtype}, expected ${expected.dtype}`);
  }
  for (let i = 0; i < expected.data.length; i++) {
    const x = a.data[i]!;
    const e = expected.data[i]!;
    if (Number.isNaN(e) && Number.isNaN(x)) continue;
    if (!Number.isFinite(e) || !Number.isFinite(x)) {
      if (x === e) continue;
    } else if (Math.abs(x - e) <= tol.atol + tol.rtol * Math.abs(e)) {
      continue;
    }
    throw new Error(
      `${what}: element ${i} (index [${unravel(i, expected.shape).join(', ')}]) is ${x}, expected ${e} (atol ${tol.atol}, rtol ${tol.rtol})`,
    );
  }
}
