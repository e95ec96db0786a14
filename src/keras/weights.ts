/**
 * Keras' `getWeights`/`setWeights`: each layer lists its weights in Keras' order and layout (a
 * conv kernel is `[kh, kw, in, out]`, an LSTM kernel `[inputDim, 4·units]`), whatever layout the
 * wrapped `nn` layer stores them in.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { tensor } from '../autograd/ops/creation.js';
import { Tensor, type NestedArray } from '../autograd/tensor.js';
import { Module } from '../nn/module.js';
import { describeValue } from './names.js';

/** One weight as Keras shows it: read in Keras' layout, written back from it. @internal */
export interface WeightSlot {
  /** Keras' name of the weight (`kernel`, `bias`, `gamma`, `moving_mean`, ...). */
  readonly name: string;
  /** The weight in Keras' layout (a detached copy). */
  get(): Tensor;
  /** Writes `value` (already checked to have `get()`'s shape) into the layer. */
  set(value: Tensor): void;
}

/** A layer that lists its weights in Keras' order and layout. @internal */
interface HasKerasWeights {
  kerasWeights(): WeightSlot[];
}

/** A slot for a tensor stored in the same layout Keras uses. @internal */
export function directSlot(name: string, t: Tensor): WeightSlot {
  return {
    name,
    get: () => t.detach().clone(),
    set: (v) =>
      noGrad(() => {
        t.copy_(v);
      }),
  };
}

/**
 * A slot for a tensor stored with its dims permuted relative to Keras: `toKeras` is the permutation
 * from the stored layout to Keras' (a conv kernel `[out, in, kh, kw]` → `[kh, kw, in, out]` is `[2, 3, 1, 0]`). @internal
 */
export function permutedSlot(name: string, t: Tensor, toKeras: readonly number[]): WeightSlot {
  const back = toKeras.map((_, i) => toKeras.indexOf(i));
  return {
    name,
    get: () => t.detach().permute(toKeras.slice()).contiguous(),
    set: (v) =>
      noGrad(() => {
        t.copy_(v.permute(back));
      }),
  };
}

/** The Keras weights of a layer: its own list, or its parameters and persistent buffers in state-dict order. @internal */
export function slotsOf(layer: Module): WeightSlot[] {
  const own = (layer as Partial<HasKerasWeights>).kerasWeights;
  if (typeof own === 'function') return own.call(layer);
  return Object.entries(layer.stateDict()).map(([k, t]) => directSlot(k, findTensor(layer, k) ?? t));
}

/** The live tensor behind a state-dict key (stateDict may return the tensors themselves or copies). */
function findTensor(layer: Module, key: string): Tensor | undefined {
  for (const [k, p] of layer.namedParameters()) if (k === key) return p;
  for (const [k, b] of layer.namedBuffers()) if (k === key) return b;
  return undefined;
}

/** Reads every slot. @internal */
export function readWeights(slots: readonly WeightSlot[]): Tensor[] {
  return slots.map((s) => s.get());
}

/**
 * Checks `arrays` against `slots` (count, type, shape) before writing any, so a bad list changes
 * nothing, then writes them. @internal
 */
export function writeWeights(op: string, slots: readonly WeightSlot[], arrays: unknown): void {
  if (!Array.isArray(arrays))
    throw new ArgumentTypeError(
      `${op}: expected an array of tensors (as getWeights() returns) or nested number arrays, got ${describeValue(arrays)}`,
    );
  if (arrays.length !== slots.length) {
    throw new ValueError(
      `${op}: expected ${slots.length} weight tensor${slots.length === 1 ? '' : 's'} (${slots.map((s) => s.name).join(', ') || 'none'}), got ${arrays.length}`,
    );
  }
  const current = slots.map((s) => s.get());
  const given = arrays.map((a: unknown) => (Array.isArray(a) ? tensor(a as NestedArray) : a));
  given.forEach((a, i) => {
    if (!(a instanceof Tensor))
      throw new ArgumentTypeError(
        `${op}: weight ${i} (${slots[i]!.name}) must be a Tensor or a nested array of numbers, got ${describeValue(a)}`,
      );
    const want = current[i]!.shape;
    if (a.shape.length !== want.length || a.shape.some((d, j) => d !== want[j])) {
      throw new ShapeError(`${op}: weight ${i} (${slots[i]!.name}) must have shape ${fmtShape(want)}, got ${fmtShape(a.shape)}`);
    }
  });
  slots.forEach((s, i) => s.set((given[i] as Tensor).to(current[i]!.dtype)));
}
