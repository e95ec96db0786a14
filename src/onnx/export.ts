/**
 * `onnx.exportModel` and `onnx.toBytes`: trace one forward pass and write it as an ONNX model
 * (opset 17) whose initializers are the model's parameters and buffers under their state-dict names.
 * @module
 */
import { arrayOf, bool, describe, oneOf, parseOptions, str } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { Module } from '../nn/module.js';
import { GraphBuilder, UnsupportedOpError, elemType, type Value } from './graph.js';
import { encodeModel, type ValueInfoMsg } from './proto.js';
import { PRIM_CONVERTERS, type ConvertContext } from './prims.js';
import { tensorsIn, traceForward, type TraceEvent } from './trace.js';

/**
 * The ONNX opset the exporter writes.
 * @example
 * ```ts
 * onnx.OPSET_VERSION; // 17
 * ```
 */
export const OPSET_VERSION = 17 as const;

/** Options of {@link exportModel} and {@link toBytes}. */
export interface ExportOptions {
  /** Names of the graph inputs, one per example input (default `input`, or `input0`, `input1`, ...). */
  inputNames?: string[];
  /** Names of the graph outputs, one per output tensor (default the keys of an object result, else `output`, `output0`, ...). */
  outputNames?: string[];
  /** Make dim 0 of every input (and the dims that follow from it) a symbolic `batch` dim (default false). */
  dynamicBatch?: boolean;
  /** The ONNX opset (PyTorch's `opset_version`); only 17 is written (default 17). */
  opsetVersion?: 17;
}

const SPEC = { inputNames: arrayOf(str), outputNames: arrayOf(str), dynamicBatch: bool, opsetVersion: oneOf([OPSET_VERSION]) };
const FORMS = 'onnx.exportModel(model, exampleInputs, path, { inputNames, outputNames, dynamicBatch })';

/** A poisoned value: the op that made it cannot be exported (thrown only if an output needs it). */
interface Poisoned extends Value {
  error?: UnsupportedOpError;
}

/** Names for `count` tensors: the given ones (checked), or defaults. */
function namesOf(op: string, what: string, given: string[] | undefined, count: number, defaults: string[]): string[] {
  if (given === undefined) return defaults;
  if (given.length !== count)
    throw new ValueError(
      `${op}: ${what} has ${given.length} names but the model has ${count} ${what === 'inputNames' ? 'inputs' : 'outputs'}`,
    );
  if (new Set(given).size !== given.length || given.some((n) => n === ''))
    throw new ValueError(`${op}: ${what} must be distinct non-empty names, got ${describe(given)}`);
  return given;
}

function defaultNames(base: string, count: number): string[] {
  return count === 1 ? [base] : Array.from({ length: count }, (_v, i) => `${base}${i}`);
}

/** The symbolic name of an output dim of `size` that holds the batch: `batch`, or `batch*k` when merged with static dims. */
function batchDimName(size: number, batch: number): string {
  return size === batch ? 'batch' : `batch*${size / batch}`;
}

/** Removes nodes and initializers no output depends on. */
function prune(g: GraphBuilder, outputs: readonly string[]): void {
  const live = new Set(outputs);
  const kept: boolean[] = new Array<boolean>(g.nodes.length).fill(false);
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (n.outputs.some((o) => live.has(o))) {
      kept[i] = true;
      for (const x of n.inputs) if (x !== '') live.add(x);
    }
  }
  const nodes = g.nodes.filter((_n, i) => kept[i]);
  g.nodes.length = 0;
  g.nodes.push(...nodes);
  const inits = g.initializers.filter((t) => live.has(t.name));
  g.initializers.length = 0;
  g.initializers.push(...inits);
}

/**
 * Traces `model` on `exampleInputs` and returns the ONNX model's bytes (see {@link exportModel}).
 * @example
 * ```ts
 * const bytes = onnx.toBytes(new nn.Linear(4, 2), randn([3, 4]), { dynamicBatch: true });
 * ```
 */
export function toBytes(model: Module, exampleInputs: Tensor | readonly Tensor[], options: ExportOptions = {}): Uint8Array {
  const op = 'onnx.toBytes';
  return build(op, model, exampleInputs, options);
}

/** Checks the model and the example inputs (in argument order); returns the inputs as a list. */
function checkModelAndInputs(op: string, model: unknown, exampleInputs: unknown): readonly Tensor[] {
  if (!(model instanceof Module))
    throw new ArgumentTypeError(`${op}: model must be an nn.Module, got ${describe(model)}; accepted forms: ${FORMS}`);
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : exampleInputs;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((t) => t instanceof Tensor)) {
    throw new ArgumentTypeError(`${op}: exampleInputs must be a Tensor or a non-empty array of Tensors, got ${describe(exampleInputs)}`);
  }
  if (new Set(inputs).size !== inputs.length)
    throw new ValueError(`${op}: exampleInputs must be distinct tensors (the same tensor is given twice)`);
  return inputs;
}

function build(
  op: string,
  model: Module,
  exampleInputs: Tensor | readonly Tensor[],
  options: ExportOptions,
  dynamicByDefault = false,
): Uint8Array {
  const inputs = checkModelAndInputs(op, model, exampleInputs);
  const o = parseOptions(op, options, SPEC, { forms: FORMS, snakeCase: true });
  const dynamic = o.dynamicBatch ?? dynamicByDefault;
  if (dynamic && inputs.some((t) => t.ndim === 0 || t.shape[0]! < 2)) {
    throw new ValueError(
      `${op}: dynamicBatch needs example inputs with a batch (dim 0) of at least 2, so that the batch can be told from other dims; got shapes ${describe(inputs.map((t) => `[${t.shape.join(', ')}]`))}`,
    );
  }
  if (dynamic && inputs.some((t) => t.shape[0] !== inputs[0]!.shape[0])) {
    throw new ValueError(
      `${op}: dynamicBatch needs every example input to have the same batch size at dim 0, got shapes ${describe(inputs.map((t) => `[${t.shape.join(', ')}]`))}`,
    );
  }
  const inputNames = namesOf(op, 'inputNames', o.inputNames, inputs.length, defaultNames('input', inputs.length));

  // Parameter and buffer names, read before tracing (stateDict() detaches, which the trace would record).
  const stateNames = new Map<Tensor['_storage'], [string, Tensor][]>();
  for (const [name, t] of Object.entries(model.stateDict())) {
    const list = stateNames.get(t._storage) ?? [];
    list.push([name, t]);
    stateNames.set(t._storage, list);
  }
  const { events, result } = traceForward(model, inputs);
  const outs = tensorsIn(result);
  if (outs.length === 0) throw new ValueError(`${op}: the model's forward returned no tensor (got ${describe(result)})`);
  // An object result ({ output, hN }) names the outputs by its keys.
  const isRecord = result !== null && typeof result === 'object' && !(result instanceof Tensor) && !Array.isArray(result);
  const keys = isRecord
    ? Object.entries(result)
        .filter(([, v]) => v instanceof Tensor)
        .map(([k]) => k)
    : [];
  const outputNames = namesOf(
    op,
    'outputNames',
    o.outputNames,
    outs.length,
    keys.length === outs.length ? keys : defaultNames('output', outs.length),
  );

  const g = new GraphBuilder();
  g.batchSize = dynamic ? inputs[0]!.shape[0]! : null;
  g.batchSource = inputNames[0]!;
  for (const n of [...inputNames, ...outputNames]) {
    if (!g.claim(n)) throw new ValueError(`${op}: the name '${n}' is used for more than one graph input or output`);
  }
  inputs.forEach((t, i) => g.values.set(t, { name: inputNames[i]!, batchAxis: dynamic ? 0 : null }));
  const valueOf = (t: Tensor): Poisoned => {
    const known = g.values.get(t);
    if (known !== undefined) return known;
    const named = stateNames
      .get(t._storage)
      ?.find(
        ([, s]) =>
          s._offset === t._offset &&
          s.shape.length === t.ndim &&
          s.shape.every((v, i) => v === t.shape[i] && s._strides[i] === t._strides[i]),
      );
    let name: string;
    if (named !== undefined && g.claim(named[0])) name = g.constant(t, named[0]);
    else name = g.constant(t);
    const v = { name, batchAxis: null };
    g.values.set(t, v);
    return v;
  };
  convertEvents(g, events, valueOf);

  const outputInfos: ValueInfoMsg[] = [];
  outs.forEach((t, i) => {
    const v = valueOf(t);
    if (v.error) throw v.error;
    g.nodes.push({ opType: 'Identity', inputs: [v.name], outputs: [outputNames[i]!], name: `output_node_${i}`, attrs: {} });
    outputInfos.push({
      name: outputNames[i]!,
      type: elemType(t.dtype),
      dims: t.shape.map((s, a) => (a === v.batchAxis && g.batchSize !== null ? batchDimName(s, g.batchSize) : s)),
    });
  });
  prune(g, outputNames);
  return encodeModel({
    irVersion: 8,
    opset: OPSET_VERSION,
    producerName: 'tapegrad',
    producerVersion: '0.1.0',
    graphName: model.constructor.name || 'model',
    nodes: g.nodes,
    initializers: g.initializers,
    outputs: outputInfos,
    inputs: inputs.map((t, i) => ({
      name: inputNames[i]!,
      type: elemType(t.dtype),
      dims: t.shape.map((s, a) => (dynamic && a === 0 ? 'batch' : s)),
    })),
  });
}

/** Writes the nodes of every event, in order; a value an unsupported op made carries its error. */
function convertEvents(g: GraphBuilder, events: readonly TraceEvent[], valueOf: (t: Tensor) => Poisoned): void {
  for (const e of events) {
    if (e.kind === 'layer') {
      const { module, args, inputs, outs, convert } = e.layer;
      const ins = inputs.map(valueOf);
      const poisoned = ins.find((v) => v.error);
      let results: Poisoned[];
      try {
        results = poisoned ? outs.map(() => poisoned) : convert({ g, module, args, inputs, ins, outs, valueOf });
      } catch (err) {
        if (!(err instanceof UnsupportedOpError)) throw err;
        results = outs.map(() => ({ name: '', batchAxis: null, error: err }));
      }
      outs.forEach((t, i) => g.values.set(t, results[i]!));
      continue;
    }
    const ev = e.prim;
    const ins = ev.inputs.map(valueOf);
    const poisoned = ins.find((v) => v.error);
    if (poisoned) {
      g.values.set(ev.out, poisoned);
      continue;
    }
    g.values.set(ev.out, convertPrim({ g, ev, ins }));
  }
}

function convertPrim(c: ConvertContext): Poisoned {
  const { op, attrs } = c.ev;
  const name = (attrs as { name?: unknown } | null)?.name;
  try {
    if (op === 'inplace')
      throw new UnsupportedOpError(
        String(name),
        `onnx: the in-place op '${String(name)}' on a traced tensor cannot be exported to ONNX; use its out-of-place form in forward`,
      );
    if (op === 'Function')
      throw new UnsupportedOpError(
        String(name),
        `onnx: the custom autograd Function '${String(name)}' cannot be exported to ONNX; write its forward with tapegrad ops (it is then traced through them)`,
      );
    const convert = Object.hasOwn(PRIM_CONVERTERS, op) ? PRIM_CONVERTERS[op] : undefined;
    if (convert === undefined) throw new UnsupportedOpError(op, `onnx: the op '${op}' cannot be exported to ONNX`);
    const v: Poisoned = convert(c);
    // Ops other than reshape keep where the batch sits inside its axis.
    if (v.batchAxis !== null && v.batchOuter === undefined) {
      const from = c.ins.find((i) => i.batchAxis !== null);
      if (from?.batchOuter !== undefined) v.batchOuter = from.batchOuter;
    }
    return v;
  } catch (err) {
    if (!(err instanceof UnsupportedOpError)) throw err;
    return { name: '', batchAxis: null, error: err };
  }
}

/**
 * Traces one forward pass of `model` on `exampleInputs` (in eval mode, without building the
 * tape) and writes it to `path` as an ONNX model (opset 17). Initializers are the model's
 * parameters and buffers under their state-dict names; layers with an ONNX operator of their own
 * become that operator, everything else the ONNX ops of the primitives it is made of. An op
 * with no ONNX form throws {@link UnsupportedOpError} naming it.
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(784, 10), new nn.ReLU(), new nn.Linear(10, 10));
 * onnx.exportModel(model, randn([2, 784]), 'model.onnx', { dynamicBatch: true, inputNames: ['pixels'], outputNames: ['logits'] });
 * ```
 */
export function exportModel(model: Module, exampleInputs: Tensor | readonly Tensor[], path: string, options: ExportOptions = {}): void {
  exportModelAs('onnx.exportModel', model, exampleInputs, path, options);
}

/** {@link exportModel} with errors naming `op` (keras `Sequential.export`). @internal */
export function exportModelAs(
  op: string,
  model: Module,
  exampleInputs: Tensor | readonly Tensor[],
  path: string,
  options: ExportOptions = {},
  dynamicByDefault = false,
): void {
  checkModelAndInputs(op, model, exampleInputs);
  if (typeof path !== 'string' || path === '')
    throw new ArgumentTypeError(`${op}: path must be a non-empty string, got ${describe(path)}; accepted forms: ${FORMS}`);
  writeFileAtomic(path, build(op, model, exampleInputs, options, dynamicByDefault));
}
