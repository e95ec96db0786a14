/**
 * Reading a metrics log back: `readLog(path)` returns its records.
 * @module
 */
import { readFileSync } from 'node:fs';
import { checkArity, describe, oneOf, parseOptions, str } from '../autograd/args.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { FormatError } from '../io/format-error.js';
import { csvValue, defaultSeparator, formatOf, parseCsv, parseJsonLine, type LogFormat, type LogRecord } from './log-format.js';

/** Options of {@link readLog}. */
export interface ReadLogOptions {
  /** `'jsonl'` or `'csv'`; by default from the extension (`.jsonl`/`.ndjson`, `.csv`/`.tsv`). */
  format?: LogFormat;
  /** CSV field separator (default `,`, or a tab for `.tsv`). */
  separator?: string;
}

const SPEC = { format: oneOf(['jsonl', 'csv'] as const), separator: str };

function readJsonLines(path: string, text: string): LogRecord[] {
  const lines = text.split('\n');
  const torn = lines[lines.length - 1] !== '';
  const out: LogRecord[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      out.push(parseJsonLine(line));
    } catch (e) {
      if (torn && i === lines.length - 1) return; // a record cut short by a crash mid-write
      throw new FormatError(`readLog: ${path} line ${i + 1} is not a JSON object: ${describe(line)}`, { cause: e });
    }
  });
  return out;
}

function readCsv(path: string, text: string, sep: string): LogRecord[] {
  const { rows, torn } = parseCsv(text, sep);
  if (rows.length === 0) return [];
  const header = rows[0]!;
  const out: LogRecord[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length === 1 && row[0] === '') continue;
    if (torn && r === rows.length - 1 && row.length !== header.length) continue; // cut short mid-write
    if (row.length > header.length)
      throw new FormatError(`readLog: ${path} row ${r} has ${row.length} fields but the header has ${header.length}`);
    const rec: LogRecord = {};
    row.forEach((cell, i) => {
      const v = csvValue(cell);
      if (v !== undefined) rec[header[i]!] = v;
    });
    out.push(rec);
  }
  return out;
}

/**
 * Reads a metrics log written by {@link MetricsLogger} (or by keras `CSVLogger`, or by hand) and
 * returns its records in order. JSON Lines values keep their types (the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"` become numbers); CSV cells that read as numbers or booleans become
 * them, `nan`/`inf` spelled either way become numbers, and empty or `NA` cells are left out of
 * the record. A torn last line (a crash in the middle of a write) is skipped; any other malformed
 * line is a FormatError naming the line.
 * @example
 * ```ts
 * import { train } from 'tapegrad';
 * const records = training.readLog('runs/mnist.jsonl');
 * const losses = records.map((r) => r['loss']);
 * ```
 */
export function readLog(path: string, options?: ReadLogOptions): LogRecord[] {
  checkArity('training.readLog', arguments, 2, 'readLog(path, { format, separator })');
  if (typeof path !== 'string') throw new ArgumentTypeError(`training.readLog: path must be a string, got ${describe(path)}`);
  const o = parseOptions('training.readLog', options, SPEC, { forms: "readLog('run.jsonl', { format: 'jsonl' })" });
  const format = formatOf('training.readLog', path, o.format);
  const text = readFileSync(path, 'utf8');
  return format === 'jsonl' ? readJsonLines(path, text) : readCsv(path, text, o.separator ?? defaultSeparator(path));
}
