/**
 * One-call training checkpoints: `saveCheckpoint({ model, optimizer, scheduler, epoch, ... }, path)`
 * writes every tensor into one safetensors file and everything else (numbers, strings, the
 * structure) as JSON in its metadata; `loadCheckpoint(path, { model, optimizer, scheduler })`
 * restores them. Any object with `stateDict()`/`loadStateDict()` (modules, optimizers, schedulers)
 * or `getState()`/`setState()` (generators) is saved through them. This file sits at the nn level.
 * @module
 */
import { checkArity, describe } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { contiguousData } from '../autograd/ops/shape.js';
import { FormatError } from './format-error.js';
import type { RawTensor } from './raw-tensor.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import { ownEntry, parseFileJson } from './untrusted.js';

/** The metadata key holding the checkpoint's JSON. */
const CHECKPOINT_KEY = 'tapegrad.checkpoint';

/** Something whose state is saved through `stateDict()` and restored through `loadStateDict()`. */
export interface Stateful {
  /** The object's state. */
  stateDict(): unknown;
  /** Restores a state returned by `stateDict()`. */
  loadStateDict(state: never): unknown;
}

/** Something whose state is saved through `getState()` and restored through `setState()` (a Generator). */
export interface RandomState {
  /** The state. */
  getState(): unknown;
  /** Restores a state returned by `getState()`. */
  setState(state: never): unknown;
}

const isStateful = (v: unknown): v is Stateful =>
  v !== null &&
  typeof v === 'object' &&
  typeof (v as Stateful).stateDict === 'function' &&
  typeof (v as Stateful).loadStateDict === 'function';
const isRandomState = (v: unknown): v is RandomState =>
  v !== null &&
  typeof v === 'object' &&
  typeof (v as RandomState).getState === 'function' &&
  typeof (v as RandomState).setState === 'function';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Turns a value tree into JSON-able nodes, collecting tensors under dotted keys. */
class Encoder {
  readonly tensors: Record<string, Tensor> = Object.create(null) as Record<string, Tensor>;
  private readonly seen = new Map<Tensor, string>();

  encode(v: unknown, path: string[], depth = 0): unknown {
    const where = path.join('.') || '(root)';
    if (depth > 64) throw new ValueError(`saveCheckpoint: '${where.slice(0, 80)}' is nested more than 64 levels deep`);
    if (v instanceof Tensor) return { $tensor: this.tensor(v, where) };
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (v === undefined) return { $undefined: true };
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $number: 'NaN' };
      if (v === Infinity || v === -Infinity) return { $number: String(v) };
      if (Object.is(v, -0)) return { $number: '-0' };
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => this.encode(x, [...path, String(i)], depth + 1));
    if (isStateful(v)) return { $state: this.encode(v.stateDict(), path, depth + 1) };
    if (isRandomState(v)) return { $random: this.encode(v.getState(), path, depth + 1) };
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        Object.defineProperty(out, k, { value: this.encode(x, [...path, k], depth + 1), enumerable: true });
      return Object.keys(out).some((k) => k.startsWith('$')) ? { $object: out } : out;
    }
    throw new ValueError(
      `saveCheckpoint: cannot save '${where.slice(0, 80)}': ${describe(v)} is not a Tensor, number, string, boolean, null, array, plain object, or an object with stateDict()/loadStateDict()`,
    );
  }

  private tensor(t: Tensor, where: string): string {
    const known = this.seen.get(t);
    if (known !== undefined) return known;
    let key = where;
    for (let i = 1; key in this.tensors; i++) key = `${where}#${i}`;
    this.tensors[key] = t;
    this.seen.set(t, key);
    return key;
  }
}

/** The numbers JSON cannot hold, by their stored spelling (no prototype: `constructor` is not one). */
const SPECIAL_NUMBERS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0,
});

/** Deepest JSON nesting accepted in a checkpoint's metadata (the encoder stops at 64 levels of values, each at most 3 JSON levels). */
const MAX_TREE_DEPTH = 256;

function decode(node: unknown, tensors: Record<string, RawTensor>, depth = 0): unknown {
  if (depth > MAX_TREE_DEPTH) throw new FormatError('checkpoint: the stored structure is nested too deeply');
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((x) => decode(x, tensors, depth + 1));
  const o = node as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const v = o[k];
    if (k === '$tensor') {
      if (typeof v !== 'string' || !Object.hasOwn(tensors, v))
        throw new FormatError(`checkpoint: refers to tensor ${describe(v)}, which the file does not hold`);
      const raw = tensors[v]!;
      return Tensor._fromData(raw.data.slice(), raw.shape.slice(), raw.dtype);
    }
    if (k === '$undefined') return undefined;
    if (k === '$number') {
      const n = ownEntry(SPECIAL_NUMBERS, v);
      if (n === undefined) throw new FormatError(`checkpoint: bad special number ${describe(v)}`);
      return n;
    }
    if (k === '$state' || k === '$random') return { [k]: decode(v, tensors, depth + 1) };
    if (k === '$object') return decodeObject(v, tensors, depth);
  }
  return decodeObject(o, tensors, depth);
}

function decodeObject(o: unknown, tensors: Record<string, RawTensor>, depth: number): Record<string, unknown> {
  if (!isPlainObject(o)) throw new FormatError(`checkpoint: expected an object, got ${describe(o)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o))
    Object.defineProperty(out, k, { value: decode(v, tensors, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Replaces the `$state`/`$random` wrappers by the states themselves. */
function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === '$state' || keys[0] === '$random')) return unwrap(v[keys[0]]);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, { value: unwrap(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/**
 * Encodes one value (an optimizer, a scheduler, plain data) as a JSON-able tree plus the tensors it
 * holds, keyed under `prefix` (`optimizer.state.0.expAvg`), by the rules of {@link saveCheckpoint}.
 * Used by Keras' `save(path, { includeOptimizer: true })`. @internal
 */
export function encodeTree(value: unknown, prefix: string): { tree: unknown; tensors: Record<string, Tensor> } {
  const enc = new Encoder();
  return { tree: enc.encode(value, [prefix]), tensors: enc.tensors };
}

/**
 * Decodes a tree made by {@link encodeTree} against the tensors read from a file; a stateful
 * object's tree becomes its state dict. Throws `FormatError` for a reference to a missing tensor. @internal
 */
export function decodeTree(tree: unknown, tensors: Record<string, RawTensor>): unknown {
  return unwrap(decode(tree, tensors));
}

/**
 * Saves a training run in one safetensors file, atomically: pass the model, optimizer, scheduler,
 * generators and any plain values (`epoch`, `step`, `bestLoss`, ...). Objects with
 * `stateDict()`/`loadStateDict()` are saved through them, generators through `getState()`;
 * tensors go into the file under dotted keys (`model.fc.weight`, `optimizer.state.0.expAvg`), the
 * rest is JSON in the metadata key `tapegrad.checkpoint` (NaN, ±Infinity and −0 kept exactly).
 * @example
 * ```ts
 * io.saveCheckpoint({ model, optimizer, scheduler, epoch: 3 }, 'run/ckpt.safetensors');
 * ```
 */
export function saveCheckpoint(state: Record<string, unknown>, path: string): void {
  checkArity('io.saveCheckpoint', arguments, 2, 'saveCheckpoint({ model, optimizer, ... }, path)');
  if (!isPlainObject(state))
    throw new ArgumentTypeError(`io.saveCheckpoint: expected an object such as { model, optimizer, epoch }, got ${describe(state)}`);
  if (typeof path !== 'string' || path === '')
    throw new ArgumentTypeError(`io.saveCheckpoint: path must be a non-empty string, got ${describe(path)}`);
  const enc = new Encoder();
  const tree = enc.encode(state, []);
  const raw: Record<string, RawTensor> = Object.create(null) as Record<string, RawTensor>;
  for (const [k, t] of Object.entries(enc.tensors)) raw[k] = { dtype: t.dtype, shape: t.shape.slice(), data: contiguousData(t).slice() };
  saveSafetensors(path, raw, { format: 'pt', [CHECKPOINT_KEY]: JSON.stringify(tree) }, { int32As: 'I64' });
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint} and restores the objects in `targets`
 * (same keys as when saving: `{ model, optimizer, scheduler }`) through their `loadStateDict()` /
 * `setState()`, in the order given; modules load strictly. Every target is first checked to be in
 * the file, saved from the same kind of object; a module's `loadStateDict` changes nothing when it
 * throws, so list the model first. Returns everything the file holds: plain values as saved, and the states of stateful
 * objects (a model's state dict, an optimizer's state dict).
 * @example
 * ```ts
 * const { epoch } = io.loadCheckpoint('run/ckpt.safetensors', { model, optimizer, scheduler });
 * ```
 */
export function loadCheckpoint(path: string, targets: Record<string, unknown> = {}): Record<string, unknown> {
  checkArity('io.loadCheckpoint', arguments, 2, 'loadCheckpoint(path, { model, optimizer, ... })');
  if (typeof path !== 'string' || path === '')
    throw new ArgumentTypeError(`io.loadCheckpoint: path must be a non-empty string, got ${describe(path)}`);
  if (!isPlainObject(targets))
    throw new ArgumentTypeError(`io.loadCheckpoint: targets must be an object such as { model, optimizer }, got ${describe(targets)}`);
  for (const [k, t] of Object.entries(targets)) {
    if (!isStateful(t) && !isRandomState(t)) {
      throw new ArgumentTypeError(
        `io.loadCheckpoint: target '${k.slice(0, 60)}' must have loadStateDict() (a model, optimizer or scheduler) or setState() (a Generator), got ${describe(t)}`,
      );
    }
  }
  const { tensors, metadata } = loadSafetensors(path);
  const text = metadata[CHECKPOINT_KEY];
  if (text === undefined)
    throw new ValueError(
      `loadCheckpoint: ${path.slice(0, 200)} is not a checkpoint (no '${CHECKPOINT_KEY}' metadata; for a state dict use nn.load)`,
    );
  const tree = parseFileJson(`checkpoint: the metadata of ${path.slice(0, 200)}`, text, MAX_TREE_DEPTH);
  const decoded = decode(tree, tensors);
  if (!isPlainObject(decoded)) throw new FormatError(`checkpoint: ${path.slice(0, 200)} does not hold an object`);
  for (const [k, t] of Object.entries(targets)) {
    const entry = decoded[k];
    const wrapper = isStateful(t) ? '$state' : '$random';
    if (!Object.hasOwn(decoded, k))
      throw new ValueError(
        `loadCheckpoint: the checkpoint has no '${k.slice(0, 60)}' (it holds: ${Object.keys(decoded).join(', ').slice(0, 200)})`,
      );
    if (!isPlainObject(entry) || !Object.hasOwn(entry, wrapper)) {
      throw new ValueError(
        `loadCheckpoint: '${k.slice(0, 60)}' in the checkpoint was not saved from ${wrapper === '$state' ? 'an object with stateDict()' : 'a Generator'}`,
      );
    }
  }
  for (const [k, t] of Object.entries(targets)) {
    const entry = decoded[k] as Record<string, unknown>;
    if (isStateful(t)) t.loadStateDict(unwrap(entry['$state']) as never);
    else (t as RandomState).setState(unwrap(entry['$random']) as never);
  }
  return unwrap(decoded) as Record<string, unknown>;
}
