/**
 * State dicts and checkpoints: collecting and loading a module's state, and saving it as a
 * safetensors file (written atomically: a crash never leaves half a checkpoint).
 * @module
 */
import { ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../autograd/tensor.js';
import { contiguousData } from '../autograd/ops/shape.js';
import type { RawTensor } from '../io/raw-tensor.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import { LoadStateDictError, type LoadStateDictResult, type Module } from './module.js';

/**
 * Every state entry of `module` (parameters and persistent non-null buffers) with its dotted name,
 * without de-duplication (a shared parameter appears under each of its names). @internal
 */
export function stateEntries(module: Module): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  const path = new Set<Module>();
  const walk = (m: Module, prefix: string): void => {
    if (path.has(m)) return; // a module that contains itself: stop the cycle
    path.add(m);
    const { params, buffers, children } = m._directMembers();
    for (const [name, p] of params) out.push([prefix + name, p]);
    for (const [name, b, persistent] of buffers) if (b !== null && persistent) out.push([prefix + name, b]);
    for (const [name, child] of children) walk(child, `${prefix}${name}.`);
    path.delete(m);
  };
  walk(module, '');
  return out;
}

/** Implements `Module.loadStateDict`: validates everything first, then copies. @internal */
export function loadInto(module: Module, state: Record<string, Tensor> | Map<string, Tensor>, strict: boolean): LoadStateDictResult {
  const given = state instanceof Map ? state : new Map(Object.entries(state));
  const targets = stateEntries(module);
  const own = new Set(targets.map(([k]) => k));
  const missingKeys = targets.map(([k]) => k).filter((k) => !given.has(k));
  const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
  const mismatches: string[] = [];
  const copies: [Tensor, Tensor][] = [];
  for (const [key, target] of targets) {
    if (!given.has(key)) continue;
    const src = given.get(key);
    if (!(src instanceof Tensor)) {
      mismatches.push(`'${key}': expected a Tensor, got ${src === null ? 'null' : typeof src}`);
      continue;
    }
    if (src.shape.length !== target.shape.length || src.shape.some((s, i) => s !== target.shape[i])) {
      mismatches.push(`'${key}': shape ${fmtShape(src.shape)} in the state dict, ${fmtShape(target.shape)} in the module`);
      continue;
    }
    copies.push([target, src]);
  }
  const problems: string[] = [];
  if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
  if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
  if (mismatches.length > 0) problems.push(`size mismatches: ${mismatches.join('; ')}`);
  if (problems.length > 0) {
    throw new LoadStateDictError(
      `loadStateDict: cannot load the state dict into ${module.moduleName()}: ${problems.join('. ')}. Nothing was loaded.`,
      strict ? missingKeys : [],
      strict ? unexpectedKeys : [],
      mismatches,
    );
  }
  noGrad(() => {
    for (const [target, src] of copies) target.copy_(src);
  });
  return { missingKeys, unexpectedKeys };
}

function toRaw(name: string, t: Tensor): RawTensor {
  if (!(t instanceof Tensor)) throw new ValueError(`toBytes: the value of '${name}' is not a Tensor`);
  // contiguousData may return (a window of) the tensor's own storage: copy it.
  return { dtype: t.dtype, shape: t.shape.slice(), data: contiguousData(t).slice() };
}

function fromRaw(raw: RawTensor): Tensor {
  return Tensor._fromData(raw.data.slice(), raw.shape.slice(), raw.dtype);
}

function rawRecord(stateDict: Record<string, Tensor>): Record<string, RawTensor> {
  const out: Record<string, RawTensor> = {};
  for (const [k, t] of Object.entries(stateDict)) out[k] = toRaw(k, t);
  return out;
}

function tensorRecord(tensors: Record<string, RawTensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, raw] of Object.entries(tensors)) out[k] = fromRaw(raw);
  return out;
}

/**
 * Encodes a state dict (name → tensor) as safetensors bytes. float32, float64, int32 and bool
 * tensors round-trip exactly through {@link fromBytes}.
 * @example
 * ```ts
 * const bytes = nn.toBytes(model.stateDict());
 * ```
 */
export function toBytes(stateDict: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  return encodeSafetensors(rawRecord(stateDict), metadata);
}

/**
 * Decodes safetensors bytes into a state dict. Corrupt bytes throw a `FormatError` saying what is wrong.
 * @example
 * ```ts
 * model.loadStateDict(nn.fromBytes(bytes));
 * ```
 */
export function fromBytes(bytes: Uint8Array): Record<string, Tensor> {
  return tensorRecord(decodeSafetensors(bytes).tensors);
}

/**
 * Saves a state dict to a safetensors file, atomically (temporary file, then rename).
 * @example
 * ```ts
 * nn.save(model.stateDict(), 'model.safetensors');
 * ```
 */
export function save(stateDict: Record<string, Tensor>, path: string, metadata?: Record<string, string>): void {
  saveSafetensors(path, rawRecord(stateDict), metadata);
}

/**
 * Loads a state dict from a safetensors file (also ones written by PyTorch's safetensors, for these
 * dtypes). A corrupt file throws a `FormatError` naming the file.
 * @example
 * ```ts
 * model.loadStateDict(nn.load('model.safetensors'));
 * ```
 */
export function load(path: string): Record<string, Tensor> {
  return tensorRecord(loadSafetensors(path).tensors);
}
