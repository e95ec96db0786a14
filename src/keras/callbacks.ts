/**
 * Callbacks: the `Callback` base class with the Keras hook names, the list `fit` drives, `History`
 * and `TerminateOnNaN`. The monitoring callbacks are in `callbacks-monitor.ts`, the scheduling and
 * logging ones in `callbacks-schedule.ts`.
 * @module
 */
import { camelCase, checkArity, isPlainObject, oneOf, suggest, type Check } from '../autograd/args.js';
import { ArgumentTypeError, TapegradError, ValueError } from '../autograd/errors.js';
import { describeValue } from './names.js';
import type { Sequential } from './sequential.js';

/** Numbers logged by `fit`: `loss`, metrics, `val_loss`, `val_<metric>`, and per batch `batch` and `size`. */
export type Logs = Record<string, number>;

/** What a callback knows about the run, set before `onTrainBegin`. */
export interface TrainingParams {
  /** The epoch count passed to `fit`. */
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  /** The batch size. */
  batchSize: number;
  /** Training samples per epoch. */
  samples: number;
  /** The verbosity passed to `fit`. */
  verbose: number;
}

/** The hooks a callback may implement; each may return a promise, which `fit` awaits. */
export interface CallbackHooks {
  /** Before the first epoch. */
  onTrainBegin?(logs: Logs): void | Promise<void>;
  /** After the last epoch (or after training was stopped), with the last epoch's logs. */
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** Before each epoch (0-based). */
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** After each epoch, with the epoch's mean loss and metrics and the validation ones (`val_loss`, ...). */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** Before each training batch (0-based within the epoch). */
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  /** After each training batch, with the running means of the loss and metrics over the epoch so far. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** A callback as `fit` takes it: a {@link Callback} or a plain object with some hooks. */
export type CallbackLike = Callback | CallbackHooks;

/**
 * Base class of callbacks. Override the hooks you need (`onTrainBegin`, `onTrainEnd`,
 * `onEpochBegin`, `onEpochEnd(epoch, logs)`, `onBatchBegin`, `onBatchEnd(batch, logs)`);
 * `this.model` is the model being trained (set
 * `this.model.stopTraining = true` to stop) and `this.params` the run's sizes.
 * @example
 * ```ts
 * class PrintLoss extends keras.Callback {
 *   override onEpochEnd(epoch: number, logs: keras.Logs): void { console.log(epoch, logs['loss']); }
 * }
 * ```
 */
export class Callback implements CallbackHooks {
  /** Creates the callback (the base class takes no options). */
  constructor() {
    checkArity('Callback', arguments, 0, 'new Callback() (subclass it and override hooks)');
  }

  /** The model being trained (set by `fit`). */
  model: Sequential | null = null;
  /** The run's sizes (set by `fit`). */
  params: TrainingParams = { epochs: 0, steps: 0, batchSize: 0, samples: 0, verbose: 0 };

  /** Called by `fit` before training. */
  setModel(model: Sequential): void {
    this.model = model;
  }

  /** Called by `fit` before training. */
  setParams(params: TrainingParams): void {
    this.params = params;
  }

  /** The model, or an error when the callback is used outside `fit`. @internal */
  protected requireModel(): Sequential {
    if (this.model === null) throw new TapegradError(`${this.constructor.name}: the callback has no model; it is set by fit()`);
    return this.model;
  }

  /**
   * Prints a callback message: with `verbose` undefined when `fit` is verbose (to its stream), with
   * `verbose` 1 always (to fit's stream, or stdout when fit is silent), with 0 never. @internal
   */
  protected say(verbose: 0 | 1 | undefined, text: string): void {
    if (verbose === 0 || (verbose === undefined && this.params.verbose === 0)) return;
    const model = this.model;
    if (model !== null && model._stream !== null) model._log(text);
    else if (verbose === 1) process.stdout.write(text);
  }

  /** Before the first epoch. */
  onTrainBegin?(logs: Logs): void | Promise<void>;
  /** After the last epoch (or after training was stopped), with the last epoch's logs. */
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** Before each epoch (0-based). */
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /** After each epoch, with the epoch's mean loss and metrics and the validation ones (`val_loss`, ...). */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** Before each training batch (0-based within the epoch). */
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  /** After each training batch, with the running means of the loss and metrics over the epoch so far. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;
type HookName = (typeof HOOKS)[number];

/** The names of the callback hooks. @internal */
export const HOOK_NAMES: readonly string[] = HOOKS;

/** A callback's `verbose` option: 0 or 1 (Keras'). @internal */
export const callbackVerbose: Check<0 | 1> = oneOf([0, 1] as const);

/**
 * Throws for a function-valued key of a plain-object callback that is not a hook (`onEpochEnded`,
 * `on_epoch_end`): it would never be called. @internal
 */
export function checkHookNames(op: string, hooks: Record<string, unknown>): void {
  for (const key of Object.keys(hooks)) {
    if (typeof hooks[key] !== 'function' || (HOOKS as readonly string[]).includes(key)) continue;
    const camel = camelCase(key);
    const guess = (HOOKS as readonly string[]).includes(camel) ? camel : suggest(key, HOOKS);
    if (guess !== undefined || /^on[A-Z_]/.test(key)) {
      throw new ValueError(
        `${op}: '${key.slice(0, 40)}' is not a callback hook${guess ? `: did you mean '${guess}'?` : ''} (hooks: ${HOOKS.join(', ')})`,
      );
    }
  }
}

function isThenable(v: unknown): v is Promise<void> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * The callbacks of one `fit`/`evaluate` call; it calls each hook on every callback that has it, and
 * awaits only hooks that return a promise. @internal
 */
export class CallbackList {
  readonly callbacks: CallbackHooks[];
  /** True when some callback has a batch hook (so `fit` builds batch logs only when needed). */
  readonly wantsBatches: boolean;

  constructor(callbacks: readonly unknown[], model: Sequential, params: TrainingParams) {
    this.callbacks = callbacks.map((cb, i) => {
      if (cb === null || typeof cb !== 'object')
        throw new ArgumentTypeError(
          `Sequential.fit: callbacks[${i}] must be a Callback or an object with hooks such as onEpochEnd, got ${describeValue(cb)}`,
        );
      const hooks = cb as Record<string, unknown>;
      if (isPlainObject(cb)) checkHookNames(`Sequential.fit: callbacks[${i}]`, hooks);
      const known = HOOKS.some((h) => typeof hooks[h] === 'function');
      if (!known && !(cb instanceof Callback)) {
        throw new ValueError(`Sequential.fit: callbacks[${i}] has none of the hooks ${HOOKS.join(', ')}`);
      }
      if (cb instanceof Callback) {
        cb.setModel(model);
        cb.setParams(params);
      }
      return cb;
    });
    this.wantsBatches = this.callbacks.some((cb) => typeof cb.onBatchBegin === 'function' || typeof cb.onBatchEnd === 'function');
  }

  /** Calls `hook` on every callback that has it; returns a promise only when a hook did. */
  call(hook: HookName, a: number | Logs, b?: Logs): void | Promise<void> {
    for (let i = 0; i < this.callbacks.length; i++) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its callback as `this`
      const fn = this.callbacks[i]![hook] as ((x: unknown, y?: unknown) => unknown) | undefined;
      if (fn === undefined) continue;
      const r = fn.call(this.callbacks[i], a, b);
      if (isThenable(r)) return r.then(() => this.rest(hook, i + 1, a, b));
    }
  }

  private async rest(hook: HookName, from: number, a: number | Logs, b?: Logs): Promise<void> {
    for (let i = from; i < this.callbacks.length; i++) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its callback as `this`
      const fn = this.callbacks[i]![hook] as ((x: unknown, y?: unknown) => unknown) | undefined;
      if (fn !== undefined) await fn.call(this.callbacks[i], a, b);
    }
  }
}

/**
 * The record of a `fit` run, returned by `fit`: `history.history.loss[i]` is the loss of epoch
 * `epoch[i]`, and likewise for every metric and `val_` entry.
 * @example
 * ```ts
 * const h = await model.fit(xTrain, yTrain, { epochs: 3, verbose: 0 });
 * h.history['loss']!.length; // 3
 * ```
 */
export class History extends Callback {
  /** Per-key lists of the epoch values. */
  history: Record<string, number[]> = {};
  /** The epochs that ran (0-based). */
  epoch: number[] = [];

  /** Creates an empty record (it takes no options; `fit` makes one for you). */
  constructor() {
    super();
    checkArity('History', arguments, 0, 'new History()');
  }

  /** Starts a fresh record (when `initialEpoch` is 0 Keras keeps nothing from earlier runs either). */
  override onTrainBegin(): void {
    this.history = {};
    this.epoch = [];
  }

  /** Appends the epoch's logs. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

/**
 * Stops training as soon as a batch's loss is NaN or infinite, and says so.
 * @example
 * ```ts
 * await model.fit(xTrain, yTrain, { callbacks: [new keras.TerminateOnNaN()] });
 * ```
 */
export class TerminateOnNaN extends Callback {
  /** The batch (0-based) at which training was stopped, or null. */
  stoppedBatch: number | null = null;

  /** Creates the callback (it takes no options). */
  constructor() {
    super();
    checkArity('TerminateOnNaN', arguments, 0, 'new TerminateOnNaN()');
  }

  /** Checks the loss. */
  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs['loss'];
    if (loss !== undefined && !Number.isFinite(loss)) {
      const model = this.requireModel();
      this.stoppedBatch = batch;
      model.stopTraining = true;
      model._log(`Batch ${batch}: invalid loss ${loss}, terminating training\n`);
    }
  }
}
