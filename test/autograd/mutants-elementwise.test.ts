// Tests written to kill mutants that survived `npm run test:mutation` (docs/contributing.md,
// "Mutation testing") in the elementwise primitives: the paths of the broadcasting loop
// (two one-element operands, a one-element operand next to a full one, only one-element operands
// of different ranks, contiguous and strided full operands, three inputs for where), each against
// a naive broadcast written here.
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

/** PyTorch's broadcast of two shapes (aligned at the right). */
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The element of a row-major `data` of `shape` read at the output multi-index `idx` (broadcast). */
function at(data: readonly number[], shape: readonly number[], idx: readonly number[]): number {
  const lead = idx.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + (shape[d] === 1 ? 0 : idx[lead + d]!);
  return data[flat]!;
}

function naive(shapes: number[][], datas: number[][], f: (...v: number[]) => number): { shape: number[]; data: number[] } {
  const shape = shapes.reduce((s, t) => broadcast(s, t), [] as number[]);
  const numel = shape.reduce((p, s) => p * s, 1);
  const data: number[] = [];
  for (let i = 0; i < numel; i++) {
    const idx: number[] = [];
    let r = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = r % shape[d]!;
      r = Math.floor(r / shape[d]!);
    }
    data.push(f(...datas.map((v, k) => at(v, shapes[k]!, idx))));
  }
  return { shape, data };
}

const numel = (s: readonly number[]): number => s.reduce((p, x) => p * x, 1);
/** Distinct values, none zero, so that a misplaced element or a swapped operand shows. */
const values = (s: readonly number[], seed: number): number[] =>
  Array.from({ length: numel(s) }, (_, i) => seed + 0.25 * i + 0.125 * ((i * 7) % 3));

/** A tensor of `shape` with `data`, contiguous or as a strided view (a transposed copy transposed back). */
function make(shape: number[], data: number[], strided: boolean): Tensor {
  const t = tg.tensor(data, { dtype: 'float64' }).reshape(shape);
  if (!strided || shape.length < 2) return t;
  const back = t
    .transpose(0, shape.length - 1)
    .contiguous()
    .transpose(0, shape.length - 1);
  if (shape.filter((d) => d > 1).length > 1) expect(back.isContiguous()).toBe(false);
  return back;
}

const SHAPES: number[][] = [[], [1], [1, 1], [3], [2, 3], [1, 3], [2, 1], [2, 3, 1]];

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, (a: number, b: number) => number][] = [
  ['add', (a, b) => tg.add(a, b), (a, b) => a + b],
  ['sub', (a, b) => tg.sub(a, b), (a, b) => a - b],
  ['mul', (a, b) => tg.mul(a, b), (a, b) => a * b],
  ['div', (a, b) => tg.div(a, b), (a, b) => a / b],
  ['pow', (a, b) => tg.pow(a, b), (a, b) => a ** b],
  ['maximum', (a, b) => tg.maximum(a, b), (a, b) => (a > b ? a : b)],
];

function compatible(a: readonly number[], b: readonly number[]): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

describe('the broadcasting loop of the elementwise primitives', () => {
  for (const [name, op, f] of BINARY) {
    it(`${name}: every pair of shapes (one-element of any rank, broadcast, strided) gives the naive broadcast`, () => {
      for (const sa of SHAPES) {
        for (const sb of SHAPES) {
          if (!compatible(sa, sb)) continue;
          for (const strided of [false, true]) {
            const da = values(sa, 1.5);
            const db = values(sb, 0.75);
            const want = naive([sa, sb], [da, db], f);
            const got = op(make(sa, da, strided), make(sb, db, !strided));
            expect(got.shape, `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`).toEqual(want.shape);
            const flat = Array.from(got.contiguous().reshape([-1]).toArray() as number[]);
            expect(flat.length).toBe(want.data.length);
            flat.forEach((v, i) => expect(v, `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)} at ${i}`).toBeCloseTo(want.data[i]!, 12));
          }
        }
      }
    });
  }

  it('where: every triple of shapes gives the naive broadcast', () => {
    const CONDS: number[][] = [[], [1], [3], [2, 1], [1, 1, 3]];
    for (const sc of CONDS) {
      for (const sa of SHAPES) {
        for (const sb of SHAPES) {
          if (!compatible(sc, sa) || !compatible(sa, sb) || !compatible(sc, sb) || !compatible(broadcast(sc, sa), sb)) continue;
          const dc = Array.from({ length: numel(sc) }, (_, i) => (i % 2 === 0 ? 1 : 0));
          const da = values(sa, 1);
          const db = values(sb, -5);
          const want = naive([sc, sa, sb], [dc, da, db], (c, a, b) => (c ? a : b));
          const cond = tg.tensor(dc, { dtype: 'bool' }).reshape(sc);
          const got = tg.where(cond, make(sa, da, false), make(sb, db, true));
          expect(got.shape, `where ${JSON.stringify([sc, sa, sb])}`).toEqual(want.shape);
          expect(Array.from(got.contiguous().reshape([-1]).toArray() as number[])).toEqual(want.data);
        }
      }
    }
  });

  it('gives a scalar-tape product the dtype of the promotion and the rank of the wider operand', () => {
    const a = tg.tensor(2, { dtype: 'float32' });
    const b = tg.tensor([[3]], { dtype: 'float64' });
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const out = tg.mul(x, y);
      expect(out.shape).toEqual([1, 1]);
      expect(out.dtype).toBe('float64');
      expect(out.item()).toBe(6);
    }
  });
});

describe("pow's base gradient at a zero exponent (the shortcut for a one-element exponent)", () => {
  // d/da a^b = b·a^(b-1), taken as 0 wherever b == 0, also at a = 0 (torch: [0, 0, 0]).
  it('is 0 for a one-element zero exponent, a JS number or a 0-d tensor, also at a = 0', () => {
    for (const exponent of [0, tg.tensor(0, { dtype: 'float64' })]) {
      const x = tg.tensor([0, 2, -1], { dtype: 'float64', requiresGrad: true });
      tg.pow(x, exponent).sum().backward();
      // (the sign of the zero is not compared: torch has +0 where tapegrad has 0·(-1)^(-1) = -0)
      expect(Array.from(x.grad!.toArray() as number[]).map((v) => v + 0)).toEqual([0, 0, 0]);
    }
  });

  it('masks each zero of a tensor exponent, not only its first element', () => {
    // a = [2, 0], b = [2, 0]: [2·2, 0] (torch: [4, 0]); the first exponent is nonzero.
    const a = tg.tensor([2, 0], { dtype: 'float64', requiresGrad: true });
    tg.pow(a, tg.tensor([2, 0], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(Array.from(a.grad!.toArray() as number[])).toEqual([4, 0]);
  });
});

describe('the choice of the WebAssembly stream kernel in add/sub/mul/div (from STREAM_MIN_BINARY elements)', () => {
  const n = 2 * 128 + 3; // above STREAM_MIN_BINARY (128), not a multiple of 4
  const xs = Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 1.3) * 5 + 0.5));
  const ys = Array.from({ length: n }, (_, i) => Math.fround(Math.cos(i * 0.7) * 2 + 3));
  const flat = (t: Tensor): number[] => Array.from(t.contiguous().reshape([-1]).toArray() as number[]);

  it('float64 next to float32 (either side) computes in float64, not through the float32 kernel', () => {
    const a64 = tg.tensor(xs, { dtype: 'float64' });
    const b32 = tg.tensor(ys, { dtype: 'float32' });
    for (const [x, y] of [
      [a64, b32],
      [b32, a64],
    ] as const) {
      const out = tg.add(x, y);
      expect(out.dtype).toBe('float64');
      expect(flat(out)).toEqual(xs.map((v, i) => v + ys[i]!));
    }
  });

  it('ops other than add/sub/mul/div (pow, maximum) of large float32 tensors keep their own loop', () => {
    const x = tg.tensor(xs, { dtype: 'float32' });
    const y = tg.tensor(ys, { dtype: 'float32' });
    expect(flat(tg.maximum(x, y))).toEqual(xs.map((v, i) => Math.max(v, ys[i]!)));
    expect(flat(tg.pow(tg.abs(x), 2))).toEqual(xs.map((v) => Math.fround(Math.abs(v) ** 2)));
  });

  it('a strided float32 operand of the same shape is read through its strides', () => {
    const rows = tg.tensor([...xs, ...ys], { dtype: 'float32' }).reshape([2, n]);
    const cols = rows.T; // [n, 2], strides [1, n]
    const other = tg
      .tensor(
        Array.from({ length: 2 * n }, (_, i) => i),
        { dtype: 'float32' },
      )
      .reshape([n, 2]);
    for (const [a, b] of [
      [cols, other],
      [other, cols],
    ] as const) {
      const got = flat(tg.mul(a, b));
      for (let i = 0; i < n; i++) {
        expect(got[2 * i]).toBe(Math.fround(xs[i]! * (2 * i)));
        expect(got[2 * i + 1]).toBe(Math.fround(ys[i]! * (2 * i + 1)));
      }
    }
  });

  it('operands with as many elements but other shapes broadcast ([1, m] + [m, 1] is [m, m])', () => {
    const m = 128;
    const row = tg.tensor(xs.slice(0, m), { dtype: 'float32' }).reshape([1, m]);
    const col = tg.tensor(ys.slice(0, m), { dtype: 'float32' }).reshape([m, 1]);
    const out = tg.sub(row, col);
    expect(out.shape).toEqual([m, m]);
    const got = flat(out);
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [77, 5],
      [127, 127],
    ] as const) {
      expect(got[i * m + j]).toBe(Math.fround(xs[j]! - ys[i]!));
    }
  });

  it('streamed float32 results are float32 tensors: equal shapes, and a one-element operand on either side', () => {
    const x = tg.tensor(xs, { dtype: 'float32' }).reshape([1, n]);
    const y = tg.tensor(ys, { dtype: 'float32' }).reshape([1, n]);
    const half = tg.tensor([0.5], { dtype: 'float32' });
    const cases: [Tensor, number[]][] = [
      [tg.add(x, y), xs.map((v, i) => Math.fround(v + ys[i]!))],
      [tg.div(x, y), xs.map((v, i) => Math.fround(v / ys[i]!))],
      [tg.sub(x, half), xs.map((v) => Math.fround(v - 0.5))],
      [tg.mul(half, y), ys.map((v) => Math.fround(0.5 * v))],
    ];
    for (const [out, want] of cases) {
      expect(out.dtype).toBe('float32');
      expect(out.shape).toEqual([1, n]);
      expect(flat(out)).toEqual(want);
    }
  });

  it('a one-element operand with more dims than the other gives the wider shape', () => {
    const x = tg.tensor(xs, { dtype: 'float32' });
    const one = tg.tensor([[[0.5]]], { dtype: 'float32' });
    for (const out of [tg.mul(x, one), tg.mul(one, x)]) {
      expect(out.shape).toEqual([1, 1, n]);
      expect(flat(out)).toEqual(xs.map((v) => Math.fround(v * 0.5)));
    }
  });
});
