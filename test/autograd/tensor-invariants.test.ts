/**
 * Invariants that outside code cannot break: a frozen shape, JS number conversion of one-element
 * tensors (Python's float(t)), distinct seeds for every safe integer.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, Generator, ValueError, manualSeed, ones, rand, randn, tensor, zeros } from '../../src/index.js';

describe('shape cannot be changed from outside', () => {
  it('x.shape.reverse() and y.shape[0] = 4 throw and leave the tensor intact', () => {
    const x = ones(2, 3);
    expect(() => (x.shape as number[]).reverse()).toThrow(TypeError);
    expect(() => {
      (x.shape as number[])[0] = 4;
    }).toThrow(TypeError);
    expect(() => (x.shape as number[]).push(1)).toThrow(TypeError);
    expect(x.shape).toEqual([2, 3]);
    expect(x.sum().item()).toBe(6);
    const y = x.reshape(3, 2);
    expect(Object.isFrozen(y.shape)).toBe(true);
  });

  it('size() and stride() hand out copies that may be changed', () => {
    const x = zeros(2, 3);
    const s = x.size();
    s[0] = 7;
    const st = x.stride();
    st.reverse();
    expect(x.shape).toEqual([2, 3]);
    expect(x.stride()).toEqual([3, 1]);
  });
});

describe('Symbol.toPrimitive', () => {
  it('a one-element tensor converts to its number: running += loss, comparisons, arithmetic', () => {
    let running = 0;
    for (const v of [0.5, 0.25]) running += tensor(v, { dtype: 'float64' }) as unknown as number;
    expect(running).toBe(0.75);
    expect(+tensor([[2]])).toBe(2);
    expect((tensor(0.5) as unknown as number) < 1).toBe(true);
    expect(Number(tensor([true]))).toBe(1);
  });

  it('string conversion prints the tensor; a larger tensor refuses number conversion with a hint', () => {
    expect(`${tensor([1, 2])}`).toBe(tensor([1, 2]).toString());
    expect(() => +ones(2)).toThrow(ValueError);
    expect(() => +ones(2)).toThrow(/shape \[2\] \(2 elements\) cannot be converted to a number.*\.item\(\).*\.toArray\(\)/);
    expect(() => (0 as number) + (ones(2, 2) as unknown as number)).toThrow(/\.toArray\(\)/);
  });
});

describe('manualSeed and Generator seeds', () => {
  const first = (seed: number): number[] => Array.from(rand([4], { generator: new Generator(seed) }).dataSync());

  it('every safe integer is its own seed: 2**40 differs from 0, -1 from 2**32 - 1', () => {
    expect(first(2 ** 40)).not.toEqual(first(0));
    expect(first(2 ** 32)).not.toEqual(first(0));
    expect(first(-1)).not.toEqual(first(2 ** 32 - 1));
    expect(first(2 ** 53 - 1)).not.toEqual(first(2 ** 53 - 2));
    expect(first(2 ** 40)).toEqual(first(2 ** 40));
  });

  it('manualSeed reseeds the global generator for every safe integer', () => {
    manualSeed(2 ** 40);
    const a = randn([3]).toArray();
    manualSeed(2 ** 40);
    expect(randn([3]).toArray()).toEqual(a);
    manualSeed(0);
    expect(randn([3]).toArray()).not.toEqual(a);
  });

  it('throws for non-integers, unsafe integers and non-numbers', () => {
    expect(() => manualSeed(1.5)).toThrow(ValueError);
    expect(() => manualSeed(1.5)).toThrow(/manualSeed: seed must be a safe integer/);
    expect(() => manualSeed(2 ** 53)).toThrow(ValueError);
    expect(() => manualSeed(NaN)).toThrow(ValueError);
    expect(() => manualSeed('1' as never)).toThrow(ArgumentTypeError);
    expect(() => new Generator(0.5)).toThrow(ValueError);
  });
});
