import { describe, expect, it } from 'vitest';
import {
  checkArity,
  checkNumber,
  describe as describeValue,
  num,
  oneOf,
  parseOptions,
  sizesOf,
  splitOptions,
  suggest,
  bool,
} from '../../src/autograd/args.js';
import { ArgumentTypeError, TapegradError, ValueError } from '../../src/autograd/errors.js';
import { zeros } from '../../src/autograd/ops/creation.js';

const SPEC = { batchFirst: bool, lr: num({ min: 0 }), mode: oneOf(['min', 'max']) };

describe('parseOptions', () => {
  it('returns the checked options and an empty object for undefined', () => {
    expect({ ...parseOptions('f', { lr: 0.1, batchFirst: true }, SPEC) }).toEqual({ lr: 0.1, batchFirst: true });
    expect({ ...parseOptions('f', undefined, SPEC) }).toEqual({});
  });
  it('rejects what is not a plain object with a TypeError showing the accepted forms', () => {
    for (const bad of [3, 'x', null, [1], zeros([2]), () => 1]) {
      expect(() => parseOptions('f', bad, SPEC, { forms: 'f(x, { lr })' })).toThrow(ArgumentTypeError);
      expect(() => parseOptions('f', bad, SPEC, { forms: 'f(x, { lr })' })).toThrow(
        /f: expected an options object; accepted forms: f\(x, \{ lr \}\)/,
      );
    }
  });
  it('names the camelCase key for a snake_case one, suggests a near key, and lists the known keys', () => {
    expect(() => parseOptions('f', { batch_first: true }, SPEC)).toThrow(
      "f: unknown option 'batch_first': options are camelCase, did you mean 'batchFirst'?",
    );
    expect(() => parseOptions('f', { lrr: 1 }, SPEC)).toThrow(
      /unknown option 'lrr': did you mean 'lr'\?.*known options: batchFirst, lr, mode/,
    );
    expect(() => parseOptions('f', { zzzzzzzz: 1 }, SPEC)).toThrow(/unknown option 'zzzzzzzz' \(known options: batchFirst, lr, mode\)/);
  });
  it('accepts snake_case keys only when asked, and not both spellings at once', () => {
    expect({ ...parseOptions('f', { batch_first: true }, SPEC, { snakeCase: true }) }).toEqual({ batchFirst: true });
    expect(() => parseOptions('f', { batch_first: true, batchFirst: false }, SPEC, { snakeCase: true })).toThrow(/given twice/);
  });
  it('reads own keys only: an inherited or __proto__ key is not an option', () => {
    const o = JSON.parse('{"__proto__": {"lr": 5}}') as object;
    expect(() => parseOptions('f', o, SPEC)).toThrow(/unknown option '__proto__'/);
    expect(() => parseOptions('f', { toString: 1 }, SPEC)).toThrow(ValueError);
  });
  it('checks each value and names op, key and value', () => {
    expect(() => parseOptions('f', { lr: 'fast' }, SPEC)).toThrow("f: lr must be a number, got 'fast'");
    expect(() => parseOptions('f', { lr: -1 }, SPEC)).toThrow('f: lr must be >= 0, got -1');
    expect(() => parseOptions('f', { mode: 'mni' }, SPEC)).toThrow(/mode must be one of 'min', 'max', got 'mni': did you mean 'min'\?/);
    expect(() => parseOptions('f', { batchFirst: 1 }, SPEC)).toThrow(ArgumentTypeError);
  });
});

describe('errors', () => {
  it('ArgumentTypeError is a TypeError and a TapegradError, and other errors are not', () => {
    const e = new ArgumentTypeError('x');
    expect(e).toBeInstanceOf(TypeError);
    expect(e).toBeInstanceOf(TapegradError);
    expect(new TypeError('x')).not.toBeInstanceOf(TapegradError);
    expect(new ValueError('x')).toBeInstanceOf(TapegradError);
    expect(e).not.toBeInstanceOf(ValueError);
  });
});

describe('values in messages are bounded', () => {
  it('describes long strings, big arrays, typed arrays and tensors briefly', () => {
    expect(describeValue('a'.repeat(1_000_000)).length).toBeLessThan(80);
    expect(describeValue(new Array(1_000_000).fill(1))).toBe('an array of 1000000 items');
    expect(describeValue(new Float32Array(5))).toBe('a Float32Array of 5 elements');
    expect(describeValue(zeros([2, 3]))).toBe('a Tensor of shape [2, 3] (float32)');
    expect(describeValue([2, 3])).toBe('[2, 3]');
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_v, i) => [`k${i}`, i]));
    expect(describeValue(many).length).toBeLessThan(80);
  });
  it('an unknown key of a megabyte is shortened', () => {
    let msg = '';
    try {
      parseOptions('f', { ['k'.repeat(1 << 20)]: 1 }, SPEC);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg.length).toBeGreaterThan(0);
    expect(msg.length).toBeLessThan(200);
  });
});

describe('positional helpers', () => {
  it('sizesOf reads variadic and array forms and rejects non-numbers', () => {
    expect(sizesOf('zeros', [2, 3], 'zeros(2, 3)')).toEqual([2, 3]);
    expect(sizesOf('zeros', [[2, 3]], 'zeros(2, 3)')).toEqual([2, 3]);
    expect(sizesOf('zeros', [], 'zeros(2, 3)')).toEqual([]);
    expect(() => sizesOf('zeros', [2, '3'], 'zeros(2, 3)')).toThrow(ArgumentTypeError);
  });
  it('splitOptions takes a trailing plain object only', () => {
    expect(splitOptions([2, 3, { dtype: 'float64' }])).toEqual([[2, 3], { dtype: 'float64' }]);
    expect(splitOptions([2, 3])).toEqual([[2, 3], undefined]);
  });
  it('checkArity names the extra arguments and the forms', () => {
    expect(() => checkArity('f', [1, 2, 3], 2, 'f(a, b)')).toThrow(
      /f: too many arguments \(3, takes at most 2; extra: 3\); accepted forms: f\(a, b\)/,
    );
    expect(() => checkArity('f', [1, 2], 2, 'f(a, b)')).not.toThrow();
  });
  it('checkNumber rejects NaN, infinities unless allowed, and non-integers when asked', () => {
    expect(() => checkNumber('f', 'n', NaN)).toThrow(ValueError);
    expect(() => checkNumber('f', 'n', Infinity)).toThrow(ValueError);
    expect(checkNumber('f', 'n', Infinity, { infinite: true })).toBe(Infinity);
    expect(() => checkNumber('f', 'n', 1.5, { integer: true })).toThrow('f: n must be an integer, got 1.5');
    expect(() => checkNumber('f', 'n', 0, { min: 0, minExclusive: true })).toThrow('f: n must be > 0, got 0');
  });
  it('suggest finds near names and nothing for far ones', () => {
    expect(suggest('bais', ['bias', 'dtype'])).toBe('bias');
    expect(suggest('weight_decay', ['weightDecay', 'lr'])).toBe('weightDecay');
    expect(suggest('qqqq', ['bias', 'dtype'])).toBeUndefined();
  });
});
