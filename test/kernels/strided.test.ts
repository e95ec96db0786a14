// The elementwise template: small outputs run one loop shared by all array types; from 2048 output
// elements on, a loop compiled per combination of operand array types. Both sides of the boundary,
// every array type, contiguous, strided (transposed, broadcast) and one-element operands, against
// naive loops. The same kernel object is fed several type combinations in a row, as a program does.
import { describe, expect, it } from 'vitest';
import { LazyKernel, type Operand } from '../../src/kernels/strided.js';
import { tensor } from '../../src/index.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
const CTORS: Ctor[] = [Float32Array, Float64Array, Int32Array, Uint8Array];

function filled(C: Ctor, n: number, seed: number): Float32Array | Float64Array | Int32Array | Uint8Array {
  const a = new C(n);
  for (let i = 0; i < n; i++)
    a[i] = C === Uint8Array ? ((i * 7 + seed) % 3 === 0 ? 1 : 0) : ((i * 13 + seed) % 17) - 8 + (C === Int32Array ? 0 : 0.25);
  return a;
}

const dense = (data: Operand['data'], shape: number[]): Operand => {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  return { data, offset: 0, strides };
};

/** What storing `v` into an array of type C gives. */
function stored(C: Ctor, v: number): number {
  const one = new C(1);
  one[0] = v;
  return one[0];
}

describe('LazyKernel across array types and the specialisation boundary', () => {
  const add = new LazyKernel(2, 'a + b');
  const fma = new LazyKernel(3, 'a * b + c');

  for (const n of [7, 2047, 2048, 5000]) {
    it(`a + b, contiguous, n = ${n}, every (out, a, b) type combination`, () => {
      for (const O of CTORS)
        for (const A of CTORS)
          for (const B of CTORS) {
            const a = filled(A, n, 1),
              b = filled(B, n, 2),
              out = new O(n);
            add.run([n], dense(out, [n]), [dense(a, [n]), dense(b, [n])], true, 0);
            for (let i = 0; i < n; i++) {
              if (out[i] !== stored(O, a[i]! + b[i]!)) {
                expect.fail(`${O.name} = ${A.name} + ${B.name} at ${i}: ${out[i]} vs ${stored(O, a[i]! + b[i]!)}`);
              }
            }
          }
    });
  }

  it('a * b + c with a one-element operand (scalar mask) and a broadcast row, both sides of the boundary', () => {
    for (const [r, c] of [
      [3, 5],
      [64, 40],
      [40, 64],
    ] as const) {
      const n = r * c;
      for (const [O, A] of [
        [Float64Array, Float32Array],
        [Float32Array, Float32Array],
        [Int32Array, Int32Array],
      ] as const) {
        const a = filled(A, n, 3),
          s = new A([3]),
          row = filled(A, c, 4),
          out = new O(n);
        // contiguous path: c is the one-element operand (mask bit 2)
        fma.variant(4)([r, c], dense(out, [r, c]), [dense(a, [r, c]), dense(a, [r, c]), { data: s, offset: 0, strides: [0, 0] }], true, 0);
        for (let i = 0; i < n; i++) expect(out[i]).toBe(stored(O, a[i]! * a[i]! + 3));
        // strided path: b broadcast along rows (stride 0), c one element
        fma.run(
          [r, c],
          dense(out, [r, c]),
          [dense(a, [r, c]), { data: row, offset: 0, strides: [0, 1] }, { data: s, offset: 0, strides: [0, 0] }],
          false,
          0,
        );
        for (let i = 0; i < n; i++) expect(out[i]).toBe(stored(O, a[i]! * row[i % c]! + 3));
      }
    }
  });

  it('a transposed input on the strided path, float32 and float64, both sides of the boundary', () => {
    for (const [r, c] of [
      [4, 6],
      [80, 96],
    ] as const) {
      for (const C of [Float32Array, Float64Array]) {
        const n = r * c;
        const a = filled(C, n, 5); // stored [c, r] row-major, read as its transpose [r, c]
        const b = filled(C, n, 6),
          out = new C(n);
        add.run([r, c], dense(out, [r, c]), [{ data: a, offset: 0, strides: [1, r] }, dense(b, [r, c])], false, 0);
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expect(out[i * c + j]).toBe(stored(C, a[j * r + i]! + b[i * c + j]!));
      }
    }
  });
});

describe('ops on large tensors of mixed dtypes (specialised loops through the public API)', () => {
  it('float32 + int32, float64 · bool, where(bool, float32, float32) on 3000 elements', () => {
    const n = 3000;
    const f = Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i) * 3));
    const k = Array.from({ length: n }, (_, i) => (i % 11) - 5);
    const m = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const sum = tensor(f).add(tensor(k, { dtype: 'int32' }));
    expect(sum.dtype).toBe('float32');
    const s = sum.dataSync();
    for (let i = 0; i < n; i++) expect(s[i]).toBe(Math.fround(f[i]! + k[i]!));
    const prod = tensor(f, { dtype: 'float64' })
      .mul(tensor(m, { dtype: 'bool' }))
      .dataSync();
    for (let i = 0; i < n; i++) expect(prod[i]).toBe(f[i]! * m[i]!);
    const picked = tensor(f)
      .where(tensor(m, { dtype: 'bool' }), tensor(f).neg())
      .dataSync();
    for (let i = 0; i < n; i++) expect(picked[i]).toBe(m[i] ? f[i]! : -f[i]!);
  });
});
