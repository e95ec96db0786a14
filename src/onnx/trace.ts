/**
 * Tracing one forward pass: every primitive the model runs is recorded through the autograd
 * tracing hook (with its input tensors and attributes, which the tape does not keep for
 * constants and non-differentiable ops), while layers that have an ONNX operator of their own
 * run unrecorded and are recorded as one layer call.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { tracing } from '../autograd/node.js';
import { Tensor } from '../autograd/tensor.js';
import type { Module } from '../nn/module.js';
import { RNNBase } from '../nn/layers/rnn.js';
import { LAYER_CLASSES, layerConverter, type ModuleConverter } from './modules.js';
import type { PrimEvent } from './prims.js';
import { recurrent } from './rnn.js';

/** A layer call recorded as one unit. @internal */
interface LayerEvent {
  module: Module;
  convert: ModuleConverter;
  args: readonly unknown[];
  inputs: readonly Tensor[];
  outs: readonly Tensor[];
}

/** One recorded step, in execution order. @internal */
export type TraceEvent = { kind: 'prim'; prim: PrimEvent } | { kind: 'layer'; layer: LayerEvent };

/** The tensors of an argument or result: a tensor, or arrays / plain objects of them (in order). @internal */
export function tensorsIn(v: unknown, out: Tensor[] = [], depth = 0): Tensor[] {
  if (v instanceof Tensor) out.push(v);
  else if (depth < 4 && Array.isArray(v)) for (const x of v) tensorsIn(x, out, depth + 1);
  else if (depth < 4 && v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const x of Object.values(v as Record<string, unknown>)) tensorsIn(x, out, depth + 1);
  }
  return out;
}

function converterOf(m: Module, args: readonly unknown[]): ModuleConverter | null {
  return m instanceof RNNBase ? recurrent : layerConverter(m, args);
}

/** True for the layer classes that may be written as one ONNX operator (decided per call). */
function mayConvert(m: Module): boolean {
  return m instanceof RNNBase || LAYER_CLASSES.some((cls) => m instanceof cls);
}

/**
 * Runs `model` once on `inputs` in eval mode without building the tape, recording the events;
 * restores every module's training flag and forward afterwards.
 * @internal
 */
export function traceForward(model: Module, inputs: readonly Tensor[]): { events: TraceEvent[]; result: unknown } {
  const events: TraceEvent[] = [];
  const modules = model.modules();
  const training = modules.map((m) => m.training);
  const patched: Module[] = [];
  const record = (op: string, ins: readonly Tensor[], attrs: unknown, out: Tensor): void => {
    events.push({ kind: 'prim', prim: { op, inputs: ins.slice(), attrs, out } });
  };
  try {
    model.eval();
    for (const m of modules) {
      if (!mayConvert(m)) continue;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the wrapper calls it with the module as `this`
      const forward = m.forward;
      const wrapper = (...args: unknown[]): unknown => {
        const outer = tracing.record;
        const convert = outer === null ? null : converterOf(m, args);
        if (convert === null) return (forward as (...a: unknown[]) => unknown).apply(m, args);
        tracing.record = null;
        let result: unknown;
        try {
          result = (forward as (...a: unknown[]) => unknown).apply(m, args);
        } finally {
          tracing.record = outer;
        }
        // A layer called from inside another converted layer is part of that one's node.
        if (outer !== null)
          events.push({ kind: 'layer', layer: { module: m, convert, args, inputs: tensorsIn(args), outs: tensorsIn(result) } });
        return result;
      };
      Object.defineProperty(m, 'forward', { value: wrapper, configurable: true, writable: true, enumerable: false });
      patched.push(m);
    }
    tracing.record = record;
    const result = noGrad(() => (model as Module<unknown[], unknown>).call(...inputs));
    return { events, result };
  } finally {
    tracing.record = null;
    for (const m of patched) delete (m as unknown as { forward?: unknown }).forward;
    modules.forEach((m, i) => (m.training = training[i]!));
  }
}
