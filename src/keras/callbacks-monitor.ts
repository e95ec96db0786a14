/**
 * Callbacks that watch a logged quantity: EarlyStopping, ReduceLROnPlateau, ModelCheckpoint.
 * @module
 */
import { bool, checkArity, isPlainObject, nullable, num, oneOf, parseOptions, str, suggest } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import { save as saveState } from '../nn/serialization.js';
import { Callback, callbackVerbose, type Logs } from './callbacks.js';
import { KERAS_KEYS, describeValue } from './names.js';
import { getLearningRate, setLearningRate } from './optimizers.js';

/** Whether a monitored value should go down (`min`), up (`max`), or be guessed from its name (`auto`). */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * `auto` means `max` for accuracy-like names (containing `acc`) and for `precision`, `recall` and
 * `auc` (metrics Keras marks as going up), `min` otherwise, as in Keras. @internal
 */
function resolveMode(op: string, mode: unknown, monitor: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new ValueError(`${op}: mode must be 'auto', 'min' or 'max', got ${describeValue(mode)}`);
  return /acc|auc|precision|recall/.test(monitor) ? 'max' : 'min';
}

const MODE = oneOf(['auto', 'min', 'max'] as const);
const count = num({ integer: true, min: 0 });

/**
 * The log key a missing `monitor` most likely meant: Keras 1's `acc`/`val_acc` are `accuracy` /
 * `val_accuracy` when the metric was given as `'accuracy'`; otherwise the closest key. @internal
 */
export function monitorSuggestion(monitor: string, keys: readonly string[]): string | undefined {
  const long = monitor.replace(/(^|_)acc$/, '$1accuracy');
  if (long !== monitor && keys.includes(long)) return long;
  const short = monitor.replace(/(^|_)accuracy$/, '$1acc');
  if (short !== monitor && keys.includes(short)) return short;
  return suggest(monitor, keys);
}

/** The monitored value, or undefined with a one-time warning naming the available keys. */
function monitored(cb: { warned: boolean }, op: string, monitor: string, logs: Logs): number | undefined {
  const v = logs[monitor];
  if (v === undefined && !cb.warned) {
    cb.warned = true;
    const keys = Object.keys(logs);
    const guess = monitorSuggestion(monitor, keys);
    const hint =
      guess !== undefined
        ? `; did you mean '${guess}'?`
        : monitor.startsWith('val_')
          ? '; pass validationData or validationSplit to fit to get val_ entries'
          : '';
    process.emitWarning(`${op}: the monitored quantity '${monitor}' is not in the logs (available: ${keys.join(', ')})${hint}`);
  }
  return v;
}

function snapshot(state: Record<string, Tensor>): Record<string, Tensor> {
  return noGrad(() => Object.fromEntries(Object.entries(state).map(([k, t]) => [k, t.clone()])));
}

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** The logged quantity to watch (default `val_loss`). */
  monitor?: string;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** Direction of improvement (default `auto`). */
  mode?: MonitorMode;
  /** Stop unless the value beats this baseline (default none). */
  baseline?: number | null;
  /** Put back the weights of the best epoch when stopping (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
  /** 1: print when stopping; 0: never; default: when `fit` is verbose. */
  verbose?: 0 | 1;
}

const EARLY_STOPPING_SPEC = {
  monitor: str,
  minDelta: num(),
  patience: count,
  mode: MODE,
  baseline: nullable(num()),
  restoreBestWeights: bool,
  startFromEpoch: count,
  verbose: callbackVerbose,
};

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs
 * (Keras semantics: with patience 2 and losses 1, 0.5, 0.6, 0.7 training stops after epoch 3).
 * @example
 * ```ts
 * const stop = new keras.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
 * ```
 */
export class EarlyStopping extends Callback {
  /** The watched key. */
  readonly monitor: string;
  /** The best value so far. */
  best = Infinity;
  /** The epoch of the best value. */
  bestEpoch = 0;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (0-based) at which training was stopped, or null. */
  stoppedEpoch: number | null = null;
  /** @internal */ warned = false;
  private readonly mode: 'min' | 'max';
  private readonly minDelta: number;
  private readonly patience: number;
  private readonly baseline: number | null;
  private readonly restore: boolean;
  private readonly startFrom: number;
  private readonly verbose: 0 | 1 | undefined;
  private bestWeights: Record<string, Tensor> | null = null;

  /** Creates the callback (options in camelCase or Keras' snake_case: `min_delta`, `restore_best_weights`). */
  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const op = 'EarlyStopping';
    checkArity(op, arguments, 1, 'new EarlyStopping({ monitor, patience, ... })');
    const o = parseOptions(op, options, EARLY_STOPPING_SPEC, {
      ...KERAS_KEYS,
      forms: 'new EarlyStopping({ monitor, minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch, verbose })',
    });
    this.monitor = o.monitor ?? 'val_loss';
    this.mode = resolveMode(op, o.mode ?? 'auto', this.monitor);
    this.minDelta = Math.abs(o.minDelta ?? 0);
    this.patience = o.patience ?? 0;
    this.baseline = o.baseline ?? null;
    this.restore = o.restoreBestWeights ?? false;
    this.startFrom = o.startFromEpoch ?? 0;
    this.verbose = o.verbose;
  }

  private improves(value: number, reference: number): boolean {
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  /** Resets the state. */
  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = null;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  /** Counts epochs without improvement and stops the model when patience runs out. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = monitored(this, 'EarlyStopping', this.monitor, logs);
    if (current === undefined || epoch < this.startFrom) return;
    const model = this.requireModel();
    if (this.restore && this.bestWeights === null) this.bestWeights = snapshot(model.stateDict());
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restore) this.bestWeights = snapshot(model.stateDict());
      if (this.baseline === null || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
      if (this.restore && this.bestWeights !== null) model.loadStateDict(this.bestWeights);
    }
  }

  /** Reports the stop when verbose. */
  override onTrainEnd(): void {
    if (this.stoppedEpoch !== null) this.say(this.verbose, `Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
  }
}

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** The logged quantity to watch (default `val_loss`). */
  monitor?: string;
  /** Factor the learning rate is multiplied by, in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** Direction of improvement (default `auto`). */
  mode?: MonitorMode;
  /** The smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
  /** 1: print each reduction; 0: never; default: when `fit` is verbose. */
  verbose?: 0 | 1;
}

const PLATEAU_SPEC = {
  monitor: str,
  factor: num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }),
  patience: count,
  mode: MODE,
  minDelta: num(),
  cooldown: count,
  minLr: num({ min: 0 }),
  verbose: callbackVerbose,
};

/**
 * Multiplies the learning rate by `factor` when `monitor` has not improved for `patience` epochs;
 * logs the current rate as `lr`.
 * @example
 * ```ts
 * const plateau = new keras.ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2 });
 * ```
 */
export class ReduceLROnPlateau extends Callback {
  /** The watched key. */
  readonly monitor: string;
  /** The best value so far. */
  best = Infinity;
  /** Epochs since the last improvement. */
  wait = 0;
  /** @internal */ warned = false;
  private readonly mode: 'min' | 'max';
  private readonly factor: number;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly cooldown: number;
  private readonly minLr: number;
  private readonly verbose: 0 | 1 | undefined;
  private cooldownCounter = 0;

  /** Creates the callback (options in camelCase or Keras' snake_case: `min_lr`, `min_delta`). */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const op = 'ReduceLROnPlateau';
    checkArity(op, arguments, 1, 'new ReduceLROnPlateau({ monitor, factor, patience, ... })');
    const o = parseOptions(op, options, PLATEAU_SPEC, {
      ...KERAS_KEYS,
      forms: 'new ReduceLROnPlateau({ monitor, factor, patience, mode, minDelta, cooldown, minLr, verbose })',
    });
    this.monitor = o.monitor ?? 'val_loss';
    this.mode = resolveMode(op, o.mode ?? 'auto', this.monitor);
    this.factor = o.factor ?? 0.1;
    this.patience = o.patience ?? 10;
    this.minDelta = Math.abs(o.minDelta ?? 1e-4);
    this.cooldown = o.cooldown ?? 0;
    this.minLr = o.minLr ?? 0;
    this.verbose = o.verbose;
  }

  private improves(value: number): boolean {
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  /** Resets the state. */
  override onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  /** Logs `lr` and reduces it after `patience` epochs without improvement. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    const model = this.requireModel();
    const opt = model.optimizer!;
    logs['lr'] = getLearningRate(opt);
    const current = monitored(this, 'ReduceLROnPlateau', this.monitor, logs);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = getLearningRate(opt);
        if (old > this.minLr) {
          const lr = Math.max(old * this.factor, this.minLr);
          setLearningRate(opt, lr);
          this.say(this.verbose, `Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}\n`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Options of {@link ModelCheckpoint}. */
export interface ModelCheckpointOptions {
  /** The file to write; `{epoch}` (1-based), `{epoch:02d}` and `{val_loss:.4f}`-style fields of the logs are filled in. */
  filepath: string;
  /** The logged quantity that decides "best" (default `val_loss`). */
  monitor?: string;
  /** Only save when the monitored value improves (default false: save every epoch). */
  saveBestOnly?: boolean;
  /** Save only the weights (`nn.save` of the state dict) instead of weights plus model config (default false). */
  saveWeightsOnly?: boolean;
  /** Direction of improvement (default `auto`). */
  mode?: MonitorMode;
  /** 1: print each save; 0: never; default: when `fit` is verbose. */
  verbose?: 0 | 1;
}

const CHECKPOINT_SPEC = { filepath: str, monitor: str, saveBestOnly: bool, saveWeightsOnly: bool, mode: MODE, verbose: callbackVerbose };

/** Fills `{name}`, `{name:02d}` and `{name:.3f}` fields from `values`. @internal */
function formatPath(op: string, template: string, values: Record<string, number>): string {
  return template.replace(
    /\{(\w+)(?::(0?)(\d*)(?:\.(\d+))?([df]))?\}/g,
    (_m, key: string, zero: string, width: string, prec: string, kind: string) => {
      const v = values[key];
      if (v === undefined)
        throw new ValueError(
          `${op}: the path field '{${key}}' is not in the logs (available: epoch, ${Object.keys(values)
            .filter((k) => k !== 'epoch')
            .join(', ')})`,
        );
      let s =
        kind === 'd' ? String(Math.trunc(v)) : kind === 'f' ? v.toFixed(prec === undefined || prec === '' ? 6 : Number(prec)) : String(v);
      if (width) s = s.padStart(Number(width), zero === '0' ? '0' : ' ');
      return s;
    },
  );
}

/**
 * Saves the model after every epoch, or only when `monitor` improves (`saveBestOnly`). Files are
 * safetensors written atomically; without `saveWeightsOnly` they also hold the model config, so
 * `keras.loadModel(path)` rebuilds the model.
 * @example
 * ```ts
 * const ckpt = new keras.ModelCheckpoint({ filepath: 'best.safetensors', monitor: 'val_accuracy', saveBestOnly: true });
 * ```
 */
export class ModelCheckpoint extends Callback {
  /** The path template. */
  readonly filepath: string;
  /** The watched key. */
  readonly monitor: string;
  /** The best value so far. */
  best = Infinity;
  /** The paths written, in order. */
  saved: string[] = [];
  /** @internal */ warned = false;
  private readonly mode: 'min' | 'max';
  private readonly bestOnly: boolean;
  private readonly weightsOnly: boolean;
  private readonly verbose: 0 | 1 | undefined;

  /** Creates the callback: `new ModelCheckpoint(filepath, { monitor, ... })` or `new ModelCheckpoint({ filepath, ... })`. */
  constructor(filepath: string, options?: Omit<ModelCheckpointOptions, 'filepath'>);
  constructor(options: ModelCheckpointOptions);
  constructor(...args: unknown[]) {
    super();
    const op = 'ModelCheckpoint';
    const forms = "new ModelCheckpoint('best.safetensors', { monitor, saveBestOnly, ... }) or new ModelCheckpoint({ filepath, ... })";
    checkArity(op, args, 2, forms);
    const [first, second] = args;
    let options: unknown = first;
    if (typeof first === 'string') {
      if (second !== undefined && !isPlainObject(second))
        throw new ArgumentTypeError(
          `${op}: expected an options object after the filepath, got ${describeValue(second)}; accepted forms: ${forms}`,
        );
      if (second !== undefined && Object.hasOwn(second, 'filepath'))
        throw new ValueError(`${op}: filepath given twice, as an argument and in the options`);
      options = { ...(second as object | undefined), filepath: first };
    } else if (second !== undefined) throw new ArgumentTypeError(`${op}: options given twice; accepted forms: ${forms}`);
    const o = parseOptions(op, options, CHECKPOINT_SPEC, { ...KERAS_KEYS, forms });
    if (o.filepath === undefined || o.filepath === '')
      throw new ValueError(`${op}: filepath must be a non-empty string; accepted forms: ${forms}`);
    this.filepath = o.filepath;
    this.monitor = o.monitor ?? 'val_loss';
    this.mode = resolveMode(op, o.mode ?? 'auto', this.monitor);
    this.bestOnly = o.saveBestOnly ?? false;
    this.weightsOnly = o.saveWeightsOnly ?? false;
    this.verbose = o.verbose;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Saves when due. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    const model = this.requireModel();
    if (this.bestOnly) {
      const current = monitored(this, 'ModelCheckpoint', this.monitor, logs);
      if (current === undefined) return;
      const better = this.mode === 'min' ? current < this.best : current > this.best;
      if (!better) return;
      this.best = current;
    }
    const path = formatPath('ModelCheckpoint', this.filepath, { ...logs, epoch: epoch + 1 });
    if (this.weightsOnly) saveState(model.stateDict(), path);
    else model.save(path);
    this.saved.push(path);
    this.say(this.verbose, `Epoch ${epoch + 1}: saved model to ${path}\n`);
  }
}
