/**
 * Wrong (and torchinfo-habit) calls of nn.summary. Parameter counts are worked out by hand.
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';

const seed = (tg: Lib): InstanceType<Lib['nn']['Sequential']> =>
  new tg.nn.Sequential(new tg.nn.Linear(784, 10), new tg.nn.ReLU(), new tg.nn.Linear(10, 10), new tg.nn.ReLU(), new tg.nn.Linear(10, 10));

/** Calls of nn.summary. */
export const summaryCalls: WrongCall[] = [
  {
    code: 'nn.summary(model, [1, 784]) // torchinfo: summary(model, input_size=(1, 784))',
    run: (tg) => tg.nn.summary(seed(tg), [1, 784], { print: false }),
    expect: {
      check: (s) => {
        // 784·10 + 10 + 2·(10·10 + 10) = 8070
        expect(s.totalParams).toBe(8070);
        expect(s.layers[1].outputShapes).toEqual([[1, 10]]);
      },
    },
  },
  {
    code: 'nn.summary(model, { inputSize: [1, 784] }) // keyword input_size',
    run: (tg) => tg.nn.summary(seed(tg), { inputSize: [1, 784] } as never),
    expect: { throws: 'ArgumentTypeError', message: /nn\.summary: the inputs come before the options; accepted forms: nn\.summary\(model, \[1, 784\]\)/ },
  },
  {
    code: 'nn.summary(model, [1, 784], { verbose: 0 }) // a torchinfo option tapegrad spells print: false',
    run: (tg) => tg.nn.summary(seed(tg), [1, 784], { verbose: 0 } as object),
    expect: { throws: 'ValueError', message: /nn\.summary: unknown option 'verbose'/ },
  },
  {
    code: "nn.summary(model, [1, 784], { col_names: ['output_size'] })",
    run: (tg) => tg.nn.summary(seed(tg), [1, 784], { col_names: ['output_size'] } as object),
    expect: { throws: 'ValueError', message: /nn\.summary: unknown option 'col_names'/ },
  },
  {
    code: 'nn.summary(model, [1, 784], { depth: 1.5 })',
    run: (tg) => tg.nn.summary(seed(tg), [1, 784], { depth: 1.5 }),
    expect: { throws: 'ValueError', message: /nn\.summary: depth must be an integer, got 1\.5/ },
  },
  {
    code: 'nn.summary(model, [784]) // no batch dim: Linear takes 1-d input too',
    run: (tg) => tg.nn.summary(seed(tg), [784], { print: false }),
    expect: { check: (s) => expect(s.layers[0].outputShapes).toEqual([[10]]) },
  },
  {
    code: "nn.summary(model, [2, 4], { dtypes: 'long' }) // PyTorch's dtype name",
    run: (tg) => tg.nn.summary(new tg.nn.Embedding(10, 3), [2, 4], { dtypes: 'long' as 'int32' }),
    expect: { throws: 'ValueError', message: /nn\.summary: dtypes must be one of 'float32', 'float64', 'int32', 'bool', got 'long'/ },
  },
];
