/** The wrong-call corpus for the train area (see types.ts). */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { WrongCall } from './types.js';

const tmp = (name: string) => join(tmpdir(), `tapegrad-wrong-${process.pid}-${name}`);
const history = { history: { loss: [1, 0.5], val_loss: [1.2, 0.7] } };

/** Calls of the train area. */
export const calls: WrongCall[] = [
  {
    code: "new training.MetricsLogger('run.txt')",
    run: (tg) => new tg.training.MetricsLogger(tmp('run.txt')),
    expect: { throws: 'ValueError', message: /cannot tell the format.*\.jsonl or \.csv/ },
  },
  {
    code: "new training.MetricsLogger('run.csv', { format: 'json' })",
    run: (tg) => new tg.training.MetricsLogger(tmp('run.csv'), { format: 'json' as never }),
    expect: { throws: 'ValueError', message: /format must be one of 'jsonl', 'csv'.*did you mean 'jsonl'/ },
  },
  {
    code: "new training.MetricsLogger('run.jsonl', { separator: ';' })",
    run: (tg) => new tg.training.MetricsLogger(tmp('sep.jsonl'), { separator: ';' }),
    expect: { throws: 'ValueError', message: /separator applies to CSV files only/ },
  },
  {
    code: "new training.MetricsLogger('run.csv', { append: 'yes' })",
    run: (tg) => new tg.training.MetricsLogger(tmp('append.csv'), { append: 'yes' as never }),
    expect: { throws: 'ArgumentTypeError', message: /append must be a boolean, got 'yes'/ },
  },
  {
    code: 'logger.log({ loss: tensor([0.5, 0.4]) })  // not a scalar',
    run: (tg) => new tg.training.MetricsLogger(tmp('vec.jsonl')).log({ loss: tg.tensor([0.5, 0.4]) }),
    expect: { throws: 'ValueError', message: /loss must be a number or a one-element tensor, got a Tensor of shape \[2\]/ },
  },
  {
    code: 'logger.log({ loss: tensor(0.5) })  // a one-element tensor is its number',
    run: (tg) => {
      const path = tmp('scalar.jsonl');
      new tg.training.MetricsLogger(path).log({ loss: tg.tensor(0.5) });
      return tg.training.readLog(path);
    },
    expect: { check: (records) => expect(records).toEqual([{ loss: 0.5 }]) },
  },
  {
    code: "logger.log('loss', 0.5)  // tensorboard's add_scalar form",
    run: (tg) => (new tg.training.MetricsLogger(tmp('scalar2.jsonl')).log as (...a: unknown[]) => void)('loss', 0.5),
    expect: { throws: 'ArgumentTypeError', message: /too many arguments/ },
  },
  {
    code: "progress(100)  // tqdm(100) is not iterable either",
    run: (tg) => tg.training.progress(100 as never),
    expect: { throws: 'ArgumentTypeError', message: /expected an iterable.*got 100/ },
  },
  {
    code: "progress(loader, { ncols: 80 })  // tqdm's name",
    run: (tg) => tg.training.progress([1], { ncols: 80 } as never),
    expect: { throws: 'ValueError', message: /unknown option 'ncols'/ },
  },
  {
    code: 'progress(loader, { total: 2.5 })',
    run: (tg) => tg.training.progress([1], { total: 2.5 }),
    expect: { throws: 'ValueError', message: /total must be an integer, got 2\.5/ },
  },
  {
    code: "progress(loader, { stream: 'stderr' })",
    run: (tg) => tg.training.progress([1], { stream: 'stderr' as never }),
    expect: { throws: 'ArgumentTypeError', message: /stream must have a write\(text\) method.*'stderr'/ },
  },
  {
    code: "bar.setPostfix({ loss: tensor(0.5) })  // set_postfix takes numbers",
    run: (tg) => tg.training.progress([1]).setPostfix({ loss: tg.tensor(0.5) as never }),
    expect: { throws: 'ArgumentTypeError', message: /postfix\.loss must be a number, string or boolean, got a Tensor/ },
  },
  {
    code: "plotHistory(history)  // no path",
    run: (tg) => (tg.training.plotHistory as (...a: unknown[]) => unknown)(history),
    expect: { throws: 'ArgumentTypeError', message: /path must be the SVG file to write.*got undefined/ },
  },
  {
    code: "plotHistory(history.history, 'curves.svg')  // the record instead of the History",
    run: (tg) => tg.training.plotHistory(history.history as never, tmp('record.svg')),
    expect: { throws: 'ArgumentTypeError', message: /expected a History.*got an object \{ loss, val_loss \}/ },
  },
  {
    code: "plotHistory(history, 'curves.svg', { metrics: ['acc'] })",
    run: (tg) => tg.training.plotHistory(history, tmp('acc.svg'), { metrics: ['acc'] }),
    expect: { throws: 'ValueError', message: /metrics names 'acc', which is not in the history; it has loss/ },
  },
  {
    code: "plotHistory(history, 'curves.svg', { metrics: 'loss' })",
    run: (tg) => tg.training.plotHistory(history, tmp('str.svg'), { metrics: 'loss' as never }),
    expect: { throws: 'ArgumentTypeError', message: /metrics must be an array, got 'loss'/ },
  },
  {
    code: "readLog('run.jsonl', 'csv')",
    run: (tg) => tg.training.readLog(tmp('missing.jsonl'), 'csv' as never),
    expect: { throws: 'ArgumentTypeError', message: /expected an options object.*got 'csv'/ },
  },
  {
    code: "new keras.MetricsLogger('fit.jsonl', { seperator: ';' })",
    run: (tg) => new tg.keras.MetricsLogger(tmp('fit.jsonl'), { seperator: ';' } as never),
    expect: { throws: 'ValueError', message: /unknown option 'seperator': did you mean 'separator'\?/ },
  },
  {
    code: 'new keras.MetricsLogger(logger, { append: true })  // the logger already has its file',
    run: (tg) => new tg.keras.MetricsLogger(new tg.training.MetricsLogger(tmp('own.jsonl')), { append: true }),
    expect: { throws: 'ValueError', message: /options \(append\) apply to a path/ },
  },
  {
    code: 'new keras.MetricsLogger({ filename: "fit.csv" })  // a Keras config object instead of the path',
    run: (tg) => new tg.keras.MetricsLogger({ filename: 'fit.csv' } as never),
    expect: { throws: 'ArgumentTypeError', message: /expected a file path or a training\.MetricsLogger, got an object \{ filename \}/ },
  },
];
