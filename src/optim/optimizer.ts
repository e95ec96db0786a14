/**
 * The optimizer base class: parameter groups with per-group options, per-parameter state,
 * `zeroGrad`, `step(closure?)` and a state dict that resumes a run exactly where it stopped.
 * @module
 */
import { any, bool, describe as argDescribe, num, parseOptions, type OptionSpec } from '../autograd/args.js';
import { isFloat } from '../autograd/dtype.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { clearGrad } from '../autograd/grad-release.js';
import { Tensor } from '../autograd/tensor.js';

/** The options every optimizer has: the learning rate. */
export interface OptimizerOptions {
  /** Learning rate (step size). */
  lr: number;
}

/**
 * A value held in an optimizer's per-parameter state: a step count, a buffer tensor, or a list of them.
 * @example
 * ```ts
 * const v: StateValue = [1, zeros([3])];
 * ```
 */
export type StateValue = number | boolean | string | null | Tensor | StateValue[];

/**
 * The state an optimizer keeps for one parameter (e.g. `{ step: 3, expAvg: Tensor, expAvgSq: Tensor }`).
 * @example
 * ```ts
 * const s: ParamState | undefined = adam.state.get(w); s?.step; // 3
 * ```
 */
export interface ParamState {
  [key: string]: StateValue;
}

/**
 * A parameter group as the optimizer keeps it: the parameters and every option, filled in from the defaults.
 * Schedulers add keys such as `initialLr`.
 * @example
 * ```ts
 * for (const group of optimizer.paramGroups) group.lr *= 0.5;
 * ```
 */
export type ParamGroup<O> = O & {
  /** The parameters of the group. */
  params: Tensor[];
  /** The learning rate a scheduler started from (set by the first scheduler attached). */
  initialLr?: number;
  /** Extra keys added by schedulers (`maxLr`, `baseMomentum`, ...). */
  [key: string]: unknown;
};

/**
 * A parameter group as given to a constructor or {@link Optimizer.addParamGroup}: options left out take the defaults.
 * @example
 * ```ts
 * const g: ParamGroupInput<AdamOptions> = { params: [w], lr: 1e-4 };
 * ```
 */
export type ParamGroupInput<O> = {
  /** The tensors of this group. */
  params: Iterable<Tensor> | Tensor;
} & Partial<O>;

/**
 * What an optimizer takes: an iterable of tensors (one group), or of parameter groups.
 * @example
 * ```ts
 * new SGD([w, b], { lr: 0.1 });
 * new SGD([{ params: [w] }, { params: [b], lr: 0.01 }], { lr: 0.1 });
 * ```
 */
export type ParamsInput<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/**
 * A closure that re-evaluates the model and returns the loss (it calls `zeroGrad()` and `backward()` itself).
 * @example
 * ```ts
 * const closure: Closure = () => { opt.zeroGrad(); const l = loss(); l.backward(); return l; };
 * ```
 */
export type Closure = () => Tensor | number;

/**
 * The serializable state of an optimizer: per-parameter state keyed by the parameter's index
 * (counting through the groups in order) and the groups' options with `params` as indices, as in PyTorch.
 * @example
 * ```ts
 * const sd: OptimizerStateDict = opt.stateDict();
 * sd.paramGroups[0]!.lr; // 0.1
 * ```
 */
export interface OptimizerStateDict {
  /** State of each parameter that has any, by parameter index. */
  state: Record<number, ParamState>;
  /** The groups' options, with `params` replaced by parameter indices. */
  paramGroups: Array<{
    /** Indices of the group's parameters, counting through the groups in order. */
    params: number[];
    [key: string]: unknown;
  }>;
}

/** Options of {@link Optimizer.zeroGrad}. */
export interface ZeroGradOptions {
  /** Set `.grad` to null instead of filling it with zeros (default true, as in PyTorch). */
  setToNone?: boolean;
}

/** Deep copy of a state value; float tensors are cast to `dtype` when given. @internal */
function copyStateValue(v: StateValue, dtype?: 'float32' | 'float64'): StateValue {
  if (v instanceof Tensor) {
    const target = dtype !== undefined && isFloat(v.dtype) ? dtype : v.dtype;
    return noGrad(() => (target === v.dtype ? v.detach().clone() : v.detach().to(target).contiguous()));
  }
  if (Array.isArray(v)) return v.map((x) => copyStateValue(x, dtype));
  return v;
}

function copyGroupValue(v: unknown): unknown {
  if (v instanceof Tensor) return copyStateValue(v);
  if (Array.isArray(v)) return v.map(copyGroupValue);
  return v;
}

/**
 * Base class of the optimizers. A subclass gives its defaults and validation, and implements
 * {@link Optimizer.step}; the update of each parameter runs under `noGrad`, in place, and skips
 * parameters whose `grad` is null.
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * loss().backward();
 * opt.step();
 * ```
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The options a group gets when it does not set them. */
  readonly defaults: Readonly<O>;
  /** The parameter groups, each with its own options. */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, running averages, step counts), keyed by the parameter. */
  state: Map<Tensor, ParamState> = new Map();
  /** The optimizer's name, used in error messages. */
  readonly name: string;

  /**
   * Subclasses pass their name (used in error messages), the user's params and their defaults with
   * the user's options merged in; each group is validated with {@link Optimizer.validateOptions}.
   */
  protected constructor(name: string, params: ParamsInput<O>, defaults: O) {
    this.name = name;
    this.defaults = defaults;
    this.validateOptions(defaults);
    if (
      params instanceof Tensor ||
      params === null ||
      params === undefined ||
      typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function'
    ) {
      const hint =
        typeof (params as { parameters?: unknown } | null)?.parameters === 'function'
          ? '; pass model.parameters()'
          : params instanceof Tensor
            ? '; pass [tensor]'
            : '';
      throw new ArgumentTypeError(
        `${name}: params must be an iterable of tensors or of parameter groups ({ params, ...options }), got ${argDescribe(params)}${hint}`,
      );
    }
    const items = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (items.length === 0) throw new ValueError(`${name}: got an empty parameter list`);
    const tensors = items.filter((x) => x instanceof Tensor).length;
    if (tensors === items.length) this.addGroup({ params: items as Tensor[] } as unknown as ParamGroupInput<O>, name);
    else if (tensors === 0) (items as ParamGroupInput<O>[]).forEach((g, i) => this.addGroup(g, `${name} (parameter group ${i})`));
    else throw new ValueError(`${name}: params mixes tensors and parameter groups; pass one or the other`);
  }

  /**
   * Checks a group's options (the defaults, every added group, every loaded group); a subclass
   * throws a ValueError naming the optimizer, the option and the value. Accepts everything by default.
   */
  protected validateOptions(options: O): void {
    void options;
  }

  /**
   * The options a parameter group may set, each with its check: a key outside it is rejected in a
   * group (a typo or a snake_case name would otherwise be ignored). By default, the keys of the
   * defaults, unchecked; the built-in optimizers return their spec.
   * @internal
   */
  protected optionSpec(): OptionSpec {
    return Object.fromEntries(Object.keys(this.defaults).map((k) => [k, any]));
  }

  /**
   * Adds a group of parameters with its own options (missing options take the defaults), e.g. to
   * unfreeze layers while training.
   * @example
   * ```ts
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-3 });
   * ```
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    this.addGroup(group, `${this.name}.addParamGroup`);
  }

  /** Checks a group's options against {@link Optimizer.optionSpec} and adds it; `op` names the call in errors. */
  private addGroup(group: ParamGroupInput<O>, op: string): void {
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new ValueError(`${op}: a parameter group must be an object with a 'params' key, got ${describe(group)}`);
    }
    const given: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(group)) if (k !== 'params') given[k] = v;
    const options = parseOptions(op, given, { ...this.optionSpec(), initialLr: num({ min: 0 }) }) as Record<string, unknown>;
    const raw = group.params as unknown;
    if (
      !(raw instanceof Tensor) &&
      (raw === null || typeof raw !== 'object' || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== 'function')
    ) {
      throw new ArgumentTypeError(`${op}: a parameter group's params must be a Tensor or an iterable of tensors, got ${argDescribe(raw)}`);
    }
    const params = raw instanceof Tensor ? [raw] : [...(raw as Iterable<Tensor>)];
    if (params.length === 0) throw new ValueError(`${this.name}: a parameter group has an empty parameter list`);
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new ValueError(`${this.name}: params[${i}] is not a Tensor (got ${describe(p)})`);
      if (!isFloat(p.dtype)) throw new ValueError(`${this.name}: can only optimize float tensors, params[${i}] has dtype ${p.dtype}`);
      if (!p.isLeaf)
        throw new ValueError(
          `${this.name}: can't optimize a non-leaf tensor (params[${i}] was produced by ${p.gradFn?.name ?? 'an op'}); use detach().requiresGrad_()`,
        );
      if (seen.has(p))
        throw new ValueError(
          `${this.name}: some parameters appear in more than one parameter group (params[${i}], shape [${p.shape.join(', ')}])`,
        );
      seen.add(p);
    });
    const filled = { ...this.defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(options)) filled[k] = copyGroupValue(v);
    for (const [k, v] of Object.entries(filled)) filled[k] = copyGroupValue(v);
    filled['params'] = params;
    this.validateOptions(filled as unknown as O);
    this.paramGroups.push(filled as ParamGroup<O>);
  }

  /**
   * Clears the gradients of all optimized parameters: sets them to null (the default), or fills them with zeros.
   * @example
   * ```ts
   * opt.zeroGrad();                      // grads become null
   * opt.zeroGrad({ setToNone: false });  // grads become zeros
   * opt.zeroGrad(false);                 // the same, positionally as in PyTorch
   * ```
   */
  zeroGrad(options?: boolean | ZeroGradOptions): void {
    const op = `${this.name}.zeroGrad`;
    const setToNone =
      typeof options === 'boolean'
        ? options
        : (parseOptions(op, options, { setToNone: bool }, { forms: `${op}(), ${op}(setToNone) or ${op}({ setToNone })` }).setToNone ??
          true);
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p._grad === null) continue;
        if (setToNone) {
          clearGrad(p);
        } else {
          const cur = p.grad!;
          if (cur.gradFn !== null || cur.requiresGrad) p.grad = cur.detach();
          const g = p.grad!;
          noGrad(() => g.zero_());
        }
      }
    }
  }

  /**
   * Performs one optimization step. `closure`, when given, re-evaluates the loss (with grad enabled)
   * and its value is returned.
   * @example
   * ```ts
   * const loss = opt.step(() => { opt.zeroGrad(); const l = model.forward(x).sub(y).pow(2).mean(); l.backward(); return l; });
   * ```
   */
  abstract step(closure?: Closure): Tensor | number | undefined;

  /** Runs the closure with grad enabled. @internal */
  protected evalClosure(closure: Closure | undefined): Tensor | number | undefined {
    if (closure !== undefined && typeof closure !== 'function') {
      throw new ArgumentTypeError(
        `${this.name}.step: the closure must be a function that re-evaluates the loss, got ${argDescribe(closure)}`,
      );
    }
    return closure === undefined ? undefined : enableGrad(closure);
  }

  /**
   * The optimizer's state with deep copies of every tensor: per-parameter state keyed by parameter
   * index and the groups' options. Loading it with {@link Optimizer.loadStateDict} resumes exactly.
   * @example
   * ```ts
   * const saved = opt.stateDict();
   * const fresh = new Adam(params, { lr: 1e-3 }); fresh.loadStateDict(saved);
   * ```
   */
  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const out: { params: number[]; [key: string]: unknown } = { params: [] };
      for (const [k, v] of Object.entries(group)) if (k !== 'params') out[k] = copyGroupValue(v);
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined) state[index] = copyState(s);
        out.params.push(index++);
      }
      paramGroups.push(out);
    }
    return { state, paramGroups };
  }

  /** The dtype float state tensors are cast to on load (the parameter's, as in PyTorch). @internal */
  protected stateDType(p: Tensor): 'float32' | 'float64' | undefined {
    return p.dtype as 'float32' | 'float64';
  }

  /**
   * Restores a state returned by {@link Optimizer.stateDict}: group options and per-parameter state
   * (deep-copied, float buffers cast to each parameter's dtype). The groups must have the same sizes.
   * @example
   * ```ts
   * opt.loadStateDict(checkpoint.optimizer);
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict.paramGroups;
    if (!Array.isArray(saved) || saved.length !== this.paramGroups.length) {
      throw new ValueError(
        `${this.name}.loadStateDict: the state dict has ${Array.isArray(saved) ? saved.length : 'no'} parameter groups but the optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, gi) => {
      const mine = this.paramGroups[gi]!.params;
      if (!Array.isArray(g.params) || g.params.length !== mine.length) {
        throw new ValueError(
          `${this.name}.loadStateDict: parameter group ${gi} has ${Array.isArray(g.params) ? g.params.length : 'no'} parameters in the state dict but ${mine.length} in the optimizer`,
        );
      }
      g.params.forEach((idx, i) => byIndex.set(idx, mine[i]!));
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(stateDict.state ?? {})) {
      const p = byIndex.get(Number(key));
      if (p === undefined)
        throw new ValueError(`${this.name}.loadStateDict: state for parameter index ${key}, which no parameter group lists`);
      state.set(p, copyState(s, this.stateDType(p)));
    }
    const groups = saved.map((g, gi) => {
      const filled: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') filled[k] = copyGroupValue(v);
      filled['params'] = this.paramGroups[gi]!.params;
      this.validateOptions(filled as unknown as O);
      return filled as ParamGroup<O>;
    });
    this.paramGroups = groups;
    this.state = state;
  }
}

/** Deep copy of one parameter's state; float tensors other than `step` are cast to `dtype`. @internal */
function copyState(s: ParamState, dtype?: 'float32' | 'float64'): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) out[k] = copyStateValue(v, k === 'step' ? undefined : dtype);
  return out;
}

/** A short description of a value for error messages. @internal */
export function describe(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'function') return 'a function';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects and functions returned above; only primitives reach here
  return `${typeof v} ${String(v)}`;
}
