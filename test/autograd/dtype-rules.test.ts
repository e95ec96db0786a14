import { describe, expect, it } from 'vitest';
import { canCast, resultType, type DTypeOperand } from '../../src/autograd/dtype.js';

// Expected values from torch 1.13 (torch.result_type, torch.clamp(...).dtype, torch.can_cast).
const dim = (dtype: DTypeOperand['dtype']): DTypeOperand => ({ dtype, ndim: 1 });
const zero = (dtype: DTypeOperand['dtype']): DTypeOperand => ({ dtype, ndim: 0 });

describe('resultType', () => {
  it('lets a 0-d operand change the dtype only when its category is higher', () => {
    expect(resultType([dim('int32'), zero('float32')])).toBe('float32');
    expect(resultType([dim('float32'), zero('float64')])).toBe('float32');
    expect(resultType([dim('bool'), zero('int32')])).toBe('int32');
    expect(resultType([zero('float64'), dim('int32'), zero('float32')])).toBe('float64');
  });

  it('promotes operands of one group together', () => {
    expect(resultType([dim('float32'), dim('float64')])).toBe('float64');
    expect(resultType([zero('int32'), zero('bool')])).toBe('int32');
    expect(resultType([dim('int32')])).toBe('int32');
  });
});

describe('canCast', () => {
  it('refuses only a store into a lower category', () => {
    expect(canCast('float64', 'int32')).toBe(false);
    expect(canCast('int32', 'bool')).toBe(false);
    expect(canCast('int32', 'float32')).toBe(true);
    expect(canCast('float64', 'float32')).toBe(true);
  });
});
