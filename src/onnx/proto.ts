/**
 * A minimal protocol-buffers writer and the ONNX messages the exporter emits (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), with the field numbers of
 * onnx.proto. Only writing is needed, so each message is a function from a plain object to bytes.
 * @module
 */

/** Appends protobuf fields to a growing byte buffer. @internal */
class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  /** A varint: non-negative integers directly, negative ones as 10-byte two's complement (int64). */
  varint(value: number | bigint): void {
    let v = typeof value === 'bigint' ? value : BigInt(value);
    if (v < 0n) v += 1n << 64n;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** An int64/int32/enum field (wire type 0). */
  int(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  /** A float field (wire type 5, little-endian float32). */
  float(field: number, value: number): void {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 4).setFloat32(0, value, true);
    this.len += 4;
  }

  /** A length-delimited field: bytes, a string (UTF-8) or an embedded message. */
  bytes(field: number, value: Uint8Array | string): void {
    const data = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    this.tag(field, 2);
    this.varint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  /** A packed repeated int64 field. */
  packedInts(field: number, values: readonly number[]): void {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    this.bytes(field, inner.finish());
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** ONNX TensorProto.DataType codes of the element types the exporter writes. @internal */
const ONNX_DTYPE = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11 } as const;

/** An element type name of {@link ONNX_DTYPE}. @internal */
export type OnnxElemType = keyof typeof ONNX_DTYPE;

/** A TensorProto: dims, element type and little-endian raw bytes. @internal */
export interface TensorMsg {
  name: string;
  dims: readonly number[];
  type: OnnxElemType;
  raw: Uint8Array;
}

/** An attribute value: a number is INT when integral and `float` is not set. @internal */
export type AttrValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { string: string }
  | { strings: readonly string[] }
  | { tensor: TensorMsg };

/** A NodeProto. @internal */
export interface NodeMsg {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attrs: Record<string, AttrValue>;
}

/** A ValueInfoProto of a tensor: dims are sizes or symbolic names (a dynamic dim). @internal */
export interface ValueInfoMsg {
  name: string;
  type: OnnxElemType;
  dims: readonly (number | string)[];
}

/** A whole model. @internal */
interface ModelMsg {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  graphName: string;
  nodes: readonly NodeMsg[];
  initializers: readonly TensorMsg[];
  inputs: readonly ValueInfoMsg[];
  outputs: readonly ValueInfoMsg[];
}

/** Encodes a TensorProto (dims=1, data_type=2, name=8, raw_data=9). @internal */
function encodeTensor(t: TensorMsg): Uint8Array {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, ONNX_DTYPE[t.type]);
  w.bytes(8, t.name);
  w.bytes(9, t.raw);
  return w.finish();
}

/** AttributeProto.AttributeType codes. */
const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

/** Encodes an AttributeProto (name=1, f=2, i=3, s=4, t=5, floats=7, ints=8, strings=9, type=20). */
function encodeAttribute(name: string, value: AttrValue): Uint8Array {
  const w = new ProtoWriter();
  w.bytes(1, name);
  if ('int' in value) {
    w.int(3, value.int);
    w.int(20, ATTR_TYPE.int);
  } else if ('float' in value) {
    w.float(2, value.float);
    w.int(20, ATTR_TYPE.float);
  } else if ('ints' in value) {
    w.packedInts(8, value.ints);
    w.int(20, ATTR_TYPE.ints);
  } else if ('floats' in value) {
    const raw = new Uint8Array(new Float32Array(value.floats).buffer);
    w.bytes(7, raw);
    w.int(20, ATTR_TYPE.floats);
  } else if ('strings' in value) {
    for (const v of value.strings) w.bytes(9, v);
    w.int(20, ATTR_TYPE.strings);
  } else if ('string' in value) {
    w.bytes(4, value.string);
    w.int(20, ATTR_TYPE.string);
  } else {
    w.bytes(5, encodeTensor(value.tensor));
    w.int(20, ATTR_TYPE.tensor);
  }
  return w.finish();
}

/** Encodes a NodeProto (input=1, output=2, name=3, op_type=4, attribute=5). */
function encodeNode(n: NodeMsg): Uint8Array {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.bytes(1, i);
  for (const o of n.outputs) w.bytes(2, o);
  w.bytes(3, n.name);
  w.bytes(4, n.opType);
  for (const [k, v] of Object.entries(n.attrs)) w.bytes(5, encodeAttribute(k, v));
  return w.finish();
}

/** Encodes a ValueInfoProto with a tensor type (TypeProto.tensor_type=1: elem_type=1, shape=2; dim_value=1, dim_param=2). */
function encodeValueInfo(v: ValueInfoMsg): Uint8Array {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.bytes(2, d);
    shape.bytes(1, dim.finish());
  }
  const tensorType = new ProtoWriter();
  tensorType.int(1, ONNX_DTYPE[v.type]);
  tensorType.bytes(2, shape.finish());
  const type = new ProtoWriter();
  type.bytes(1, tensorType.finish());
  const w = new ProtoWriter();
  w.bytes(1, v.name);
  w.bytes(2, type.finish());
  return w.finish();
}

/**
 * Encodes a ModelProto (ir_version=1, producer_name=2, producer_version=3, graph=7,
 * opset_import=8) around its GraphProto (node=1, name=2, initializer=5, input=11, output=12).
 * @internal
 */
export function encodeModel(m: ModelMsg): Uint8Array {
  const g = new ProtoWriter();
  for (const n of m.nodes) g.bytes(1, encodeNode(n));
  g.bytes(2, m.graphName);
  for (const t of m.initializers) g.bytes(5, encodeTensor(t));
  for (const i of m.inputs) g.bytes(11, encodeValueInfo(i));
  for (const o of m.outputs) g.bytes(12, encodeValueInfo(o));
  const opset = new ProtoWriter();
  opset.bytes(1, '');
  opset.int(2, m.opset);
  const w = new ProtoWriter();
  w.int(1, m.irVersion);
  w.bytes(2, m.producerName);
  w.bytes(3, m.producerVersion);
  w.bytes(7, g.finish());
  w.bytes(8, opset.finish());
  return w.finish();
}
