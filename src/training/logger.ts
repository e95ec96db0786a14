/**
 * The metrics logger: `logger.log({ epoch, step, loss })` appends one record to a JSON Lines or CSV
 * file, from a plain training loop or from keras `fit` (through `keras.MetricsLogger`).
 * @module
 */
import fs from 'node:fs';
import { dirname } from 'node:path';
import { bool, checkArity, describe, oneOf, parseOptions, str } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import {
  csvField,
  csvRow,
  defaultSeparator,
  formatOf,
  jsonLine,
  normalizeRecord,
  parseCsv,
  type LogFormat,
  type LogRecord,
} from './log-format.js';

/** Options of {@link MetricsLogger}. */
export interface MetricsLoggerOptions {
  /** `'jsonl'` or `'csv'`; by default from the extension (`.jsonl`/`.ndjson`, `.csv`/`.tsv`). */
  format?: LogFormat;
  /** Add to an existing file instead of starting it afresh (default false: the file is emptied when the logger is made). */
  append?: boolean;
  /** CSV field separator (default `,`, or a tab for `.tsv`); an error for JSON Lines. */
  separator?: string;
}

const SPEC = { format: oneOf(['jsonl', 'csv'] as const), append: bool, separator: str };

/** Bytes after the last newline of `path` (a record torn by a crash mid-write), or 0. */
function tornTail(path: string): { size: number; keep: number } {
  const text = fs.readFileSync(path, 'utf8');
  const size = Buffer.byteLength(text);
  if (text === '' || text.endsWith('\n')) return { size, keep: size };
  return { size, keep: Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)) };
}

/**
 * Appends metrics records to a JSON Lines or CSV file, one whole line per `log` call.
 *
 * What is guaranteed, for one writer: each record is encoded first and then written by a single
 * append (`appendFileSync`) of one complete line, so the file always holds whole records, except
 * that a crash in the middle of that one write can leave a torn last line; `readLog` skips such a
 * line and a logger opened with `append: true` trims it before writing. A CSV file's header lists
 * the keys in the order they first appeared; a record with a key the header lacks makes the logger
 * rewrite the file once, atomically (temporary file and rename), with the column added and empty
 * cells in the earlier rows; a key a record lacks gives an empty cell. Several processes appending
 * to one file are not coordinated.
 *
 * Values are numbers (NaN and infinities included: JSON Lines stores them as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"`, which `readLog` turns back into numbers), strings, booleans, or
 * one-element tensors (logged as their number). The parent folder is created when missing.
 * @example
 * ```ts
 * import { train } from 'tapegrad';
 * const logger = new training.MetricsLogger('runs/mnist.jsonl');
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   // ... train one epoch ...
 *   logger.log({ epoch, loss: 0.41, val_loss: 0.45 });
 * }
 * training.readLog('runs/mnist.jsonl').length; // 3
 * ```
 */
export class MetricsLogger {
  /** The file. */
  readonly path: string;
  /** The file format. */
  readonly format: LogFormat;
  /** The CSV separator (`,` for JSON Lines, where it is unused). */
  readonly separator: string;
  /** @internal */ _columns: string[] | null = null;

  /** Creates the logger and its file (emptied unless `append`). */
  constructor(path: string, options?: MetricsLoggerOptions) {
    checkArity('training.MetricsLogger', arguments, 2, 'new MetricsLogger(path, { format, append, separator })');
    if (typeof path !== 'string') throw new ArgumentTypeError(`training.MetricsLogger: path must be a string, got ${describe(path)}`);
    if (path === '') throw new ValueError('training.MetricsLogger: path must not be empty');
    const o = parseOptions('training.MetricsLogger', options, SPEC, {
      forms: "new MetricsLogger('run.jsonl', { format: 'csv', append: true })",
    });
    this.path = path;
    this.format = formatOf('training.MetricsLogger', path, o.format);
    if (o.separator !== undefined && this.format !== 'csv')
      throw new ValueError(`training.MetricsLogger: separator applies to CSV files only, and ${describe(path)} is JSON Lines`);
    if (o.separator !== undefined && (o.separator === '' || /["\r\n]/.test(o.separator))) {
      throw new ValueError(
        `training.MetricsLogger: separator must be a non-empty string without quotes or line breaks, got ${describe(o.separator)}`,
      );
    }
    this.separator = o.separator ?? defaultSeparator(path);
    fs.mkdirSync(dirname(path), { recursive: true });
    if (o.append === true && fs.existsSync(path)) this.openExisting();
    else fs.writeFileSync(path, '');
  }

  /** The CSV columns so far (empty before the first record, and always empty for JSON Lines). */
  get columns(): readonly string[] {
    return this._columns ?? [];
  }

  /** Trims a torn last line and, for CSV, reads the header. */
  private openExisting(): void {
    const { size, keep } = tornTail(this.path);
    if (keep < size) fs.truncateSync(this.path, keep);
    if (this.format !== 'csv' || keep === 0) return;
    const text = fs.readFileSync(this.path, 'utf8');
    const header = parseCsv(text, this.separator).rows[0];
    if (header !== undefined && header.some((k) => k !== '')) this._columns = header;
  }

  /**
   * Appends one record: `logger.log({ epoch, step, loss: loss.item(), lr })`.
   * @example
   * ```ts
   * const logger = new training.MetricsLogger('runs/log.csv');
   * logger.log({ epoch: 0, step: 100, loss: 0.52 });
   * ```
   */
  log(record: Readonly<Record<string, unknown>>): void {
    checkArity('training.MetricsLogger.log', arguments, 1, 'logger.log({ epoch, step, loss })');
    const rec = normalizeRecord('training.MetricsLogger.log', record);
    if (this.format === 'jsonl') {
      fs.appendFileSync(this.path, jsonLine(rec));
      return;
    }
    const sep = this.separator;
    if (this._columns === null) {
      this._columns = Object.keys(rec);
      fs.appendFileSync(this.path, `${this._columns.map((k) => csvField(k, sep)).join(sep)}\n${csvRow(this._columns, rec, sep)}`);
      return;
    }
    const added = Object.keys(rec).filter((k) => !this._columns!.includes(k));
    if (added.length === 0) {
      fs.appendFileSync(this.path, csvRow(this._columns, rec, sep));
      return;
    }
    this.rewriteWithColumns(added, rec);
  }

  /** Rewrites the CSV file with `added` columns (empty in the earlier rows) and the new record. */
  private rewriteWithColumns(added: string[], rec: LogRecord): void {
    const sep = this.separator;
    const { rows } = parseCsv(fs.readFileSync(this.path, 'utf8'), sep);
    const columns = [...this._columns!, ...added];
    let text = `${columns.map((k) => csvField(k, sep)).join(sep)}\n`;
    for (const row of rows.slice(1)) {
      const cells = columns.map((_k, i) => csvField(row[i] ?? '', sep));
      text += `${cells.join(sep)}\n`;
    }
    writeFileAtomic(this.path, text + csvRow(columns, rec, sep));
    this._columns = columns;
  }
}
