/**
 * Containers: Sequential, ModuleList, ModuleDict, Identity.
 * @module
 */
import { ArgumentTypeError, IndexError, NotImplementedError, ValueError } from '../autograd/errors.js';
import type { Tensor } from '../autograd/tensor.js';
import { checkModule, Module } from './module.js';
import { autoSignature, parseArgs } from './args/parse.js';
import { checkArity, describe, isPlainObject } from '../autograd/args.js';

function checkIndex(op: string, i: number, n: number): number {
  if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`${op}: index ${i} is out of range for a container of ${n} modules`);
  return i < 0 ? i + n : i;
}

function checkKey(op: string, key: string): string {
  if (typeof key !== 'string' || key === '' || key.includes('.'))
    throw new ValueError(`${op}: invalid module name '${String(key)}' (must be a non-empty string without '.')`);
  return key;
}

/**
 * Runs modules one after the other, feeding each one's output to the next. Children are named
 * `0`, `1`, ... (or by the keys of a Map passed to the constructor).
 * @example
 * ```ts
 * const net = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 * const logits = net.call(x);
 * ```
 */
export class Sequential extends Module<[Tensor], Tensor> {
  /** @internal */ declare readonly _entries: [string, Module][];

  /**
   * Creates the pipeline from modules, or from a Map (PyTorch's OrderedDict) or a plain object of
   * names to modules.
   */
  constructor(...modules: Module[] | [Map<string, Module>] | [Record<string, Module>]) {
    super();
    Object.defineProperty(this, '_entries', { value: [], enumerable: false });
    if (modules.length === 1 && modules[0] instanceof Map) {
      for (const [k, m] of modules[0]) this.add(m, k);
    } else if (modules.length === 1 && isPlainObject(modules[0])) {
      for (const [k, m] of Object.entries(modules[0])) {
        checkModule('Sequential', m, `the value for '${k}' (a plain object passed to Sequential is read as names → modules)`);
        this.add(m, k);
      }
    } else {
      for (const m of modules as unknown[]) this.add(m as Module);
    }
  }

  /** Appends a module (named by its position unless `name` is given); returns this. */
  add(module: Module, name?: string): this {
    checkModule('Sequential.add', module, `module ${this._entries.length}`);
    const key = name === undefined ? String(this._entries.length) : checkKey('Sequential.add', name);
    const keys = this._keySet();
    if (keys.has(key)) throw new ValueError(`Sequential.add: a module named '${key}' already exists`);
    this._entries.push([key, module]);
    keys.add(key);
    return this;
  }

  /** The keys of `_entries` as a Set (kept alongside, rebuilt if the two disagree), so `add` takes constant time. */
  private _keySet(): Set<string> {
    const self = this as unknown as { _keys?: Set<string> };
    if (self._keys === undefined || self._keys.size !== this._entries.length) {
      Object.defineProperty(this, '_keys', { value: new Set(this._entries.map(([k]) => k)), enumerable: false, configurable: true });
    }
    return self._keys!;
  }

  /** Same as {@link Sequential.add} without a name. */
  append(module: Module): this {
    return this.add(module);
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): Module {
    return this._entries[checkIndex('Sequential.at', i, this._entries.length)]![1];
  }

  /** Number of modules. */
  get length(): number {
    return this._entries.length;
  }

  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this._entries.map(([, m]) => m)[Symbol.iterator]();
  }

  /** @internal */
  override _namedMembers(): Iterable<[string, unknown]> {
    return this._entries;
  }

  /** Applies the modules in order (each through `call`, so their hooks run). */
  forward(x: Tensor): Tensor {
    let out: Tensor = x;
    for (const [, m] of this._entries) out = m.call(out) as Tensor;
    return out;
  }
}

/**
 * A list of submodules, registered so that their parameters are found; it has no forward of its own.
 * @example
 * ```ts
 * const blocks = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 * for (const b of blocks) x = b.call(x);
 * ```
 */
export class ModuleList extends Module<never[], never> {
  /** @internal */ declare readonly _items: Module[];

  /** Creates the list from any iterable of modules. */
  constructor(modules: Iterable<Module> = []) {
    super();
    checkArity('ModuleList', arguments, 1, 'new nn.ModuleList(modules?)');
    if (isPlainObject(modules)) {
      const keys = Object.keys(modules)
        .slice(0, 5)
        .map((k) => `'${k}'`)
        .join(', ');
      throw new ArgumentTypeError(
        `ModuleList: expected an iterable of modules (an array), got a plain object with keys ${keys}; for named modules use nn.ModuleDict`,
      );
    }
    if (modules === null || typeof (modules as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new ArgumentTypeError(
        `ModuleList: expected an iterable of modules (an array), got ${describe(modules)}; accepted forms: new nn.ModuleList(modules?)`,
      );
    }
    Object.defineProperty(this, '_items', { value: [], enumerable: false });
    this.extend(modules);
  }

  /** Appends a module; returns this. */
  append(module: Module): this {
    this._items.push(checkModule('ModuleList.append', module, `item ${this._items.length}`));
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts a module before position `i`; returns this. */
  insert(i: number, module: Module): this {
    const n = this._items.length;
    const at = i === n ? n : checkIndex('ModuleList.insert', i, n);
    this._items.splice(at, 0, checkModule('ModuleList.insert', module, `the inserted value`));
    return this;
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): Module {
    return this._items[checkIndex('ModuleList.at', i, this._items.length)]!;
  }

  /** Number of modules. */
  get length(): number {
    return this._items.length;
  }

  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this._items.slice()[Symbol.iterator]();
  }

  /** @internal */
  override _namedMembers(): Iterable<[string, unknown]> {
    return this._items.map((m, i) => [String(i), m] as [string, unknown]);
  }

  /** A ModuleList has no forward: iterate over it in the parent's forward. */
  forward(): never {
    throw new NotImplementedError('ModuleList.forward: a ModuleList is a container; call its modules in your own forward');
  }
}

/**
 * A dictionary of named submodules, kept in insertion order; it has no forward of its own.
 * @example
 * ```ts
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
 * heads.get('cls').call(x);
 * ```
 */
export class ModuleDict extends Module<never[], never> {
  /** @internal */ declare readonly _map: Map<string, Module>;

  /** Creates the dictionary from an object or a Map of names to modules. */
  constructor(modules: Record<string, Module> | Map<string, Module> = {}) {
    super();
    checkArity('ModuleDict', arguments, 1, 'new nn.ModuleDict(modules?)');
    Object.defineProperty(this, '_map', { value: new Map(), enumerable: false });
    const entries = modules instanceof Map ? modules.entries() : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  /** The module under `key`; throws an IndexError naming the known keys when it is absent. */
  get(key: string): Module {
    const m = this._map.get(key);
    if (m === undefined)
      throw new IndexError(`ModuleDict.get: no module named '${key}' (keys: ${[...this._map.keys()].join(', ') || 'none'})`);
    return m;
  }

  /** Adds or replaces the module under `key`; returns this. */
  set(key: string, module: Module): this {
    this._map.set(checkKey('ModuleDict.set', key), checkModule('ModuleDict.set', module, `the value for '${key}'`));
    return this;
  }

  /** True when a module is stored under `key`. */
  has(key: string): boolean {
    return this._map.has(key);
  }

  /** Removes the module under `key`; returns whether it was there. */
  delete(key: string): boolean {
    return this._map.delete(key);
  }

  /** The keys in insertion order. */
  keys(): string[] {
    return [...this._map.keys()];
  }

  /** The modules in insertion order. */
  values(): Module[] {
    return [...this._map.values()];
  }

  /** The `[key, module]` pairs in insertion order. */
  entries(): [string, Module][] {
    return [...this._map.entries()];
  }

  /** Number of modules. */
  get size(): number {
    return this._map.size;
  }

  /** @internal */
  override _namedMembers(): Iterable<[string, unknown]> {
    return this._map.entries();
  }

  /** A ModuleDict has no forward: call its modules in the parent's forward. */
  forward(): never {
    throw new NotImplementedError('ModuleDict.forward: a ModuleDict is a container; call its modules in your own forward');
  }
}

/**
 * Returns its input unchanged; a placeholder (for example to remove a layer from a model).
 * @example
 * ```ts
 * new nn.Identity().call(x) === x; // true
 * ```
 */
export class Identity extends Module<[Tensor], Tensor> {
  /**
   * Creates the layer. PyTorch's `Identity(*args, **kwargs)` ignores its arguments; tapegrad takes
   * none, so an argument is an error instead of being dropped silently.
   */
  constructor(...args: [options?: Record<string, never>]) {
    super();
    parseArgs(autoSignature('Identity', 'new nn.Identity', [], {}), args);
  }

  /** Returns `x`. */
  forward(x: Tensor): Tensor {
    return x;
  }
}
