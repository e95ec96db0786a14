// nn.F.layerNorm (the fused primitive) against real PyTorch: values and gradients of the input, γ
// and β written by scripts/make-layernorm-fixtures.py (torch 1.13, CPU). float64 within 1e-12
// relative to the row scale, float32 within a few float32 roundings; at a large common offset the
// float32 error must not exceed PyTorch's own (both measured against float64 on the same inputs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autograd, nn, noGrad, tensor, type Tensor } from '../../src/index.js';

const layerNorm = nn.F.layerNorm;

interface Grads {
  y: number[];
  dx: number[];
  dweight: number[] | null;
  dbias: number[] | null;
}

interface Case {
  name: string;
  dtype: 'float32' | 'float64';
  shape: number[];
  normalizedShape: number[];
  eps: number;
  transposed: boolean;
  x: number[];
  weight: number[] | null;
  bias: number[] | null;
  g: number[];
  torch: Grads;
  exact: Grads;
}

const FIXTURE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'torch', 'layer-norm.json'), 'utf8')) as { cases: Case[] };

/** The input as the case describes it: a transposed (strided) view when `transposed`. */
function input(c: Case): Tensor {
  if (!c.transposed) return tensor(c.x, { dtype: c.dtype }).reshape(c.shape);
  const [rows, cols] = c.shape as [number, number];
  const stored: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) stored.push(c.x[i * cols + j]!);
  const x = tensor(stored, { dtype: c.dtype }).reshape([cols, rows]).t();
  expect(x.isContiguous()).toBe(false);
  return x;
}

function ours(c: Case): Grads {
  const x = input(c).requiresGrad_(true);
  const w = c.weight === null ? null : tensor(c.weight, { dtype: c.dtype }).reshape(c.normalizedShape).requiresGrad_(true);
  const b = c.bias === null ? null : tensor(c.bias, { dtype: c.dtype }).reshape(c.normalizedShape).requiresGrad_(true);
  const y = layerNorm(x, c.normalizedShape, { weight: w, bias: b, eps: c.eps });
  expect(y.dtype).toBe(c.dtype);
  expect(y.shape).toEqual(c.shape);
  const leaves = [x, w, b].filter((t): t is Tensor => t !== null);
  const grads = autograd.grad([y], leaves, { gradOutputs: [tensor(c.g, { dtype: c.dtype }).reshape(c.shape)] });
  const list = (t: Tensor | null | undefined): number[] => Array.from(t!.contiguous().dataSync());
  return {
    y: list(y),
    dx: list(grads[0]),
    dweight: w === null ? null : list(grads[1]),
    dbias: b === null ? null : list(grads[w === null ? 1 : 2]),
  };
}

/** max |a − b| / max(1, max |b|). */
function relErr(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

const KEYS = ['y', 'dx', 'dweight', 'dbias'] as const;

describe('nn.F.layerNorm matches PyTorch', () => {
  it('has the fixture cases', () => expect(FIXTURE.cases.length).toBeGreaterThanOrEqual(10));
  for (const c of FIXTURE.cases) {
    it(c.name, () => {
      const got = ours(c);
      const tol = c.dtype === 'float64' ? 1e-12 : 2e-6;
      for (const k of KEYS) {
        const want = c.torch[k];
        expect(got[k] === null, k).toBe(want === null);
        if (want === null) continue;
        const err = relErr(got[k]!, want);
        // At a large offset float32 PyTorch itself is off: hold ours to its error against float64.
        const allowed = Math.max(tol, 2 * relErr(want, c.exact[k]!));
        expect(err, `${k}: ${err} > ${allowed}`).toBeLessThanOrEqual(allowed);
        // And closer to the float64 values than PyTorch's float32 kernel, up to a few roundings.
        expect(relErr(got[k]!, c.exact[k]!), k).toBeLessThanOrEqual(relErr(want, c.exact[k]!) + tol);
      }
    });
  }
});

describe('nn.F.layerNorm edge cases', () => {
  it('a normalised size of 1 gives the bias and no input gradient', () => {
    const x = tensor([[3], [-7], [1e6]], { dtype: 'float64' }).requiresGrad_(true);
    const b = tensor([0.25], { dtype: 'float64' }).requiresGrad_(true);
    const y = layerNorm(x, [1], { bias: b });
    expect(Array.from(y.dataSync())).toEqual([0.25, 0.25, 0.25]);
    y.sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(b.grad!.dataSync())).toEqual([3]);
  });

  it('an in-place change of the input after the forward is an AutogradError at backward, as in PyTorch', () => {
    const leaf = tensor(
      [
        [1, 2, 4],
        [0, -3, 5],
      ],
      { dtype: 'float64' },
    ).requiresGrad_(true);
    const h = leaf.mul(1);
    const y = layerNorm(h, [3], { weight: tensor([2, -1, 0.5], { dtype: 'float64' }) });
    noGrad(() => h.mul_(3));
    expect(() => y.sum().backward()).toThrow(/layerNorm: a tensor saved for backward .* was modified by an in-place operation/);
  });

  it('a float32 row at offset 1e4 normalises without cancellation', () => {
    // [1e4 − 0.5, 1e4 + 0.5] is exact in float32: mean 1e4, variance 0.25, so y = ±0.5/√(0.25 + eps).
    const y = layerNorm(tensor([1e4 - 0.5, 1e4 + 0.5]), [2]);
    const want = 0.5 / Math.sqrt(0.25 + 1e-5);
    expect(Math.abs(y.dataSync()[0]! + want)).toBeLessThan(1e-6);
    expect(Math.abs(y.dataSync()[1]! - want)).toBeLessThan(1e-6);
  });
});
