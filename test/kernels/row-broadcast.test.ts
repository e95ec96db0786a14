// The float32 row and column broadcasts of the elementwise family (a [..., w] operand with a [w]
// or [1, w] row: linear's bias add; or with a [..., 1] column: `x - x.mean(-1, true)`; either
// side, also as expanded views): the runtime's entry takes them from its threshold, and the
// results equal the general broadcasting loop (the 'js' backend) and a float64 reference rounded
// once to float32, bit for bit. Strided operands, float64, rows = 0 and other broadcasts are
// declined (null) and the loop gives the values.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { binaryEntry, setKernelBackend, STREAM_MIN_BINARY, type DenseView } from '../../src/kernels/runtime/index.js';
import { CHUNK } from '../../src/kernels/wasm/stream.js';
import { streamColumns, streamRows } from '../../src/kernels/wasm/stream-rows.js';
import * as tg from '../../src/index.js';

type Op = 'add' | 'sub' | 'mul' | 'div';
const OPS: readonly Op[] = ['add', 'sub', 'mul', 'div'];

/** float64 reference, rounded once to float32 (independent of src/). */
const REF: Record<Op, (x: number, y: number) => number> = {
  add: (x, y) => Math.fround(x + y),
  sub: (x, y) => Math.fround(x - y),
  mul: (x, y) => Math.fround(x * y),
  div: (x, y) => Math.fround(x / y),
};

/** Same value, same sign of zero, or both NaN. */
const same = (a: number, b: number): boolean => Object.is(a, b) || (a !== a && b !== b);

/** A contiguous float32 operand of the runtime's entries. */
const view = (data: Float32Array, shape: number[], extra: Partial<DenseView> = {}): DenseView => ({
  dtype: 'float32',
  shape,
  ndim: shape.length,
  _numel: shape.reduce((a, b) => a * b, 1),
  _offset: 0,
  _contiguous: true,
  _storage: { data },
  ...extra,
});

const SPECIAL = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1.401298464324817e-45, 3.4028234663852886e38, 1e-30, 0.1];

/** `n` float32 values: mostly pseudo-random, some special. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s % 13 === 0 ? SPECIAL[s % SPECIAL.length]! : ((s / 2 ** 32) * 8 - 4) * 2 ** ((s % 7) - 3);
  }
  return out;
}

/** `op` of `a` and `b` by the tensor op under the given backend. */
function run(backend: 'auto' | 'wasm' | 'js', op: Op, a: tg.Tensor, b: tg.Tensor): tg.Tensor {
  setKernelBackend(backend);
  try {
    return a[op](b);
  } finally {
    setKernelBackend('auto');
  }
}

/** Checks a [..., w] ⊕ row result against the float64 reference, element by element. */
function checkReference(op: Op, out: ArrayLike<number>, full: Float32Array, row: Float32Array, rowFirst: boolean): void {
  const w = row.length;
  expect(out.length).toBe(full.length);
  for (let i = 0; i < full.length; i++) {
    const want = rowFirst ? REF[op](row[i % w]!, full[i]!) : REF[op](full[i]!, row[i % w]!);
    if (!same(out[i]!, want)) expect(`${op} at ${i}: ${out[i]}`).toBe(`${op} at ${i}: ${want}`);
  }
}

afterEach(() => setKernelBackend('auto'));

describe('row broadcast: the wasm kernel equals the general loop and the reference', () => {
  it('every op, both orders, [w] and [1, w] rows, random shapes (wasm backend: every size)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPS),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 2 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 70 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        (op, lead, rows, w, rowFirst, keepDim, seed) => {
          const shape = [...lead, rows, w];
          const full = values(
            shape.reduce((a, b) => a * b, 1),
            seed,
          );
          const row = values(w, seed + 1);
          const ft = tg.tensor(full).reshape(shape);
          const rt = keepDim ? tg.tensor(row).reshape([1, w]) : tg.tensor(row);
          const [a, b] = rowFirst ? [rt, ft] : [ft, rt];
          const fast = run('wasm', op, a, b);
          const loop = run('js', op, a, b);
          expect(fast.shape).toEqual(shape);
          expect(loop.shape).toEqual(shape);
          const f = fast.dataSync();
          const l = loop.dataSync();
          for (let i = 0; i < f.length; i++) if (!same(f[i]!, l[i]!)) expect(`${op} at ${i}: ${f[i]}`).toBe(`${op} at ${i}: ${l[i]}`);
          checkReference(op, f, full, row, rowFirst);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rows longer than a chunk, and chunks that end inside a row, under auto', () => {
    for (const [rows, w] of [
      [3, CHUNK + 5],
      [2, 2 * CHUNK],
      [7, 3000],
      [1000, 9],
      [65, 128],
    ] as const) {
      for (const op of OPS) {
        for (const rowFirst of [false, true]) {
          const full = values(rows * w, rows + w);
          const row = values(w, w);
          const out = binaryEntry(op)!(
            rowFirst ? view(row, [w]) : view(full, [rows, w]),
            rowFirst ? view(full, [rows, w]) : view(row, [w]),
          );
          expect(out).not.toBeNull();
          checkReference(op, out!, full, row, rowFirst);
        }
      }
    }
  });

  it('operands at offsets into their storage (views of a larger array)', () => {
    const rows = 33;
    const w = 17;
    const big = values(1000, 5);
    const full = big.subarray(11, 11 + rows * w);
    const row = big.subarray(900, 900 + w);
    for (const op of OPS) {
      const out = binaryEntry(op)!(view(big, [rows, w], { _offset: 11 }), view(big, [w], { _offset: 900 }));
      checkReference(op, out!, full, row, false);
    }
    const out = new Float32Array(rows * w + 3);
    expect(streamRows('sub', out, big, 11, big, 900, true, rows, w, 3)).toBe(true);
    checkReference('sub', out.subarray(3), full, row, true);
  });
});

describe('column broadcast: the wasm kernel equals the general loop and the reference', () => {
  /** Checks a [rows, w] ⊕ column result against the float64 reference. */
  function checkColumns(op: Op, out: ArrayLike<number>, full: Float32Array, col: Float32Array, colFirst: boolean): void {
    const w = full.length / col.length;
    for (let i = 0; i < full.length; i++) {
      const c = col[Math.floor(i / w)]!;
      const want = colFirst ? REF[op](c, full[i]!) : REF[op](full[i]!, c);
      if (!same(out[i]!, want)) expect(`${op} at ${i}: ${out[i]}`).toBe(`${op} at ${i}: ${want}`);
    }
  }

  it('every op, both orders, [..., r, 1] columns and expanded views of columns and rows (wasm backend)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPS),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 2 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 2, max: 70 }),
        fc.boolean(),
        fc.constantFrom('column', 'expanded column', 'expanded row', 'strided column'),
        fc.integer(),
        (op, lead, rows, w, smallFirst, form, seed) => {
          const shape = [...lead, rows, w];
          const r = shape.slice(0, -1).reduce((a, b) => a * b, 1);
          const full = values(r * w, seed);
          const ft = tg.tensor(full).reshape(shape);
          const isRow = form === 'expanded row';
          const small = values(isRow ? w : r, seed + 1);
          // The strided column: every other element of a [..., r, 2] tensor holding it.
          const spaced = new Float32Array(2 * r);
          for (let i = 0; i < r; i++) spaced[2 * i] = small[i]!;
          const columnShape = [...shape.slice(0, -1), 1];
          const forms = {
            column: () => tg.tensor(small).reshape(columnShape),
            'expanded column': () => tg.tensor(small).reshape(columnShape).expand(shape),
            'expanded row': () => tg.tensor(small).expand(shape),
            'strided column': () =>
              tg
                .tensor(spaced)
                .reshape([...shape.slice(0, -1), 2])
                .narrow(-1, 0, 1),
          };
          const st = forms[form]();
          const [a, b] = smallFirst ? [st, ft] : [ft, st];
          const fast = run('wasm', op, a, b);
          const loop = run('js', op, a, b);
          expect(fast.shape).toEqual(shape);
          const f = fast.dataSync();
          const l = loop.dataSync();
          for (let i = 0; i < f.length; i++) if (!same(f[i]!, l[i]!)) expect(`${op} at ${i}: ${f[i]}`).toBe(`${op} at ${i}: ${l[i]}`);
          if (isRow) checkReference(op, f, full, small, smallFirst);
          else checkColumns(op, f, full, small, smallFirst);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('taken from the minimum width under auto; rows longer than a chunk; an offset output', () => {
    const add = binaryEntry('add')!;
    for (const [rows, w] of [
      [16, 16],
      [3, CHUNK + 3],
      [700, 20],
    ] as const) {
      const full = values(rows * w, w);
      const col = values(rows, rows);
      for (const colFirst of [false, true]) {
        const out = colFirst ? add(view(col, [rows, 1]), view(full, [rows, w])) : add(view(full, [rows, w]), view(col, [rows, 1]));
        expect(out).not.toBeNull();
        checkColumns('add', out!, full, col, colFirst);
      }
    }
    const full = values(40 * 24, 1);
    const col = values(40, 2);
    const out = new Float32Array(40 * 24 + 5);
    expect(streamColumns('div', out, full, 0, col, 0, true, 40, 24, 5)).toBe(true);
    checkColumns('div', out.subarray(5), full, col, true);
  });
});

describe('row broadcast: which calls the entry takes (null: the general loop runs)', () => {
  const add = binaryEntry('add')!;
  const rows = 8;
  const w = 32;
  const full = values(rows * w, 1);
  const row = values(w, 2);

  it('takes [rows, w] with [w], [1, w] and [1, 1, w] rows under auto from the threshold, and [..., w] with more leading dims', () => {
    expect(rows * w).toBeGreaterThanOrEqual(STREAM_MIN_BINARY);
    expect(add(view(full, [rows, w]), view(row, [w]))).not.toBeNull();
    expect(add(view(row, [1, w]), view(full, [rows, w]))).not.toBeNull();
    expect(add(view(full, [2, rows / 2, w]), view(row, [1, 1, w]))).not.toBeNull();
    // A one-element operand is the scalar path (n = 1).
    expect(add(view(full, [rows, w]), view(new Float32Array([3]), [1]))).toEqual(full.map((x) => Math.fround(x + 3)));
  });

  it('declines below the threshold under auto (takes it under wasm), and everything under js', () => {
    const small = values(3 * w, 3);
    expect(3 * w).toBeLessThan(STREAM_MIN_BINARY);
    expect(add(view(small, [3, w]), view(row, [w]))).toBeNull();
    setKernelBackend('wasm');
    expect(add(view(small, [3, w]), view(row, [w]))).not.toBeNull();
    setKernelBackend('js');
    expect(add(view(full, [rows, w]), view(row, [w]))).toBeNull();
  });

  it('declines strided operands, float64, more dims on the row, mismatched widths, other broadcasts, narrow columns', () => {
    expect(add(view(full, [w, rows], { _contiguous: false }), view(row, [rows]))).toBeNull();
    expect(add(view(full, [rows, w]), view(values(2 * w, 6), [w], { _contiguous: false, _strides: [2] }))).toBeNull();
    expect(add(view(full, [rows, w], { dtype: 'float64' }), view(row, [w]))).toBeNull();
    expect(add(view(full, [rows, w]), view(row, [1, 1, w]))).toBeNull();
    expect(add(view(full, [rows, w]), view(row.subarray(0, w - 1), [w - 1]))).toBeNull();
    // A row per leading position ([2, 1, w] against [2, 4, w]): neither a row nor a column.
    expect(add(view(full, [2, rows / 2, w]), view(row.subarray(0, 2 * (w / 2)), [2, 1, w / 2]))).toBeNull();
    expect(add(view(full, [2, rows / 2, w]), view(values(2 * w, 4), [2, 1, w]))).toBeNull();
    // An expanded operand that is neither (strides [w, 0, 1] over [2, 4, w]).
    expect(
      add(view(full, [2, rows / 2, w]), view(values(2 * w, 4), [2, rows / 2, w], { _contiguous: false, _strides: [w, 0, 1] })),
    ).toBeNull();
    // A column that is every other element of its storage (strides [2, 1]).
    expect(add(view(full, [rows, w]), view(values(2 * rows, 7), [rows, 1], { _contiguous: false, _strides: [2, 1] }))).toBeNull();
    // Columns narrower than the column kernel's minimum width keep the loop.
    expect(add(view(full, [rows * 4, w / 4]), view(values(rows * 4, 5), [rows * 4, 1]))).toBeNull();
  });

  it('rows = 0: declined, and the loop gives the empty result of the broadcast shape', () => {
    const empty = new Float32Array(0);
    setKernelBackend('wasm');
    expect(add(view(empty, [0, w]), view(row, [w]))).toBeNull();
    expect(add(view(row, [w]), view(empty, [0, w]))).toBeNull();
    setKernelBackend('auto');
    expect(tg.zeros([0, w]).add(tg.tensor(row)).shape).toEqual([0, w]);
    expect(tg.tensor(row).sub(tg.zeros([0, w])).shape).toEqual([0, w]);
  });
});

describe('row broadcast: declined operands still give the right values through the tensor op', () => {
  it('a transposed full operand, a strided row, float64 and a [rows, 1] column equal the reference', () => {
    const rows = 24;
    const w = 16;
    const full = values(rows * w, 7);
    const row = values(w, 8);
    const ft = tg.tensor(full).reshape([rows, w]);
    // The same logical [rows, w] values, stored transposed.
    const transposed = tg.tensor(full).reshape([rows, w]).T.contiguous().T;
    expect(transposed.isContiguous()).toBe(false);
    // The row as every other element of a [2w] array.
    const spaced = new Float32Array(2 * w);
    for (let j = 0; j < w; j++) spaced[2 * j] = row[j]!;
    const strided = tg.tensor(spaced).reshape([w, 2]).select(1, 0);
    expect(strided.isContiguous()).toBe(false);
    for (const op of OPS) {
      checkReference(op, transposed[op](tg.tensor(row)).dataSync(), full, row, false);
      checkReference(op, strided[op](ft).dataSync(), full, row, true);
      const f64 = ft.to('float64')[op](tg.tensor(row).to('float64')).dataSync();
      for (let i = 0; i < f64.length; i++) {
        const x = full[i]!;
        const y = row[i % w]!;
        const want = op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y;
        expect(same(f64[i]!, want)).toBe(true);
      }
    }
    const col = values(rows, 9);
    const byCol = ft.mul(tg.tensor(col).reshape([rows, 1])).dataSync();
    for (let i = 0; i < byCol.length; i++) expect(same(byCol[i]!, REF.mul(full[i]!, col[Math.floor(i / w)]!))).toBe(true);
  });
});
