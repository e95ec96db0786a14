// FloatLoop: one loop source compiled per dtype, lazily, and cached.
import { describe, expect, it } from 'vitest';
import { FloatLoop } from '../../src/kernels/float-loop.js';
import type { FloatArray } from '../../src/kernels/typed-array.js';

type Axpy = (y: FloatArray, x: FloatArray, a: number) => void;
const source = { name: 'axpy', params: ['y', 'x', 'a'], setup: 'const twice = 2 * a;', body: 'y[i] = y[i] + twice * x[i];' };

describe('FloatLoop', () => {
  it('runs the body for every element, after the setup, in each dtype', () => {
    const loop = new FloatLoop<Axpy>(source);
    const y64 = new Float64Array([1, 2, 3]);
    loop.for(y64)(y64, new Float64Array([0.1, 0.2, 0.3]), 0.5);
    expect(Array.from(y64)).toEqual([1 + 0.1, 2 + 0.2, 3 + 0.3 * 1]);
    const y32 = new Float32Array([1, 2]);
    loop.for(y32)(y32, new Float32Array([1 / 3, 0]), 1);
    // Stored in float32: 1 + 2·fround(1/3), rounded to float32.
    expect(y32[0]).toBe(Math.fround(1 + 2 * Math.fround(1 / 3)));
    expect(y32[1]).toBe(2);
  });

  it('compiles one function per dtype, on first use, and reuses it', () => {
    const loop = new FloatLoop<Axpy>(source);
    const f32 = loop.for(new Float32Array(1));
    const f64 = loop.for(new Float64Array(1));
    expect(f32).not.toBe(f64);
    expect(loop.for(new Float32Array(5))).toBe(f32);
    expect(loop.for(new Float64Array(5))).toBe(f64);
    expect([f32.name, f64.name]).toEqual(['axpy_float32', 'axpy_float64']);
  });

  it('runs zero iterations on empty arrays and compiles strict code', () => {
    const loop = new FloatLoop<(y: FloatArray) => void>({ name: 'leak', params: ['y'], body: 'undeclared = y[i];' });
    expect(() => loop.for(new Float64Array(0))(new Float64Array(0))).not.toThrow();
    expect(() => loop.for(new Float64Array(1))(new Float64Array(1))).toThrow(ReferenceError);
  });

  it('a loop without parameters is rejected when first compiled, with its name', () => {
    const loop = new FloatLoop<() => void>({ name: 'empty', params: [], body: '' });
    expect(() => loop.for(new Float64Array(1))).toThrow(/^FloatLoop empty: the loop needs at least one array parameter$/);
  });
});
