/**
 * The `MetricsLogger` callback: each epoch's logs from `fit` go to a `training.MetricsLogger` (JSON
 * Lines or CSV), the same logger a plain training loop uses.
 * @module
 */
import { bool, checkArity, describe, oneOf, parseOptions, str } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { MetricsLogger as FileLogger, type MetricsLoggerOptions } from '../training/logger.js';
import { Callback, type Logs } from './callbacks.js';

const SPEC = { format: oneOf(['jsonl', 'csv'] as const), append: bool, separator: str };

/**
 * Logs `{ epoch, ...logs }` after every epoch of `fit` (epoch 0-based, as Keras' `CSVLogger`; the
 * logs hold `loss`, the metrics and their `val_` values) through a `training.MetricsLogger`. Give it a
 * path (`.jsonl` or `.csv`, or `format`): the file is started afresh when training begins, unless
 * `append`. Or give it a `training.MetricsLogger` you also write to yourself. The file can be read
 * back with `training.readLog` and plotted with `training.plotHistory`.
 * @example
 * ```ts
 * const log = new keras.MetricsLogger('runs/fit.jsonl');
 * await model.fit(xTrain, yTrain, { epochs: 5, validationSplit: 0.2, callbacks: [log] });
 * training.plotHistory('runs/fit.jsonl', 'runs/fit.svg');
 * ```
 */
export class MetricsLogger extends Callback {
  /** The file, when the callback was given a path. */
  readonly path: string | null;
  /** The logger the records go to (for a path, made when training begins). */
  logger: FileLogger | null;
  /** @internal */ readonly _options: MetricsLoggerOptions;

  /** Creates the callback for a file path (with options) or for an existing `training.MetricsLogger`. */
  constructor(target: string | FileLogger, options?: MetricsLoggerOptions) {
    super();
    checkArity(
      'keras.MetricsLogger',
      arguments,
      2,
      "new MetricsLogger('fit.jsonl', { format, append, separator }) or new MetricsLogger(logger)",
    );
    const o = parseOptions('keras.MetricsLogger', options, SPEC, { forms: "new MetricsLogger('fit.csv', { append: true })" });
    if (target instanceof FileLogger) {
      if (Object.keys(o).length > 0)
        throw new ValueError(
          `keras.MetricsLogger: options (${Object.keys(o).join(', ')}) apply to a path; the given logger already has its file and format`,
        );
      this.path = null;
      this.logger = target;
    } else if (typeof target === 'string') {
      if (target === '') throw new ValueError('keras.MetricsLogger: path must not be empty');
      this.path = target;
      this.logger = null;
    } else {
      throw new ArgumentTypeError(`keras.MetricsLogger: expected a file path or a training.MetricsLogger, got ${describe(target)}`);
    }
    this._options = o;
  }

  /** Opens the file (emptied unless `append`). */
  override onTrainBegin(): void {
    if (this.path !== null) this.logger = new FileLogger(this.path, this._options);
  }

  /** Logs the epoch's record. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.logger === null) this.logger = new FileLogger(this.path!, this._options);
    this.logger.log({ epoch, ...logs });
  }
}
