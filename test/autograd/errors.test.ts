/**
 * Typed errors at the public boundary: each message names the op and the offending shapes,
 * dims, dtypes or values (DESIGN.md section 7).
 */
import { describe, expect, it } from 'vitest';
import {
  AutogradError,
  DTypeError,
  IndexError,
  NotImplementedError,
  ShapeError,
  TapegradError,
  ValueError,
  autograd,
  cat,
  stack,
  tensor,
  zeros,
} from '../../src/index.js';
import { expectThrows } from './engine-test-helpers.js';

const int = (v: number[]) => tensor(v, { dtype: 'int32' });

describe('error classes', () => {
  it('every subclass is a TapegradError and an Error with its own name', () => {
    const classes = [ShapeError, DTypeError, AutogradError, IndexError, ValueError, NotImplementedError, autograd.GradcheckError];
    for (const C of classes) {
      const e = new C('msg');
      expect(e).toBeInstanceOf(TapegradError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(C.name);
      expect(e.message).toBe('msg');
    }
    expect(new TapegradError('x').name).toBe('TapegradError');
  });
});

describe('ShapeError', () => {
  it('broadcast mismatch names both shapes and the dim', () => {
    expectThrows(() => zeros([2, 3]).add(zeros([4, 1, 2])), ShapeError, /^add:/, /\[2, 3\]/, /\[4, 1, 2\]/, /size 3 and size 2/);
    expectThrows(() => tensor([1, 2]).mul(tensor([1, 2, 3])), ShapeError, /^mul:/, /\[2\]/, /\[3\]/);
  });

  it('matmul inner sizes', () => {
    expectThrows(
      () => zeros([2, 3]).matmul(zeros([4, 5])),
      ShapeError,
      /^matmul: cannot multiply \[2, 3\] by \[4, 5\]: inner sizes 3 and 4 differ$/,
    );
    expectThrows(() => zeros([3]).matmul(zeros([4])), ShapeError, /\[3\] by \[4\]/);
    expectThrows(() => zeros([3]).dot(zeros([4])), ShapeError, /^dot:/, /3 and 4/);
    expectThrows(() => zeros([2, 3]).mm(zeros([3])), ShapeError, /^mm:/, /\[2, 3\] and \[3\]/);
    expectThrows(() => zeros([2, 2, 3]).bmm(zeros([3, 3, 2])), ShapeError, /^bmm:/, /\[2, 2, 3\]/, /\[3, 3, 2\]/);
  });

  it('bad reshape / view names the requested shape and the input size', () => {
    expectThrows(() => zeros([2, 3]).reshape(4), ShapeError, /^reshape:/, /\[4\]/, /size 6/, /\[2, 3\]/);
    expectThrows(() => zeros([2, 3]).view(4, -1), ShapeError, /^view:/, /\[4, -1\]/, /size 6/);
    expectThrows(() => zeros([2, 3]).T.view(6), ShapeError, /^view:/, /strides/, /reshape\(\)/);
  });

  it('expand, cat and stack name the shapes', () => {
    expectThrows(() => zeros([2, 3]).expand(3, 3), ShapeError, /^expand:/, /\[2, 3\] to \[3, 3\]/);
    expectThrows(() => cat([zeros([2, 3]), zeros([2, 4])], 0), ShapeError, /^cat:/, /\[2, 3\] and \[2, 4\]/);
    expectThrows(() => stack([zeros([2, 3]), zeros([2, 4])]), ShapeError, /^stack:/, /\[2, 3\] and \[2, 4\]/);
  });
});

describe('IndexError', () => {
  it('dim out of range names the dim, the rank and the valid range', () => {
    expectThrows(() => zeros([2, 3]).sum(2), IndexError, /^sum: dim 2 out of range for a 2-d tensor/, /\[-2, 1\]/);
    expectThrows(() => zeros([2, 3]).transpose(0, 5), IndexError, /^transpose:/, /dim 5/);
    expectThrows(() => zeros([2, 3]).select(-3, 0), IndexError, /^select:/, /dim -3/);
    expectThrows(() => zeros([2, 3]).softmax(2), IndexError, /^softmax:/, /dim 2/);
    expectThrows(() => zeros([2, 3]).unsqueeze(3), IndexError, /^unsqueeze:/, /\[-3, 2\]/);
  });

  it('index out of range names the index and the size', () => {
    expectThrows(() => zeros([2, 3]).select(0, 2), IndexError, /^select:/, /index 2/, /size 2/);
    expectThrows(() => zeros([2, 3]).narrow(1, 2, 2), IndexError, /^narrow:/, /start 2/, /size 3/);
    expectThrows(() => zeros([3]).indexSelect(0, int([0, 3])), IndexError, /^indexSelect:/, /index 3/, /size 3/);
    expectThrows(() => zeros([3]).gather(0, int([5])), IndexError, /^gather:/, /index 5/);
  });
});

describe('DTypeError', () => {
  it('wrong index or mask dtypes, requiresGrad on ints, unknown dtypes', () => {
    expectThrows(() => zeros([3]).indexSelect(0, tensor([0, 1])), DTypeError, /^indexSelect:/, /int32/, /float32/);
    expectThrows(() => zeros([3]).maskedFill(tensor([1, 0, 1]), 1), DTypeError, /^maskedFill:/, /bool/, /float32/);
    expectThrows(() => zeros([2], { dtype: 'int32', requiresGrad: true }), DTypeError, /int32/);
    expectThrows(() => zeros([2], { dtype: 'complex64' as never }), DTypeError, /complex64/);
  });
});

describe('ValueError', () => {
  it('ragged arrays, repeated permute dims, two -1 sizes, item on many elements', () => {
    expectThrows(() => tensor([[1, 2], [3]]), ValueError, /^tensor: ragged/);
    expectThrows(() => zeros([2, 3]).permute(0, 0), ValueError, /^permute:/, /\[0, 0\]/);
    expectThrows(() => zeros([2, 3]).view(-1, -1), ValueError, /^view:/, /-1/);
    expectThrows(() => zeros([2]).item(), ValueError, /^item:/, /\[2\]/);
    expectThrows(() => zeros([-1]), ValueError, /^zeros:/, /\[-1\]/);
  });
});

describe('AutogradError and NotImplementedError', () => {
  it('autograd misuse', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectThrows(() => x.mul(2).backward(), AutogradError, /^backward:/, /\[2\]/);
    expectThrows(() => x.add_(1), AutogradError, /^add_:/);
  });

  it('a tracked in-place op on a view is not supported yet and says so', () => {
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const y = x.mul(1);
    expectThrows(() => y.narrow(0, 1, 2).mul_(x.narrow(0, 0, 2)), NotImplementedError, /^mul_:/, /view/);
  });
});
