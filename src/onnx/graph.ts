/**
 * The ONNX graph under construction: nodes, initializers, unique value names, and the map from
 * traced tensors to the graph values that hold them.
 * @module
 */
import type { DType } from '../autograd/dtype.js';
import { NotImplementedError } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import type { AttrValue, NodeMsg, OnnxElemType, TensorMsg } from './proto.js';
import { brandClass } from '../autograd/brand.js';

/**
 * An op the exporter cannot write to ONNX, named in the message (a {@link NotImplementedError}).
 * @example
 * ```ts
 * try { onnx.exportModel(model, x, 'm.onnx'); } catch (e) { if (e instanceof onnx.UnsupportedOpError) console.log(e.op); }
 * ```
 */
export class UnsupportedOpError extends NotImplementedError {
  /** The error class name, `UnsupportedOpError`. */
  override name = 'UnsupportedOpError';
  /** The op that has no ONNX form. */
  readonly op: string;
  /** Creates the error for `op` with an explanation. */
  constructor(op: string, message: string) {
    super(message);
    this.op = op;
  }
}
brandClass(UnsupportedOpError, 'UnsupportedOpError');

/** A traced tensor's graph value: its name and the axis that carries the batch (null when none). @internal */
export interface Value {
  name: string;
  batchAxis: number | null;
  /** When the batch was merged into its axis with static dims: their size before the batch within that axis (default 1). */
  batchOuter?: number;
}

/** The ONNX element type of a tapegrad dtype. @internal */
export function elemType(dtype: DType): OnnxElemType {
  return dtype === 'bool' ? 'bool' : dtype;
}

/** The little-endian bytes of a tensor's values, as ONNX stores `dtype` (bool as one byte each). @internal */
function rawBytes(t: Tensor): Uint8Array {
  const data = t.dataSync();
  const copy = data.slice();
  return new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength);
}

/** Builds the node list and initializers of one graph. @internal */
export class GraphBuilder {
  readonly nodes: NodeMsg[] = [];
  readonly initializers: TensorMsg[] = [];
  /** The graph value of each traced tensor. */
  readonly values = new Map<Tensor, Value>();
  private readonly used = new Set<string>();
  /** The example inputs' batch size when the batch is dynamic, else null. */
  batchSize: number | null = null;
  /** The graph input whose dim 0 is the batch (when dynamic). */
  batchSource: string | null = null;
  private batchDim: string | null = null;

  /** The runtime batch size as a 1-element int64 tensor (Shape of the first input, dim 0), made once. */
  batchSizeValue(): string {
    this.batchDim ??= this.op('Slice', [this.op('Shape', [this.batchSource!]), this.int64s([0]), this.int64s([1])]);
    return this.batchDim;
  }
  private counter = 0;

  /** Reserves `name` exactly (graph inputs, outputs, state-dict names); false when it is taken. */
  claim(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }

  /** A new unique name starting with `hint`. */
  fresh(hint: string): string {
    let name: string;
    do name = `${hint}_${this.counter++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  /** Appends a node and returns its output names. */
  node(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, outputCount = 1): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType));
    this.nodes.push({ opType, inputs, outputs, name: `${opType}_node_${this.nodes.length}`, attrs });
    return outputs;
  }

  /** Appends a one-output node and returns its output name. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, attrs)[0]!;
  }

  /** Adds an initializer under `name` (already claimed) with the given bytes. */
  initializer(name: string, type: OnnxElemType, dims: readonly number[], raw: Uint8Array): string {
    this.initializers.push({ name, type, dims, raw });
    return name;
  }

  /** A constant int64 tensor (a shape, axes, indices) as an initializer. */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const raw = new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
    return this.initializer(this.fresh('const'), 'int64', dims, raw);
  }

  /** A constant scalar (0-d) of an ONNX element type. */
  scalar(value: number, type: OnnxElemType): string {
    const raw =
      type === 'float32'
        ? new Float32Array([value])
        : type === 'float64'
          ? new Float64Array([value])
          : type === 'int32'
            ? new Int32Array([value])
            : type === 'int64'
              ? new BigInt64Array([BigInt(value)])
              : new Uint8Array([value]);
    return this.initializer(this.fresh('const'), type, [], new Uint8Array(raw.buffer));
  }

  /** A constant holding a tensor's current values. */
  constant(t: Tensor, name = this.fresh('const')): string {
    return this.initializer(name, elemType(t.dtype), t.shape, rawBytes(t));
  }

  /** `name` cast to `to` (no node when `from` is already `to`). */
  cast(name: string, from: DType, to: DType): string {
    return from === to ? name : this.op('Cast', [name], { to: { int: CAST_TO[to] } });
  }
}

/** Cast's `to` codes (TensorProto.DataType) of the tapegrad dtypes. */
const CAST_TO: Record<DType, number> = { float32: 1, int32: 6, bool: 9, float64: 11 };
