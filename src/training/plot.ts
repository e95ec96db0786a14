/**
 * `plotHistory`: training curves as a standalone SVG file, hand-written (no dependencies): one
 * panel per metric, training and validation per epoch, axes with ticks, a legend and a title.
 * @module
 */
import fs from 'node:fs';
import { dirname } from 'node:path';
import { arrayOf, bool, checkArity, describe, num, oneOf, parseOptions, str } from '../autograd/args.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { curvesOf, panelsOf, type EpochReduce, type HistorySource, type MetricSeries, type Point } from './history-series.js';
import { epochAxis, valueAxis, type Axis } from './ticks.js';

/** Options of {@link plotHistory} and {@link historySvg}. */
export interface PlotHistoryOptions {
  /** The title at the top (default `Training curves`). */
  title?: string;
  /** Width of one panel in pixels (default 420). */
  width?: number;
  /** Height of one panel in pixels (default 300). */
  height?: number;
  /** Panels per row (default 2, or 1 for a single panel). */
  columns?: number;
  /** The metrics to draw, in order (default: `loss`, then every other logged metric). */
  metrics?: string[];
  /** How several log records of one epoch are combined (default `'mean'`). */
  reduce?: EpochReduce;
  /** Draw a marker at each point (default: when a curve has at most 60 points). */
  markers?: boolean;
}

const SPEC = {
  title: str,
  width: num({ integer: true, min: 280, max: 4000 }),
  height: num({ integer: true, min: 150, max: 4000 }),
  columns: num({ integer: true, min: 1 }),
  metrics: arrayOf(str),
  reduce: oneOf(['mean', 'last'] as const),
  markers: bool,
};

const COLORS = { train: '#1f77b4', val: '#ff7f0e' } as const;
const TITLE_H = 40;
const HEADER_H = 28;
const MARGIN = { right: 16, bottom: 62 };
/** Rough width of one character of the 12px labels, for the space the value labels need. */
const CHAR_W = 7;
const MARKER_LIMIT = 60;

/** Escapes text for SVG content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A pixel coordinate with at most two decimals. */
function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Splits a curve at non-finite values: each run of finite points is one line. */
function segments(points: Point[]): Point[][] {
  const out: Point[][] = [];
  let run: Point[] = [];
  for (const p of points) {
    if (Number.isFinite(p.y)) run.push(p);
    else if (run.length > 0) {
      out.push(run);
      run = [];
    }
  }
  if (run.length > 0) out.push(run);
  return out;
}

interface Frame {
  x0: number;
  y0: number;
  w: number;
  h: number;
  xAxis: Axis;
  yAxis: Axis;
}

function sx(f: Frame, x: number): number {
  return f.x0 + ((x - f.xAxis.lo) / (f.xAxis.hi - f.xAxis.lo)) * f.w;
}

function sy(f: Frame, y: number): number {
  return f.y0 + f.h - ((y - f.yAxis.lo) / (f.yAxis.hi - f.yAxis.lo)) * f.h;
}

function marker(kind: 'train' | 'val', x: number, y: number, cls = 'marker'): string {
  if (kind === 'train') return `<circle class="${cls} train" cx="${px(x)}" cy="${px(y)}" r="3" fill="${COLORS.train}"/>`;
  return `<rect class="${cls} val" x="${px(x - 3)}" y="${px(y - 3)}" width="6" height="6" fill="${COLORS.val}"/>`;
}

function curve(f: Frame, kind: 'train' | 'val', key: string, points: Point[], markers: boolean): string {
  const dash = kind === 'val' ? ' stroke-dasharray="6 3"' : '';
  let out = '';
  for (const seg of segments(points)) {
    const pts = seg.map((p) => `${px(sx(f, p.x))},${px(sy(f, p.y))}`).join(' ');
    out += `<polyline class="series ${kind}" data-key="${esc(key)}" points="${pts}" fill="none" stroke="${COLORS[kind]}" stroke-width="2"${dash}/>`;
    if (markers) for (const p of seg) out += marker(kind, sx(f, p.x), sy(f, p.y));
  }
  return out;
}

/** The character count of the longest value label. */
function labelChars(axis: Axis): number {
  return Math.max(1, ...axis.ticks.map((t) => t.toFixed(axis.decimals).length));
}

function axes(f: Frame, name: string): string {
  const bottom = f.y0 + f.h;
  let out = `<rect class="plot-area" x="${px(f.x0)}" y="${px(f.y0)}" width="${px(f.w)}" height="${px(f.h)}" fill="#fff" stroke="#999"/>`;
  out += '<g class="axis y">';
  for (const t of f.yAxis.ticks) {
    const y = px(sy(f, t));
    out += `<line class="grid" x1="${px(f.x0)}" x2="${px(f.x0 + f.w)}" y1="${y}" y2="${y}" stroke="#e6e6e6"/>`;
    out += `<line x1="${px(f.x0 - 5)}" x2="${px(f.x0)}" y1="${y}" y2="${y}" stroke="#333"/>`;
    out += `<text class="tick" x="${px(f.x0 - 8)}" y="${y}" text-anchor="end" dominant-baseline="middle">${t.toFixed(f.yAxis.decimals)}</text>`;
  }
  const mid = px(f.y0 + f.h / 2);
  const lx = px(f.x0 - 20 - CHAR_W * labelChars(f.yAxis));
  out += `<text class="label" x="${lx}" y="${mid}" text-anchor="middle" transform="rotate(-90 ${lx} ${mid})">${esc(name)}</text>`;
  out += '</g><g class="axis x">';
  for (const t of f.xAxis.ticks) {
    const x = px(sx(f, t));
    out += `<line x1="${x}" x2="${x}" y1="${px(bottom)}" y2="${px(bottom + 5)}" stroke="#333"/>`;
    out += `<text class="tick" x="${x}" y="${px(bottom + 18)}" text-anchor="middle">${t.toFixed(f.xAxis.decimals)}</text>`;
  }
  out += `<text class="label" x="${px(f.x0 + f.w / 2)}" y="${px(bottom + 36)}" text-anchor="middle">epoch</text></g>`;
  return out;
}

function legend(right: number, y: number, kinds: ('train' | 'val')[], minX: number): string {
  const label = { train: 'training', val: 'validation' } as const;
  let out = '<g class="legend">';
  let x = Math.max(minX, right - 96 * kinds.length);
  for (const kind of kinds) {
    const dash = kind === 'val' ? ' stroke-dasharray="6 3"' : '';
    out += `<g class="legend-entry ${kind}"><line x1="${px(x)}" x2="${px(x + 22)}" y1="${px(y)}" y2="${px(y)}" stroke="${COLORS[kind]}" stroke-width="2"${dash}/>`;
    out += `${marker(kind, x + 11, y, 'legend-marker')}<text x="${px(x + 28)}" y="${px(y)}" dominant-baseline="middle">${label[kind]}</text></g>`;
    x += 96;
  }
  return `${out}</g>`;
}

/** Where non-finite values were left out: `val_loss: NaN at epoch 3; loss: inf at epochs 4, 5`. */
function skippedNote(panel: MetricSeries): string {
  const parts: string[] = [];
  for (const [key, points] of [
    [panel.name, panel.train],
    [`val_${panel.name}`, panel.val],
  ] as const) {
    const bad = points.filter((p) => !Number.isFinite(p.y));
    if (bad.length === 0) continue;
    const shown = bad
      .slice(0, 4)
      .map((p) => String(p.x))
      .join(', ');
    parts.push(`${key} at epoch${bad.length > 1 ? 's' : ''} ${shown}${bad.length > 4 ? `, … (${bad.length})` : ''}`);
  }
  return parts.length ? `not drawn (NaN or infinite): ${parts.join('; ')}` : '';
}

function drawPanel(panel: MetricSeries, left: number, top: number, width: number, height: number, markers: boolean | undefined): string {
  const all = [...panel.train, ...panel.val];
  const xs = all.map((p) => p.x);
  const finite = all.filter((p) => Number.isFinite(p.y)).map((p) => p.y);
  const yAxis = finite.length ? valueAxis(Math.min(...finite), Math.max(...finite)) : valueAxis(0, 1);
  const marginLeft = 34 + CHAR_W * labelChars(yAxis);
  const f: Frame = {
    x0: left + marginLeft,
    y0: top + HEADER_H,
    w: width - marginLeft - MARGIN.right,
    h: height - HEADER_H - MARGIN.bottom,
    xAxis: xs.length ? epochAxis(Math.min(...xs), Math.max(...xs)) : epochAxis(0, 0),
    yAxis,
  };
  const kinds = (['train', 'val'] as const).filter((k) => panel[k].length > 0);
  let out = `<g class="panel" data-metric="${esc(panel.name)}">`;
  out += `<text class="panel-title" x="${px(f.x0)}" y="${px(top + 18)}" font-weight="bold">${esc(panel.name)}</text>`;
  out += legend(left + width - MARGIN.right, top + 14, [...kinds], f.x0 + 8 * panel.name.length + 16);
  out += axes(f, panel.name);
  for (const kind of kinds) {
    const points = panel[kind];
    const draw = markers ?? points.length <= MARKER_LIMIT;
    out += curve(f, kind, kind === 'train' ? panel.name : `val_${panel.name}`, points, draw);
  }
  if (finite.length === 0)
    out += `<text class="empty" x="${px(f.x0 + f.w / 2)}" y="${px(f.y0 + f.h / 2)}" text-anchor="middle" fill="#888">no finite values</text>`;
  const note = skippedNote(panel);
  if (note) out += `<text class="note" x="${px(f.x0)}" y="${px(top + height - 6)}" fill="#b00" font-size="11">${esc(note)}</text>`;
  return `${out}</g>`;
}

/**
 * The SVG text of {@link plotHistory}'s plot, without writing a file.
 * @example
 * ```ts
 * import { train } from 'tapegrad';
 * const svg = training.historySvg({ history: { loss: [0.9, 0.5, 0.4], val_loss: [1.0, 0.6, 0.5] } });
 * ```
 */
export function historySvg(source: HistorySource, options?: PlotHistoryOptions): string {
  checkArity('training.historySvg', arguments, 2, 'historySvg(history, { title, metrics })');
  return render('training.historySvg', source, options);
}

function render(op: string, source: unknown, options: unknown): string {
  const o = parseOptions(op, options, SPEC, {
    forms: `${op.slice(op.indexOf('.') + 1)}(history, ${op === 'training.plotHistory' ? "'curves.svg', " : ''}{ title, metrics })`,
  });
  const panels = panelsOf(op, curvesOf(op, source, o.reduce ?? 'mean'), o.metrics);
  const width = o.width ?? 420;
  const height = o.height ?? 300;
  const columns = Math.min(o.columns ?? 2, panels.length);
  const rows = Math.ceil(panels.length / columns);
  const totalW = width * columns;
  const totalH = TITLE_H + height * rows;
  const title = o.title ?? 'Training curves';
  let body = '';
  panels.forEach((panel, i) => {
    body += drawPanel(panel, (i % columns) * width, TITLE_H + Math.floor(i / columns) * height, width, height, o.markers);
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalW}" height="${totalH}" viewBox="0 0 ${totalW} ${totalH}" role="img" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fafafa"/>`,
    `<text class="title" x="${px(totalW / 2)}" y="26" text-anchor="middle" font-size="17" font-weight="bold">${esc(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * Plots training curves into a standalone SVG file at `path` (its folder is created when missing)
 * and returns the SVG text. `source` is a keras `History` (or any object with a `.history` record
 * of per-epoch arrays and optionally `.epoch`), an array of log records (`{ epoch, loss, ... }`;
 * several records of one epoch are averaged, or see `reduce`; without `epoch` keys each record is
 * one epoch), or the path of a log written by `MetricsLogger`/`CSVLogger`. One panel per metric
 * (`loss` first), the training value and its `val_` counterpart as two lines with markers, the
 * epoch (as recorded, 0-based for keras) along the x axis. NaN and infinite values break the line
 * and are listed under the panel.
 * @example
 * ```ts
 * import { train } from 'tapegrad';
 * training.plotHistory({ history: { loss: [0.9, 0.5], val_loss: [1.0, 0.6] } }, 'runs/curves.svg');
 * ```
 */
export function plotHistory(source: HistorySource, path: string, options?: PlotHistoryOptions): string {
  checkArity('training.plotHistory', arguments, 3, "plotHistory(history, 'curves.svg', { title, metrics })");
  if (typeof path !== 'string' || path === '') {
    throw new ArgumentTypeError(`training.plotHistory: path must be the SVG file to write, such as 'curves.svg', got ${describe(path)}`);
  }
  const svg = render('training.plotHistory', source, options);
  fs.mkdirSync(dirname(path), { recursive: true });
  fs.writeFileSync(path, svg);
  return svg;
}
