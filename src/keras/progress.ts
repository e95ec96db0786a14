/**
 * Training progress output: a progress bar with steps, elapsed time, ETA and running metrics on a
 * TTY, one plain line per epoch elsewhere (logs, CI, pipes).
 * @module
 */
import { describe, fn, num, oneOf, parseOptions, type Check } from '../autograd/args.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { formatValue as formatLogValue } from '../training/format.js';
import { Callback, type Logs } from './callbacks.js';
import { KERAS_KEYS } from './names.js';

/** Formats a logged number like Keras (shared with `training.progress`). @internal */
export const formatValue = formatLogValue;

/** Where progress goes: anything with `write(text)`, such as `process.stdout` or a test double. */
export interface OutputStream {
  /** Writes text (no newline is added). */
  write(chunk: string): unknown;
  /** True for a terminal: progress bars are drawn only then. */
  isTTY?: boolean;
}

/** Formats a duration in milliseconds: `0.4s`, `12.3s`, `2m 05s`. @internal */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
}

/** ` - loss: 0.4123 - accuracy: 0.8812` for the numeric entries of `logs` except `batch` and `size`. @internal */
export function formatLogs(logs: Logs): string {
  let out = '';
  for (const [k, v] of Object.entries(logs)) {
    if (k === 'batch' || k === 'size' || typeof v !== 'number') continue;
    out += ` - ${k}: ${formatValue(v)}`;
  }
  return out;
}

/** Options of {@link ProgressLogger}. */
export interface ProgressOptions {
  /** Output stream (default `process.stdout`). */
  stream?: OutputStream;
  /** 1: a bar on a TTY, plain lines otherwise; 2: plain lines always (default 1). */
  verbose?: 1 | 2;
  /** Clock in milliseconds (default `performance.now`); tests pass a fake one. */
  now?: () => number;
  /** Minimum time between two redraws of the bar, in ms (default 100). */
  refreshMs?: number;
}

const BAR = 30;

const PROGRESS_SPEC = {
  stream: ((op, key, v) => {
    if (v === null || typeof v !== 'object' || typeof (v as { write?: unknown }).write !== 'function')
      throw new ArgumentTypeError(`${op}: ${key} must be a stream with a write(text) method, got ${describe(v)}`);
    return v as OutputStream;
  }) as Check<OutputStream>,
  verbose: oneOf([1, 2] as const),
  now: fn,
  refreshMs: num({ min: 0 }),
};

/**
 * The callback `fit` adds when `verbose` is 1 or 2. On a TTY with verbose 1 it draws
 * `Epoch 3/10` and then ` 120/250 [=========>....] - 0.5s - ETA: 0.6s - loss: 0.4123 - accuracy: 0.8812`,
 * redrawn in place; otherwise it writes one line per epoch:
 * `Epoch 3/10 - 250 steps - 1.2s - loss: 0.4123 - accuracy: 0.8812`.
 * @example
 * ```ts
 * await model.fit(xTrain, yTrain, { epochs: 2, verbose: 2, stream: process.stderr });
 * ```
 */
export class ProgressLogger extends Callback {
  /** @internal */ readonly _stream: OutputStream;
  /** @internal */ readonly _bar: boolean;
  /** @internal */ readonly _now: () => number;
  /** @internal */ readonly _refresh: number;
  /** @internal */ _start = 0;
  /** @internal */ _lastDraw = -Infinity;
  /** @internal */ _lastWidth = 0;
  /** Batches seen in the current epoch (the step count of a data source of unknown length). @internal */
  _seen = 0;

  /** Creates the logger. */
  constructor(options: ProgressOptions = {}) {
    super();
    const o = parseOptions('ProgressLogger', options, PROGRESS_SPEC, {
      ...KERAS_KEYS,
      forms: 'new ProgressLogger({ stream, verbose, now, refreshMs })',
    });
    this._stream = o.stream ?? process.stdout;
    this._bar = (o.verbose ?? 1) === 1 && this._stream.isTTY === true;
    this._now = (o.now as (() => number) | undefined) ?? (() => performance.now());
    this._refresh = o.refreshMs ?? 100;
  }

  private epochs(): number {
    return this.params.epochs;
  }

  /** Starts the epoch's clock (and prints the epoch header on a TTY). */
  override onEpochBegin(epoch: number): void {
    this._start = this._now();
    this._lastDraw = -Infinity;
    this._lastWidth = 0;
    this._seen = 0;
    if (this._bar) this._stream.write(`Epoch ${epoch + 1}/${this.epochs()}\n`);
  }

  /** Redraws the bar (at most every `refreshMs`) on a TTY. */
  override onBatchEnd(batch: number, logs: Logs): void {
    this._seen = batch + 1;
    if (!this._bar) return;
    const t = this._now();
    const done = batch + 1;
    const steps = this.params.steps;
    if (done >= steps || t - this._lastDraw < this._refresh) return; // the epoch's end draws the last one
    this._lastDraw = t;
    const elapsed = t - this._start;
    const eta = formatDuration((elapsed / done) * (steps - done));
    this.draw(`${this.bar(done, steps)} - ${formatDuration(elapsed)} - ETA: ${eta}${formatLogs(logs)}`);
  }

  /** Finishes the bar, or writes the epoch's plain line. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    const elapsed = this._now() - this._start;
    const steps = Number.isFinite(this.params.steps) ? this.params.steps : this._seen;
    if (this._bar) {
      const perStep = steps > 0 ? ` ${Math.round(elapsed / steps)}ms/step` : '';
      this.draw(`${this.bar(steps, steps)} - ${formatDuration(elapsed)}${perStep}${formatLogs(logs)}`);
      this._stream.write('\n');
    } else {
      this._stream.write(`Epoch ${epoch + 1}/${this.epochs()} - ${steps} steps - ${formatDuration(elapsed)}${formatLogs(logs)}\n`);
    }
  }

  private bar(done: number, steps: number): string {
    if (!Number.isFinite(steps)) return `${done}/Unknown`;
    const width = String(steps).length;
    const filled = steps > 0 ? Math.floor((BAR * done) / steps) : BAR;
    const body = done >= steps ? '='.repeat(BAR) : `${'='.repeat(Math.max(0, filled - 1))}>${'.'.repeat(BAR - Math.max(1, filled))}`;
    return `${String(done).padStart(width)}/${steps} [${body}]`;
  }

  private draw(line: string): void {
    const pad = this._lastWidth > line.length ? ' '.repeat(this._lastWidth - line.length) : '';
    this._stream.write(`\r${line}${pad}`);
    this._lastWidth = line.length;
  }
}
