// The gather/scatter kernels (kernels/gather-scatter.ts), for the mutation run: each against a
// naive reading of its definition written here, over shapes where the index is smaller than the
// tensors in the other dims (PyTorch allows index.size(d) <= input.size(d) for d != dim), every
// dim, repeated indices, and a source larger than the index.
import { describe, expect, it } from 'vitest';
import { around, gatherKernel, indexAddKernel, indexSelectKernel, scatterKernel } from '../../src/kernels/gather-scatter.js';

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Row-major flat offset of `coord` in `shape`. */
function flatAt(coord: readonly number[], shape: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d]! + coord[d]!;
  return off;
}

/** Every coordinate of `shape`, row-major. */
function coords(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[]): void => {
    if (prefix.length === shape.length) {
      out.push(prefix);
      return;
    }
    for (let i = 0; i < shape[prefix.length]!; i++) walk([...prefix, i]);
  };
  walk([]);
  return out;
}

const ramp = (n: number, seed: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 1.3 + seed) * 100) / 10);

// [x or out shape, index shape, src shape, dim]
const geometries: [number[], number[], number[], number][] = [
  [[5], [3], [4], 0],
  [[4, 3], [2, 3], [3, 3], 0],
  [[4, 3], [4, 2], [4, 3], 1],
  [[3, 4, 5], [2, 3, 4], [3, 3, 5], 0],
  [[3, 4, 5], [2, 3, 4], [2, 4, 4], 1],
  [[3, 4, 5], [2, 3, 4], [3, 4, 5], 2],
  [[2, 3, 2, 3], [2, 2, 2, 2], [2, 3, 2, 3], 1],
  [[2, 3, 2, 3], [1, 3, 2, 2], [2, 3, 2, 3], 3],
];

describe('gather and scatter against their definitions', () => {
  for (const [xShape, indexShape, srcShape, dim] of geometries) {
    const index = Int32Array.from({ length: numel(indexShape) }, (_, i) => (i * 7 + 3) % xShape[dim]!);
    it(`gather: x ${JSON.stringify(xShape)}, index ${JSON.stringify(indexShape)}, dim ${dim}`, () => {
      const x = ramp(numel(xShape), 1);
      const out = new Float64Array(index.length).fill(NaN);
      gatherKernel(out, x, xShape, index, indexShape, dim);
      const want = coords(indexShape).map((c) => {
        const at = c.slice();
        at[dim] = index[flatAt(c, indexShape)]!;
        return x[flatAt(at, xShape)]!;
      });
      expect(Array.from(out)).toEqual(want);
    });
    for (const accumulate of [false, true]) {
      it(`scatter${accumulate ? ' (add)' : ''}: out ${JSON.stringify(xShape)}, index ${JSON.stringify(indexShape)}, src ${JSON.stringify(srcShape)}, dim ${dim}`, () => {
        const self = ramp(numel(xShape), 2);
        const src = ramp(numel(srcShape), 3);
        const out = self.slice();
        scatterKernel(out, xShape, src, srcShape, index, indexShape, dim, accumulate);
        const want = Array.from(self);
        for (const c of coords(indexShape)) {
          const at = c.slice();
          at[dim] = index[flatAt(c, indexShape)]!;
          const v = src[flatAt(c, srcShape)]!;
          const o = flatAt(at, xShape);
          want[o] = accumulate ? want[o]! + v : v;
        }
        expect(Array.from(out)).toEqual(want);
      });
    }
  }
});

describe('indexSelect and indexAdd against their definitions', () => {
  for (const [shape, dim] of [
    [[5], 0],
    [[4, 3], 0],
    [[4, 3], 1],
    [[2, 3, 4], 1],
    [[2, 3, 4], 2],
    [[2, 3, 4], 0],
  ] as [number[], number][]) {
    const index = Int32Array.from([2, 0, 2, 1].map((v) => v % shape[dim]!));
    it(`around ${JSON.stringify(shape)} at dim ${dim}`, () => {
      expect(around(shape, dim)).toEqual([numel(shape.slice(0, dim)), numel(shape.slice(dim + 1))]);
    });
    it(`indexSelect and indexAdd: ${JSON.stringify(shape)}, dim ${dim}, repeated indices`, () => {
      // around() runs inside the test, where the mutation run sees it.
      const [outer, inner] = around(shape, dim);
      const picked = shape.slice();
      picked[dim] = index.length;
      const x = ramp(numel(shape), 4);
      const out = new Float64Array(numel(picked)).fill(NaN);
      indexSelectKernel(out, x, index, outer, shape[dim]!, inner);
      const want = coords(picked).map((c) => {
        const at = c.slice();
        at[dim] = index[c[dim]!]!;
        return x[flatAt(at, shape)]!;
      });
      expect(Array.from(out)).toEqual(want);
      const self = ramp(numel(shape), 5);
      const src = ramp(numel(picked), 6);
      const sum = self.slice();
      indexAddKernel(sum, src, index, outer, shape[dim]!, inner);
      const wantSum = Array.from(self);
      for (const c of coords(picked)) {
        const at = c.slice();
        at[dim] = index[c[dim]!]!;
        wantSum[flatAt(at, shape)]! += src[flatAt(c, picked)]!;
      }
      expect(Array.from(sum)).toEqual(wantSum);
    });
  }
});
