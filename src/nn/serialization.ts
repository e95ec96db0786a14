/**
 * State dicts and checkpoints: collecting and loading a module's state, and saving it as a
 * safetensors file (written atomically: a crash never leaves half a checkpoint).
 * @module
 */
import { checkArity, describe } from '../autograd/args.js';
import { ArgumentTypeError, ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../autograd/tensor.js';
import { contiguousData } from '../autograd/ops/shape.js';
import type { RawTensor } from '../io/raw-tensor.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import { defineOwn } from '../io/untrusted.js';
import { LoadStateDictError, type LoadStateDictResult, type Module } from './module.js';

/**
 * Every state entry of `module` (parameters and persistent non-null buffers) as `[key, tensor,
 * legacyKey]`: the PyTorch-style dotted key and the dotted path of JavaScript field names (the key
 * tapegrad used before), without de-duplication (a shared parameter appears under each of its names).
 * @internal
 */
export function stateEntries(module: Module): [string, Tensor, string][] {
  const out: [string, Tensor, string][] = [];
  const path = new Set<Module>();
  const walk = (m: Module, prefix: string, legacyPrefix: string): void => {
    if (path.has(m)) return; // a module that contains itself: stop the cycle
    path.add(m);
    const { params, buffers, children } = m._directMembers();
    for (const [name, p, field] of params) out.push([prefix + name, p, legacyPrefix + field]);
    for (const [name, b, persistent, field] of buffers) if (b !== null && persistent) out.push([prefix + name, b, legacyPrefix + field]);
    for (const [name, child, field] of children) walk(child, `${prefix}${name}.`, `${legacyPrefix}${field}.`);
    path.delete(m);
  };
  walk(module, '', '');
  return out;
}

/** Lists keys for a message, at most 20 of them. */
function listKeys(keys: string[]): string {
  const shown = keys.slice(0, 20).map((k) => `'${k.length > 80 ? `${k.slice(0, 79)}…` : k}'`);
  return shown.join(', ') + (keys.length > 20 ? `, … (${keys.length} in all)` : '');
}

/**
 * Implements `Module.loadStateDict`: validates everything first, then copies. A target found under
 * neither its key nor its legacy key is missing; a given key that is neither is unexpected. @internal
 */
export function loadInto(module: Module, state: Record<string, Tensor> | Map<string, Tensor>, strict: boolean): LoadStateDictResult {
  if (state === null || typeof state !== 'object')
    throw new ArgumentTypeError(`loadStateDict: expected a state dict (an object or Map of tensors), got ${describe(state)}`);
  const given = state instanceof Map ? state : new Map(Object.entries(state));
  const targets = stateEntries(module);
  const own = new Set(targets.map(([k]) => k));
  const used = new Set<string>();
  const missingKeys: string[] = [];
  const mismatches: string[] = [];
  const copies: [Tensor, Tensor][] = [];
  for (const [key, target, legacy] of targets) {
    const from = given.has(key) ? key : legacy !== key && !own.has(legacy) && given.has(legacy) ? legacy : null;
    if (from === null) {
      missingKeys.push(key);
      continue;
    }
    used.add(from);
    const src = given.get(from);
    const shown = from === key ? `'${key}'` : `'${key}' (given as '${from}')`;
    if (!(src instanceof Tensor)) {
      mismatches.push(`${shown}: expected a Tensor, got ${describe(src)}`);
      continue;
    }
    if (src.shape.length !== target.shape.length || src.shape.some((s, i) => s !== target.shape[i])) {
      mismatches.push(`${shown}: shape ${fmtShape(src.shape)} in the state dict, ${fmtShape(target.shape)} in the module`);
      continue;
    }
    copies.push([target, src]);
  }
  const unexpectedKeys = [...given.keys()].filter((k) => !used.has(k));
  const problems: string[] = [];
  if (strict && missingKeys.length > 0) problems.push(`missing keys: ${listKeys(missingKeys)}`);
  if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${listKeys(unexpectedKeys)}`);
  if (mismatches.length > 0)
    problems.push(
      `size mismatches: ${mismatches.slice(0, 20).join('; ')}${mismatches.length > 20 ? `; … (${mismatches.length} in all)` : ''}`,
    );
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
  if (!(t instanceof Tensor))
    throw new ValueError(
      `toBytes: the value of '${name.length > 80 ? `${name.slice(0, 79)}…` : name}' is not a Tensor, got ${describe(t)}`,
    );
  // contiguousData may return (a window of) the tensor's own storage: copy it.
  return { dtype: t.dtype, shape: t.shape.slice(), data: contiguousData(t).slice() };
}

function fromRaw(raw: RawTensor): Tensor {
  return Tensor._fromData(raw.data.slice(), raw.shape.slice(), raw.dtype);
}

function rawRecord(op: string, stateDict: Record<string, Tensor>): Record<string, RawTensor> {
  if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict) || stateDict instanceof Tensor) {
    throw new ArgumentTypeError(`${op}: expected a state dict (an object of name → Tensor), got ${describe(stateDict)}`);
  }
  if (typeof (stateDict as { stateDict?: unknown }).stateDict === 'function') {
    throw new ArgumentTypeError(
      `${op}: expected a state dict, got ${describe(stateDict)}; pass model.stateDict() (the file holds tensors, not the module's code)`,
    );
  }
  const out: Record<string, RawTensor> = {};
  for (const [k, t] of Object.entries(stateDict)) defineOwn(out, k, toRaw(k, t));
  return out;
}

function tensorRecord(tensors: Record<string, RawTensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, raw] of Object.entries(tensors)) defineOwn(out, k, fromRaw(raw));
  return out;
}

/** Files written by `nn` store int32 tensors as I64, PyTorch's integer dtype (`num_batches_tracked`). */
const NN_ENCODE = { int32As: 'I64' } as const;

/**
 * Encodes a state dict (name → tensor) as safetensors bytes. float32, float64 and bool tensors are
 * stored as F32, F64 and BOOL; int32 tensors as I64 like PyTorch's `num_batches_tracked`. All
 * round-trip exactly through {@link fromBytes}.
 * @example
 * ```ts
 * const bytes = nn.toBytes(model.stateDict());
 * ```
 */
export function toBytes(stateDict: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  checkArity('nn.toBytes', arguments, 2, 'toBytes(stateDict, metadata?)');
  return encodeSafetensors(rawRecord('nn.toBytes', stateDict), metadata, NN_ENCODE);
}

/**
 * Decodes safetensors bytes into a state dict. F32, F64, I32 and BOOL are read as float32,
 * float64, int32 and bool; F16 and BF16 are widened exactly to float32; I8, U8, I16 and U16 become
 * int32, and I64, U64 and U32 too when every value fits (a value outside int32 is a `FormatError`,
 * never a wrap). Corrupt bytes throw a `FormatError` saying what is wrong.
 * @example
 * ```ts
 * model.loadStateDict(nn.fromBytes(bytes));
 * ```
 */
export function fromBytes(bytes: Uint8Array): Record<string, Tensor> {
  checkArity('nn.fromBytes', arguments, 1, 'fromBytes(bytes)');
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
  checkArity('nn.save', arguments, 3, 'save(stateDict, path, metadata?)');
  const records = rawRecord('nn.save', stateDict);
  if (typeof path !== 'string' || path === '')
    throw new ArgumentTypeError(
      `nn.save: path must be a non-empty string, got ${describe(path)}; accepted form: save(stateDict, path, metadata?)`,
    );
  saveSafetensors(path, records, metadata, NN_ENCODE);
}

/**
 * Loads a state dict from a safetensors file, also ones written by PyTorch's safetensors (dtypes
 * converted as in {@link fromBytes}). A corrupt file throws a `FormatError` naming the file.
 * @example
 * ```ts
 * model.loadStateDict(nn.load('model.safetensors'));
 * ```
 */
export function load(path: string): Record<string, Tensor> {
  checkArity('nn.load', arguments, 1, 'load(path)');
  if (typeof path !== 'string' || path === '')
    throw new ArgumentTypeError(`nn.load: path must be a non-empty string, got ${describe(path)}`);
  return tensorRecord(loadSafetensors(path).tensors);
}
