/**
 * ONNX forms of the autograd primitives: one converter per primitive that writes the nodes
 * computing it and says which axis of the result carries the batch (for a dynamic batch).
 * @module
 */
import type { DType } from '../autograd/dtype.js';
import type { PrimAttrs } from '../autograd/primitives.js';
import type { Tensor } from '../autograd/tensor.js';
import { UnsupportedOpError, type GraphBuilder, type Value } from './graph.js';
import type { AttrValue } from './proto.js';
import { foldToOnnx, unfoldToOnnx } from './window.js';

/** One recorded op: its name, input tensors, attributes and output. @internal */
export interface PrimEvent {
  op: string;
  inputs: readonly Tensor[];
  attrs: unknown;
  out: Tensor;
}

/** What a converter sees: the graph, the event, and the graph values of its inputs. @internal */
export interface ConvertContext {
  g: GraphBuilder;
  ev: PrimEvent;
  ins: readonly Value[];
}

type Converter = (c: ConvertContext) => Value;

/** The output's batch axis from elementwise inputs (right-aligned broadcasting). */
function broadcastBatch(c: ConvertContext): number | null {
  const nd = c.ev.out.ndim;
  for (let i = 0; i < c.ins.length; i++) {
    const a = c.ins[i]!.batchAxis;
    if (a !== null) return a + nd - c.ev.inputs[i]!.ndim;
  }
  return null;
}

/** Input i cast to `to`. */
function inputAs(c: ConvertContext, i: number, to: DType): string {
  return c.g.cast(c.ins[i]!.name, c.ev.inputs[i]!.dtype, to);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** The wider of the input dtypes (for comparisons, whose output is bool). */
function commonDType(ts: readonly Tensor[]): DType {
  let d = ts[0]!.dtype;
  for (const t of ts) if (RANK[t.dtype] > RANK[d]) d = t.dtype;
  return d;
}

/** An op of the inputs cast to the output's dtype (arithmetic). */
/** Arithmetic of bool tensors is logic (tapegrad keeps bool results 0/1): add/max is or, mul/min is and. */
const BOOL_FORM: Record<string, string> = { Add: 'Or', Max: 'Or', Mul: 'And', Min: 'And' };

function arithmetic(opType: string, after?: (c: ConvertContext, y: string) => string): Converter {
  return (c) => {
    const out = c.ev.out.dtype;
    if (out === 'bool' && !Object.hasOwn(BOOL_FORM, opType) && opType !== 'Abs' && opType !== 'Relu') {
      throw new UnsupportedOpError(
        c.ev.op,
        `onnx: the op '${c.ev.op}' on bool tensors cannot be exported to ONNX; convert them with .float() or .int() first`,
      );
    }
    const names = c.ins.map((_v, i) => inputAs(c, i, out));
    const y =
      out === 'bool'
        ? opType === 'Abs' || opType === 'Relu'
          ? c.g.op('Identity', names)
          : c.g.op(BOOL_FORM[opType]!, names)
        : c.g.op(opType, names);
    return { name: after ? after(c, y) : y, batchAxis: broadcastBatch(c) };
  };
}

/** A comparison of the inputs cast to their common dtype; optionally negated. */
function comparison(opType: string, negate = false): Converter {
  return (c) => {
    const d = commonDType(c.ev.inputs);
    const y = c.g.op(
      opType,
      c.ins.map((_v, i) => inputAs(c, i, d)),
    );
    return { name: negate ? c.g.op('Not', [y]) : y, batchAxis: broadcastBatch(c) };
  };
}

/** `x op k` with a scalar constant k of the output's dtype. */
function withScalar(c: ConvertContext, opType: string, x: string, k: number, first = false): string {
  const s = c.g.scalar(k, c.ev.out.dtype);
  return c.g.op(opType, first ? [s, x] : [x, s]);
}

/** Batch axis after reducing `dims` (null when the batch axis is reduced). */
function reducedBatch(axis: number | null, dims: readonly number[], keepdim: boolean): number | null {
  if (axis === null || dims.includes(axis)) return null;
  return keepdim ? axis : axis - dims.filter((d) => d < axis).length;
}

/** A reduction: opset 17 takes ReduceSum's axes as an input and the others' as an attribute. */
function reduction(opType: string, viaFloat = false): Converter {
  return (c) => {
    const { dims, keepdim } = c.ev.attrs as PrimAttrs['sum'];
    const batchAxis = reducedBatch(c.ins[0]!.batchAxis, dims, keepdim);
    let x = viaFloat ? inputAs(c, 0, 'float32') : inputAs(c, 0, c.ev.out.dtype);
    if (dims.length === 0) return { name: c.g.op('Identity', [x]), batchAxis };
    const keep = { keepdims: { int: keepdim ? 1 : 0 } };
    x = opType === 'ReduceSum' ? c.g.op(opType, [x, c.g.int64s(dims)], keep) : c.g.op(opType, [x], { axes: { ints: dims }, ...keep });
    return { name: viaFloat ? c.g.cast(x, 'float32', c.ev.out.dtype) : x, batchAxis };
  };
}

/** ArgMax/ArgMin over one dim (or over all dims of a flattened input), as int32. */
function argReduction(opType: string): Converter {
  return (c) => {
    const { dims, keepdim } = c.ev.attrs as PrimAttrs['argmax'];
    const x = c.ev.inputs[0]!;
    let name = c.ins[0]!.name;
    let axis = dims[0] ?? 0;
    if (dims.length !== 1) {
      if (dims.length !== x.ndim)
        throw new UnsupportedOpError(c.ev.op, `onnx: ${c.ev.op} over dims [${dims.join(', ')}] has no ONNX form (one dim or all of them)`);
      name = c.g.op('Reshape', [name, c.g.int64s([-1])]);
      axis = 0;
    }
    const keepAxis = keepdim && dims.length === 1;
    let y = c.g.op(opType, [name], { axis: { int: axis }, keepdims: { int: keepAxis ? 1 : 0 }, select_last_index: { int: 0 } });
    if (keepdim && !keepAxis) y = c.g.op('Reshape', [y, c.g.int64s(c.ev.out.shape)]);
    // ArgMax/ArgMin give int64; tapegrad's indices are int32.
    return { name: c.g.op('Cast', [y], { to: { int: 6 } }), batchAxis: reducedBatch(c.ins[0]!.batchAxis, dims, keepdim) };
  };
}

/** One softmax-like op over `dim`. */
function alongDim(opType: string): Converter {
  return (c) => {
    const { dim } = c.ev.attrs as { dim: number };
    return { name: c.g.op(opType, [c.ins[0]!.name], { axis: { int: dim } }), batchAxis: c.ins[0]!.batchAxis };
  };
}

/**
 * The target shape of a reshape with a dynamic batch B. Counting elements in row-major order, the
 * batch starts after `before` elements and is followed by `after` per batch entry; the output dim
 * that holds all of it (the dims before it divide `before`, those after it divide `after`)
 * becomes -1, and remembers how many elements of its own sit before the batch.
 */
function reshapeTarget(
  x: Tensor,
  v: Value,
  shape: readonly number[],
  b: number | null,
): { dims: number[]; batchAxis: number | null; batchOuter?: number } {
  const axis = v.batchAxis;
  if (axis === null || b === null) return { dims: shape.slice(), batchAxis: null };
  let before = v.batchOuter ?? 1;
  for (let i = 0; i < axis; i++) before *= x.shape[i]!;
  const after = x.numel() / (before * b);
  let prefix = 1;
  for (let j = 0; j < shape.length; j++) {
    let suffix = 1;
    for (let k = j + 1; k < shape.length; k++) suffix *= shape[k]!;
    if (before % prefix === 0 && after % suffix === 0 && shape[j]! % b === 0 && suffix * shape[j]! >= after * b) {
      const dims = shape.slice();
      dims[j] = -1;
      return { dims, batchAxis: j, batchOuter: before / prefix };
    }
    prefix *= shape[j]!;
  }
  return { dims: shape.slice(), batchAxis: null };
}

/** The largest int64 (Slice's "to the end"). */
const INT64_MAX = Number.MAX_SAFE_INTEGER;

function unsupported(reason: string): Converter {
  return (c) => {
    throw new UnsupportedOpError(c.ev.op, `onnx: the op '${c.ev.op}' cannot be exported to ONNX: ${reason}`);
  };
}

/** The converter of every primitive, plus `detach`. @internal */
export const PRIM_CONVERTERS: Record<string, Converter> = {
  neg: arithmetic('Neg'),
  abs: arithmetic('Abs'),
  sign: arithmetic('Sign'),
  relu: arithmetic('Relu'),
  exp: arithmetic('Exp'),
  log: arithmetic('Log'),
  sqrt: arithmetic('Sqrt'),
  reciprocal: arithmetic('Reciprocal'),
  sin: arithmetic('Sin'),
  cos: arithmetic('Cos'),
  tanh: arithmetic('Tanh'),
  sigmoid: arithmetic('Sigmoid'),
  erf: arithmetic('Erf'),
  rsqrt: arithmetic('Sqrt', (c, y) => c.g.op('Reciprocal', [y])),
  log1p: (c) => ({ name: c.g.op('Log', [withScalar(c, 'Add', inputAs(c, 0, c.ev.out.dtype), 1)]), batchAxis: c.ins[0]!.batchAxis }),
  expm1: (c) => ({ name: withScalar(c, 'Sub', c.g.op('Exp', [inputAs(c, 0, c.ev.out.dtype)]), 1), batchAxis: c.ins[0]!.batchAxis }),
  add: arithmetic('Add'),
  sub: arithmetic('Sub'),
  mul: arithmetic('Mul'),
  div: arithmetic('Div'),
  pow: arithmetic('Pow'),
  maximum: arithmetic('Max'),
  minimum: arithmetic('Min'),
  eq: comparison('Equal'),
  ne: comparison('Equal', true),
  lt: comparison('Less'),
  le: comparison('LessOrEqual'),
  gt: comparison('Greater'),
  ge: comparison('GreaterOrEqual'),
  isnan: (c) => ({ name: c.g.op('IsNaN', [c.ins[0]!.name]), batchAxis: c.ins[0]!.batchAxis }),
  isfinite: (c) => {
    const x = inputAs(c, 0, c.ev.inputs[0]!.dtype === 'float64' ? 'float64' : 'float32');
    return { name: c.g.op('Not', [c.g.op('Or', [c.g.op('IsNaN', [x]), c.g.op('IsInf', [x])])]), batchAxis: c.ins[0]!.batchAxis };
  },
  logicalNot: (c) => ({ name: c.g.op('Not', [inputAs(c, 0, 'bool')]), batchAxis: c.ins[0]!.batchAxis }),
  where: (c) => {
    const d = c.ev.out.dtype;
    return { name: c.g.op('Where', [inputAs(c, 0, 'bool'), inputAs(c, 1, d), inputAs(c, 2, d)]), batchAxis: broadcastBatch(c) };
  },
  cast: (c) => ({ name: c.g.op('Identity', [inputAs(c, 0, c.ev.out.dtype)]), batchAxis: c.ins[0]!.batchAxis }),

  sum: reduction('ReduceSum'),
  prod: reduction('ReduceProd'),
  amax: reduction('ReduceMax'),
  amin: reduction('ReduceMin'),
  any: reduction('ReduceMax', true),
  all: reduction('ReduceMin', true),
  argmax: argReduction('ArgMax'),
  argmin: argReduction('ArgMin'),
  softmax: alongDim('Softmax'),
  logSoftmax: alongDim('LogSoftmax'),
  cumsum: (c) => {
    const { dim } = c.ev.attrs as PrimAttrs['cumsum'];
    const x = inputAs(c, 0, c.ev.out.dtype);
    return { name: c.g.op('CumSum', [x, c.g.int64s([dim], [])]), batchAxis: c.ins[0]!.batchAxis };
  },

  reshape: (c) => {
    const { shape } = c.ev.attrs as PrimAttrs['reshape'];
    const t = reshapeTarget(c.ev.inputs[0]!, c.ins[0]!, shape, c.g.batchSize);
    return { name: c.g.op('Reshape', [c.ins[0]!.name, c.g.int64s(t.dims)]), batchAxis: t.batchAxis, batchOuter: t.batchOuter };
  },
  permute: (c) => {
    const { dims } = c.ev.attrs as PrimAttrs['permute'];
    const a = c.ins[0]!.batchAxis;
    return { name: c.g.op('Transpose', [c.ins[0]!.name], { perm: { ints: dims } }), batchAxis: a === null ? null : dims.indexOf(a) };
  },
  expand: (c) => {
    // Dims the input already has keep size 1 in Expand's shape (it broadcasts both ways), so a dynamic batch flows through.
    const { shape } = c.ev.attrs as PrimAttrs['expand'];
    const x = c.ev.inputs[0]!;
    const lead = shape.length - x.ndim;
    const target = shape.map((s, i) => (i >= lead && x.shape[i - lead] === s ? 1 : s));
    const a = c.ins[0]!.batchAxis;
    const b = c.g.batchSize;
    if (a === null && b !== null) {
      // A tensor without the batch broadcast to the batch size (weights for a batched matmul, a class token): that dim follows the input's batch.
      const grown = target.map((s, i) => (s === b && (i < lead || x.shape[i - lead] === 1) ? i : -1)).filter((i) => i >= 0);
      if (grown.length === 1) {
        const axis = grown[0]!;
        const parts = [
          axis > 0 ? c.g.int64s(target.slice(0, axis)) : null,
          c.g.batchSizeValue(),
          axis < target.length - 1 ? c.g.int64s(target.slice(axis + 1)) : null,
        ];
        const dims = c.g.op(
          'Concat',
          parts.filter((p): p is string => p !== null),
          { axis: { int: 0 } },
        );
        return { name: c.g.op('Expand', [c.ins[0]!.name, dims]), batchAxis: axis };
      }
    }
    return { name: c.g.op('Expand', [c.ins[0]!.name, c.g.int64s(target)]), batchAxis: a === null ? null : a + lead };
  },
  slice: (c) => {
    const { dim, start, end, step } = c.ev.attrs as PrimAttrs['slice'];
    const size = c.ev.inputs[0]!.shape[dim]!;
    const stop = end >= size ? INT64_MAX : end;
    const y = c.g.op('Slice', [c.ins[0]!.name, c.g.int64s([start]), c.g.int64s([stop]), c.g.int64s([dim]), c.g.int64s([step])]);
    return { name: y, batchAxis: c.ins[0]!.batchAxis };
  },
  sliceScatter: (c) => {
    const { dim, start, end, step, shape } = c.ev.attrs as PrimAttrs['sliceScatter'];
    if (step !== 1)
      throw new UnsupportedOpError(
        'sliceScatter',
        `onnx: the op 'sliceScatter' with step ${step} cannot be exported to ONNX (step 1 only)`,
      );
    const pads = new Array<number>(2 * shape.length).fill(0);
    pads[dim] = start;
    pads[shape.length + dim] = shape[dim]! - Math.min(end, shape[dim]!);
    return { name: c.g.op('Pad', [c.ins[0]!.name, c.g.int64s(pads)]), batchAxis: c.ins[0]!.batchAxis };
  },
  copy: (c) => ({ name: c.g.op('Identity', [c.ins[0]!.name]), batchAxis: c.ins[0]!.batchAxis }),
  cat: (c) => {
    const { dim } = c.ev.attrs as PrimAttrs['cat'];
    return {
      name: c.g.op(
        'Concat',
        c.ins.map((_v, i) => inputAs(c, i, c.ev.out.dtype)),
        { axis: { int: dim } },
      ),
      batchAxis: broadcastBatch(c),
    };
  },
  detach: (c) => ({ name: c.g.op('Identity', [c.ins[0]!.name]), batchAxis: c.ins[0]!.batchAxis }),

  indexSelect: (c) => {
    const { dim } = c.ev.attrs as PrimAttrs['indexSelect'];
    const [x, index] = c.ins as [Value, Value];
    return {
      name: c.g.op('Gather', [x.name, index.name], { axis: { int: dim } }),
      batchAxis: index.batchAxis !== null ? dim : x.batchAxis,
    };
  },
  gather: (c) => {
    const { dim } = c.ev.attrs as PrimAttrs['gather'];
    const [x, index] = c.ins as [Value, Value];
    return { name: c.g.op('GatherElements', [x.name, index.name], { axis: { int: dim } }), batchAxis: index.batchAxis ?? x.batchAxis };
  },
  indexAdd: (c) => {
    // index_add along dim = ScatterElements(add) with the index broadcast over the source's other dims.
    const { dim } = c.ev.attrs as PrimAttrs['indexAdd'];
    const [self, , src] = c.ev.inputs as [Tensor, Tensor, Tensor];
    const idxShape = src.shape.map((s, i) => (i === dim ? s : 1));
    const srcName = inputAs(c, 2, self.dtype);
    const idx = c.g.op('Expand', [c.g.op('Reshape', [c.ins[1]!.name, c.g.int64s(idxShape)]), c.g.op('Shape', [srcName])]);
    const y = c.g.op('ScatterElements', [c.ins[0]!.name, idx, srcName], { axis: { int: dim }, reduction: { string: 'add' } });
    return { name: y, batchAxis: c.ins[0]!.batchAxis };
  },
  scatterAdd: (c) => scatterElements(c, 'add'),
  scatter: (c) => scatterElements(c, 'none'),

  matmul: (c) => {
    const [a, b] = c.ev.inputs as [Tensor, Tensor];
    const nd = c.ev.out.ndim;
    const aAxis = c.ins[0]!.batchAxis;
    const bAxis = c.ins[1]!.batchAxis;
    let batchAxis: number | null = null;
    if (aAxis !== null && aAxis !== a.ndim - 1) batchAxis = a.ndim === 1 ? null : aAxis + nd - a.ndim;
    else if (bAxis !== null && bAxis !== b.ndim - 2 && b.ndim > 1) batchAxis = bAxis + nd - b.ndim;
    return { name: c.g.op('MatMul', [c.ins[0]!.name, c.ins[1]!.name]), batchAxis };
  },

  unfold: unfoldToOnnx,
  fold: foldToOnnx,
  crossEntropyIndices: unsupported('losses are not part of an exported inference graph; export the model and compute the loss outside'),
  crossEntropyIndicesBackward: unsupported('it is a gradient op'),
  layerNorm: layerNormToOnnx,
};

/**
 * The fused layer norm as LayerNormalization over the fewest trailing dims that hold its `size`
 * elements, with γ and β reshaped to those dims (γ = ones when absent; an absent β is omitted);
 * a normalised size of 1 as Sub, Mul, Add.
 */
function layerNormToOnnx(c: ConvertContext): Value {
  const { size, eps, weight, bias } = c.ev.attrs as PrimAttrs['layerNorm'];
  const x = c.ev.inputs[0]!;
  let k = 0;
  let count = 1;
  do count *= x.shape[x.ndim - 1 - k++]!;
  while (count < size && k < x.ndim);
  const normShape = x.shape.slice(x.ndim - k);
  const param = (i: number): string => c.g.op('Reshape', [c.ins[i]!.name, c.g.int64s(normShape)]);
  if (size === 1) {
    // ONNX Runtime rejects a normalised size of 1; the result is (x − x)·γ + β (NaN where x is not finite).
    let y = c.g.op('Sub', [c.ins[0]!.name, c.ins[0]!.name]);
    if (weight) y = c.g.op('Mul', [y, param(1)]);
    if (bias) y = c.g.op('Add', [y, param(2)]);
    return { name: y, batchAxis: c.ins[0]!.batchAxis };
  }
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const ones = x.dtype === 'float64' ? new Float64Array(size).fill(1) : new Float32Array(size).fill(1);
  const scale = weight ? param(1) : c.g.initializer(c.g.fresh('const'), dtype, normShape, new Uint8Array(ones.buffer));
  const inputs = [c.ins[0]!.name, scale];
  if (bias) inputs.push(param(2));
  return { name: c.g.op('LayerNormalization', inputs, { axis: { int: -k }, epsilon: { float: eps } }), batchAxis: c.ins[0]!.batchAxis };
}

/** scatter / scatter_add with an index of the source's shape. */
function scatterElements(c: ConvertContext, reduction: 'add' | 'none'): Value {
  const { dim } = c.ev.attrs as PrimAttrs['scatter'];
  const [self, index, src] = c.ev.inputs as [Tensor, Tensor, Tensor];
  let srcName = inputAs(c, 2, self.dtype);
  if (src.shape.some((s, i) => s !== index.shape[i])) {
    const n = index.ndim;
    srcName = c.g.op('Slice', [
      srcName,
      c.g.int64s(new Array<number>(n).fill(0)),
      c.g.int64s(index.shape),
      c.g.int64s(index.shape.map((_s, i) => i)),
    ]);
  }
  const attrs: Record<string, AttrValue> = { axis: { int: dim } };
  if (reduction === 'add') attrs['reduction'] = { string: 'add' };
  return { name: c.g.op('ScatterElements', [c.ins[0]!.name, c.ins[1]!.name, srcName], attrs), batchAxis: c.ins[0]!.batchAxis };
}
