import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, ValueError, training } from '../../src/index.js';
import { findAll, hasClass, parseXml, type XmlElement } from './xml.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-plot-'));

function panels(root: XmlElement): XmlElement[] {
  return findAll(root, (e) => e.name === 'g' && hasClass(e, 'panel'));
}

function panel(root: XmlElement, metric: string): XmlElement {
  const p = panels(root).find((e) => e.attrs['data-metric'] === metric);
  expect(p, `a panel for ${metric}`).toBeDefined();
  return p!;
}

function points(line: XmlElement): [number, number][] {
  return line.attrs['points']!.trim()
    .split(/\s+/)
    .map((p) => p.split(',').map(Number) as [number, number]);
}

function lines(p: XmlElement, kind: 'train' | 'val'): XmlElement[] {
  return findAll(p, (e) => e.name === 'polyline' && hasClass(e, 'series', kind));
}

/**
 * The value → pixel map of an axis, read from its tick labels: the label's number and the pixel
 * position of the label. Independent of how the plot lays itself out.
 */
function axisMap(p: XmlElement, axis: 'x' | 'y'): (v: number) => number {
  const g = findAll(p, (e) => e.name === 'g' && hasClass(e, 'axis', axis))[0]!;
  const ticks = findAll(g, (e) => e.name === 'text' && hasClass(e, 'tick')).map((t) => ({ v: Number(t.text), px: Number(t.attrs[axis]) }));
  expect(ticks.length, `${axis} ticks`).toBeGreaterThanOrEqual(2);
  ticks.forEach((t) => expect(Number.isFinite(t.v), `tick label ${t.v}`).toBe(true));
  const a = ticks[0]!;
  const b = ticks[ticks.length - 1]!;
  const scale = (b.px - a.px) / (b.v - a.v);
  for (const t of ticks) expect(a.px + (t.v - a.v) * scale).toBeCloseTo(t.px, 1); // ticks are evenly spaced
  return (v) => a.px + (v - a.v) * scale;
}

function plotArea(p: XmlElement): { x: number; y: number; w: number; h: number } {
  const r = findAll(p, (e) => e.name === 'rect' && hasClass(e, 'plot-area'))[0]!;
  return { x: Number(r.attrs['x']), y: Number(r.attrs['y']), w: Number(r.attrs['width']), h: Number(r.attrs['height']) };
}

function legendLabels(p: XmlElement): string[] {
  const g = findAll(p, (e) => e.name === 'g' && hasClass(e, 'legend'))[0]!;
  return findAll(g, (e) => e.name === 'text').map((t) => t.text);
}

const hand = {
  history: {
    loss: [1.0, 0.5, 0.25, 0.2],
    accuracy: [0.5, 0.7, 0.8, 0.9],
    val_loss: [1.2, 0.8, 0.6, 0.65],
    val_accuracy: [0.4, 0.6, 0.75, 0.7],
  },
  epoch: [0, 1, 2, 3],
};

describe('plotHistory: the SVG of a hand-made history', () => {
  const svg = training.historySvg(hand, { title: 'Run <1> & co' });
  const root = parseXml(svg);

  it('is a well-formed standalone SVG with the title escaped', () => {
    expect(root.name).toBe('svg');
    expect(root.attrs['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(Number(root.attrs['width'])).toBeGreaterThan(0);
    const title = findAll(root, (e) => e.name === 'text' && hasClass(e, 'title'))[0]!;
    expect(title.text).toBe('Run <1> & co');
    expect(findAll(root, (e) => e.name === 'title')[0]!.text).toBe('Run <1> & co');
  });

  it('has one panel per metric, loss first', () => {
    expect(panels(root).map((p) => p.attrs['data-metric'])).toEqual(['loss', 'accuracy']);
  });

  it('draws training and validation as one line each, a point per epoch, at the positions the axes give', () => {
    for (const metric of ['loss', 'accuracy'] as const) {
      const p = panel(root, metric);
      const toX = axisMap(p, 'x');
      const toY = axisMap(p, 'y');
      const area = plotArea(p);
      for (const [kind, key] of [
        ['train', metric],
        ['val', `val_${metric}`],
      ] as const) {
        const ls = lines(p, kind);
        expect(ls.length).toBe(1);
        expect(ls[0]!.attrs['data-key']).toBe(key);
        const pts = points(ls[0]!);
        const values = hand.history[key];
        expect(pts.length).toBe(values.length);
        pts.forEach(([x, y], i) => {
          expect(x).toBeCloseTo(toX(hand.epoch[i]!), 1);
          expect(y).toBeCloseTo(toY(values[i]!), 1);
          expect(x).toBeGreaterThan(area.x);
          expect(x).toBeLessThan(area.x + area.w);
          expect(y).toBeGreaterThan(area.y);
          expect(y).toBeLessThan(area.y + area.h);
        });
        const markers = findAll(p, (e) => hasClass(e, 'marker', kind) && (e.name === 'circle' || e.name === 'rect'));
        expect(markers.length).toBe(values.length);
      }
    }
  });

  it('spans the data with a 5% margin: the largest value sits 1/22 of the height below the top', () => {
    const p = panel(root, 'loss');
    const area = plotArea(p);
    const ys = points(lines(p, 'val')[0]!).map(([, y]) => y);
    expect(Math.min(...ys)).toBeCloseTo(area.y + area.h / 22, 1); // val_loss 1.2 is the maximum over both curves
    const train0 = points(lines(p, 'train')[0]!);
    expect(train0[3]![1]).toBeCloseTo(area.y + area.h - area.h / 22, 1); // loss 0.2 is the minimum
  });

  it('labels the axes and has a legend with both curves in every panel', () => {
    for (const metric of ['loss', 'accuracy']) {
      const p = panel(root, metric);
      const labels = findAll(p, (e) => e.name === 'text' && hasClass(e, 'label')).map((t) => t.text);
      expect(labels).toEqual(expect.arrayContaining(['epoch', metric]));
      expect(legendLabels(p)).toEqual(['training', 'validation']);
      const xTicks = findAll(p, (e) => e.name === 'text' && hasClass(e, 'tick') && e.attrs['text-anchor'] === 'middle').map((t) => t.text);
      expect(xTicks).toEqual(['0', '1', '2', '3']);
    }
  });
});

describe('plotHistory: edge cases', () => {
  it('a single epoch gives one point in the middle of the plot', () => {
    const root = parseXml(training.historySvg({ history: { loss: [0.7], val_loss: [0.9] } }));
    const p = panel(root, 'loss');
    const area = plotArea(p);
    for (const kind of ['train', 'val'] as const) {
      const pts = points(lines(p, kind)[0]!);
      expect(pts.length).toBe(1);
      expect(pts[0]![0]).toBeCloseTo(area.x + area.w / 2, 1);
    }
    const toY = axisMap(p, 'y');
    expect(points(lines(p, 'train')[0]!)[0]![1]).toBeCloseTo(toY(0.7), 1);
  });

  it('skips NaN and infinite values, breaks the line there, and says so under the panel', () => {
    const root = parseXml(
      training.historySvg({ history: { loss: [1, NaN, 0.5, 0.4, Infinity, 0.3], val_loss: [1, 0.9, 0.8, 0.7, 0.6, 0.5] } }),
    );
    const p = panel(root, 'loss');
    const segs = lines(p, 'train').map((l) => points(l).length);
    expect(segs).toEqual([1, 2, 1]);
    expect(lines(p, 'val').map((l) => points(l).length)).toEqual([6]);
    const note = findAll(p, (e) => e.name === 'text' && hasClass(e, 'note'))[0]!;
    expect(note.text).toContain('loss at epochs 1, 4');
    expect(note.text).not.toContain('val_loss');
    const toY = axisMap(p, 'y');
    expect(points(lines(p, 'train')[1]!)[0]![1]).toBeCloseTo(toY(0.5), 1);
  });

  it('a panel with only training values has a one-entry legend; only validation values still make a panel', () => {
    const root = parseXml(training.historySvg({ history: { loss: [1, 0.5], val_mae: [0.3, 0.2] } }));
    expect(panels(root).map((p) => p.attrs['data-metric'])).toEqual(['loss', 'mae']);
    expect(legendLabels(panel(root, 'loss'))).toEqual(['training']);
    expect(legendLabels(panel(root, 'mae'))).toEqual(['validation']);
    expect(lines(panel(root, 'mae'), 'train')).toEqual([]);
  });

  it('many epochs: one line of every point, no markers, a handful of whole-number ticks', () => {
    const loss = Array.from({ length: 300 }, (_v, i) => 1 / (i + 1));
    const root = parseXml(training.historySvg({ history: { loss } }));
    const p = panel(root, 'loss');
    expect(points(lines(p, 'train')[0]!).length).toBe(300);
    expect(findAll(p, (e) => hasClass(e, 'marker', 'train') && e.name === 'circle')).toEqual([]);
    const xTicks = findAll(p, (e) => e.name === 'text' && hasClass(e, 'tick') && e.attrs['text-anchor'] === 'middle').map((t) =>
      Number(t.text),
    );
    expect(xTicks.length).toBeGreaterThanOrEqual(3);
    expect(xTicks.length).toBeLessThanOrEqual(12);
    xTicks.forEach((t) => expect(Number.isInteger(t)).toBe(true));
  });

  it('log records: several per epoch are averaged (or the last taken), index keys are not plotted', () => {
    const records = [
      { epoch: 1, step: 10, loss: 1.0 },
      { epoch: 1, step: 20, loss: 0.6 },
      { epoch: 2, step: 30, loss: 0.4 },
      { epoch: 2, step: 40, loss: 0.2, val_loss: 0.5 },
    ];
    const mean = parseXml(training.historySvg(records));
    expect(panels(mean).map((p) => p.attrs['data-metric'])).toEqual(['loss']);
    const p = panel(mean, 'loss');
    const toY = axisMap(p, 'y');
    const toX = axisMap(p, 'x');
    const pts = points(lines(p, 'train')[0]!);
    expect(pts[0]![1]).toBeCloseTo(toY(0.8), 1);
    expect(pts[1]![1]).toBeCloseTo(toY(0.3), 1);
    expect(pts[1]![0]).toBeCloseTo(toX(2), 1);
    const last = panel(parseXml(training.historySvg(records, { reduce: 'last' })), 'loss');
    expect(points(lines(last, 'train')[0]!)[0]![1]).toBeCloseTo(axisMap(last, 'y')(0.6), 1);
  });

  it('records without epochs are one epoch each; metrics picks and orders panels', () => {
    const root = parseXml(
      training.historySvg(
        [
          { loss: 1, mae: 3 },
          { loss: 0.5, mae: 2 },
        ],
        { metrics: ['mae', 'loss'] },
      ),
    );
    expect(panels(root).map((p) => p.attrs['data-metric'])).toEqual(['mae', 'loss']);
    expect(points(lines(panel(root, 'mae'), 'train')[0]!).length).toBe(2);
  });

  it('plotHistory writes the file (creating its folder) from a History, records or a log path', () => {
    const out = join(dir, 'nested', 'a.svg');
    const svg = training.plotHistory(hand, out);
    expect(readFileSync(out, 'utf8')).toBe(svg);
    const log = join(dir, 'run.jsonl');
    writeFileSync(log, '{"epoch":0,"loss":1,"val_loss":1.1}\n{"epoch":1,"loss":0.5,"val_loss":"NaN"}\n');
    const root = parseXml(training.plotHistory(log, join(dir, 'b.svg')));
    expect(lines(panel(root, 'loss'), 'val').map((l) => points(l).length)).toEqual([1]);
  });

  it('rejects what it cannot plot, naming the problem', () => {
    expect(() => training.historySvg({ history: {} })).toThrow(ValueError);
    expect(() => training.historySvg(hand, { metrics: ['acc'] })).toThrow(/'acc'.*loss, accuracy/);
    expect(() => training.historySvg(42 as never)).toThrow(ArgumentTypeError);
    expect(() => training.historySvg([{ epoch: 0, loss: 1 }, { loss: 2 }])).toThrow(/record 1 has no numeric epoch/);
    expect(() => training.historySvg({ history: { loss: ['a'] } } as never)).toThrow(/history\.history\.loss\[0\]/);
    expect(() => training.plotHistory(hand, undefined as never)).toThrow(ArgumentTypeError);
    expect(() => training.historySvg(hand, { width: 10 })).toThrow(/width must be >= 280/);
  });
});
