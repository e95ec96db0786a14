import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, FormatError, ValueError, tensor, training } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-log-'));
let n = 0;
const file = (ext: string) => join(dir, `log${n++}${ext}`);

describe('MetricsLogger: JSON Lines', () => {
  it('writes one JSON object per line, in order, non-finite numbers as strings', () => {
    const path = file('.jsonl');
    const logger = new training.MetricsLogger(path);
    expect(logger.format).toBe('jsonl');
    logger.log({ epoch: 0, step: 10, loss: 0.5 });
    logger.log({ epoch: 1, step: 20, loss: NaN, note: 'diverged', best: false, lr: -Infinity });
    expect(readFileSync(path, 'utf8')).toBe(
      '{"epoch":0,"step":10,"loss":0.5}\n{"epoch":1,"step":20,"loss":"NaN","note":"diverged","best":false,"lr":"-Infinity"}\n',
    );
    const back = training.readLog(path);
    expect(back[0]).toEqual({ epoch: 0, step: 10, loss: 0.5 });
    expect(back[1]!['loss']).toBeNaN();
    expect(back[1]!['lr']).toBe(-Infinity);
    expect(back[1]!['note']).toBe('diverged');
  });

  it('logs a one-element tensor as its number and drops undefined entries', () => {
    const path = file('.ndjson');
    new training.MetricsLogger(path).log({ loss: tensor(0.25), extra: undefined });
    expect(readFileSync(path, 'utf8')).toBe('{"loss":0.25}\n');
  });

  it('starts the file afresh unless append; two appending loggers continue one file', () => {
    const path = file('.jsonl');
    writeFileSync(path, '{"old":1}\n');
    new training.MetricsLogger(path).log({ epoch: 0 });
    expect(training.readLog(path)).toEqual([{ epoch: 0 }]);
    new training.MetricsLogger(path, { append: true }).log({ epoch: 1 });
    new training.MetricsLogger(path, { append: true }).log({ epoch: 2 });
    expect(training.readLog(path).map((r) => r['epoch'])).toEqual([0, 1, 2]);
  });

  it('a torn last line (a crash mid-write) is skipped by readLog and trimmed by an appending logger', () => {
    const path = file('.jsonl');
    writeFileSync(path, '{"epoch":0,"loss":1}\n{"epoch":1,"lo');
    expect(training.readLog(path)).toEqual([{ epoch: 0, loss: 1 }]);
    new training.MetricsLogger(path, { append: true }).log({ epoch: 1, loss: 0.5 });
    expect(readFileSync(path, 'utf8')).toBe('{"epoch":0,"loss":1}\n{"epoch":1,"loss":0.5}\n');
  });

  it('a malformed line in the middle is a FormatError naming the line', () => {
    const path = file('.jsonl');
    writeFileSync(path, '{"a":1}\nnot json\n{"a":2}\n');
    expect(() => training.readLog(path)).toThrow(FormatError);
    expect(() => training.readLog(path)).toThrow(/line 2/);
  });

  it('creates the parent folder', () => {
    const path = join(dir, 'deep', 'er', 'x.jsonl');
    new training.MetricsLogger(path).log({ a: 1 });
    expect(existsSync(path)).toBe(true);
  });
});

describe('MetricsLogger: CSV', () => {
  it('writes a header of the first record keys, then a row per record; missing keys are empty cells', () => {
    const path = file('.csv');
    const logger = new training.MetricsLogger(path);
    logger.log({ epoch: 0, loss: 0.5, acc: 0.8 });
    logger.log({ epoch: 1, loss: 0.25 });
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,acc\n0,0.5,0.8\n1,0.25,\n');
    expect(logger.columns).toEqual(['epoch', 'loss', 'acc']);
    expect(training.readLog(path)).toEqual([
      { epoch: 0, loss: 0.5, acc: 0.8 },
      { epoch: 1, loss: 0.25 },
    ]);
  });

  it('a new key adds a column: the file is rewritten with the wider header and empty cells before', () => {
    const path = file('.csv');
    const logger = new training.MetricsLogger(path);
    logger.log({ epoch: 0, loss: 1 });
    logger.log({ epoch: 1, loss: 0.5, val_loss: 0.7 });
    logger.log({ epoch: 2, loss: 0.4, val_loss: 0.6 });
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,val_loss\n0,1,\n1,0.5,0.7\n2,0.4,0.6\n');
    expect(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .every((l) => l.split(',').length === 3),
    ).toBe(true);
  });

  it('appending loggers read the existing header and extend it with new keys', () => {
    const path = file('.csv');
    new training.MetricsLogger(path).log({ epoch: 0, loss: 1 });
    const second = new training.MetricsLogger(path, { append: true });
    expect(second.columns).toEqual(['epoch', 'loss']);
    second.log({ loss: 0.5, epoch: 1 });
    second.log({ epoch: 2, lr: 0.01 });
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,lr\n0,1,\n1,0.5,\n2,,0.01\n');
  });

  it('quotes fields holding the separator, quotes or line breaks, and reads them back', () => {
    const path = file('.csv');
    new training.MetricsLogger(path).log({ 'a,b': 1, note: 'say "hi"\nthere' });
    expect(readFileSync(path, 'utf8')).toBe('"a,b",note\n1,"say ""hi""\nthere"\n');
    expect(training.readLog(path)).toEqual([{ 'a,b': 1, note: 'say "hi"\nthere' }]);
  });

  it('writes NaN and infinities so that they read back as numbers; reads Keras CSVLogger files (NA cells)', () => {
    const path = file('.csv');
    new training.MetricsLogger(path).log({ loss: NaN, big: Infinity });
    expect(readFileSync(path, 'utf8')).toBe('loss,big\nNaN,Infinity\n');
    const back = training.readLog(path)[0]!;
    expect(back['loss']).toBeNaN();
    expect(back['big']).toBe(Infinity);
    const keras = file('.csv');
    writeFileSync(keras, 'epoch,accuracy,loss,val_loss\r\n0,0.5,1.2,NA\r\n1,0.7,0.8,nan\r\n');
    const recs = training.readLog(keras);
    expect(recs[0]).toEqual({ epoch: 0, accuracy: 0.5, loss: 1.2 });
    expect(recs[1]!['val_loss']).toBeNaN();
  });

  it('.tsv files use tabs; a separator option is honoured', () => {
    const tsv = file('.tsv');
    new training.MetricsLogger(tsv).log({ a: 1, b: 2 });
    expect(readFileSync(tsv, 'utf8')).toBe('a\tb\n1\t2\n');
    const semi = file('.csv');
    new training.MetricsLogger(semi, { separator: ';' }).log({ a: 1, b: 2 });
    expect(readFileSync(semi, 'utf8')).toBe('a;b\n1;2\n');
    expect(training.readLog(semi, { separator: ';' })).toEqual([{ a: 1, b: 2 }]);
  });

  it('the format option overrides the extension', () => {
    const path = file('.log');
    new training.MetricsLogger(path, { format: 'csv' }).log({ a: 1 });
    expect(readFileSync(path, 'utf8')).toBe('a\n1\n');
    expect(training.readLog(path, { format: 'csv' })).toEqual([{ a: 1 }]);
  });
});

describe('MetricsLogger: wrong calls', () => {
  it('rejects an unknown extension, bad values and options with typed errors', () => {
    expect(() => new training.MetricsLogger(file('.txt'))).toThrow(/cannot tell the format.*format: 'jsonl' \| 'csv'/);
    expect(() => new training.MetricsLogger(file('.jsonl'), { separator: ';' })).toThrow(ValueError);
    expect(() => new training.MetricsLogger(file('.csv'), { format: 'json' as never })).toThrow(/did you mean 'jsonl'/);
    expect(() => new training.MetricsLogger(42 as never)).toThrow(ArgumentTypeError);
    const logger = new training.MetricsLogger(file('.jsonl'));
    expect(() => logger.log({ loss: [1, 2] })).toThrow(/loss must be a number, string or boolean, got \[1, 2\]/);
    expect(() => logger.log({ loss: tensor([1, 2]) })).toThrow(/loss must be a number or a one-element tensor/);
    expect(() => logger.log(3 as never)).toThrow(ArgumentTypeError);
    expect(() => (logger.log as (...a: unknown[]) => void)({ a: 1 }, 5)).toThrow(/too many arguments/);
  });
});
