/**
 * PyTorch's call forms of the shape ops (variadic sizes and dims, { dim }), and typed errors naming
 * the op for wrong operand types and extra arguments. Expected shapes are PyTorch's, by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentTypeError,
  Tensor,
  arange,
  cat,
  chunk,
  exp,
  leakyRelu,
  matmul,
  maximum,
  ones,
  split,
  stack,
  tensor,
  zeros,
} from '../../src/index.js';

const t23 = (): Tensor => arange(6, { dtype: 'float32' }).reshape(2, 3);
const call = (t: Tensor, name: string, ...args: unknown[]): unknown =>
  (t as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);

describe('variadic sizes and dims', () => {
  it('reshape, view, permute, expand take (2, 3) and ([2, 3])', () => {
    expect(arange(6).reshape(2, 3).shape).toEqual([2, 3]);
    expect(arange(6).view(3, -1).shape).toEqual([3, 2]);
    expect(arange(6).view([3, 2]).shape).toEqual([3, 2]);
    expect(t23().permute(1, 0).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(t23().permute([1, 0]).shape).toEqual([3, 2]);
    expect(
      tensor([[1], [2]])
        .expand(2, 3)
        .toArray(),
    ).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(tensor([[1], [2]]).expand(-1, 4).shape).toEqual([2, 4]);
    expect(tensor([1, 2]).expand(3, -1).shape).toEqual([3, 2]);
  });

  it('flatten(start, end), transpose, squeeze(dim), unsqueeze', () => {
    expect(zeros(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(zeros(2, 3, 4, 5).flatten(1, 2).shape).toEqual([2, 12, 5]);
    expect(t23().transpose(0, 1).shape).toEqual([3, 2]);
    expect(zeros(1, 3, 1).squeeze(0).shape).toEqual([3, 1]);
    expect(zeros(1, 3, 1).squeeze().shape).toEqual([3]);
    expect(zeros(3).unsqueeze(-1).shape).toEqual([3, 1]);
  });

  it('split, chunk, unbind, cat and stack take dim positionally or as { dim }', () => {
    expect(
      t23()
        .split(2, 1)
        .map((p) => p.shape),
    ).toEqual([
      [2, 2],
      [2, 1],
    ]);
    expect(split(t23(), [1, 2], { dim: 1 }).map((p) => p.shape)).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(chunk(t23(), 3, { dim: 1 }).length).toBe(3);
    expect(t23().unbind({ dim: 1 }).length).toBe(3);
    expect(cat([t23(), t23()], { dim: 1 }).shape).toEqual([2, 6]);
    expect(stack([t23(), t23()], 1).shape).toEqual([2, 2, 3]);
  });

  it('rejects strings and wrong types in sizes with the op named', () => {
    expect(() => call(t23(), 'reshape', 3, '2')).toThrow(ArgumentTypeError);
    expect(() => call(t23(), 'reshape', 3, '2')).toThrow(/reshape: size 1 must be an integer, got '2'/);
    expect(() => call(t23(), 'view', 'float64')).toThrow(/view: size 0 must be an integer/);
    expect(() => call(t23(), 'permute', 1, null)).toThrow(/permute/);
    expect(() => call(t23(), 'transpose', 0)).toThrow(/transpose: dim1 must be an integer, got undefined/);
    expect(() => call(t23(), 'unsqueeze', '0')).toThrow(ArgumentTypeError);
    expect(() => call(t23(), 'chunk', 2, 'x')).toThrow(/chunk: dim must be an integer/);
    expect(() => call(t23(), 'split', 2, { axis: 1 })).toThrow(/unknown option 'axis'/);
  });
});

describe('wrong operand types and extra arguments', () => {
  it('cat(x, y) and stack(x, y) show the list form', () => {
    const x = ones(2);
    expect(() => (cat as (...a: unknown[]) => unknown)(x, x)).toThrow(ArgumentTypeError);
    expect(() => (cat as (...a: unknown[]) => unknown)(x, x)).toThrow(
      /cat: expected an array of tensors first, got a Tensor of shape \[2\] \(float32\); pass the tensors as one array: cat\(\[x, y\], dim\)/,
    );
    expect(() => (stack as (...a: unknown[]) => unknown)(x, x)).toThrow(/stack\(\[x, y\], dim\)/);
    expect(() => cat([x, [1, 2] as never])).toThrow(/cat: tensors\[1\] must be a Tensor, got \[1, 2\]/);
    expect(() => (cat as (...a: unknown[]) => unknown)([x, x], 0, 1)).toThrow(/cat: too many arguments/);
  });

  it('x.matmul(2) and friends name the op, never an internal error', () => {
    expect(() => call(t23(), 'matmul', 2)).toThrow(ArgumentTypeError);
    expect(() => call(t23(), 'matmul', 2)).toThrow(/matmul: the second argument must be a Tensor, got 2/);
    expect(() => (matmul as (...a: unknown[]) => unknown)([[1]], t23())).toThrow(
      /matmul: the first argument must be a Tensor, got an array/,
    );
    expect(() => call(t23(), 'mm', 'x')).toThrow(/mm: /);
    expect(() => call(ones(3), 'dot', [1, 2, 3])).toThrow(/dot: .*wrap an array with tensor/);
  });

  it('too many positional arguments throw instead of being dropped', () => {
    expect(() => call(t23(), 'exp', 2)).toThrow(ArgumentTypeError);
    expect(() => call(t23(), 'exp', 2)).toThrow(/exp: too many arguments \(1, takes at most 0; extra: 2\); accepted forms: x\.exp\(\)/);
    expect(() => call(t23(), 'mul', 2, 3)).toThrow(/mul: too many arguments/);
    expect(() => call(t23(), 'flatten', 0, 1, 2)).toThrow(/flatten: too many arguments/);
    expect(() => call(t23(), 'transpose', 0, 1, 2)).toThrow(/transpose: too many arguments/);
    expect(() => call(t23(), 'relu', true)).toThrow(/relu: too many arguments/);
    expect(() => call(tensor([1]), 'item', 0)).toThrow(/item: too many arguments/);
    expect(() => call(t23(), 'float', 'float64')).toThrow(/float: too many arguments/);
  });

  it('top-level elementwise functions and activations refuse extra arguments too', () => {
    const lib = { exp, leakyRelu, maximum } as unknown as Record<string, (...a: unknown[]) => unknown>;
    expect(() => lib.exp!(t23(), 2)).toThrow(/exp: too many arguments .*accepted forms: exp\(x\)/);
    expect(() => lib.maximum!(t23(), 1, 2)).toThrow(/maximum: too many arguments/);
    expect(() => lib.leakyRelu!(t23(), 0.1, true)).toThrow(/leakyRelu: too many arguments/);
  });

  it("x.to('float64') and x.to({ dtype: 'float64' }), PyTorch's keyword form", () => {
    expect(t23().to({ dtype: 'float64' }).dtype).toBe('float64');
    expect(t23().to('int32').dtype).toBe('int32');
    expect(() => call(t23(), 'to', { dtpye: 'float64' })).toThrow(/to: unknown option 'dtpye': did you mean 'dtype'/);
  });
});
