/**
 * The two metrics-log formats: JSON Lines (one JSON object per line) and CSV (a header line of keys,
 * then one row per record, RFC 4180 quoting). Encoding and decoding of single lines; the logger and
 * `readLog` do the file handling.
 * @module
 */
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import { describe } from '../autograd/args.js';

/** A logged value: a number (NaN and ±Infinity included), a string or a boolean. */
export type LogValue = number | string | boolean;

/** One record of a metrics log: `{ epoch: 3, step: 250, loss: 0.41, val_loss: 0.45 }`. */
export type LogRecord = Record<string, LogValue>;

/** The file formats of a metrics log. */
export type LogFormat = 'jsonl' | 'csv';

const BY_EXTENSION: Readonly<Record<string, LogFormat>> = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.csv': 'csv', '.tsv': 'csv' };

/** The format of `path` from its extension (`.jsonl`/`.ndjson` or `.csv`/`.tsv`), or an error asking for `format`. @internal */
export function formatOf(op: string, path: string, format: LogFormat | undefined): LogFormat {
  if (format !== undefined) return format;
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') ? path.slice(dot).toLowerCase() : '';
  const found = BY_EXTENSION[ext];
  if (found === undefined) {
    throw new ValueError(
      `${op}: cannot tell the format of ${describe(path)} from its extension; name it .jsonl or .csv, or pass { format: 'jsonl' | 'csv' }`,
    );
  }
  return found;
}

/** The separator of a CSV file: a tab for `.tsv`, else a comma. @internal */
export function defaultSeparator(path: string): string {
  return path.toLowerCase().endsWith('.tsv') ? '\t' : ',';
}

/**
 * Checks a record passed to `log` and returns a copy with plain values: a one-element tensor (or
 * anything with `item()` and `numel()`) becomes its number, `undefined` entries are dropped; any
 * other non-number, non-string, non-boolean value is an error naming the key. @internal
 */
export function normalizeRecord(op: string, record: unknown): LogRecord {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new ArgumentTypeError(`${op}: expected a record such as { epoch, step, loss }, got ${describe(record)}`);
  }
  const out: LogRecord = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      out[key] = value;
      continue;
    }
    const t = value as { item?: unknown; numel?: unknown };
    if (value !== null && typeof value === 'object' && typeof t.item === 'function' && typeof t.numel === 'function') {
      const n = (t.numel as () => number).call(value);
      if (n !== 1) throw new ValueError(`${op}: ${key} must be a number or a one-element tensor, got ${describe(value)}`);
      out[key] = (t.item as () => number).call(value);
      continue;
    }
    throw new ArgumentTypeError(`${op}: ${key} must be a number, string or boolean, got ${describe(value)}`);
  }
  return out;
}

/** Non-finite numbers as JSON strings (`"NaN"`, `"Infinity"`, `"-Infinity"`), since JSON has no such numbers. */
function jsonValue(v: LogValue): LogValue {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

/** One JSON Lines line (with its newline). @internal */
export function jsonLine(record: LogRecord): string {
  const out: LogRecord = {};
  for (const [k, v] of Object.entries(record)) out[k] = jsonValue(v);
  return `${JSON.stringify(out)}\n`;
}

const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Parses one JSON Lines line into a record; throws a SyntaxError or a message for a non-object. @internal */
export function parseJsonLine(line: string): LogRecord {
  const value = JSON.parse(line) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SyntaxError('a line is not a JSON object');
  const out: LogRecord = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) out[k] = NON_FINITE[v]!;
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (v !== null) out[k] = JSON.stringify(v);
  }
  return out;
}

/** A CSV field, quoted when it holds the separator, a quote or a line break. @internal */
export function csvField(text: string, sep: string): string {
  return text.includes(sep) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row (with its newline) of `keys`; a key the record lacks gives an empty cell. @internal */
export function csvRow(keys: readonly string[], record: LogRecord, sep: string): string {
  return `${keys.map((k) => (record[k] === undefined ? '' : csvField(String(record[k]), sep))).join(sep)}\n`;
}

/**
 * Splits CSV text into rows of fields (RFC 4180: quoted fields may hold separators, quotes as `""`
 * and line breaks). Returns the rows and whether the text ended inside a row (no final newline).
 * @internal
 */
export function parseCsv(text: string, sep: string): { rows: string[][]; torn: boolean } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
      continue;
    }
    if (text.startsWith(sep, i)) {
      row.push(field);
      field = '';
      i += sep.length;
      continue;
    }
    if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c;
    i++;
  }
  const torn = field !== '' || row.length > 0 || quoted;
  if (torn) rows.push([...row, field]);
  return { rows, torn };
}

/** A CSV cell read back: empty and `NA` (what Keras writes for a missing key) are absent; numbers and booleans are typed. @internal */
export function csvValue(cell: string): LogValue | undefined {
  if (cell === '' || cell === 'NA') return undefined;
  if (Object.hasOwn(NON_FINITE, cell)) return NON_FINITE[cell]!;
  const lower = cell.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  const n = Number(cell);
  return cell.trim() !== '' && !Number.isNaN(n) ? n : cell;
}
