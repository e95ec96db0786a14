/**
 * `Module`: the base class of layers and models. Parameters, submodules and buffers are found by
 * walking the instance's own fields (see DESIGN.md section 6).
 * @module
 */
import { isFloat, type DType } from '../autograd/dtype.js';
import { DTypeError, TapegradError, ValueError } from '../autograd/errors.js';
import { brandClass } from '../autograd/brand.js';
import { noGrad } from '../autograd/grad-mode.js';
import { clearGrad } from '../autograd/grad-release.js';
import { Tensor } from '../autograd/tensor.js';
import { Parameter, setTensorData } from './parameter.js';
import { loadInto, stateEntries } from './serialization.js';
import { MODULE, namedArgs, toTarget } from './module-args.js';
import { parseArgs } from './args/parse.js';

/**
 * A forward hook: called after `forward` by {@link Module.call} with the module, the arguments and
 * the output; returning a value replaces the output.
 * @example
 * ```ts
 * const remove = layer.registerForwardHook((m, args, out) => console.log(out.shape));
 * ```
 */
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Require the keys of the state dict and the module to match exactly (default true). */
  strict?: boolean;
  /** PyTorch's `assign=True` (replace the tensors instead of copying into them) is not implemented; only false is accepted. */
  assign?: false;
}

/** Options of {@link Module.namedParameters} and {@link Module.namedBuffers}. */
export interface NamedOptions {
  /** Prepended to every name, with a dot (default ''). */
  prefix?: string;
  /** Include descendants (default true). */
  recurse?: boolean;
  /** List a tensor shared under several names once (default true) or under every name. */
  removeDuplicate?: boolean;
}

/** What {@link Module.loadStateDict} reports when `strict` is false. */
export interface LoadStateDictResult {
  /** Keys the module has but the state dict lacks. */
  missingKeys: string[];
  /** Keys the state dict has but the module lacks. */
  unexpectedKeys: string[];
}

/**
 * The members found on one module: its direct parameters, buffers and children, each with its
 * state-dict name first and its JavaScript field path last. @internal
 */
interface DirectMembers {
  params: [string, Parameter, string][];
  buffers: [string, Tensor | null, boolean, string][];
  children: [string, Module, string][];
}

/**
 * Base class of all layers and models. Subclasses assign {@link Parameter}s, submodules, arrays or
 * Maps of them, and buffers (with {@link Module.registerBuffer}) to their fields, and implement
 * `forward`. Call a module with {@link Module.call} (runs hooks) or `forward` directly.
 * @example
 * ```ts
 * class TwoLayer extends nn.Module<[Tensor], Tensor> {
 *   fc1 = new nn.Linear(4, 8);
 *   fc2 = new nn.Linear(8, 2);
 *   forward(x: Tensor): Tensor { return this.fc2.call(this.fc1.call(x).relu()); }
 * }
 * const net = new TwoLayer();
 * net.parameters().length; // 4
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any module: the default type arguments must accept every forward signature
export abstract class Module<TArgs extends unknown[] = any[], TOut = any> {
  /** True in training mode (the default), false after {@link nn.Module.eval}. */
  training = true;
  /** Buffer names and whether each is persistent (saved in the state dict). @internal */
  declare readonly _bufferNames: Map<string, boolean>;
  /** Forward hooks. @internal */
  declare readonly _forwardHooks: ForwardHook[];

  constructor() {
    Object.defineProperty(this, '_bufferNames', { value: new Map<string, boolean>(), enumerable: false });
    Object.defineProperty(this, '_forwardHooks', { value: [], enumerable: false });
  }

  /** The computation of the module. */
  abstract forward(...args: TArgs): TOut;

  /** Runs {@link nn.Module.forward} and then the forward hooks. */
  call(...args: TArgs): TOut {
    let out: TOut = this.forward(...args);
    for (const hook of this._forwardHooks.slice()) {
      const replaced = hook(this, args, out);
      if (replaced !== undefined) out = replaced as TOut;
    }
    return out;
  }

  /** Registers a hook run by {@link nn.Module.call} after `forward`; returns a function that removes it. */
  registerForwardHook(hook: ForwardHook, options: { prepend?: boolean } = {}): () => void {
    const o = parseArgs(MODULE.registerForwardHook, Array.prototype.slice.call(arguments));
    if (o.prepend) this._forwardHooks.unshift(hook);
    else this._forwardHooks.push(hook);
    return () => {
      const i = this._forwardHooks.indexOf(hook);
      if (i >= 0) this._forwardHooks.splice(i, 1);
    };
  }

  // ---- discovery -----------------------------------------------------------------------------

  /**
   * The named values this module holds, in order. The default lists the instance's own enumerable
   * fields; containers override it to name their entries `0`, `1`, ... @internal
   */
  _namedMembers(): Iterable<[string, unknown]> {
    return Object.entries(this);
  }

  /**
   * The state-dict name of the member held in the field `field`: the field name itself unless a
   * layer overrides this to use PyTorch's spelling (`runningMean` → `running_mean`,
   * `weightIh_l0` → `weight_ih_l0`, `outProj` → `out_proj`). The name is used by
   * {@link nn.Module.stateDict}, {@link nn.Module.namedParameters}, {@link nn.Module.namedBuffers}
   * and {@link nn.Module.namedChildren}; {@link nn.Module.loadStateDict} also accepts the field path
   * (the keys tapegrad wrote before it used PyTorch's names).
   * @example
   * ```ts
   * class Scale extends nn.Module<[Tensor], Tensor> {
   *   logScale = new nn.Parameter(zeros([1]));
   *   override stateKey(field: string): string { return field === 'logScale' ? 'log_scale' : field; }
   *   forward(x: Tensor): Tensor { return x.mul(this.logScale.exp()); }
   * }
   * Object.keys(new Scale().stateDict()); // ['log_scale']
   * ```
   */
  stateKey(field: string): string {
    return field;
  }

  /** This module's direct parameters, buffers and children, with their state-dict names and field paths. @internal */
  _directMembers(): DirectMembers {
    const out: DirectMembers = { params: [], buffers: [], children: [] };
    const visit = (name: string, field: string, value: unknown, depth: number): void => {
      if (value instanceof Parameter) out.params.push([name, value, field]);
      else if (value instanceof Module) out.children.push([name, value as Module, field]);
      else if (depth < 8 && Array.isArray(value)) value.forEach((v, i) => visit(`${name}.${i}`, `${field}.${i}`, v, depth + 1));
      else if (depth < 8 && value instanceof Map) {
        for (const [k, v] of value)
          if (typeof k === 'string' || typeof k === 'number') visit(`${name}.${k}`, `${field}.${k}`, v, depth + 1);
      }
    };
    for (const [field, value] of this._namedMembers()) {
      const name = this.stateKey(field);
      const persistent = this._bufferNames.get(field);
      if (persistent !== undefined) {
        if (value === null || value === undefined || value instanceof Tensor)
          out.buffers.push([name, (value as Tensor | null) ?? null, persistent, field]);
        continue;
      }
      visit(name, field, value, 0);
    }
    return out;
  }

  /**
   * Registers `tensor` as a buffer: state that is not trained but belongs to the module (running
   * statistics). It is stored in the field `name`, moved by {@link nn.Module.to}, and saved in the state
   * dict unless `persistent` is false. Returns the tensor, so a field can be initialised with it.
   */
  registerBuffer(name: string, tensor: Tensor | null, options: boolean | { persistent?: boolean } = {}): Tensor | null {
    const persistent = parseArgs(MODULE.registerBuffer, Array.prototype.slice.call(arguments, 2)).persistent ?? true;
    if (name === '' || name.includes('.'))
      throw new ValueError(`registerBuffer: invalid buffer name '${name}' (must be non-empty and contain no '.')`);
    if (tensor instanceof Parameter) throw new ValueError(`registerBuffer: '${name}' is a Parameter; assign parameters to a field instead`);
    if (tensor !== null && !(tensor instanceof Tensor)) throw new ValueError(`registerBuffer: '${name}' must be a Tensor or null`);
    this._bufferNames.set(name, persistent);
    (this as Record<string, unknown>)[name] = tensor;
    return tensor;
  }

  /** Direct submodules, each once. */
  children(): Module[] {
    parseArgs(MODULE.noArgs('children'), arguments);
    return this.namedChildren().map(([, m]) => m);
  }

  /** Direct submodules with their state-dict names (see {@link nn.Module.stateKey}), each once. */
  namedChildren(): [string, Module][] {
    parseArgs(MODULE.noArgs('namedChildren'), arguments);
    const seen = new Set<Module>();
    return this._directMembers()
      .children.filter(([, m]) => (seen.has(m) ? false : (seen.add(m), true)))
      .map(([n, m]) => [n, m]);
  }

  /** This module and all its descendants, pre-order, each once. */
  modules(): Module[] {
    parseArgs(MODULE.noArgs('modules'), arguments);
    return this.namedModules().map(([, m]) => m);
  }

  /** This module (named `''`) and all descendants with dotted names, pre-order, each once. */
  namedModules(prefix?: string | { prefix?: string }): [string, Module][] {
    const o = parseArgs(MODULE.namedModules, arguments);
    void prefix;
    return this.walkModules(o.prefix ?? '');
  }

  private walkModules(prefix: string): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    const stack: [string, Module][] = [[prefix, this]];
    while (stack.length > 0) {
      const [name, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = m._directMembers().children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push([name === '' ? kids[i]![0] : `${name}.${kids[i]![0]}`, kids[i]![1]]);
    }
    return out;
  }

  /** Every parameter of this module and its descendants, each once (even when shared). */
  parameters(recurse: boolean | { recurse?: boolean } = true): Parameter[] {
    const o = parseArgs(MODULE.recurse('parameters'), arguments);
    void recurse;
    return this.namedMembers('', o.recurse ?? true, true, (d) => d.params).map(([, p]) => p);
  }

  /**
   * Every parameter with its dotted name (`encoder.0.weight`), each once (the first name wins);
   * PyTorch's `(prefix, recurse, removeDuplicate)` positionally or as options, or `(recurse)`.
   */
  namedParameters(
    ...args: [prefix?: string, recurse?: boolean, removeDuplicate?: boolean] | [recurse: boolean] | [options: NamedOptions]
  ): [string, Parameter][] {
    const o = namedArgs('namedParameters', args);
    return this.namedMembers(o.prefix, o.recurse, o.removeDuplicate, (d) => d.params);
  }

  /** Every buffer (not null) of this module and its descendants, each once. */
  buffers(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    const o = parseArgs(MODULE.recurse('buffers'), arguments);
    void recurse;
    return this.namedMembers('', o.recurse ?? true, true, (d) => d.buffers).map(([, b]) => b);
  }

  /** Every buffer (not null) with its dotted name, each once; arguments as {@link nn.Module.namedParameters}. */
  namedBuffers(
    ...args: [prefix?: string, recurse?: boolean, removeDuplicate?: boolean] | [recurse: boolean] | [options: NamedOptions]
  ): [string, Tensor][] {
    const o = namedArgs('namedBuffers', args);
    return this.namedMembers(o.prefix, o.recurse, o.removeDuplicate, (d) => d.buffers);
  }

  /**
   * The tensors `pick` selects from each module's direct members (this module's descendants too
   * when `recurse`), with dotted names, skipping nulls and keeping the first name of a shared tensor.
   */
  private namedMembers<T extends Tensor>(
    outer: string,
    recurse: boolean,
    removeDuplicate: boolean,
    pick: (d: DirectMembers) => readonly (readonly [string, T | null, ...unknown[]])[],
  ): [string, T][] {
    const seen = new Set<T>();
    const out: [string, T][] = [];
    const mods: [string, Module][] = recurse ? this.walkModules(outer) : [[outer, this]];
    for (const [prefix, m] of mods) {
      for (const [name, t] of pick(m._directMembers())) {
        if (t === null || (removeDuplicate && seen.has(t))) continue;
        seen.add(t);
        out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  // ---- modes and bulk changes ----------------------------------------------------------------

  /** Sets training mode on this module and all descendants; returns this. */
  train(mode: boolean | { mode?: boolean } = true): this {
    const m = parseArgs(MODULE.train, arguments).mode ?? true;
    void mode;
    return this.setTraining(m);
  }

  private setTraining(mode: boolean): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`): dropout off, batch norm uses running statistics. */
  eval(): this {
    parseArgs(MODULE.noArgs('eval'), arguments);
    return this.setTraining(false);
  }

  /** Clears the gradients of all parameters: sets them to null (default) or fills them with zeros. */
  zeroGrad(options: boolean | { setToNone?: boolean } = {}): void {
    const setToNone = parseArgs(MODULE.zeroGrad, arguments).setToNone ?? true;
    void options;
    noGrad(() => {
      for (const p of this.parameters()) {
        if (p._grad === null) continue;
        if (setToNone) clearGrad(p);
        else p.grad = p.grad!.detach().zero_();
      }
    });
  }

  /** Calls `fn` on every descendant and then on this module (as PyTorch); returns this. */
  apply(fn: (module: Module) => void): this {
    parseArgs(MODULE.apply, arguments);
    for (const [, child] of this.namedChildren()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Sets `requiresGrad` on every float parameter; returns this. */
  requiresGrad_(requiresGrad: boolean | { requiresGrad?: boolean } = true): this {
    const flag = parseArgs(MODULE.requiresGrad_, arguments).requiresGrad ?? true;
    void requiresGrad;
    for (const p of this.parameters()) if (isFloat(p.dtype)) p.requiresGrad_(flag);
    return this;
  }

  /**
   * Converts the floating-point parameters and buffers to `dtype`, in place: each Parameter keeps its
   * identity (so references to it stay valid); int32 and bool tensors are left alone. Returns this.
   */
  to(
    dtype: DType | 'cpu' | Tensor | { device?: 'cpu' | null; dtype?: DType; nonBlocking?: boolean },
    ...rest: [dtype?: DType, nonBlocking?: boolean]
  ): this {
    const target = toTarget([dtype, ...rest]);
    if (target === null) return this;
    return this.convert(target);
  }

  private convert(dtype: DType): this {
    if (!isFloat(dtype)) throw new DTypeError(`Module.to: only floating point dtypes are allowed, got ${dtype}`);
    noGrad(() => {
      for (const p of this.parameters()) if (isFloat(p.dtype) && p.dtype !== dtype) setTensorData(p, p.detach().to(dtype));
      for (const m of this.modules()) {
        for (const [, b, , field] of m._directMembers().buffers) {
          if (b !== null && isFloat(b.dtype) && b.dtype !== dtype) (m as unknown as Record<string, unknown>)[field] = b.to(dtype);
        }
      }
    });
    return this;
  }

  /** Converts floating-point parameters and buffers to float32. */
  float(): this {
    parseArgs(MODULE.noArgs('float'), arguments);
    return this.convert('float32');
  }

  /** Converts floating-point parameters and buffers to float64. */
  double(): this {
    parseArgs(MODULE.noArgs('double'), arguments);
    return this.convert('float64');
  }

  // ---- state dict ------------------------------------------------------------------------------

  /**
   * The parameters and persistent buffers under their dotted names, detached (sharing storage).
   * A parameter reachable under two names appears under both, as in PyTorch.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of stateEntries(this)) out[name] = t.detach();
    return out;
  }

  /**
   * Copies values from `state` into the parameters and buffers (converting dtypes like PyTorch's
   * `copy_`). Keys are PyTorch's names; each entry may also be given under its legacy key, the
   * path of JavaScript field names (`runningMean`, `weightIh_l0`, `outProj.weight`) that tapegrad
   * wrote before. Every problem (missing keys, unexpected keys, shape mismatches, non-tensors) is
   * collected and reported in one {@link LoadStateDictError}; nothing is changed when it throws.
   * With `strict: false` missing and unexpected keys are allowed and returned (legacy spellings
   * that were used are not unexpected). `strict` may also be given positionally, as in PyTorch:
   * `loadStateDict(state, false)`.
   */
  loadStateDict(state: Record<string, Tensor> | Map<string, Tensor>, options: boolean | LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = parseArgs(MODULE.loadStateDict, Array.prototype.slice.call(arguments, 1)).strict ?? true;
    void options;
    return loadInto(this, state, strict);
  }

  // ---- printing --------------------------------------------------------------------------------

  /** The text inside the parentheses of this module's line in {@link nn.Module.toString}; override it. */
  extraRepr(): string {
    return '';
  }

  /** The module's name in {@link nn.Module.toString} (the class name by default). */
  moduleName(): string {
    return this.constructor.name;
  }

  /** Prints the module tree like PyTorch: `Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n)`. */
  toString(): string {
    const lines: string[] = [];
    const extra = this.extraRepr();
    if (extra !== '') lines.push(...extra.split('\n'));
    for (const [name, child] of this._directMembers().children) {
      lines.push(`(${name}): ${indent(child.toString())}`);
    }
    if (lines.length === 0) return `${this.moduleName()}()`;
    if (lines.length === 1 && this._directMembers().children.length === 0) return `${this.moduleName()}(${lines[0]})`;
    return `${this.moduleName()}(\n${lines.map((l) => `  ${l}`).join('\n')}\n)`;
  }
}
brandClass(Module, 'Module');

/**
 * PyTorch's spelling of a camelCase field name: `runningMean` → `running_mean`,
 * `weightIh_l0_reverse` → `weight_ih_l0_reverse`, `outProj` → `out_proj`. Layers whose fields
 * mirror PyTorch attributes return it from {@link Module.stateKey}. @internal
 */
export function snakeCaseKey(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, (_m, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}

function indent(text: string): string {
  return text.split('\n').join('\n  ');
}

/**
 * Thrown by {@link Module.loadStateDict} when the state dict does not fit; lists every problem at once.
 * @example
 * ```ts
 * try { net.loadStateDict({}); } catch (e) { if (e instanceof LoadStateDictError) console.log(e.missingKeys); }
 * ```
 */
export class LoadStateDictError extends ValueError {
  override name = 'LoadStateDictError';
  /** Creates the error from the collected problems. */
  constructor(
    message: string,
    /** Keys the module has but the state dict lacks. */
    readonly missingKeys: string[],
    /** Keys the state dict has but the module lacks. */
    readonly unexpectedKeys: string[],
    /** Other problems: shape mismatches and non-tensor values, one line each. */
    readonly mismatches: string[],
  ) {
    super(message);
  }
}
brandClass(LoadStateDictError, 'LoadStateDictError');

/** Asserts `value` is a Module (for containers). @internal */
export function checkModule(op: string, value: unknown, where: string): Module {
  if (!(value instanceof Module))
    throw new TapegradError(`${op}: ${where} is not a Module (got ${value === null ? 'null' : typeof value})`);
  return value as Module;
}
