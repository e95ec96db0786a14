// Which kernel the elementwise family's entries (`runtime/elementwise.ts`) run for which call:
// backend, dtype, layout, shape, size, threads. An entry that declines returns null (the caller's
// generic loop runs), and the stream drivers are spied on (wrapped, still run), so a guard that
// sends a call to the wrong kernel, or declines one it should take, is seen even where the values
// would agree. Also the row/column drivers past their first chunk at unaligned offsets and the
// column sum's bounds (`wasm/stream-rows.ts`, `runtime/reduce.ts`).
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/kernels/wasm/stream.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/kernels/wasm/stream.js')>();
  return {
    ...m,
    streamUnary: vi.fn(m.streamUnary),
    streamBinary: vi.fn(m.streamBinary),
    streamScalar: vi.fn(m.streamScalar),
    setSplitCallerWeight: vi.fn(m.setSplitCallerWeight),
  };
});
vi.mock('../../src/kernels/wasm/stream-rows.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/kernels/wasm/stream-rows.js')>();
  return { ...m, streamRows: vi.fn(m.streamRows), streamColumns: vi.fn(m.streamColumns), streamColumnSum: vi.fn(m.streamColumnSum) };
});

import {
  binaryEntry,
  columnSum,
  setKernelBackend,
  setKernelThreads,
  setStreamSplit,
  STREAM_MIN_BINARY,
  STREAM_MIN_UNARY,
  STREAM_SPLIT_MIN,
  unaryEntry,
  unaryF32,
  type DenseView,
} from '../../src/kernels/runtime/index.js';
import { CHUNK, setSplitCallerWeight, streamBinary, streamScalar, streamUnary } from '../../src/kernels/wasm/stream.js';
import { streamColumns, streamColumnSum, streamRows } from '../../src/kernels/wasm/stream-rows.js';

const spies = {
  unary: vi.mocked(streamUnary),
  binary: vi.mocked(streamBinary),
  scalar: vi.mocked(streamScalar),
  rows: vi.mocked(streamRows),
  columns: vi.mocked(streamColumns),
  columnSum: vi.mocked(streamColumnSum),
  weight: vi.mocked(setSplitCallerWeight),
};

afterEach(() => {
  setKernelBackend('auto');
  setKernelThreads(1);
  setStreamSplit(null);
  vi.clearAllMocks();
});

/** Small integers 1..7 (exact in every op but div, whose reference is rounded once). */
function ints(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 5 + seed * 3) % 7) + 1;
  return out;
}

/** A float32 operand over `data`: contiguous unless `strides` is given. */
function view(data: Float32Array, shape: number[], strides?: number[], offset = 0): DenseView {
  return {
    dtype: 'float32',
    shape,
    ndim: shape.length,
    _numel: shape.reduce((x, y) => x * y, 1),
    _offset: offset,
    _contiguous: strides === undefined,
    ...(strides === undefined ? {} : { _strides: strides }),
    _storage: { data },
  };
}

const add = (a: DenseView, b: DenseView): Float32Array | null => binaryEntry('add')!(a, b);

/** Element (i) of `v` read through its shape and strides (independent of src/). */
function at(v: DenseView, idx: number[]): number {
  const strides = v._strides ?? v.shape.map((_, d) => v.shape.slice(d + 1).reduce((x, y) => x * y, 1));
  let p = v._offset;
  idx.forEach((i, d) => (p += v.shape[d] === 1 ? 0 : i * strides[d]!));
  return v._storage.data[p]!;
}

/** a + b broadcast to `shape` (b right-aligned), by nested index loops. */
function refAdd(a: DenseView, b: DenseView, shape: number[]): number[] {
  const out: number[] = [];
  const total = shape.reduce((x, y) => x * y, 1);
  for (let f = 0; f < total; f++) {
    const idx: number[] = [];
    for (let d = shape.length - 1, r = f; d >= 0; d--) {
      idx.unshift(r % shape[d]!);
      r = Math.floor(r / shape[d]!);
    }
    const pick = (v: DenseView): number => at(v, idx.slice(shape.length - v.ndim));
    out.push(Math.fround(pick(a) + pick(b)));
  }
  return out;
}

describe('unaryF32 and unaryEntry: which kernel', () => {
  it('erf never goes to the stream kernel, under any backend', () => {
    setKernelBackend('wasm');
    const out = new Float32Array(256);
    unaryF32('erf', out, ints(256), 256);
    expect(spies.unary).not.toHaveBeenCalled();
    expect(out[0]).toBeCloseTo(0.99999998, 6); // erf(4) (seed 1: the first value is 4)
  });

  it('splits from exactly the split threshold, only with more than one thread', () => {
    const n = STREAM_SPLIT_MIN.exp;
    spies.unary.mockImplementation(() => false); // record the choice; the JS loop computes
    setKernelThreads(2);
    unaryF32('exp', new Float32Array(n), ints(n), n);
    unaryF32('exp', new Float32Array(n - 1), ints(n - 1), n - 1);
    setKernelThreads(1);
    unaryF32('exp', new Float32Array(n), ints(n), n);
    expect(spies.unary.mock.calls.map((c) => c[6])).toEqual([true, false, false]);
  });

  it('setStreamSplit: a threshold for every kernel, a caller weight, null restoring both', () => {
    spies.unary.mockImplementation(() => false);
    setKernelThreads(2);
    setStreamSplit({ minElements: 100 });
    for (const op of ['exp', 'sigmoid', 'tanh', 'relu'] as const) {
      unaryF32(op, new Float32Array(100), ints(100), 100);
      unaryF32(op, new Float32Array(99), ints(99), 99);
    }
    expect(spies.unary.mock.calls.map((c) => c[6])).toEqual([true, false, true, false, true, false, true, false]);
    spies.unary.mockClear();
    setStreamSplit({ minElements: Infinity, callerWeight: 0.5 });
    expect(spies.weight).toHaveBeenLastCalledWith(0.5);
    unaryF32('exp', new Float32Array(STREAM_SPLIT_MIN.exp), ints(STREAM_SPLIT_MIN.exp), STREAM_SPLIT_MIN.exp);
    expect(spies.unary.mock.calls[0]![6]).toBe(false);
    spies.unary.mockClear();
    spies.weight.mockClear();
    setStreamSplit({ callerWeight: 2 }); // the threshold back to its default
    expect(spies.weight).toHaveBeenLastCalledWith(2);
    unaryF32('exp', new Float32Array(STREAM_SPLIT_MIN.exp), ints(STREAM_SPLIT_MIN.exp), STREAM_SPLIT_MIN.exp);
    expect(spies.unary.mock.calls[0]![6]).toBe(true);
    spies.weight.mockClear();
    setStreamSplit(null);
    expect(spies.weight).toHaveBeenLastCalledWith(null);
    setStreamSplit({});
    expect(spies.weight.mock.calls).toEqual([[null], [null]]);
  });

  it('unaryEntry declines float64 and strided operands, and takes a contiguous float32 one', () => {
    const relu = unaryEntry('relu');
    const f64: DenseView = { ...view(new Float32Array(0), [128]), dtype: 'float64', _storage: { data: new Float64Array(128) } };
    expect(relu(f64)).toBeNull();
    expect(relu(view(ints(256), [128], [2]))).toBeNull();
    const out = relu(view(ints(STREAM_MIN_UNARY), [STREAM_MIN_UNARY]));
    expect(Array.from(out!)).toEqual(Array.from(ints(STREAM_MIN_UNARY)));
  });
});

describe('binaryEntry: which kernel', () => {
  it("declines float64 operands and the 'js' backend", () => {
    const f64: DenseView = { ...view(new Float32Array(0), [256]), dtype: 'float64', _storage: { data: new Float64Array(256) } };
    expect(add(f64, f64)).toBeNull();
    setKernelBackend('js');
    expect(add(view(ints(256), [256]), view(ints(256), [256]))).toBeNull();
    expect(spies.binary).not.toHaveBeenCalled();
  });

  it('declines equal sizes of different shapes (a broadcast, or a reshape)', () => {
    setKernelBackend('wasm');
    expect(add(view(ints(256), [256]), view(ints(256), [256, 1]))).toBeNull();
    expect(add(view(ints(256), [2, 128]), view(ints(256), [128, 2]))).toBeNull();
    expect(add(view(ints(256), [2, 4, 32]), view(ints(256), [2, 32, 4]))).toBeNull();
    expect(spies.binary).not.toHaveBeenCalled();
  });

  it('two contiguous operands of one shape go to the binary kernel', () => {
    const a = view(ints(4 * 64), [4, 64]);
    const b = view(ints(4 * 64, 3), [4, 64]);
    expect(Array.from(add(a, b)!)).toEqual(refAdd(a, b, [4, 64]));
    expect(spies.binary).toHaveBeenCalledTimes(1);
    expect(spies.rows).not.toHaveBeenCalled();
  });

  it('a one-element operand goes to the scalar kernel, also with as many dims as the other', () => {
    const full = view(ints(2 * STREAM_MIN_BINARY), [2, STREAM_MIN_BINARY]);
    const one = view(new Float32Array([3]), [1, 1]);
    const out = add(full, one);
    expect(Array.from(out!)).toEqual(Array.from(ints(2 * STREAM_MIN_BINARY), (x) => x + 3));
    expect(add(view(new Float32Array([3]), [1]), view(ints(64), [64]))).toBeNull(); // below the threshold
    setKernelBackend('wasm');
    expect(add(view(new Float32Array([3]), [1]), view(ints(32), [32]))).not.toBeNull();
    expect(spies.scalar).toHaveBeenCalledTimes(2);
    expect(spies.columns).not.toHaveBeenCalled();
    expect(spies.rows).not.toHaveBeenCalled();
  });

  it('a contiguous operand with a same-shape expanded row (stride 0) takes the row kernel, on either side', () => {
    const rows = 4;
    const w = 64;
    const row = ints(w, 2);
    const full = view(ints(rows * w), [rows, w]);
    const expanded = view(row, [rows, w], [0, 1]);
    expect(Array.from(add(full, expanded)!)).toEqual(refAdd(full, expanded, [rows, w]));
    expect(Array.from(add(expanded, full)!)).toEqual(refAdd(expanded, full, [rows, w]));
    expect(spies.rows.mock.calls.map((c) => c[6])).toEqual([false, true]);
  });

  it('a one-element operand with more dims than the other is declined (the result has its dims)', () => {
    setKernelBackend('wasm');
    expect(add(view(new Float32Array([3]), [1, 1, 1]), view(ints(256), [256]))).toBeNull();
    expect(add(view(ints(256), [256]), view(new Float32Array([3]), [1, 1]))).toBeNull();
    expect(spies.scalar).not.toHaveBeenCalled();
  });

  it('a row on the left of a contiguous operand with more elements takes the row kernel', () => {
    const row = view(ints(64, 2), [64]);
    const full = view(ints(4 * 64), [4, 64]);
    expect(Array.from(add(row, full)!)).toEqual(refAdd(row, full, [4, 64]));
    expect(spies.rows.mock.calls.map((c) => c[6])).toEqual([true]);
  });

  it('an empty operand is declined, also with an expanded one of its shape under wasm', () => {
    setKernelBackend('wasm');
    expect(add(view(new Float32Array(0), [0, 64]), view(ints(64), [0, 64], [0, 1]))).toBeNull();
    expect(add(view(ints(64), [0, 64], [0, 1]), view(new Float32Array(0), [0, 64]))).toBeNull();
    expect(spies.rows).not.toHaveBeenCalled();
  });

  it('two strided operands of one shape are declined', () => {
    const expandedRow = view(ints(64), [4, 64], [0, 1]);
    const expandedColumn = view(ints(4), [4, 64], [1, 0]);
    expect(add(expandedRow, expandedColumn)).toBeNull();
    expect(add(expandedColumn, expandedRow)).toBeNull();
    expect(spies.rows).not.toHaveBeenCalled();
    expect(spies.columns).not.toHaveBeenCalled();
  });

  it('rows of two elements are taken; of one element, or none, declined', () => {
    setKernelBackend('wasm');
    const full = view(ints(20), [10, 2]);
    const row = view(new Float32Array([10, 20]), [2]);
    expect(Array.from(add(full, row)!)).toEqual(refAdd(full, row, [10, 2]));
    expect(spies.rows).toHaveBeenCalledTimes(1);
    // [10, 1] with a [1, 1] expanded to [10, 1] (strides 0): a broadcast the loop does
    expect(add(view(ints(10), [10, 1]), view(new Float32Array([5]), [10, 1], [0, 0]))).toBeNull();
    expect(add(view(new Float32Array(0), [0, 64]), view(ints(64), [64]))).toBeNull();
    expect(spies.rows).toHaveBeenCalledTimes(1);
  });

  it('a column over several leading dims, size-1 dims among them, takes the column kernel', () => {
    setKernelBackend('wasm');
    const w = 32;
    const cases: [number[], number[]][] = [
      [
        [2, 3, w],
        [2, 3, 1],
      ],
      [
        [3, 1, w],
        [3, 1, 1],
      ],
      [
        [1, 3, w],
        [3, 1],
      ],
    ];
    for (const [shape, colShape] of cases) {
      const n = shape.reduce((x, y) => x * y, 1);
      const full = view(ints(n), shape);
      const col = view(
        ints(
          colShape.reduce((x, y) => x * y, 1),
          4,
        ),
        colShape,
      );
      expect(Array.from(add(full, col)!)).toEqual(refAdd(full, col, shape));
    }
    expect(spies.columns).toHaveBeenCalledTimes(cases.length);
  });

  it('a strided row (every second element) is neither a row nor a column', () => {
    setKernelBackend('wasm');
    const w = 32;
    const full = view(ints(w), [1, w]);
    const strided = view(ints(2 * w), [w], [2]);
    expect(add(full, strided)).toBeNull();
    // a same-shape view whose rows start one element apart and step by 2 (strides [1, 2])
    const interleaved = view(ints(2 * w), [2, w], [1, 2]);
    expect(add(view(ints(2 * w), [2, w]), interleaved)).toBeNull();
    expect(spies.columns).not.toHaveBeenCalled();
    expect(spies.rows).not.toHaveBeenCalled();
  });
});

describe('stream-rows drivers past the first chunk, at unaligned offsets', () => {
  it('streamRows and streamColumns with the output at another offset than the operand', () => {
    const n = 48;
    const rows = Math.ceil((3 * CHUNK) / n);
    const a = ints(rows * n + 5, 3);
    const row = ints(n + 2, 5);
    const col = ints(rows + 1, 6);
    for (const [aOff, outOff] of [
      [0, 3],
      [5, 0],
      [1, 700],
    ] as const) {
      const out = new Float32Array(rows * n + outOff).fill(-1);
      expect(streamRows('sub', out, a, aOff, row, 2, false, rows, n, outOff)).toBe(true);
      for (let i = 0; i < rows * n; i++) expect(out[outOff + i]).toBe(a[aOff + i]! - row[2 + (i % n)]!);
      out.fill(-1);
      expect(streamColumns('sub', out, a, aOff, col, 1, true, rows, n, outOff)).toBe(true);
      for (let i = 0; i < rows * n; i++) expect(out[outOff + i]).toBe(col[1 + Math.floor(i / n)]! - a[aOff + i]!);
    }
  });

  it('streamColumnSum writes exactly n sums and nothing after them', () => {
    const n = 8;
    const rows = 5;
    const a = ints(rows * n);
    const out = new Float32Array(n + 2).fill(-7);
    expect(streamColumnSum(out, a, 0, rows, n, 1)).toBe(true);
    const want = Array.from({ length: n }, (_, j) => [0, 1, 2, 3, 4].reduce((s, r) => s + a[r * n + j]!, 0));
    expect(Array.from(out)).toEqual([-7, ...want, -7]);
  });
});

describe('columnSum: the wasm kernel only for float32 in and out', () => {
  it('a float64 input or output runs the JS reduction, rounded once', () => {
    const rows = 16;
    const n = 8;
    const a64 = new Float64Array(rows * n).map((_, i) => 1 + i * 2 ** -30); // not float32 values
    const out32 = new Float32Array(n);
    expect(columnSum(out32, a64, 0, rows, n)).toBe('js');
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += a64[r * n + j]!;
      expect(out32[j]).toBe(Math.fround(s));
    }
    const out64 = new Float64Array(n);
    expect(columnSum(out64, ints(rows * n), 0, rows, n)).toBe('js');
    expect(columnSum(new Float32Array(n), ints(rows * n), 0, rows, n)).toBe('wasm');
    expect(spies.columnSum).toHaveBeenCalledTimes(1);
  });
});
