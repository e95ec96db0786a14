import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, ValueError, keras, manualSeed, training } from '../../src/index.js';
import { blobs } from '../keras/helpers.js';
import { findAll, hasClass, parseXml } from './xml.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-kcb-'));

function model(): keras.Sequential {
  manualSeed(3);
  const m = new keras.Sequential([new keras.Dense({ units: 3, activation: 'softmax', inputDim: 2 })]);
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe('keras.MetricsLogger: fit logs each epoch', () => {
  it('writes { epoch, ...logs } per epoch, equal to the History, in JSON Lines and CSV', async () => {
    const d = blobs(60, 1);
    for (const ext of ['.jsonl', '.csv']) {
      const path = join(dir, `fit${ext}`);
      const h = await model().fit(d.x, d.oneHot, {
        epochs: 3,
        batchSize: 16,
        validationSplit: 0.25,
        verbose: 0,
        callbacks: [new keras.MetricsLogger(path)],
      });
      const records = training.readLog(path);
      expect(records.map((r) => r['epoch'])).toEqual([0, 1, 2]);
      for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
        expect(
          records.map((r) => r[key]),
          `${ext} ${key}`,
        ).toEqual(h.history[key]);
      }
    }
    expect(readFileSync(join(dir, 'fit.csv'), 'utf8').split('\n')[0]!.split(',')[0]).toBe('epoch');
  });

  it('starts the file afresh on each fit unless append; a given training.MetricsLogger is shared', async () => {
    const d = blobs(30, 2);
    const path = join(dir, 'twice.jsonl');
    const cb = new keras.MetricsLogger(path);
    const m = model();
    await m.fit(d.x, d.oneHot, { epochs: 2, verbose: 0, callbacks: [cb] });
    await m.fit(d.x, d.oneHot, { epochs: 1, verbose: 0, callbacks: [cb] });
    expect(training.readLog(path).length).toBe(1);
    const appending = new keras.MetricsLogger(path, { append: true });
    await m.fit(d.x, d.oneHot, { epochs: 2, verbose: 0, callbacks: [appending] });
    expect(training.readLog(path).map((r) => r['epoch'])).toEqual([0, 0, 1]);

    const shared = new training.MetricsLogger(join(dir, 'shared.csv'));
    shared.log({ note: 'start' });
    await m.fit(d.x, d.oneHot, { epochs: 1, verbose: 0, callbacks: [new keras.MetricsLogger(shared)] });
    const recs = training.readLog(shared.path);
    expect(recs[0]).toEqual({ note: 'start' });
    expect(recs[1]!['epoch']).toBe(0);
  });

  it('the History of fit plots directly, train and validation in each panel', async () => {
    const d = blobs(60, 4);
    const h = await model().fit(d.x, d.oneHot, { epochs: 4, validationSplit: 0.25, verbose: 0 });
    const root = parseXml(training.plotHistory(h, join(dir, 'h.svg')));
    const panels = findAll(root, (e) => e.name === 'g' && hasClass(e, 'panel'));
    expect(panels.map((p) => p.attrs['data-metric'])).toEqual(['loss', 'accuracy']);
    for (const p of panels) {
      for (const kind of ['train', 'val']) {
        const lines = findAll(p, (e) => e.name === 'polyline' && hasClass(e, 'series', kind));
        expect(lines.map((l) => l.attrs['points']!.trim().split(/\s+/).length)).toEqual([4]);
      }
    }
  });

  it('rejects a wrong target and options given with a logger', () => {
    expect(() => new keras.MetricsLogger(3 as never)).toThrow(ArgumentTypeError);
    expect(() => new keras.MetricsLogger(new training.MetricsLogger(join(dir, 'x.jsonl')), { append: true })).toThrow(ValueError);
    expect(() => new keras.MetricsLogger('a.jsonl', { separtor: ';' } as never)).toThrow(/did you mean 'separator'/);
  });
});
