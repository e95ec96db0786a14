import { describe, expect, it } from 'vitest';
import { DTypeError, ValueError, nn, tensor } from '../../src/index.js';

// nn.Step is nn.Heaviside under the name and option of nn.F.step.
describe('nn.Step as nn.Heaviside', () => {
  it('is a Heaviside that keeps its own name, option and printing', () => {
    const s = new nn.Step({ valueAtZero: 0.25 });
    expect(s).toBeInstanceOf(nn.Heaviside);
    expect(s.valueAtZero).toBe(0.25);
    expect(s.values).toBe(0.25);
    expect(s.toString()).toBe('Step(valueAtZero=0.25)');
    expect(new nn.Heaviside(0.25).toString()).toBe('Heaviside(values=0.25)');
    expect(Object.keys(s.stateDict())).toEqual([]);
  });

  it('computes the same step as Heaviside, positional or by option', () => {
    const x = tensor([-2, 0, 3]);
    expect(new nn.Step(0.5).call(x).toArray()).toEqual([0, 0.5, 1]);
    expect(new nn.Step().call(x).toArray()).toEqual(new nn.Heaviside().call(x).toArray());
  });

  it('names Step and its option in its errors', () => {
    expect(() => new nn.Step({ values: 1 } as never)).toThrow(ValueError);
    expect(() => new nn.Step({ values: 1 } as never)).toThrow(/Step/);
    expect(() => new nn.Step().call(tensor([1, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => new nn.Step().call(tensor([1, 2], { dtype: 'int32' }))).toThrow(/^step:/);
  });
});
