/**
 * Turns what `plotHistory` accepts (a keras History, log records, a log file) into per-metric
 * series of (epoch, value) points, training and validation, ready to draw.
 * @module
 */
import { describe } from '../autograd/args.js';
import { ArgumentTypeError, ValueError } from '../autograd/errors.js';
import type { LogValue } from './log-format.js';
import { readLog } from './read-log.js';

/** A keras `History` or anything shaped like one: `history.history.loss[i]` is the loss of epoch `history.epoch[i]`. */
export interface HistoryLike {
  /** Per-key lists of epoch values (`loss`, `accuracy`, `val_loss`, ...). */
  history: Readonly<Record<string, readonly number[]>>;
  /** The epoch of each entry (default 0, 1, 2, ...). */
  epoch?: readonly number[];
}

/** A log record as `plotHistory` takes it: `{ epoch, loss, val_loss }`; undefined entries are absent. */
export type PlotRecord = Readonly<Record<string, LogValue | undefined>>;

/** What `plotHistory` draws: a keras History, log records, or the path of a metrics log. */
export type HistorySource = HistoryLike | readonly PlotRecord[] | string;

/** How records of one epoch are combined: their mean, or the last one. */
export type EpochReduce = 'mean' | 'last';

/** One point of a curve; `y` may be NaN or infinite (such points are not drawn). @internal */
export interface Point {
  x: number;
  y: number;
}

/** One panel's curves: `train` from key `name`, `val` from `val_<name>`. @internal */
export interface MetricSeries {
  name: string;
  train: Point[];
  val: Point[];
}

/** Keys that count epochs or steps rather than measure anything. */
const INDEX_KEYS = new Set(['epoch', 'step', 'batch', 'size']);

function fromHistory(op: string, h: HistoryLike): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  const epochs = h.epoch;
  if (epochs !== undefined && !Array.isArray(epochs))
    throw new ArgumentTypeError(`${op}: history.epoch must be an array of numbers, got ${describe(epochs)}`);
  for (const [key, values] of Object.entries(h.history) as [string, unknown][]) {
    if (!Array.isArray(values))
      throw new ArgumentTypeError(`${op}: history.history.${key} must be an array of numbers, got ${describe(values)}`);
    const points: Point[] = [];
    (values as readonly unknown[]).forEach((v, i) => {
      if (typeof v !== 'number') throw new ArgumentTypeError(`${op}: history.history.${key}[${i}] must be a number, got ${describe(v)}`);
      const x: number = (epochs as readonly number[] | undefined)?.[i] ?? i;
      points.push({ x, y: v });
    });
    out.set(key, points);
  }
  return out;
}

function fromRecords(op: string, records: readonly PlotRecord[], reduce: EpochReduce): Map<string, Point[]> {
  const withEpoch = records.filter((r) => r !== null && typeof r === 'object' && typeof r['epoch'] === 'number').length;
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r))
      throw new ArgumentTypeError(`${op}: record ${i} must be an object such as { epoch, loss }, got ${describe(r)}`);
    if (withEpoch > 0 && typeof r['epoch'] !== 'number') {
      throw new ValueError(
        `${op}: record ${i} has no numeric epoch while other records have one; give every record an epoch, or none (then each record is one epoch)`,
      );
    }
  });
  // key -> epoch -> values in order
  const grouped = new Map<string, Map<number, number[]>>();
  records.forEach((r, i) => {
    const x: number = withEpoch > 0 ? (r['epoch'] as number) : i;
    for (const [key, v] of Object.entries(r)) {
      if (INDEX_KEYS.has(key) || typeof v !== 'number') continue;
      let byEpoch = grouped.get(key);
      if (byEpoch === undefined) grouped.set(key, (byEpoch = new Map<number, number[]>()));
      let list = byEpoch.get(x);
      if (list === undefined) byEpoch.set(x, (list = []));
      list.push(v);
    }
  });
  const out = new Map<string, Point[]>();
  for (const [key, byEpoch] of grouped) {
    const points = [...byEpoch].map(([x, vs]) => ({
      x,
      y: reduce === 'last' ? vs[vs.length - 1]! : vs.reduce((a, b) => a + b, 0) / vs.length,
    }));
    points.sort((a, b) => a.x - b.x);
    out.set(key, points);
  }
  return out;
}

function isHistoryLike(v: unknown): v is HistoryLike {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const h = (v as { history?: unknown }).history;
  return h !== null && typeof h === 'object' && !Array.isArray(h);
}

/** The curves of `source`, keyed by raw key (`loss`, `val_loss`, ...). @internal */
export function curvesOf(op: string, source: unknown, reduce: EpochReduce): Map<string, Point[]> {
  if (typeof source === 'string') return fromRecords(op, readLog(source), reduce);
  if (Array.isArray(source)) return fromRecords(op, source as PlotRecord[], reduce);
  if (isHistoryLike(source)) return fromHistory(op, source);
  throw new ArgumentTypeError(
    `${op}: expected a History (an object with a .history record of arrays), an array of log records, or a log file path; got ${describe(source)}`,
  );
}

/**
 * Groups curves into panels: `loss` first, then the other metrics in order of first appearance,
 * each with its `val_` counterpart; `metrics` picks and orders the panels. @internal
 */
export function panelsOf(op: string, curves: Map<string, Point[]>, metrics: readonly string[] | undefined): MetricSeries[] {
  const names: string[] = [];
  for (const key of curves.keys()) {
    const name = key.startsWith('val_') ? key.slice(4) : key;
    if (!names.includes(name)) names.push(name);
  }
  if (names.includes('loss')) names.splice(0, names.length, 'loss', ...names.filter((n) => n !== 'loss'));
  let chosen = names;
  if (metrics !== undefined) {
    for (const m of metrics) {
      if (!names.includes(m))
        throw new ValueError(
          `${op}: metrics names '${m}', which is not in the history; it has ${names.length ? names.join(', ') : 'no metrics'}`,
        );
    }
    chosen = [...metrics];
  }
  if (chosen.length === 0) throw new ValueError(`${op}: nothing to plot: the history has no numeric metrics`);
  return chosen.map((name) => ({ name, train: curves.get(name) ?? [], val: curves.get(`val_${name}`) ?? [] }));
}
