/**
 * A tqdm-style progress bar for plain loops: `for (const batch of progress(loader)) { ... }`.
 * @module
 */
import { bool, checkArity, describe, fn, num, parseOptions, str, any } from '../autograd/args.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { formatClock, formatRate, formatValue } from './format.js';

/** Where progress goes: anything with `write(text)`, such as `process.stderr` or a test double. */
export interface ProgressStream {
  /** Writes text (no newline is added). */
  write(chunk: string): unknown;
  /** True for a terminal: the bar is redrawn in place only then. */
  isTTY?: boolean;
  /** The terminal's width in characters (default 80). */
  columns?: number;
}

/** Live values shown after the counts, such as `{ loss: 0.4123 }`. */
export type Postfix = Record<string, number | string | boolean>;

/** Options of {@link progress} and {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** The number of items (default: the iterable's `length` when it is a number, else unknown). */
  total?: number;
  /** A label printed before the bar, like tqdm's `desc`. */
  desc?: string;
  /** Where to write (default `process.stderr`, like tqdm). */
  stream?: ProgressStream;
  /** Initial live values shown after the counts. */
  postfix?: Postfix;
  /** The item unit in the rate, `it` by default (`180.12it/s`). */
  unit?: string;
  /** Minimum time between two redraws on a terminal, in ms (default 100). */
  refreshMs?: number;
  /** Elsewhere (a file, a pipe, CI), a line is printed each time this many percent more are done, and at the end (default 10). */
  everyPercent?: number;
  /** Print nothing (default false). */
  disable?: boolean;
  /** Clock in milliseconds (default `performance.now`); tests pass a fake one. */
  now?: () => number;
}

const SPEC = {
  total: num({ min: 0, integer: true }),
  desc: str,
  stream: any,
  postfix: any,
  unit: str,
  refreshMs: num({ min: 0 }),
  everyPercent: num({ min: 0, max: 100, minExclusive: true }),
  disable: bool,
  now: fn,
};

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

function checkPostfix(op: string, postfix: unknown): Postfix {
  if (postfix === null || typeof postfix !== 'object' || Array.isArray(postfix)) {
    throw new ArgumentTypeError(`${op}: postfix must be an object such as { loss: 0.41 }, got ${describe(postfix)}`);
  }
  const out: Postfix = {};
  for (const [k, v] of Object.entries(postfix as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
      throw new ArgumentTypeError(`${op}: postfix.${k} must be a number, string or boolean, got ${describe(v)}`);
    }
    out[k] = v;
  }
  return out;
}

function checkStream(op: string, stream: unknown): ProgressStream {
  if (stream === null || typeof stream !== 'object' || typeof (stream as { write?: unknown }).write !== 'function') {
    throw new ArgumentTypeError(`${op}: stream must have a write(text) method, such as process.stderr, got ${describe(stream)}`);
  }
  return stream as ProgressStream;
}

/**
 * A progress bar over an iterable, made by {@link progress}. Iterate it with `for ... of` (or
 * `for await ... of` when the source is async); call {@link ProgressBar.setPostfix} inside the loop
 * to show live values. On a terminal the bar is redrawn in place (at most every `refreshMs`):
 * `epoch 1:  45%|█████▍      | 450/1000 [00:02<00:03, 180.12it/s, loss=0.4123]`. Elsewhere a plain
 * line of the same counts is printed each `everyPercent` percent and at the end (with an unknown
 * total, only at the end). Leaving the loop early (`break`, an exception) prints the final state.
 * Iterating the bar again starts a new count.
 * @example
 * ```ts
 * import { train } from 'tapegrad';
 * const bar = new training.ProgressBar([1, 2, 3], { desc: 'demo' });
 * for (const item of bar) bar.setPostfix({ item });
 * ```
 */
export class ProgressBar<T> implements Iterable<T>, AsyncIterable<T> {
  /** The number of items, or null when unknown. */
  readonly total: number | null;
  /** Items done so far. */
  n = 0;
  /** @internal */ readonly _source: Iterable<T> | AsyncIterable<T>;
  /** @internal */ readonly _desc: string;
  /** @internal */ readonly _stream: ProgressStream;
  /** @internal */ readonly _unit: string;
  /** @internal */ readonly _refresh: number;
  /** @internal */ readonly _every: number;
  /** @internal */ readonly _disable: boolean;
  /** @internal */ readonly _now: () => number;
  /** @internal */ _postfix: Postfix;
  /** @internal */ _start = 0;
  /** @internal */ _lastDraw = -Infinity;
  /** @internal */ _lastWidth = 0;
  /** @internal */ _printedPercent = -1;
  /** @internal */ _printedN = -1;

  /** Wraps `iterable`; see {@link progress}. */
  constructor(iterable: Iterable<T> | AsyncIterable<T>, options?: ProgressBarOptions) {
    checkArity('training.progress', arguments, 2, 'progress(iterable, { total, desc, stream, postfix })');
    const src = iterable as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
    if (
      src === null ||
      src === undefined ||
      (typeof src[Symbol.iterator] !== 'function' && typeof src[Symbol.asyncIterator] !== 'function')
    ) {
      throw new ArgumentTypeError(
        `training.progress: expected an iterable (an array, a DataLoader, a generator), got ${describe(iterable)}`,
      );
    }
    const o = parseOptions('training.progress', options, SPEC, { forms: "progress(loader, { total: 250, desc: 'epoch 1' })" });
    const length = (iterable as { length?: unknown }).length;
    this._source = iterable;
    this.total = o.total ?? (typeof length === 'number' && Number.isInteger(length) && length >= 0 ? length : null);
    this._desc = o.desc ?? '';
    this._stream = o.stream === undefined ? process.stderr : checkStream('training.progress', o.stream);
    this._postfix = o.postfix === undefined ? {} : checkPostfix('training.progress', o.postfix);
    this._unit = o.unit ?? 'it';
    this._refresh = o.refreshMs ?? 100;
    this._every = o.everyPercent ?? 10;
    this._disable = o.disable ?? false;
    this._now = (o.now as (() => number) | undefined) ?? (() => performance.now());
  }

  /**
   * Replaces the live values shown after the counts (`loss=0.4123`), like tqdm's `set_postfix`.
   * @example
   * ```ts
   * const bar = training.progress([1, 2, 3]);
   * for (const i of bar) bar.setPostfix({ loss: 1 / i });
   * ```
   */
  setPostfix(postfix: Postfix): void {
    checkArity('training.ProgressBar.setPostfix', arguments, 1, 'bar.setPostfix({ loss })');
    this._postfix = checkPostfix('training.ProgressBar.setPostfix', postfix);
  }

  /** Iterates the source, counting items. */
  *[Symbol.iterator](): Iterator<T> {
    const src = this._source as Partial<Iterable<T>>;
    if (typeof src[Symbol.iterator] !== 'function') {
      throw new ArgumentTypeError('training.progress: the source is only async iterable; loop with `for await (const x of progress(...))`');
    }
    this.begin();
    try {
      for (const item of src as Iterable<T>) {
        yield item;
        this.advance();
      }
    } finally {
      this.finish();
    }
  }

  /** Iterates an async (or plain) source, counting items. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const src = this._source as Partial<AsyncIterable<T>>;
    this.begin();
    try {
      if (typeof src[Symbol.asyncIterator] === 'function') {
        for await (const item of src as AsyncIterable<T>) {
          yield item;
          this.advance();
        }
      } else {
        for (const item of this._source as Iterable<T>) {
          yield item;
          this.advance();
        }
      }
    } finally {
      this.finish();
    }
  }

  private begin(): void {
    this.n = 0;
    this._start = this._now();
    this._lastDraw = -Infinity;
    this._lastWidth = 0;
    this._printedPercent = 0;
    this._printedN = -1;
    if (!this._disable && this._stream.isTTY === true) this.draw(this._start);
  }

  private advance(): void {
    this.n++;
    if (this._disable) return;
    const t = this._now();
    if (this._stream.isTTY === true) {
      if (t - this._lastDraw >= this._refresh && (this.total === null || this.n < this.total)) this.draw(t);
      return;
    }
    if (this.total === null || this.total === 0 || this.n >= this.total) return; // the end prints that line
    const percent = Math.floor((100 * this.n) / this.total / this._every) * this._every;
    if (percent > this._printedPercent) {
      this._printedPercent = percent;
      this.printLine(t);
    }
  }

  private finish(): void {
    if (this._disable) return;
    const t = this._now();
    if (this._stream.isTTY === true) {
      this.draw(t);
      this._stream.write('\n');
    } else if (this._printedN !== this.n || this.n === 0) {
      this.printLine(t);
    }
  }

  /** The text after the bar: counts, times, rate and postfix. */
  private stats(t: number): string {
    const elapsed = t - this._start;
    const rate = formatRate(this.n, elapsed, this._unit);
    const post = Object.entries(this._postfix).map(([k, v]) => `${k}=${typeof v === 'number' ? formatValue(v) : String(v)}`);
    const tail = post.length > 0 ? `, ${post.join(', ')}` : '';
    if (this.total === null) return `${this.n}${this._unit} [${formatClock(elapsed)}, ${rate}${tail}]`;
    const remaining = this.n > 0 ? (elapsed / this.n) * Math.max(0, this.total - this.n) : NaN;
    return `${this.n}/${this.total} [${formatClock(elapsed)}<${formatClock(remaining)}, ${rate}${tail}]`;
  }

  private percentText(): string {
    if (this.total === null) return '';
    const p = this.total === 0 ? 100 : Math.floor((100 * Math.min(this.n, this.total)) / this.total);
    return `${String(p).padStart(3)}%`;
  }

  /** One plain line (no carriage return, no bar). */
  private printLine(t: number): void {
    this._printedN = this.n;
    const label = this._desc ? `${this._desc}: ` : '';
    const pct = this.percentText();
    this._stream.write(`${label}${pct ? `${pct} ` : ''}${this.stats(t)}\n`);
  }

  /** Redraws the bar in place, sized to the terminal. */
  private draw(t: number): void {
    this._lastDraw = t;
    const label = this._desc ? `${this._desc}: ` : '';
    const stats = this.stats(t);
    let line: string;
    if (this.total === null) {
      line = `${label}${stats}`;
    } else {
      const pct = this.percentText();
      const columns = typeof this._stream.columns === 'number' && this._stream.columns > 0 ? this._stream.columns : 80;
      const width = Math.max(10, columns - 1 - label.length - pct.length - stats.length - 3);
      const frac = this.total === 0 ? 1 : Math.min(1, this.n / this.total);
      const eighths = Math.floor(frac * width * 8);
      const full = Math.floor(eighths / 8);
      const bar = `${'█'.repeat(full)}${BLOCKS[eighths % 8]!}`;
      line = `${label}${pct}|${bar.padEnd(width)}| ${stats}`;
    }
    const pad = this._lastWidth > line.length ? ' '.repeat(this._lastWidth - line.length) : '';
    this._stream.write(`\r${line}${pad}`);
    this._lastWidth = line.length;
  }
}

/**
 * Wraps an iterable in a progress bar, like tqdm: `for (const [x, y] of progress(loader, { desc }))`.
 * The total is the iterable's `length` when it has one (arrays, DataLoaders) unless `total` is
 * given. Works with `for await` for async iterables. Writes to `process.stderr` by default; see
 * {@link ProgressBar} for what is printed where.
 * @example
 * ```ts
 * import { train } from 'tapegrad';
 * const batches = [[1, 2], [3, 4], [5, 6]];
 * const bar = training.progress(batches, { desc: 'epoch 1' });
 * for (const batch of bar) {
 *   // ... a training step ...
 *   bar.setPostfix({ loss: 0.41 });
 * }
 * ```
 */
export function progress<T>(iterable: Iterable<T> | AsyncIterable<T>, options?: ProgressBarOptions): ProgressBar<T> {
  checkArity('training.progress', arguments, 2, 'progress(iterable, { total, desc, stream, postfix })');
  return new ProgressBar(iterable, options);
}
