/**
 * Callbacks that change or record the run: LearningRateScheduler, CSVLogger, LambdaCallback.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { bool, checkArity, fn, parseOptions, str } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { Callback, HOOK_NAMES, callbackVerbose, checkHookNames, type CallbackHooks, type Logs } from './callbacks.js';
import { KERAS_KEYS, describeValue } from './names.js';
import { getLearningRate, setLearningRate } from './optimizers.js';

/**
 * Sets the learning rate at the start of each epoch to `schedule(epoch, currentLr)` (epoch 0-based)
 * and logs it as `lr`.
 * @example
 * ```ts
 * const sched = new keras.LearningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * 0.9));
 * ```
 */
export class LearningRateScheduler extends Callback {
  /** The schedule. */
  readonly schedule: (epoch: number, lr: number) => number;
  private readonly verbose: 0 | 1 | undefined;

  /** Creates the callback; `verbose` 1 prints each change, 0 never (default: when `fit` is verbose). */
  constructor(schedule: (epoch: number, lr: number) => number, options: { verbose?: 0 | 1 } = {}) {
    super();
    const forms = 'new LearningRateScheduler((epoch, lr) => newLr, { verbose })';
    checkArity('LearningRateScheduler', arguments, 2, forms);
    if (typeof schedule !== 'function')
      throw new ArgumentTypeError(
        `LearningRateScheduler: schedule must be a function (epoch, lr) => lr, got ${describeValue(schedule)}; accepted forms: ${forms}`,
      );
    this.schedule = schedule;
    this.verbose = parseOptions('LearningRateScheduler', options, { verbose: callbackVerbose }, { ...KERAS_KEYS, forms }).verbose;
  }

  /** Applies the schedule. */
  override onEpochBegin(epoch: number): void {
    const model = this.requireModel();
    const opt = model.optimizer!;
    const lr = this.schedule(epoch, getLearningRate(opt));
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ValueError(
        `LearningRateScheduler: the schedule returned ${describeValue(lr)} for epoch ${epoch}; it must return a finite number >= 0`,
      );
    }
    setLearningRate(opt, lr);
    this.say(this.verbose, `Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}\n`);
  }

  /** Logs the rate. */
  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs['lr'] = getLearningRate(this.requireModel().optimizer!);
  }
}

/** Options of {@link CSVLogger}. */
export interface CSVLoggerOptions {
  /** Field separator (default `,`). */
  separator?: string;
  /** Add to an existing file instead of replacing it (default false). */
  append?: boolean;
}

/**
 * Writes one CSV row per epoch (`epoch` 0-based, then the logged keys in sorted order, as Keras)
 * to `filename`. The file is rewritten atomically after each epoch, so it is never half written.
 * @example
 * ```ts
 * const csv = new keras.CSVLogger('training.csv');
 * ```
 */
export class CSVLogger extends Callback {
  /** The file. */
  readonly filename: string;
  /** @internal */ readonly _sep: string;
  /** @internal */ readonly _append: boolean;
  /** @internal */ _keys: string[] | null = null;
  /** @internal */ _text = '';

  /** Creates the callback. */
  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    const forms = "new CSVLogger('training.csv', { separator, append })";
    checkArity('CSVLogger', arguments, 2, forms);
    if (typeof filename !== 'string' || filename === '')
      throw new ArgumentTypeError(
        `CSVLogger: filename must be a non-empty string, got ${describeValue(filename)}; accepted forms: ${forms}`,
      );
    const o = parseOptions('CSVLogger', options, { separator: str, append: bool }, { ...KERAS_KEYS, forms });
    this.filename = filename;
    this._sep = o.separator ?? ',';
    if (this._sep === '') throw new ValueError(`CSVLogger: separator must be a non-empty string`);
    this._append = o.append ?? false;
  }

  /** Reads the existing file when appending. */
  override onTrainBegin(): void {
    this._keys = null;
    this._text = this._append && existsSync(this.filename) ? readFileSync(this.filename, 'utf8') : '';
    if (this._text !== '' && !this._text.endsWith('\n')) this._text += '\n';
    if (this._text !== '') {
      const header = this._text.slice(0, this._text.indexOf('\n')).split(this._sep);
      if (header[0] === 'epoch') this._keys = header.slice(1);
    }
  }

  /** Appends the epoch's row and rewrites the file. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this._keys === null) {
      this._keys = Object.keys(logs).sort();
      this._text += `${['epoch', ...this._keys].join(this._sep)}\n`;
    }
    const row = [String(epoch), ...this._keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))];
    this._text += `${row.join(this._sep)}\n`;
    writeFileAtomic(this.filename, this._text);
  }
}

/**
 * A callback made of functions, for quick one-offs: `new LambdaCallback({ onEpochEnd: (e, logs) => ... })`.
 * (A plain object with hook methods works too.)
 * @example
 * ```ts
 * const cb = new keras.LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs['loss']) });
 * ```
 */
export class LambdaCallback extends Callback {
  /** Copies the given hooks onto the callback (camelCase, or Keras' `on_epoch_end` spellings). */
  constructor(hooks: CallbackHooks) {
    super();
    const forms = 'new LambdaCallback({ onEpochEnd: (epoch, logs) => ..., ... })';
    checkArity('LambdaCallback', arguments, 1, forms);
    const spec = Object.fromEntries(HOOK_NAMES.map((h) => [h, fn]));
    const o = parseOptions('LambdaCallback', hooks, spec, { ...KERAS_KEYS, forms });
    checkHookNames('LambdaCallback', o);
    Object.assign(this, o);
  }
}
